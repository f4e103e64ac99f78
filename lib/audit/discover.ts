// Find the Dockerfiles and compose files to audit. Directories are walked recursively (node_modules
// and .git skipped, symlinked directories not followed); explicit files are always audited.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { detectKind } from '../policy/kinds.js';
import type { FileKind } from '../policy/types.js';

export interface AuditTarget {
  /** absolute path */
  abs: string;
  /** path relative to cwd, forward slashes (used in every output format) */
  rel: string;
  kind: FileKind;
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

/** An explicitly named file whose name is not recognised: YAML → compose, anything else → Dockerfile. */
function guessKind(path: string): FileKind {
  return /\.ya?ml$/i.test(path) ? 'compose' : 'dockerfile';
}

export function discover(paths: readonly string[], cwd: string): DiscoveryResult {
  const files: AuditTarget[] = [];
  const errors: DiscoveryResult['errors'] = [];
  const seen = new Set<string>();
  const add = (abs: string, kind: FileKind): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, rel: toRel(cwd, abs), kind });
  };
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ path: toRel(cwd, dir), message: (e as Error).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() || e.isSymbolicLink()) {
        const kind = detectKind(e.name);
        if (!kind) continue;
        if (e.isSymbolicLink()) {
          try {
            if (!statSync(p).isFile()) continue;
          } catch {
            continue; // dangling link
          }
        }
        add(p, kind);
      }
    }
  };
  for (const raw of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, raw);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      errors.push({ path: raw, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else add(abs, detectKind(abs) ?? guessKind(abs));
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, errors };
}
