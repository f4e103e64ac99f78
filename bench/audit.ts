// npm run bench:audit — throughput and peak memory of `secure-container audit` vs dockerfilelint.
// Generates deterministic corpora (Dockerfiles + compose files) of several sizes in a temp dir, then
// runs every measurement in a fresh process (so peak RSS is per measurement), >= 3 times, and prints
// medians and ratios. Prints figures only; asserts nothing. The machine is noisy: read ratios, not ms.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '2500,5000,10000').split(',').map(Number);
/** threads of the parallel audit (the CLI's default: os.availableParallelism()) */
const JOBS = Math.max(2, availableParallelism());

// ---- deterministic corpus -------------------------------------------------------------------
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dockerfile(r: () => number, i: number): string {
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const base = pick([
    'node:22-alpine',
    'node:18',
    'python:3.12-slim',
    'python:3.11',
    'golang:1.23',
    'ubuntu:22.04',
    'debian:12-slim',
    'alpine:3.20',
    'nginx:1.27',
    'openjdk:17',
    'someone/base:1',
    'node',
  ]);
  const lines: string[] = [];
  if (r() < 0.3) lines.push(`ARG TAG=${pick(['22', 'latest', '3.12'])}`);
  const multi = r() < 0.5;
  if (multi) {
    lines.push(`FROM ${base} AS build`, 'WORKDIR /src', 'COPY . .');
    lines.push(
      pick([
        'RUN npm ci && npm run build',
        'RUN go build -o /out/app ./...',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'RUN make',
      ]),
    );
  }
  lines.push(
    `FROM ${multi ? pick(['gcr.io/distroless/static-debian12:nonroot', 'alpine:3.20', 'node:22-alpine', 'scratch']) : base}`,
  );
  const n = 3 + Math.floor(r() * 12);
  for (let k = 0; k < n; k++) {
    lines.push(
      pick([
        'RUN apt-get update && apt-get install -y curl ca-certificates',
        'RUN apt-get update \\\n  && apt-get install -y --no-install-recommends libpq5 \\\n  && rm -rf /var/lib/apt/lists/*',
        'RUN apk add --no-cache tini',
        'RUN apk add curl',
        `RUN curl -fsSL https://get.example.com/${i} | sh`,
        'RUN sudo chown -R app /app',
        'COPY package.json package-lock.json ./',
        'COPY . .',
        'ADD https://example.com/file.tar.gz /opt/',
        'ENV NODE_ENV=production PORT=8080',
        `ENV API_TOKEN=tok${i}`,
        'WORKDIR app',
        'WORKDIR /app',
        'EXPOSE 8080',
        'EXPOSE 22',
        'RUN pip install -r requirements.txt',
        'LABEL org.opencontainers.image.source="https://example.com/r"',
        'VOLUME /data',
        '# a comment line',
      ]),
    );
  }
  if (r() < 0.5) lines.push(pick(['USER 10001:10001', 'USER root', 'USER node', 'USER 0']));
  // with an option: dockerfilelint 1.8.0 crashes (TypeError in is_valid_healthcheck) on any `HEALTHCHECK CMD …` without one
  if (r() < 0.4)
    lines.push(
      pick(['HEALTHCHECK --interval=30s CMD ["/app/health"]', 'HEALTHCHECK --interval=30s CMD /app/health || exit 1']),
    );
  lines.push(
    pick([
      'CMD ["node", "server.js"]',
      'CMD npm start',
      'ENTRYPOINT ["/app"]',
      'CMD python app.py',
      'CMD ["/usr/bin/supervisord"]',
    ]),
  );
  return lines.join('\n') + '\n';
}

function compose(r: () => number, i: number): string {
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const out = ['services:'];
  const n = 1 + Math.floor(r() * 4);
  for (let s = 0; s < n; s++) {
    out.push(
      `  svc${s}:`,
      `    image: ${pick(['postgres:16', 'redis', 'nginx:latest', 'ghcr.io/x/y:1', 'node:22-alpine', 'hashicorp/vault:1.18'])}`,
    );
    if (r() < 0.5) out.push('    read_only: true');
    if (r() < 0.5) out.push('    user: "10001:10001"');
    if (r() < 0.2) out.push('    privileged: true');
    if (r() < 0.5) out.push('    cap_drop: [ALL]');
    if (r() < 0.3) out.push('    cap_add: [NET_ADMIN]');
    if (r() < 0.5) out.push('    security_opt:', '      - no-new-privileges:true');
    out.push(
      '    ports:',
      `      - "${pick(['', '127.0.0.1:', '0.0.0.0:'])}${pick(['80', '8080', '5432'])}:${pick(['80', '8080', '22'])}"`,
    );
    if (r() < 0.3)
      out.push(
        '    volumes:',
        `      - ${pick(['/var/run/docker.sock:/var/run/docker.sock', 'data:/data', '/etc:/host/etc', './cfg:/cfg:ro'])}`,
      );
    out.push('    environment:', `      DB_PASSWORD: ${pick(['example', '${DB_PASSWORD}'])}`, `      INDEX: "${i}"`);
    if (r() < 0.5) out.push(`    restart: ${pick(['always', 'on-failure:5', 'unless-stopped'])}`);
    if (r() < 0.5) out.push('    mem_limit: 256m', '    pids_limit: 100');
    if (r() < 0.2) out.push('    network_mode: host');
  }
  return out.join('\n') + '\n';
}

function makeCorpus(dir: string, total: number): void {
  const r = rng(20240611);
  mkdirSync(join(dir, 'dockerfiles'), { recursive: true });
  mkdirSync(join(dir, 'compose'), { recursive: true });
  const half = Math.ceil(total / 2);
  for (let i = 0; i < half; i++)
    writeFileSync(join(dir, 'dockerfiles', `${String(i).padStart(6, '0')}.Dockerfile`), dockerfile(r, i));
  for (let i = 0; i < total - half; i++)
    writeFileSync(join(dir, 'compose', `docker-compose-${String(i).padStart(6, '0')}.yml`), compose(r, i));
}

// ---- worker mode: one in-process measurement ------------------------------------------------
async function worker(kind: string, dir: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let files = 0;
  let findings = 0;
  if (kind === 'sc' || kind === 'sc-threads') {
    const { discover } = await import('../lib/audit/discover.js');
    const { auditTargets } = await import('../lib/audit/run.js');
    const { auditTargetsParallel } = await import('../lib/audit/parallel.js');
    const found = discover([dir], dir);
    const report =
      kind === 'sc' ? auditTargets(found.files, {}) : await auditTargetsParallel(found.files, {}, { jobs: JOBS });
    files = report.files.length;
    for (const f of report.files) findings += f.findings.length;
  } else {
    const require = createRequire(import.meta.url);
    // dockerfilelint is CommonJS
    const dfl = require('dockerfilelint') as { run: (configPath: string, content: string) => unknown[] };
    for (const name of readdirSync(dir)) {
      try {
        findings += dfl.run(dir, readFileSync(join(dir, name), 'utf8')).length;
      } catch {
        findings = NaN; // a crash would make the comparison meaningless: shown as NaN
      }
      files++;
    }
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, files, findings, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
}

// ---- harness ---------------------------------------------------------------------------------
interface Sample {
  ms: number;
  rssKb: number;
  files: number;
}

const PRELOAD = join(mkdtempSync(join(tmpdir(), 'sc-bench-pre-')), 'maxrss.cjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => { require('fs').writeSync(2, '\\nMAXRSS ' + process.resourceUsage().maxRSS + '\\n'); });\n",
);

/** spawnSync's result as it is at run time: stdout/stderr are null when the process could not be started */
type Spawned = Omit<SpawnSyncReturns<string>, 'stdout' | 'stderr'> & { stdout: string | null; stderr: string | null };

function timeProcess(args: string[], files: number, env: Record<string, string> = {}): Sample {
  const t0 = process.hrtime.bigint();
  const p: Spawned = spawnSync(process.execPath, ['--require', PRELOAD, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /MAXRSS (\d+)/.exec(p.stderr ?? '');
  if (!m) throw new Error(`no MAXRSS from ${args.join(' ')}: ${p.stderr?.slice(0, 500)}`);
  // exit codes differ (dockerfilelint exits with its issue count); a crash shows as a stack trace
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(p.stderr ?? '')) throw new Error(`${args[0]} crashed: ${p.stderr?.slice(0, 500)}`);
  return { ms, rssKb: Number(m[1]), files };
}

function timeWorker(kind: string, dir: string): Sample {
  const p: Spawned = spawnSync(process.execPath, [SELF, '--worker', kind, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const line = (p.stdout ?? '').trim().split('\n').pop() ?? '';
  if (!line) throw new Error(`worker ${kind} failed: ${(p.stderr ?? '').slice(0, 800)}`);
  const r = JSON.parse(line) as { ms: number; files: number; maxRssKb: number };
  return { ms: r.ms, rssKb: r.maxRssKb, files: r.files };
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(
  label: string,
  f: () => Sample,
): { label: string; ms: number; rssMb: number; files: number; fps: number } {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(f());
  const ms = median(samples.map((s) => s.ms));
  const files = samples[0].files;
  return { label, ms, rssMb: median(samples.map((s) => s.rssKb)) / 1024, files, fps: (files / ms) * 1000 };
}

function main(): void {
  const bin = join(ROOT, 'dist/bin/secure-container.js');
  let cli: string[];
  try {
    readFileSync(bin);
    cli = [bin, 'audit'];
  } catch {
    cli = [join(ROOT, 'dist/lib/audit/main.js')];
  }
  const dflBin = join(ROOT, 'node_modules/dockerfilelint/bin/dockerfilelint');
  console.log(
    `secure-container audit vs dockerfilelint — node ${process.version}, ${RUNS} runs per figure (median), sizes ${SIZES.join(', ')}`,
  );
  console.log(
    `CLI: node ${cli.map((c) => c.replace(ROOT, '')).join(' ')} DIR --format json (threads: os.availableParallelism() = ${availableParallelism()} above 200 files; "1 thread": SECURE_CONTAINER_AUDIT_JOBS=1)`,
  );
  const growth: { total: number; ms: number; inProcessMs: number }[] = [];
  for (const total of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
    makeCorpus(dir, total);
    const dfDir = join(dir, 'dockerfiles');
    const dfFiles = readdirSync(dfDir).map((n) => join(dfDir, n));
    const serial = { SECURE_CONTAINER_AUDIT_JOBS: '1' };
    const rows = [
      measure(`secure-container CLI, Dockerfiles + compose`, () =>
        timeProcess([...cli, dir, '--format', 'json', '--fail-on', 'none'], total),
      ),
      measure('secure-container CLI, Dockerfiles only', () =>
        timeProcess([...cli, dfDir, '--format', 'json', '--fail-on', 'none'], dfFiles.length),
      ),
      measure('dockerfilelint CLI (-o json), Dockerfiles', () =>
        timeProcess([dflBin, '-o', 'json', ...dfFiles], dfFiles.length),
      ),
      measure('secure-container in-process, Dockerfiles + compose', () => timeWorker('sc', dir)),
      measure('secure-container in-process, Dockerfiles only', () => timeWorker('sc', dfDir)),
      measure('dockerfilelint API in-process, Dockerfiles', () => timeWorker('dfl', dfDir)),
      measure(`secure-container in-process, ${JOBS} threads, Dockerfiles only`, () => timeWorker('sc-threads', dfDir)),
      measure(`secure-container in-process, ${JOBS} threads, Dockerfiles + compose`, () =>
        timeWorker('sc-threads', dir),
      ),
      measure('secure-container CLI 1 thread, Dockerfiles only', () =>
        timeProcess([...cli, dfDir, '--format', 'json', '--fail-on', 'none'], dfFiles.length, serial),
      ),
    ];
    growth.push({ total, ms: rows[0].ms, inProcessMs: rows[3].ms });
    console.log(`\n== ${total} files (${dfFiles.length} Dockerfiles, ${total - dfFiles.length} compose files) ==`);
    console.log(
      `${'measurement'.padEnd(52)} ${'files'.padStart(6)} ${'median ms'.padStart(10)} ${'files/s'.padStart(9)} ${'peak RSS MB'.padStart(12)}`,
    );
    for (const r of rows)
      console.log(
        `${r.label.padEnd(52)} ${String(r.files).padStart(6)} ${r.ms.toFixed(0).padStart(10)} ${r.fps.toFixed(0).padStart(9)} ${r.rssMb.toFixed(1).padStart(12)}`,
      );
    console.log(
      `ratio files/s secure-container / dockerfilelint (Dockerfiles only): CLI ${(rows[1].fps / rows[2].fps).toFixed(2)}x (1 thread ${(rows[8].fps / rows[2].fps).toFixed(2)}x), ` +
        `in-process ${(rows[4].fps / rows[5].fps).toFixed(2)}x, in-process ${JOBS} threads ${(rows[6].fps / rows[5].fps).toFixed(2)}x`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  if (growth.length > 1) {
    const [a] = growth;
    console.log(
      '\nGrowth of the CLI (Dockerfiles + compose) with corpus size (time ratio vs file ratio; 1.0 = linear):',
    );
    for (const g of growth.slice(1))
      console.log(
        `  ${a.total} -> ${g.total} files: x${(g.total / a.total).toFixed(2)} files, x${(g.ms / a.ms).toFixed(2)} time, linearity ${(g.ms / a.ms / (g.total / a.total)).toFixed(2)}`,
      );
    console.log('Growth in-process, 1 thread (Dockerfiles + compose):');
    for (const g of growth.slice(1))
      console.log(
        `  ${a.total} -> ${g.total} files: x${(g.total / a.total).toFixed(2)} files, x${(g.inProcessMs / a.inProcessMs).toFixed(2)} time, linearity ${(g.inProcessMs / a.inProcessMs / (g.total / a.total)).toFixed(2)}`,
      );
  }
}

if (process.argv[2] === '--worker') await worker(process.argv[3], process.argv[4]);
else if (process.argv[2] === '--make') makeCorpus(process.argv[3], Number(process.argv[4]));
else main();
