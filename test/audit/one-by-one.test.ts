// A JSON report is written as the files are audited (lib/audit/cli.ts): the same bytes and exit code
// as the report built whole, and really one file (serial) or one batch (threaded, in path order) at a
// time: a part is out before the next one is read, so memory does not grow with the findings.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { discover } from '../../lib/audit/discover.js';
import { chunksOfBatches, formatJson, jsonChunksOf, JsonChunks } from '../../lib/audit/format.js';
import { auditBatchesInOrder, JOBS_ENV } from '../../lib/audit/parallel.js';
import {
  auditTargets,
  auditTargetsOneByOne,
  exitCodeOf,
  summarize,
  Tally,
  type FileReport,
} from '../../lib/audit/run.js';
import type { FailOn } from '../../lib/policy/config.js';
import { run } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/audit/corpus', import.meta.url));
const saved = process.env[JOBS_ENV];
afterEach(() => {
  if (saved === undefined) Reflect.deleteProperty(process.env, JOBS_ENV);
  else process.env[JOBS_ENV] = saved;
});

describe('the JSON report written one file at a time', () => {
  it('has the bytes, summary and exit code of the report built whole, for every failOn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-1by1-'));
    cpSync(CORPUS, dir, { recursive: true });
    const { files } = discover([dir], dir);
    for (const failOn of ['error', 'warning', 'info', 'none'] as FailOn[]) {
      const whole = auditTargets(files, { failOn });
      const tally = new Tally(failOn);
      const text = [...jsonChunksOf(auditTargetsOneByOne(files, { failOn }, tally), () => tally.summary())].join('');
      expect(text).toBe(formatJson(whole));
      expect(tally.summary()).toEqual(summarize(whole));
      expect(tally.exitCode()).toBe(exitCodeOf(whole));
    }
    // no file at all
    const none = new Tally('error');
    expect([...jsonChunksOf(auditTargetsOneByOne([], {}, none), () => none.summary())].join('')).toBe(
      formatJson({ files: [], failOn: 'error', unreadable: false }),
    );
  });

  it('writes a file’s part before it reads the next file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-1by1-'));
    writeFileSync(join(dir, 'a.Dockerfile'), 'FROM alpine:3.20\n');
    writeFileSync(join(dir, 'b.Dockerfile'), 'FROM alpine:3.20\n');
    const { files } = discover([dir], dir);
    const tally = new Tally('error');
    const chunks = jsonChunksOf(auditTargetsOneByOne(files, {}, tally), () => tally.summary());
    let seen = '';
    for (const c of chunks) {
      seen += c;
      // once a.Dockerfile's part is out, b.Dockerfile changes: the report shows what was read after
      if (c.includes('a.Dockerfile')) writeFileSync(join(dir, 'b.Dockerfile'), 'FROM node\n');
    }
    const doc = JSON.parse(seen) as { files: { path: string; findings: { rule: string }[] }[] };
    const b = doc.files.find((f) => f.path.endsWith('b.Dockerfile'));
    expect(b?.findings.map((f) => f.rule)).toContain('SC1004'); // FROM node: no tag
  });

  it('threaded, is written a batch at a time in path order, the bytes of the serial report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-1by1-'));
    cpSync(CORPUS, dir, { recursive: true });
    for (let i = 0; i < 60; i++)
      writeFileSync(join(dir, `${String(i).padStart(3, '0')}.Dockerfile`), `FROM node:${i % 3 ? '22' : 'latest'}\n`);
    const { files } = discover([dir], dir);
    const whole = auditTargets(files, {});
    const tally = new Tally('error');
    const batches: number[] = [];
    let text = '';
    const counted = async function* (): AsyncGenerator<FileReport[]> {
      for await (const b of auditBatchesInOrder(files, {}, tally, { jobs: 2, batchSize: 4 })) {
        batches.push(b.length);
        yield b;
      }
    };
    for await (const c of chunksOfBatches(new JsonChunks(), counted(), () => tally.summary())) text += c;
    expect(text).toBe(formatJson(whole));
    expect(tally.summary()).toEqual(summarize(whole));
    expect(batches.length).toBe(Math.ceil(files.length / 4));
  });

  it('threaded, writes a batch before the main thread audits the next one (no worker: it never started)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-1by1-'));
    writeFileSync(join(dir, 'a.Dockerfile'), 'FROM alpine:3.20\n');
    writeFileSync(join(dir, 'b.Dockerfile'), 'FROM alpine:3.20\n');
    const failing = join(dir, 'failing.mjs');
    writeFileSync(failing, "throw new Error('cannot start');\n");
    const { files } = discover([join(dir, 'a.Dockerfile'), join(dir, 'b.Dockerfile')], dir);
    const tally = new Tally('error');
    const opts = { jobs: 2, batchSize: 1, workerScript: pathToFileURL(failing) };
    let seen = '';
    for await (const c of chunksOfBatches(new JsonChunks(), auditBatchesInOrder(files, {}, tally, opts), () =>
      tally.summary(),
    )) {
      seen += c;
      if (c.includes('a.Dockerfile')) writeFileSync(join(dir, 'b.Dockerfile'), 'FROM node\n');
    }
    const doc = JSON.parse(seen) as { files: { path: string; findings: { rule: string }[] }[] };
    expect(doc.files.map((f) => f.path)).toEqual(['a.Dockerfile', 'b.Dockerfile']);
    expect(doc.files[1].findings.map((f) => f.rule)).toContain('SC1004'); // FROM node: no tag
  });

  it('the CLI prints the same JSON and exit code serial and on two threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-1by1-'));
    cpSync(CORPUS, dir, { recursive: true });
    // enough files for the threaded path
    for (let i = 0; i < 220; i++)
      writeFileSync(join(dir, `${String(i).padStart(3, '0')}.Dockerfile`), `FROM node:${i % 3 ? '22' : 'latest'}\n`);
    process.env[JOBS_ENV] = '1';
    const serial = await run(['--format', 'json'], dir);
    process.env[JOBS_ENV] = '2';
    const threads = await run(['--format', 'json'], dir);
    expect(serial.code).toBe(1);
    expect(serial).toEqual(threads);
    process.env[JOBS_ENV] = '1';
    const none = await run(['--format', 'json', '--fail-on', 'none'], dir);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ summary: { failOn: 'none', failed: false } });
  });
});
