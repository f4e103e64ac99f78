// End-to-end for the Vault and AWS secret providers: the generated sidecar wiring (compose services,
// networks, in-memory volume, agent.hcl / fetch-secrets.sh, AppRole credentials as file secrets,
// credentials passed by name) runs for real; the remote services are STUBS (see test/e2e/README.md):
//   vault: hashicorp/vault stand-in = test/e2e/stubs/vault (Go) as both `vault server -dev` and `vault agent`
//   aws  : amazon/aws-cli stand-in = Debian's real aws-cli 2.9 against test/e2e/stubs/aws (Secrets Manager stub)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import * as h from './harness.js';

const SECRET = 'db_password';
const PORT = 18091;
const NAME = 'e2e-providers';
const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const wanted = (p: string): boolean => !selected.length || selected.includes(p);
let ready = false;
let appImage = '';

beforeAll(async () => {
  h.checkTools();
  await h.startService();
  ready = true;
}, 120_000);

afterAll(() => {
  if (appImage) h.run('podman', ['rmi', '-f', appImage]);
  h.stopService();
});

interface Stack {
  dir: string;
  project: string;
  compose: h.Compose;
  app: string;
  sidecar: string;
  sidecarImage: string;
  network: string;
  files: string[];
  env: Record<string, string>;
}

/** Generate for the provider, build the app image once (the Dockerfile does not depend on the provider). */
function prepare(provider: 'vault' | 'aws', flags: string[]): Stack {
  if (!ready) throw new Error('e2e: container tooling not ready (see the first failure)');
  const dir = h.copyApp({ name: 'node-distroless', runtime: 'node' });
  h.generate(dir, [
    '--runtime',
    'node',
    '--flavor',
    'distroless',
    '--port',
    String(PORT),
    '--name',
    NAME,
    '--secret',
    SECRET,
    '--secret-provider',
    provider,
    '--health-path',
    '/healthz',
    ...flags,
  ]);
  const compose = h.readCompose(dir);
  const services = compose.services as h.Compose;
  const app = Object.keys(services).find((s) => services[s].build !== undefined);
  const sidecar = Object.keys(services).find((s) => s !== app && /vault|aws/.test(String(services[s].image)));
  if (!app || !sidecar)
    throw new Error(
      `compose.yaml: expected an app service and a ${provider} sidecar, got ${Object.keys(services).join(', ')}`,
    );
  const sidecarImage = String(services[sidecar].image);
  h.ensureSidecarImage(sidecarImage);
  const image = String(services[app].image);
  if (h.run('podman', ['image', 'exists', image]).code !== 0) {
    const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    h.ensureImages(df.baseImages, 'providers/Dockerfile');
    h.build(dir, image, df);
    appImage = image;
  }
  const network = String((services[sidecar].networks ?? [])[0] ?? 'default');
  return {
    dir,
    project: `e2e-${provider}`,
    compose,
    app,
    sidecar,
    sidecarImage,
    network,
    files: ['compose.yaml', 'e2e.override.yaml'],
    env: {},
  };
}

function writeOverride(s: Stack, services: h.Compose): void {
  fs.writeFileSync(path.join(s.dir, 'e2e.override.yaml'), stringify({ version: s.compose.version, services }));
  if (s.compose.version === undefined) {
    const p = path.join(s.dir, 'e2e.override.yaml');
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/^version: null\n/m, ''));
  }
}

/**
 * Create everything with ONE `up --no-start` (a second `docker-compose up` against podman fails on the
 * generated tmpfs volume: see README "Known generator issues"), then start in order: the stub, the
 * sidecar (healthy by hand: no periodic health checks here), the app.
 */
function create(s: Stack): void {
  h.composeMust(s.dir, s.project, ['up', '--no-build', '--no-start'], s.files, s.env);
}
function start(s: Stack, service: string): string {
  const id = h.containerOf(s.dir, s.project, service, s.files, s.env);
  h.must('podman', ['start', id]);
  return id;
}
async function up(s: Stack): Promise<{ sidecar: string; app: string }> {
  const sidecar = start(s, s.sidecar);
  await h.healthyByHand(sidecar, s.compose.services[s.sidecar].healthcheck.test);
  const app = start(s, s.app);
  await h.waitForApp(PORT, () => h.run('podman', ['logs', '--tail', '30', app]).stdout);
  return { sidecar, app };
}

function down(s: Stack | undefined): void {
  if (!s) return;
  h.compose(s.dir, s.project, ['down', '-v', '--remove-orphans', '-t', '2'], s.files, s.env);
  if (process.env.E2E_KEEP !== '1') fs.rmSync(s.dir, { recursive: true, force: true });
}

/** Every file the generator wrote (not our secret inputs, not the test's override). */
function generatedText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) walk(p);
      else if (!rel.startsWith(`secrets${path.sep}`) || rel.endsWith('.md') || rel.endsWith('.gitignore')) {
        if (rel !== 'e2e.override.yaml') out.push(fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(dir);
  return out.join('\n');
}

function networksOf(container: string): string[] {
  return Object.keys(
    JSON.parse(h.must('podman', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', container]).stdout) ?? {},
  );
}

const describeIf = (p: string) => (wanted(p) ? describe : describe.skip);

describeIf('vault')('vault provider (Vault Agent sidecar; Vault server and agent are the e2e stub)', () => {
  let s: Stack | undefined;
  let ids = { sidecar: '', app: '' };
  const value = h.testSecret();
  const roleId = `role-${h.testSecret()}`;
  const secretId = `sid-${h.testSecret()}`;

  beforeAll(async () => {
    s = prepare('vault', ['--vault-addr', 'http://vault-dev:8200', '--vault-path', `${SECRET}=e2e/db`]);
    // AppRole credentials as the generated compose expects them: compose file secrets under ./secrets/
    for (const [n, v] of [
      ['vault_role_id', roleId],
      ['vault_secret_id', secretId],
    ] as const) {
      fs.mkdirSync(path.join(s.dir, 'secrets'), { recursive: true });
      fs.writeFileSync(path.join(s.dir, 'secrets', n), v, { mode: 0o644 });
    }
    writeOverride(s, {
      'vault-dev': {
        image: s.sidecarImage,
        command: ['server', '-dev'],
        environment: { VAULT_DEV_ROOT_TOKEN_ID: 'e2e-root', VAULT_STUB_APPROLE: `${roleId}:${secretId}` },
        networks: [s.network],
      },
    });
    create(s);
    const dev = start(s, 'vault-dev');
    // what an operator does: `vault kv put secret/<path> value=...` (KV v2, default key "value")
    let put = h.run('podman', [
      'exec',
      '-e',
      'VAULT_ADDR=http://127.0.0.1:8200',
      '-e',
      'VAULT_TOKEN=e2e-root',
      dev,
      'vault',
      'kv',
      'put',
      '-mount=secret',
      'e2e/db',
      `value=${value}`,
    ]);
    for (let i = 0; i < 20 && put.code !== 0; i++) {
      await h.sleep(250);
      put = h.run('podman', [
        'exec',
        '-e',
        'VAULT_ADDR=http://127.0.0.1:8200',
        '-e',
        'VAULT_TOKEN=e2e-root',
        dev,
        'vault',
        'kv',
        'put',
        '-mount=secret',
        'e2e/db',
        `value=${value}`,
      ]);
    }
    if (put.code !== 0) throw new Error(h.failure('seeding the stub Vault failed', put));
    ids = await up(s);
  }, 900_000);
  afterAll(() => {
    down(s);
  }, 300_000);

  it(`renders the secret into /run/secrets/${SECRET} for the app (via ${SECRET.toUpperCase()}_FILE)`, async () => {
    const r = await h.getJson(PORT, `/secret?name=${SECRET}`);
    expect(r).toMatchObject({ ok: true, path: `/run/secrets/${SECRET}`, length: value.length });
    expect(r.sha256).toBe(h.sha256(value));
  });

  it('runs the agent as the app UID, read-only, without capabilities; rendered file is 0400 and owned by the app', () => {
    const svc = s!.compose.services[s!.sidecar];
    const appSvc = s!.compose.services[s!.app];
    expect(String(svc.user)).toBe(String(appSvc.user));
    expect(svc.read_only).toBe(true);
    expect(svc.cap_drop).toEqual(['ALL']);
    const st = h
      .must('podman', ['exec', ids.sidecar, 'stat', '-c', '%a %u:%g', `/vault/secrets/${SECRET}`])
      .stdout.trim();
    expect(st).toBe(`400 ${String(appSvc.user)}`);
  });

  it('keeps the app off the network that reaches Vault, and the sidecar healthy', () => {
    expect(networksOf(ids.app).some((n) => n.endsWith(s!.network))).toBe(false);
    expect(networksOf(ids.sidecar).some((n) => n.endsWith(s!.network))).toBe(true);
    expect(h.execProbe(ids.sidecar, s!.compose.services[s!.sidecar].healthcheck.test).code).toBe(0);
  });

  it('writes no secret value or AppRole credential into any generated file', () => {
    const text = generatedText(s!.dir);
    expect(text.length).toBeGreaterThan(0);
    for (const v of [value, roleId, secretId]) expect(text).not.toContain(v);
  });
});

describeIf('aws')('aws provider (fetcher sidecar with the real aws-cli 2.9; Secrets Manager is a stub)', () => {
  let s: Stack | undefined;
  let ids = { sidecar: '', app: '' };
  const value = h.testSecret();
  const region = 'eu-west-1';
  const secretIdAws = 'e2e/db-password';
  const keyId = 'AKIAE2ESTUB0000000001';
  const secretKey = `sk-${h.testSecret()}`;

  beforeAll(async () => {
    s = prepare('aws', ['--aws-region', region, '--aws-secret-id', `${SECRET}=${secretIdAws}`]);
    s.env = { AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secretKey, AWS_ENDPOINT_URL: 'http://aws-stub:4566' };
    writeOverride(s, {
      'aws-stub': {
        image: s.sidecarImage,
        entrypoint: ['/usr/bin/python3', '/stub/secretsmanager_stub.py'],
        volumes: [`${path.join(h.REPO, 'test', 'e2e', 'stubs', 'aws')}:/stub:ro`],
        environment: {
          SM_STUB_SECRETS: JSON.stringify({ [secretIdAws]: value }),
          SM_STUB_REGION: region,
          SM_STUB_ACCESS_KEY_ID: keyId,
        },
        networks: [s.network],
      },
    });
    create(s);
    start(s, 'aws-stub');
    ids = await up(s);
  }, 900_000);
  afterAll(() => {
    down(s);
  }, 300_000);

  it(`fetches the secret into /run/secrets/${SECRET} for the app (via ${SECRET.toUpperCase()}_FILE)`, async () => {
    const r = await h.getJson(PORT, `/secret?name=${SECRET}`);
    if (r.sha256 === h.sha256(`${value}\n`)) {
      throw new Error(
        `/run/secrets/${SECRET} is the secret plus a trailing newline (\`aws ... --output text >file\` appends one): the app would read a wrong password`,
      );
    }
    expect(r).toMatchObject({ ok: true, path: `/run/secrets/${SECRET}`, length: value.length });
    expect(r.sha256).toBe(h.sha256(value));
  });

  it('signs for the configured region with the credentials passed by name from the environment', () => {
    const stub = h.containerOf(s!.dir, s!.project, 'aws-stub', s!.files, s!.env);
    const logs = h.run('podman', ['logs', stub]);
    expect(logs.stdout + logs.stderr).toContain(`GetSecretValue ${secretIdAws} ok`);
    const env: string[] = s!.compose.services[s!.sidecar].environment ?? [];
    expect(env).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', `AWS_REGION=${region}`]));
  });

  it('runs the fetcher as the app UID, read-only, without capabilities, healthy; app off the egress network', () => {
    const svc = s!.compose.services[s!.sidecar];
    expect(String(svc.user)).toBe(String(s!.compose.services[s!.app].user));
    expect(svc.read_only).toBe(true);
    expect(svc.cap_drop).toEqual(['ALL']);
    expect(h.execProbe(ids.sidecar, svc.healthcheck.test).code).toBe(0);
    expect(networksOf(ids.app).some((n) => n.endsWith(s!.network))).toBe(false);
  });

  it('writes no secret value or credential into any generated file', () => {
    const text = generatedText(s!.dir);
    for (const v of [value, secretKey, keyId]) expect(text).not.toContain(v);
  });
});
