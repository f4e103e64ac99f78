import { describe, expect, it } from '@jest/globals';
import { resolveAnswers, walkQuestions, type RawAnswers } from '../../lib/core/answers/resolve.js';
import { splitCommand } from '../../lib/core/answers/parse.js';
import { QUESTIONS } from '../../lib/core/answers/schema.js';
import { AnswerError } from '../../lib/core/types.js';
import { answersFor } from '../helpers/answers.js';

function errorOf(fn: () => unknown): AnswerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AnswerError) return e;
    throw e;
  }
  throw new Error('expected an AnswerError');
}

describe('question table', () => {
  it('has one unique flag per answer key', () => {
    const flags = QUESTIONS.map((q) => q.flag);
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toEqual(
      expect.arrayContaining([
        'runtime',
        'runtime-version',
        'package-manager',
        'name',
        'port',
        'start',
        'build',
        'data-dir',
        'flavor',
        'uid',
        'gid',
        'health-path',
        'build-secret',
        'registry',
        'secret',
        'secret-provider',
        'vault-addr',
        'vault-mount',
        'vault-path',
        'aws-region',
        'aws-secret-id',
        'service',
        'bind',
        'secrets-helper',
      ]),
    );
  });
});

describe('defaults', () => {
  it('proposes per-runtime defaults and says where each answer came from', () => {
    const r = resolveAnswers({
      facts: {
        runtime: { value: 'node', source: 'package.json' },
        start: { value: ['node', 'index.js'], source: 'package.json main' },
      },
      layout: { manifests: [] },
      dirName: 'My App',
    });
    expect(r.answers).toMatchObject({
      runtime: 'node',
      runtimeVersion: '22',
      packageManager: 'npm',
      name: 'my-app',
      port: 3000,
      flavor: 'distroless',
      uid: 65532,
      gid: 65532,
      healthPath: '/',
      bind: '127.0.0.1',
      secretProvider: 'file',
      build: null,
    });
    expect(r.sources['runtime']).toBe('detected from package.json');
    expect(r.sources['start']).toBe('detected from package.json main');
    expect(r.sources['port']).toBe('default');
  });
  it('uses uid 10001 for alpine and scratch, 65532 (nonroot) for distroless', () => {
    expect(answersFor('go', { flavor: 'scratch' }).uid).toBe(10001);
    expect(answersFor('node', { flavor: 'alpine' }).uid).toBe(10001);
    expect(answersFor('python').uid).toBe(65532);
  });
  it('falls back to alpine when distroless has no image for the detected version', () => {
    const a = answersFor('python', {}, { runtimeVersion: { value: '3.12', source: '.python-version' } });
    expect(a.runtimeVersion).toBe('3.12');
    expect(a.flavor).toBe('alpine');
  });
  it('normalises versions: 22.11.0 -> 22, v20 -> 20, 3.11.9 -> 3.11, 1.23.4 -> 1.23', () => {
    expect(answersFor('node', { runtimeVersion: '22.11.0' }).runtimeVersion).toBe('22');
    expect(answersFor('node', { runtimeVersion: 'v20' }).runtimeVersion).toBe('20');
    expect(answersFor('python', { runtimeVersion: '3.11.9' }).runtimeVersion).toBe('3.11');
    expect(answersFor('go', { runtimeVersion: '1.23.4' }).runtimeVersion).toBe('1.23');
  });
  it('fills vault paths and AWS ids for every secret', () => {
    const v = answersFor('node', {
      secrets: 'db_password,api_key',
      secretProvider: 'vault',
      vaultAddr: 'https://vault.example.com:8200',
      vaultPaths: 'api_key=team/api#key',
    });
    expect(v.vaultPaths).toEqual({ db_password: 'demo/db_password', api_key: 'team/api#key' });
    const a = answersFor('node', { secrets: ['db_password'], secretProvider: 'aws', awsRegion: 'eu-west-1' });
    expect(a.awsSecretIds).toEqual({ db_password: 'demo/db_password' });
  });
  it('points a detected Go start at the binary named after --name, but never rewrites an explicit --start', () => {
    const facts = { start: { value: ['/app/api', 'serve'], source: 'cmd/api' } };
    expect(
      resolveAnswers({
        facts: { runtime: { value: 'go', source: 'go.mod' }, ...facts },
        layout: { manifests: [] },
        dirName: 'x',
        cli: { name: 'svc' },
      }).answers.start,
    ).toEqual(['/app/svc', 'serve']);
    expect(() =>
      resolveAnswers({
        facts: { runtime: { value: 'go', source: 'go.mod' } },
        layout: { manifests: [] },
        dirName: 'x',
        cli: { name: 'svc', start: '/app/api' },
      }),
    ).toThrow(/--start: must start with the compiled binary \/app\/svc/);
  });
  it('accepts repeated and comma-separated list flags alike', () => {
    expect(answersFor('node', { dataDirs: ['/data', '/var/lib/app,/srv/uploads'] }).dataDirs).toEqual([
      '/data',
      '/var/lib/app',
      '/srv/uploads',
    ]);
  });
  it('treats --no-build / empty as no build step', () => {
    expect(answersFor('node', { build: null }).build).toBeNull();
    expect(answersFor('node', { build: 'none' }).build).toBeNull();
    expect(answersFor('node', { build: 'npm run build' }).build).toEqual(['npm', 'run', 'build']);
  });
});

describe('required answers', () => {
  it('refuses to generate when no app was found, naming what it looked for and --runtime', () => {
    const e = errorOf(() => resolveAnswers({ facts: {}, layout: { manifests: [] }, dirName: 'x', cli: {} }));
    expect(e.flag).toBe('--runtime');
    expect(e.message).toMatch(
      /^no app found: looked for package\.json, pyproject\.toml, requirements\.txt, go\.mod, .* \(pass --runtime to generate anyway\)$/,
    );
  });
  it('refuses before asking anything: the interactive walk never yields the runtime question', () => {
    const walk = walkQuestions({ facts: {}, layout: { manifests: [] }, dirName: 'x' });
    expect(() => walk.next()).toThrow(/no app found/);
  });
  it('generates anyway with --runtime (the other answers take their defaults)', () => {
    const r = resolveAnswers({ facts: {}, layout: { manifests: [] }, dirName: 'x', cli: { runtime: 'go' } });
    expect(r.answers.runtime).toBe('go');
  });
  it('names --start when no entry point could be detected', () => {
    const e = errorOf(() =>
      resolveAnswers({ facts: { runtime: { value: 'node', source: 't' } }, layout: { manifests: [] }, dirName: 'x' }),
    );
    expect(e.flag).toBe('--start');
  });
  it('names --vault-addr when the vault provider has no address and a secret is named', () => {
    expect(errorOf(() => answersFor('node', { secretProvider: 'vault', secrets: 'db_password' })).flag).toBe(
      '--vault-addr',
    );
  });
  it('names --aws-region when the aws provider has no region and a secret is named', () => {
    expect(errorOf(() => answersFor('node', { secretProvider: 'aws', secrets: ['db_password'] })).flag).toBe(
      '--aws-region',
    );
  });
});

describe('questions that do not apply', () => {
  const steps = (cli: RawAnswers = {}): string[] => {
    const walk = walkQuestions({
      facts: {
        runtime: { value: 'node', source: 'package.json' },
        start: { value: ['node', 'a.js'], source: 'package.json' },
      },
      layout: { manifests: [] },
      dirName: 'x',
      cli,
    });
    const asked: string[] = [];
    for (
      let s = walk.next();
      !s.done;
      s = walk.next(s.value.question.key === 'vaultAddr' ? 'https://vault.example.com' : undefined)
    )
      asked.push(s.value.question.flag);
    return asked;
  };
  it('asks for the secret provider (and its settings) only once a secret is named', () => {
    expect(steps()).not.toContain('secret-provider');
    expect(steps({ secrets: 'db_password' })).toContain('secret-provider');
    expect(steps({ secrets: 'db_password', secretProvider: 'vault' })).toEqual(
      expect.arrayContaining(['vault-addr', 'vault-mount']),
    );
    expect(steps({ secretProvider: 'vault' })).not.toContain('vault-addr');
  });
  it('--yes agrees: no secret, no provider settings required, and the plan does not list them', () => {
    const r = resolveAnswers({
      facts: { runtime: { value: 'node', source: 't' } },
      layout: { manifests: [] },
      dirName: 'x',
      cli: { start: 'node a.js', secretProvider: 'vault' },
    });
    expect(r.answers).toMatchObject({ secretProvider: 'vault', vaultAddr: '', vaultMount: 'secret', vaultPaths: {} });
    expect(r.sources['secretProvider']).toBe('flag --secret-provider');
    expect(r.sources['vaultAddr']).toBeUndefined();
    const plain = resolveAnswers({
      facts: { runtime: { value: 'node', source: 't' } },
      layout: { manifests: [] },
      dirName: 'x',
      cli: { start: 'node a.js' },
    });
    expect(plain.answers.secretProvider).toBe('file');
    expect(plain.sources['secretProvider']).toBeUndefined();
  });
});

describe('sources', () => {
  it('a prompt that accepts the detected value keeps "detected from …" (a prompt returns "3000" for 3000)', () => {
    const facts = {
      runtime: { value: 'node' as const, source: 'package.json' },
      port: { value: 3000, source: 'server.js:4' },
      start: { value: ['node', 'server.js'], source: 'package.json: scripts.start' },
    };
    const walk = walkQuestions({ facts, layout: { manifests: [] }, dirName: 'x' });
    const typed: Record<string, unknown> = { port: '3000', start: 'node server.js', name: 'other' };
    let s = walk.next();
    while (!s.done) s = walk.next(typed[s.value.question.key]);
    expect(s.value.sources['port']).toBe('detected from server.js:4');
    expect(s.value.sources['start']).toBe('detected from package.json: scripts.start');
    expect(s.value.sources['name']).toBe('prompt');
  });
});

// A table of hostile or invalid inputs: each must be refused with an error naming the flag.
const HOSTILE: [string, Record<string, unknown>, string, RegExp][] = [
  ['runtime', { runtime: 'cobol' }, '--runtime', /one of node, python, go/],
  ['port below 1024', { port: 80 }, '--port', /1024 to 65535/],
  ['port above 65535', { port: '70000' }, '--port', /1024 to 65535/],
  ['port not a number', { port: '80a' }, '--port', /integer/],
  ['name with uppercase', { name: 'MyApp' }, '--name', /lowercase DNS label/],
  ['name with a space', { name: 'my app' }, '--name', /DNS label/],
  ['name with a newline', { name: 'app\nRUN rm -rf /' }, '--name', /DNS label/],
  ['start with $()', { start: 'node $(whoami).js' }, '--start', /\$/],
  ['start with backticks', { start: 'node `id`.js' }, '--start', /`/],
  ['start with && chain', { start: 'node a.js && sh' }, '--start', /&/],
  ['start with a pipe', { start: 'node a.js | tee x' }, '--start', /\|/],
  ['start with a newline', { start: 'node a.js\nRUN id' }, '--start', /single line/],
  ['start with a quote inside a token', { start: ['node', 'a".js'] }, '--start', /quotes/],
  ['start through npm', { start: 'npm start' }, '--start', /node directly/],
  ['start through ts-node', { start: 'node --loader ts-node/esm src/a.ts' }, '--start', /compiled JavaScript/],
  ['unterminated quote', { start: 'node "a.js' }, '--start', /unterminated/],
  ['build with redirect', { build: 'npm run build > /etc/passwd' }, '--build', />/],
  ['relative data dir', { dataDirs: 'data' }, '--data-dir', /absolute/],
  ['data dir with ..', { dataDirs: '/data/../etc' }, '--data-dir', /\.\./],
  ['data dir /etc', { dataDirs: '/etc' }, '--data-dir', /system/],
  ['data dir /run/secrets', { dataDirs: '/run/secrets' }, '--data-dir', /system/],
  ['data dir with a quote', { dataDirs: '/data"x' }, '--data-dir', /only letters/],
  ['duplicate data dir', { dataDirs: '/data,/data' }, '--data-dir', /twice/],
  ['nested data dirs', { dataDirs: '/data,/data/x' }, '--data-dir', /inside/],
  ['scratch for node', { flavor: 'scratch' }, '--flavor', /does not fit node/],
  ['unknown flavor', { flavor: 'ubuntu' }, '--flavor', /one of/],
  ['uid 0', { uid: 0 }, '--uid', /10000/],
  ['uid 1000', { uid: '1000' }, '--uid', /10000/],
  ['uid nobody', { uid: 65534 }, '--uid', /nobody/],
  ['gid 0', { gid: 0 }, '--gid', /10000/],
  ['health path without slash', { healthPath: 'healthz' }, '--health-path', /URL path/],
  ['health path with quote', { healthPath: "/h'" }, '--health-path', /URL path/],
  ['secret with uppercase', { secrets: 'DB_PASSWORD' }, '--secret', /lowercase/],
  ['secret with dash', { secrets: 'db-password' }, '--secret', /lowercase/],
  ['duplicate secret', { secrets: 'a,a' }, '--secret', /twice/],
  ['build secret = runtime secret', { secrets: 'tok', buildSecrets: 'tok' }, '--build-secret', /distinct/],
  ['unknown provider', { secretProvider: 'gcp' }, '--secret-provider', /file, vault, aws/],
  ['vault addr not a URL', { secretProvider: 'vault', vaultAddr: 'vault:8200 x' }, '--vault-addr', /URL/],
  ['vault addr ftp', { secretProvider: 'vault', vaultAddr: 'ftp://vault' }, '--vault-addr', /http/],
  [
    'vault addr with credentials',
    { secretProvider: 'vault', vaultAddr: 'https://u:p@vault' },
    '--vault-addr',
    /credentials/,
  ],
  [
    'vault path for unknown secret',
    { secretProvider: 'vault', vaultAddr: 'https://v', secrets: 'a', vaultPaths: 'b=x/y' },
    '--vault-path',
    /not one of the secrets/,
  ],
  ['aws region invalid', { secretProvider: 'aws', awsRegion: 'europe' }, '--aws-region', /not an AWS region/],
  [
    'aws id with space',
    { secretProvider: 'aws', awsRegion: 'eu-west-1', secrets: 'a', awsSecretIds: 'a=x y' },
    '--aws-secret-id',
    /secret name or ARN/,
  ],
  ['name of a generated service', { name: 'postgres' }, '--name', /generated compose service/],
  ['reserved secret name', { secrets: 'vault_role_id' }, '--secret', /reserved/],
  ['unknown service', { services: 'mysql' }, '--service', /postgres, redis/],
  ['bind not an IP', { bind: 'localhost' }, '--bind', /IP address/],
  ['registry with scheme', { registry: 'https://mirror' }, '--registry', /registry host/],
  ['node version unknown', { runtimeVersion: '16' }, '--runtime-version', /allowed/],
  [
    'python 3.12 distroless',
    { runtime: 'python', start: 'python app.py', runtimeVersion: '3.12', flavor: 'distroless' },
    '--runtime-version',
    /--flavor alpine/,
  ],
  ['package manager of another runtime', { packageManager: 'pip' }, '--package-manager', /npm, pnpm, yarn, bun/],
  ['secrets helper not boolean', { secretsHelper: 'maybe' }, '--secrets-helper', /true or false/],
];

describe.each(HOSTILE)('rejects %s', (_label, cli, flag, pattern) => {
  it(`with an error naming ${flag}`, () => {
    const e = errorOf(() => answersFor((cli['runtime'] as 'node' | undefined) ?? 'node', cli));
    expect(e.flag).toBe(flag);
    expect(e.message).toMatch(pattern);
  });
});

describe('splitCommand', () => {
  it.each([
    ['node server.js', ['node', 'server.js']],
    ['  node   "dist/my server.js"  ', ['node', 'dist/my server.js']],
    ["python -m 'my pkg'", ['python', '-m', 'my pkg']],
    ['go build -ldflags="-s -w" .', ['go', 'build', '-ldflags=-s -w', '.']],
  ])('%j', (input, argv) => {
    expect(splitCommand(input)).toEqual(argv);
  });
});
