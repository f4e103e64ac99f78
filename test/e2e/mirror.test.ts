// Mirrored builds, proven against a real registry (issue 19 item 3). Debian's docker-registry runs
// locally as the team's mirror (test/e2e/registry.ts); the stand-in base images are pushed to it with
// `skopeo copy` under the layout `--registry <host>/mirror` writes; then the generated Dockerfiles and
// compose files are built and run in a SEPARATE, initially empty podman store whose registries.conf
// reaches only the mirror (no unqualified-search registries, every public registry blocked). The local
// stand-in names are never visible to those builds: the only way to a base image is a pull from the
// mirror, and the registry's access log and the store's image names show that it happened.
//
// Covered: the bundled example (Node, generated with `--registry` alone), the Python and Go sample apps,
// and a compose file with a backing service (postgres stand-in, pulled by docker-compose through the
// podman API). The `# syntax=` frontend: podman/buildah do not use BuildKit frontends and ignore the
// line, so the test only checks that the reference names the mirror and that nothing asked for it.
// E2E_APPS=mirror runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';
import { isolatedStore, startRegistry, type IsolatedStore, type Registry } from './registry.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('mirror');
const PREFIX = 'mirror';
const timings: Record<string, number> = {};

let reg: Registry;
let store: IsolatedStore;
let mirrorPrefix = '';
/** upstream reference -> mirror reference, for every image pushed */
const pushed = new Map<string, string>();
/** images built in the isolated store (fully qualified: localhost/<name>:<tag>) */
const built = new Set<string>();
const dirs: string[] = [];
const projects: [string, string][] = [];
let example = '';

async function timed<T>(step: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[step] = (timings[step] ?? 0) + Date.now() - t0;
  }
}

/** h.run / h.must against the isolated store. */
const srun = (cmd: string, args: string[], o: h.RunOptions = {}): h.RunResult =>
  h.run(cmd, args, { ...o, env: { ...store.env, ...o.env } });
const smust = (cmd: string, args: string[], o: h.RunOptions = {}, what = ''): h.RunResult =>
  h.must(cmd, args, { ...o, env: { ...store.env, ...o.env } }, what);
const logsOf = (id: string): string => {
  const r = srun('podman', ['logs', '--tail', '40', id]);
  return r.stdout + r.stderr;
};

/** The stand-ins the mirror needs (postgres is built on demand, as services.test.ts does). */
function ensureStandIn(upstream: string): void {
  if (h.REAL_IMAGES || h.run('podman', ['image', 'exists', h.qualify(upstream)]).code === 0) return;
  if (/(^|\/)postgres:/.test(upstream)) {
    h.must('bash', [path.join(h.REPO, 'test', 'e2e', 'setup.sh'), 'services'], {
      env: { E2E_POSTGRES_IMAGES: upstream, E2E_REDIS_IMAGES: '' },
      timeoutMs: 600_000,
    });
  }
  h.ensureImages([upstream], 'mirror.test.ts');
}

/** Push the stand-in of a mirror reference the generator wrote (once per reference). */
function pushFor(ref: string): void {
  expect(ref.startsWith(mirrorPrefix)).toBe(true);
  const upstream = ref.slice(mirrorPrefix.length);
  if (pushed.has(upstream)) return;
  ensureStandIn(upstream);
  pushed.set(upstream, reg.mirror(upstream, PREFIX));
  expect(pushed.get(upstream)).toBe(ref); // the generator's layout and the test's agree
}

interface Generated {
  dir: string;
  df: h.DockerfileFacts;
  compose: h.Compose;
  app: string;
}

/** Copy src to a temp dir, generate with --registry <mirror> (+ flags), check and push what it names. */
function generate(name: string, src: string, flags: string[]): Generated {
  const base = path.join(h.E2E_ROOT, 'runs');
  const dir = fs.mkdtempSync(path.join(base, `mirror-${name}-`));
  dirs.push(dir);
  fs.cpSync(src, dir, { recursive: true });
  h.generate(dir, ['--registry', `${reg.host}/${PREFIX}`, ...flags]);
  const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  // the BuildKit frontend goes through the mirror too (issue 19 item 1); podman never pulls it
  expect(text.split('\n')[0]).toBe(`# syntax=${mirrorPrefix}docker.io/docker/dockerfile:1`);
  const df = h.readDockerfile(text);
  expect(df.baseImages.length).toBeGreaterThan(0);
  for (const b of df.baseImages) pushFor(b);
  const compose = h.readCompose(dir);
  const services = compose.services as h.Compose;
  const app = Object.keys(services).find((s) => services[s].build !== undefined) ?? '';
  for (const [svc, def] of Object.entries<h.Compose>(services)) {
    if (svc === app) continue; // the app's image is the local build's tag
    pushFor(String(def.image));
  }
  return { dir, df, compose, app };
}

/** podman build in the isolated store; base images are pulled (from the mirror: nothing else is reachable). */
function build(g: Generated, tag: string): void {
  smust(
    'podman',
    ['build', '--pull=missing', '--format', 'docker', '--layers=false', '-t', tag, ...h.buildArgs(g.df.args), '.'],
    { cwd: g.dir, timeoutMs: 900_000 },
    `podman build of ${g.dir} (isolated store, mirror only) failed`,
  );
  built.add(h.qualify(tag.includes('/') ? tag : `localhost/${tag}`));
}

/** A compose healthcheck as the container gets it ($$ is a literal $), run by hand until it passes. */
async function healthyByHand(id: string, test: string[]): Promise<void> {
  const argv = test.map((a) => a.replace(/\$\$/g, '$'));
  const cmd = argv[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', argv.slice(1).join(' ')] : argv.slice(1);
  const end = Date.now() + 90_000;
  let r = srun('podman', ['exec', id, ...cmd]);
  while (r.code !== 0 && Date.now() < end) {
    await h.sleep(1000);
    r = srun('podman', ['exec', id, ...cmd]);
  }
  if (r.code !== 0) throw new Error(h.failure(`${id} never became healthy`, r) + `\n--- logs ---\n${logsOf(id)}`);
}

function containerOf(g: Generated, project: string, svc: string): string {
  const id = h.composeMust(g.dir, project, ['ps', '-q', svc], undefined, store.env).stdout.trim().split('\n')[0];
  if (!id) throw new Error(`no container for ${svc} in ${project}`);
  return id;
}

/** Generate, build and run a sample app with compose (no backing service); probe its health path. */
async function composeApp(name: string, runtime: 'python' | 'go', port: number, flags: string[]): Promise<void> {
  const g = await timed(`${name}:generate+push`, () =>
    generate(name, path.join(h.APPS_DIR, runtime), [
      '--runtime',
      runtime,
      '--flavor',
      'distroless',
      '--port',
      String(port),
      '--name',
      `e2e-mirror-${name}`,
      '--health-path',
      '/healthz',
      ...flags,
    ]),
  );
  await timed(`${name}:build`, () => {
    build(g, String(g.compose.services[g.app].image));
  });
  const project = `e2e-mirror-${name}`;
  projects.push([g.dir, project]);
  await timed(`${name}:up`, async () => {
    h.composeMust(g.dir, project, ['up', '-d', '--no-build'], undefined, store.env);
    const id = containerOf(g, project, g.app);
    await h.waitForApp(port, () => logsOf(id));
  });
  expect((await h.httpGet('127.0.0.1', port, '/healthz')).status).toBe(200);
}

(enabled ? describe : describe.skip)('builds behind a mirror: a local docker-registry is the only image source', () => {
  beforeAll(async () => {
    h.checkTools();
    reg = await timed('registry', () => startRegistry());
    mirrorPrefix = `${reg.host}/${PREFIX}/`;
    store = isolatedStore(reg.host);
    await store.startService();
  }, 120_000);

  afterAll(async () => {
    await timed('cleanup:down', () => {
      for (const [dir, project] of projects)
        h.compose(dir, project, ['down', '-v', '--remove-orphans', '-t', '2'], undefined, store.env);
      if (example) srun('podman', ['rm', '-f', '-t', '2', example]);
    });
    await timed('cleanup:store', () => store.destroy());
    await timed('cleanup:registry', () => reg.stop());
    if (process.env.E2E_KEEP !== '1') for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    const file = path.join(h.E2E_ROOT, 'timings.json');
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      /* first run */
    }
    all.mirror = timings;
    fs.writeFileSync(file, JSON.stringify(all, null, 2));
    console.log(`mirror e2e timings (ms): ${JSON.stringify(timings)}`);
  }, 300_000);

  it('the isolated store starts empty and reaches no public registry', () => {
    expect(srun('podman', ['images', '-q']).stdout.trim()).toBe('');
    for (const ref of ['docker.io/library/alpine:3.20', 'gcr.io/distroless/static-debian12:nonroot']) {
      const r = srun('podman', ['pull', '-q', ref]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/is blocked/);
    }
    // short names resolve nowhere (no unqualified-search registries)
    expect(srun('podman', ['pull', '-q', 'alpine:3.20']).code).not.toBe(0);
  });

  it('the bundled example (Node), generated with --registry alone, builds and answers', async () => {
    const PORT = 18131;
    const g = await timed('example:generate+push', () =>
      generate('example', path.join(h.REPO, 'examples', 'node-app'), []),
    );
    const tag = 'localhost/e2e-mirror-example:local';
    await timed('example:build', () => {
      build(g, tag);
    });
    example = 'e2e-mirror-example';
    await timed('example:run', async () => {
      smust('podman', ['run', '-d', '--name', example, '--read-only', '-p', `127.0.0.1:${PORT}:3000`, tag]);
      await h.waitForApp(PORT, () => logsOf(example));
    });
    expect((await h.httpGet('127.0.0.1', PORT, '/healthz')).status).toBe(200);
  }, 600_000);

  it('the Python sample app (distroless) builds and answers through compose', async () => {
    await composeApp('python', 'python', 18132, ['--runtime-version', '3.11']);
  }, 600_000);

  it('the Go sample app (distroless) builds and answers through compose', async () => {
    await composeApp('go', 'go', 18133, []);
  }, 600_000);

  it('a compose file with a backing service: docker-compose pulls postgres from the mirror', async () => {
    const PORT = 18134;
    const g = await timed('postgres:generate+push', () =>
      generate('pg', path.join(h.APPS_DIR, 'node'), [
        '--runtime',
        'node',
        '--flavor',
        'distroless',
        '--runtime-version',
        '24', // the example's Node: the same base images, already pulled
        '--port',
        String(PORT),
        '--name',
        'e2e-mirror-pg',
        '--service',
        'postgres',
        '--health-path',
        '/healthz',
      ]),
    );
    const pg = String(g.compose.services.postgres?.image ?? '');
    expect(pg.startsWith(`${mirrorPrefix}docker.io/library/postgres:`)).toBe(true);
    fs.mkdirSync(path.join(g.dir, 'secrets'), { recursive: true });
    // 0644: compose bind-mounts file secrets; uid 70 (postgres) and the app's uid both read it
    fs.writeFileSync(path.join(g.dir, 'secrets', 'postgres_password'), `pg-${h.testSecret()}`, { mode: 0o644 });
    await timed('postgres:build', () => {
      build(g, String(g.compose.services[g.app].image));
    });
    const project = 'e2e-mirror-pg';
    projects.push([g.dir, project]);
    await timed('postgres:up', async () => {
      // periodic health checks do not run here (no systemd): start postgres, run its probe by hand, then the app
      h.composeMust(g.dir, project, ['up', '--no-build', '--no-start'], undefined, store.env);
      h.composeMust(g.dir, project, ['start', 'postgres'], undefined, store.env);
      await healthyByHand(
        containerOf(g, project, 'postgres'),
        g.compose.services.postgres.healthcheck.test as string[],
      );
      h.composeMust(g.dir, project, ['start', g.app], undefined, store.env);
      const id = containerOf(g, project, g.app);
      await h.waitForApp(PORT, () => logsOf(id));
    });
    expect((await h.httpGet('127.0.0.1', PORT, '/healthz')).status).toBe(200);
  }, 600_000);

  it('every image in the isolated store came from the mirror, and the registry served each one', async () => {
    expect(pushed.size).toBeGreaterThanOrEqual(5); // node builder + runtime, python x2, go builder + runtime, postgres
    const images = JSON.parse(smust('podman', ['images', '--format', 'json']).stdout) as { Names?: string[] }[];
    const names = images.flatMap((i) => i.Names ?? []);
    const fromMirror = names.filter((n) => n.startsWith(mirrorPrefix));
    const other = names.filter((n) => !n.startsWith(mirrorPrefix) && !built.has(n));
    expect(other).toEqual([]);
    expect(images.every((i) => (i.Names ?? []).length > 0)).toBe(true); // nothing unnamed either
    expect(new Set(fromMirror)).toEqual(new Set(pushed.values()));

    const catalog = await reg.catalog();
    const requests = reg.requests();
    for (const ref of pushed.values()) {
      const rest = ref.slice(reg.host.length + 1);
      const repo = rest.slice(0, rest.lastIndexOf(':'));
      const tag = rest.slice(rest.lastIndexOf(':') + 1);
      expect(catalog).toContain(repo);
      // a pull by podman (not skopeo's push) fetched the manifest
      const pulls = requests.filter(
        (r) =>
          r.method === 'GET' &&
          r.uri === `/v2/${repo}/manifests/${tag}` &&
          r.status === 200 &&
          !r.agent.startsWith('skopeo'),
      );
      expect([ref, pulls.length > 0]).toEqual([ref, true]);
    }
    // podman/buildah ignore `# syntax=`: nobody asked the mirror for the Dockerfile frontend
    expect(requests.filter((r) => r.uri.includes('/docker/dockerfile/'))).toEqual([]);
  });
});
