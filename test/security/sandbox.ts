// Hostile-repository sandboxes: <sandbox>/repo is the repository under test, <sandbox>/outside
// stands for everything else on the machine (a home directory, a runner's files). A test plants
// links from the repo into outside/, runs a command on the repo, and then checks that outside/ is
// byte-for-byte what it was and that no output contains the planted secret.
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../lib/cli/io.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Sandbox {
  dir: string;
  repo: string;
  outside: string;
  /** a random string planted in outside/ files: no output may ever contain it */
  secret: string;
  file(rel: string, contents: string | Buffer): void;
  link(rel: string, target: string): void;
  cleanup(): void;
}

export function sandbox(app?: 'node'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'sc-sec-'));
  const repo = join(dir, 'repo');
  const outside = join(dir, 'outside');
  mkdirSync(repo);
  mkdirSync(outside);
  if (app === 'node') cpSync(join(REPO_ROOT, 'examples/node-app'), repo, { recursive: true });
  const secret = `PLANTED-SECRET-${randomBytes(8).toString('hex')}`;
  return {
    dir,
    repo,
    outside,
    secret,
    file(rel, contents) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, contents);
    },
    link(rel, target) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      symlinkSync(target, p);
    },
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every entry under `root` (not following links): type, mode, content hash or link target. */
export function treeChecksum(root: string): string {
  const lines: string[] = [];
  const walk = (abs: string, rel: string): void => {
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) lines.push(`${rel} -> ${readlinkSync(abs)}`);
    else if (st.isDirectory()) {
      lines.push(`${rel}/ ${st.mode.toString(8)}`);
      for (const n of readdirSync(abs).sort()) walk(join(abs, n), rel ? `${rel}/${n}` : n);
    } else if (st.isFile())
      lines.push(`${rel} ${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
    else lines.push(`${rel} special ${st.mode.toString(8)}`);
  };
  walk(root, '');
  return lines.join('\n');
}

export interface Captured {
  io: Io;
  out: () => string;
  err: () => string;
  all: () => string;
}

export function capture(cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    io: { cwd, stdout: (s) => void (out += s), stderr: (s) => void (err += s), interactive: false },
    out: () => out,
    err: () => err,
    all: () => out + err,
  };
}
