// TypeScript path aliases a plain `tsc` build leaves unresolved (lib/runtimes/node/paths-alias.ts):
// `import app from '@/app'` compiles, and `node dist/server.js` fails with "Cannot find module".
// Each working setup (tsc-alias, tsconfig-paths, module-alias, Node's "imports", a bundler, a
// run-time TypeScript runner) gives no warning; the failing shape warns and keeps the start a guess.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../../lib/detect/index.js';
import { aliasNote, tsconfigPathsNote, unresolvedAliases } from '../../../lib/runtimes/node/paths-alias.js';
import { walkImports } from '../../../lib/runtimes/node/imports.js';
import type { Ctx } from '../../../lib/detect/model.js';

const TSCONFIG = JSON.stringify({
  compilerOptions: { outDir: 'dist', rootDir: 'src', baseUrl: '.', paths: { '@/*': ['src/*'] } },
  include: ['src'],
});

interface Shape {
  build?: string | null;
  start?: string;
  deps?: Record<string, string>;
  dev?: Record<string, string>;
  extra?: Record<string, unknown>;
  server?: string;
  files?: Record<string, string>;
  tsconfig?: string;
}

function repo(s: Shape = {}): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: 'api',
      scripts: { ...(s.build === null ? {} : { build: s.build ?? 'tsc' }), start: s.start ?? 'node dist/server.js' },
      dependencies: { express: '4.21.2', ...s.deps },
      devDependencies: { typescript: '5.7.2', ...s.dev },
      ...s.extra,
    }),
    'package-lock.json': '{}',
    'tsconfig.json': s.tsconfig ?? TSCONFIG,
    'src/server.ts': s.server ?? "import { app } from '@/app';\napp.listen(3000);\n",
    'src/app.ts': "import express from 'express';\nexport const app = express();\n",
    ...s.files,
  };
}

function detect(s: Shape = {}): { notes: string[]; guess: string | undefined; start: unknown } {
  const facts = detectFromFiles(memoryFiles(repo(s)));
  return {
    notes: (facts.notes ?? []).filter((n) => /compilerOptions\.paths|tsconfig-paths/.test(n)),
    guess: facts.start?.guess,
    start: facts.start?.value,
  };
}

function ctxOf(files: Record<string, string>): Ctx {
  const f = memoryFiles(files);
  return { files: f, has: (p) => f.list.includes(p), read: (p) => f.read(p), note: () => undefined };
}

describe('the failing shape: plain tsc, an @/ alias, nothing resolving it', () => {
  it('warns naming the alias import with file:line and keeps the start a guess', () => {
    const r = detect();
    expect(r.start).toEqual(['node', 'dist/server.js']);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(
      /^WARNING: "@\/app" \(src\/server\.ts:1\) resolves only through tsconfig compilerOptions\.paths \(from src\/server\.ts\): tsc does not rewrite .*tsc-alias.*bundler.*"imports".*--start$/,
    );
    expect(r.guess).toContain('"@/app" (src/server.ts:1)');
  });

  it('at most 8 imports are named', () => {
    const imports = Array.from({ length: 10 }, (_, i) => `import '@/m${i}';`).join('\n');
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/m${i}.ts`, 'export {};\n']));
    const r = detect({ server: `${imports}\nimport { app } from '@/app';\napp.listen(3000);\n`, files });
    expect(r.notes[0]).toMatch(/\(src\/server\.ts:8\) and 3 more resolve only/);
    expect(r.notes[0]).not.toContain('src/server.ts:9)');
  });

  it('no build script (tsc is run) warns too', () => {
    const r = detect({ build: null });
    expect(r.notes).toHaveLength(1);
    expect(r.guess).toContain('"@/app"');
  });

  it('tsc in a script run-p runs through a glob, with no tsc-alias anywhere, warns', () => {
    const r = detect({
      extra: {
        scripts: { build: 'run-p build:*', 'build:compile': 'tsc', 'build:x': 'cp a b', start: 'node dist/server.js' },
      },
    });
    expect(r.notes).toHaveLength(1);
  });

  it('a dev script run with tsx is compiled to dist for the image: the aliases still fail there, so it warns', () => {
    const r = detect({ start: 'tsx src/server.ts' });
    expect(r.start).toEqual(['node', 'dist/server.js']);
    expect(r.notes).toHaveLength(1);
  });
});

describe('working setups: no warning, the start is not a guess', () => {
  const none = (s: Shape): void => {
    const r = detect(s);
    expect(r.notes).toEqual([]);
    expect(r.guess).toBeUndefined();
  };
  it('relative imports only', () => {
    none({ server: "import { app } from './app';\napp.listen(3000);\n" });
  });
  it('tsc-alias after tsc', () => {
    none({ build: 'tsc && tsc-alias', dev: { 'tsc-alias': '1.8.10' } });
  });
  it('tsc-alias -p', () => {
    none({ build: 'tsc -p tsconfig.json && tsc-alias -p tsconfig.json' });
  });
  it('tscpaths', () => {
    none({ build: 'tsc && tscpaths -p tsconfig.json -s ./src -o ./dist' });
  });
  it('tsc-alias in postbuild', () => {
    none({ extra: { scripts: { build: 'tsc', postbuild: 'tsc-alias', start: 'node dist/server.js' } } });
  });
  it('tsc-alias through npm-run-all', () => {
    none({
      extra: {
        scripts: {
          build: 'npm-run-all clean compile alias',
          clean: 'rimraf dist',
          compile: 'tsc',
          alias: 'tsc-alias',
          start: 'node dist/server.js',
        },
      },
    });
  });
  it('tsc-alias in a script run-p runs through a glob (build:*)', () => {
    none({
      extra: {
        scripts: {
          build: 'run-p build:*',
          'build:compile': 'tsc -p tsconfig.json && tsc-alias -p tsconfig.json',
          'build:assets': 'copyfiles -f package.json dist/',
          start: 'node dist/server.js',
        },
      },
    });
  });
  it('typescript-transform-paths patched into tsc', () => {
    none({ dev: { 'typescript-transform-paths': '3.5.2', 'ts-patch': '3.2.1' } });
  });
  it('resolve-tspaths', () => {
    none({ build: 'tsc && resolve-tspaths' });
  });
  it('tsconfig-paths registered in the start: not refused (its own note is below)', () => {
    const r = detect({ start: 'node -r tsconfig-paths/register dist/server.js', deps: { 'tsconfig-paths': '4.2.0' } });
    expect(r.guess).toBeUndefined();
    expect(r.notes.filter((n) => /compilerOptions\.paths/.test(n))).toEqual([]);
  });
  it('module-alias registered by the entry', () => {
    none({
      server: "import 'module-alias/register';\nimport { app } from '@/app';\napp.listen(3000);\n",
      deps: { 'module-alias': '2.2.3' },
    });
  });
  it('module-alias registered in the start', () => {
    none({ start: 'node -r module-alias/register dist/server.js', deps: { 'module-alias': '2.2.3' } });
  });
  it('_moduleAliases in package.json', () => {
    none({ extra: { _moduleAliases: { '@': 'dist' } } });
  });
  it('a bundler builds', () => {
    none({ build: 'esbuild src/server.ts --bundle --platform=node --outfile=dist/server.js' });
  });
  it('tsup builds', () => {
    none({ build: 'tsup src/server.ts' });
  });
  it("Node's subpath imports (#app/*) resolve natively", () => {
    none({
      server: "import { app } from '#app/app';\napp.listen(3000);\n",
      extra: { imports: { '#app/*': './dist/*.js' } },
      tsconfig: JSON.stringify({
        compilerOptions: { outDir: 'dist', rootDir: 'src', paths: { '#app/*': ['./src/*'] } },
      }),
    });
  });
  it('a paths entry shadowing a declared package is not a missing module', () => {
    none({
      server: "import x from 'lodash';\nx;\n",
      deps: { lodash: '4.17.21' },
      files: { 'src/lodash.ts': 'export default 1;\n' },
      tsconfig: JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src', paths: { '*': ['src/*'] } } }),
    });
  });
  it('baseUrl alone (no paths) is not named', () => {
    none({
      server: "import { app } from 'app';\napp.listen(3000);\n",
      tsconfig: JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src', baseUrl: 'src' } }),
    });
  });
});

describe('the pure check', () => {
  const ctx = ctxOf(repo());
  const base = {
    entry: 'src/server.ts',
    aliases: { paths: { base: '.', map: { '@/*': ['src/*'] } } },
    buildText: 'tsc',
    startArgv: ['node', 'dist/server.js'],
    raw: {},
    declared: new Set<string>(),
  };
  it('finds the alias import', () => {
    expect(unresolvedAliases(ctx, base)).toEqual([{ spec: '@/app', file: 'src/server.ts', line: 1 }]);
  });
  it('a start that runs ts-node or tsx resolves paths at run time', () => {
    expect(
      unresolvedAliases(ctx, { ...base, startArgv: ['ts-node', '-r', 'tsconfig-paths/register', 'src/x.ts'] }),
    ).toEqual([]);
    expect(unresolvedAliases(ctx, { ...base, startArgv: ['node', '--import', 'tsx', 'src/server.ts'] })).toEqual([]);
    expect(unresolvedAliases(ctx, { ...base, startArgv: ['tsx', 'src/server.ts'] })).toEqual([]);
  });
  it('no note for nothing found', () => {
    expect(aliasNote([], 'src/server.ts')).toBeUndefined();
  });
  it('the walk records #imports as not aliased', () => {
    const c = ctxOf({ 'a.ts': "import '#x';\nimport '@/b';\n", 'b.ts': '' });
    const w = walkImports(c, 'a.ts', { paths: { base: '.', map: { '#x': ['b.ts'], '@/*': ['*'] } } });
    expect(w.aliased.map((a) => a.spec)).toEqual(['@/b']);
  });
});

describe('tsconfig-paths at run time', () => {
  const start = 'node -r tsconfig-paths/register dist/server.js';
  const argv = ['node', '-r', 'tsconfig-paths/register', 'dist/x.js'];
  const used = [{ spec: '@/app', file: 'src/server.ts', line: 1 }];
  it('a dependency, but the image has no tsconfig.json beside dist: warns naming the first alias import', () => {
    const r = detect({ start, deps: { 'tsconfig-paths': '4.2.0' } });
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(
      /^WARNING: the start registers tsconfig-paths \(-r tsconfig-paths\/register\): the image holds dist, node_modules and package\.json but no tsconfig\.json, so tsconfig-paths skips and the alias imports \("@\/app" src\/server\.ts:1\) fail with "Cannot find module"; rewrite the aliases at build time with tsc-alias/,
    );
    expect(r.guess).toBeUndefined();
  });
  it('a dependency, with tsc-alias in the build as well: the aliases are already rewritten, no note', () => {
    const r = detect({ start, build: 'tsc && tsc-alias', deps: { 'tsconfig-paths': '4.2.0' } });
    expect(r.notes).toEqual([]);
  });
  it('only a devDependency: both reasons', () => {
    const r = detect({ start, dev: { 'tsconfig-paths': '4.2.0' } });
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(/only in devDependencies.*; and the image holds dist/);
  });
  it('only a devDependency, no alias import: the dependency reason alone', () => {
    expect(tsconfigPathsNote(argv, {}, { 'tsconfig-paths': '4' }, 'dist', [])).toMatch(
      /only in devDependencies .*, or move tsconfig-paths to dependencies$/,
    );
  });
  it('no note when it is a dependency and no alias is imported', () => {
    expect(tsconfigPathsNote(argv, { 'tsconfig-paths': '4' }, {}, 'dist', [])).toBeUndefined();
  });
  it('no note when tsc writes next to the sources (tsconfig.json is in the image)', () => {
    expect(tsconfigPathsNote(argv, { 'tsconfig-paths': '4' }, {}, '.', used)).toBeUndefined();
  });
  it('no note when the start does not register it', () => {
    expect(tsconfigPathsNote(['node', 'dist/x.js'], {}, { 'tsconfig-paths': '4' }, 'dist', used)).toBeUndefined();
  });
});
