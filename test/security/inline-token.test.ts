// SC0105: a registry credential written into a package-manager config file that the install copies by
// name (yarn 2+ .yarnrc.yml, Bun's bunfig.toml). The .dockerignore cannot keep such a file out (the
// install needs it), so the credential would reach the image: init stops with one line naming the
// file, the line and the setting (never the value), and writes nothing.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../lib/cli/init.js';
import { CONTEXT_INLINE_TOKEN, scanBuildContext, tokensIn, type ContextListing } from '../../lib/policy/context.js';

const TOKEN = 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('tokensIn: literal credentials of .yarnrc.yml and bunfig.toml', () => {
  const cases: [string, string, string, [number, string][]][] = [
    [
      'a literal top-level npmAuthToken',
      '.yarnrc.yml',
      `nodeLinker: pnp\nnpmAuthToken: ${TOKEN}\n`,
      [[2, 'npmAuthToken']],
    ],
    ['quoted, with a comment', '.yarnrc.yml', `npmAuthToken: "${TOKEN}"  # team\n`, [[1, 'npmAuthToken']]],
    [
      'nested under npmScopes and npmRegistries',
      '.yarnrc.yml',
      `npmScopes:\n  acme:\n    npmAuthIdent: "user:pass"\nnpmRegistries:\n  "//npm.example.com":\n    npmAuthToken: '${TOKEN}'\n`,
      [
        [3, 'npmAuthIdent'],
        [6, 'npmAuthToken'],
      ],
    ],
    ['an environment reference', '.yarnrc.yml', 'npmAuthToken: "${NPM_TOKEN}"\n', []],
    ['a reference with a fallback', '.yarnrc.yml', 'npmAuthToken: "${NPM_TOKEN-}"\n', []],
    ['an empty value', '.yarnrc.yml', 'npmAuthToken: ""\n', []],
    [
      'other settings only',
      '.yarnrc.yml',
      'npmRegistryServer: "https://npm.example.com"\nenableTelemetry: false\n',
      [],
    ],
    ['a member directory', 'apps/api/.yarnrc.yml', `npmAuthToken: ${TOKEN}\n`, [[1, 'npmAuthToken']]],
    [
      'bunfig: a literal token',
      'bunfig.toml',
      `[install.scopes]\nacme = { url = "x" }\ntoken = "${TOKEN}"\n`,
      [[3, 'token']],
    ],
    ['bunfig: an environment reference', 'bunfig.toml', 'token = "$NPM_TOKEN"\n', []],
    ['a file of another name', 'config.yml', `npmAuthToken: ${TOKEN}\n`, []],
  ];
  it.each(cases)('%s', (_name, path, text, expected) => {
    expect(tokensIn(path, text).map((t) => [t.line, t.key])).toEqual(expected);
  });

  it('is linear and bounded on a hostile file (20 findings at most)', () => {
    const text = `npmAuthToken: ${TOKEN}\n`.repeat(50_000);
    expect(tokensIn('.yarnrc.yml', text)).toHaveLength(20);
  });
});

describe('the build-context scan', () => {
  const listing = (): ContextListing => ({
    files: ['package.json', '.yarnrc.yml'],
    pruned: [],
    truncated: false,
    tokens: [{ path: '.yarnrc.yml', line: 3, key: 'npmAuthToken' }],
  });

  it('an error naming the file, line and setting; nothing when the .dockerignore keeps the file out', () => {
    const found = scanBuildContext(listing(), '', 'node').filter((f) => f.rule === CONTEXT_INLINE_TOKEN);
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toBe(
      '.yarnrc.yml:3 holds a literal npmAuthToken: the install copies .yarnrc.yml into the image, and the registry credential with it',
    );
    expect(found[0].fix).toMatch(/--package-registry-secret/);
    expect(scanBuildContext(listing(), '.yarnrc.yml\n', 'node').map((f) => f.rule)).not.toContain(CONTEXT_INLINE_TOKEN);
  });
});

describe('init on a yarn 4 workspace whose .yarnrc.yml holds a token', () => {
  const fixture = fileURLToPath(new URL('../../../test/fixtures/real/node-yarn-berry-workspace', import.meta.url));

  async function init(yarnrcLine: string) {
    const dir = mkdtempSync(join(tmpdir(), 'sc-token-'));
    dirs.push(dir);
    cpSync(fixture, dir, { recursive: true });
    rmSync(join(dir, 'expected.json'));
    writeFileSync(join(dir, '.yarnrc.yml'), `enableTelemetry: false\n${yarnrcLine}\n`);
    let out = '';
    let err = '';
    const code = await runInit(['--yes', '--workspace', 'apps/api'], {
      cwd: dir,
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    return { dir, code, out, err };
  }

  it('stops with one line naming the file, the line and the fix, never the value; nothing is written', async () => {
    const r = await init(`npmAuthToken: "${TOKEN}"`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.yarnrc\.yml:2 holds a literal npmAuthToken/);
    expect(r.err).toMatch(/--package-registry-secret/);
    expect(r.err + r.out).not.toContain(TOKEN);
    expect(r.err.trim().split('\n')[0]).toMatch(/^secure-container: build context: /);
    for (const f of ['Dockerfile', '.dockerignore', 'compose.yaml', '.yo-rc.json'])
      expect(existsSync(join(r.dir, f))).toBe(false);
  });

  it('an environment reference is fine: generated as usual', async () => {
    const r = await init('npmAuthToken: "${NPM_TOKEN-}"');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(existsSync(join(r.dir, 'Dockerfile'))).toBe(true);
  });
});
