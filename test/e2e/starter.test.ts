// Issue 17: the example platform preset (presets/acme-platform) built and run for real. A test CA
// is made with openssl; stand-ins for the platform's images (the corporate mirror, the certs image
// with the CA bundle, the OpenTelemetry agent image) are built locally. Then: the CA is trusted
// inside the container (an HTTPS server with a certificate signed by it answers a request made from
// the app container, and the same request without the preset's trust fails), the agent file is
// present and owned by root, the container still runs non-root and read-only, the proxy build
// argument is not in the final image, and an upgrade after a preset version bump merges cleanly
// into a repository with user edits (and the merged Dockerfile builds).
// E2E_APPS=starter runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('starter');
const TAG = 'localhost/e2e-starter:local';
const NAME = 'e2e-starter';
const MIRROR = 'registry.acme.example/mirror/';
const CERTS_IMAGE = 'registry.acme.example/platform/certs:1.4.0';
const AGENT_IMAGES = [
  'registry.acme.example/observability/otel-agent:1.32.0',
  'registry.acme.example/observability/otel-agent:1.33.0',
];
const AGENT_FILE = '/opt/otel/opentelemetry-javaagent.jar';
const NODE = '/nodejs/bin/node';
let dir = '';
let work = '';

/** openssl, failing with its output. */
function openssl(args: string[]): void {
  h.must('openssl', args, { cwd: work }, 'openssl failed');
}

/** A test CA and a server certificate for 127.0.0.1/localhost signed by it (nothing committed). */
function makeCa(): void {
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'corp-ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=ACME e2e Corporate Root CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  ]);
  fs.writeFileSync(
    path.join(work, 'san.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'corp-ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
}

/** Build a FROM scratch stand-in image with the given files. */
function standIn(tags: string[], files: Record<string, string>): void {
  const ctx = fs.mkdtempSync(path.join(work, 'img-'));
  const lines = ['FROM scratch'];
  for (const [dest, src] of Object.entries(files)) {
    const name = path.basename(dest);
    fs.copyFileSync(src, path.join(ctx, name));
    lines.push(`COPY ${name} ${dest}`);
  }
  fs.writeFileSync(path.join(ctx, 'Containerfile'), lines.join('\n') + '\n');
  h.must(
    'podman',
    ['build', '--pull=never', '--format', 'docker', ...tags.flatMap((t) => ['-t', t]), '-f', 'Containerfile', '.'],
    { cwd: ctx },
  );
}

/** The corporate mirror: every base image of the Dockerfile under the mirror prefix, tagged from the stand-in. */
function mirror(baseImages: string[]): void {
  for (const ref of baseImages) {
    if (!ref.startsWith(MIRROR)) continue;
    const upstream = ref.slice(MIRROR.length);
    h.ensureImages([upstream], 'the acme preset (mirror)');
    h.must('podman', ['tag', h.qualify(upstream), ref]);
  }
}

function buildApp(): h.DockerfileFacts {
  const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
  mirror(df.baseImages);
  // a proxy setting given at build time must not end up in the final image
  h.build(dir, TAG, df, { extra: ['--build-arg', 'NO_PROXY=proxy-marker.e2e.invalid'] });
  return df;
}

/** Run JavaScript with the image's node inside the running container (distroless: no shell). */
function nodeIn(code: string, env: Record<string, string> = {}): h.RunResult {
  const e = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return h.run('podman', ['exec', ...e, NAME, NODE, '-e', code], { timeoutMs: 60_000 });
}

beforeAll(() => {
  if (!enabled) return;
  h.checkTools();
  const base = path.join(h.E2E_ROOT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  dir = fs.mkdtempSync(path.join(base, 'starter-'));
  work = fs.mkdtempSync(path.join(base, 'starter-work-'));
  fs.cpSync(path.join(h.APPS_DIR, 'node'), dir, { recursive: true });
  // the preset vendored into the repository (a recorded path inside it: upgrades read it untrusted)
  fs.cpSync(path.join(h.REPO, 'presets', 'acme-platform'), path.join(dir, 'presets', 'acme'), { recursive: true });
  makeCa();
  // the certs image: the system bundle plus the corporate CA, and the CA alone
  const bundle = path.join(work, 'ca-certificates.crt');
  fs.writeFileSync(
    bundle,
    fs.readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8') +
      fs.readFileSync(path.join(work, 'corp-ca.crt'), 'utf8'),
  );
  standIn([CERTS_IMAGE], {
    '/certs/ca-certificates.crt': bundle,
    '/certs/corp-ca.crt': path.join(work, 'corp-ca.crt'),
  });
  const agent = path.join(work, 'opentelemetry-javaagent.jar');
  fs.writeFileSync(agent, 'e2e stand-in for the OpenTelemetry agent\n');
  standIn(AGENT_IMAGES, { [AGENT_FILE.replace('/opt/otel/', '/agent/')]: agent });
}, 300_000);

afterAll(() => {
  if (!enabled) return;
  h.run('podman', ['rm', '-f', NAME]);
  h.run('podman', ['rmi', '-f', TAG]);
  if (process.env.E2E_KEEP !== '1') {
    for (const d of [dir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  }
});

(enabled ? describe : describe.skip)('the example platform preset (acme-platform) builds and runs', () => {
  it('trusts the corporate CA, ships the agent as root-owned, runs non-root and read-only', async () => {
    h.generate(dir, ['--preset', './presets/acme/preset.yaml']);
    const df = buildApp();
    expect(df.finalUser).toBe('65532:65532');
    // the proxy build argument stays out of the final image (config and history)
    const inspect = h.must('podman', ['image', 'inspect', TAG]).stdout;
    expect(inspect).not.toContain('proxy-marker');
    expect(h.must('podman', ['history', '--no-trunc', TAG]).stdout).not.toContain('proxy-marker');

    h.must('podman', [
      'run',
      '-d',
      '--name',
      NAME,
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      TAG,
    ]);
    await h.sleep(1000);
    expect(h.run('podman', ['inspect', '-f', '{{.State.Running}}', NAME]).stdout.trim()).toBe('true');

    // an HTTPS server with a certificate signed by the test CA, inside the app container's network,
    // and a request to it with the container's own trust settings (NODE_EXTRA_CA_CERTS from final.env)
    const https = `
      const https = require('https');
      const srv = https.createServer({ key: process.env.TLS_KEY, cert: process.env.TLS_CERT }, (q, r) => r.end('corp-ok'));
      srv.listen(0, '127.0.0.1', () => {
        https.get({ host: 'localhost', port: srv.address().port, path: '/' }, (r) => {
          let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => { console.log(r.statusCode + ' ' + b); process.exit(0); });
        }).on('error', (e) => { console.log('ERR ' + (e.code || e.message)); process.exit(3); });
      });`;
    const tls = {
      TLS_KEY: fs.readFileSync(path.join(work, 'server.key'), 'utf8'),
      TLS_CERT: fs.readFileSync(path.join(work, 'server.crt'), 'utf8'),
    };
    const trusted = nodeIn(https, tls);
    expect(trusted.stdout.trim()).toBe('200 corp-ok');
    // control: without the preset's trust setting the same request is refused
    const untrusted = nodeIn(https, { ...tls, NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.stdout.trim()).toMatch(
      /^ERR (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
    );
    // and the system bundle (OpenSSL, Go, Python...) holds the CA too
    const ca = fs.readFileSync(path.join(work, 'corp-ca.crt'), 'utf8').trim();
    expect(
      nodeIn(
        `process.stdout.write(String(require('fs').readFileSync('/etc/ssl/certs/ca-certificates.crt','utf8').includes(${JSON.stringify(ca.split('\n')[1])})))`,
      ).stdout,
    ).toBe('true');

    // the agent: present, owned by root, not writable by the app
    const stat = nodeIn(
      `const s = require('fs').statSync(${JSON.stringify(AGENT_FILE)}); console.log(s.uid + ':' + s.gid + ' ' + (s.mode & 0o777).toString(8))`,
    );
    expect(stat.stdout.trim()).toMatch(/^0:0 6[0-4]4$/);
    const write = nodeIn(
      `try { require('fs').appendFileSync(${JSON.stringify(AGENT_FILE)}, 'x'); console.log('written') } catch (e) { console.log(e.code) }`,
    );
    expect(['EACCES', 'EROFS']).toContain(write.stdout.trim());
    // non-root and read-only
    expect(nodeIn('console.log(process.getuid() + ":" + process.getgid())').stdout.trim()).toBe('65532:65532');
    expect(
      nodeIn(
        `try { require('fs').writeFileSync('/app/x', 'x'); console.log('written') } catch (e) { console.log(e.code) }`,
      ).stdout.trim(),
    ).toBe('EROFS');
  }, 900_000);

  it('an upgrade after a preset version bump merges cleanly into a repository with user edits, and builds', () => {
    const dfPath = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dfPath, fs.readFileSync(dfPath, 'utf8').replace(/^(EXPOSE \d+)$/m, '$1\n# team note: keep me'));
    const presetPath = path.join(dir, 'presets', 'acme', 'preset.yaml');
    fs.writeFileSync(
      presetPath,
      fs
        .readFileSync(presetPath, 'utf8')
        .replace(/^version: 1\.2\.0$/m, 'version: 1.3.0')
        .replace('otel-agent:1.32.0', 'otel-agent:1.33.0'),
    );
    const check = h.run(process.execPath, [h.BIN, 'upgrade', '--check', '--format', 'json'], { cwd: dir });
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as { preset: { version: string; recorded: string; outdated: boolean } };
    expect(report.preset).toMatchObject({ version: '1.3.0', recorded: '1.2.0', outdated: true });

    const up = h.must(process.execPath, [h.BIN, 'upgrade'], { cwd: dir }, 'upgrade failed');
    expect(up.stdout).toContain('preset acme-platform 1.2.0 -> 1.3.0');
    expect(up.stdout).toMatch(/merged\s+Dockerfile/);
    const merged = fs.readFileSync(dfPath, 'utf8');
    expect(merged).toContain('# team note: keep me');
    expect(merged).toContain('otel-agent:1.33.0');
    expect(merged).not.toMatch(/^<<<<<<<|^>>>>>>>/m);
    h.run('podman', ['rm', '-f', NAME]);
    buildApp();
    expect(h.run(process.execPath, [h.BIN, 'upgrade', '--check', '--format', 'json'], { cwd: dir }).code).toBe(0);
  }, 900_000);
});
