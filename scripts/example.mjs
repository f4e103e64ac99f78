#!/usr/bin/env node
// `npm run example`: copy the bundled example app to a temp directory, run the generator on it
// non-interactively through the package's bin, print every file it wrote, then remove the temp
// directory (`--keep` keeps it; every other argument is passed to `init`).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const passed = process.argv.slice(2).filter((a) => a !== '--keep');
const tmp = mkdtempSync(join(tmpdir(), 'secure-container-example-'));
// removed however the script ends (a failed run, an exception, Ctrl-C), unless --keep
const cleanup = () => {
  if (!keep) rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const dir = join(tmp, 'node-app');
cpSync(join(root, 'examples/node-app'), dir, { recursive: true });
// a git checkout, as a user's would be: the printed next steps tag images with the commit
const git = (...a) =>
  spawnSync('git', ['-c', 'user.name=example', '-c', 'user.email=example@localhost', ...a], {
    cwd: dir,
    stdio: 'ignore',
  });
if (git('init', '-q').status === 0) {
  git('add', '-A');
  git('commit', '-qm', 'example app');
}
const args = [join(root, 'dist/bin/secure-container.js'), 'init', '--yes', ...passed];
console.log(`$ cd ${dir}\n$ secure-container ${args.slice(1).join(' ')}\n`);
const r = spawnSync(process.execPath, args, { cwd: dir, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const walk = (d) =>
  readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const original = new Set(readdirSync(join(root, 'examples/node-app')));
for (const f of walk(dir).sort()) {
  const rel = relative(dir, f);
  if (original.has(rel) || rel.startsWith('.secure-container/') || rel.startsWith('.git/')) continue;
  console.log(`\n===== ${rel} =====\n${readFileSync(f, 'utf8')}`);
}
console.log(
  keep
    ? `\n(kept: the app is in ${dir}, the generator's state in ${join(dir, '.secure-container')}; remove ${tmp} when done)`
    : `\n(${tmp} is removed now; run \`npm run example -- --keep\` to keep it)`,
);
