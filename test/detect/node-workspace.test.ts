// Containerizing one member of an npm workspace from the root (issue 10 item 3): the members are
// detected, the root's delegating script picks the default, and the member's start, build and
// output are used with paths from the root, where the lockfile is.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { resolveAnswers } from '../../lib/core/answers/resolve.js';
import { AnswerError, type Facts } from '../../lib/core/types.js';
import { profileFor } from '../../lib/runtimes/index.js';

const root = (o: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'], ...o });

function repo(extra: Record<string, string> = {}, rootPkg = root()): Facts {
  return detectFromFiles(
    memoryFiles({
      'package.json': rootPkg,
      'package-lock.json': '{}',
      'packages/api/package.json': JSON.stringify({
        name: '@acme/api',
        scripts: { build: 'tsc -p tsconfig.json', start: 'node dist/main.js' },
        dependencies: { '@acme/shared': '0.1.0' },
        devDependencies: { typescript: '5' },
      }),
      'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
      'packages/api/src/main.ts': 'app.listen(process.env.PORT || 4000)',
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', main: 'index.js' }),
      'packages/shared/index.js': '',
      ...extra,
    }),
  );
}

const resolve = (facts: Facts, cli: Record<string, unknown> = {}) =>
  resolveAnswers({ facts, layout: { manifests: [] }, dirName: 'mono', cli });

describe('npm workspace members', () => {
  it('detects the members and the member the root start script runs', () => {
    const f = repo({}, root({ scripts: { start: 'npm run start --workspace=@acme/api' } }));
    expect(f.workspaceMembers?.value).toEqual(['packages/api', 'packages/shared']);
    expect(f.workspaceDefault?.value).toBe('packages/api');
    const { answers } = resolve(f);
    expect(answers.workspace).toBe('packages/api');
    expect(answers.name).toBe('api');
    expect(answers.start).toEqual(['node', 'packages/api/dist/main.js']);
    expect(answers.build).toEqual(['npm', 'run', 'build', '-w', 'packages/api']);
  });

  it('without a delegating script the root package is containerized (workspace "")', () => {
    const f = repo();
    expect(f.workspaceDefault).toBeUndefined();
    expect(() => resolve(f)).toThrow(AnswerError); // the root has no start command of its own
    const { answers } = resolve(f, { workspace: 'packages/api' });
    expect(answers.start).toEqual(['node', 'packages/api/dist/main.js']);
  });

  it('the Dockerfile copies every member manifest, builds the member and ships its output', () => {
    const f = repo();
    const { answers } = resolve(f, { workspace: './packages/api/' });
    expect(answers.workspace).toBe('packages/api');
    const p = profileFor('node');
    const layout = p.layout(f, answers, {});
    expect(layout.buildOutput).toBe('packages/api/dist');
    expect(layout.workspaceManifests).toEqual(['packages/api/package.json', 'packages/shared/package.json']);
    const d = p.dockerfile(answers, layout);
    expect(d.extra.memberManifests).toBe(
      'COPY packages/api/package.json ./packages/api/\nCOPY packages/shared/package.json ./packages/shared/',
    );
    expect(d.build).toContain('npm run build -w packages/api');
    expect(d.artefacts).toEqual(
      expect.arrayContaining([
        { stage: 'build', from: '/app/packages/shared', to: './packages/shared' },
        { stage: 'deps', from: '/app/packages/api/node_modules', to: './packages/api/node_modules' },
        { stage: 'build', from: '/app/packages/api/dist', to: './packages/api/dist' },
        { stage: 'build', from: '/app/packages/api/package.json', to: './packages/api/package.json' },
      ]),
    );
  });

  it('refuses a directory that is not a member, an unsafe path, and bun', () => {
    const f = repo();
    expect(() => resolve(f, { workspace: 'packages/web' })).toThrow(/not a member of this workspace/);
    expect(() => resolve(f, { workspace: '../other' })).toThrow(/must be a member directory/);
    expect(() => resolve(f, { workspace: 'packages/api', packageManager: 'bun' })).toThrow(
      /--workspace.*npm, pnpm, yarn only for now/,
    );
  });

  it('outside a workspace root the question does not exist: no answer, and the flag is refused', () => {
    const f = detectFromFiles(
      memoryFiles({ 'package.json': JSON.stringify({ name: 'a', scripts: { start: 'node a.js' } }), 'a.js': '' }),
    );
    const { answers } = resolve(f);
    expect('workspace' in answers).toBe(false);
    expect(() => resolve(f, { workspace: 'packages/api' })).toThrow(/only at the root of a Node\.js workspace/);
  });
});

/** A pnpm workspace (pnpm-workspace.yaml, pnpm-lock.yaml) with the API depending on a shared member. */
function pnpmRepo(): Facts {
  return detectFromFiles(
    memoryFiles({
      'package.json': JSON.stringify({
        name: 'mono',
        private: true,
        scripts: { start: 'pnpm --filter @acme/api start' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
      'apps/api/package.json': JSON.stringify({
        name: '@acme/api',
        scripts: { start: 'node src/server.js' },
        dependencies: { '@acme/shared': 'workspace:*', express: '^4.21.2' },
      }),
      'apps/api/src/server.js': "require('express')().listen(process.env.PORT || 3000)",
      'packages/shared/package.json': JSON.stringify({
        name: '@acme/shared',
        main: 'index.js',
        dependencies: { ms: '^2.1.3' },
      }),
      'packages/shared/index.js': '',
    }),
  );
}

describe('pnpm and yarn 1 workspace members', () => {
  it('pnpm: the member from the filter, pnpm-workspace.yaml copied, every member’s node_modules shipped', () => {
    const f = pnpmRepo();
    expect(f.packageManager?.value).toBe('pnpm');
    expect(f.workspaceMembers).toEqual({ value: ['apps/api', 'packages/shared'], source: 'pnpm-workspace.yaml' });
    expect(f.workspaceDefault?.value).toBe('apps/api');
    const { answers } = resolve(f);
    expect(answers.workspace).toBe('apps/api');
    expect(answers.start).toEqual(['node', 'apps/api/src/server.js']);
    const p = profileFor('node');
    const layout = p.layout(f, answers, {});
    expect(layout.manifests).toEqual(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']);
    const d = p.dockerfile(answers, layout);
    expect(d.installProd).toMatch(/pnpm install --frozen-lockfile --prod$/);
    // pnpm links each member's dependencies into its own node_modules: the shared member's (ms) too
    expect(d.artefacts).toEqual(
      expect.arrayContaining([
        { stage: 'deps', from: '/app/node_modules', to: './node_modules' },
        { stage: 'deps', from: '/app/apps/api/node_modules', to: './apps/api/node_modules' },
        { stage: 'deps', from: '/app/packages/shared/node_modules', to: './packages/shared/node_modules' },
      ]),
    );
    expect(d.extra.workspace).toBe('apps/api/node_modules packages/shared/node_modules');
  });

  it('pnpm: a member build runs through --filter from the root', () => {
    const f = pnpmRepo();
    const { answers } = resolve(f, { build: 'pnpm --filter @acme/api run build' });
    expect(answers.build).toEqual(['pnpm', '--filter', '@acme/api', 'run', 'build']);
  });

  it('yarn 1: yarn workspace <name> start picks the member; every member’s node_modules ship', () => {
    const f = repo(
      { 'yarn.lock': '# yarn lockfile v1\n' },
      root({ scripts: { start: 'yarn workspace @acme/api start' } }),
    );
    const g: Facts = { ...f, packageManager: { value: 'yarn', source: 'yarn.lock' } };
    const { answers } = resolve(g);
    expect(answers.packageManager).toBe('yarn');
    expect(answers.workspace).toBe('packages/api');
    expect(answers.build).toEqual(['yarn', 'workspace', '@acme/api', 'run', 'build']);
    const p = profileFor('node');
    const d = p.dockerfile(answers, p.layout(g, answers, {}));
    expect(d.installProd).toMatch(/yarn install --frozen-lockfile --production=true$/);
    expect(d.extra.workspace).toBe('packages/api/node_modules packages/shared/node_modules');
  });

  it('yarn 2+ without a pinned version is refused with one line naming --workspace (yarn 4: test/runtimes/node/yarn-berry.test.ts)', () => {
    const f = repo({ 'yarn.lock': '__metadata:\n' }, root({ scripts: { start: 'yarn workspace @acme/api start' } }));
    const g: Facts = { ...f, packageManager: { value: 'yarn', source: 'yarn.lock' } };
    const { answers } = resolve(g);
    const p = profileFor('node');
    expect(() => p.dockerfile(answers, p.layout(g, answers, { yarnBerry: true }))).toThrow(
      /^--workspace: the yarn version is not pinned .*"packageManager": "yarn@<version>"/,
    );
  });
});
