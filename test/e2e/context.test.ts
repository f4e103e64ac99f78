// End-to-end, P4 (issue 18, item 5): secret files planted anywhere in the repository never reach
// the image. For each runtime the real generator writes its files into a sample app that holds the
// issue's planted files, then
//   1. a probe image (`COPY . /ctx` on the alpine stand-in, the generated .dockerignore) shows the
//      build context exactly as podman/buildah sends it: no planted file, every app file, and the
//      same set as the generator's own scan computes with @balena/dockerignore;
//   2. the generated Dockerfile is built (Node and Python copy the whole context into the final
//      stage): no planted path in the exported filesystem, the marker in no layer.
// Run: npm run test:e2e (E2E_APPS=context selects only this file's tests).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import balenaDockerignore from '@balena/dockerignore';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkTree } from '../../lib/fs/walk.js';
import * as h from './harness.js';

const dockerignore = balenaDockerignore.default;

const PLANTED = [
  'config/.env',
  'certs/server.key',
  'certs/tls.pem',
  'deploy/id_rsa',
  'app/secrets/db.txt',
  'sub/.npmrc',
  'sub/credentials',
  '.envrc',
  '.ssh/id_rsa',
  '.docker/config.json',
  '.git-credentials',
  '.kube/config',
  'prod.env',
  'services/api/.env.production',
  'infra/terraform.tfstate',
  'secrets/db_password',
];
/** files that must stay in the context (not secrets): a template, and for Go the --secrets-helper package */
const KEPT = (runtime: string): string[] => [
  '.env.example',
  ...(runtime === 'go' ? ['internal/secrets/secrets.go'] : []),
];

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const RUN = !selected.length || selected.includes('context');
const RUNTIMES = ['node', 'python', 'go'] as const;
const FLAGS: Record<(typeof RUNTIMES)[number], string[]> = {
  node: ['--flavor', 'distroless'],
  python: ['--flavor', 'distroless', '--runtime-version', '3.11'],
  go: ['--flavor', 'distroless'],
};
const PROBE_IMAGE = 'docker.io/library/alpine:3.20';

if (!RUN) it.skip('not selected by E2E_APPS', () => undefined);

describe.each(RUN ? RUNTIMES : [])('%s: planted secrets stay out of the build context and the image', (runtime) => {
  const marker = `PLANTED-SECRET-${randomBytes(8).toString('hex')}`;
  const images: string[] = [];
  let dir = '';

  beforeAll(() => {
    h.checkTools();
    dir = h.copyApp({ name: `context-${runtime}`, runtime });
    for (const p of PLANTED) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), `${marker} ${p}\n`);
    }
    fs.writeFileSync(path.join(dir, '.env.example'), 'DB_HOST=\n');
    fs.mkdirSync(path.join(dir, 'internal', 'secrets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'internal', 'secrets', 'secrets.go'), 'package secrets\n');
    h.generate(dir, ['--name', `e2e-context-${runtime}`, ...FLAGS[runtime]]);
  }, 120_000);

  afterAll(() => {
    for (const i of images) h.run('podman', ['rmi', '-f', i]);
    if (dir && process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('the build context podman sends holds no planted file, and equals what the generator scanned', () => {
    h.ensureImages([PROBE_IMAGE], 'test/e2e/context.test.ts');
    const probe = path.join(path.dirname(dir), `${path.basename(dir)}.probe.Containerfile`);
    fs.writeFileSync(probe, `FROM ${PROBE_IMAGE}\nCOPY . /ctx/\n`);
    const tag = `e2e-context-probe-${runtime}:e2e`;
    images.push(tag);
    try {
      h.must(
        'podman',
        ['build', '--pull=never', '--format', 'docker', '--layers=false', '-f', probe, '-t', tag, '.'],
        { cwd: dir, timeoutMs: 300_000 },
        'probe build failed',
      );
    } finally {
      fs.rmSync(probe, { force: true });
    }
    const sent = [...h.imagePaths(tag, path.dirname(dir))].filter((p) => p.startsWith('ctx/')).map((p) => p.slice(4));
    // regular files of the repository that podman sent (directories are sent too, as parents)
    const files = sent.filter((p) => fs.lstatSync(path.join(dir, p), { throwIfNoEntry: false })?.isFile()).sort();
    for (const p of PLANTED) expect([p, files.includes(p)]).toEqual([p, false]);
    for (const p of KEPT(runtime)) expect([p, files.includes(p)]).toEqual([p, true]);
    // the generator's view (the walker + @balena/dockerignore on the written .dockerignore) is exactly podman's
    const ig = dockerignore({ ignorecase: false }).add(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'));
    expect(walkTree(dir).files.filter((p) => !ig.ignores(p))).toEqual(files);
  }, 300_000);

  it('the generated Dockerfile builds, and the image has no planted path and no planted byte', () => {
    const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, `context-${runtime}/Dockerfile`);
    const tag = `e2e-context-${runtime}:e2e`;
    images.push(tag);
    h.build(dir, tag, df);
    const paths = h.imagePaths(tag, path.dirname(dir));
    const inApp = [...paths].filter((p) => p.startsWith('app/')).map((p) => p.slice(4));
    expect(PLANTED.filter((p) => inApp.includes(p))).toEqual([]);
    const scan = h.layersContaining(tag, marker, path.dirname(dir));
    expect(scan.layers).toBeGreaterThan(0);
    expect(scan.hits).toEqual([]);
    // positive control: a file of the app itself is in the image (Go: the binary)
    const own = runtime === 'node' ? 'server.js' : runtime === 'python' ? 'app.py' : `e2e-context-${runtime}`;
    expect(inApp).toContain(own);
  }, 900_000);
});
