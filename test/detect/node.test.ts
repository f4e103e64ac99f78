import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { detectFixture } from './helpers.js';

describe('Node fixtures', () => {
  it('npm: lockfile, engines.node, start script, scoped name', async () => {
    const f = await detectFixture('node-npm');
    expect(f.runtime).toEqual({ value: 'node', source: 'package.json' });
    expect(f.packageManager).toEqual({ value: 'npm', source: 'package-lock.json' });
    expect(f.lockfiles).toEqual({ value: ['package-lock.json'], source: 'repository root' });
    // engines.node is a range: the newest supported major that satisfies it (issue 10 item 1)
    expect(f.runtimeVersion).toEqual({
      value: '24',
      source:
        'package.json: engines.node ">=20" (a range: the newest supported Node that satisfies it; supported: 20, 22, 24)',
    });
    expect(f.name).toEqual({ value: 'my-api', source: 'package.json: name "@acme/My API" (made DNS-label safe)' });
    expect(f.start).toEqual({ value: ['node', 'server.js'], source: 'package.json: scripts.start "node server.js"' });
    expect(f.build).toEqual({ value: null, source: 'package.json: no "build" script' });
    expect(f.buildOutput).toBeUndefined();
    expect(f.typescript?.value).toBe(false);
    expect(f.port).toEqual({ value: 8080, source: 'server.js:3: const PORT = process.env.PORT || 8080;' });
    expect(f.healthPath?.value).toBe('/healthz');
    expect(f.healthPath?.source).toMatch(/^server\.js:4: /);
    expect(f.notes).toBeUndefined();
  });

  it('pnpm: lockfile, .nvmrc pin, entry from main, fastify listen({port})', async () => {
    const f = await detectFixture('node-pnpm');
    expect(f.packageManager).toEqual({ value: 'pnpm', source: 'pnpm-lock.yaml' });
    expect(f.runtimeVersion).toEqual({ value: '22', source: '.nvmrc: 22.11.0' });
    expect(f.start).toEqual({ value: ['node', 'index.js'], source: 'package.json: "main": "index.js"' });
    expect(f.port?.value).toBe(3000);
    expect(f.port?.source).toMatch(/^index\.js:4: /);
    expect(f.healthPath).toEqual({
      value: '/health',
      source: "index.js:3: app.get('/health', async () => ({ ok: true }));",
    });
  });

  it('yarn: .node-version satisfying engines, vite build output, env prefix and node flags kept', async () => {
    const f = await detectFixture('node-yarn');
    expect(f.packageManager).toEqual({ value: 'yarn', source: 'yarn.lock' });
    expect(f.runtimeVersion).toEqual({ value: '20', source: '.node-version: 20.18.1 (satisfies engines.node ">=18")' });
    expect(f.build).toEqual({ value: ['yarn', 'run', 'build'], source: 'package.json: scripts.build "vite build"' });
    expect(f.buildOutput).toEqual({
      value: 'dist',
      source: 'package.json: build script runs vite (its default output)',
    });
    expect(f.start?.value).toEqual(['node', '--enable-source-maps', 'server.mjs']);
    expect(f.port?.value).toBe(5173);
  });

  it('bun: bun.lock, build argv with bun, --outdir output', async () => {
    const f = await detectFixture('node-bun');
    expect(f.packageManager).toEqual({ value: 'bun', source: 'bun.lock' });
    expect(f.build?.value).toEqual(['bun', 'run', 'build']);
    expect(f.buildOutput).toEqual({ value: 'out', source: 'package.json: build script "--outdir ./out"' });
    expect(f.start?.value).toEqual(['node', 'index.js']);
  });

  it('packageManager field wins over a stray lockfile and gives the pm version', async () => {
    const f = await detectFixture('node-pm-field');
    expect(f.packageManager).toEqual({
      value: 'pnpm',
      source: 'package.json: "packageManager": "pnpm@9.12.0" (wins over package-lock.json)',
    });
    expect(f.packageManagerVersion).toEqual({
      value: '9.12.0',
      source: 'package.json: "packageManager": "pnpm@9.12.0"',
    });
    expect(f.port?.value).toBe(4000);
  });

  it('TypeScript: outDir/rootDir from a commented tsconfig, ts-node start replaced by compiled output', async () => {
    const f = await detectFixture('node-ts');
    expect(f.typescript).toEqual({ value: true, source: 'tsconfig.json + package.json: typescript dependency' });
    expect(f.build).toEqual({ value: ['npm', 'run', 'build'], source: 'package.json: scripts.build "tsc"' });
    expect(f.buildOutput).toEqual({ value: 'build', source: 'tsconfig.json: compilerOptions.outDir' });
    expect(f.start?.value).toEqual(['node', 'build/server.js']);
    expect(f.start?.source).toContain('uses ts-node (not for production)');
    expect(f.start?.source).toContain('from src/server.ts');
    expect(f.start?.value.join(' ')).not.toMatch(/ts-node|tsx|\.ts\b/);
    // the commented-out listen(1234) and the test file's listen(9999) are ignored
    expect(f.port).toEqual({ value: 4000, source: 'src/server.ts:5: const port = Number(process.env.PORT ?? 4000);' });
    expect(f.healthPath?.value).toBe('/health');
  });

  it('TypeScript without build script: tsc build, rootDir inferred, common entry file, engines caret', async () => {
    const f = await detectFixture('node-ts-infer');
    expect(f.runtimeVersion).toEqual({
      value: '22',
      source: 'package.json: engines.node "^22.3.0" (the only supported Node that satisfies it; supported: 20, 22, 24)',
    });
    expect(f.build).toEqual({
      value: ['npx', 'tsc'],
      source: 'no "build" script: TypeScript compiled with tsc (tsconfig.json)',
    });
    expect(f.buildOutput?.value).toBe('dist');
    expect(f.start?.value).toEqual(['node', 'dist/index.js']);
    expect(f.start?.source).toBe(
      'src/index.ts (common entry file name; compiled to dist/index.js, rootDir inferred as "src" (common directory of the TypeScript sources))',
    );
    expect(f.port).toBeUndefined();
  });

  it('build output from --out-dir in a script called by the build script', async () => {
    const f = await detectFixture('node-build-outdir');
    expect(f.build?.value).toEqual(['npm', 'run', 'build']);
    expect(f.buildOutput).toEqual({ value: 'lib', source: 'package.json: build script "--out-dir lib"' });
    expect(f.start?.value).toEqual(['node', 'lib/index.js']);
    expect(f.port?.value).toBe(7000);
  });

  it('Next.js: .next output and next start run with node directly', async () => {
    const f = await detectFixture('node-next');
    expect(f.buildOutput).toEqual({
      value: '.next',
      source: 'package.json: build script runs next build (its default output)',
    });
    expect(f.start?.value).toEqual(['node', 'node_modules/next/dist/bin/next', 'start']);
  });
});

const pkg = (o: Record<string, unknown>): string => JSON.stringify({ name: 'x', dependencies: { a: '1' }, ...o });

describe('start script translation (in memory)', () => {
  const table: {
    name: string;
    files: Record<string, string>;
    start: string[] | undefined;
    source?: RegExp;
    note?: RegExp;
  }[] = [
    {
      name: 'plain node',
      files: { 'package.json': pkg({ scripts: { start: 'node app.js' } }) },
      start: ['node', 'app.js'],
    },
    {
      name: 'cross-env prefix',
      files: { 'package.json': pkg({ scripts: { start: 'cross-env NODE_ENV=production node dist/main.js' } }) },
      start: ['node', 'dist/main.js'],
    },
    {
      name: 'watch/inspect flags dropped',
      files: { 'package.json': pkg({ scripts: { start: 'node --watch --inspect=0.0.0.0:9229 srv.js' } }) },
      start: ['node', 'srv.js'],
      source: /dropped --watch, --inspect=0\.0\.0\.0:9229/,
    },
    {
      name: 'node -r ts-node/register on a .ts file -> compiled',
      files: {
        'package.json': pkg({ scripts: { start: 'node -r ts-node/register src/main.ts' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist","rootDir":"src"}}',
        'src/main.ts': '',
      },
      start: ['node', 'dist/main.js'],
      source: /uses a TypeScript loader; running the compiled dist\/main\.js \(from src\/main\.ts\)/,
    },
    {
      name: 'node --import tsx',
      files: {
        'package.json': pkg({ scripts: { start: 'node --import tsx src/index.ts' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"out"}}',
        'src/index.ts': '',
      },
      start: ['node', 'out/index.js'],
    },
    {
      name: 'tsx watch -> compiled, mts -> mjs',
      files: {
        'package.json': pkg({ scripts: { start: 'tsx watch src/server.mts' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}',
        'src/server.mts': '',
      },
      start: ['node', 'dist/server.mjs'],
    },
    {
      name: 'nodemon on compiled js',
      files: { 'package.json': pkg({ scripts: { start: 'nodemon dist/index.js' } }) },
      start: ['node', 'dist/index.js'],
      source: /uses nodemon \(not for production\)/,
    },
    {
      name: 'nodemon without file uses main',
      files: { 'package.json': pkg({ main: 'server.js', scripts: { start: 'nodemon' } }), 'server.js': '' },
      start: ['node', 'server.js'],
    },
    {
      name: 'ts project without outDir: compiled next to the source',
      files: {
        'package.json': pkg({ scripts: { start: 'ts-node index.ts' }, devDependencies: { typescript: '5' } }),
        'index.ts': '',
      },
      start: ['node', 'index.js'],
    },
    {
      name: 'NestJS: start is `nest start`, start:prod is used',
      files: {
        'package.json': pkg({ scripts: { start: 'nest start', 'start:prod': 'node dist/main' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}',
        'src/main.ts': '',
      },
      start: ['node', 'dist/main'],
      note: /scripts\.start "nest start" is not used: package\.json: scripts\.start:prod "node dist\/main" starts node directly/,
    },
    {
      name: 'a && chain: node after a migration is used, the migration is noted',
      files: { 'package.json': pkg({ scripts: { start: 'npm run migrate && node server.js' } }), 'server.js': '' },
      start: ['node', 'server.js'],
      source: /"npm run migrate" is not run at start/,
      note: /"npm run migrate" is not run when the container starts/,
    },
    {
      name: 'pipes are still refused, falls back to a common file (a guess)',
      files: { 'package.json': pkg({ scripts: { start: 'node server.js | pino-pretty' } }), 'server.js': '' },
      start: ['node', 'server.js'],
      source: /^server\.js \(common entry file name\)$/,
      note: /uses shell operators/,
    },
    {
      name: 'npm start indirection is not used',
      files: { 'package.json': pkg({ scripts: { start: 'npm run serve' } }) },
      start: undefined,
      note: /does not start node directly \(npm\)/,
    },
    {
      name: 'node -e is refused',
      files: { 'package.json': pkg({ scripts: { start: 'node -e "require(1)"' } }) },
      start: undefined,
      note: /evaluates inline code/,
    },
    {
      name: 'path escaping the repo is refused',
      files: { 'package.json': pkg({ scripts: { start: 'node ../outside.js' } }) },
      start: undefined,
      note: /not a plain relative path/,
    },
    {
      name: 'TS main mapped through rootDir inferred from include',
      files: {
        'package.json': pkg({ main: 'src/app.ts' }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"},"include":["src"]}',
        'src/app.ts': '',
        'test/a.test.ts': '',
      },
      start: ['node', 'dist/app.js'],
      source: /package\.json: "main": "src\/app\.ts" \(compiled to dist\/app\.js\)/,
    },
    {
      name: 'TS rootDir is the repo root when tests sit beside src',
      files: {
        'package.json': pkg({ main: 'src/app.ts' }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}',
        'src/app.ts': '',
        'test/a.test.ts': '',
      },
      start: ['node', 'dist/src/app.js'],
    },
  ];
  it.each(table)('$name', ({ files, start, source, note }) => {
    const f = detectFromFiles(memoryFiles(files));
    expect(f.start?.value).toEqual(start);
    if (source) expect(f.start?.source).toMatch(source);
    if (note) expect((f.notes ?? []).join('\n')).toMatch(note);
  });
});

describe('Node versions and package managers (in memory)', () => {
  it('a pin that does not satisfy engines.node loses to engines and says so', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({ engines: { node: '>=20' } }), '.nvmrc': '18' }));
    expect(f.runtimeVersion).toEqual({
      value: '24',
      source:
        'package.json: engines.node ">=20" (a range: the newest supported Node that satisfies it; supported: 20, 22, 24); .nvmrc 18 does not satisfy it',
    });
  });
  it('lts/* is the newest supported LTS line (versions: test/detect/versions.test.ts)', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({}), '.nvmrc': 'lts/*\n' }));
    expect(f.runtimeVersion).toEqual({
      value: '24',
      source: '.nvmrc: lts/* (the newest LTS line: the newest supported; supported: 20, 22, 24)',
    });
  });
  it('.node-version with a v prefix', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({}), '.node-version': 'v24.1.0' }));
    expect(f.runtimeVersion).toEqual({ value: '24', source: '.node-version: 24.1.0' });
  });
  it('npm-shrinkwrap.json means npm; several lockfiles are reported', () => {
    expect(
      detectFromFiles(memoryFiles({ 'package.json': pkg({}), 'npm-shrinkwrap.json': '{}' })).packageManager?.value,
    ).toBe('npm');
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({}), 'yarn.lock': '', 'package-lock.json': '{}' }));
    expect(f.packageManager).toEqual({
      value: 'yarn',
      source: 'yarn.lock (also found package-lock.json; yarn.lock preferred)',
    });
    expect(f.lockfiles?.value).toEqual(['yarn.lock', 'package-lock.json']);
  });
  it('bun.lockb means bun', () => {
    expect(detectFromFiles(memoryFiles({ 'package.json': pkg({}), 'bun.lockb': '\u0000' })).packageManager?.value).toBe(
      'bun',
    );
  });
  it('no lockfile: packageManager undefined, build argv says npm was assumed', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({ scripts: { build: 'webpack' } }) }));
    expect(f.packageManager).toBeUndefined();
    expect(f.build).toEqual({
      value: ['npm', 'run', 'build'],
      source: 'package.json: scripts.build "webpack" (package manager not detected: npm assumed)',
    });
    expect(f.buildOutput).toEqual({
      value: 'dist',
      source: 'package.json: build script runs webpack (its default output)',
    });
  });
  it('invalid packageManager field is noted and the lockfile used', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': pkg({ packageManager: 'cnpm@1' }), 'pnpm-lock.yaml': '' }));
    expect(f.packageManager?.value).toBe('pnpm');
    expect(f.packageManagerVersion).toBeUndefined();
    expect(f.notes?.[0]).toMatch(/packageManager "cnpm@1" is not npm\|pnpm\|yarn\|bun/);
  });
  it('tsc -p tsconfig.build.json reads that file (with extends) for outDir', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ scripts: { build: 'tsc -p tsconfig.build.json' }, devDependencies: { typescript: '5' } }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"dist"}}',
        'tsconfig.build.json': '{"extends":"./tsconfig.json","compilerOptions":{"outDir":"release"}}',
      }),
    );
    expect(f.buildOutput).toEqual({ value: 'release', source: 'tsconfig.build.json: compilerOptions.outDir' });
  });
  it('name that cannot be made DNS-safe is left undefined', () => {
    const f = detectFromFiles(
      memoryFiles({ 'package.json': JSON.stringify({ name: '@@@', dependencies: { a: '1' } }) }),
    );
    expect(f.name).toBeUndefined();
  });
  it('package.json that is not JSON still means node, with a note', () => {
    const f = detectFromFiles(memoryFiles({ 'package.json': '{ nope', 'package-lock.json': '{}' }));
    expect(f.runtime?.value).toBe('node');
    expect(f.packageManager?.value).toBe('npm');
    expect(f.notes?.[0]).toMatch(/package\.json: not valid JSON/);
  });
  it('scripts named like Object.prototype members are scripts, not prototype lookups', () => {
    for (const build of ['run-s constructor', 'npm run constructor', 'npm run toString && npm run __proto__']) {
      const f = detectFromFiles(
        memoryFiles({
          'package.json': pkg({ scripts: { build, start: 'node server.js' } }),
          'package-lock.json': '{}',
        }),
      );
      expect(f.runtime?.value).toBe('node');
    }
  });
  it('.nvmrc lts/<name> reads own code names only (lts/constructor is not a version)', () => {
    for (const nvmrc of ['lts/constructor', 'lts/toString', 'lts/__proto__']) {
      const f = detectFromFiles(memoryFiles({ 'package.json': pkg({}), '.nvmrc': nvmrc }));
      expect(f.runtimeVersion?.value ?? '').toMatch(/^(\d+)?$/);
    }
  });
});
