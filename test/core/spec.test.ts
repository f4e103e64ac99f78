import { describe, expect, it } from '@jest/globals';
import { buildSpec, syncPortInStart } from '../../lib/spec/build.js';
import { canonicalImage, withRegistry } from '../../lib/runtimes/index.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';

describe('buildSpec', () => {
  const a = answersFor('node', {
    dataDirs: '/data,/var/lib/app',
    secrets: 'db_password',
    buildSecrets: 'npm_token',
    secretProvider: 'vault',
    vaultAddr: 'https://vault.example.com',
    port: 8080,
  });
  const s = buildSpec(a, LAYOUTS.node);
  it('derives one named volume per data directory, owned by the app user', () => {
    expect(s.dataVolumes).toEqual([
      { name: 'demo-data', target: '/data' },
      { name: 'demo-var-lib-app', target: '/var/lib/app' },
    ]);
    expect(s.user).toEqual({ uid: 65532, gid: 65532 });
  });
  it('describes every secret by its file path and <NAME>_FILE variable, never a value', () => {
    expect(s.secrets).toEqual([
      { name: 'db_password', envVar: 'DB_PASSWORD_FILE', path: '/run/secrets/db_password', source: 'demo/db_password' },
    ]);
    expect(s.buildSecrets).toEqual([{ name: 'npm_token', envVar: 'NPM_TOKEN_FILE', path: '/run/secrets/npm_token' }]);
    expect(s.vault).toEqual({ addr: 'https://vault.example.com', mount: 'secret' });
  });
  it('tags the image explicitly (never latest), bounds resources and restarts, and always has a /tmp tmpfs', () => {
    expect(s.image).toBe('demo:local');
    expect(s.image.endsWith(':latest')).toBe(false);
    expect(s.tmpfs).toContain('/tmp');
    expect(s.restart).toEqual({ policy: 'on-failure', maxAttempts: 5 });
    expect(s.limits.pids).toBeGreaterThan(0);
    expect(s.bind).toBe('127.0.0.1');
  });
  it("starts the interpreter of the final image, not the builder's", () => {
    expect(s.entrypoint).toEqual(['/nodejs/bin/node', 'server.js']);
    expect(s.images.final.ref).toBe('gcr.io/distroless/nodejs22-debian12:nonroot');
    expect(s.images.builder.ref).toBe('node:22-bookworm-slim');
  });
});

describe('helpers', () => {
  it('syncPortInStart rewrites uvicorn --port and gunicorn --bind/-b only', () => {
    expect(
      syncPortInStart(['python', '-m', 'uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000'], 9000),
    ).toEqual(['python', '-m', 'uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '9000']);
    expect(syncPortInStart(['python', '-m', 'gunicorn', '-b', '0.0.0.0:8000', 'app:app'], 9000)).toEqual([
      'python',
      '-m',
      'gunicorn',
      '-b',
      '0.0.0.0:9000',
      'app:app',
    ]);
    expect(syncPortInStart(['node', 'server.js', '--port', 'x'], 9000)).toEqual(['node', 'server.js', '--port', 'x']);
  });
  it.each([
    ['node:22', 'docker.io/library/node:22'],
    ['hashicorp/vault:1.21.4', 'docker.io/hashicorp/vault:1.21.4'],
    ['gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/static-debian12:nonroot'],
    ['localhost:5000/x:1', 'localhost:5000/x:1'],
  ])('canonicalImage(%s) = %s', (ref, full) => {
    expect(canonicalImage(ref)).toBe(full);
  });
  it('withRegistry prefixes the canonical name and leaves scratch alone', () => {
    expect(withRegistry('node:22', 'mirror.corp/hub')).toBe('mirror.corp/hub/docker.io/library/node:22');
    expect(withRegistry('scratch', 'mirror.corp/hub')).toBe('scratch');
    expect(withRegistry('node:22', '')).toBe('node:22');
  });
});

describe('package entry point', () => {
  it('exports the pipeline, the audit and the question table', async () => {
    const api = await import('generator-secure-container');
    const { files, findings } = api.buildFiles(answersFor('go'), LAYOUTS.go);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['Dockerfile', 'compose.yaml', '.dockerignore']));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(api.auditDockerfile('FROM ubuntu\nUSER root\n', 'Dockerfile').map((f) => f.rule)).toContain('SC1001');
    expect(api.QUESTIONS.length).toBeGreaterThan(20);
  });
});
