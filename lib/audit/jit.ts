// JIT tuning for a batch audit. V8 hands a function to its optimizing compiler (TurboFan, on
// background threads) once it has run a little (the "interrupt budget", 66 KB of bytecode by
// default). For a short-lived audit of a few hundred files that is a bad trade: measured with
// `--cpu-prof` and process.cpuUsage() on 800 Dockerfiles, TurboFan compiled hundreds of parser,
// model and rule functions that never ran long enough to pay back, and its background threads took
// ~40% of the CPU time, the core a second audit thread would have used. With a 15x larger budget
// only the really hot code (the tokenizers, the line index) is optimized: the same audit takes
// 25-45% less CPU time from a few dozen files to a few thousand (see docs/audit.md, Speed). Beyond
// that the optimized code pays back (5,000 and 10,000 files: 15% more CPU with the larger budget),
// so batches above JIT_MAX_FILES keep V8's default budget.
//
// TurboFan's inlining limit (--max-inlined-bytecode-size) is lowered for the whole audit process,
// once, when it starts (startAuditProcessJit, called by the bin before it loads the audit's code):
// on 2 CPUs TurboFan compiles on 4 pool threads, and smaller compile jobs reach the optimized code
// sooner (5,000 Dockerfiles: 8-11% less wall time; from 200 to 2,000: the same). Changing that flag
// while TurboFan compiles crashed V8 (a fatal CHECK in its inliner, SIGTRAP: it changed under a job
// running on its background thread), so it is set only before any code has been optimized (`node
// --trace-opt` shows none before an audit starts, not even for a whole audit of one file), and never
// changed afterwards. The interrupt budget is only read when a function's budget is armed.
//
// The budget is a V8 flag, read when a function's budget is (re)armed: setting it at run time only
// changes when functions are optimized, never what the code does. It is process-wide (worker threads
// included) and restored after the audit, so a process that embeds runAudit (the Yeoman generator,
// tests) keeps V8's default afterwards. Not touched when the user chose a budget (NODE_OPTIONS or
// node flags), or with SECURE_CONTAINER_AUDIT_JIT=default.
import { setFlagsFromString } from 'node:v8';

/** Environment variable: `default` leaves V8's JIT settings alone. */
export const JIT_ENV = 'SECURE_CONTAINER_AUDIT_JIT';
/** The budget used for a batch (bytes of bytecode run before a function is optimized). */
export const BATCH_INTERRUPT_BUDGET = 1_000_000;
/** V8's default in Node 20 and 22 (flag-definitions.h: 66 * KB). */
const V8_DEFAULT_INTERRUPT_BUDGET = 66 * 1024;
/** Files below which tuning is not worth it (a handful of files never get hot). */
export const JIT_MIN_FILES = 50;
/** Files above which V8's default does as well or better (the larger budget: 25% less CPU at 2,000 files, 15% more at 5,000). */
export const JIT_MAX_FILES = 3000;

let depth = 0;

function userChoseBudget(env: NodeJS.ProcessEnv): boolean {
  return /--interrupt[-_]budget\b/.test(`${process.execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`);
}

/** The V8 flag a batch of `files` files runs with, and the one that restores V8's default (null: none). */
export function batchJitFlags(files: number, env = process.env): { set: string; restore: string } | null {
  if (files < JIT_MIN_FILES || files > JIT_MAX_FILES || env[JIT_ENV] === 'default' || userChoseBudget(env)) return null;
  return {
    set: `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`,
    restore: `--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET}`,
  };
}

/**
 * Run `f` with the batch JIT settings (for `files` files), restoring V8's default afterwards.
 * Nested and concurrent calls share one setting; the last to finish restores it.
 */
export async function withBatchJit<T>(files: number, f: () => T | Promise<T>, env = process.env): Promise<T> {
  const flags = batchJitFlags(files, env);
  if (!flags) return await f();
  if (depth++ === 0) setFlagsFromString(flags.set);
  try {
    return await f();
  } finally {
    if (--depth === 0) setFlagsFromString(flags.restore);
  }
}

/** Whether the batch JIT settings are in force now (a withBatchJit() call is running). */
export function batchJitActive(): boolean {
  return depth > 0;
}

/** TurboFan's inlining limit for an audit process (V8's default: 460 bytes of bytecode). */
export const AUDIT_INLINING_FLAG = '--max-inlined-bytecode-size=100';

/**
 * Node's built-in modules the audit uses, loaded before the flag changes: Node keeps their compiled
 * code in a cache that V8 checks against its flags, and a module first loaded after a flag changed is
 * compiled again (~5 ms of start-up).
 */
const AUDIT_BUILTINS = [
  'node:crypto',
  'node:fs',
  'node:module',
  'node:os',
  'node:path',
  'node:url',
  'node:util',
  'node:vm',
  'node:worker_threads',
] as const;

let processJit = false;

/** Whether the audit process lowers the inlining limit (not with the env opt-out, or a limit of the user's). */
export function wantsAuditProcessJit(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  return (
    env[JIT_ENV] !== 'default' &&
    !/--max[-_]inlined[-_]bytecode[-_]size\b/.test(`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`)
  );
}

/**
 * Set the V8 flags of an audit process (AUDIT_INLINING_FLAG), once, before the audit's code is
 * loaded: only from the bin, at its start, when no code has been optimized yet. `load` loads a
 * built-in module (the bin's require). The audit's code caches are made under the same flag
 * (scripts/code-cache.mjs): V8 takes a cache only under the flags it was made with.
 */
export function startAuditProcessJit(load: (id: string) => unknown, env = process.env): void {
  if (processJit || !wantsAuditProcessJit(env)) return;
  processJit = true;
  for (const id of AUDIT_BUILTINS) load(id);
  setFlagsFromString(AUDIT_INLINING_FLAG);
}
