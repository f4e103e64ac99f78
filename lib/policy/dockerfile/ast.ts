// dockerfile-ast, loaded on first use, with its argument scan done once per instruction.
//
// Loaded on first use (lib/core/lazy-require.ts): the audit reads most Dockerfiles with its own reader
// (scan.ts) and needs dockerfile-ast only for the constructs it leaves to it and for --fix.
//
// dockerfile-ast 0.7 recomputes `Instruction.getRawArguments()` (a character scan of the instruction
// that builds Argument and Range objects through TextDocument.positionAt) on every call, and its own
// constructors and getters call it again and again: ~4.6 scans per instruction while parsing
// (JSONInstruction's constructor, getFlags, getArgumentsRange, heredoc detection), more for every
// getArguments / getArgumentsContent / getRawArgumentsContent afterwards. That scan was the hottest
// function of the audit. An instruction never changes after parsing (the document text, ranges and
// escape character are fixed at construction), so the result is memoized per instance.
//
// Behaviour is unchanged: callers still get a fresh array each time (ModifiableInstruction.getArguments
// shifts flags off the array it receives), holding the same (immutable) Argument objects.
// The patch is installed once per dockerfile-ast module instance and is idempotent.
//
// Second patch: ModifiableInstruction.getArguments (RUN/COPY/ADD/FROM/…) drops the flags with one
// `args.shift()` per flag, each O(arguments): `RUN --mount=… x 20k` was quadratic (10k/20k flags:
// 0.19/1.1 s). Dropping them with one slice gives the same array in O(arguments).
import type * as DockerfileAstModule from 'dockerfile-ast';
import type { Argument, Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { lazyPackage } from '../../core/lazy-require.js';

type DockerfileAst = typeof DockerfileAstModule;

/** dockerfile-ast, loaded (and patched, below) on the first call. */
export const dockerfileAst: () => DockerfileAst = lazyPackage<DockerfileAst>('dockerfile-ast', (mod) => {
  patch(mod);
});

const MEMO = Symbol.for('secure-container.dockerfile-ast.rawArguments');
const PATCHED = Symbol.for('secure-container.dockerfile-ast.patched');
const SCAN = Symbol.for('secure-container.dockerfile-ast.scan');

// dockerfile-ast declares getRawArguments `private` with no type (any); it returns the Argument[] scanned
type RawArgs = Argument[];
// function-typed properties, not methods: the originals are taken off the prototype and called with .call(this)
interface Patchable {
  getRawArguments: (this: Instruction) => RawArgs;
  [PATCHED]?: true;
}

interface Memo {
  [MEMO]?: RawArgs;
}

type Proto = Patchable & { [SCAN]?: Patchable['getRawArguments'] };

const MOD_PATCHED = Symbol.for('secure-container.dockerfile-ast.modifiable-patched');
interface ModPatchable {
  getArguments(this: ModifiableInstruction): ReturnType<ModifiableInstruction['getArguments']>;
  getFlags(this: ModifiableInstruction): ReturnType<ModifiableInstruction['getFlags']>;
  [MOD_PATCHED]?: true;
}

/** Install both patches on a dockerfile-ast module instance (idempotent). */
function patch(mod: DockerfileAst): void {
  const proto = mod.Instruction.prototype as unknown as Proto;
  if (!proto[PATCHED] && typeof proto.getRawArguments === 'function') {
    const scan = proto.getRawArguments;
    proto[SCAN] = scan;
    proto.getRawArguments = function getRawArguments(this: Instruction & Memo): RawArgs {
      let args = this[MEMO];
      if (args === undefined) {
        args = scan.call(this);
        this[MEMO] = args;
      }
      return args.slice();
    };
    proto[PATCHED] = true;
  }

  const modProto = mod.ModifiableInstruction.prototype as unknown as ModPatchable;
  const instructionGetArguments = (
    mod.Instruction.prototype as unknown as {
      getArguments: (this: Instruction) => ReturnType<Instruction['getArguments']>;
    }
  ).getArguments;
  if (
    !modProto[MOD_PATCHED] &&
    typeof modProto.getArguments === 'function' &&
    typeof instructionGetArguments === 'function'
  ) {
    modProto.getArguments = function getArguments(this: ModifiableInstruction) {
      // as the original: the instruction's arguments without its leading flags (shift() once per flag)
      const args = instructionGetArguments.call(this);
      const flags = this.getFlags();
      return flags.length === 0 ? args : args.slice(flags.length);
    };
    modProto[MOD_PATCHED] = true;
  }
}

/** dockerfile-ast's own, unmemoized scan (for tests comparing it with the memoized one). */
export function scanRawArguments(ins: Instruction): RawArgs {
  const proto = dockerfileAst().Instruction.prototype as unknown as Proto;
  return (proto[SCAN] ?? proto.getRawArguments).call(ins);
}

/** The memoized raw arguments (flags included), as dockerfile-ast's private getRawArguments returns them. */
export function rawArguments(ins: Instruction): RawArgs {
  dockerfileAst(); // patched
  return (ins as unknown as Patchable).getRawArguments.call(ins);
}
