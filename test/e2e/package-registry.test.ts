// End-to-end, issue 19 item 2: a Node app whose dependency exists only on a private npm registry
// that demands a token. A tiny registry (node:http in a child process on 127.0.0.1: the tests'
// podman calls are synchronous, so an in-process server could not answer) serves a hand-made
// package: its packument and tarball, only with `Authorization: Bearer <token>`; no internet.
// The generator writes the files with --package-registry http://127.0.0.1:<port>/ and
// --package-registry-secret npm_token; podman builds them with --network host and
// --secret id=npm_token,src=<file>. Asserted:
//   1. the build succeeds and the app runs with the private package;
//   2. the same build without the secret fails (required=true: no anonymous attempt either);
//   3. the token's bytes are in no layer of the final image nor of the install stage (`podman save`),
//      and the install stage has no ~/.npmrc left;
//   4. the registry saw the token (the install did go through it) and nothing asked the public registry.
// Run: npm run test:e2e (E2E_APPS=package-registry selects only this file's tests).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const RUN = !selected.length || selected.includes('package-registry');
const PKG = 'sc-private-greeting';
const IMAGES = ['node:22-bookworm-slim', 'gcr.io/distroless/nodejs22-debian12:nonroot'];

/** The registry, as a script for a child process: argv = [tarball, token, log]. Prints its port. */
const SERVER = `
import { createServer } from 'node:http';
import { readFileSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const [tarball, token, log] = process.argv.slice(2);
const tgz = readFileSync(tarball);
const name = ${JSON.stringify(PKG)};
const server = createServer((req, res) => {
  const auth = req.headers.authorization === 'Bearer ' + token;
  appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, auth, header: req.headers.authorization !== undefined }) + '\\n');
  if (!auth) { res.writeHead(401, { 'www-authenticate': 'Bearer' }); return res.end('{"error":"auth required"}'); }
  const base = 'http://' + req.headers.host + '/';
  if (req.url === '/' + name) {
    const version = {
      name, version: '1.0.0', main: 'index.js',
      dist: {
        tarball: base + name + '/-/' + name + '-1.0.0.tgz',
        shasum: createHash('sha1').update(tgz).digest('hex'),
        integrity: 'sha512-' + createHash('sha512').update(tgz).digest('base64'),
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
  }
  if (req.url === '/' + name + '/-/' + name + '-1.0.0.tgz') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    return res.end(tgz);
  }
  res.writeHead(404); res.end('{}');
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

if (!RUN) it.skip('not selected by E2E_APPS', () => undefined);

describe.each(RUN ? ['node'] : [])('%s: a private npm registry behind --package-registry and a build secret', () => {
  const token = `npm-e2e-token-${randomBytes(16).toString('hex')}`;
  const marker = `private-greeting-${randomBytes(6).toString('hex')}`;
  const images: string[] = [];
  let work = '';
  let dir = '';
  let tokenFile = '';
  let log = '';
  let port = 0;
  let server: ChildProcess | undefined;

  const requests = (): { method: string; url: string; auth: boolean; header: boolean }[] =>
    fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { method: string; url: string; auth: boolean; header: boolean });

  const podmanBuild = (tag: string, extra: string[]): h.RunResult =>
    h.run(
      'podman',
      ['build', '--pull=never', '--format', 'docker', '--layers=false', '--network', 'host', '-t', tag, ...extra, '.'],
      { cwd: dir, timeoutMs: 900_000 },
    );

  beforeAll(async () => {
    h.checkTools();
    h.ensureImages(IMAGES, 'test/e2e/package-registry.test.ts');
    work = fs.mkdtempSync(path.join(h.E2E_ROOT, 'runs', 'package-registry-'));
    // the package, packed the way npm packs: package/package.json + package/index.js in a .tgz
    const pkgDir = path.join(work, 'pkg');
    fs.mkdirSync(path.join(pkgDir, 'package'), { recursive: true });
    fs.writeFileSync(
      path.join(pkgDir, 'package', 'package.json'),
      JSON.stringify({ name: PKG, version: '1.0.0', main: 'index.js' }),
    );
    fs.writeFileSync(path.join(pkgDir, 'package', 'index.js'), `module.exports = ${JSON.stringify(marker)};\n`);
    const tarball = path.join(work, `${PKG}-1.0.0.tgz`);
    h.must('tar', ['-czf', tarball, '-C', pkgDir, 'package']);
    const tgz = fs.readFileSync(tarball);
    // the registry
    log = path.join(work, 'requests.log');
    fs.writeFileSync(log, '');
    const script = path.join(work, 'registry.mjs');
    fs.writeFileSync(script, SERVER);
    server = spawn(process.execPath, [script, tarball, token, log], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => {
        reject(new Error('the test registry did not start'));
      }, 10_000);
      server?.stdout?.on('data', (d: Buffer) => {
        const m = /PORT (\d+)/.exec(d.toString());
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    // the app: its lockfile records the public registry's URL, as a developer's would
    // (npm replaces registry.npmjs.org with the configured registry: replace-registry-host)
    dir = path.join(work, 'app');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'greeter',
        version: '1.0.0',
        scripts: { start: 'node server.js' },
        dependencies: { [PKG]: '1.0.0' },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'greeter',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'greeter', version: '1.0.0', dependencies: { [PKG]: '1.0.0' } },
          [`node_modules/${PKG}`]: {
            version: '1.0.0',
            resolved: `https://registry.npmjs.org/${PKG}/-/${PKG}-1.0.0.tgz`,
            integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
          },
        },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'server.js'),
      `const greeting = require('${PKG}');\nrequire('http').createServer((q, s) => s.end(greeting)).listen(process.env.PORT || 3000);\n`,
    );
    tokenFile = path.join(work, 'npm_token');
    fs.writeFileSync(tokenFile, token, { mode: 0o600 });
    h.generate(dir, [
      '--name',
      'e2e-package-registry',
      '--flavor',
      'distroless',
      '--runtime-version',
      '22',
      '--package-registry',
      `http://127.0.0.1:${port}/`,
      '--package-registry-secret',
      'npm_token',
    ]);
  }, 180_000);

  afterAll(() => {
    server?.kill();
    for (const i of images) h.run('podman', ['rmi', '-f', i]);
    if (work && process.env.E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('the generated Dockerfile mounts the secret on the install step and keeps the token out of ARG/ENV', () => {
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(text).toContain('--mount=type=secret,id=npm_token,required=true');
    expect(text).toContain(`export NPM_CONFIG_REGISTRY="http://127.0.0.1:${port}/"`);
    expect(text).not.toMatch(/^(ARG|ENV)\s+.*(TOKEN|npm_token)/im);
  });

  it('without the secret the build fails, and no request carried a token', () => {
    const r = podmanBuild('localhost/e2e-package-registry:nosecret', []);
    images.push('localhost/e2e-package-registry:nosecret');
    expect(r.code).not.toBe(0);
    // required=true: the RUN never starts, so the registry is not even asked anonymously
    expect(r.stderr).toMatch(/secret required but no secret with id npm_token|npm_token/);
    expect(requests()).toEqual([]);
  });

  it('with the secret the build succeeds through the registry, and the app runs with the private package', () => {
    const tag = 'localhost/e2e-package-registry:local';
    images.push(tag);
    const r = podmanBuild(tag, ['--secret', `id=npm_token,src=${tokenFile}`]);
    if (r.code !== 0) throw new Error(h.failure('build with the secret failed', r));
    const seen = requests().filter((q) => q.auth);
    expect(seen.map((q) => q.url)).toEqual(expect.arrayContaining([`/${PKG}/-/${PKG}-1.0.0.tgz`]));
    const out = h.must('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      '/nodejs/bin/node',
      tag,
      '-e',
      `process.stdout.write(require('${PKG}'))`,
    ]);
    expect(out.stdout).toBe(marker);
  });

  it('the token is in no layer of the image nor of the install stage, which keeps no ~/.npmrc', () => {
    const final = h.layersContaining('localhost/e2e-package-registry:local', token, work);
    expect(final.layers).toBeGreaterThan(0);
    expect(final.hits).toEqual([]);
    // the deps stage on its own: the RUN that read the secret wrote ~/.npmrc and removed it
    const deps = 'localhost/e2e-package-registry:deps';
    images.push(deps);
    const r = podmanBuild(deps, ['--target', 'deps', '--secret', `id=npm_token,src=${tokenFile}`]);
    if (r.code !== 0) throw new Error(h.failure('build of the deps stage failed', r));
    const stage = h.layersContaining(deps, token, work);
    expect(stage.layers).toBeGreaterThan(0);
    expect(stage.hits).toEqual([]);
    const npmrc = h.run('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      '/bin/sh',
      deps,
      '-c',
      'ls -a /root',
    ]);
    expect(npmrc.code).toBe(0);
    expect(npmrc.stdout).not.toMatch(/\.npmrc/);
    // and the history (ARG/ENV/RUN lines as recorded) never holds it
    const history = h.must('podman', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', deps]);
    expect(history.stdout).not.toContain(token);
  });

  it('control: the same check finds the token when a RUN does write it into the layer', () => {
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const leaky = text.replace('&& rm -f "$HOME/.npmrc"', '&& cat /run/secrets/npm_token > /app/leak');
    expect(leaky).not.toBe(text);
    fs.writeFileSync(path.join(work, 'Dockerfile.leak'), leaky);
    const tag = 'localhost/e2e-package-registry:leak';
    images.push(tag);
    const r = podmanBuild(tag, [
      '-f',
      path.join(work, 'Dockerfile.leak'),
      '--target',
      'deps',
      '--secret',
      `id=npm_token,src=${tokenFile}`,
    ]);
    if (r.code !== 0) throw new Error(h.failure('build of the leaky control failed', r));
    expect(h.layersContaining(tag, token, work).hits.length).toBeGreaterThan(0);
  });
});

/** A PEP 503 simple index with HTTP basic auth, as a script for a child process: argv = [wheel, user:password, log]. */
const PIP_SERVER = `
import { createServer } from 'node:http';
import { readFileSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
const [wheelPath, creds, log] = process.argv.slice(2);
const wheel = readFileSync(wheelPath);
const file = basename(wheelPath);
const expected = 'Basic ' + Buffer.from(creds).toString('base64');
const server = createServer((req, res) => {
  const auth = req.headers.authorization === expected;
  appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, auth, header: req.headers.authorization !== undefined }) + '\\n');
  if (!auth) { res.writeHead(401, { 'www-authenticate': 'Basic realm="e2e"' }); return res.end('auth required'); }
  if (req.url === '/simple/sc-private-pkg/') {
    const sha = createHash('sha256').update(wheel).digest('hex');
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<!DOCTYPE html><html><body><a href="/files/' + file + '#sha256=' + sha + '">' + file + '</a></body></html>');
  }
  if (req.url === '/files/' + file) { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(wheel); }
  res.writeHead(404); res.end('not found');
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

/** A pure-Python wheel made by hand (zipfile on the host's python3): the module holds the marker. */
const MAKE_WHEEL = `
import base64, hashlib, sys, zipfile
out, marker = sys.argv[1], sys.argv[2]
files = {
    'sc_private_pkg/__init__.py': 'GREETING = %r\\n' % marker,
    'sc_private_pkg-1.0.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: sc-private-pkg\\nVersion: 1.0.0\\n',
    'sc_private_pkg-1.0.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: e2e\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = []
with zipfile.ZipFile(out, 'w') as z:
    for name, text in files.items():
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append('%s,sha256=%s,%d' % (name, digest, len(data)))
    record.append('sc_private_pkg-1.0.0.dist-info/RECORD,,')
    z.writestr('sc_private_pkg-1.0.0.dist-info/RECORD', '\\n'.join(record) + '\\n')
`;

describe.each(RUN ? ['python'] : [])('%s: a private pip index behind --package-registry and a build secret', () => {
  const password = `pip-e2e-pass-${randomBytes(16).toString('hex')}`;
  const creds = `deploy:${password}`;
  const marker = `private-pip-${randomBytes(6).toString('hex')}`;
  const images: string[] = [];
  let work = '';
  let dir = '';
  let credFile = '';
  let log = '';
  let port = 0;
  let server: ChildProcess | undefined;

  const podmanBuild = (tag: string, extra: string[]): h.RunResult =>
    h.run(
      'podman',
      ['build', '--pull=never', '--format', 'docker', '--layers=false', '--network', 'host', '-t', tag, ...extra, '.'],
      { cwd: dir, timeoutMs: 900_000 },
    );

  beforeAll(async () => {
    h.checkTools();
    h.ensureImages(
      ['python:3.11-slim-bookworm', 'gcr.io/distroless/python3-debian12:nonroot'],
      'test/e2e/package-registry.test.ts',
    );
    work = fs.mkdtempSync(path.join(h.E2E_ROOT, 'runs', 'package-registry-pip-'));
    const wheel = path.join(work, 'sc_private_pkg-1.0.0-py3-none-any.whl');
    h.must('python3', ['-c', MAKE_WHEEL, wheel, marker]);
    log = path.join(work, 'requests.log');
    fs.writeFileSync(log, '');
    const script = path.join(work, 'index.mjs');
    fs.writeFileSync(script, PIP_SERVER);
    server = spawn(process.execPath, [script, wheel, creds, log], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => {
        reject(new Error('the test index did not start'));
      }, 10_000);
      server?.stdout?.on('data', (d: Buffer) => {
        const m = /PORT (\d+)/.exec(d.toString());
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    dir = h.copyApp({ name: 'package-registry-pip', runtime: 'python' });
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'sc-private-pkg==1.0.0\n');
    credFile = path.join(work, 'pip_auth');
    fs.writeFileSync(credFile, creds, { mode: 0o600 });
    h.generate(dir, [
      '--name',
      'e2e-package-registry-pip',
      '--flavor',
      'distroless',
      '--runtime-version',
      '3.11',
      '--package-registry',
      `http://127.0.0.1:${port}/simple/`,
      '--package-registry-secret',
      'pip_auth',
    ]);
  }, 180_000);

  afterAll(() => {
    server?.kill();
    for (const i of images) h.run('podman', ['rmi', '-f', i]);
    if (dir && process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
    if (work && process.env.E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('without the secret the build fails before asking the index', () => {
    const tag = 'localhost/e2e-package-registry-pip:nosecret';
    images.push(tag);
    const r = podmanBuild(tag, []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pip_auth/);
    expect(fs.readFileSync(log, 'utf8')).toBe('');
  });

  it('with the secret pip installs from the index, the app has the package, and the password is in no layer', () => {
    const tag = 'localhost/e2e-package-registry-pip:local';
    images.push(tag);
    const r = podmanBuild(tag, ['--secret', `id=pip_auth,src=${credFile}`]);
    if (r.code !== 0) throw new Error(h.failure('build with the secret failed', r));
    const seen = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { url: string; auth: boolean });
    expect(seen.filter((q) => q.auth).map((q) => q.url)).toEqual(
      expect.arrayContaining(['/simple/sc-private-pkg/', '/files/sc_private_pkg-1.0.0-py3-none-any.whl']),
    );
    const out = h.must('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      '/usr/bin/python3',
      tag,
      '-c',
      'import sys, sc_private_pkg; sys.stdout.write(sc_private_pkg.GREETING)',
    ]);
    expect(out.stdout).toBe(marker);
    const layers = h.layersContaining(tag, password, work);
    expect(layers.layers).toBeGreaterThan(0);
    expect(layers.hits).toEqual([]);
    const history = h.must('podman', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag]);
    expect(history.stdout).not.toContain(password);
  });
});
