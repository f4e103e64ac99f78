// `secure-container audit --fix` on disk: what it writes, what it prints, what it refuses.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, tempRepo } from './helpers.js';

const DF = `# syntax=docker/dockerfile:1
FROM debian:12-slim
# tools the app shells out to
RUN apt-get update \\
  && apt-get install -y curl
COPY app.py /app/
CMD python /app/app.py
`;
const DF_FIXED = `# syntax=docker/dockerfile:1
FROM debian:12-slim
# tools the app shells out to
RUN apt-get update \\
  && apt-get install --no-install-recommends -y curl \\
  && rm -rf /var/lib/apt/lists/*
COPY app.py /app/
USER 10001:10001
CMD ["python", "/app/app.py"]
`;
const COMPOSE = `services:
  api:
    build: .
    ports:
      - "8080:8080" # the API
`;
const COMPOSE_FIXED = `services:
  api:
    build: .
    ports:
      - "127.0.0.1:8080:8080" # the API
    security_opt: ["no-new-privileges:true"]
    read_only: true
    tmpfs: [/tmp]
`;

const read = (dir: string, rel: string): string => readFileSync(join(dir, rel), 'utf8');

describe('audit --fix', () => {
  it('writes the fixes, prints the diff then the findings left, and a second run changes nothing', async () => {
    const dir = tempRepo({
      Dockerfile: DF,
      'compose.yaml': COMPOSE.replace('build: .', 'build: .\n    user: "10001"'),
    });
    const r = await run(['--fix'], dir);
    expect(read(dir, 'Dockerfile')).toBe(DF_FIXED);
    expect(r.out).toMatch(/^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /);
    expect(r.out).toContain('+  && rm -rf /var/lib/apt/lists/*');
    expect(r.out).toContain('--- a/compose.yaml');
    // the report after the diff: what is left, each with why there is no automatic fix
    const report = r.out.slice(r.out.lastIndexOf('\n\nDockerfile\n'));
    expect(report).toContain('SC1026');
    expect(report).toContain('[no automatic fix]');
    expect(report).not.toMatch(/SC1014|SC1015|SC1022|SC1001/);
    expect(r.err).toMatch(
      /fixed \d+ findings \(SC1001 ×1, SC1014 ×1, SC1015 ×1, SC1022 ×1, SC2003 ×1, SC2004 ×1, SC2009 ×1, SC2011 ×1\) in 2 files/,
    );
    expect(r.code).toBe(0);

    const again = await run(['--fix'], dir);
    expect(again.out).not.toContain('--- a/');
    expect(again.err).toContain('nothing to change');
    expect(read(dir, 'Dockerfile')).toBe(DF_FIXED);
  });

  it('--dry-run prints a patch that applies and writes nothing', async () => {
    const dir = tempRepo({ Dockerfile: DF, 'compose.yaml': COMPOSE });
    const before = statSync(join(dir, 'Dockerfile')).mtimeMs;
    const r = await run(['--fix', '--dry-run'], dir);
    expect(read(dir, 'Dockerfile')).toBe(DF);
    expect(read(dir, 'compose.yaml')).toBe(COMPOSE);
    expect(statSync(join(dir, 'Dockerfile')).mtimeMs).toBe(before);
    expect(r.out).toMatch(/^--- a\/Dockerfile/);
    expect(r.out).not.toContain('finding'); // the diff only
    expect(r.err).toMatch(/--dry-run: would fix .* in 2 files; nothing written/);
    expect(r.code).toBe(1); // as the audit of the files as they are
    // the patch is the change --fix makes
    const copy = mkdtempSync(join(tmpdir(), 'sc-patch-'));
    cpSync(dir, copy, { recursive: true });
    execFileSync('git', ['apply', '-'], { cwd: copy, input: r.out });
    expect(read(copy, 'Dockerfile')).toBe(DF_FIXED);
    expect(read(copy, 'compose.yaml')).toBe(COMPOSE_FIXED);
  });

  it('keeps a byte-order mark, CRLF line ends and the file mode', async () => {
    const dir = tempRepo({ Dockerfile: '\ufeff' + DF.replace(/\n/g, '\r\n') });
    chmodSync(join(dir, 'Dockerfile'), 0o640);
    await run(['--fix'], dir);
    expect(read(dir, 'Dockerfile')).toBe('\ufeff' + DF_FIXED.replace(/\n/g, '\r\n'));
    expect(statSync(join(dir, 'Dockerfile')).mode & 0o777).toBe(0o640);
  });

  it('never writes through a symbolic link: a linked file, a linked directory, a link leaving the repository', async () => {
    const outside = tempRepo({ 'Dockerfile.real': DF, 'svc/Dockerfile': DF });
    const dir = tempRepo({ 'base.txt': DF, 'real/Dockerfile': DF });
    symlinkSync(join(dir, 'base.txt'), join(dir, 'Dockerfile')); // a link inside the repository
    symlinkSync(join(dir, 'real'), join(dir, 'linked')); // a linked directory
    symlinkSync(join(outside, 'Dockerfile.real'), join(dir, 'out.Dockerfile')); // a link leaving it
    const r = await run(['--fix', '.', 'linked/Dockerfile'], dir);
    expect(read(dir, 'base.txt')).toBe(DF);
    expect(read(outside, 'Dockerfile.real')).toBe(DF);
    expect(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'linked')).isSymbolicLink()).toBe(true);
    expect(r.err).toContain('Dockerfile: is a symbolic link: not fixed');
    expect(r.err).toMatch(/linked\/Dockerfile: linked is a symbolic link.*not fixed/);
    // the real file is fixed through its own path
    expect(read(dir, 'real/Dockerfile')).toBe(DF_FIXED);
    expect(r.out).not.toContain('a/Dockerfile\n');
  });

  it('only writes inside the working directory', async () => {
    const dir = tempRepo({ Dockerfile: DF, 'sub/x.txt': '' });
    const r = await run(['--fix', '../Dockerfile'], join(dir, 'sub'));
    expect(read(dir, 'Dockerfile')).toBe(DF);
    expect(r.err).toContain('outside the working directory');
  });

  it('with a JSON report on stdout the diff goes to stderr', async () => {
    const dir = tempRepo({ Dockerfile: DF });
    const r = await run(['--fix', '--format', 'json'], dir);
    const doc = JSON.parse(r.out) as { files: { findings: { rule: string }[] }[] };
    expect(doc.files[0].findings.map((f) => f.rule)).not.toContain('SC1014');
    expect(r.err).toContain('--- a/Dockerfile');
  });

  it('usage errors', async () => {
    const dir = tempRepo({ Dockerfile: DF });
    expect((await run(['--dry-run'], dir)).code).toBe(2);
    const j = await run(['--fix', '--dry-run', '--format', 'json'], dir);
    expect(j.code).toBe(2);
    expect(j.err).toContain('--dry-run prints a unified diff only');
    expect(read(dir, 'Dockerfile')).toBe(DF);
  });
});

describe('reports say which findings have an automatic fix', () => {
  it('--list-rules marks the fixable rules (JSON: fixable, autofix)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-lr-'));
    mkdirSync(join(dir, 'x'));
    const j = JSON.parse((await run(['--list-rules', '--format', 'json'], dir)).out) as {
      id: string;
      fixable: boolean;
      autofix?: string;
    }[];
    const by = new Map(j.map((r) => [r.id, r]));
    for (const id of [
      'SC1001',
      'SC1007',
      'SC1014',
      'SC1015',
      'SC1017',
      'SC1022',
      'SC2003',
      'SC2004',
      'SC2009',
      'SC2011',
      'SC2016',
    ])
      expect(by.get(id)).toMatchObject({ fixable: true, autofix: expect.any(String) });
    expect(by.get('SC1005')).toMatchObject({ fixable: false });
    expect(by.get('SC1005')?.autofix).toBeUndefined();
    const text = (await run(['--list-rules'], dir)).out;
    expect(text.split('\n').find((l) => l.startsWith('SC1014'))).toMatch(/\[fixable\]$/);
    expect(text.split('\n').find((l) => l.startsWith('SC1005'))).not.toContain('[fixable]');
  });

  it('the text report says "no automatic fix" and counts the findings --fix may handle', async () => {
    const dir = tempRepo({ Dockerfile: DF });
    const { out } = await run([], dir);
    expect(out).toMatch(/SC1030 .*\n.*fix: .*\[no automatic fix\]/);
    expect(out).toMatch(/\n\d+ findings are of rules with an automatic fix where it is safe: .*--fix --dry-run/);
  });
});
