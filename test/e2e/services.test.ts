// End-to-end for the backing services (`--service postgres,redis`): the generated compose file runs
// for real with both services and a Node sample app (test/e2e/apps/node-services: the `pg` client and
// a few lines of RESP) that talks to them with the passwords read from /run/secrets.
// The postgres/redis images are STAND-INS (test/e2e/setup.sh `services`): Debian's PostgreSQL 15 and
// redis-server 7.0 under the tags the generator writes, with a small docker-entrypoint.sh each that
// implements what the generated compose file uses (test/e2e/stubs/{postgres,redis}; README).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as h from './harness.js';

const PORT = 18092;
const NAME = 'e2e-services';
const PROJECT = 'e2e-services';
const BACKENDS = ['postgres', 'redis'] as const;
type Backend = (typeof BACKENDS)[number];
const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const wanted = !selected.length || selected.includes('services');
const timings: Record<string, number> = {};

interface Ctx {
  dir: string;
  compose: h.Compose;
  app: string;
  image: string;
  /** container ids of the current `up` */
  ids: Record<string, string>;
  /** planted secret values (random): postgres_password, redis_password */
  secrets: Record<string, string>;
}
const ctx: Ctx = { dir: '', compose: {}, app: '', image: '', ids: {}, secrets: {} };

async function timed<T>(step: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[step] = Date.now() - t0;
  }
}

/** A raw TCP connect: true when something accepted the connection. */
function tcpOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (v: boolean): void => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => {
      done(false);
    });
    s.on('connect', () => {
      done(true);
    });
    s.on('error', () => {
      done(false);
    });
  });
}

/** Build the postgres/redis stand-ins under the tags the generated compose file names (setup.sh services). */
function ensureServiceImages(refs: Record<Backend, string>): void {
  if (h.REAL_IMAGES) return;
  const missing = BACKENDS.filter((b) => h.run('podman', ['image', 'exists', h.qualify(refs[b])]).code !== 0);
  if (!missing.length) return;
  h.must(
    'bash',
    [path.join(h.REPO, 'test', 'e2e', 'setup.sh'), 'services'],
    {
      env: {
        E2E_POSTGRES_IMAGES: missing.includes('postgres') ? refs.postgres : '',
        E2E_REDIS_IMAGES: missing.includes('redis') ? refs.redis : '',
      },
      timeoutMs: 600_000,
    },
    `building the stand-ins for ${missing.map((b) => refs[b]).join(', ')} failed`,
  );
}

const composeUser = (svc: string): { uid: number; gid: number } => {
  const [u, g] = String(ctx.compose.services[svc].user ?? '').split(':');
  return { uid: Number(u), gid: Number(g) };
};
/**
 * A healthcheck test as the container gets it: docker-compose interpolates the file, so `$$` is a
 * literal `$` (the generated redis probe uses `$$(cat …)`). Run as written, the shell would expand
 * `$$` to its PID.
 */
const declaredTest = (svc: string): string[] =>
  (ctx.compose.services[svc].healthcheck.test as string[]).map((a) => a.replace(/\$\$/g, '$'));
const logsOf = (id: string): string => {
  const r = h.run('podman', ['logs', '--tail', '40', id]);
  return r.stdout + r.stderr;
};

/**
 * Create with `up --no-start`, then start in dependency order. Periodic health checks do not run on
 * these machines (no systemd), so `depends_on: condition: service_healthy` would wait forever: each
 * service's DECLARED healthcheck is run by hand until it passes, then `podman healthcheck run` records
 * the status, then the app starts.
 */
async function up(): Promise<void> {
  h.composeMust(ctx.dir, PROJECT, ['up', '--no-build', '--no-start']);
  // `docker-compose start`, not `podman start`: docker-compose 1.29 creates a container on its first
  // network and connects the others when it starts it (the app would otherwise miss `frontend`)
  h.composeMust(ctx.dir, PROJECT, ['start', ...BACKENDS]);
  for (const b of BACKENDS) ctx.ids[b] = h.containerOf(ctx.dir, PROJECT, b);
  for (const b of BACKENDS) await h.healthyByHand(ctx.ids[b], declaredTest(b), 90_000);
  h.composeMust(ctx.dir, PROJECT, ['start', ctx.app]);
  const app = h.containerOf(ctx.dir, PROJECT, ctx.app);
  ctx.ids[ctx.app] = app;
  await h.waitForApp(PORT, () => logsOf(app));
}

function down(removeVolumes: boolean): void {
  const r = h.compose(ctx.dir, PROJECT, ['down', ...(removeVolumes ? ['-v'] : []), '--remove-orphans', '-t', '10']);
  if (!removeVolumes && r.code !== 0) throw new Error(h.failure('docker-compose down failed', r));
}

const describeIf = wanted ? describe : describe.skip;

describeIf('backing services: postgres + redis from the generated compose file (stand-in images, see README)', () => {
  beforeAll(async () => {
    h.checkTools();
    await h.startService();
    const base = path.join(h.E2E_ROOT, 'runs');
    fs.mkdirSync(base, { recursive: true });
    ctx.dir = fs.mkdtempSync(path.join(base, 'services-'));
    fs.cpSync(path.join(h.APPS_DIR, 'node-services'), ctx.dir, { recursive: true });
    await timed('generate', () =>
      h.generate(ctx.dir, [
        '--runtime',
        'node',
        '--flavor',
        'distroless',
        '--port',
        String(PORT),
        '--name',
        NAME,
        '--service',
        'postgres,redis',
        '--health-path',
        '/healthz',
      ]),
    );
    ctx.compose = h.readCompose(ctx.dir);
    const services = ctx.compose.services as h.Compose;
    ctx.app = Object.keys(services).find((s) => services[s].build !== undefined) ?? '';
    for (const b of BACKENDS)
      if (!services[b]) throw new Error(`compose.yaml has no ${b} service: ${Object.keys(services).join(', ')}`);
    await timed('stand-ins', () => {
      ensureServiceImages({ postgres: String(services.postgres.image), redis: String(services.redis.image) });
    });

    // the secret files, created the way the generated secrets/README.md says (its stricter variant):
    // mode 0600, then its setfacl lines (read access for exactly the container UIDs it lists)
    // the redis password holds `"` and `\`, which redis.conf's quoted value must escape (the random
    // part alone is what the leak checks look for: JSON output escapes those two characters)
    ctx.secrets = { postgres_password: `pg-${h.testSecret()}`, redis_password: `rd"\\-${h.testSecret()}` };
    fs.mkdirSync(path.join(ctx.dir, 'secrets'), { recursive: true });
    for (const [n, v] of Object.entries(ctx.secrets))
      fs.writeFileSync(path.join(ctx.dir, 'secrets', n), v, { mode: 0o600 });
    const readme = fs.readFileSync(path.join(ctx.dir, 'secrets', 'README.md'), 'utf8');
    fs.chmodSync(path.join(ctx.dir, 'secrets'), 0o700);
    const acl = [...readme.matchAll(/setfacl -m ([\w:,]+) secrets\/(\w+)/g)].map((m) => [m[1], m[2]] as const);
    if (
      acl
        .map(([, f]) => f)
        .sort()
        .join() === Object.keys(ctx.secrets).sort().join()
    ) {
      if (h.run('setfacl', ['--version']).code !== 0) {
        throw new Error(
          'e2e: setfacl is missing (the generated secrets/README.md uses it): run test/e2e/setup.sh (installs acl)',
        );
      }
      for (const [spec, f] of acl) h.must('setfacl', ['-m', spec, path.join('secrets', f)], { cwd: ctx.dir });
    } else {
      // the README's plain variant: files 0644 in a 0700 folder
      console.warn('services e2e: secrets/README.md has no setfacl line per password file; using mode 0644');
      for (const n of Object.keys(ctx.secrets)) fs.chmodSync(path.join(ctx.dir, 'secrets', n), 0o644);
    }

    ctx.image = String(services[ctx.app].image);
    const df = h.readDockerfile(fs.readFileSync(path.join(ctx.dir, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, 'services/Dockerfile');
    await timed('build', () => h.build(ctx.dir, ctx.image, df));
    await timed('up', up);
  }, 900_000);

  afterAll(() => {
    if (ctx.dir) down(true);
    if (ctx.image) h.run('podman', ['rmi', '-f', ctx.image]);
    if (ctx.dir && process.env.E2E_KEEP !== '1') fs.rmSync(ctx.dir, { recursive: true, force: true });
    h.stopService();
    const file = path.join(h.E2E_ROOT, 'timings.json');
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      /* first run */
    }
    all.services = timings;
    fs.writeFileSync(file, JSON.stringify(all, null, 2));
    console.log(`services e2e timings (ms): ${JSON.stringify(timings)}`);
  }, 300_000);

  it('starts both services, each healthy by its own compose healthcheck', () => {
    for (const b of BACKENDS) {
      const id = ctx.ids[b];
      const declared = declaredTest(b);
      const probe = h.execProbe(id, declared);
      if (probe.code !== 0)
        throw new Error(h.failure(`${b}: the declared healthcheck fails`, probe) + `\n--- logs ---\n${logsOf(id)}`);
      // podman's own runner records the status docker-compose's depends_on would wait for
      const stored = h.storedHealthcheck(id);
      const r = h.run('podman', ['healthcheck', 'run', id]);
      if (h.mangledByPodmanCompat(declared, stored)) {
        console.warn(
          `${b}: podman split the compose healthcheck on spaces (${JSON.stringify(stored)}); podman healthcheck run -> ${r.stdout.trim() || 'healthy'} (not asserted)`,
        );
      } else {
        if (r.code !== 0) throw new Error(h.failure(`${b}: podman healthcheck run failed`, r));
        expect([b, h.must('podman', ['inspect', '--format', '{{.State.Health.Status}}', id]).stdout.trim()]).toEqual([
          b,
          'healthy',
        ]);
      }
    }
  });

  it('runs every process of each service as its compose user (non-root), without capabilities, on a read-only root', () => {
    for (const b of BACKENDS) {
      const id = ctx.ids[b];
      const { uid, gid } = composeUser(b);
      expect([b, uid > 0, gid > 0]).toEqual([b, true, true]);
      // every process of the container (the init, the server and its workers; the probe itself too)
      const top = h.must('podman', ['top', id, 'huser', 'args']).stdout;
      expect([b, (b === 'postgres' ? /\bpostgres\b/ : /redis-server/).test(top)]).toEqual([b, true]);
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
      expect(procs.size).toBeGreaterThanOrEqual(3); // init + server + the probe
      expect(procs.has('1')).toBe(true);
      for (const [pid, st] of procs) {
        expect([b, pid, st.Uid?.split(/\s+/), st.Gid?.split(/\s+/), st.CapEff, st.CapPrm, st.NoNewPrivs]).toEqual([
          b,
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
      expect(h.run('podman', ['exec', id, 'touch', '/e2e-rootfs-probe']).code).not.toBe(0);
    }
  });

  it('keeps both services on the internal network only: no published port, unreachable from the host, no route out', async () => {
    const backend = `${PROJECT}_backend`;
    const net0 = JSON.parse(h.must('podman', ['network', 'inspect', backend]).stdout)[0];
    expect(net0.internal).toBe(true);
    const addrs = [...new Set(['127.0.0.1', '::1', ...h.hostAddresses()])];
    for (const b of BACKENDS) {
      const id = ctx.ids[b];
      expect([
        b,
        Object.keys(
          JSON.parse(h.must('podman', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', id]).stdout),
        ),
      ]).toEqual([b, [backend]]);
      expect([b, ctx.compose.services[b].ports]).toEqual([b, undefined]);
      // the image's EXPOSE shows up as "5432/tcp": null; a published port would have host bindings
      const bindings = (JSON.parse(
        h.must('podman', ['inspect', '--format', '{{json .HostConfig.PortBindings}}', id]).stdout,
      ) ?? {}) as Record<string, unknown[] | null>;
      expect([b, Object.entries(bindings).filter(([, v]) => (v ?? []).length > 0)]).toEqual([b, []]);
      const port = b === 'postgres' ? 5432 : 6379;
      expect([b, h.listeners(port)]).toEqual([b, []]);
      for (const a of addrs) expect([b, a, await tcpOpen(a, port)]).toEqual([b, a, false]);
      // internal: true = no default route (nothing outside the network is reachable from the service)
      const routes = h.must('podman', ['exec', id, 'ip', 'route']).stdout;
      expect([b, /^default/m.test(routes)]).toEqual([b, false]);
      // not asserted: this host's own network namespace sits on the bridge of every podman network,
      // internal ones included, so root on the host can reach the container IP (same with Docker)
      const ip =
        Object.values(
          JSON.parse(h.must('podman', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', id]).stdout) as {
            IPAddress: string;
          }[],
        )[0]?.IPAddress ?? '';
      if (ip)
        console.log(
          `services e2e: ${b} at ${ip}:${port} on the internal bridge, from this host's namespace: ${(await tcpOpen(ip, port)) ? 'connects' : 'refused'} (not asserted)`,
        );
    }
    // the app is on both networks; only its own port is published, on 127.0.0.1
    const appNets = Object.keys(
      JSON.parse(
        h.must('podman', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', ctx.ids[ctx.app]]).stdout,
      ),
    ).sort();
    expect(appNets).toEqual([backend, `${PROJECT}_frontend`].sort());
  });

  it('lets the app reach both services with the passwords it reads from /run/secrets, and only with them', async () => {
    for (const [n, v] of Object.entries(ctx.secrets)) {
      const s = await h.getJson(PORT, `/secret?name=${n}`);
      expect(s).toMatchObject({
        ok: true,
        path: `/run/secrets/${n}`,
        envVar: `${n.toUpperCase()}_FILE`,
        length: v.length,
        sha256: h.sha256(v),
      });
    }
    const value = `w-${Date.now()}`;
    const w = await h.getJson(PORT, `/services/write?value=${value}`);
    expect(w.postgres).toMatchObject({ ok: true, user: 'app', db: 'app', value });
    expect(w.redis).toEqual({ ok: true, auth: 'OK', set: 'OK', value });
    const refused = await h.getJson(PORT, '/services/refuse');
    expect(refused.postgres).toMatchObject({ ok: false, code: '28P01' }); // invalid_password
    expect(String(refused.redis.noAuth?.error)).toMatch(/^NOAUTH/);
    expect(String(refused.redis.wrong?.error)).toMatch(/^WRONGPASS/);
    const r = await h.getJson(PORT, '/services/read');
    console.log(
      `services e2e: app reached ${String(w.postgres.version).split(' on ')[0]} and redis ${r.redis.version} (stand-ins)`,
    );
  });

  it('puts no secret value into podman inspect (containers, images, volumes, networks) or any process argv', () => {
    const values = Object.values(ctx.secrets).map((v) => v.replace(/^[^-]*-/, ''));
    const inspected: string[] = [];
    for (const id of Object.values(ctx.ids)) {
      inspected.push(h.must('podman', ['inspect', id]).stdout);
      inspected.push(h.must('podman', ['top', id, 'args']).stdout);
      const image = h.must('podman', ['inspect', '--format', '{{.Image}}', id]).stdout.trim();
      inspected.push(h.must('podman', ['image', 'inspect', image]).stdout);
    }
    const vols = h
      .must('podman', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`])
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    expect(vols.length).toBeGreaterThanOrEqual(2);
    inspected.push(h.must('podman', ['volume', 'inspect', ...vols]).stdout);
    inspected.push(h.must('podman', ['network', 'inspect', `${PROJECT}_backend`, `${PROJECT}_frontend`]).stdout);
    const all = inspected.join('\n');
    expect(all).toContain('POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password'); // positive control: the env is in there
    for (const v of values) expect(all.includes(v)).toBe(false);
    // neither is any generated file
    for (const f of ['compose.yaml', 'Dockerfile', 'README.Docker.md', path.join('secrets', 'README.md')]) {
      const text = fs.readFileSync(path.join(ctx.dir, f), 'utf8');
      for (const v of values) expect([f, text.includes(v)]).toEqual([f, false]);
    }
  });

  // last: restarts the stack
  it('keeps the data of both services across docker-compose down + up (named volumes)', async () => {
    const value = `persist-${Date.now()}`;
    const w = await h.getJson(PORT, `/services/write?value=${value}`);
    expect([w.postgres.ok, w.redis.ok]).toEqual([true, true]);
    for (const b of BACKENDS) expect(JSON.stringify(ctx.compose.services[b].volumes)).toContain(`${b}-data:`);
    const old = { ...ctx.ids };
    await timed('down-up', async () => {
      down(false);
      await up();
    });
    for (const b of BACKENDS) expect(ctx.ids[b]).not.toBe(old[b]); // new containers, same volumes
    // the same database, no second initdb, and it had been shut down cleanly (STOPSIGNAL SIGINT through
    // the init within docker-compose's stop timeout): no crash recovery on the way up
    const pgLog = logsOf(ctx.ids.postgres);
    expect(pgLog).toMatch(/Skipping initialization/);
    expect(pgLog).toMatch(/database system was shut down at/);
    expect(pgLog).not.toMatch(/was interrupted|not properly shut down|automatic recovery/);
    const r = await h.getJson(PORT, '/services/read');
    expect(r.postgres).toEqual({ ok: true, value });
    expect(r.redis).toMatchObject({ ok: true, value });
  }, 300_000);
});
