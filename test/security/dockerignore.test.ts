// P4: secrets stay out of the build context (issue 18, item 5). The generated .dockerignore is
// evaluated with @balena/dockerignore (a port of Docker's own matcher), the build-context scan of
// the self-check on path lists, and the walker on real temporary trees (bounds, symlinks).
import { afterEach, describe, expect, it } from '@jest/globals';
import balenaDockerignore from '@balena/dockerignore';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSpec } from '../../lib/spec/build.js';
import type { Runtime } from '../../lib/core/types.js';
import { renderDockerignore } from '../../lib/outputs/dockerignore.js';
import { walkTree } from '../../lib/fs/walk.js';
import {
  CONTEXT_CODE_EXCLUDED,
  CONTEXT_REINCLUDED,
  CONTEXT_SECRET,
  CONTEXT_UNSCANNED,
  contextPruner,
  dockerignoreAfterWrite,
  scanBuildContext,
  secretMatcher,
  SecretInContextError,
} from '../../lib/policy/context.js';
import { gatherContext, generate } from '../../lib/flow/generate.js';
import { AnswerError } from '../../lib/core/types.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';

const dockerignore = balenaDockerignore.default;
const RUNTIMES: Runtime[] = ['node', 'python', 'go'];

/** Every path of the issue (confirmed in a real build before the fix), and more of the same kind. */
const ISSUE_PATHS = [
  'config/.env',
  'certs/server.key',
  'certs/tls.pem',
  'deploy/id_rsa',
  'app/secrets/db.txt',
  'sub/.npmrc',
  'sub/credentials',
  '.envrc',
  '.ssh/id_rsa',
  '.docker/config.json',
  '.git-credentials',
  '.kube/config',
  'prod.env',
];
const MORE_SECRET_PATHS = [
  '.env',
  '.env.local',
  '.env.production',
  'services/api/.env.production',
  'a/b/c/d/.env',
  'deploy/staging.env',
  'sub/.envrc',
  'keys/signing.p12',
  'keys/store.pfx',
  'android/release.jks',
  'android/debug.keystore',
  'putty/server.ppk',
  'keys/private.asc',
  'vault/passwords.kdbx',
  'certs/ca.crt',
  'id_rsa',
  'id_rsa.pub',
  'home/.ssh/id_ed25519',
  'deploy/id_ecdsa',
  'deploy/github_deploy_rsa',
  'deploy/ci_ed25519',
  'keys/private_key',
  'keys/privkey',
  'credentials',
  'gcp/credentials.json',
  'config/credentials.yml',
  'ci/.git-credentials',
  '.npmrc',
  'packages/a/.npmrc',
  '.pypirc',
  'py/.pypirc',
  '.netrc',
  'tools/.netrc',
  'web/.htpasswd',
  'db/.pgpass',
  '.vault-token',
  '.aws/credentials',
  'ops/.aws/config',
  '.azure/accessTokens.json',
  '.gnupg/private-keys-v1.d/key.key',
  '.config/gcloud/application_default_credentials.json',
  '.kube/config',
  'ops/.kube/config',
  'ops/.docker/config.json',
  'infra/terraform.tfstate',
  'infra/terraform.tfstate.backup',
  'infra/prod.tfvars',
  'infra/.terraform/providers/x',
  'secrets/db_password',
  'secrets/README.md',
  'config/secrets.yml',
  'config/secrets.yaml',
  'config/secrets.json',
  'config/secrets.toml',
  'secrets.txt',
];

/** Files an app needs in the image (or in a build stage): they must stay in the context. */
const APP_PATHS: Record<Runtime, string[]> = {
  node: [
    'package.json',
    'package-lock.json',
    'pnpm-lock.yaml',
    'yarn.lock',
    '.yarnrc.yml',
    'server.js',
    'src/index.js',
    'src/routes/users.js',
    'src/lib/keys.js',
    'src/config/env.js',
    'views/index.html',
    'public/app.css',
    'tsconfig.json',
    'secrets.cjs',
    'src/credentials.js',
    'src/environment.ts',
  ],
  python: [
    'requirements.txt',
    'pyproject.toml',
    'poetry.lock',
    'uv.lock',
    'Pipfile',
    'Pipfile.lock',
    'app.py',
    'myapp/__init__.py',
    'myapp/wsgi.py',
    'myapp/templates/index.html',
    'myapp/static/site.css',
    'manage.py',
    'config.py',
    'secrets_helper.py',
    'myapp/keys.py',
  ],
  go: [
    'go.mod',
    'go.sum',
    'main.go',
    'cmd/api/main.go',
    'internal/server/server.go',
    'internal/secrets/secrets.go',
    'healthprobe.go',
    'vendor/modules.txt',
  ],
};

function generatedIgnore(rt: Runtime): string {
  return renderDockerignore(buildSpec(answersFor(rt), LAYOUTS[rt]));
}

describe.each(RUNTIMES)('generated .dockerignore (%s), evaluated with Docker semantics', (rt) => {
  const text = generatedIgnore(rt);
  const ig = dockerignore({ ignorecase: false }).add(text);

  it.each([...ISSUE_PATHS, ...MORE_SECRET_PATHS])('excludes %s', (p) => {
    expect(ig.ignores(p)).toBe(true);
  });

  it('keeps the app files in the build context', () => {
    expect(APP_PATHS[rt].filter((p) => ig.ignores(p))).toEqual([]);
  });

  it('keeps the root .env.example (a template without values), as before', () => {
    expect(ig.ignores('.env.example')).toBe(false);
    // nested copies are excluded like every other env file
    expect(ig.ignores('config/.env.example')).toBe(true);
    // and a secrets/ folder stays excluded whatever is in it
    expect(ig.ignores('secrets/.env.example')).toBe(true);
  });

  it('writes every secret pattern with **/ (any depth) and every exception as a plain path', () => {
    const section = text.slice(text.indexOf('# secrets and keys'), text.indexOf('# container files'));
    const rules = section.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rules.length).toBeGreaterThan(40);
    for (const r of rules) {
      if (r.startsWith('!')) expect(r).not.toMatch(/\*/);
      else expect(r).toMatch(/^\*\*\//);
    }
  });

  it('says why in comments (P4)', () => {
    expect(text).toMatch(/# secrets and keys \(P4\)/);
  });

  it('classifies every excluded secret path as a secret, and no app file', () => {
    const isSecret = secretMatcher(rt);
    expect([...ISSUE_PATHS, ...MORE_SECRET_PATHS].filter((p) => !isSecret(p) && !p.endsWith('README.md'))).toEqual([]);
    expect(APP_PATHS[rt].filter((p) => isSecret(p))).toEqual([]);
  });

  it('leaves nothing secret-looking in a context holding the issue files (scan finds nothing)', () => {
    const files = [...ISSUE_PATHS, ...MORE_SECRET_PATHS, ...APP_PATHS[rt]];
    expect(scanBuildContext({ files, pruned: [], truncated: false }, text, rt)).toEqual([]);
  });
});

describe('build-context scan', () => {
  const base = { pruned: [] as string[], truncated: false };

  it('the old root-only .dockerignore lets the issue files in: each is an error naming its path and the fix', () => {
    const old = [
      '.git',
      '.env',
      '.env.*',
      '!.env.example',
      '*.pem',
      '*.key',
      'id_rsa*',
      'credentials*',
      '.aws',
      '.npmrc',
      'secrets/',
    ].join('\n');
    const found = scanBuildContext({ ...base, files: [...ISSUE_PATHS, 'server.js', 'package.json'] }, old, 'node');
    expect(found.every((f) => f.rule === CONTEXT_SECRET && f.severity === 'error' && f.principle === 'P4')).toBe(true);
    expect(found.map((f) => f.file).sort()).toEqual([...ISSUE_PATHS].sort());
    const key = found.find((f) => f.file === 'certs/server.key');
    expect(key?.message).toMatch(/certs\/server\.key/);
    expect(key?.fix).toMatch(/add "certs\/server\.key" to \.dockerignore/);
  });

  it('a secret re-included by a "!" line is a warning (a deliberate choice), not an error', () => {
    const text = `${generatedIgnore('node')}!certs/ca.pem\n`;
    const found = scanBuildContext({ ...base, files: ['certs/ca.pem', 'certs/server.key'] }, text, 'node');
    expect(found).toEqual([
      expect.objectContaining({ rule: CONTEXT_REINCLUDED, severity: 'warning', file: 'certs/ca.pem' }),
    ]);
  });

  it('names that look like private keys are caught whatever their case (Docker matching is case-sensitive)', () => {
    const found = scanBuildContext(
      { ...base, files: ['certs/SERVER.KEY', 'deploy/Deploy_RSA', 'src/Keys.js'] },
      generatedIgnore('node'),
      'node',
    );
    expect(found.map((f) => [f.rule, f.file])).toEqual([
      [CONTEXT_SECRET, 'certs/SERVER.KEY'],
      [CONTEXT_SECRET, 'deploy/Deploy_RSA'],
    ]);
  });

  it('warns about code that a secrets/ or credentials/ directory keeps out of the build', () => {
    const found = scanBuildContext(
      { ...base, files: ['pkg/credentials/store.go', 'pkg/credentials/token.txt', 'internal/secrets/secrets.go'] },
      generatedIgnore('go'),
      'go',
    );
    expect(found).toEqual([
      expect.objectContaining({ rule: CONTEXT_CODE_EXCLUDED, severity: 'warning', file: 'pkg/credentials/store.go' }),
    ]);
    expect(found[0]?.fix).toMatch(/!pkg\/credentials/);
  });

  it('pruned directories that the .dockerignore does not exclude, and a truncated walk, are warnings (not scanned)', () => {
    const found = scanBuildContext(
      { files: [], pruned: ['node_modules', 'web/node_modules', '.git'], truncated: true },
      generatedIgnore('go'),
      'go',
    );
    expect(found.map((f) => [f.rule, f.severity, f.file])).toEqual([
      [CONTEXT_UNSCANNED, 'warning', 'node_modules/'],
      [CONTEXT_UNSCANNED, 'warning', 'web/node_modules/'],
      [CONTEXT_UNSCANNED, 'warning', '.'],
    ]);
    expect(
      scanBuildContext(
        { files: [], pruned: ['node_modules', 'web/node_modules', '.git'], truncated: false },
        generatedIgnore('node'),
        'node',
      ),
    ).toEqual([]);
  });

  it('checks the .dockerignore that will be on disk: the generated one, or the upgrade merge of the user edits', () => {
    const gen = generatedIgnore('node');
    expect(dockerignoreAfterWrite(gen, 'user', gen, false)).toBe(gen); // init: never keeps a changed file
    expect(dockerignoreAfterWrite(gen, undefined, gen, true)).toBe(gen);
    const edited = gen.replace('**/*.pem\n', '');
    const merged = dockerignoreAfterWrite(gen, edited, gen, true);
    expect(merged).not.toContain('**/*.pem\n');
    expect(scanBuildContext({ ...base, files: ['certs/tls.pem'] }, merged, 'node')).toEqual([
      expect.objectContaining({ rule: CONTEXT_SECRET, file: 'certs/tls.pem' }),
    ]);
  });
});

// ------------------------------------------------------------------ walker

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sc-walk-'));
  dirs.push(root);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('walkTree', () => {
  it('lists every file, sorted, relative and /-separated; prunes what it is told to, without entering', () => {
    const root = tree({
      'a.js': '',
      'src/b.js': '',
      'src/deep/c.js': '',
      'node_modules/x/index.js': '',
      '.git/HEAD': '',
      'web/node_modules/y.js': '',
    });
    const r = walkTree(root, { prune: contextPruner() });
    expect(r).toEqual({
      files: ['a.js', 'src/b.js', 'src/deep/c.js'],
      pruned: ['.git', 'node_modules', 'web/node_modules'],
      truncated: false,
    });
  });

  it('never follows symlinks: a link is listed as an entry, its target (even a directory, even a loop) is not walked', () => {
    const outside = tree({ id_rsa: 'KEY', 'inner/secret.pem': 'PEM' });
    const root = tree({ 'app.js': '' });
    symlinkSync(outside, join(root, 'linked-dir'));
    symlinkSync(join(outside, 'id_rsa'), join(root, 'key-link'));
    symlinkSync(root, join(root, 'loop'));
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    const r = walkTree(root);
    expect(r.files).toEqual(['app.js', 'dangling', 'key-link', 'linked-dir', 'loop']);
    expect(r.truncated).toBe(false);
  });

  it('resolves a root that is itself a symlink (as docker build does with its context), and nothing below it', () => {
    const real = tree({ 'a.js': '' });
    const parent = tree({});
    symlinkSync(real, join(parent, 'link'));
    symlinkSync(parent, join(real, 'up'));
    expect(walkTree(join(parent, 'link'))).toEqual({ files: ['a.js', 'up'], pruned: [], truncated: false });
  });

  it('reports a root that is missing or not a directory as not scanned', () => {
    const root = tree({ 'f.txt': '' });
    expect(walkTree(join(root, 'f.txt'))).toEqual({ files: [], pruned: [], truncated: true });
    expect(walkTree(join(root, 'missing'))).toEqual({ files: [], pruned: [], truncated: true });
  });

  it('stops at maxEntries and says so', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`d${i % 5}/f${i}.txt`] = '';
    const root = tree(files);
    const all = walkTree(root);
    expect(all.files).toHaveLength(50);
    expect(all.truncated).toBe(false);
    const cut = walkTree(root, { maxEntries: 20 });
    expect(cut.truncated).toBe(true);
    expect(cut.files.length).toBeLessThan(20);
  });

  it('stops at maxDepth and says so', () => {
    const root = tree({ 'a/b/c/d/e/f.txt': '', 'top.txt': '', 'a/one.txt': '' });
    const r = walkTree(root, { maxDepth: 2 });
    expect(r.files).toEqual(['a/one.txt', 'top.txt']);
    expect(r.truncated).toBe(true);
  });

  it('is linear: a wide tree of 5,000 files is listed quickly', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) files[`p${i % 50}/q${i % 7}/f${i}`] = '';
    const root = tree(files);
    const t0 = Date.now();
    expect(walkTree(root).files).toHaveLength(5000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

// ------------------------------------------------------------------ wired into the generation

describe('self-check on a real repository (gatherContext + generate)', () => {
  const nodeRepo = (extra: Record<string, string>): string =>
    tree({
      'package.json': JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { start: 'node server.js' } }),
      'package-lock.json': JSON.stringify({ name: 'demo', lockfileVersion: 3, packages: {} }),
      'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n',
      ...extra,
    });

  it('passes with the issue files planted (the generated .dockerignore keeps them all out)', async () => {
    const root = nodeRepo(Object.fromEntries(ISSUE_PATHS.map((p) => [p, 'PLANTED'])));
    const ctx = await gatherContext(root);
    expect(ctx.buildContext?.files).toEqual(expect.arrayContaining(ISSUE_PATHS));
    const g = generate(ctx, answersFor('node'), {});
    expect(g.findings.filter((f) => f.rule.startsWith('SC01'))).toEqual([]);
  });

  it('stops with an answer-level error (exit 2, nothing written) naming a key the patterns cannot catch', async () => {
    const root = nodeRepo({ 'certs/SERVER.KEY': 'PLANTED' });
    const ctx = await gatherContext(root);
    let err: unknown;
    try {
      generate(ctx, answersFor('node'), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretInContextError);
    expect(err).toBeInstanceOf(AnswerError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^build context: certs\/SERVER\.KEY looks like a secret/);
    expect(msg).toMatch(/add its path to \.dockerignore/);
    expect(msg).not.toMatch(/\n/);
  });
});
