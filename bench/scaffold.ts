// `npm run bench`: median wall time and peak memory of a full non-interactive scaffold through the
// package's bin on the bundled Node example, side by side in the same run with
// @flydotio/dockerfile on a copy of the same app. Prints figures; asserts nothing.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, runNode, type Sample } from './lib.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = join(root, 'examples/node-app');
const ours = join(root, 'dist/bin/secure-container.js');
const require = createRequire(import.meta.url);
const flyPkg = require.resolve('@flydotio/dockerfile/package.json');
const theirs = join(dirname(flyPkg), 'index.js');
const runs = Number(process.env.BENCH_RUNS ?? 9);

function freshCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sc-bench-')), 'app');
  cpSync(example, dir, { recursive: true });
  return dir;
}

const results: Record<'ours' | 'theirs', Sample[]> = { ours: [], theirs: [] };
// warm-up (file cache), then alternate the two so machine noise hits both alike
for (let i = -1; i < runs; i++) {
  for (const who of i % 2 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const)) {
    const dir = freshCopy();
    const s = who === 'ours' ? runNode([ours, 'init', '--yes'], dir) : runNode([theirs, '--force'], dir);
    if (i >= 0) results[who].push(s);
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

const m = (who: 'ours' | 'theirs', k: keyof Sample): number => median(results[who].map((s) => s[k]));
console.log(`scaffold benchmark: ${runs} runs each, alternating, on examples/node-app (fresh copy per run)`);
console.log(
  `  secure-container init --yes   median ${fmt(m('ours', 'ms'))} ms   peak RSS ${fmt(m('ours', 'rssMiB'), 1)} MiB   (writes Dockerfile, .dockerignore, compose.yaml, README.Docker.md + state)`,
);
console.log(
  `  @flydotio/dockerfile --force  median ${fmt(m('theirs', 'ms'))} ms   peak RSS ${fmt(m('theirs', 'rssMiB'), 1)} MiB   (writes a Dockerfile)`,
);
console.log(
  `  ratio ours/theirs: time ${fmt(m('ours', 'ms') / m('theirs', 'ms'), 2)}x (target <= 0.5x), memory ${fmt(m('ours', 'rssMiB') / m('theirs', 'rssMiB'), 2)}x`,
);
console.log(
  `  all samples (ms): ours [${results.ours.map((s) => fmt(s.ms)).join(', ')}]  theirs [${results.theirs.map((s) => fmt(s.ms)).join(', ')}]`,
);
