// The parallel audit (worker threads) must give exactly the serial report: same files in the same
// order, same findings, same JSON text, same exit code. And the chunked JSON writer must produce
// exactly formatJson's text.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { discover } from '../../lib/audit/discover.js';
import { formatJson, formatJsonChunks, formatSarif, formatText } from '../../lib/audit/format.js';
import {
  auditTargetsAuto,
  auditTargetsParallel,
  busyNow,
  defaultJobs,
  JOBS_ENV,
  PARALLEL_MIN_FILES,
  FILES_PER_THREAD,
  FILES_PER_THREAD_TUNED,
  jitFiles,
  TUNED_MAX_FILES,
} from '../../lib/audit/parallel.js';
import { JIT_ENV, JIT_MAX_FILES } from '../../lib/audit/jit.js';
import { auditTargets } from '../../lib/audit/run.js';
import type { PolicyConfig } from '../../lib/policy/config.js';
import { run } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/audit/corpus', import.meta.url));

const DOCKERFILES = [
  'FROM node:22\nRUN apt-get update && apt-get install -y curl\nUSER root\nCMD npm start\n',
  'FROM alpine:3.20 AS build\nRUN apk add curl && curl -s https://x.example/i.sh | sh\nFROM build\nEXPOSE 22\nCMD ["/usr/sbin/sshd", "-D"]\n',
  '# secure-container-ignore SC1004: pinned by digest elsewhere\nFROM someone/base\nENV API_TOKEN=abc123\nWORKDIR app\n',
  'FROM scratch\nCOPY --from=builder --chown=1:1 /out /app\nUSER 10001\nENTRYPOINT ["/app"]\n',
  'ARG TAG=latest\nFROM python:${TAG}\nRUN pip install -r r.txt \\\n  && rm -rf /tmp/*\nHEALTHCHECK --interval=30s CMD /h || exit 1\n',
  'FROM ubuntu:22.04\nRUN <<EOF\napt-get update\napt-get install -y openssh-server\nEOF\nFOO bar\n',
  'not a dockerfile at all\n',
];
const COMPOSE = [
  'services:\n  db:\n    image: postgres\n    privileged: true\n    ports: ["5432:5432"]\n    environment:\n      DB_PASSWORD: example\n',
  'services:\n  web:\n    image: nginx:latest\n    network_mode: host\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    restart: always\n',
  'services: [\n',
  'x: 1\n',
];

/** The fixture corpus plus `n` generated files, binary/empty ones included. */
function corpus(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-par-'));
  cpSync(CORPUS, join(dir, 'corpus'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(4, '0');
    if (i % 3 === 2)
      writeFileSync(
        join(dir, `compose-${id}.yaml`),
        COMPOSE[i % COMPOSE.length].replace('image: ', `# ${i}\n    image: `),
      );
    else writeFileSync(join(dir, `${id}.Dockerfile`), DOCKERFILES[i % DOCKERFILES.length] + `LABEL n="${i}"\n`);
  }
  writeFileSync(join(dir, 'binary.Dockerfile'), Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0, 1, 2]));
  writeFileSync(join(dir, 'empty.Dockerfile'), '');
  writeFileSync(join(dir, 'latin1.Dockerfile'), Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]));
  return dir;
}

const savedJobs = process.env[JOBS_ENV];
afterEach(() => {
  if (savedJobs === undefined) Reflect.deleteProperty(process.env, JOBS_ENV);
  else process.env[JOBS_ENV] = savedJobs;
});

describe('parallel audit', () => {
  const dir = corpus(260);
  const { files: targets } = discover([dir], dir);
  const serial = auditTargets(targets, {});

  it('covers enough files to take the parallel path, with findings of every kind', () => {
    expect(targets.length).toBeGreaterThan(PARALLEL_MIN_FILES);
    const rules = new Set(serial.files.flatMap((f) => f.findings.map((x) => x.rule)));
    for (const id of ['SC0001', 'SC0002', 'SC1001', 'SC1008', 'SC1023', 'SC2001', 'SC2006'])
      expect(rules).toContain(id);
  });

  it('gives the serial report exactly, with small uneven batches across 3 threads', async () => {
    const par = await auditTargetsParallel(targets, {}, { jobs: 3, batchSize: 7 });
    expect(par.files.map((f) => f.path)).toEqual(serial.files.map((f) => f.path));
    expect(par).toEqual(serial);
    expect(formatJson(par)).toBe(formatJson(serial));
    expect(formatText(par)).toBe(formatText(serial));
    expect(formatSarif(par, { version: '1.0.0' })).toBe(formatSarif(serial, { version: '1.0.0' }));
  });

  it('applies the policy config in the workers', async () => {
    const config: PolicyConfig = {
      rules: { SC1001: 'off', SC2001: 'info' },
      allowedRegistries: ['*'],
      failOn: 'warning',
    };
    const expected = auditTargets(targets, config);
    const par = await auditTargetsParallel(targets, config, { jobs: 2 });
    expect(par).toEqual(expected);
    expect(par.files.some((f) => f.findings.some((x) => x.rule === 'SC1001'))).toBe(false);
    expect(par.files.some((f) => f.findings.some((x) => x.rule === 'SC2001' && x.severity === 'info'))).toBe(true);
    expect(par.failOn).toBe('warning');
  });

  it('falls back to the main thread when workers cannot start (config not cloneable)', async () => {
    // a function cannot cross to a worker: new Worker throws, the main thread audits everything
    const config = { rules: { SC1030: 'off' }, extra: () => 1 } as unknown as PolicyConfig;
    const par = await auditTargetsParallel(targets, config, { jobs: 2, batchSize: 16 });
    expect(par).toEqual(auditTargets(targets, config));
  });

  it('audits the batches a worker claimed but never returned (it crashed, or never started)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-par-w-'));
    // a worker that claims three batches, returns none and exits
    const crashing = join(dir, 'crashing.mjs');
    writeFileSync(
      crashing,
      "import { workerData } from 'node:worker_threads';\nAtomics.add(workerData.next, 0, 3);\nprocess.exit(1);\n",
    );
    const par = await auditTargetsParallel(
      targets,
      {},
      { jobs: 3, batchSize: 5, workerScript: pathToFileURL(crashing) },
    );
    expect(par).toEqual(serial);
    const throwing = join(dir, 'throwing.mjs');
    writeFileSync(throwing, "throw new Error('cannot start');\n");
    expect(await auditTargetsParallel(targets, {}, { jobs: 2, workerScript: pathToFileURL(throwing) })).toEqual(serial);
  });

  it('reports unreadable input like the serial path', async () => {
    const missing = [
      ...targets,
      { abs: join(dir, 'gone.Dockerfile'), rel: 'gone.Dockerfile', kind: 'dockerfile' as const },
    ];
    const par = await auditTargetsParallel(missing, {}, { jobs: 2, batchSize: 5 });
    expect(par.unreadable).toBe(true);
    expect(par).toEqual(auditTargets(missing, {}));
  });

  it('auditTargetsAuto stays serial for few files or one job and matches either way', async () => {
    expect(await auditTargetsAuto(targets.slice(0, 10), {})).toEqual(auditTargets(targets.slice(0, 10), {}));
    expect(await auditTargetsAuto(targets, {}, { jobs: 1 })).toEqual(serial);
    expect(await auditTargetsAuto(targets, {}, { jobs: 2, minFiles: 0 })).toEqual(serial);
  });

  it('the CLI prints the same JSON and exit code with threads as with SECURE_CONTAINER_AUDIT_JOBS=1', async () => {
    process.env[JOBS_ENV] = '1';
    const one = await run(['--format', 'json'], dir);
    process.env[JOBS_ENV] = '2';
    const two = await run(['--format', 'json'], dir);
    expect(JSON.parse(one.out).files.length).toBe(targets.length);
    expect(two.out).toBe(one.out);
    expect(two.err).toBe(one.err);
    expect(two.code).toBe(one.code);
    expect(one.code).toBe(1);
  });
});

describe('formatJsonChunks', () => {
  it('joins to exactly formatJson, for an empty report, empty files and a corpus', () => {
    const empty = { files: [], failOn: 'error' as const, unreadable: false };
    expect([...formatJsonChunks(empty)].join('')).toBe(formatJson(empty));
    const dir = corpus(12);
    const { files } = discover([dir], dir);
    const report = auditTargets(files, {});
    expect(report.files.some((f) => f.findings.length === 0)).toBe(true);
    const chunks = [...formatJsonChunks(report)];
    expect(chunks.length).toBeGreaterThan(report.files.length);
    expect(chunks.join('')).toBe(formatJson(report));
    const withNoFindings = { ...report, files: report.files.map((f) => ({ ...f, findings: [] })) };
    expect([...formatJsonChunks(withNoFindings)].join('')).toBe(formatJson(withNoFindings));
  });
});

describe('defaultJobs', () => {
  it('reads how busy the CPUs are now (runnable threads, this one included)', () => {
    expect(busyNow()).toBeGreaterThan(0);
  });

  it('takes SECURE_CONTAINER_AUDIT_JOBS when valid, else the CPUs other processes leave idle', () => {
    expect(defaultJobs({ [JOBS_ENV]: '3' }, 8, 7)).toBe(3);
    expect(defaultJobs({ [JOBS_ENV]: '1' }, 8, 0)).toBe(1);
    // one CPU is left to V8's optimizing compiler
    expect(defaultJobs({ [JOBS_ENV]: 'x' }, 8, 0)).toBe(7);
    expect(defaultJobs({ [JOBS_ENV]: '0' }, 4, 0.2)).toBe(3);
    expect(defaultJobs({}, 2, 0.5)).toBe(1);
    expect(defaultJobs({}, 2, 1.5)).toBe(1);
    expect(defaultJobs({}, 2, 6)).toBe(1);
    expect(defaultJobs({}, 16, 4.2)).toBe(11);
    expect(defaultJobs({}, 4, NaN)).toBe(3);
  });

  it('gives each thread at least FILES_PER_THREAD files unless the number is set', () => {
    expect(defaultJobs({}, 16, 1, TUNED_MAX_FILES + 1)).toBe(Math.floor((TUNED_MAX_FILES + 1) / FILES_PER_THREAD));
    expect(defaultJobs({}, 16, 1, 10 * FILES_PER_THREAD)).toBe(10);
    expect(defaultJobs({}, 16, 1, 100 * FILES_PER_THREAD)).toBe(15);
    expect(defaultJobs({ [JOBS_ENV]: '4' }, 16, 1, 10)).toBe(4);
  });

  it('with the batch interrupt budget (jit.ts), keeps no CPU for the optimizing compiler, a thread a FILES_PER_THREAD_TUNED files', () => {
    expect(defaultJobs({}, 16, 1, 2 * FILES_PER_THREAD_TUNED - 1)).toBe(1);
    expect(defaultJobs({}, 16, 1, 2 * FILES_PER_THREAD_TUNED)).toBe(2);
    expect(defaultJobs({}, 2, 1, 2_000)).toBe(2);
    expect(defaultJobs({}, 2, 2, 2_000)).toBe(1); // another process keeps a CPU busy
    expect(defaultJobs({}, 16, 1, JIT_MAX_FILES)).toBe(Math.floor(JIT_MAX_FILES / FILES_PER_THREAD_TUNED));
    // each thread's share is what the budget is raised for
    expect(defaultJobs({}, 2, 1, TUNED_MAX_FILES)).toBe(2);
    expect(jitFiles(TUNED_MAX_FILES, 2)).toBeLessThanOrEqual(JIT_MAX_FILES);
    expect(jitFiles(3001, 2)).toBe(1501);
    expect(jitFiles(10, 0)).toBe(10);
    // V8's default budget: the optimizing compiler gets a CPU again
    expect(defaultJobs({}, 2, 1, TUNED_MAX_FILES + 1)).toBe(1);
    expect(defaultJobs({ [JIT_ENV]: 'default' }, 2, 1, 2_000)).toBe(1);
  });
});
