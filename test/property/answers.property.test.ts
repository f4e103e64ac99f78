// Property tests over the whole answer space (fast-check): every valid combination of answers
// yields files that hold the Dockerfile invariants, a schema-valid compose file that agrees with
// the Dockerfile, and no error from the generator's own audit; every invalid one yields a named
// validation error and writes no file.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveAnswers, type RawAnswers } from '../../lib/core/answers/resolve.js';
import { PROFILES } from '../../lib/runtimes/index.js';
import { AnswerError, type Flavor, type Runtime } from '../../lib/core/types.js';
import { runInit } from '../../lib/cli/init.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { LAYOUTS, STARTS } from '../helpers/answers.js';
import { composeSchemaErrors } from '../helpers/compose-schema.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';

const RUNS = Number(process.env.FC_RUNS ?? 150);
const secretName = fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/).filter((s) => !s.startsWith('vault_'));
const dataDir = fc.constantFrom('/data', '/var/lib/app', '/srv/uploads', '/home/app/state', '/opt/app-data', '/cache');

const combo = fc.constantFrom(...Object.keys(PROFILES)).chain((runtime) => {
  const p = PROFILES[runtime];
  return fc.constantFrom(...p.flavors).chain((flavor: Flavor) =>
    fc.record({
      runtime: fc.constant(runtime),
      flavor: fc.constant(flavor),
      runtimeVersion: fc.constantFrom(...(p.versions[flavor] ?? [])),
      packageManager: fc.constantFrom(...p.packageManagers),
    }),
  );
});

const valid = fc
  .record({
    base: combo,
    name: fc
      .stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)
      .filter((n) => !['postgres', 'redis', 'vault-agent', 'aws-secrets'].includes(n)),
    port: fc.integer({ min: 1024, max: 65535 }),
    dataDirs: fc
      .uniqueArray(dataDir, { maxLength: 3 })
      .filter((ds) => !ds.some((d) => ds.some((o) => o !== d && d.startsWith(o + '/')))),
    uid: fc.option(
      fc.integer({ min: 10000, max: 2_000_000_000 }).filter((n) => n !== 65534),
      { nil: undefined },
    ),
    healthPath: fc.constantFrom('/', '/healthz', '/api/health', '/-/ready'),
    buildSecrets: fc.uniqueArray(
      secretName.map((s) => `b_${s}`),
      { maxLength: 2 },
    ),
    registry: fc.constantFrom('', 'mirror.example.com', 'registry.internal:5000/hub'),
    secrets: fc.uniqueArray(secretName, { maxLength: 3 }),
    provider: fc.constantFrom('file', 'vault', 'aws'),
    services: fc.subarray(['postgres', 'redis']),
    bind: fc.constantFrom('127.0.0.1', '127.0.0.1', '::1', '0.0.0.0'),
    secretsHelper: fc.boolean(),
    build: fc.boolean(),
  })
  .map((v) => {
    const cli: RawAnswers = {
      ...v.base,
      name: v.name,
      port: v.port,
      // each runtime's own example start (Go's names the binary after the app)
      start:
        (PROFILES[v.base.runtime] as (typeof PROFILES)[string] | undefined)
          ?.startExample(v.name)
          .replace(/^"|"$/g, '') ?? STARTS[v.base.runtime],
      dataDirs: v.dataDirs,
      healthPath: v.healthPath,
      buildSecrets: v.buildSecrets,
      registry: v.registry,
      secrets: v.secrets,
      secretProvider: v.provider,
      services: v.services,
      bind: v.bind,
      secretsHelper: v.secretsHelper,
      build: v.build && v.base.runtime === 'node' ? 'npm run build' : null,
      ...(v.uid !== undefined ? { uid: v.uid, gid: v.uid } : {}),
      ...(v.provider === 'vault' ? { vaultAddr: 'https://vault.example.com:8200' } : {}),
      ...(v.provider === 'aws' ? { awsRegion: 'eu-west-1' } : {}),
    };
    return cli;
  });

type Svc = {
  user?: string;
  ports?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  privileged?: boolean;
  network_mode?: string;
};

describe('every valid combination of answers', () => {
  it('yields a Dockerfile with the invariants, a schema-valid compose.yaml that agrees with it, and no self-check error', () => {
    fc.assert(
      fc.property(valid, (cli) => {
        const { answers } = resolveAnswers({
          facts: {},
          layout: LAYOUTS[cli.runtime as Runtime] ?? { manifests: [] },
          dirName: 'x',
          cli,
        });
        const { files, findings } = buildFiles(answers, LAYOUTS[answers.runtime] ?? { manifests: [] });
        const byPath = new Map(files.map((f) => [f.path, f.contents]));
        const df = byPath.get('Dockerfile')!;
        expect(
          dockerfileViolations(df, {
            uid: answers.uid,
            gid: answers.gid,
            port: answers.port,
            dataDirs: answers.dataDirs,
          }),
        ).toEqual([]);
        const compose = parseYaml(byPath.get('compose.yaml')!) as { services: Record<string, Svc> };
        expect(composeSchemaErrors(compose)).toEqual([]);
        const app = compose.services[answers.name];
        expect(app.user).toBe(`${answers.uid}:${answers.gid}`);
        const bindHost = answers.bind.includes(':') ? `[${answers.bind}]` : answers.bind;
        expect(app.ports).toEqual([`${bindHost}:${answers.port}:${answers.port}`]);
        expect(
          parseDockerfile(df)
            .pop()!
            .instructions.find((i) => i.keyword === 'EXPOSE')!.args,
        ).toBe(String(answers.port));
        for (const svc of Object.values(compose.services)) {
          expect(svc.read_only).toBe(true);
          expect(svc.cap_drop).toEqual(['ALL']);
          expect(svc.security_opt).toContain('no-new-privileges:true');
          expect(svc.privileged).toBeUndefined();
          expect(svc.network_mode).toBeUndefined();
        }
        // the generator's own audit: no error, except the rule an explicit non-loopback --bind triggers
        const errors = findings.filter(
          (f) => f.severity === 'error' && !(answers.bind === '0.0.0.0' && f.rule === 'SC2009'),
        );
        expect(errors).toEqual([]);
        // no secret *value* can appear: only names, paths and <NAME>_FILE variables are ever emitted
        for (const s of answers.secrets) expect(byPath.get('compose.yaml')).toContain(`${s.toUpperCase()}_FILE`);
      }),
      { numRuns: RUNS },
    );
  });
});

// Invalid answers: one valid base plus one hostile field.
const hostile = fc.oneof(
  fc.record({ port: fc.oneof(fc.integer({ min: -5, max: 1023 }), fc.integer({ min: 65536, max: 1e6 })) }),
  fc.record({
    name: fc
      .string({ minLength: 1, maxLength: 8 })
      .filter((s) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s.trim()) && s.trim() !== ''),
  }),
  fc.record({
    start: fc.constantFrom(
      'node a.js; rm -rf /',
      'node $(id)',
      'node `id`',
      'node a.js | sh',
      'npm start',
      'node a.js > /x',
      'node "a.js',
    ),
  }),
  fc.record({ dataDirs: fc.constantFrom('data', '/data/../etc', '/proc', '/', '/run/secrets', '/d a t a') }),
  fc.record({ uid: fc.integer({ min: 0, max: 9999 }) }),
  fc.record({ flavor: fc.constantFrom('scratch', 'ubuntu', 'debian') }),
  fc.record({ secrets: fc.constantFrom('Bad', 'a-b', 'x,x', 'a b') }),
  fc.record({ secretProvider: fc.constantFrom('gcp', 'vault'), vaultAddr: fc.constantFrom('not a url', 'ftp://x') }),
  fc.record({ secretProvider: fc.constant('aws'), awsRegion: fc.constantFrom('eu', 'europe-west1', 'us_east_1') }),
  fc.record({ bind: fc.constantFrom('localhost', '999.1.1.1', 'any') }),
  fc.record({ healthPath: fc.constantFrom('health', '/a b', "/x'") }),
);

describe('every invalid answer', () => {
  it('is refused with an AnswerError that names a flag', () => {
    fc.assert(
      fc.property(hostile, (bad) => {
        let err: unknown;
        try {
          resolveAnswers({
            facts: {},
            layout: LAYOUTS.node,
            dirName: 'x',
            cli: { runtime: 'node', name: 'demo', start: 'node server.js', ...bad },
          });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(AnswerError);
        expect((err as AnswerError).message).toMatch(/^--[a-z-]+: /);
      }),
      { numRuns: RUNS },
    );
  });

  it('writes no file at all through the bin (exit 2, message names the flag)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (bad) => {
        const dir = mkdtempSync(join(tmpdir(), 'sc-prop-'));
        try {
          const argv = ['--yes', '--runtime', 'node', '--name', 'demo', '--start', 'node server.js'];
          for (const [k, v] of Object.entries(bad)) {
            const flag =
              {
                dataDirs: 'data-dir',
                secrets: 'secret',
                secretProvider: 'secret-provider',
                vaultAddr: 'vault-addr',
                awsRegion: 'aws-region',
                healthPath: 'health-path',
              }[k] ?? k;
            argv.push(`--${flag}=${String(v)}`);
          }
          let err = '';
          const code = await runInit(argv, {
            cwd: dir,
            stdout: () => {},
            stderr: (s) => (err += s),
            interactive: false,
          });
          expect(code).toBe(2);
          expect(err).toMatch(/--[a-z-]+/);
          expect(readdirSync(dir)).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
