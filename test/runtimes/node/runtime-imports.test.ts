// Packages imported at run time but listed only in devDependencies (lib/runtimes/node/imports.ts):
// the production-only install leaves them out and the app fails at start with "Cannot find module".
// The walk follows local imports from the start's source entry and collects bare specifiers.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../../lib/detect/index.js';
import type { Ctx } from '../../../lib/detect/model.js';
import {
  buildBundles,
  devOnlyImports,
  MAX_IMPORT_FILE_CHARS,
  MAX_IMPORT_FILES,
  packageName,
  scanImports,
  stripComments,
  typeOnly,
  walkImports,
} from '../../../lib/runtimes/node/imports.js';

/** A detection Ctx over a file map, counting reads. */
function ctxOf(files: Record<string, string>): Ctx & { reads: string[] } {
  const reads: string[] = [];
  const f = memoryFiles(files);
  return {
    files: f,
    reads,
    has: (p) => f.list.includes(p),
    read: (p) => {
      reads.push(p);
      return f.read(p);
    },
    note: () => undefined,
  };
}

const names = (ctx: Ctx, entry: string): string[] =>
  walkImports(ctx, entry)
    .imports.map((i) => i.name)
    .sort();

function pkgJson(o: { deps?: Record<string, string>; dev?: Record<string, string>; [k: string]: unknown }): string {
  const { deps, dev, ...rest } = o;
  return JSON.stringify({
    name: 'app',
    scripts: { start: 'node src/server.js' },
    dependencies: deps ?? { express: '4.21.2' },
    devDependencies: dev ?? {},
    ...rest,
  });
}

const warnings = (files: Record<string, string>): string[] =>
  (detectFromFiles(memoryFiles(files)).notes ?? []).filter((n) => /only in devDependencies/.test(n));

describe('scanning one file', () => {
  it('finds require, static import, side-effect import, dynamic import and re-exports, with lines', () => {
    const text = [
      "const a = require('a');", // 1
      "import b from 'b';", // 2
      "import 'c';", // 3
      "const d = await import('d');", // 4
      "export * from 'e';", // 5
      "export { f1, f2 as g } from 'f';", // 6
      'import {', // 7
      '  h1,', // 8
      '  h2,', // 9
      "} from 'h';", // 10
      'const i = require(`i`);', // 11
      "import * as j from 'j'", // 12
    ].join('\n');
    expect(scanImports(text)).toEqual([
      { spec: 'a', line: 1 },
      { spec: 'b', line: 2 },
      { spec: 'c', line: 3 },
      { spec: 'd', line: 4 },
      { spec: 'e', line: 5 },
      { spec: 'f', line: 6 },
      { spec: 'h', line: 7 },
      { spec: 'i', line: 11 },
      { spec: 'j', line: 12 },
    ]);
  });

  it('excludes type-only imports and exports, keeps a default import named "type"', () => {
    const text = [
      "import type { Request } from 'express-serve-static-core';",
      "import type Koa from 'koa-types';",
      "export type { X } from 'x-types';",
      "import { type A, type B } from 'ab-types';",
      "import type from 'named-type';",
      "import { type C, d } from 'mixed';",
      "import type, { e } from 'type-and-value';",
    ].join('\n');
    expect(scanImports(text).map((s) => s.spec)).toEqual(['named-type', 'mixed', 'type-and-value']);
    expect(typeOnly(' type { A } ')).toBe(true);
    expect(typeOnly('{ type A, type B as C }')).toBe(true);
    expect(typeOnly('{ type A, b }')).toBe(false);
    expect(typeOnly('type')).toBe(false);
  });

  it('ignores commented-out imports, member calls and computed requires; keeps lines through block comments', () => {
    const text = [
      "// const x = require('commented');",
      "/* import y from 'block';",
      "   require('block2') */ const z = require('real');",
      "obj.require('member');",
      'require(name);',
      "const url = 'http://example.com'; const w = require('after-url');",
      'require(`tpl-${x}`);',
    ].join('\n');
    expect(scanImports(text)).toEqual([
      { spec: 'real', line: 3 },
      { spec: 'after-url', line: 6 },
    ]);
    expect(stripComments('a // b\nc /* d\ne */ f').split('\n')).toEqual(['a     ', 'c     ', '     f']);
  });

  it('a pathological file is scanned in linear time', () => {
    const big = 'import '.repeat(30000) + 'x'.repeat(10000) + '('.repeat(20000);
    const t = Date.now();
    scanImports(big);
    stripComments(`'${'\\'.repeat(50000)}`);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('package names', () => {
  it.each([
    ['express', 'express'],
    ['lodash/fp', 'lodash'],
    ['@scope/pkg', '@scope/pkg'],
    ['@scope/pkg/sub/path.js', '@scope/pkg'],
    ['fs', undefined],
    ['fs/promises', undefined],
    ['node:fs', undefined],
    ['node:test', undefined],
    ['child_process', undefined],
    ['./local', undefined],
    ['../up', undefined],
    ['/abs', undefined],
    ['#internal', undefined],
    ['https://deno.land/x/mod.ts', undefined],
    ['bun:sqlite', undefined],
    ['@/alias', undefined],
    ['@scope', undefined],
  ])('%s -> %s', (spec, name) => {
    expect(packageName(spec)).toBe(name);
  });
});

describe('following local imports', () => {
  it('resolves extensions, .js written for .ts, /index files, and stops at cycles', () => {
    const ctx = ctxOf({
      'src/main.ts': "import { app } from './app.js';\nimport './boot';\nimport cfg from './config';",
      'src/app.ts': "import express from 'express';\nimport { main } from './main.js';\nexport const app = express();",
      'src/boot.mjs': "import 'dotenv/config';",
      'src/config/index.ts': "export default require('convict');",
      'src/unused.ts': "import 'never-imported';",
    });
    const walk = walkImports(ctx, 'src/main.ts');
    expect(walk.imports.map((i) => i.name)).toEqual(['express', 'dotenv', 'convict']);
    expect(walk.imports[0]).toEqual({ name: 'express', file: 'src/app.ts', line: 1 });
    // each file read once: the cycle main -> app -> main stops
    expect(ctx.reads.sort()).toEqual(['src/app.ts', 'src/boot.mjs', 'src/config/index.ts', 'src/main.ts']);
  });

  it('never leaves the root and skips declaration files', () => {
    const ctx = ctxOf({
      'server.js': "require('../../etc/passwd');\nrequire('./types');\nrequire('./lib/../lib/a');",
      'types.d.ts': "import 'from-declaration';",
      'lib/a.js': "require('pkg-a');",
    });
    expect(names(ctx, 'server.js')).toEqual(['pkg-a']);
    expect(ctx.reads).not.toContain('types.d.ts');
  });

  it(`reads at most ${MAX_IMPORT_FILES} files and skips files over ${MAX_IMPORT_FILE_CHARS} characters`, () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < MAX_IMPORT_FILES + 50; i++) files[`f${i}.js`] = `require('./f${i + 1}');\nrequire('pkg${i}');`;
    const ctx = ctxOf(files);
    const walk = walkImports(ctx, 'f0.js');
    expect(walk.truncated).toBe(true);
    expect(walk.files).toBe(MAX_IMPORT_FILES);
    expect(ctx.reads.length).toBe(MAX_IMPORT_FILES);
    expect(walk.imports.length).toBe(MAX_IMPORT_FILES);

    const big = ctxOf({
      'a.js': "require('./big');\nrequire('small');",
      'big.js': `require('hidden');\n${' '.repeat(MAX_IMPORT_FILE_CHARS)}`,
    });
    expect(names(big, 'a.js')).toEqual(['small']);
  });

  it('follows tsconfig paths and baseUrl to repository files; an unmatched alias falls back to a package', () => {
    const ctx = ctxOf({
      'src/serve.ts': "import app from '@/app';\nimport { db } from 'lib/db';\nimport koa from 'koa';",
      'src/app.ts': "import morgan from 'morgan';",
      'src/lib/db.ts': "import { PrismaClient } from '@prisma/client';",
    });
    const aliases = { baseUrl: 'src', paths: { base: 'src', map: { '@/*': ['./*'], '*': ['node_modules/*'] } } };
    // without them, @/app is no package name and lib/db is the package "lib"
    expect(names(ctx, 'src/serve.ts')).toEqual(['koa', 'lib']);
    expect(
      walkImports(ctx, 'src/serve.ts', aliases)
        .imports.map((i) => i.name)
        .sort(),
    ).toEqual(['@prisma/client', 'koa', 'morgan']);
  });

  it("counts Express's view engine as an import unless app.engine registers it", () => {
    expect(scanImports("app.set('view engine', 'ejs');")).toEqual([{ spec: 'ejs', line: 1 }]);
    expect(
      scanImports("app.engine('hbs', exphbs.engine());\napp.set('view engine', 'hbs');").map((s) => s.spec),
    ).toEqual([]);
  });

  it('only devDependencies not also in dependencies, optional or peer dependencies are reported', () => {
    const ctx = ctxOf({ 'a.js': "require('x');require('y');require('z');require('w');require('v');" });
    const pkg = {
      deps: { x: '1' },
      devDeps: { x: '1', y: '1', z: '1', w: '1' },
      raw: { optionalDependencies: { z: '1' }, peerDependencies: { w: '1' } },
    };
    expect(devOnlyImports(ctx, pkg, 'a.js').map((i) => i.name)).toEqual(['y']);
  });
});

describe('the plan warning', () => {
  const app = {
    'src/server.js': "const app = require('./app');\napp.listen(3000);",
    'src/app.js':
      "const express = require('express');\nconst ejs = require('ejs');\nconst cp = require('cookie-parser');\nmodule.exports = express();",
    'src/app.test.js': "require('supertest');",
  };

  it('names each package with the file:line importing it and what to do; init does not refuse', () => {
    const w = warnings({
      'package.json': pkgJson({ dev: { ejs: '3', 'cookie-parser': '1', supertest: '7', nodemon: '3' } }),
      'package-lock.json': '{}',
      ...app,
    });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^WARNING: package\.json: ejs \(src\/app\.js:2\), cookie-parser \(src\/app\.js:3\) are imported/,
    );
    expect(w[0]).toContain('move them to dependencies (npm install --save-prod ejs cookie-parser)');
    expect(w[0]).not.toContain('supertest');
  });

  it('uses the package manager of the repository', () => {
    const w = warnings({
      'package.json': pkgJson({ dev: { ejs: '3' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      ...app,
    });
    expect(w[0]).toContain('move it to dependencies (pnpm add --save-prod ejs)');
  });

  it('says nothing when every run-time package is a dependency', () => {
    expect(
      warnings({ 'package.json': pkgJson({ deps: { express: '4', ejs: '3', 'cookie-parser': '1' } }), ...app }),
    ).toEqual([]);
  });

  it.each([
    ['esbuild src/server.js --bundle --platform=node --outfile=dist/server.js'],
    ['webpack --mode production'],
    ['rollup -c'],
    ['tsup src/server.ts'],
    ['ncc build src/server.js -o dist'],
    ['vite build --ssr src/server.js'],
    ['bun build src/server.js --target node --outdir dist'],
  ])('skips the check when the build bundles: %s', (build) => {
    expect(buildBundles(build)).toBe(true);
    const files = {
      'package.json': pkgJson({ dev: { ejs: '3' }, scripts: { build, start: 'node src/server.js' } }),
      ...app,
    };
    expect(warnings(files)).toEqual([]);
  });

  it('does not take tsc, nest build or vite-node for bundlers', () => {
    expect(buildBundles('tsc -p tsconfig.build.json')).toBe(false);
    expect(buildBundles('nest build')).toBe(false);
    expect(buildBundles('vite-node src/server.ts')).toBe(false);
  });

  it('follows the TypeScript source of a compiled dist entry', () => {
    const w = warnings({
      'package.json': pkgJson({
        scripts: { build: 'tsc', start: 'node dist/main.js' },
        dev: { typescript: '5', helmet: '8', '@types/express': '5' },
      }),
      'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
      'src/main.ts':
        "import type { Request } from '@types/express';\nimport express from 'express';\nimport { secure } from './secure.js';\nexpress().use(secure).listen(3000);",
      'src/secure.ts': "import helmet from 'helmet';\nexport const secure = helmet();",
    });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^WARNING: package\.json: helmet \(src\/secure\.ts:1\) is imported .*\(from src\/main\.ts\)/);
  });

  it("a workspace member: the member's own package.json decides, paths from the root", () => {
    const w = warnings({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'package-lock.json': '{}',
      'apps/api/package.json': pkgJson({ dev: { ejs: '3' } }),
      'apps/api/src/server.js': "require('express');\nrequire('ejs');",
      'apps/web/package.json': pkgJson({ deps: { express: '4', ejs: '3' } }),
      'apps/web/src/server.js': "require('express');\nrequire('ejs');",
    });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^WARNING: apps\/api\/package\.json: ejs \(apps\/api\/src\/server\.js:2\) is imported .*\(from apps\/api\/src\/server\.js\)/,
    );
    expect(w[0]).toContain('(in apps/api: npm install --save-prod ejs)');
  });

  it('names at most 8 packages with their lines, and puts every one in the command', () => {
    const dev = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, '1']));
    const w = warnings({
      'package.json': pkgJson({ dev, scripts: { start: 'node server.js' } }),
      'server.js': Object.keys(dev)
        .map((n) => `require('${n}');`)
        .join('\n'),
    });
    expect(w[0]).toContain('p7 (server.js:8) and 2 more are imported');
    expect(w[0]).toContain('(npm install --save-prod p0 p1 p2 p3 p4 p5 p6 p7 p8 p9)');
  });
});
