// How real Node apps say they start (issue 10 item 2): && chains after a build, stale "main",
// Nx project.json, Procfile web, pm2 and ecosystem files, `nest start`, boot scripts; and which
// start commands are a guess. In memory: each case is the smallest shape of a real layout.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';

const pkg = (o: Record<string, unknown>): string =>
  JSON.stringify({ name: 'app', dependencies: { express: '4' }, ...o });

describe('start commands of real Node layouts', () => {
  const table: {
    name: string;
    files: Record<string, string>;
    start: string[] | undefined;
    source?: RegExp;
    note?: RegExp;
    guess?: boolean;
    build?: string[] | null;
    buildOutput?: string;
  }[] = [
    {
      name: '"npm run build && node dist/server.js": the node command after the build',
      files: {
        'package.json': pkg({ scripts: { start: 'npm run build && node dist/server.js', build: 'tsc' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist","rootDir":"src"}}',
        'src/server.ts': '',
      },
      start: ['node', 'dist/server.js'],
      source: /scripts\.start "npm run build && node dist\/server\.js"; "npm run build" runs in the image build$/,
      build: ['npm', 'run', 'build'],
    },
    {
      name: '"tsc && node dist/index.js" with no build script: tsc is the build',
      files: {
        'package.json': pkg({ scripts: { start: 'tsc && node dist/index.js' }, devDependencies: { typescript: '5' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}',
        'src/index.ts': '',
      },
      start: ['node', 'dist/index.js'],
      source: /"tsc" runs in the image build/,
      build: ['npx', 'tsc'],
    },
    {
      name: '"npm run compile && node lib/index.js" without a build script: compile becomes the build',
      files: {
        'package.json': pkg({
          scripts: { start: 'npm run compile && node lib/index.js', compile: 'babel src -d lib' },
        }),
        'src/index.js': '',
      },
      start: ['node', 'lib/index.js'],
      build: ['npm', 'run', 'compile'],
      buildOutput: 'lib',
    },
    {
      name: 'npm start -> scripts.serve is followed',
      files: { 'package.json': pkg({ scripts: { start: 'npm run serve', serve: 'node dist/server.js' } }) },
      start: ['node', 'dist/server.js'],
      source: /scripts\.start "npm run serve" -> scripts\.serve "node dist\/server\.js"$/,
    },
    {
      name: 'a stale "main" (the file is gone) is not used; a common entry file is (a guess)',
      files: { 'package.json': pkg({ main: 'index.js' }), 'server.js': '' },
      start: ['node', 'server.js'],
      note: /"main" "index\.js" does not exist in the repository \(and no build step writes it\); not used/,
      guess: true,
    },
    {
      name: 'a stale "main" and nothing else: no start',
      files: { 'package.json': pkg({ main: 'app.js' }), 'lib/util.js': '' },
      start: undefined,
      note: /"main" "app\.js" does not exist/,
    },
    {
      name: 'Procfile web: node … wins (what the platform runs)',
      files: {
        'package.json': pkg({ scripts: { start: 'nodemon src/dev.js' } }),
        Procfile: 'release: node migrate.js\nweb: node src/server.js\n',
        'src/server.js': '',
      },
      start: ['node', 'src/server.js'],
      source: /^Procfile:2: web "node src\/server\.js"$/,
    },
    {
      name: 'Procfile web: npm start follows the start script',
      files: {
        'package.json': pkg({ scripts: { start: 'node index.js' } }),
        Procfile: 'web: npm start\n',
        'index.js': '',
      },
      start: ['node', 'index.js'],
      source: /^Procfile:1: web "npm start" -> scripts\.start "node index\.js"$/,
    },
    {
      name: 'Procfile web: a boot script; its migration line is noted',
      files: {
        'package.json': pkg({}),
        Procfile: 'web: sh bin/start.sh\n',
        'bin/start.sh': '#!/bin/sh\nset -e\nnpx knex migrate:latest\nexec node dist/index.js\n',
      },
      start: ['node', 'dist/index.js'],
      source: /^Procfile:1: web "sh bin\/start\.sh" -> bin\/start\.sh:4: "node dist\/index\.js"$/,
      note: /bin\/start\.sh: "npx knex migrate:latest" is not run when the container starts/,
    },
    {
      name: 'pm2 start with an ecosystem file: node + its script, no pm2',
      files: {
        'package.json': pkg({ scripts: { start: 'pm2 start ecosystem.config.json --no-daemon' } }),
        'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'app', script: 'src/index.js', instances: 1 }] }),
        'src/index.js': '',
      },
      start: ['node', 'src/index.js'],
      source: /run with node directly, without pm2 \(one process per container/,
    },
    {
      name: 'pm2-runtime start ecosystem.config.js (cluster mode noted)',
      files: {
        'package.json': pkg({ scripts: { start: 'pm2-runtime start ecosystem.config.js' } }),
        'ecosystem.config.js':
          "module.exports = {\n  apps: [{ name: 'api', script: './dist/main.js', instances: 'max', exec_mode: 'cluster' }],\n};\n",
      },
      start: ['node', 'dist/main.js'],
      source: /instances max dropped/,
    },
    {
      name: 'pm2 start dist/main.js -i 4',
      files: { 'package.json': pkg({ scripts: { start: 'pm2 start dist/main.js -i 4 --no-daemon' } }) },
      start: ['node', 'dist/main.js'],
      source: /pm2 -i 4 dropped/,
    },
    {
      name: 'NestJS `nest start` alone: the compiled main (tsconfig.build.json excludes test/)',
      files: {
        'package.json': pkg({
          scripts: { build: 'nest build', start: 'nest start' },
          dependencies: { '@nestjs/core': '10' },
        }),
        'nest-cli.json': '{"collection":"@nestjs/schematics","sourceRoot":"src"}',
        'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}',
        'tsconfig.build.json': '{"extends":"./tsconfig.json","exclude":["node_modules","test","dist","**/*spec.ts"]}',
        'src/main.ts': '',
        'src/app.controller.spec.ts': '',
        'test/app.e2e-spec.ts': '',
      },
      start: ['node', 'dist/main.js'],
      source: /the Nest CLI runs the compiled dist\/main\.js \(nest-cli\.json: sourceRoot "src", entryFile "main"/,
    },
    {
      name: 'Nx standalone: project.json outputPath (esbuild) for `nx serve`',
      files: {
        'package.json': pkg({ scripts: { start: 'nx serve', build: 'nx build' } }),
        'project.json': JSON.stringify({
          name: 'api',
          projectType: 'application',
          targets: {
            build: {
              executor: '@nx/esbuild:esbuild',
              options: { platform: 'node', outputPath: 'dist/api', main: 'src/main.ts' },
            },
          },
        }),
        'tsconfig.json': '{}',
        'src/main.ts': '',
      },
      start: ['node', 'dist/api/main.js'],
      source: /Nx project "api" builds to dist\/api/,
      build: ['npm', 'run', 'build'],
      buildOutput: 'dist/api',
    },
    {
      name: 'Nx integrated: apps/api (webpack, target node) chosen by `nx serve api`',
      files: {
        'package.json': pkg({ scripts: { start: 'nx serve api', build: 'nx build api' } }),
        'apps/api/project.json': JSON.stringify({
          name: 'api',
          projectType: 'application',
          targets: {
            build: {
              executor: '@nx/webpack:webpack',
              options: { target: 'node', outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts' },
            },
          },
        }),
        'apps/web/project.json': JSON.stringify({
          name: 'web',
          projectType: 'application',
          targets: { build: { executor: '@nx/vite:build', options: { outputPath: 'dist/apps/web' } } },
        }),
        'apps/api/src/main.ts': '',
      },
      start: ['node', 'dist/apps/api/main.js'],
      buildOutput: 'dist/apps/api',
    },
    {
      name: 'Nx inferred targets: webpack.config.js with NxAppWebpackPlugin, no start script',
      files: {
        'package.json': pkg({ scripts: {} }),
        'apps/api/project.json': JSON.stringify({ name: 'api', projectType: 'application' }),
        'apps/api/webpack.config.js':
          "const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');\nmodule.exports = { plugins: [new NxAppWebpackPlugin({ target: 'node', compiler: 'tsc', main: './src/main.ts', outputPath: '../../dist/apps/api' })] };\n",
        'apps/api/src/main.ts': '',
      },
      start: ['node', 'dist/apps/api/main.js'],
      build: ['npx', 'nx', 'build', 'api'],
      buildOutput: 'dist/apps/api',
    },
    {
      name: 'an entry that registers ts-node is not run; start:prod is',
      files: {
        'package.json': pkg({ scripts: { start: 'node index.js', 'start:prod': 'node dist/main.js' } }),
        'index.js': "require('ts-node/register');\nrequire('./src/main');\n",
        'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}',
        'src/main.ts': '',
      },
      start: ['node', 'dist/main.js'],
      note: /index\.js registers ts-node\/register \(a development loader/,
    },
    {
      name: 'nps: package-scripts.js start (default -> nps start)',
      files: {
        'package.json': pkg({ scripts: { start: 'nps' } }),
        'package-scripts.js':
          "module.exports = { scripts: { default: 'nps start', start: { script: 'cross-env NODE_ENV=production node dist/app.js', description: 'x' } } };\n",
      },
      start: ['node', 'dist/app.js'],
      source: /-> package-scripts\.js: start "cross-env NODE_ENV=production node dist\/app\.js"$/,
    },
    {
      name: 'only a dev script: its entry, compiled, is a guess',
      files: {
        'package.json': pkg({ scripts: { dev: 'ts-node src/index.ts' }, devDependencies: { typescript: '5' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}',
        'src/index.ts': '',
        'prisma/seed.ts': '',
      },
      start: ['node', 'dist/src/index.js'],
      guess: true,
    },
    {
      name: 'no "build" script but "build:prod" (nest build): that is the build',
      files: {
        'package.json': pkg({ scripts: { 'build:prod': 'nest build', 'start:prod': 'node dist/main.js' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}',
        'src/main.ts': '',
      },
      start: ['node', 'dist/main.js'],
      build: ['npm', 'run', 'build:prod'],
      buildOutput: 'dist',
    },
    {
      name: 'prestart migrations are noted',
      files: {
        'package.json': pkg({ scripts: { prestart: 'prisma migrate deploy', start: 'node server.js' } }),
        'server.js': '',
      },
      start: ['node', 'server.js'],
      note: /scripts\.prestart "prisma migrate deploy" is not run when the container starts/,
    },
  ];
  it.each(table)('$name', ({ files, start, source, note, guess, build, buildOutput }) => {
    const f = detectFromFiles(memoryFiles(files));
    expect(f.start?.value).toEqual(start);
    if (source) expect(f.start?.source).toMatch(source);
    if (note) expect((f.notes ?? []).join('\n')).toMatch(note);
    expect(f.start?.guess !== undefined).toBe(guess === true);
    if (build !== undefined) expect(f.build?.value).toEqual(build);
    if (buildOutput !== undefined) expect(f.buildOutput?.value).toBe(buildOutput);
  });
});

describe('installs', () => {
  it('no lockfile: a note says npm install is used and why that is not reproducible', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({ scripts: { start: 'node a.js' } }), 'a.js': '' }));
    expect(f.notes).toContain('no lockfile: npm install (not reproducible; commit a lockfile)');
  });
  it('a workspace root lists its members and says how to containerize one', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({
          name: 'mono',
          private: true,
          workspaces: ['apps/*', 'packages/*'],
          devDependencies: { turbo: '2' },
        }),
        'package-lock.json': '{}',
        'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/main.js' } }),
        'packages/shared/package.json': JSON.stringify({ name: 'shared' }),
      }),
    );
    expect((f.notes ?? []).join('\n')).toMatch(
      /package\.json: workspaces: a workspace root \(members: apps\/api, packages\/shared\); with a start script: apps\/api: the image is built for the root package; pass --workspace/,
    );
    expect(f.workspaceMembers?.value).toEqual(['apps/api', 'packages/shared']);
    expect(f.workspaceDefault).toBeUndefined();
  });
  it('a workspace member (workspace: dependencies) says to run at the monorepo root', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { start: 'node a.js' },
          dependencies: { '@acme/lib': 'workspace:*' },
        }),
        'a.js': '',
      }),
    );
    expect((f.notes ?? []).join('\n')).toMatch(
      /workspace member .*its lockfile and the other members are at the monorepo root/,
    );
  });
  it('Prisma: the schema, a custom output and a dev-only lifecycle script', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({
          scripts: { start: 'node src/index.js', postinstall: 'prisma generate', prepare: 'husky' },
          dependencies: { '@prisma/client': '5.22.0', express: '4' },
          devDependencies: { prisma: '5.22.0', husky: '9' },
        }),
        'prisma/schema.prisma':
          'generator client {\n  provider = "prisma-client-js"\n  output   = "../generated/client"\n}\ndatasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
        'src/index.js': '',
      }),
    );
    expect(f.prismaSchema).toEqual({
      value: 'prisma/schema.prisma',
      source: 'prisma/schema.prisma (@prisma/client is a dependency)',
    });
    expect(f.prismaOutput?.value).toBe('generated/client');
    expect(f.devLifecycle?.value).toEqual(['postinstall', 'prepare']);
    expect(f.devLifecycle?.source).toMatch(/scripts\.postinstall "prisma generate" runs prisma, a devDependency/);
  });
  it('Prisma schema named in package.json "prisma.schema"', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({
          main: 'src/main.js',
          prisma: { schema: 'src/prisma/schema.prisma' },
          dependencies: { '@prisma/client': '4' },
        }),
        'src/prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n',
        'src/main.js': '',
      }),
    );
    expect(f.prismaSchema?.value).toBe('src/prisma/schema.prisma');
    expect(f.prismaOutput).toBeUndefined();
  });
});
