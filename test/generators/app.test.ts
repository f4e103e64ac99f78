// Generator-level tests with yeoman-test: the real Yeoman generator, run non-interactively and
// interactively (mocked prompts), on small fixture apps; the written files are parsed and checked.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import helpers, { type RunResult } from 'yeoman-test';
import { composeSchemaErrors } from '../helpers/compose-schema.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const generator = join(repo, 'dist/generators/app/index.js');
const APPS: Record<string, string> = {
  node: join(repo, 'examples/node-app'),
  python: join(repo, 'test/fixtures/apps/python'),
  go: join(repo, 'test/fixtures/apps/go'),
};

let result: RunResult | undefined;
const dirs: string[] = [];
const ORIGINAL_CWD = process.cwd();
afterEach(() => {
  // yeoman-test chdirs into the run directory: leave it before deleting it (jest reuses this worker)
  process.chdir(ORIGINAL_CWD);
  // a failing generator run sets process.exitCode (as it should for `yo`); not the test run's
  process.exitCode = undefined;
  result = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Run the generator in `dir` (our own temp dir, so a second run can reuse it). */
function runIn(dir: string, options: Record<string, unknown>, prompts?: Record<string, unknown>) {
  const o: Record<string, unknown> = { skipInstall: true, ...options };
  let ctx = helpers.run(generator, { autoCleanup: false }).cd(dir).withOptions(o);
  if (prompts) ctx = ctx.withAnswers(prompts);
  return ctx;
}

function run(app: keyof typeof APPS, options: Record<string, unknown>, prompts?: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
  dirs.push(dir);
  cpSync(APPS[app]!, dir, { recursive: true });
  return runIn(dir, options, prompts);
}

const read = (r: RunResult, f: string): string => readFileSync(join(r.cwd, f), 'utf8');
type Service = { user: string; ports: string[]; volumes?: string[]; environment?: Record<string, string>; read_only: boolean; cap_drop: string[] };

const CASES: [string, Record<string, unknown>, number][] = [
  ['node', { flavor: 'distroless' }, 65532],
  ['node', { flavor: 'alpine' }, 10001],
  ['python', { start: 'python app.py', flavor: 'distroless' }, 65532],
  ['python', { start: 'python app.py', flavor: 'alpine', 'runtime-version': '3.12' }, 10001],
  ['go', { flavor: 'distroless' }, 65532],
  ['go', { flavor: 'alpine' }, 10001],
  ['go', { flavor: 'scratch' }, 10001],
];

describe.each(CASES)('yo secure-container --yes on a %s app, %j', (app, opts, uid) => {
  it('writes a Dockerfile with every invariant and a compose.yaml that agrees with it', async () => {
    result = await run(app as 'node', { yes: true, 'data-dir': '/data', secret: 'db_password', ...opts });
    const dockerfile = read(result, 'Dockerfile');
    const compose = parseYaml(read(result, 'compose.yaml')) as { services: Record<string, Service> };
    const name = Object.keys(compose.services)[0]!;
    const svc = compose.services[name]!;
    const port = Number(parseDockerfile(dockerfile).pop()!.instructions.find((i) => i.keyword === 'EXPOSE')!.args);
    expect(dockerfileViolations(dockerfile, { uid, gid: uid, port, dataDirs: ['/data'] })).toEqual([]);
    expect(svc.user).toBe(`${uid}:${uid}`);
    expect(svc.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(svc.read_only).toBe(true);
    expect(svc.cap_drop).toEqual(['ALL']);
    expect(svc.volumes?.some((v) => String(typeof v === 'string' ? v : (v as { target: string }).target).endsWith('/data'))).toBe(true);
    expect(svc.environment?.['DB_PASSWORD_FILE']).toBe('/run/secrets/db_password');
    const yoRc = JSON.parse(read(result, '.yo-rc.json')) as Record<string, { answers: Record<string, unknown> }>;
    expect(yoRc['generator-secure-container']!.answers).toMatchObject({ runtime: app, uid, dataDirs: ['/data'], secrets: ['db_password'] });
    if (app === 'go') expect(read(result, 'deploy/healthcheck/main.go')).toMatch(/^\/\/go:build ignore$/m);
  });
});

const PROVIDERS: [string, Record<string, unknown>][] = [
  ['file', {}],
  ['vault', { 'vault-addr': 'https://vault.example.com:8200', 'vault-path': 'api_key=team/api#key' }],
  ['aws', { 'aws-region': 'eu-west-1', 'aws-secret-id': 'api_key=arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf' }],
];
const MATRIX = (['node', 'python', 'go'] as const).flatMap((rt) => PROVIDERS.flatMap(([p, o]) => [[rt, p, o, []], [rt, p, o, ['postgres', 'redis']]] as const));

describe.each(MATRIX)('yo secure-container --yes: %s app, %s provider, services %j', (app, provider, providerOpts, services) => {
  it('writes a schema-valid compose.yaml whose every service is hardened and that agrees with the Dockerfile', async () => {
    const start = app === 'python' ? { start: 'python app.py' } : {};
    result = await run(app, { yes: true, secret: 'db_password,api_key', 'secret-provider': provider, service: [...services], 'data-dir': '/data', ...start, ...providerOpts });
    const compose = parseYaml(read(result, 'compose.yaml')) as { services: Record<string, Service & { security_opt: string[]; privileged?: boolean; depends_on?: Record<string, { condition: string }> }>; networks?: Record<string, { internal?: boolean }> };
    expect(composeSchemaErrors(compose)).toEqual([]);
    const final = parseDockerfile(read(result, 'Dockerfile')).pop()!;
    const user = final.instructions.filter((i) => i.keyword === 'USER').pop()!.args;
    const port = final.instructions.find((i) => i.keyword === 'EXPOSE')!.args;
    const name = JSON.parse(read(result, '.yo-rc.json'))['generator-secure-container'].answers.name as string;
    const appSvc = compose.services[name]!;
    expect(appSvc.user).toBe(user);
    expect(appSvc.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(appSvc.environment).toMatchObject({ DB_PASSWORD_FILE: '/run/secrets/db_password', API_KEY_FILE: '/run/secrets/api_key' });
    for (const [svcName, svc] of Object.entries(compose.services)) {
      expect([svcName, svc.read_only, svc.cap_drop, svc.security_opt]).toEqual([svcName, true, ['ALL'], expect.arrayContaining(['no-new-privileges:true'])]);
      expect(svc.privileged).toBeUndefined();
      if (svcName !== name) expect(svc.ports).toBeUndefined();
    }
    for (const s of services) {
      expect(Object.keys(compose.services)).toContain(s);
      expect(appSvc.depends_on?.[s]?.condition).toBe('service_healthy');
    }
    if (services.length) expect(Object.values(compose.networks ?? {}).some((n) => n.internal === true)).toBe(true);
    if (provider === 'vault') expect(read(result, 'deploy/vault/agent.hcl')).toMatch(/team\/data\/api|secret\/data\/team\/api/);
    if (provider === 'aws') expect(read(result, 'deploy/aws/fetch-secrets.sh')).toMatch(/secretsmanager get-secret-value/);
    if (provider === 'file') expect(read(result, 'secrets/.gitignore')).toMatch(/\*/);
  });
});

describe('yo secure-container', () => {
  it('exposes only run-loop methods (Yeoman runs every method not starting with _ as a task)', async () => {
    const mod = (await import(generator)) as { default: { prototype: object } };
    const names = Object.getOwnPropertyNames(mod.default.prototype).filter((n) => n !== 'constructor' && !n.startsWith('_'));
    expect(names.sort()).toEqual(['initializing', 'prompting', 'writing']);
  });

  it('asks what it could not settle and validates prompt answers with the same table', async () => {
    result = await run('node', {}, { port: '8088', dataDirs: '/srv/data', services: [], secrets: '' });
    const df = read(result, 'Dockerfile');
    expect(df).toMatch(/^EXPOSE 8088$/m);
    expect(df).toMatch(/^COPY --from=deps --chown=65532:65532 \/empty\/ \/srv\/data\/$/m);
    const yoRc = JSON.parse(read(result, '.yo-rc.json')) as Record<string, { answers: Record<string, unknown> }>;
    expect(yoRc['generator-secure-container']!.answers['port']).toBe(8088);
  });

  it('re-runs from .yo-rc.json without asking and writes byte-identical files', async () => {
    result = await run('go', { yes: true, port: 9000 });
    const first = read(result, 'Dockerfile');
    const again = await runIn(result.cwd, { yes: true });
    expect(read(again, 'Dockerfile')).toBe(first);
    expect(read(again, '.yo-rc.json')).toBe(read(result, '.yo-rc.json'));
  });

  it('refuses invalid flags with an error naming the flag, and writes nothing', async () => {
    await expect(run('node', { yes: true, port: '80' })).rejects.toThrow(/--port: must be an integer from 1024 to 65535/);
    await expect(run('node', { yes: true, flavor: 'scratch' })).rejects.toThrow(/--flavor: scratch does not fit node/);
    await expect(run('node', { yes: true, name: 'Bad Name' })).rejects.toThrow(/--name/);
  });

  it('upgrades a repo that has state: keeps the user\'s edits and applies new answers', async () => {
    result = await run('node', { yes: true });
    const df = join(result.cwd, 'Dockerfile');
    writeFileSync(df, readFileSync(df, 'utf8') + '# my edit\n');
    await runIn(result.cwd, { yes: true, port: 4000, force: false });
    const text = readFileSync(df, 'utf8');
    expect(text).toMatch(/# my edit\n$/);
    expect(text).toMatch(/^EXPOSE 4000$/m);
    expect(read(result, 'compose.yaml')).toMatch(/127\.0\.0\.1:4000:4000/);
  });

  it('marks a true conflict in the file and exits non-zero when non-interactive', async () => {
    result = await run('node', { yes: true });
    const df = join(result.cwd, 'Dockerfile');
    writeFileSync(df, readFileSync(df, 'utf8').replace(/^EXPOSE 3000$/m, 'EXPOSE 3001'));
    const before = process.exitCode;
    try {
      await runIn(result.cwd, { yes: true, port: 4000, force: false });
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
    const text = readFileSync(df, 'utf8');
    expect(text).toMatch(/^<<<<<<< yours/m);
    expect(text).toMatch(/^EXPOSE 3001$/m);
    expect(text).toMatch(/^EXPOSE 4000$/m);
  });

  it('never overwrites a file it did not generate when non-interactive, and then writes nothing at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
    dirs.push(dir);
    cpSync(APPS.node!, dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22\n');
    // yeoman-test runs with force: true by default (no conflict prompts); a real run has it false
    await expect(runIn(dir, { yes: true, force: false })).rejects.toThrow(/Nothing was written: Dockerfile/);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM node:22\n');
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
    expect(existsSync(join(dir, '.yo-rc.json'))).toBe(false);
  });

  it('overwrites a file it did not generate with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
    dirs.push(dir);
    cpSync(APPS.node!, dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), '# mine\n');
    await runIn(dir, { yes: true, force: true });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^# syntax=docker\/dockerfile:1/);
    expect(existsSync(join(dir, '.secure-container/manifest.json'))).toBe(true);
  });
});
