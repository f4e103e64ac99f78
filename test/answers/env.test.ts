// --app-env NAME=VALUE: parsing, every refusal (one line naming --app-env, nothing written), the default
// from the repository's own Dockerfile, and where the ENV lines land in the generated Dockerfile.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { runInit } from '../../lib/cli/init.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';
import { parseDockerfile } from '../helpers/dockerfile.js';
import type { Runtime } from '../../lib/core/types.js';

const example = fileURLToPath(new URL('../../../examples/node-app', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-env-'));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  return dir;
}

async function init(dir: string, argv: string[]) {
  let out = '';
  let err = '';
  const code = await runInit(argv, {
    cwd: dir,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
  });
  return { code, out, err };
}

describe('--app-env parsing', () => {
  it('repeatable NAME=VALUE, commas and = stay in the value, later wins', () => {
    const a = answersFor('go', {
      env: ['APP_ENVIRONMENT=production', 'HOSTS=a,b', 'OPTS=x=y', 'APP_ENVIRONMENT=prod'],
    });
    expect(a.env).toEqual(['APP_ENVIRONMENT=prod', 'HOSTS=a,b', 'OPTS=x=y']);
  });

  it('a prompt string splits before each UPPER_NAME= only', () => {
    expect(answersFor('go', { env: 'A=1,RUST_LOG=info,app=debug, B=x,y' }).env).toEqual([
      'A=1',
      'RUST_LOG=info,app=debug',
      'B=x,y',
    ]);
  });

  it('absent when empty (kept out of .yo-rc.json)', () => {
    expect(answersFor('go').env).toBeUndefined();
    expect(answersFor('go', { env: [] }).env).toBeUndefined();
  });

  it.each([
    ['no =', ['APP_ENVIRONMENT'], /must be NAME=VALUE/],
    ['bad name', ['1ABC=x'], /must be NAME=VALUE with NAME of letters, digits and _/],
    ['dash in name', ['APP-ENV=x'], /must be NAME=VALUE/],
    ['newline in value', ['A=x\ny'], /control character or a line break/],
    ['control char in value', ['A=x\u0007'], /control character/],
    ['value over 1 KiB', [`A=${'x'.repeat(1025)}`], /longer than 1024 bytes/],
    ['more than 50', Array.from({ length: 51 }, (_, i) => `V${i}=1`), /at most 50 variables/],
    [
      'secret-looking name',
      ['API_TOKEN=abc'],
      /^--app-env: API_TOKEN looks like a secret: pass it with --secret api_token/,
    ],
    ['secret-looking value', ['DATABASE_URL=postgres://u:pw@db/app'], /DATABASE_URL looks like a secret/],
  ])('refuses %s with one line naming --app-env', (_n, env, re) => {
    let msg = '';
    try {
      answersFor('go', { env });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^--app-env: /);
    expect(msg).toMatch(re);
    expect(msg).not.toMatch(/\n/);
    expect(msg).not.toMatch(/pw@/);
    expect(msg).not.toContain('\u0007');
  });

  it('refuses a name the generated image sets itself (PORT: use --port)', () => {
    const a = answersFor('node', { env: ['NODE_ENV=development'] });
    expect(() => buildFiles(a, LAYOUTS.node)).toThrow(/^--app-env: NODE_ENV is set by the generated image itself/);
    const b = answersFor('go', { env: ['PORT=1'] });
    expect(() => buildFiles(b, LAYOUTS.go)).toThrow(
      /PORT is set by the generated image itself \(the go profile; use --port\)/,
    );
  });

  it('the default is the detected list without the names our image sets', () => {
    const a = answersFor(
      'node',
      {},
      { env: { value: ['NODE_ENV=development', 'LOG_FORMAT=json'], source: 'Dockerfile:3' } },
    );
    expect(a.env).toEqual(['LOG_FORMAT=json']);
  });
});

describe('--app-env in the generated Dockerfile', () => {
  it.each<[Runtime]>([['go'], ['node']])('%s: ENV lines in the final stage, after the profile ENV', (rt) => {
    const a = answersFor(rt, { env: ['APP_ENVIRONMENT=production', 'GREETING=say "hi" $USER \\o/'] });
    const { files, findings } = buildFiles(a, LAYOUTS[rt]);
    const text = files.find((f) => f.path === 'Dockerfile')?.contents ?? '';
    const stages = parseDockerfile(text);
    const final = stages.at(-1)!;
    const envs = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(envs.slice(-2)).toEqual(['APP_ENVIRONMENT="production"', 'GREETING="say \\"hi\\" \\$USER \\\\o/"']);
    expect(envs.findIndex((e) => e.startsWith('PORT='))).toBeLessThan(envs.length - 2);
    for (const s of stages.slice(0, -1)) expect(s.instructions.some((i) => /APP_ENVIRONMENT/.test(i.args))).toBe(false);
    expect(text).toMatch(/^# the app's own run-time settings \(--app-env/m);
    // the self-check (the audit init runs) stays clean
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('no --app-env: the Dockerfile has no such block', () => {
    const { files } = buildFiles(answersFor('go'), LAYOUTS.go);
    expect(files.find((f) => f.path === 'Dockerfile')?.contents).not.toMatch(/run-time settings \(--app-env/);
  });
});

describe('init --app-env', () => {
  it('a refusal writes nothing and exits 2 with one line', async () => {
    const dir = app();
    const r = await init(dir, ['--yes', '--app-env', 'SESSION_SECRET=x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--app-env: SESSION_SECRET looks like a secret: pass it with --secret session_secret/);
    expect(r.err).not.toMatch(/=x\b/);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
    expect(existsSync(join(dir, '.yo-rc.json'))).toBe(false);
  });

  it('the project Dockerfile ENV is carried, recorded in .yo-rc.json and kept by upgrade', async () => {
    const dir = app();
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM node:22\nENV LOG_FORMAT=json NODE_ENV=development API_KEY=abc\nCMD ["node", "server.js"]\n',
    );
    const r = await init(dir, ['--yes', '--force']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/carries LOG_FORMAT \(line 2\)/);
    const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(df).toMatch(/^ENV LOG_FORMAT="json"$/m);
    expect(df).not.toMatch(/abc|NODE_ENV=development/);
    const rc = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<
      string,
      { answers: { env?: string[] } }
    >;
    expect(rc['generator-secure-container'].answers.env).toEqual(['LOG_FORMAT=json']);
    // a re-run reads our own Dockerfile no more; the stored answer keeps the ENV
    const again = await init(dir, ['--yes']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^ENV LOG_FORMAT="json"$/m);
  });
});

describe('yo secure-container --app-env', () => {
  // the flag is not `--env`: Yeoman keeps its Environment under options.env
  it('reaches the Dockerfile through Yeoman too', async () => {
    const dir = app();
    const cwd = process.cwd();
    const options: Record<string, unknown> = { skipInstall: true, yes: true, 'app-env': ['LOG_FORMAT=json'] };
    try {
      await helpers
        .run(join(example, '../../dist/generators/app/index.js'), { autoCleanup: false, cwd: dir })
        .withOptions(options);
    } finally {
      process.chdir(cwd);
      process.exitCode = undefined;
    }
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^ENV LOG_FORMAT="json"$/m);
  });
});
