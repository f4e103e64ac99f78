// npm run bench:images - image outcome figures for the Node sample app (printed, never asserted):
//   1. final image size of the generated multi-stage Dockerfile vs a naive single-stage build of the same
//      app on the same builder base (ratio);
//   2. rebuild time after a source-only change vs a clean build, with layers enabled (the dependency
//      layer must be reused: the output of each rebuild is checked for the cache hit on the install step).
// Needs root and `bash test/e2e/setup.sh` (podman + stand-in base images). BENCH_RUNS (default 3).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from '../test/e2e/harness.js';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const APP = 'node-distroless';
const TAG = 'localhost/bench-images';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function sizeOf(image: string): number {
  return Number(h.must('podman', ['image', 'inspect', '--format', '{{.Size}}', image]).stdout.trim());
}

interface Built {
  ms: number;
  output: string;
}
function timedBuild(dir: string, tag: string, df: h.DockerfileFacts, o: h.BuildOptions): Built {
  const t0 = process.hrtime.bigint();
  const r = h.build(dir, tag, df, { ...o, layers: true });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, output: r.stdout + r.stderr };
}

/** buildah prints "STEP n/m: RUN ..." then "--> Using cache <id>" when a step is reused. */
function installStepCached(output: string): boolean {
  const lines = output.split('\n');
  const i = lines.findIndex((l) => /STEP \d+\/\d+: RUN .*(npm ci|npm install)/.test(l));
  return i >= 0 && /Using cache/.test(lines[i + 1] ?? '');
}

function touchSource(dir: string, n: number): void {
  fs.appendFileSync(path.join(dir, 'server.js'), `\n// bench source-only change ${n}\n`);
}

function main(): void {
  h.checkTools();
  const dir = h.copyApp({ name: APP, runtime: 'node' });
  const cleanup: string[] = [];
  try {
    h.generate(dir, [
      '--runtime',
      'node',
      '--flavor',
      'distroless',
      '--port',
      '18081',
      '--name',
      'bench-images',
      '--data-dir',
      '/data',
      '--health-path',
      '/healthz',
    ]);
    const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, `${APP}/Dockerfile`);
    const builder = df.baseImages[0];
    const naiveFile = path.join(dir, 'Dockerfile.naive');
    // the "naive" build people write first: one stage on the same builder base, sources before install
    fs.writeFileSync(
      naiveFile,
      `FROM ${builder}\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 18081\nCMD ["node", "server.js"]\n`,
    );
    const naiveDf = h.readDockerfile(fs.readFileSync(naiveFile, 'utf8'));

    // ---- 1. size
    const gen = `${TAG}:generated`;
    const naive = `${TAG}:naive`;
    cleanup.push(gen, naive);
    const clean: number[] = [];
    const naiveClean: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      clean.push(timedBuild(dir, gen, df, { noCache: true }).ms);
      naiveClean.push(timedBuild(dir, naive, naiveDf, { noCache: true, file: 'Dockerfile.naive' }).ms);
    }
    const genSize = sizeOf(gen);
    const naiveSize = sizeOf(naive);

    // ---- 2. rebuild after a source-only change (layers on, cache warm from the clean builds above)
    const rebuild: number[] = [];
    const naiveRebuild: number[] = [];
    let reused = 0;
    for (let i = 0; i < RUNS; i++) {
      touchSource(dir, i);
      const b = timedBuild(dir, gen, df, {});
      rebuild.push(b.ms);
      if (installStepCached(b.output)) reused++;
      naiveRebuild.push(timedBuild(dir, naive, naiveDf, { file: 'Dockerfile.naive' }).ms);
    }

    const rows: [string, string][] = [
      ['builder base', builder],
      ['final image (generated, multi-stage)', mib(genSize)],
      ['naive single-stage image', mib(naiveSize)],
      ['size ratio generated/naive', (genSize / naiveSize).toFixed(3)],
      [`clean build, median of ${RUNS} (generated)`, secs(median(clean))],
      [`rebuild after source-only change, median of ${RUNS} (generated)`, secs(median(rebuild))],
      ['rebuild/clean ratio (generated)', (median(rebuild) / median(clean)).toFixed(3)],
      [
        'dependency layer reused on rebuild',
        `${reused}/${RUNS} rebuilds${reused === RUNS ? '' : '  <-- NOT reused every time'}`,
      ],
      [`clean build, median of ${RUNS} (naive)`, secs(median(naiveClean))],
      [`rebuild after source-only change, median of ${RUNS} (naive)`, secs(median(naiveRebuild))],
      ['rebuild/clean ratio (naive)', (median(naiveRebuild) / median(naiveClean)).toFixed(3)],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(
      `bench:images (${APP}, podman ${h.run('podman', ['--version']).stdout.trim().split(' ').pop()}, vfs storage, layers on)`,
    );
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    console.log(
      `  raw ms: clean=${clean.map(Math.round).join(',')} rebuild=${rebuild.map(Math.round).join(',')} naiveClean=${naiveClean.map(Math.round).join(',')} naiveRebuild=${naiveRebuild.map(Math.round).join(',')}`,
    );
  } finally {
    for (const t of cleanup) h.run('podman', ['rmi', '-f', t]);
    h.run('podman', ['image', 'prune', '-f']);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
