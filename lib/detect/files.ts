// The only I/O of detection: a bounded, read-on-demand view of a repository.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../fs/safe.js';

/** What the detectors see of a repository: relative POSIX paths and a lazy reader. */
export interface RepoFiles {
  /** files (not directories), relative POSIX paths, e.g. "src/server.ts" */
  list: string[];
  /** text of a file, or undefined when absent, unreadable, too large or not allowed */
  read(path: string): string | undefined;
}

/** Files larger than this are ignored (never read). */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Directory levels listed below the root ("cmd/api/main.go" is depth 3, "src/pkg/app/x.py" 4):
 * six, so Express routers under src/api/routes/v1/ and Java sources under src/main/java/<pkg>/ are
 * seen; MAX_ENTRIES still bounds the listing.
 */
export const MAX_DEPTH = 6;
/** Upper bound on listed files; listing stops (deterministically, breadth-first) beyond it. */
export const MAX_ENTRIES = 5000;

/** Directories never listed: dependencies, VCS data, build output, caches, virtualenvs. */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'vendor',
  'bower_components',
  'jspm_packages',
  '__pycache__',
  'site-packages',
  'venv',
  'env',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  'tmp',
  'temp',
  'htmlcov',
]);

/**
 * `.env` and its local variants may hold real secrets: detection never reads them. Only the
 * committed templates (.env.example, .env.sample, .env.template, .env.dist) are readable.
 */
export function isSecretEnvFile(path: string): boolean {
  const b = path.slice(path.lastIndexOf('/') + 1);
  if (!/^\.env(?:$|[.\-_])/i.test(b) && !/\.env$/i.test(b)) return false;
  return !/^\.env[.\-_](?:example|sample|template|dist|defaults)$/i.test(b);
}

function readAllowed(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  if (path.split('/').some((s) => s === '..' || s === '' || s === '.')) return false;
  if (isSecretEnvFile(path)) return false;
  // key material is never needed to detect anything
  return !/(?:\.pem|\.key|\.p12|\.pfx|(?:^|\/)id_(?:rsa|ed25519|ecdsa|dsa)[^/]*)$/i.test(path);
}

/** An in-memory repository (tests, or callers that already hold the files). */
export function memoryFiles(files: Record<string, string>): RepoFiles {
  const list = Object.keys(files).sort();
  return {
    list,
    read: (p) => (readAllowed(p) && Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined),
  };
}

/**
 * Lists `root` breadth-first (sorted, bounded by MAX_DEPTH/MAX_ENTRIES, skipping SKIP_DIRS and
 * dot-directories, never following symlinks) and returns a reader that opens a file only when a
 * detector asks for it, refuses secrets and files over MAX_FILE_BYTES.
 */
export async function listRepo(root: string): Promise<RepoFiles> {
  const list: string[] = [];
  let level: string[] = [''];
  for (let d = 1; d <= MAX_DEPTH && level.length > 0 && list.length < MAX_ENTRIES; d++) {
    // one level at a time (breadth-first), its directories read concurrently, results in sorted order
    const entries = await Promise.all(level.map((rel) => readDirBounded(rel === '' ? root : join(root, rel))));
    const next: string[] = [];
    level.forEach((rel, k) => {
      for (const e of entries[k]) {
        const p = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.file) {
          if (list.length < MAX_ENTRIES) list.push(p);
        } else if (e.dir && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) {
          next.push(p);
        }
      }
    });
    level = next;
  }
  // vendor/ is skipped, but whether it holds vendored Go modules decides the build (presence only;
  // a linked vendor/ directory or a non-regular modules.txt does not count)
  const isReal = async (p: string, dir: boolean): Promise<boolean> =>
    lstat(join(root, p)).then(
      (st) => !st.isSymbolicLink() && (dir ? st.isDirectory() : st.isFile()),
      () => false,
    );
  if (
    !list.includes('vendor/modules.txt') &&
    (await isReal('vendor', true)) &&
    (await isReal('vendor/modules.txt', false))
  )
    list.push('vendor/modules.txt');
  list.sort();
  const known = new Set(list);
  const cache = new Map<string, string | undefined>();
  return {
    list,
    read(p: string): string | undefined {
      if (cache.has(p)) return cache.get(p);
      let text: string | undefined;
      if (known.has(p) && readAllowed(p)) text = readSmall(join(root, p));
      cache.set(p, text);
      return text;
    },
  };
}

async function readDirBounded(abs: string): Promise<{ name: string; file: boolean; dir: boolean }[]> {
  const names: { name: string; file: boolean; dir: boolean }[] = [];
  try {
    const dir = await opendir(abs, { bufferSize: 256 });
    for await (const e of dir) {
      names.push({ name: e.name, file: e.isFile(), dir: e.isDirectory() });
      if (names.length > MAX_ENTRIES) break;
    }
  } catch {
    return [];
  }
  return names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Regular files only, never through a symlink (swapped in after listing), capped (lib/fs/safe.ts). */
function readSmall(abs: string): string | undefined {
  const r = readRegularFile(abs, { maxBytes: MAX_FILE_BYTES });
  return r.ok ? r.text : undefined;
}

/** Is `root` a directory we can list? (used by detectRepo for a clear error) */
export async function isDirectory(root: string): Promise<boolean> {
  try {
    return (await lstat(root)).isDirectory();
  } catch {
    return false;
  }
}
