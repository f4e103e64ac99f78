// A JSON report of a serial audit is written as the files are audited (lib/audit/cli.ts): the same
// bytes and exit code as the report built whole, and really one file at a time (a file's part is
// out before the next file is read), so memory does not grow with the findings.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../../lib/audit/discover.js';
import { formatJson, jsonChunksOf } from '../../lib/audit/format.js';
import { JOBS_ENV } from '../../lib/audit/parallel.js';
import { auditTargets, auditTargetsOneByOne, exitCodeOf, summarize, Tally } from '../../lib/audit/run.js';
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

  it('the CLI prints the same JSON and exit code serial (written as it goes) and on two threads (built whole)', async () => {
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
