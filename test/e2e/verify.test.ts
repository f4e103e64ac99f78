// `secure-container verify` on real podman images: the bundled example as generated (built with the
// OCI-label build args) verifies clean and healthy under the least-privilege smoke run, and small
// deliberately bad images built from the stand-in bases are each caught with the right rule id.
// E2E_APPS=verify runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('verify');
const GOOD = 'localhost/e2e-verify-good:local';
const tags: string[] = [];
let dir = '';

interface Report {
  version: number;
  config: { user: string };
  flavor: { value: string; source: string } | null;
  smoke: { outcome: string; user: string } | null;
  findings: { rule: string; message: string }[];
  summary: { failed: boolean };
}

/** Run the bin's verify through podman (the private store: CONTAINERS_* from the harness env). */
function verify(image: string, args: string[]): { code: number; report: Report; stderr: string } {
  const r = h.run(process.execPath, [h.BIN, 'verify', image, '--engine', 'podman', '--format', 'json', ...args], {
    timeoutMs: 180_000,
  });
  if (r.code !== 0 && r.code !== 1) throw new Error(h.failure(`verify ${image} failed`, r));
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}
const rules = (r: Report): string[] => r.findings.map((f) => `${f.rule}${f.rule === 'SC5010' ? `: ${f.message}` : ''}`);

const LABELS = `LABEL org.opencontainers.image.source="https://example.invalid/e2e" \\
      org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567" \\
      org.opencontainers.image.version="0.0.0-e2e" \\
      org.opencontainers.image.created="2024-01-01T00:00:00Z"`;

/** Build a small image from a Dockerfile text (stand-in bases only, docker format keeps HEALTHCHECK). */
function buildBad(name: string, dockerfile: string, files: Record<string, string> = {}): string {
  const d = fs.mkdtempSync(path.join(dir, `${name}-`));
  fs.writeFileSync(path.join(d, 'Dockerfile'), dockerfile);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(d, f), text);
  const tag = `localhost/e2e-verify-${name}:local`;
  // --layers: one layer an instruction (the harness default squashes them: a file added and removed
  // in the same build would then never reach a layer)
  h.must('podman', ['build', '--pull=never', '--format', 'docker', '--layers=true', '-t', tag, '.'], {
    cwd: d,
    timeoutMs: 300_000,
  });
  tags.push(tag);
  return tag;
}

beforeAll(() => {
  if (!enabled) return;
  h.checkTools();
  const base = path.join(h.E2E_ROOT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  dir = fs.mkdtempSync(path.join(base, 'verify-'));
});

afterAll(() => {
  if (!enabled) return;
  for (const t of tags) h.run('podman', ['rmi', '-f', t]);
  // no smoke-run container may be left behind, whatever happened
  const left = h.run('podman', ['ps', '-a', '--filter', 'name=secure-container-verify-', '--format', '{{.Names}}']);
  expect(left.stdout.trim()).toBe('');
  if (dir && process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
});

(enabled ? describe : describe.skip)('secure-container verify on podman', () => {
  it('the generated example: no findings, healthy as its own user under the least-privilege run', () => {
    const app = path.join(dir, 'example');
    fs.cpSync(path.join(h.REPO, 'examples', 'node-app'), app, { recursive: true });
    h.generate(app, []);
    const df = h.readDockerfile(fs.readFileSync(path.join(app, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, 'examples/node-app');
    expect(df.baseImages.some((b) => /distroless/.test(b))).toBe(true); // the flavour passed below
    h.build(app, GOOD, df);
    tags.push(GOOD);
    const { code, report } = verify(GOOD, ['--flavor', 'distroless', '--dockerfile', 'Dockerfile']);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report.smoke).toMatchObject({ outcome: 'healthy', user: report.config.user });
    expect(report.config.user).toMatch(/^[1-9]\d*(:\d+)?$/);
  }, 600_000);

  it('root user (SC5001)', () => {
    const tag = buildBad(
      'root',
      `FROM alpine:3.20\n${LABELS}\nUSER root\nHEALTHCHECK CMD ["true"]\nCMD ["sleep", "1000"]\n`,
    );
    const { code, report } = verify(tag, ['--no-run']);
    expect(rules(report)).toEqual(['SC5001']);
    expect(code).toBe(1);
  });

  it('a shell in an image whose base-name label says distroless (SC5002)', () => {
    const tag = buildBad(
      'shell',
      `FROM gcr.io/distroless/static-debian12:nonroot\n${LABELS} \\\n      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot"\n` +
        `COPY --from=docker.io/library/alpine:3.20 /bin/busybox /bin/sh\nUSER 65532\nHEALTHCHECK CMD ["/bin/sh", "-c", "true"]\nCMD ["/bin/sh", "-c", "sleep 1000"]\n`,
    );
    const { code, report } = verify(tag, ['--no-run']);
    expect(report.flavor).toEqual({
      value: 'distroless',
      source: 'label',
      label: 'org.opencontainers.image.base.name',
    });
    expect(rules(report)).toEqual(['SC5002']);
    expect(report.findings[0]?.message).toMatch(/^\/(usr\/)?bin\/sh is a shell in a distroless image/);
    expect(code).toBe(1);
  });

  it('a private key in a layer, deleted by a later one but still shipped (SC5006)', () => {
    const fake = '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEgcmVhbCBrZXk=\n-----END OPENSSH PRIVATE KEY-----\n';
    const tag = buildBad(
      'key',
      `FROM alpine:3.20\n${LABELS}\nCOPY id_rsa /root/.ssh/id_rsa\nRUN rm /root/.ssh/id_rsa\nUSER 10001:10001\nHEALTHCHECK CMD ["true"]\nCMD ["sleep", "1000"]\n`,
      { id_rsa: fake },
    );
    const { code, report } = verify(tag, ['--no-run']);
    expect(rules(report)).toEqual(['SC5006']);
    expect(report.findings[0]?.message).toMatch(/^\/root\/\.ssh\/id_rsa looks like a secret .*still shipped/);
    expect(code).toBe(1);
  });

  it('no HEALTHCHECK (SC5004, a warning): the smoke run waits for it to stay up', () => {
    const tag = buildBad('nohc', `FROM alpine:3.20\n${LABELS}\nUSER 10001:10001\nCMD ["sleep", "1000"]\n`);
    const { code, report } = verify(tag, ['--stay', '2']);
    expect(rules(report)).toEqual(['SC5004']);
    expect(report.smoke).toMatchObject({ outcome: 'running', user: '10001:10001' });
    expect(code).toBe(0);
    expect(verify(tag, ['--no-run', '--fail-on', 'warning']).code).toBe(1);
  });

  it('an image that writes to its root filesystem fails the read-only smoke run (SC5009)', () => {
    const tag = buildBad(
      'writes',
      // /state belongs to the user: only the read-only root filesystem stops the write
      `FROM alpine:3.20\n${LABELS}\nRUN mkdir /state && chown 10001:10001 /state\nUSER 10001:10001\n` +
        `HEALTHCHECK --interval=2s CMD ["test", "-f", "/tmp/ready"]\n` +
        `CMD ["/bin/sh", "-c", "echo state > /state/x && touch /tmp/ready && sleep 1000"]\n`,
    );
    const { code, report } = verify(tag, ['--timeout', '20']);
    expect(rules(report)).toEqual(['SC5009']);
    expect(report.findings[0]?.message).toMatch(/stopped .*exit code [1-9]/);
    expect(code).toBe(1);
  });

  it('a missing image is a usage error (exit 2)', () => {
    const r = h.run(process.execPath, [h.BIN, 'verify', 'localhost/e2e-verify-nosuch:none', '--engine', 'podman']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^secure-container verify: podman image inspect localhost\/e2e-verify-nosuch:none failed/);
  });
});
