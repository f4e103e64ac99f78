// The one small module every read and write of a repository's files goes through (DESIGN.md,
// "Safety rules of the house"). A repository may be hostile: a committed symlink can point a
// generated path, a state file or a directory on the way at anything on the machine. So:
//   - paths are clean relative POSIX paths, resolved under the (trusted) root;
//   - no directory on the way may be a symlink (refused, never followed);
//   - the file itself is never followed: a symlinked file is reported, and replaced (the link,
//     never its target) only when the caller has the user's consent;
//   - only regular files are read (no FIFOs, devices, /dev/zero), opened with O_NOFOLLOW and
//     O_NONBLOCK, and every read is capped in size;
//   - writes go to an exclusive temporary sibling (O_EXCL: a planted link at that name fails)
//     and are renamed into place (a rename replaces a link, it does not write through it).
// What remains is the usual check-then-use window against a process racing us on the same tree,
// which SECURITY.md states.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readlinkSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, sep } from 'node:path';
import { escapeControl } from '../text/escape.js';

/** Default cap on any read of a repository file (detection, state, presets, audit). */
export const MAX_READ_BYTES = 1024 * 1024;

/** A path the tool refuses to read, write or delete; the message names the path and the way out. */
export class UnsafePathError extends Error {
  constructor(
    public readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

export type ReadRefusal = 'absent' | 'symlink' | 'not-regular' | 'too-large' | 'unreadable';

export type ReadOutcome = { ok: true; text: string; bytes: Buffer } | ReadFailure;
export type ReadFailure = { ok: false; why: ReadRefusal; message: string };
/** readRegularBytes: the bytes only, for a caller that decodes them itself (the audit: strict UTF-8). */
export type BytesOutcome = { ok: true; bytes: Buffer } | ReadFailure;

/** Is `rel` a clean relative POSIX path (no absolute, "..", ".", empty segment, backslash or NUL)? Returns the problem or null. */
export function relPathProblem(rel: string): string | null {
  if (rel === '') return 'is empty';
  if (rel.includes('\0')) return 'contains a NUL byte';
  if (rel.includes('\\')) return 'contains a backslash (use / separators)';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'is absolute (must be relative to the project root)';
  for (const seg of rel.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
  }
  return null;
}

function lstatOrUndefined(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function linkNote(abs: string): string {
  try {
    return ` (to "${escapeControl(readlinkSync(abs))}")`;
  } catch {
    return '';
  }
}

/**
 * Check every directory between `root` and `rel`'s file: each existing one must be a real
 * directory (not a symlink, not a file). Returns false when a directory is missing (nothing
 * below it can exist). Throws UnsafePathError otherwise.
 */
function checkParents(root: string, rel: string): boolean {
  const bad = relPathProblem(rel);
  if (bad) throw new UnsafePathError(rel, `${escapeControl(rel)}: path ${bad}`);
  const segs = rel.split('/');
  let abs = root;
  for (let i = 0; i < segs.length - 1; i++) {
    abs = join(abs, segs[i]);
    const st = lstatOrUndefined(abs);
    if (!st) return false;
    const dir = segs.slice(0, i + 1).join('/');
    if (st.isSymbolicLink()) {
      throw new UnsafePathError(
        dir,
        `${escapeControl(dir)} is a symbolic link${linkNote(abs)}: refused, nothing is read or written through a linked directory; replace it with a real directory (or remove it) and run again`,
      );
    }
    if (!st.isDirectory())
      throw new UnsafePathError(
        dir,
        `${escapeControl(dir)} is ${kindOf(st)}, not a directory: cannot place ${escapeControl(rel)} there`,
      );
  }
  return true;
}

/** Read an absolute path: regular files only, never through a final symlink, at most `maxBytes`. */
export function readRegularFile(abs: string, opts: { maxBytes?: number } = {}): ReadOutcome {
  const r = readRegularBytes(abs, opts);
  return r.ok ? { ok: true, text: r.bytes.toString('utf8'), bytes: r.bytes } : r;
}

/** readRegularFile without decoding the bytes. */
export function readRegularBytes(abs: string, opts: { maxBytes?: number } = {}): BytesOutcome {
  const max = opts.maxBytes ?? MAX_READ_BYTES;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not hang; O_NOFOLLOW: a symlink fails with ELOOP
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, why: 'absent', message: 'does not exist' };
    if (code === 'ELOOP') return { ok: false, why: 'symlink', message: 'is a symbolic link (not followed)' };
    return { ok: false, why: 'unreadable', message: `cannot be read (${code ?? (e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return { ok: false, why: 'not-regular', message: `is ${kindOf(st)} (only regular files are read)` };
    if (st.size > max)
      return {
        ok: false,
        why: 'too-large',
        message: `is larger than ${formatBytes(max)} (${st.size} bytes): not read`,
      };
    // read at most max+1 bytes whatever the size said: a file growing under us stays capped
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
      // the size fstat gave is read: done, without one more read call to learn it (a file that grew
      // since is read as it was; a size of 0, as /proc files report, is read until the end)
      if (off === st.size && off > 0) break;
    }
    if (off > max) return { ok: false, why: 'too-large', message: `is larger than ${formatBytes(max)}: not read` };
    return { ok: true, bytes: buf.subarray(0, off) };
  } catch (e) {
    return {
      ok: false,
      why: 'unreadable',
      message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/** `readRegularFile` for a path inside `root`, refusing symlinked directories on the way. */
export function readInside(root: string, rel: string, opts: { maxBytes?: number } = {}): ReadOutcome {
  if (!checkParents(root, rel)) return { ok: false, why: 'absent', message: 'does not exist' };
  return readRegularFile(join(root, rel), opts);
}

/**
 * Text of `root/rel`, or undefined when it does not exist. Anything else that stops a safe read
 * (a symlink, a linked directory on the way, a FIFO, a file over the cap) throws UnsafePathError
 * naming the path: for state and generated files, where silently treating it as absent could
 * make us overwrite or misjudge it.
 */
export function readTextStrict(root: string, rel: string, opts: { maxBytes?: number } = {}): string | undefined {
  const r = readInside(root, rel, opts);
  if (r.ok) return r.text;
  if (r.why === 'absent') return undefined;
  const how =
    r.why === 'symlink'
      ? `${escapeControl(rel)} is a symbolic link${linkNote(join(root, rel))}: refused, it is not followed; replace it with a regular file (or remove it) and run again`
      : `${escapeControl(rel)} ${r.message}: refused`;
  throw new UnsafePathError(rel, how);
}

/** Text of `root/rel`, or undefined when it is absent or cannot be read safely (detection hints). */
export function readTextLenient(root: string, rel: string, opts: { maxBytes?: number } = {}): string | undefined {
  try {
    const r = readInside(root, rel, opts);
    return r.ok ? r.text : undefined;
  } catch (e) {
    if (e instanceof UnsafePathError) return undefined;
    throw e;
  }
}

export type EntryKind = 'absent' | 'file' | 'symlink' | 'other';

/** What is at `root/rel` without following it (parents checked as for every read). */
export function entryKind(root: string, rel: string): EntryKind {
  if (!checkParents(root, rel)) return 'absent';
  const st = lstatOrUndefined(join(root, rel));
  if (!st) return 'absent';
  if (st.isSymbolicLink()) return 'symlink';
  return st.isFile() ? 'file' : 'other';
}

export interface SafeWrite {
  path: string;
  contents: string;
  mode?: number;
}

export interface WriteOptions {
  /** paths whose symlink the user agreed to replace (--force): the link is replaced, its target untouched */
  replaceSymlinks?: ReadonlySet<string>;
}

/** Create the missing directories of `rel` under `root`, one level at a time, never through a link. */
function ensureParents(root: string, rel: string): void {
  const segs = rel.split('/');
  const shown = (i: number): string => escapeControl(segs.slice(0, i + 1).join('/'));
  let abs = root;
  for (let i = 0; i < segs.length - 1; i++) {
    abs = join(abs, segs[i]);
    const st = lstatOrUndefined(abs);
    if (!st) {
      try {
        mkdirSync(abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const again = lstatSync(abs);
      if (!again.isDirectory() || again.isSymbolicLink())
        throw new UnsafePathError(
          segs.slice(0, i + 1).join('/'),
          `${shown(i)} changed while it was being created: refused`,
        );
    } else if (st.isSymbolicLink() || !st.isDirectory()) {
      // checkParents already refused these; a change in between is a race we do not follow
      throw new UnsafePathError(segs.slice(0, i + 1).join('/'), `${shown(i)} is not a real directory: refused`);
    }
  }
}

/** Check that every write can be done safely, before anything is written. Throws UnsafePathError. */
export function checkWritable(root: string, files: readonly SafeWrite[], opts: WriteOptions = {}): void {
  for (const f of files) {
    checkParents(root, f.path);
    const st = lstatOrUndefined(join(root, f.path));
    if (!st || st.isFile()) continue;
    if (st.isSymbolicLink()) {
      if (opts.replaceSymlinks?.has(f.path)) continue;
      throw new UnsafePathError(
        f.path,
        `${escapeControl(f.path)} is a symbolic link${linkNote(join(root, f.path))}: refused, it is not followed; replace it with a regular file (or remove it), or pass --force to replace the link itself`,
      );
    }
    throw new UnsafePathError(
      f.path,
      `${escapeControl(f.path)} is ${kindOf(st)}, not a regular file: refused; move it away and run again`,
    );
  }
}

/**
 * Write every file or none, inside `root` only: all checks first, then exclusive temporary
 * siblings, then renames. A symlinked file is replaced (never written through) only when listed
 * in `replaceSymlinks`.
 */
export function writeFilesInside(root: string, files: readonly SafeWrite[], opts: WriteOptions = {}): void {
  checkWritable(root, files, opts);
  const temps: [string, string][] = [];
  try {
    for (const f of files) {
      ensureParents(root, f.path);
      const target = join(root, f.path);
      const tmp = `${target}.secure-container-tmp-${randomBytes(6).toString('hex')}`;
      // 'wx': O_CREAT|O_EXCL, fails on anything already there (a planted link included)
      writeFileSync(tmp, f.contents, { flag: 'wx', ...(f.mode === undefined ? {} : { mode: f.mode }) });
      temps.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [tmp, target] of temps) renameSync(tmp, target);
}

/**
 * Remove `root/rel` if it is a regular file (or a symlink: the link itself goes, never its
 * target). Linked directories on the way are refused; a directory or device is left alone.
 * Returns whether something was removed.
 */
export function removeInside(root: string, rel: string): boolean {
  if (!checkParents(root, rel)) return false;
  const abs = join(root, rel);
  const st = lstatOrUndefined(abs);
  if (!st || !(st.isFile() || st.isSymbolicLink())) return false;
  unlinkSync(abs);
  return true;
}

/** Is `abs` (already resolved with realpath) inside `rootReal` (also resolved)? */
export function isWithin(rootReal: string, abs: string): boolean {
  return abs === rootReal || abs.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}
