// `yo secure-container:audit` runs the same audit as `secure-container audit` (yeoman-test).
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';

const generator = fileURLToPath(new URL('../../../dist/generators/audit/index.js', import.meta.url));
const dirs: string[] = [];
const ORIGINAL_CWD = process.cwd();
afterEach(() => {
  // yeoman-test chdirs into the run directory: leave it before deleting it (jest reuses this worker)
  process.chdir(ORIGINAL_CWD);
  process.exitCode = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  jest.restoreAllMocks();
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-audit-gen-'));
  dirs.push(dir);
  for (const [p, t] of Object.entries(files)) writeFileSync(join(dir, p), t);
  return dir;
}

describe('yo secure-container:audit', () => {
  it('reports findings in JSON and sets a failing exit code', async () => {
    const dir = repo({ Dockerfile: 'FROM ubuntu:latest\nRUN curl -s https://x.example/i.sh | sh\nCMD node s.js\n' });
    const out: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    const opts: Record<string, unknown> = { format: 'json', output: join(dir, 'report.json') };
    await helpers.run(generator, { autoCleanup: false, cwd: dir }).withOptions(opts);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      files: { path: string; findings: { rule: string }[] }[];
    };
    const rules = report.files[0].findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['SC1001', 'SC1003', 'SC1008', 'SC1022']));
    expect(process.exitCode).toBe(1);
  });

  it('passes a clean generated-style Dockerfile with exit code 0', async () => {
    const dir = repo({
      Dockerfile:
        'FROM node:22-bookworm-slim AS deps\nWORKDIR /app\nFROM gcr.io/distroless/nodejs22-debian12:nonroot\nWORKDIR /app\nLABEL org.opencontainers.image.source=x org.opencontainers.image.revision=y\nUSER 65532:65532\nHEALTHCHECK CMD ["/nodejs/bin/node", "h.js"]\nENTRYPOINT ["/nodejs/bin/node", "s.js"]\n',
    });
    const opts: Record<string, unknown> = { format: 'json', output: join(dir, 'report.json') };
    await helpers.run(generator, { autoCleanup: false, cwd: dir }).withOptions(opts);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      files: { findings: { severity: string }[] }[];
    };
    expect(report.files[0].findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(process.exitCode).toBe(0);
  });
});
