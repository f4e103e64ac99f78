import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempRepo } from './helpers.js';

const BAD_DF = 'FROM node:22-alpine\nRUN curl -s https://x.example | sh\n';
const GOOD_DF = 'FROM node:22-alpine\nWORKDIR /app\nLABEL org.opencontainers.image.source=x org.opencontainers.image.revision=y\nUSER 10001:10001\nHEALTHCHECK CMD ["node", "h.js"]\nENTRYPOINT ["node", "s.js"]\n';
const WARN_COMPOSE = 'services:\n  app:\n    image: node:22-alpine\n    user: "10001:10001"\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    mem_limit: 256m\n    pids_limit: 100\n    ports: ["8080:8080"]\n';

describe('secure-container audit', () => {
  it('discovers files by name, skipping node_modules, .git and the generator state', async () => {
    const dir = tempRepo({
      Dockerfile: GOOD_DF,
      'svc/api.Dockerfile': GOOD_DF,
      'svc/Dockerfile.prod': GOOD_DF,
      'svc/Containerfile': GOOD_DF,
      'compose.yaml': WARN_COMPOSE,
      'deploy/docker-compose.prod.yml': WARN_COMPOSE,
      'node_modules/x/Dockerfile': BAD_DF,
      '.git/Dockerfile': BAD_DF,
      '.secure-container/pristine/Dockerfile': BAD_DF,
      'README.md': 'FROM x',
      'Dockerfile.ejs': 'FROM <%= x %>',
    });
    const { code, out } = await run(['--format', 'json'], dir);
    const doc = JSON.parse(out);
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual(['Dockerfile', 'compose.yaml', 'deploy/docker-compose.prod.yml', 'svc/Containerfile', 'svc/Dockerfile.prod', 'svc/api.Dockerfile']);
    expect(code).toBe(0);
  });

  it('JSON output follows the v1 contract', async () => {
    const dir = tempRepo({ Dockerfile: BAD_DF, 'compose.yaml': WARN_COMPOSE });
    const { code, out } = await run(['--format', 'json'], dir);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['version', 'files', 'summary']);
    expect(doc.version).toBe(1);
    for (const f of doc.files) {
      expect(Object.keys(f)).toEqual(['path', 'kind', 'findings']);
      for (const x of f.findings) expect(Object.keys(x)).toEqual(['rule', 'name', 'principle', 'severity', 'line', 'message', 'refs']);
    }
    const df = doc.files.find((f: { kind: string }) => f.kind === 'dockerfile');
    expect(df.findings.find((x: { rule: string }) => x.rule === 'SC1008')).toMatchObject({ name: 'no-curl-pipe-shell', principle: 'P3', severity: 'error', line: 2 });
    expect(doc.summary).toMatchObject({ files: 2, failOn: 'error', failed: true });
    expect(doc.summary.findings).toBe(doc.summary.error + doc.summary.warning + doc.summary.info);
    expect(code).toBe(1);
  });

  it('exit codes follow --fail-on', async () => {
    const dir = tempRepo({ 'compose.yaml': WARN_COMPOSE });
    expect((await run([], dir)).code).toBe(0);
    expect((await run(['--fail-on', 'warning'], dir)).code).toBe(1);
    expect((await run(['--fail-on', 'none', '--format', 'json'], dir)).code).toBe(0);
    const bad = tempRepo({ Dockerfile: BAD_DF });
    expect((await run(['--fail-on', 'none'], bad)).code).toBe(0);
    expect((await run([], bad)).code).toBe(1);
  });

  it('text output groups by file with line, rule, principle, message and fix', async () => {
    const dir = tempRepo({ Dockerfile: BAD_DF });
    const { out } = await run([], dir);
    expect(out).toMatch(/^Dockerfile\n/);
    expect(out).toMatch(/\n {2}2 {2}error {4}SC1008 {2}P3 {2}Output of curl is piped into sh\n\s+fix: Download to a file/);
    expect(out).toMatch(/findings? \(\d+ errors?, \d+ warnings?, \d+ info\) in 1 of 1 file; failing on error\.\n$/);
  });

  it('usage errors exit 2 and name the flag and allowed values', async () => {
    const dir = tempRepo({});
    const a = await run(['--format', 'xml'], dir);
    expect(a.code).toBe(2);
    expect(a.err).toContain('--format: "xml" is not one of text, json, sarif');
    const b = await run(['--fail-on', 'critical'], dir);
    expect(b.err).toContain('--fail-on: "critical" is not one of error, warning, info, none');
    expect((await run(['--bogus'], dir)).code).toBe(2);
    const c = await run(['does-not-exist'], dir);
    expect(c.code).toBe(2);
    expect(c.err).toContain('does-not-exist: no such file or directory');
  });

  it('reads .secure-container.yaml and --config', async () => {
    const dir = tempRepo({
      'compose.yaml': WARN_COMPOSE,
      '.secure-container.yaml': 'rules:\n  SC2009: error\n',
      'strict.yaml': 'failOn: warning\nrules:\n  SC2009: off\n',
      'broken.yaml': 'rules: [\n',
    });
    const a = await run(['--format', 'json'], dir);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.out).files[0].findings.find((x: { rule: string }) => x.rule === 'SC2009').severity).toBe('error');
    const b = await run(['--config', 'strict.yaml', '--format', 'json'], dir);
    expect(JSON.parse(b.out).files[0].findings.some((x: { rule: string }) => x.rule === 'SC2009')).toBe(false);
    expect(b.code).toBe(0);
    const c = await run(['--config', 'broken.yaml'], dir);
    expect(c.code).toBe(2);
    expect(c.err).toContain('--config');
  });

  it('--list-rules prints every rule, as text or JSON', async () => {
    const dir = tempRepo({});
    const t = await run(['--list-rules'], dir);
    expect(t.out).toMatch(/^SC0001 {2}parse-error/m);
    expect(t.out).toMatch(/^SC1001 {2}no-root-user\s+P5 {2}error/m);
    const j = await run(['--list-rules', '--format', 'json'], dir);
    const rules = JSON.parse(j.out);
    expect(rules.find((r: { id: string }) => r.id === 'SC2006')).toMatchObject({ name: 'no-docker-socket', principle: 'P9', severity: 'error', refs: ['CIS-5.32', 'KICS:Docker Socket Mounted In Container'] });
    for (const r of rules) expect(Object.keys(r)).toEqual(['id', 'name', 'principle', 'severity', 'kind', 'refs', 'description']);
  });

  it('explicit files are audited even with unusual names; --output writes a file', async () => {
    const dir = tempRepo({ 'ops/web.yml': 'services:\n  a:\n    image: x:1\n    privileged: true\n', 'ops/base': BAD_DF });
    const { code, out } = await run(['ops/web.yml', 'ops/base', '--format', 'json', '--output', 'report.json'], dir);
    expect(out).toBe('');
    const doc = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(doc.files.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual([
      ['ops/base', 'dockerfile'],
      ['ops/web.yml', 'compose'],
    ]);
    expect(code).toBe(1);
  });

  it('binary, empty, huge and non-UTF-8 files become SC0002 findings, never a crash', async () => {
    const dir = tempRepo({
      'a/Dockerfile': Buffer.from([0, 1, 2, 255, 0]),
      'b/Dockerfile': '',
      'c/Dockerfile': 'FROM alpine:3.20\n' + '# padding\n'.repeat(120_000),
      'd/Dockerfile': Buffer.from('FROM alpine:3.20\nLABEL a="caf\xe9"\n', 'latin1'),
      'e/compose.yaml': 'services: [\n',
    });
    const { code, out } = await run(['--format', 'json'], dir);
    const doc = JSON.parse(out);
    const rules = doc.files.map((f: { findings: { rule: string; message: string }[] }) => f.findings.map((x) => x.rule));
    expect(rules).toEqual([['SC0002'], ['SC0002'], ['SC0002'], ['SC0002'], ['SC0001']]);
    const msgs = doc.files.map((f: { findings: { message: string }[] }) => f.findings[0].message).join('\n');
    expect(msgs).toMatch(/binary/);
    expect(msgs).toMatch(/empty/);
    expect(msgs).toMatch(/larger than 1 MiB/);
    expect(msgs).toMatch(/not valid UTF-8/);
    expect(code).toBe(1);
  });
});
