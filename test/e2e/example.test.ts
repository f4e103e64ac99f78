// The bundled example (examples/node-app, what `npm run example` generates for) has no
// dependencies: `npm ci` then creates no node_modules, and the generated `COPY --from=deps
// /app/node_modules` failed under Buildah (and BuildKit). Generate for it, build with podman, run the
// image read-only as the generated USER and get an answer from its health path.
// E2E_APPS=example runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('example');
const PORT = 18121;
const TAG = 'localhost/e2e-example:local';
const NAME = 'e2e-example';
let dir = '';

beforeAll(() => {
  if (!enabled) return;
  h.checkTools();
  const base = path.join(h.E2E_ROOT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  dir = fs.mkdtempSync(path.join(base, 'example-'));
  fs.cpSync(path.join(h.REPO, 'examples', 'node-app'), dir, { recursive: true });
});

afterAll(() => {
  if (!enabled) return;
  h.run('podman', ['rm', '-f', NAME]);
  h.run('podman', ['rmi', '-f', TAG]);
  if (dir && process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
});

(enabled ? describe : describe.skip)('the bundled example (no dependencies) builds and runs', () => {
  it('generates, builds and answers its health check', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(pkg.dependencies).toBeUndefined(); // the shape under test
    h.generate(dir, []);
    const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, 'examples/node-app');
    h.build(dir, TAG, df);
    h.must('podman', ['run', '-d', '--name', NAME, '--read-only', '-p', `127.0.0.1:${PORT}:3000`, TAG]);
    await h.waitForApp(PORT, () => h.run('podman', ['logs', NAME]).stdout);
    const r = await h.httpGet('127.0.0.1', PORT, '/healthz');
    expect(r.status).toBe(200);
    expect(
      h.must('podman', ['exec', NAME, '/nodejs/bin/node', '-e', 'console.log(process.getuid())']).stdout.trim(),
    ).toBe('65532');
  }, 600_000);
});
