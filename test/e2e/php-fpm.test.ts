// End-to-end for `--php-server fpm` (issue 14): the dependency-free front controller of
// test/fixtures/real/php-fpm-front-controller is generated with `init --yes --php-server fpm`, both
// targets of the one Dockerfile are built (the app stage: PHP-FPM; `web`: nginx), and the generated
// compose.yaml runs them: nginx on a published port passes /index.php to PHP-FPM over FastCGI on the
// internal network, PHP-FPM publishes nothing.
// The base images are STAND-INS (test/e2e/images/php.sh, images/nginx.sh): Debian's PHP 8.2 (cli + fpm)
// laid out like php:<minor>-fpm-bookworm, a composer:2 whose /usr/bin/composer is a phar built from
// Debian's composer, an offline mlocati/php-extension-installer, and Debian's nginx as
// nginxinc/nginx-unprivileged. E2E_APPS=php runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as h from './harness.js';

const PORT = 18141;
const NAME = 'e2e-php-fpm';
const PROJECT = 'e2e-php-fpm';
const FIXTURE = path.join(h.REPO, 'test', 'fixtures', 'real', 'php-fpm-front-controller');
const PROBE = '/usr/local/lib/secure-container/fpm-healthcheck.php';
const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const wanted = !selected.length || selected.includes('php');
const timings: Record<string, number> = {};

interface Ctx {
  dir: string;
  compose: h.Compose;
  /** compose service names: the PHP-FPM app and nginx */
  app: string;
  web: string;
  images: { app: string; web: string };
  ids: { app: string; web: string };
}
const ctx: Ctx = { dir: '', compose: {}, app: '', web: 'web', images: { app: '', web: '' }, ids: { app: '', web: '' } };

async function timed<T>(step: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[step] = Date.now() - t0;
  }
}

const logsOf = (id: string): string => {
  const r = h.run('podman', ['logs', '--tail', '40', id]);
  return r.stdout + r.stderr;
};
const declaredTest = (svc: string): string[] => ctx.compose.services[svc].healthcheck.test as string[];
const composeUser = (svc: string): { uid: number; gid: number } => {
  const [u, g] = String(ctx.compose.services[svc].user ?? '').split(':');
  return { uid: Number(u), gid: Number(g) };
};
const networksOf = (id: string): string[] =>
  Object.keys(
    JSON.parse(h.must('podman', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', id]).stdout) as object,
  ).sort();

/** Images a `COPY --from=<image>` names (not a stage of the file): composer, the extension installer. */
function copyFromImages(dockerfile: string): string[] {
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1].toLowerCase()));
  const refs = [...dockerfile.matchAll(/^COPY\s+(?:--\S+\s+)*?--from=(\S+)/gim)].map((m) => m[1]);
  return [...new Set(refs)].filter((r) => !stages.has(r.toLowerCase()));
}

/**
 * Create with `up --no-start`, then start in dependency order: periodic health checks do not run on
 * these machines (no systemd), so `depends_on: condition: service_healthy` is honoured by hand: the
 * app's DECLARED healthcheck (the php FastCGI probe) runs until it passes, then nginx starts.
 */
async function up(): Promise<void> {
  h.composeMust(ctx.dir, PROJECT, ['up', '--no-build', '--no-start']);
  h.composeMust(ctx.dir, PROJECT, ['start', ctx.app]);
  ctx.ids.app = h.containerOf(ctx.dir, PROJECT, ctx.app);
  await h.healthyByHand(ctx.ids.app, declaredTest(ctx.app), 60_000);
  h.composeMust(ctx.dir, PROJECT, ['start', ctx.web]);
  ctx.ids.web = h.containerOf(ctx.dir, PROJECT, ctx.web);
  await h.waitForApp(PORT, () => `${logsOf(ctx.ids.web)}\n--- app ---\n${logsOf(ctx.ids.app)}`, 60_000);
}

const describeIf = wanted ? describe : describe.skip;

describeIf('PHP-FPM + nginx from the generated Dockerfile and compose.yaml (--php-server fpm, stand-in images)', () => {
  beforeAll(async () => {
    h.checkTools();
    await h.startService();
    const base = path.join(h.E2E_ROOT, 'runs');
    fs.mkdirSync(base, { recursive: true });
    ctx.dir = fs.mkdtempSync(path.join(base, 'php-fpm-'));
    fs.cpSync(FIXTURE, ctx.dir, { recursive: true, filter: (s) => !s.endsWith('expected.json') });
    await timed('generate', () => h.generate(ctx.dir, ['--php-server', 'fpm', '--name', NAME, '--port', String(PORT)]));
    ctx.compose = h.readCompose(ctx.dir);
    const services = ctx.compose.services as h.Compose;
    ctx.app = Object.keys(services).find((s) => services[s].build !== undefined && !services[s].build.target) ?? '';
    expect([ctx.app, services.web?.build?.target]).toEqual([NAME, 'web']);
    ctx.images = { app: String(services[ctx.app].image), web: String(services.web.image) };
    const text = fs.readFileSync(path.join(ctx.dir, 'Dockerfile'), 'utf8');
    const df = h.readDockerfile(text);
    h.ensureImages([...df.baseImages, ...copyFromImages(text)], 'php-fpm/Dockerfile');
    await timed('build-app', () => h.build(ctx.dir, ctx.images.app, df));
    await timed('build-web', () => h.build(ctx.dir, ctx.images.web, df, { extra: ['--target', 'web'] }));
    await timed('up', up);
  }, 900_000);

  afterAll(() => {
    if (ctx.dir) h.compose(ctx.dir, PROJECT, ['down', '-v', '--remove-orphans', '-t', '5']);
    for (const img of Object.values(ctx.images)) if (img) h.run('podman', ['rmi', '-f', img]);
    if (ctx.dir && process.env.E2E_KEEP !== '1') fs.rmSync(ctx.dir, { recursive: true, force: true });
    h.stopService();
    const file = path.join(h.E2E_ROOT, 'timings.json');
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      /* first run */
    }
    all['php-fpm'] = timings;
    fs.writeFileSync(file, JSON.stringify(all, null, 2));
    console.log(`php-fpm e2e timings (ms): ${JSON.stringify(timings)}`);
  }, 120_000);

  it('answers /healthz through nginx from PHP-FPM (the front controller, as the app user) and serves static files itself', async () => {
    const r = await h.httpGet('127.0.0.1', PORT, '/healthz');
    expect(r.status).toBe(200);
    // sapi fpm-fcgi: PHP-FPM ran index.php (not php -S, not the cli); uid: its worker is the image's user
    expect(JSON.parse(r.body)).toEqual({ status: 'ok', uid: composeUser(ctx.app).uid, sapi: 'fpm-fcgi' });
    const robots = await h.httpGet('127.0.0.1', PORT, '/robots.txt');
    expect([robots.status, robots.body]).toEqual([
      200,
      fs.readFileSync(path.join(FIXTURE, 'public', 'robots.txt'), 'utf8'),
    ]);
    // any other path goes to the front controller (its own JSON 404), not to nginx's error page
    const other = await h.httpGet('127.0.0.1', PORT, '/no/such/page');
    expect([other.status, JSON.parse(other.body)]).toEqual([404, { error: 'not found', path: '/no/such/page' }]);
  });

  it('never hands out PHP source: /index.php runs, other .php paths and hidden files are 404', async () => {
    const index = await h.httpGet('127.0.0.1', PORT, '/index.php');
    expect([index.status, JSON.parse(index.body)]).toEqual([404, { error: 'not found', path: '/index.php' }]);
    for (const p of ['/../src/Health.php', '/src/Health.php', '/../composer.json', '/.htaccess', '/index.php.bak']) {
      const r = await h.httpGet('127.0.0.1', PORT, p);
      expect([p, r.body.includes('<?php'), r.body.includes('namespace App')]).toEqual([p, false, false]);
      // nginx refuses a path above the root outright (400); everything else is a 404
      expect([p, r.status]).toEqual([p, p.startsWith('/../') ? 400 : 404]);
    }
    // nothing about PHP or nginx versions in the answer (expose_php = Off, server_tokens off)
    const r = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: PORT, path: '/healthz', agent: false }, (res) => {
          res.resume();
          resolve(res.headers);
        })
        .on('error', reject);
    });
    expect(r['x-powered-by']).toBeUndefined();
    expect(r.server).toBe('nginx');
    expect(r['x-content-type-options']).toBe('nosniff');
  });

  it('has both containers healthy by their declared probes; the php FastCGI probe fails when php-fpm does not answer pong', () => {
    for (const svc of [ctx.app, ctx.web]) {
      const id = svc === ctx.app ? ctx.ids.app : ctx.ids.web;
      const probe = h.execProbe(id, declaredTest(svc));
      if (probe.code !== 0) throw new Error(h.failure(`${svc}: the declared healthcheck fails`, probe) + logsOf(id));
      const stored = h.storedHealthcheck(id);
      const r = h.run('podman', ['healthcheck', 'run', id]);
      if (h.mangledByPodmanCompat(declaredTest(svc), stored)) {
        console.warn(`${svc}: podman split the compose healthcheck (${JSON.stringify(stored)}); not asserted`);
      } else {
        if (r.code !== 0) throw new Error(h.failure(`${svc}: podman healthcheck run failed`, r));
        expect([svc, h.must('podman', ['inspect', '--format', '{{.State.Health.Status}}', id]).stdout.trim()]).toEqual([
          svc,
          'healthy',
        ]);
      }
    }
    expect(declaredTest(ctx.app)).toEqual(['CMD', '/usr/local/bin/php', PROBE]);
    // the same probe, pointed at a port nobody listens on, and at a path php-fpm does not answer "pong" on
    const variant = (from: string, to: string): h.RunResult =>
      h.run('podman', [
        'exec',
        ctx.ids.app,
        '/usr/local/bin/php',
        '-r',
        `eval('?>' . str_replace("${from}", "${to}", file_get_contents('${PROBE}')));`,
      ]);
    expect(variant('127.0.0.1:9000', '127.0.0.1:9001').code).toBe(1);
    expect(variant("'/fpm-ping'", "'/fpm-nope'").code).toBe(1);
    expect(variant('no-such-text', 'x').code).toBe(0); // positive control: eval of the unchanged probe passes
  });

  it('runs app as 10001:10001 and web as 101:101, every process without capabilities, on read-only roots', () => {
    expect([composeUser(ctx.app), composeUser(ctx.web)]).toEqual([
      { uid: 10001, gid: 10001 },
      { uid: 101, gid: 101 },
    ]);
    for (const svc of [ctx.app, ctx.web]) {
      const id = svc === ctx.app ? ctx.ids.app : ctx.ids.web;
      const { uid, gid } = composeUser(svc);
      expect([svc, ctx.compose.services[svc].cap_drop, ctx.compose.services[svc].read_only]).toEqual([
        svc,
        ['ALL'],
        true,
      ]);
      const top = h.must('podman', ['top', id, 'huser', 'args']).stdout;
      expect([svc, (svc === ctx.app ? /php-fpm: master process/ : /nginx: master process/).test(top)]).toEqual([
        svc,
        true,
      ]);
      const lines = h.must('podman', [
        'exec',
        id,
        'sh',
        '-c',
        'grep -H -E "^(Uid|Gid|CapEff|CapPrm|NoNewPrivs):" /proc/[0-9]*/status',
      ]).stdout;
      const procs = new Map<string, Partial<Record<string, string>>>();
      for (const m of lines.matchAll(/^\/proc\/(\d+)\/status:(\w+):\s*(.*)$/gm)) {
        const p = procs.get(m[1]) ?? {};
        p[m[2]] = m[3].trim();
        procs.set(m[1], p);
      }
      expect([svc, procs.size >= 3]).toEqual([svc, true]); // init + master + worker(s)
      for (const [pid, st] of procs) {
        expect([svc, pid, st.Uid?.split(/\s+/), st.Gid?.split(/\s+/), st.CapEff, st.CapPrm, st.NoNewPrivs]).toEqual([
          svc,
          pid,
          Array(4).fill(String(uid)),
          Array(4).fill(String(gid)),
          '0000000000000000',
          '0000000000000000',
          '1',
        ]);
      }
      expect(h.must('podman', ['inspect', '--format', '{{.HostConfig.ReadonlyRootfs}}', id]).stdout.trim()).toBe(
        'true',
      );
      expect([svc, h.run('podman', ['exec', id, 'touch', '/e2e-rootfs-probe']).code !== 0]).toEqual([svc, true]);
    }
  });

  it('publishes only nginx, on 127.0.0.1; PHP-FPM is on the internal network only', () => {
    expect(ctx.compose.services[ctx.app].ports).toBeUndefined();
    const bindings = (JSON.parse(
      h.must('podman', ['inspect', '--format', '{{json .HostConfig.PortBindings}}', ctx.ids.app]).stdout,
    ) ?? {}) as Record<string, unknown[] | null>;
    expect(Object.entries(bindings).filter(([, v]) => (v ?? []).length > 0)).toEqual([]);
    expect(h.listeners(9000)).toEqual([]);
    expect(h.listeners(PORT)).toEqual(['127.0.0.1']);
    const php = `${PROJECT}_php`;
    expect(
      (JSON.parse(h.must('podman', ['network', 'inspect', php]).stdout) as { internal: boolean }[])[0].internal,
    ).toBe(true);
    expect(networksOf(ctx.ids.app)).toEqual([php]);
    expect(networksOf(ctx.ids.web)).toEqual([`${PROJECT}_frontend`, php].sort());
  });

  it('leaves composer, package managers and PHP build tools out of the app image (they were in the build)', () => {
    const paths = h.imagePaths(ctx.images.app, ctx.dir);
    const tools = [
      'composer',
      'apt',
      'apt-get',
      'dpkg',
      'pecl',
      'pear',
      'phpize',
      'install-php-extensions',
      'docker-php-ext-install',
    ];
    expect(h.findExecutables(paths, tools)).toEqual([]);
    expect(paths.has('usr/bin/composer')).toBe(false);
    // positive controls: the runtime is there, and the app with its optimized autoloader
    for (const p of ['usr/local/bin/php', 'usr/local/sbin/php-fpm', 'app/public/index.php', 'app/vendor/autoload.php'])
      expect([p, paths.has(p)]).toEqual([p, true]);
    // ... and the stand-in base really had the tools the Dockerfile removes
    const base = h.readDockerfile(fs.readFileSync(path.join(ctx.dir, 'Dockerfile'), 'utf8')).baseImages[0];
    const had = h.run('podman', [
      'run',
      '--rm',
      '--entrypoint',
      '/bin/sh',
      h.qualify(base),
      '-c',
      'test -x /usr/bin/apt-get && test -x /usr/local/bin/pecl && test -x /usr/local/bin/docker-php-ext-install',
    ]);
    expect([base, had.code]).toEqual([base, 0]);
    // the web image: nginx without apk or the entrypoint scripts
    const web = h.imagePaths(ctx.images.web, ctx.dir);
    expect(h.findExecutables(web, ['apk', 'composer', 'php'])).toEqual([]);
    expect([web.has('usr/sbin/nginx'), web.has('docker-entrypoint.sh'), web.has('app/public/robots.txt')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
