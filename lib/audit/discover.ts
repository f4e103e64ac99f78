// Find the Dockerfiles, compose files, Kubernetes manifests and GitHub workflows (.github/workflows/,
// a dot directory that is walked like any other) to audit. Directories are walked recursively (node_modules
// and .git skipped, symlinked directories not followed); explicit files are always audited.
// A symlinked file is followed only while its target stays inside the scanned root (the directory
// being walked, or the working directory for a file named on the command line): a link that leaves
// it is reported (SC0002), never read, so a hostile repository cannot make the audit print a
// runner's files into CI logs or code scanning.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isWithin, readRegularFile } from '../fs/safe.js';
import { MAX_BYTES } from './read.js';
import { detectKind } from '../policy/kinds.js';
import type { FileKind } from '../policy/types.js';

export interface AuditTarget {
  /** absolute path */
  abs: string;
  /** path relative to cwd, forward slashes (used in every output format) */
  rel: string;
  kind: FileKind;
  /** set when the file must not be read (a symlink leaving the scanned root): reported as SC0002 */
  refused?: string;
}

export const OUTSIDE_LINK = 'file is a symbolic link to a file outside the audited directory: not followed';

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

export interface DiscoveryResult {
  files: AuditTarget[];
  /** paths that do not exist or cannot be listed (→ exit code 2) */
  errors: { path: string; message: string }[];
}

// .secure-container holds the generator's pristine copies (a Dockerfile among them): not the user's files
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.secure-container']);

export function toRel(cwd: string, abs: string): string {
  const r = relative(cwd, abs);
  return (r === '' ? basename(abs) : r).split(sep).join('/');
}

/**
 * An explicitly named file whose name is not recognised: YAML → a Kubernetes manifest when it has
 * top-level `apiVersion:` and `kind:` keys (`helm template` output, `kubectl get -o yaml`), else
 * compose; anything else → Dockerfile.
 */
function guessKind(path: string): FileKind {
  if (!/\.ya?ml$/i.test(path)) return 'dockerfile';
  const r = readRegularFile(path, { maxBytes: MAX_BYTES });
  if (!r.ok) return 'compose'; // the audit reports why it cannot read it
  return /^apiVersion:[ \t]*\S/m.test(r.text) && /^kind:[ \t]*\S/m.test(r.text) ? 'kubernetes' : 'compose';
}

export function discover(paths: readonly string[], cwd: string): DiscoveryResult {
  const files: AuditTarget[] = [];
  const errors: DiscoveryResult['errors'] = [];
  const seen = new Set<string>();
  const add = (abs: string, kind: FileKind, refused?: string, rel = toRel(cwd, abs)): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, rel, kind, ...(refused ? { refused } : {}) });
  };
  /** A symlinked file: followed (read at its real path) only when it resolves inside `rootReal`. */
  const addLink = (p: string, kind: FileKind, rootReal: string | undefined): void => {
    const real = realOrUndefined(p);
    if (real === undefined) return; // dangling link
    if (rootReal === undefined || !isWithin(rootReal, real)) {
      add(p, kind, OUTSIDE_LINK);
      return;
    }
    try {
      if (!statSync(real).isFile()) return;
    } catch {
      return;
    }
    if (seen.has(p)) return;
    seen.add(p);
    files.push({ abs: real, rel: toRel(cwd, p), kind });
  };
  let walkRoot: string | undefined;
  // `relDir`: the directory relative to cwd ('' for cwd itself), so a file's relative path is one
  // concatenation rather than a path.relative() (which resolves both paths) per file
  const walk = (dir: string, relDir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ path: toRel(cwd, dir), message: (e as Error).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // `dir` is normalised (resolved, or built here) and an entry's name has no separator and is
    // never . or ..: one concatenation is path.join's result, without its normalisation pass a file
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const e of entries) {
      const p = prefix + e.name;
      const rel = relDir ? `${relDir}/${e.name}` : e.name; // = toRel(cwd, p)
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p, rel);
      } else if (e.isFile() || e.isSymbolicLink()) {
        // the path, not only the name: Kubernetes manifests are recognised by their folder too (deploy/kubernetes/…)
        const kind = detectKind(rel);
        if (!kind) continue;
        if (e.isSymbolicLink()) addLink(p, kind, walkRoot);
        else add(p, kind, undefined, rel);
      }
    }
  };
  for (const raw of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, raw);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      errors.push({
        path: raw,
        message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message,
      });
      continue;
    }
    if (st.isDirectory()) {
      walkRoot = realOrUndefined(abs);
      walk(abs, relative(cwd, abs).split(sep).join('/'));
    } else {
      const kind = detectKind(abs) ?? guessKind(abs);
      const real = realOrUndefined(abs);
      if (real === abs) add(abs, kind);
      else {
        // named on the command line: its links may go anywhere inside the working directory (or
        // inside the directory that holds the named path, when that is outside it)
        const lexical = relative(cwd, abs);
        const scope = lexical.startsWith('..') || isAbsolute(lexical) ? dirname(abs) : cwd;
        addLink(abs, kind, realOrUndefined(scope));
      }
    }
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, errors };
}
