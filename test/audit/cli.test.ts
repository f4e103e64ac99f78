import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { unreadableFix } from '../../lib/policy/rules/meta/unreadable-file.js';
import { run, tempRepo } from './helpers.js';

const BAD_DF = 'FROM node:22-alpine\nRUN curl -s https://x.example | sh\n';
const GOOD_DF =
  'FROM node:22-alpine\nWORKDIR /app\nLABEL org.opencontainers.image.source=x org.opencontainers.image.revision=y\nUSER 10001:10001\nHEALTHCHECK CMD ["node", "h.js"]\nENTRYPOINT ["node", "s.js"]\n';
const WARN_COMPOSE =
  'services:\n  app:\n    image: node:22-alpine\n    user: "10001:10001"\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    mem_limit: 256m\n    pids_limit: 100\n    ports: ["8080:8080"]\n';

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
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual([
      'Dockerfile',
      'compose.yaml',
      'deploy/docker-compose.prod.yml',
      'svc/Containerfile',
      'svc/Dockerfile.prod',
      'svc/api.Dockerfile',
    ]);
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
      for (const x of f.findings)
        expect(Object.keys(x)).toEqual(['rule', 'name', 'principle', 'severity', 'line', 'message', 'refs']);
    }
    const df = doc.files.find((f: { kind: string }) => f.kind === 'dockerfile');
    expect(df.findings.find((x: { rule: string }) => x.rule === 'SC1008')).toMatchObject({
      name: 'no-curl-pipe-shell',
      principle: 'P3',
      severity: 'error',
      line: 2,
    });
    expect(doc.summary).toMatchObject({ files: 2, failOn: 'error', failed: true });
    const { error, warning, info } = doc.summary as { error: number; warning: number; info: number };
    expect(doc.summary.findings).toBe(error + warning + info);
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
    expect(out).toMatch(
      /\n {2}2 {2}error {4}SC1008 {2}P3 {2}Output of curl is piped into sh\n\s+fix: Download to a file/,
    );
    expect(out).toMatch(
      /findings? \(\d+ errors?, \d+ warnings?, \d+ info\) in 1 of 1 file; failing on error\.\n(?:\d+ findings? (?:is|are) of rules with an automatic fix .* --fix --dry-run` shows the changes\.\n)?$/,
    );
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
    expect(JSON.parse(a.out).files[0].findings.find((x: { rule: string }) => x.rule === 'SC2009').severity).toBe(
      'error',
    );
    const b = await run(['--config', 'strict.yaml', '--format', 'json'], dir);
    expect(JSON.parse(b.out).files[0].findings.some((x: { rule: string }) => x.rule === 'SC2009')).toBe(false);
    expect(b.code).toBe(0);
    const c = await run(['--config', 'broken.yaml'], dir);
    expect(c.code).toBe(2);
    expect(c.err).toContain('--config');
  });

  describe('repository policy vs a trusted policy (--policy, --no-repo-policy)', () => {
    // the audited repository's own file turns the gate off
    const LAX = 'failOn: none\nrules:\n  SC1008: off\n';
    const STRICT = 'failOn: warning\n';

    it("by default the repository's .secure-container.yaml applies, failOn: none included", async () => {
      const dir = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': LAX });
      const r = await run(['--format', 'json'], dir);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).summary.failOn).toBe('none');
    });

    it('--policy <file> replaces it (the repository file is ignored, and a note says so)', async () => {
      const dir = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': LAX });
      const ci = tempRepo({ 'policy.yaml': STRICT });
      const r = await run(['--policy', join(ci, 'policy.yaml'), '--format', 'json'], dir);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.out);
      expect(doc.summary.failOn).toBe('warning');
      expect(doc.files[0].findings.some((x: { rule: string }) => x.rule === 'SC1008')).toBe(true);
      expect(r.err).toMatch(
        /^secure-container audit: note: \.secure-container\.yaml in the repository is ignored \(policy from --policy .*policy\.yaml\)$/m,
      );
      // text output too; the note is on stderr, so JSON/SARIF on stdout stay valid
      const t = await run(['--policy', join(ci, 'policy.yaml')], dir);
      expect(t.code).toBe(1);
      expect(t.err).toMatch(/is ignored/);
      const sarif = await run(['--policy', join(ci, 'policy.yaml'), '--format', 'sarif'], dir);
      expect(() => JSON.parse(sarif.out)).not.toThrow();
    });

    it('--no-repo-policy: defaults, the repository file ignored (and said so); no note when there is none', async () => {
      const dir = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yml': LAX });
      const r = await run(['--no-repo-policy', '--format', 'json'], dir);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).summary.failOn).toBe('error');
      expect(r.err).toMatch(
        /note: \.secure-container\.yml in the repository is ignored \(--no-repo-policy: default policy\)/,
      );
      const clean = tempRepo({ Dockerfile: BAD_DF });
      const c = await run(['--no-repo-policy'], clean);
      expect(c.code).toBe(1);
      expect(c.err).toBe('');
      // even a broken repository file does not matter then
      const broken = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': 'failOn: [\n' });
      expect((await run(['--no-repo-policy'], broken)).code).toBe(1);
      expect((await run([], broken)).code).toBe(2);
    });

    it('--config is the same option; naming two different files is a usage error', async () => {
      const dir = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': LAX, 'a.yaml': STRICT, 'b.yaml': STRICT });
      expect((await run(['--config', 'a.yaml'], dir)).code).toBe(1);
      expect((await run(['--config', 'a.yaml', '--policy', 'a.yaml'], dir)).code).toBe(1);
      const r = await run(['--config', 'a.yaml', '--policy', 'b.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--policy and --config name different files/);
      const missing = await run(['--policy', 'nope.yaml'], dir);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/--policy: .*nope\.yaml: does not exist/);
    });

    it('the repository file is read as a regular file of at most 1 MiB, never through a link; values are never echoed', async () => {
      const outside = tempRepo({ 'lax.yaml': LAX });
      const link = tempRepo({ Dockerfile: BAD_DF });
      symlinkSync(join(outside, 'lax.yaml'), join(link, '.secure-container.yaml'));
      const l = await run([], link);
      expect(l.code).toBe(2);
      expect(l.err).toMatch(/\.secure-container\.yaml: is a symbolic link: a policy file must be a regular file/);
      expect(l.err).toMatch(/--no-repo-policy or --policy <file> ignores it/);
      // a trusted --policy may be a link (CI's own file)
      expect((await run(['--policy', join(link, '.secure-container.yaml')], link)).code).toBe(0);

      const fifo = tempRepo({ Dockerfile: BAD_DF });
      execFileSync('mkfifo', [join(fifo, '.secure-container.yaml')]);
      const f = await run([], fifo); // must not block on the FIFO
      expect(f.code).toBe(2);
      expect(f.err).toMatch(/is not a regular file/);

      const huge = tempRepo({
        Dockerfile: BAD_DF,
        '.secure-container.yaml': 'rules: {}\n' + '#'.repeat(1024 * 1024) + '\n',
      });
      const h = await run([], huge);
      expect(h.code).toBe(2);
      expect(h.err).toMatch(/is larger than 1 MiB/);

      const secret = 'SECRET-LOOKING-VALUE-123';
      for (const text of [
        `failOn: ${secret}\n`,
        `rules:\n  SC1001: ${secret}\n`,
        `rules: [${secret}\n`,
        `allowedRegistries: ${secret}\n`,
      ]) {
        const d = tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': text });
        const r = await run([], d);
        expect(r.code).toBe(2);
        expect(r.err).not.toContain(secret);
      }
      const v = await run([], tempRepo({ Dockerfile: BAD_DF, '.secure-container.yaml': `failOn: ${secret}\n` }));
      expect(v.err).toContain('failOn: must be one of error, warning, info, none');
    });
  });

  it('--list-rules prints every rule, as text or JSON', async () => {
    const dir = tempRepo({});
    const t = await run(['--list-rules'], dir);
    expect(t.out).toMatch(/^SC0001 {2}parse-error/m);
    expect(t.out).toMatch(/^SC1001 {2}no-root-user\s+P5 {2}error/m);
    const j = await run(['--list-rules', '--format', 'json'], dir);
    const rules = JSON.parse(j.out);
    expect(rules.find((r: { id: string }) => r.id === 'SC2006')).toMatchObject({
      name: 'no-docker-socket',
      principle: 'P9',
      severity: 'error',
      sameAs: ['KICS:Docker Socket Mounted In Container'],
      related: ['CIS-5.32'],
      refs: ['KICS:Docker Socket Mounted In Container', 'CIS-5.32'],
    });
    for (const r of rules) {
      // then `fixable` (and `autofix`, what the fix does, for a fixable rule): see fix-cli.test.ts
      expect(Object.keys(r)).toEqual([
        'id',
        'name',
        'principle',
        'severity',
        'kind',
        'sameAs',
        'related',
        'refs',
        'description',
        'fixable',
        ...(r.fixable ? ['autofix'] : []),
      ]);
      expect(r.refs).toEqual([...r.sameAs, ...r.related]);
    }
    expect(t.out).toMatch(/^SC1015 .*\[same as: DL3009, .*; related: KICS:/m);
  });

  it('explicit files are audited even with unusual names; --output writes a file', async () => {
    const dir = tempRepo({
      'ops/web.yml': 'services:\n  a:\n    image: x:1\n    privileged: true\n',
      'ops/base': BAD_DF,
    });
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
    const rules = doc.files.map((f: { findings: { rule: string; message: string }[] }) =>
      f.findings.map((x) => x.rule),
    );
    expect(rules).toEqual([['SC0002'], ['SC0002'], ['SC0002'], ['SC0002'], ['SC0001']]);
    const msgs = doc.files.map((f: { findings: { message: string }[] }) => f.findings[0].message).join('\n');
    expect(msgs).toMatch(/binary/);
    expect(msgs).toMatch(/empty/);
    expect(msgs).toMatch(/larger than 1 MiB/);
    expect(msgs).toMatch(/not valid UTF-8/);
    expect(code).toBe(1);
    // each reason gets its own fix: only the encoding problem is told to convert to UTF-8
    const fixes = doc.files
      .map((f: { findings: { rule: string; message: string }[] }) => f.findings[0])
      .filter((x: { rule: string }) => x.rule === 'SC0002');
    const text = (await run([], dir)).out;
    expect(text).toMatch(/larger than 1 MiB.*\n\s+fix: Files over 1 MiB are not audited/);
    expect(text).toMatch(/binary.*\n\s+fix: The file is binary/);
    expect(text).toMatch(/empty.*\n\s+fix: Write the file, or delete it/);
    expect(text).toMatch(/not valid UTF-8.*\n\s+fix: Convert the file to UTF-8/);
    expect(text.match(/fix: Convert the file to UTF-8/g)).toHaveLength(1);
    expect(fixes).toHaveLength(4);
  });

  it('SC0002 fixes fit the reason (size, binary, encoding, empty, link, not a regular file, unreadable)', () => {
    expect(unreadableFix('file is larger than 1 MiB: not audited')).not.toMatch(/UTF-8/);
    expect(unreadableFix('file is larger than 1 MiB (2000000 bytes): not audited')).toMatch(/over 1 MiB/);
    expect(unreadableFix('file is binary (contains NUL bytes)')).toMatch(/binary/);
    expect(unreadableFix('file is not valid UTF-8 (convert it to UTF-8)')).toMatch(/^Convert the file to UTF-8/);
    expect(unreadableFix('file is empty (whitespace only)')).toMatch(/^Write the file, or delete it/);
    expect(unreadableFix('file is a symbolic link: not followed')).toMatch(/Symbolic links are not followed/);
    expect(unreadableFix('file is a FIFO (only regular files are read): not audited')).toMatch(/Only regular files/);
    expect(unreadableFix('cannot read: EACCES')).toMatch(/readable/);
    const fixes = [
      'larger than',
      'binary',
      'UTF-8',
      'empty',
      'symbolic link',
      'a FIFO (only regular files are read)',
      'cannot read: EACCES',
    ].map(unreadableFix);
    expect(new Set(fixes).size).toBe(fixes.length);
  });
});
