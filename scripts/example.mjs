#!/usr/bin/env node
// `npm run example`: copy the bundled example app to a temp directory, run the generator on it
// non-interactively through the package's bin, and print every file it wrote.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(mkdtempSync(join(tmpdir(), 'secure-container-example-')), 'node-app');
cpSync(join(root, 'examples/node-app'), dir, { recursive: true });
const args = [join(root, 'dist/bin/secure-container.js'), 'init', '--yes', ...process.argv.slice(2)];
console.log(`$ cd ${dir}\n$ secure-container ${args.slice(1).join(' ')}\n`);
const r = spawnSync(process.execPath, args, { cwd: dir, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const original = new Set(readdirSync(join(root, 'examples/node-app')));
for (const f of walk(dir).sort()) {
  const rel = relative(dir, f);
  if (original.has(rel) || rel.startsWith('.secure-container/')) continue;
  console.log(`\n===== ${rel} =====\n${readFileSync(f, 'utf8')}`);
}
console.log(`\n(the generator's state is in ${join(dir, '.secure-container')}; the app is in ${dir})`);
