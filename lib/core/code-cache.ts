// Load a bundled CommonJS file with V8's code cache: the bytecode of its functions, saved when the
// package is built (scripts/code-cache.mjs), so that a run does not parse and compile them again.
// Used for the audit (dist/bin/audit.cjs): an audit of one Dockerfile spends a third of its own time
// (beyond Node's start-up) compiling the code it runs, and a batch compiles it again in every thread.
//
// The cache file is `<file>.cache`: a header line naming the SHA-256 of the source it was made from
// and of V8's data, then the data. V8 checks its own version and flags, and the source's length
// only, and not the data (a damaged cache was taken as it was): the header ties the data to this
// exact source (a rebuilt bundle with a stale cache is never used) and tells a damaged file. A cache
// made by another Node version, or under other V8 flags, is rejected by V8 and the file is compiled
// as usual: same behaviour, without the saving. Only the package's own files are loaded this way,
// never a file of an audited repository.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * The cache file of `bundle` for the V8 flags in force: V8 takes saved code only under the flags it
 * was saved with, and a batch audit raises the interrupt budget before it starts its workers
 * (lib/audit/jit.ts), so there is one cache for V8's defaults and one for the batch settings.
 */
export function cacheFileFor(bundle: string, jit: 'batch' | 'default' = 'default'): string {
  return jit === 'batch' ? `${bundle}.batch.cache` : `${bundle}.cache`;
}

/** The header's first word: the format of the cache file. */
const MAGIC = 'secure-container-code-cache-1';

export interface LoadedBundle {
  /** the file's module.exports */
  exports: unknown;
  /** the compiled script (createCachedData() after a run saves what the run compiled) */
  script: vm.Script;
  /** the file's text */
  source: string;
  /** whether V8 took the saved code */
  cached: boolean;
}

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** The header that ties V8's `data` to `source`. */
function header(source: string, data: Buffer): string {
  return `${MAGIC} ${sha256(source)} ${sha256(data)}\n`;
}

/** The saved code in `cacheFile` when it was made from `source` and is whole, else undefined. */
function cachedDataFor(source: string, cacheFile: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined; // no cache: compiled as usual
  }
  const end = file.indexOf(0x0a);
  if (end < 0 || end > 256) return undefined;
  const data = file.subarray(end + 1);
  return file.toString('latin1', 0, end + 1) === header(source, data) ? data : undefined;
}

/**
 * Load the CommonJS file `file` as Node's require() would (same wrapper, its own require), with the
 * saved code of `cacheFile` when it fits. Throws what reading or running the file throws.
 */
export function loadBundle(file: string, cacheFile = cacheFileFor(file)): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  const cachedData = cachedDataFor(source, cacheFile);
  // Module.wrap: the function wrapper require() puts around a CommonJS file
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, source, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** The cache file's content for a loaded bundle: its header, then what V8 has compiled of it so far. */
export function codeCacheOf(loaded: LoadedBundle): Buffer {
  const data = loaded.script.createCachedData();
  return Buffer.concat([Buffer.from(header(loaded.source, data), 'latin1'), data]);
}
