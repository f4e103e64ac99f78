// tsconfig `extends` chains (docs/real-world.md: snowball-tools/turbo-monorepo): a shared base config
// that sets noEmit makes `tsc` a type check only; the dist/ entry is then never written, so the start
// is only a guess and --yes refuses, naming --start. outDir/rootDir/include come through the chain too.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../../lib/detect/index.js';
import { resolveAnswers } from '../../../lib/core/answers/resolve.js';
import type { Facts } from '../../../lib/core/types.js';
import type { DetectedFacts } from '../../../lib/detect/model.js';
import { collectAnswers } from '../../../lib/flow/generate.js';
import { joinRel, readTsConfig } from '../../../lib/runtimes/node/tsconfig.js';
import type { Ctx } from '../../../lib/detect/model.js';

const BASE_NOEMIT = `{
  // shared by every package
  "compilerOptions": { "strict": true, "noEmit": true, /* type-check only */ },
}`;

function turbo(apiTsconfig: Record<string, unknown>, extra: Record<string, string> = {}): DetectedFacts {
  return detectFromFiles(
    memoryFiles({
      'package.json': JSON.stringify({ name: 'mono', private: true, packageManager: 'pnpm@9.0.0' }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'apps/api/package.json': JSON.stringify({
        name: 'api',
        scripts: { build: 'tsc', serve: 'node dist/index.js' },
        dependencies: { express: '^4' },
        devDependencies: { '@acme/typescript-config': 'workspace:*', typescript: '~5.6.2' },
      }),
      'apps/api/tsconfig.json': JSON.stringify(apiTsconfig),
      'apps/api/src/index.ts': 'app.listen(3000)',
      'packages/typescript-config/package.json': JSON.stringify({ name: '@acme/typescript-config' }),
      'packages/typescript-config/base.json': BASE_NOEMIT,
      ...extra,
    }),
  );
}

const resolve = (facts: Facts, cli: Record<string, unknown> = {}) =>
  resolveAnswers({ facts, layout: { manifests: [] }, dirName: 'mono', cli });

/** --yes: no prompts, so a guess is refused */
const yes = (facts: Facts, cli: Record<string, unknown> = {}) =>
  collectAnswers({ facts, layout: { manifests: [] }, dirName: 'mono', cli });

const apiStart = (f: Facts) => f.workspaceApps?.find((a) => a.dir === 'apps/api')?.start;

describe('tsconfig extends: noEmit in a shared base config', () => {
  it('through a workspace package name: the dist/ start is a guess and the plan says why', async () => {
    const f = turbo({ extends: '@acme/typescript-config/base.json', compilerOptions: { outDir: './dist' } });
    const start = apiStart(f);
    expect(start?.value).toEqual(['node', 'dist/index.js']);
    expect(start?.guess).toMatch(/packages\/typescript-config\/base\.json sets compilerOptions\.noEmit/);
    expect(start?.guess).toMatch(/apps\/api\/tsconfig\.json -> packages\/typescript-config\/base\.json/);
    expect(f.notes?.some((n) => /^apps\/api: .*noEmit.*--start/.test(n))).toBe(true);
    // --yes (no prompts): refused, naming --start
    await expect(yes(f, { workspace: 'apps/api' })).rejects.toThrow(/is only a guess .*noEmit.*pass --start/);
    // with --start the user's choice wins
    const { answers } = resolve(f, { workspace: 'apps/api', start: 'node apps/api/build/index.js' });
    expect(answers.start).toEqual(['node', 'apps/api/build/index.js']);
  });

  it('through a relative path, and without ".json"', () => {
    const f = turbo({ extends: '../../packages/typescript-config/base', compilerOptions: { outDir: 'dist' } });
    expect(apiStart(f)?.guess).toMatch(/noEmit/);
  });

  it('the member itself turning emit back on wins over the base', () => {
    const f = turbo({
      extends: '@acme/typescript-config/base.json',
      compilerOptions: { outDir: 'dist', noEmit: false },
    });
    expect(apiStart(f)?.value).toEqual(['node', 'dist/index.js']);
    expect(apiStart(f)?.guess).toBeUndefined();
  });

  it('a TS 5 array of extends: the later config overrides the earlier', () => {
    const emits = '{ "compilerOptions": { "noEmit": false, "outDir": "out" } }';
    const later = turbo(
      { extends: ['@acme/typescript-config/base.json', './emit.json'] },
      { 'apps/api/emit.json': emits, 'apps/api/package.json': apiPkg('node out/index.js') },
    );
    expect(apiStart(later)?.value).toEqual(['node', 'out/index.js']);
    expect(apiStart(later)?.guess).toBeUndefined();
    const earlier = turbo(
      { extends: ['./emit.json', '@acme/typescript-config/base.json'] },
      { 'apps/api/emit.json': emits, 'apps/api/package.json': apiPkg('node out/index.js') },
    );
    // outDir still comes from emit.json (base.json does not set it); noEmit from base.json
    expect(apiStart(earlier)?.guess).toMatch(/noEmit/);
  });

  it('a bundler build is not affected (noEmit only stops tsc)', () => {
    const f = turbo(
      { extends: '@acme/typescript-config/base.json' },
      {
        'apps/api/package.json': JSON.stringify({
          name: 'api',
          scripts: { build: 'tsup src/index.ts', start: 'node dist/index.js' },
          dependencies: { express: '^4' },
          devDependencies: { tsup: '8', typescript: '5' },
        }),
      },
    );
    expect(apiStart(f)?.guess).toBeUndefined();
  });

  it('a single-package repository: noEmit through a local extends', async () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({
          name: 'svc',
          scripts: { build: 'tsc', start: 'node dist/server.js' },
          dependencies: { express: '4' },
          devDependencies: { typescript: '5' },
        }),
        'package-lock.json': '{}',
        'tsconfig.json':
          '{ "extends": "./config/tsconfig.base.json", "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
        'config/tsconfig.base.json': BASE_NOEMIT,
        'src/server.ts': 'app.listen(8080)',
      }),
    );
    expect(f.start?.value).toEqual(['node', 'dist/server.js']);
    expect(f.start?.guess).toMatch(/config\/tsconfig\.base\.json sets compilerOptions\.noEmit/);
    expect(f.notes?.some((n) => /writes no JavaScript/.test(n))).toBe(true);
    await expect(yes(f)).rejects.toThrow(/pass --start/);
  });

  it('an outDir inherited from a base in another directory is rebased onto the config that extends it', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({
          name: 'svc',
          scripts: { build: 'tsc -p tsconfig.build.json', start: 'node build/main.js' },
          dependencies: { express: '4' },
          devDependencies: { typescript: '5' },
        }),
        'package-lock.json': '{}',
        'tsconfig.build.json': '{ "extends": "./tsconfig.json" }',
        'tsconfig.json': '{ "extends": "./config/base.json" }',
        'config/base.json': '{ "compilerOptions": { "outDir": "../build", "rootDir": "../src" } }',
        'src/main.ts': 'app.listen(8080)',
      }),
    );
    expect(f.buildOutput?.value).toBe('build');
    expect(f.start?.value).toEqual(['node', 'build/main.js']);
    expect(f.start?.guess).toBeUndefined();
  });
});

function apiPkg(start: string): string {
  return JSON.stringify({
    name: 'api',
    scripts: { build: 'tsc', start },
    dependencies: { express: '^4' },
    devDependencies: { typescript: '5' },
  });
}

describe('tsconfig extends: limits (hostile repositories)', () => {
  const ctxOf = (files: Record<string, string>, notes: string[] = []): Ctx => {
    const mf = memoryFiles(files);
    const present = new Set(mf.list);
    return { files: mf, has: (p) => present.has(p), read: (p) => mf.read(p), note: (n) => notes.push(n) };
  };

  it('never leaves the root', () => {
    expect(joinRel('apps/api', '../../../etc/passwd')).toBeUndefined();
    expect(joinRel('apps/api', '/etc/passwd')).toBeUndefined();
    expect(joinRel('apps/api', '../../packages/c/base.json')).toBe('packages/c/base.json');
    const notes: string[] = [];
    const cfg = readTsConfig(
      ctxOf({ 'tsconfig.json': '{ "extends": "../../etc/tsconfig.json" }' }, notes),
      'tsconfig.json',
    );
    expect(cfg?.noEmit).toBeUndefined();
    expect(notes.join('\n')).toMatch(/not a file of the repository/);
  });

  it('stops at a cycle and at the depth cap', () => {
    const cyc = readTsConfig(
      ctxOf({ 'tsconfig.json': '{ "extends": "./a.json" }', 'a.json': '{ "extends": "./tsconfig.json" }' }),
      'tsconfig.json',
    );
    expect(cyc?.chain).toEqual(['tsconfig.json', 'a.json']);
    const files: Record<string, string> = { 'tsconfig.json': '{ "extends": "./c1.json" }' };
    for (let i = 1; i <= 9; i++) files[`c${i}.json`] = `{ "extends": "./c${i + 1}.json" }`;
    files['c10.json'] = '{ "compilerOptions": { "noEmit": true } }';
    const notes: string[] = [];
    const deep = readTsConfig(ctxOf(files, notes), 'tsconfig.json');
    expect(deep?.chain.length).toBe(6);
    expect(deep?.noEmit).toBeUndefined();
    expect(notes.join('\n')).toMatch(/more than 5 levels/);
  });

  it('a package not in the repository is noted, not guessed', () => {
    const notes: string[] = [];
    const cfg = readTsConfig(
      ctxOf(
        { 'tsconfig.json': '{ "extends": "@tsconfig/node20/tsconfig.json", "compilerOptions": { "outDir": "dist" } }' },
        notes,
      ),
      'tsconfig.json',
    );
    expect(cfg?.outDir).toBe('dist');
    expect(notes.join('\n')).toMatch(/not in the repository/);
  });
});
