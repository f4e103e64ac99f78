// npm run bench:audit — throughput and peak memory of `secure-container audit` vs dockerfilelint.
// Generates deterministic corpora (Dockerfiles + compose files) of several sizes in a temp dir, then
// runs every measurement in a fresh process (so peak RSS is per measurement), BENCH_RUNS times (5),
// the variants interleaved run by run (a noisy machine slows them alike), and prints medians and
// ratios. Prints figures only; asserts nothing. The machine is noisy: read ratios, not ms. Each CLI
// writes its report to a file (see REPORT: through a pipe dockerfilelint's CLI drops most of it).
//
// BENCH_SIZES: total files per corpus, half of them Dockerfiles (default 400,1600,10000: batches of
// 200, 800 and 5,000 Dockerfiles). BENCH_BASELINE=<dir>: also run the CLI built in another checkout
// (dist/ of, e.g., `git archive <rev> | tar -x` built with `npm run build`), for before/after figures.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '400,1600,10000').split(',').map(Number);
const BASELINE = process.env.BENCH_BASELINE;
/** threads of the "N threads" figures (at least 2; the CLI picks its own: lib/audit/parallel.ts defaultJobs) */
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
  const c0 = process.cpuUsage();
  let files = 0;
  let findings = 0;
  if (kind === 'sc' || kind === 'sc-threads') {
    const { discover } = await import('../lib/audit/discover.js');
    const { auditTargetsAuto } = await import('../lib/audit/parallel.js');
    const found = discover([dir], dir);
    // the CLI's path (auditTargetsAuto: JIT settings for a batch, threads), with the threads fixed
    const report = await auditTargetsAuto(found.files, {}, { jobs: kind === 'sc' ? 1 : JOBS, minFiles: 0 });
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
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  process.stdout.write(JSON.stringify({ ms, files, findings, maxRssKb: process.resourceUsage().maxRSS, cpuMs }) + '\n');
}

// ---- harness ---------------------------------------------------------------------------------
interface Sample {
  /** CPU time of the whole process, every thread (user + system): steadier than wall time on a busy machine */
  cpuMs: number;
  ms: number;
  rssKb: number;
  files: number;
}

const PRELOAD = join(mkdtempSync(join(tmpdir(), 'sc-bench-pre-')), 'maxrss.cjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeSync(2, '\\nMAXRSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
);

/** spawnSync's result as it is at run time: stdout/stderr are null when the process could not be started */
type Spawned = Omit<SpawnSyncReturns<string>, 'stdout' | 'stderr'> & { stdout: string | null; stderr: string | null };

/**
 * A CLI's report goes to a file, as a CI job redirects it (`> report.json`). Not to a pipe:
 * dockerfilelint's CLI exits right after console.log, so through a pipe it writes only what fits
 * the pipe's buffer (64 KB of its 4.5 MB JSON on 5,000 Dockerfiles) and skips the rest.
 */
const REPORT = join(mkdtempSync(join(tmpdir(), 'sc-bench-out-')), 'report');

function timeProcess(args: string[], files: number, env: Record<string, string> = {}): Sample {
  const out = openSync(REPORT, 'w');
  const t0 = process.hrtime.bigint();
  const p: Spawned = spawnSync(process.execPath, ['--require', PRELOAD, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(out);
  const m = /MAXRSS (\d+) CPU (\d+)/.exec(p.stderr ?? '');
  if (!m) throw new Error(`no MAXRSS from ${args.join(' ')}: ${p.stderr?.slice(0, 500)}`);
  // exit codes differ (dockerfilelint exits with its issue count); a crash shows as a stack trace
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(p.stderr ?? '')) throw new Error(`${args[0]} crashed: ${p.stderr?.slice(0, 500)}`);
  return { ms, rssKb: Number(m[1]), cpuMs: Number(m[2]) / 1000, files };
}

function timeWorker(kind: string, dir: string): Sample {
  const p: Spawned = spawnSync(process.execPath, [SELF, '--worker', kind, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const line = (p.stdout ?? '').trim().split('\n').pop() ?? '';
  if (!line) throw new Error(`worker ${kind} failed: ${(p.stderr ?? '').slice(0, 800)}`);
  const r = JSON.parse(line) as { ms: number; files: number; maxRssKb: number; cpuMs: number };
  return { ms: r.ms, rssKb: r.maxRssKb, cpuMs: r.cpuMs, files: r.files };
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  label: string;
  ms: number;
  cpuMs: number;
  rssMb: number;
  files: number;
  /** files per second of wall time */
  fps: number;
  /** files per CPU second (every thread) */
  fpc: number;
}

/** Run every measurement RUNS times, interleaved (run 1 of each, then run 2 of each, …); medians. */
function measureAll(defs: { label: string; run: () => Sample }[]): Row[] {
  const samples = defs.map(() => [] as Sample[]);
  for (let i = 0; i < RUNS; i++) defs.forEach((d, k) => samples[k].push(d.run()));
  return defs.map((d, k) => {
    const ms = median(samples[k].map((x) => x.ms));
    const cpuMs = median(samples[k].map((x) => x.cpuMs));
    const files = samples[k][0].files;
    return {
      label: d.label,
      ms,
      cpuMs,
      rssMb: median(samples[k].map((x) => x.rssKb)) / 1024,
      files,
      fps: (files / ms) * 1000,
      fpc: (files / cpuMs) * 1000,
    };
  });
}

/** The package's bin in a checkout (package.json "bin"), as a user runs it; older builds: the audit's own entry. */
function cliOf(root: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    const bin = join(root, pkg.bin?.['secure-container'] ?? 'dist/bin/secure-container.js');
    readFileSync(bin);
    return [bin, 'audit'];
  } catch {
    return [join(root, 'dist/lib/audit/main.js')];
  }
}

function main(): void {
  const cli = cliOf(ROOT);
  const base = BASELINE ? cliOf(BASELINE) : null;
  const dflBin = join(ROOT, 'node_modules/dockerfilelint/bin/dockerfilelint');
  console.log(
    `secure-container audit vs dockerfilelint — node ${process.version}, ${availableParallelism()} CPUs, ${RUNS} runs per figure (median, interleaved), sizes ${SIZES.join(', ')}`,
  );
  console.log(
    `CLI: node ${cli.map((c) => c.replace(ROOT, '')).join(' ')} DIR --format json --fail-on none ("auto": the threads the CLI picks; "1 thread": SECURE_CONTAINER_AUDIT_JOBS=1; "${JOBS} threads": =${JOBS})`,
  );
  if (base) console.log(`baseline: node ${base.join(' ')} (BENCH_BASELINE)`);
  const growth: { total: number; df: number; ms: number; dfMs: number; dflMs: number; rss: number }[] = [];
  for (const total of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
    makeCorpus(dir, total);
    const dfDir = join(dir, 'dockerfiles');
    const dfFiles = readdirSync(dfDir).map((n) => join(dfDir, n));
    const n = dfFiles.length;
    const args = (d: string): string[] => [d, '--format', 'json', '--fail-on', 'none'];
    const jobs = (j: number) => ({ SECURE_CONTAINER_AUDIT_JOBS: String(j) });
    const defs = [
      {
        label: 'secure-container CLI auto, Dockerfiles + compose',
        run: () => timeProcess([...cli, ...args(dir)], total),
      },
      { label: 'secure-container CLI auto, Dockerfiles', run: () => timeProcess([...cli, ...args(dfDir)], n) },
      {
        label: 'secure-container CLI 1 thread, Dockerfiles',
        run: () => timeProcess([...cli, ...args(dfDir)], n, jobs(1)),
      },
      {
        label: `secure-container CLI ${JOBS} threads, Dockerfiles`,
        run: () => timeProcess([...cli, ...args(dfDir)], n, jobs(JOBS)),
      },
      {
        label: 'dockerfilelint CLI (-o json), Dockerfiles',
        run: () => timeProcess([dflBin, '-o', 'json', ...dfFiles], n),
      },
      ...(base
        ? [
            { label: 'baseline CLI auto, Dockerfiles', run: () => timeProcess([...base, ...args(dfDir)], n) },
            {
              label: 'baseline CLI 1 thread, Dockerfiles',
              run: () => timeProcess([...base, ...args(dfDir)], n, jobs(1)),
            },
            {
              label: `baseline CLI ${JOBS} threads, Dockerfiles`,
              run: () => timeProcess([...base, ...args(dfDir)], n, jobs(JOBS)),
            },
          ]
        : []),
      { label: 'secure-container in-process 1 thread, Dockerfiles', run: () => timeWorker('sc', dfDir) },
      { label: `secure-container in-process ${JOBS} threads, Dockerfiles`, run: () => timeWorker('sc-threads', dfDir) },
      { label: 'dockerfilelint API in-process, Dockerfiles', run: () => timeWorker('dfl', dfDir) },
    ];
    const rows = measureAll(defs);
    const row = (label: string): Row =>
      rows.find((r) => r.label === label) ?? rows.find((r) => r.label.startsWith(label)) ?? rows[0];
    const dfl = row('dockerfilelint CLI');
    growth.push({
      total,
      df: n,
      ms: rows[0].ms,
      dfMs: row('secure-container CLI auto, Dockerfiles').ms,
      dflMs: dfl.ms,
      rss: rows[0].rssMb,
    });
    console.log(`\n== ${total} files (${n} Dockerfiles, ${total - n} compose files) ==`);
    console.log(
      `${'measurement'.padEnd(56)} ${'files'.padStart(6)} ${'median ms'.padStart(10)} ${'files/s'.padStart(9)} ${'CPU ms'.padStart(8)} ${'files/CPU-s'.padStart(12)} ${'peak RSS MB'.padStart(12)}`,
    );
    for (const r of rows)
      console.log(
        `${r.label.padEnd(56)} ${String(r.files).padStart(6)} ${r.ms.toFixed(0).padStart(10)} ${r.fps.toFixed(0).padStart(9)} ${r.cpuMs.toFixed(0).padStart(8)} ${r.fpc.toFixed(0).padStart(12)} ${r.rssMb.toFixed(1).padStart(12)}`,
      );
    // wall-time ratios (what the goal is about) and CPU-time ratios (steadier when the machine is busy)
    const ratios = (pick: (r: Row) => number): string => {
      const x = (label: string): string => (pick(row(label)) / pick(dfl)).toFixed(2);
      return (
        `auto ${x('secure-container CLI auto, Dockerfiles')}x, 1 thread ${x('secure-container CLI 1 thread')}x, ` +
        `${JOBS} threads ${x(`secure-container CLI ${JOBS} threads`)}x` +
        (base
          ? `; baseline auto ${x('baseline CLI auto')}x, 1 thread ${x('baseline CLI 1 thread')}x, ${JOBS} threads ${x(`baseline CLI ${JOBS} threads`)}x`
          : '')
      );
    };
    console.log(`secure-container / dockerfilelint, CLIs on ${n} Dockerfiles, files/s:     ${ratios((r) => r.fps)}`);
    console.log(`secure-container / dockerfilelint, CLIs on ${n} Dockerfiles, files/CPU-s: ${ratios((r) => r.fpc)}`);
    console.log(
      `in-process, 1 thread vs the dockerfilelint API: files/s ${(row('secure-container in-process 1').fps / row('dockerfilelint API').fps).toFixed(2)}x`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  if (growth.length > 1) {
    const [a] = growth;
    console.log(
      '\nGrowth with corpus size (time ratio / file ratio: 1.00 = linear) and peak RSS (flat = memory does not grow with it):',
    );
    for (const g of growth.slice(1)) {
      const f = g.total / a.total;
      console.log(
        `  ${a.total} -> ${g.total} files (x${f.toFixed(2)}): CLI auto, Dockerfiles + compose x${(g.ms / a.ms).toFixed(2)} time (linearity ${(g.ms / a.ms / f).toFixed(2)}), ` +
          `Dockerfiles ${(g.dfMs / a.dfMs / f).toFixed(2)}, dockerfilelint ${(g.dflMs / a.dflMs / f).toFixed(2)}; peak RSS ${a.rss.toFixed(0)} -> ${g.rss.toFixed(0)} MB`,
      );
    }
  }
}

if (process.argv[2] === '--worker') await worker(process.argv[3], process.argv[4]);
else if (process.argv[2] === '--make') makeCorpus(process.argv[3], Number(process.argv[4]));
else main();
