// A bounded listing of a directory tree, the way a container build context sees it: every file and
// symlink, relative and `/`-separated. Never follows a symlink below the root (entry types come from readdir's
// d_type, i.e. lstat semantics; an unknown type is settled with lstat), visits each directory once
// (linear in the number of entries), and stops at maxEntries / maxDepth, saying so.
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface WalkOptions {
  /** stop after this many entries (files, symlinks and directories); default 20,000 */
  maxEntries?: number;
  /** do not descend below this depth (the root's children are depth 1); default 24 */
  maxDepth?: number;
  /** directories not to walk into (relative path); they are listed in `pruned` */
  prune?: (relDir: string) => boolean;
}

export interface WalkResult {
  /** regular files, symlinks and other non-directories, in walk order */
  files: string[];
  /** directories skipped by `prune` */
  pruned: string[];
  /** true when a bound was hit or a directory could not be read: the listing is incomplete */
  truncated: boolean;
}

export const WALK_DEFAULTS = { maxEntries: 20_000, maxDepth: 24 } as const;

export function walkTree(root: string, opts: WalkOptions = {}): WalkResult {
  const maxEntries = opts.maxEntries ?? WALK_DEFAULTS.maxEntries;
  const maxDepth = opts.maxDepth ?? WALK_DEFAULTS.maxDepth;
  const files: string[] = [];
  const pruned: string[] = [];
  let truncated = false;
  let seen = 0;
  // the root is the directory the user chose: like `docker build <dir>`, a link to it is resolved
  // (statSync); nothing below it is ever followed
  try {
    if (!statSync(root).isDirectory()) return { files, pruned, truncated: true };
  } catch {
    return { files, pruned, truncated: true };
  }
  // depth-first with an explicit stack (no recursion limit); the result is sorted for a stable order
  const stack: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { rel, depth } = next;
    let entries: Dirent[];
    try {
      entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
    } catch {
      truncated = true;
      continue;
    }
    for (const e of entries) {
      if (++seen > maxEntries) return { files: files.sort(), pruned: pruned.sort(), truncated: true };
      const path = rel ? `${rel}/${e.name}` : e.name;
      let dir = e.isDirectory();
      if (!dir && !e.isFile() && !e.isSymbolicLink()) {
        // readdir could not tell the type (some file systems): ask lstat, which never follows links
        try {
          dir = lstatSync(join(root, path)).isDirectory();
        } catch {
          dir = false;
        }
      }
      if (!dir) {
        files.push(path);
        continue;
      }
      if (opts.prune?.(path)) {
        pruned.push(path);
        continue;
      }
      if (depth + 1 >= maxDepth) {
        truncated = true;
        continue;
      }
      stack.push({ rel: path, depth: depth + 1 });
    }
  }
  return { files: files.sort(), pruned: pruned.sort(), truncated };
}
