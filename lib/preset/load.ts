// The I/O edge of presets: find a preset file or npm package, read and validate it, follow `extends`.
//
// A preset is data. Files are read as YAML/JSON through lib/fs/safe.ts (regular files only, capped
// at 1 MiB); an npm package is read from the YAML/JSON file it declares, never imported. How far a
// reference is trusted depends on where it comes from (PresetTrustOptions in types.ts):
//   - `--preset <ref>` (explicit): the user's choice, a path anywhere or an installed package;
//   - `.yo-rc.json` (recorded): the repository's, possibly hostile. A path must be a plain file
//     inside the repository (no symlink, nothing outside): otherwise it is refused unread. A
//     package, or an `extends` chain reaching a package or a file outside the repository, is read
//     only once the user confirmed it for this checkout with --trust-preset (lib/preset/trust.ts);
//     when its documents change, it is asked again.
// Error messages name the preset, the field and the allowed values, never the document's content.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Answers } from '../core/types.js';
import { escapeControl } from '../text/escape.js';
import {
  entryKind,
  isWithin,
  MAX_READ_BYTES,
  readInside,
  readRegularFile,
  relPathProblem,
  UnsafePathError,
  type ReadOutcome,
} from '../fs/safe.js';
import { checkPreset } from './apply.js';
import { resolvePresetChain, type PresetSource } from './chain.js';
import { validatePresetDoc } from './schema.js';
import { loadTemplates } from './templates.js';
import { documentsDigest, lookupTrust, recordTrust, trustStoreDir, type TrustedDocument } from './trust.js';
import { PresetError, type PresetTrustOptions, type ResolvedPreset } from './types.js';

const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const PRESET_FILES = ['preset.yaml', 'preset.yml', 'preset.json'];
const DATA_FILE = /\.(ya?ml|json)$/i;
export const DATA_ONLY_MESSAGE =
  'presets are data: declare a YAML or JSON file in package.json "secure-container-preset"';

/** A path (./x.yaml, ../x, /abs, x.yaml, C:\x) rather than an npm package name. */
export function isPathRef(ref: string): boolean {
  return (
    ref.startsWith('.') ||
    isAbsolute(ref) ||
    /^[A-Za-z]:[\\/]/.test(ref) ||
    /\.(ya?ml|json)$/i.test(ref) ||
    ref.includes('\\')
  );
}

/** A name or path for a message: control characters escaped (a hostile .yo-rc.json must not drive the terminal). */
export function printable(s: string): string {
  return escapeControl(s);
}

const quoted = (s: string): string => JSON.stringify(s);

/**
 * Parse a preset document. The error says where (line/column) and what kind of mistake, never the
 * text: the parsers' own messages quote the document, and the file may be anything (a key file).
 */
function parseText(file: string, text: string, display: string): unknown {
  const json = extname(file).toLowerCase() === '.json';
  try {
    return json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      throw new PresetError(`preset ${display}: is not valid YAML (${e.code}${lineCol(text, e.pos[0])})`);
    }
    if (json) {
      const pos = /position (\d+)/.exec((e as Error).message);
      throw new PresetError(
        `preset ${display}: is not valid JSON${pos ? ` (${lineCol(text, Number(pos[1])).slice(1)})` : ''}`,
      );
    }
    throw new PresetError(`preset ${display}: is not valid YAML`);
  }
}

/** " at line L, column C" of a character offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  return ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
}

function readFailure(display: string, r: Extract<ReadOutcome, { ok: false }>): PresetError {
  return new PresetError(`preset ${display}: cannot read: ${r.why === 'absent' ? 'no such file' : r.message}`);
}

/** Directory of an installed package, looked up from `fromDir` like Node does (resolution only: nothing is loaded). */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  try {
    return dirname(createRequire(join(fromDir, 'noop.js')).resolve(`${name}/package.json`));
  } catch {
    // packages whose "exports" hide package.json: walk node_modules ourselves
    for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', ...name.split('/'));
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) return undefined;
    }
  }
}

/** Where a preset document was found: decides how its `extends` entries are resolved and trusted. */
type Scope = { kind: 'repo' } | { kind: 'package'; name: string; dir: string } | { kind: 'file' };

interface LoadContext {
  /** the entry reference (messages) */
  ref: string;
  /** realpath of the repository root */
  rootReal: string;
  explicit: boolean;
  /** may read sources that need trust: packages, files outside the repository */
  mayReadExternal: boolean;
  /** documents that needed trust, in the order read (for the digest) */
  external: Map<string, TrustedDocument>;
  /** scope of each source read, by id */
  scopes: Map<string, Scope>;
}

function untrusted(ctx: LoadContext, what: string): PresetError {
  const ref = printable(ctx.ref);
  return new PresetError(
    `the recorded preset ${quoted(ref)} ${what}: check it, then confirm once with --trust-preset (or pass --preset ${ref})`,
    'untrusted',
  );
}

function refusedPath(ctx: LoadContext, why: string): PresetError {
  const ref = printable(ctx.ref);
  return new PresetError(
    `the recorded preset ${quoted(ref)} is not a plain file inside this repository (${why}): refused, not read; pass --preset ${ref} to use it`,
    'refused',
  );
}

function source(ctx: LoadContext, id: string, display: string, file: string, text: string, scope: Scope): PresetSource {
  ctx.scopes.set(id, scope);
  const doc = validatePresetDoc(parseText(file, text, display), display);
  // files[].template: read now, from inside this document's directory (lib/preset/templates.ts)
  return { id, display, dir: dirname(file), doc: loadTemplates(doc, dirname(file), display) };
}

/** An external (trust-needing or user-chosen) file: realpath, then a safe capped read of the real file. */
function readRealFile(abs: string, display: string): { real: string; bytes: Buffer; text: string } {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PresetError(
      `preset ${display}: cannot read: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be resolved (${code ?? 'error'})`}`,
    );
  }
  const r = readRegularFile(real, { maxBytes: MAX_READ_BYTES });
  if (!r.ok) throw readFailure(display, r);
  return { real, bytes: r.bytes, text: r.text };
}

/** A file of the repository, for a recorded preset: inside the root, no symlink on the way or at the end, regular. */
function readRepoFile(ctx: LoadContext, rel: string, display: string, entry: boolean): PresetSource {
  let kind: ReturnType<typeof entryKind>;
  try {
    kind = entryKind(ctx.rootReal, rel);
  } catch (e) {
    if (!(e instanceof UnsafePathError)) throw e;
    const problem = relPathProblem(rel);
    if (entry)
      throw refusedPath(
        ctx,
        problem ? `the path ${problem}` : `${printable(e.path)} is a symbolic link or not a directory`,
      );
    throw new PresetError(
      `preset ${display}: refused: ${printable(e.path)} on the way is a symbolic link or not a directory (nothing is read through a link)`,
      'refused',
    );
  }
  if (kind === 'symlink') {
    if (entry) throw refusedPath(ctx, 'it is a symbolic link');
    throw new PresetError(`preset ${display}: refused: it is a symbolic link (not followed)`, 'refused');
  }
  if (kind === 'other') {
    if (entry) throw refusedPath(ctx, 'it is not a regular file');
    throw new PresetError(`preset ${display}: refused: not a regular file`, 'refused');
  }
  if (kind === 'absent') throw new PresetError(`preset ${display}: cannot read: no such file`);
  const r = readInside(ctx.rootReal, rel, { maxBytes: MAX_READ_BYTES });
  if (!r.ok) throw readFailure(display, r);
  const abs = join(ctx.rootReal, rel);
  return source(ctx, abs, display, abs, r.text, { kind: 'repo' });
}

function readExternalFile(
  ctx: LoadContext,
  abs: string,
  display: string,
  scope: Scope,
  external: boolean,
): PresetSource {
  const f = readRealFile(abs, display);
  if (external) ctx.external.set(f.real, { display: scope.kind === 'package' ? display : f.real, bytes: f.bytes });
  return source(ctx, f.real, display, f.real, f.text, scope);
}

/** `<file>` inside the package directory `dir` (both resolved): lexically and after realpath. */
function insidePackage(name: string, dir: string, rel: string, what: string): string {
  const abs = resolve(dir, rel);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    if (!isWithin(dir, abs)) throw new PresetError(`preset ${name}: ${what} points outside the package`);
    throw new PresetError(`preset ${name}: ${what}: no such file in the package`);
  }
  if (!isWithin(dir, abs) || !isWithin(dir, real))
    throw new PresetError(`preset ${name}: ${what} points outside the package`);
  return real;
}

function readPackage(ctx: LoadContext, name: string, fromDir: string, external: boolean): PresetSource {
  const display = printable(name);
  if (!PACKAGE_NAME.test(name)) {
    throw new PresetError(
      `preset ${display}: not a file path or an npm package name (paths start with ./ or end in .yaml, .yml or .json)`,
    );
  }
  const found = findPackageDir(name, fromDir);
  if (!found)
    throw new PresetError(
      `preset ${display}: package not found from ${printable(fromDir)} (install it: npm install --save-dev ${display})`,
    );
  let dir: string;
  try {
    dir = realpathSync(found);
  } catch {
    throw new PresetError(`preset ${display}: package not found from ${printable(fromDir)}`);
  }
  const pj = readRegularFile(join(dir, 'package.json'), { maxBytes: MAX_READ_BYTES });
  if (!pj.ok)
    throw new PresetError(`preset ${display}: package.json ${pj.why === 'absent' ? 'does not exist' : pj.message}`);
  let pkg: unknown;
  try {
    pkg = JSON.parse(pj.text);
  } catch {
    throw new PresetError(`preset ${display}: package.json is not valid JSON`);
  }
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg))
    throw new PresetError(`preset ${display}: package.json is not an object`);
  const field = (pkg as Record<string, unknown>)['secure-container-preset'];
  let file: string | undefined;
  if (field !== undefined) {
    if (typeof field !== 'string' || field === '')
      throw new PresetError(
        `preset ${display}: package.json "secure-container-preset" must be the path of a YAML or JSON file`,
      );
    if (!DATA_FILE.test(field))
      throw new PresetError(
        `preset ${display}: ${DATA_ONLY_MESSAGE} (it names a file that is not .yaml, .yml or .json)`,
      );
    file = insidePackage(display, dir, field, 'package.json "secure-container-preset"');
  } else {
    const at = PRESET_FILES.find((f) => {
      try {
        lstatSync(join(dir, f));
        return true;
      } catch {
        return false;
      }
    });
    if (at) file = insidePackage(display, dir, at, at);
  }
  if (!file)
    throw new PresetError(
      `preset ${display}: ${DATA_ONLY_MESSAGE} (or ship ${PRESET_FILES.join(', ')} at the package root)`,
    );
  const r = readRegularFile(file, { maxBytes: MAX_READ_BYTES });
  if (!r.ok) throw readFailure(display, r);
  if (external)
    ctx.external.set(file, { display: `${display}:${relative(dir, file).split(sep).join('/')}`, bytes: r.bytes });
  return source(ctx, file, display, file, r.text, { kind: 'package', name: display, dir });
}

/** The reader for one load: resolves `ref` from `fromDir` under the trust rules of the context. */
function makeReader(ctx: LoadContext, root: string) {
  return (ref: string, fromDir: string, parent?: PresetSource): PresetSource => {
    const scope: Scope | undefined = parent ? ctx.scopes.get(parent.id) : undefined;
    const isEntry = parent === undefined;
    if (!isPathRef(ref)) {
      if (!PACKAGE_NAME.test(ref)) {
        throw new PresetError(
          `preset ${printable(ref)}: not a file path or an npm package name (paths start with ./ or end in .yaml, .yml or .json)`,
        );
      }
      const needsTrust = !ctx.explicit;
      if (needsTrust && !ctx.mayReadExternal) {
        throw untrusted(
          ctx,
          isEntry
            ? "is an npm package in this repository's node_modules"
            : `extends the npm package ${quoted(printable(ref))}`,
        );
      }
      return readPackage(ctx, ref, fromDir, true);
    }
    if (scope?.kind === 'package') {
      // inside a package: relative to the referencing file, never leaving the package
      const real = insidePackage(
        scope.name,
        scope.dir,
        relative(scope.dir, resolve(fromDir, ref)),
        `extends ${quoted(printable(ref))}`,
      );
      return readExternalFile(
        ctx,
        real,
        `${scope.name}/${relative(scope.dir, real).split(sep).join('/')}`,
        scope,
        true,
      );
    }
    const abs = resolve(fromDir, ref);
    const rel = relative(root, abs);
    const inRepo = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    const display = printable(inRepo ? rel.split(sep).join('/') : abs);
    if (ctx.explicit) {
      // the user's choice: wherever it is (a link followed), still data only and capped
      let real: string | undefined;
      try {
        real = realpathSync(abs);
      } catch {
        real = undefined;
      }
      const inside = real !== undefined && isWithin(ctx.rootReal, real);
      // hashed like a recorded run would (files reached outside the repository), so that the trust
      // recorded now matches the next run with the recorded preset
      return readExternalFile(ctx, abs, display, inside ? { kind: 'repo' } : { kind: 'file' }, !inside && !isEntry);
    }
    if (inRepo) return readRepoFile(ctx, rel.split(sep).join('/'), display, isEntry);
    if (isEntry) throw refusedPath(ctx, 'it is outside the repository');
    if (scope?.kind === 'file') return readExternalFile(ctx, abs, display, { kind: 'file' }, true);
    if (!ctx.mayReadExternal) throw untrusted(ctx, `extends ${quoted(printable(ref))}, a file outside this repository`);
    return readExternalFile(ctx, abs, display, { kind: 'file' }, true);
  };
}

export interface LoadPresetOptions extends PresetTrustOptions {
  /** answer-value check from the answers schema: error text or null (see presetValueValidator) */
  validateValue?: (key: keyof Answers, value: unknown, fixed: Partial<Answers>) => string | null;
}

/** What .yo-rc.json records for `ref`: a path relative to the root (when inside it), else the absolute path or the package name. */
function recordOf(ref: string, root: string): string {
  if (!isPathRef(ref)) return ref;
  const rel = relative(root, resolve(root, ref));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : resolve(root, ref);
}

/**
 * Load a preset (`--preset` value or the one recorded in .yo-rc.json), follow `extends`, merge and
 * check it. `fromDir` is the project root: relative paths resolve against it and are recorded
 * relative to it. `opts.origin` says where `ref` comes from (default `recorded`, the untrusted
 * one: see PresetTrustOptions). Throws PresetError naming the preset and the field.
 */
export async function loadPreset(ref: string, fromDir: string, opts: LoadPresetOptions = {}): Promise<ResolvedPreset> {
  const root = resolve(fromDir);
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    throw new PresetError(`preset ${printable(ref)}: the project root ${printable(root)} cannot be resolved`);
  }
  const explicit = opts.origin === 'explicit';
  const record = recordOf(ref, root);
  const stateDir = opts.stateDir ?? trustStoreDir();
  const confirmed = explicit ? undefined : lookupTrust(stateDir, rootReal, record);
  const ctx: LoadContext = {
    ref,
    rootReal,
    explicit,
    mayReadExternal: explicit || opts.trust === true || confirmed !== undefined,
    external: new Map(),
    scopes: new Map(),
  };
  // relative references resolve against the real root, so that a file's directory and the root agree
  const resolved = await resolvePresetChain(ref, rootReal, makeReader(ctx, rootReal));
  const out: ResolvedPreset = { ...resolved, record };

  const digest = ctx.external.size > 0 ? documentsDigest([...ctx.external.values()]) : undefined;
  if (digest !== undefined && !explicit && opts.trust !== true && confirmed && confirmed.sha256 !== digest) {
    const r = printable(ref);
    throw new PresetError(
      `the recorded preset ${quoted(r)} changed since it was confirmed for this checkout (its package or external files differ): check it, then confirm again with --trust-preset (or pass --preset ${r})`,
      'untrusted',
    );
  }
  checkPreset(out, opts.validateValue);
  // confirmed now (--trust-preset) or chosen on the command line: remember it for this checkout, so
  // the next run with the recorded preset does not ask (a recorded path outside the repository
  // never is trusted: nothing to remember for it)
  const entryIsFile = isPathRef(ref) && isAbsolute(record);
  if (digest !== undefined && (explicit || opts.trust === true) && !entryIsFile && confirmed?.sha256 !== digest) {
    const warning = recordTrust(stateDir, rootReal, record, digest);
    if (warning) opts.warn?.(warning);
  }
  return out;
}

/** The fs reader of one preset reference, as used by loadPreset (kept for callers of the old API). */
export function readPresetSource(
  ref: string,
  fromDir: string,
  root: string = fromDir,
  opts: PresetTrustOptions = {},
): Promise<PresetSource> {
  // the old API is asynchronous: a failure rejects the promise, it is never thrown
  return new Promise((done) => {
    const rootReal = realpathSync(resolve(root));
    const ctx: LoadContext = {
      ref,
      rootReal,
      explicit: opts.origin === 'explicit',
      mayReadExternal: opts.origin === 'explicit' || opts.trust === true,
      external: new Map(),
      scopes: new Map(),
    };
    done(makeReader(ctx, rootReal)(ref, fromDir));
  });
}
