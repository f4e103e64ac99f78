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

  it('refuses a directory that is not a member, an unsafe path, and pnpm/yarn for now', () => {
    const f = repo();
    expect(() => resolve(f, { workspace: 'packages/web' })).toThrow(/not a member of this workspace/);
    expect(() => resolve(f, { workspace: '../other' })).toThrow(/must be a member directory/);
    expect(() => resolve(f, { workspace: 'packages/api', packageManager: 'pnpm' })).toThrow(
      /--workspace.*npm only for now/,
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
