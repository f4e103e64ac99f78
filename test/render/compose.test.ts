import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse, parseDocument } from 'yaml';
import { composeObject, renderCompose } from '../../lib/outputs/compose.js';
import { SERVICE_DEFS, IMAGES } from '../../lib/spec/services.js';
import { AnswerError } from '../../lib/core/types.js';
import { makeSpec, matrix } from './fixtures.js';
import { buildSpec } from '../../lib/spec/build.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';

// ajv-formats is CommonJS; its module.exports is the plugin function.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
// the file says "$schema": "https://json-schema.org/draft-07/schema", an id ajv does not know: drop it (draft-07 is ajv's default)
const { $schema: _draft, ...schema } = JSON.parse(
  readFileSync(new URL('../../../node_modules/dclint/schemas/compose.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

type Svc = Record<string, unknown> & {
  user?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string> | string[];
  networks?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  secrets?: (string | { source: string; target: string })[];
};
type Compose = {
  services: Record<string, Svc>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, { driver_opts?: Record<string, string> } | null>;
  secrets?: Record<string, { file?: string; environment?: string }>;
};

const load = (text: string): Compose => parse(text) as Compose;

describe('compose.yaml: Compose Specification JSON Schema', () => {
  for (const { label, spec } of matrix()) {
    it(`is valid for ${label}`, () => {
      const doc = load(renderCompose(spec));
      const ok = validate(doc);
      expect(ok ? [] : validate.errors).toEqual([]);
    });
  }
  it('is valid with build-time secrets', () => {
    const doc = load(
      renderCompose(makeSpec({ answers: { buildSecrets: ['npm_token', 'pip_index_token'], services: ['postgres'] } })),
    );
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });
});

describe('compose.yaml: every container is hardened (P5, P8, P9)', () => {
  for (const { label, spec } of matrix()) {
    it(`hardens every service for ${label}`, () => {
      const text = renderCompose(spec);
      const doc = load(text);
      for (const [name, svc] of Object.entries(doc.services)) {
        const where = `${label} ${name}`;
        expect([where, svc.user]).toEqual([where, expect.stringMatching(/^[1-9]\d*:\d+$/)]);
        expect(svc.read_only).toBe(true);
        expect(svc.cap_drop).toEqual(['ALL']);
        expect(svc.cap_add).toBeUndefined();
        expect(svc.security_opt).toEqual(['no-new-privileges:true']);
        expect(svc.init).toBe(true);
        expect(svc.mem_limit).toEqual(expect.stringMatching(/^\d+m$/));
        expect(typeof svc.pids_limit).toBe('number');
        expect(typeof svc.cpus).toBe('number');
        expect(svc.restart).toEqual(expect.stringMatching(/^on-failure:\d+$/));
        expect(svc.tmpfs).toEqual(expect.arrayContaining([expect.stringMatching(/^\/tmp:/)]));
        expect(svc.healthcheck).toBeDefined();
        for (const banned of ['privileged', 'network_mode', 'pid', 'ipc', 'userns_mode', 'devices', 'deploy']) {
          expect([where, banned, svc[banned]]).toEqual([where, banned, undefined]);
        }
        for (const v of svc.volumes ?? []) {
          expect(v).not.toMatch(/docker\.sock|^\/(proc|sys|dev|etc|var\/run|root|home)\b/);
          // host paths are only the generated sidecar files, mounted read-only
          if (v.startsWith('.') || v.startsWith('/')) expect(v).toMatch(/^\.\/deploy\/.+:ro$/);
        }
        if (name !== spec.name) expect(svc.ports).toBeUndefined();
      }
      // the app uses the spec's user and only its own port
      const app = doc.services[spec.name];
      expect(app.user).toBe(`${spec.user.uid}:${spec.user.gid}`);
      expect(app.ports).toEqual([`127.0.0.1:${spec.port}:${spec.port}`]);
      expect(app.image).toBe(spec.image);
      expect(String(app.image)).not.toMatch(/:latest$/);
      // the user and the port are quoted for YAML 1.1 readers (PyYAML reads 1000:50 as a number)
      expect(text).toContain(`user: "${spec.user.uid}:${spec.user.gid}"`);
      expect(text).toContain(`- "127.0.0.1:${spec.port}:${spec.port}"`);
    });
  }

  it('pins every third-party image with an explicit, non-latest tag', () => {
    for (const ref of Object.values(IMAGES)) expect(ref).toMatch(/^[a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
    const doc = load(
      renderCompose(makeSpec({ answers: { services: ['postgres', 'redis'], secretProvider: 'vault' } })),
    );
    const images = Object.values(doc.services).map((s) => s.image);
    expect(images).toEqual(expect.arrayContaining([IMAGES.postgres, IMAGES.redis, IMAGES.vault]));
  });

  it('applies the registry mirror to third-party images', () => {
    const doc = load(
      renderCompose(makeSpec({ answers: { services: ['postgres'], registry: 'mirror.example.com/hub' } })),
    );
    expect(doc.services.postgres.image).toBe(`mirror.example.com/hub/docker.io/library/${IMAGES.postgres}`);
  });
});

describe('compose.yaml agrees with the ContainerSpec', () => {
  it('builds from the Dockerfile with the OCI label build args', () => {
    const app = load(renderCompose(makeSpec())).services['shop-api'];
    expect(app.build).toEqual({
      context: '.',
      dockerfile: 'Dockerfile',
      args: ['VCS_REF', 'VERSION', 'BUILD_DATE', 'SOURCE_URL'],
    });
  });

  it('mounts a named volume for each data directory', () => {
    const spec = makeSpec({ answers: { dataDirs: ['/app/data', '/app/uploads'] } });
    const doc = load(renderCompose(spec));
    expect(doc.services[spec.name].volumes).toEqual(spec.dataVolumes.map((v) => `${v.name}:${v.target}`));
    expect(Object.keys(doc.volumes ?? {})).toEqual(spec.dataVolumes.map((v) => v.name));
  });

  it('uses the spec healthcheck probe in exec form', () => {
    for (const runtime of ['node', 'python', 'go'] as const) {
      const spec = makeSpec({ answers: { runtime } });
      const hc = load(renderCompose(spec)).services[spec.name].healthcheck as Record<string, unknown>;
      expect(hc).toEqual({
        test: ['CMD', ...spec.healthcheck.test],
        interval: '30s',
        timeout: '5s',
        retries: 3,
        start_period: '15s',
      });
    }
  });

  it('writes a literal $ as $$ so compose does not interpolate spec values', () => {
    const spec = makeSpec({
      environment: { GREETING: 'cost $5' },
      healthcheck: {
        test: ['/app/probe', '$HOME'],
        path: '/',
        interval: '30s',
        timeout: '5s',
        retries: 3,
        startPeriod: '5s',
      },
    });
    const text = renderCompose(spec);
    expect(text).toContain('GREETING: cost $$5');
    expect(text).toContain('- $$HOME');
  });

  it('file provider: each secret is a compose file secret, the app gets <NAME>_FILE', () => {
    const spec = makeSpec({ answers: { secrets: ['db_password', 'api_key'] } });
    const doc = load(renderCompose(spec));
    const app = doc.services[spec.name];
    expect(app.secrets).toEqual(['db_password', 'api_key']);
    expect(app.environment).toMatchObject({
      DB_PASSWORD_FILE: '/run/secrets/db_password',
      API_KEY_FILE: '/run/secrets/api_key',
    });
    expect(doc.secrets).toEqual({
      db_password: { file: './secrets/db_password' },
      api_key: { file: './secrets/api_key' },
    });
    expect(doc.services['vault-agent']).toBeUndefined();
  });

  it('never puts a value in the environment: only paths, pass-through names and plain settings', () => {
    for (const { spec } of matrix()) {
      const doc = load(renderCompose(spec));
      for (const svc of Object.values(doc.services)) {
        const env = svc.environment ?? {};
        const pairs: [string, string | undefined][] = Array.isArray(env)
          ? env.map((e) =>
              e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, undefined],
            )
          : Object.entries(env);
        for (const [k, v] of pairs) {
          if (/PASSWORD|SECRET|TOKEN|KEY/.test(k) && v !== undefined) {
            expect([k, v]).toEqual([k, expect.stringMatching(/^\/run\/(local-)?secrets\/[a-z0-9_]+$/)]);
          }
        }
      }
    }
  });

  it('vault provider: agent sidecar, shared tmpfs volume read-only at /run/secrets, AppRole as file secrets', () => {
    const spec = makeSpec({ answers: { secretProvider: 'vault', secrets: ['db_password'] } });
    const doc = load(renderCompose(spec));
    const app = doc.services[spec.name];
    const agent = doc.services['vault-agent'];
    expect(app.volumes).toContain('run-secrets:/run/secrets:ro');
    expect(app.environment).toMatchObject({ DB_PASSWORD_FILE: '/run/secrets/db_password' });
    expect(app.depends_on).toEqual({ 'vault-agent': { condition: 'service_healthy' } });
    expect(app.networks).not.toContain('secrets-egress');
    expect(agent.user).toBe(app.user);
    expect(agent.secrets).toEqual(['vault_role_id', 'vault_secret_id']);
    expect(agent.volumes).toEqual([
      './deploy/vault/agent.hcl:/etc/vault-agent/agent.hcl:ro',
      'run-secrets:/vault/secrets',
    ]);
    expect(agent.entrypoint).toEqual(['vault', 'agent', '-config=/etc/vault-agent/agent.hcl']);
    expect(agent.healthcheck!.test).toEqual(['CMD', 'test', '-s', '/vault/secrets/db_password']);
    expect(doc.volumes!['run-secrets']).toEqual({
      driver: 'local',
      driver_opts: { type: 'tmpfs', device: 'tmpfs', o: `uid=${spec.user.uid},gid=${spec.user.gid},mode=0700` },
    });
    expect(doc.secrets).toEqual({
      vault_role_id: { file: './secrets/vault_role_id' },
      vault_secret_id: { file: './secrets/vault_secret_id' },
    });
  });

  it('aws provider: fetcher sidecar with region, pass-through credentials (names only) and the endpoint override', () => {
    const spec = makeSpec({ answers: { secretProvider: 'aws', secrets: ['api_key'], awsRegion: 'us-east-2' } });
    const doc = load(renderCompose(spec));
    const app = doc.services[spec.name];
    const aws = doc.services['aws-secrets'];
    expect(app.depends_on).toEqual({ 'aws-secrets': { condition: 'service_healthy' } });
    expect(aws.image).toBe(IMAGES.awsCli);
    expect(aws.entrypoint).toEqual(['/bin/sh', '/deploy/aws/fetch-secrets.sh']);
    expect(aws.environment).toEqual(
      expect.arrayContaining([
        'AWS_REGION=us-east-2',
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_ENDPOINT_URL',
        'HOME=/tmp',
      ]),
    );
    expect(aws.volumes).toEqual([
      './deploy/aws/fetch-secrets.sh:/deploy/aws/fetch-secrets.sh:ro',
      'run-secrets:/run/secrets',
    ]);
    expect(aws.user).toBe(app.user);
    expect(doc.secrets).toBeUndefined();
  });

  it('backing services: official images, internal network, no ports, password files, healthy before the app', () => {
    const spec = makeSpec({ answers: { services: ['postgres', 'redis'] } });
    const doc = load(renderCompose(spec));
    const app = doc.services[spec.name];
    expect(doc.networks).toMatchObject({ backend: { internal: true } });
    expect(app.networks).toEqual(['frontend', 'backend']);
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(app.environment).toMatchObject({
      DATABASE_HOST: 'postgres',
      POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password',
      REDIS_HOST: 'redis',
      REDIS_PASSWORD_FILE: '/run/secrets/redis_password',
    });
    expect(app.secrets).toEqual(expect.arrayContaining(['postgres_password', 'redis_password']));
    const pg = doc.services.postgres;
    expect(pg.user).toBe(`${SERVICE_DEFS.postgres.user.uid}:${SERVICE_DEFS.postgres.user.gid}`);
    expect(pg.networks).toEqual(['backend']);
    expect(pg.environment).toMatchObject({ POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password' });
    expect(JSON.stringify(pg.environment)).not.toMatch(/POSTGRES_PASSWORD"/);
    expect(pg.healthcheck!.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    expect(pg.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    // the socket dir /var/run/postgresql lives on a tmpfs over all of /run: a tmpfs nested in the /run
    // tmpfs Podman adds to read-only containers ends up root-owned 1755 (e2e services suite)
    expect(pg.tmpfs).toEqual(['/tmp:mode=1777,size=64m', '/run:mode=1777,size=16m']);
    const redis = doc.services.redis;
    expect(redis.networks).toEqual(['backend']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(JSON.stringify(redis.command)).toContain('/run/secrets/redis_password');
    // the config line the command writes, run for real: `"` and `\` in the password are escaped the
    // way redis.conf reads a double-quoted value, so the server gets the password back unchanged
    const dir = mkdtempSync(join(tmpdir(), 'sc-redis-'));
    try {
      const password = 'p"w\\d-$HOME-`x`';
      writeFileSync(join(dir, 'pw'), password);
      const script = (redis.command as string[])[2]
        .replace(/ && exec redis-server.*$/, '')
        .replaceAll('$$', '$')
        .replaceAll('/run/secrets/redis_password', join(dir, 'pw'))
        .replaceAll('/tmp/redis.conf', join(dir, 'redis.conf'));
      execFileSync('/bin/sh', ['-c', script]);
      const line = readFileSync(join(dir, 'redis.conf'), 'utf8');
      const m = /^requirepass "((?:[^"\\]|\\.)*)"\n$/.exec(line);
      expect(m).not.toBeNull();
      expect(m![1].replace(/\\(.)/g, '$1')).toBe(password);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(JSON.stringify(redis.healthcheck)).toContain('redis-cli');
    expect(doc.secrets).toMatchObject({
      postgres_password: { file: './secrets/postgres_password' },
      redis_password: { file: './secrets/redis_password' },
    });
  });

  it('vault/aws with services: service passwords stay local files, outside the provider volume', () => {
    const spec = makeSpec({ answers: { services: ['postgres'], secretProvider: 'aws' } });
    const app = load(renderCompose(spec)).services[spec.name];
    expect(app.secrets).toEqual([{ source: 'postgres_password', target: '/run/local-secrets/postgres_password' }]);
    expect(app.environment).toMatchObject({
      POSTGRES_PASSWORD_FILE: '/run/local-secrets/postgres_password',
      DB_PASSWORD_FILE: '/run/secrets/db_password',
    });
  });

  it('build-time secrets: build.secrets with BuildKit ids, taken from the host environment', () => {
    const doc = load(renderCompose(makeSpec({ answers: { buildSecrets: ['npm_token'] } })));
    const build = doc.services['shop-api'].build as Record<string, unknown>;
    expect(build.secrets).toEqual([{ source: 'build-npm_token', target: 'npm_token' }]);
    expect(doc.secrets!['build-npm_token']).toEqual({ environment: 'NPM_TOKEN' });
  });

  it('rejects an app name that is a generated service name', () => {
    expect(() => renderCompose(makeSpec({ answers: { name: 'postgres' } }))).toThrow(AnswerError);
  });

  it('composeObject is what the rendered YAML parses to', () => {
    for (const { spec } of matrix().slice(0, 12)) expect(load(renderCompose(spec))).toEqual(composeObject(spec));
  });
});

describe('compose.yaml text: header and comments', () => {
  it('starts with the header naming the generator version and how to regenerate', () => {
    const spec = makeSpec({
      generator: { name: 'generator-secure-container', version: '9.8.7', command: 'npx generator-secure-container' },
    });
    const text = renderCompose(spec);
    const head = text.split('\n').slice(0, 3).join('\n');
    expect(head).toMatch(/^# compose\.yaml, generated by generator-secure-container 9\.8\.7/);
    expect(head).toContain('npx generator-secure-container upgrade');
    expect(head).toContain('yo secure-container');
  });

  it('names the principle above the non-obvious keys', () => {
    const doc = parseDocument(renderCompose(makeSpec({ answers: { services: ['postgres'] } })));
    const app = doc.getIn(['services', 'shop-api'], true) as {
      items: { key: { value: string; commentBefore?: string } }[];
    };
    const comments = Object.fromEntries(app.items.map((p) => [p.key.value, p.key.commentBefore ?? '']));
    expect(comments.cap_drop).toContain('P5: drop every Linux capability');
    expect(comments.user).toMatch(/P5/);
    expect(comments.read_only).toMatch(/P5/);
    expect(comments.ports).toMatch(/P9/);
    expect(comments.init).toMatch(/P1/);
    expect(comments.restart).toMatch(/P8/);
    expect(comments.mem_limit).toMatch(/P9/);
  });

  it('warns when the port is published beyond loopback', () => {
    const text = renderCompose(makeSpec({ answers: { bind: '0.0.0.0' } }));
    expect(text).toMatch(/# P9: WARNING: published on 0\.0\.0\.0/);
    expect(load(text).services['shop-api'].ports).toEqual(['0.0.0.0:3000:3000']);
  });

  it('brackets an IPv6 bind address', () => {
    expect(load(renderCompose(makeSpec({ answers: { bind: '::1' } }))).services['shop-api'].ports).toEqual([
      '[::1]:3000:3000',
    ]);
  });

  it('is byte-identical for the same spec (no timestamps, no randomness)', () => {
    const spec = makeSpec({ answers: { services: ['postgres', 'redis'], secretProvider: 'vault' } });
    expect(renderCompose(spec)).toBe(
      renderCompose(makeSpec({ answers: { services: ['postgres', 'redis'], secretProvider: 'vault' } })),
    );
  });
});

describe('probe arguments', () => {
  it('contain no spaces in any service (podman 4.3 compose API splits healthcheck arguments on spaces)', () => {
    for (const runtime of ['node', 'python', 'go'] as const) {
      for (const provider of ['file', 'vault', 'aws'] as const) {
        const extra =
          provider === 'vault'
            ? { vaultAddr: 'https://v.example.com' }
            : provider === 'aws'
              ? { awsRegion: 'eu-west-1' }
              : {};
        const spec = buildSpec(
          answersFor(runtime, {
            secretProvider: provider,
            secrets: 'db_password,api_key',
            healthPath: '/healthz',
            ...extra,
          }),
          LAYOUTS[runtime],
        );
        const doc = parse(renderCompose(spec)) as { services: Record<string, { healthcheck?: { test: string[] } }> };
        for (const [name, svc] of Object.entries(doc.services)) {
          for (const arg of svc.healthcheck?.test ?? []) expect([name, arg]).toEqual([name, arg.replace(/\s/g, '')]);
        }
      }
    }
  });
});
