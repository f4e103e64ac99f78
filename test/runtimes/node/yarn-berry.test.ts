// yarn berry (2+) workspaces: one member installed with `yarn workspaces focus <name> --production`
// (built into yarn 4; yarn 2/3 need the workspace-tools plugin), .yarnrc.yml's nodeLinker respected
// (Plug'n'Play: .pnp.cjs through NODE_OPTIONS, packages zipped in the project's .yarn/cache), and
// the committed yarnPath release and plugins copied before the install.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectFromFiles, memoryFiles } from '../../../lib/detect/index.js';
import { resolveAnswers } from '../../../lib/core/answers/resolve.js';
import type { Facts, ProjectLayout } from '../../../lib/core/types.js';
import { profileFor } from '../../../lib/runtimes/index.js';
import type { RepoPeek } from '../../../lib/runtimes/profile.js';
import { berryOf, readBerry } from '../../../lib/runtimes/node/berry.js';
import { runInit } from '../../../lib/cli/init.js';
import { dockerfileViolations, parseDockerfile } from '../../helpers/dockerfile.js';

const node = profileFor('node');

function files(o: { pm?: string; tsBuild?: boolean; apiName?: string | null } = {}): Record<string, string> {
  const api: Record<string, unknown> = {
    scripts: o.tsBuild ? { build: 'tsc', start: 'node dist/main.js' } : { start: 'node src/main.js' },
    dependencies: { '@acme/shared': 'workspace:^', express: '4.21.2' },
    ...(o.tsBuild ? { devDependencies: { typescript: '5.6.3' } } : {}),
  };
  if (o.apiName !== null) api.name = o.apiName ?? '@acme/api';
  return {
    'package.json': JSON.stringify({
      name: 'mono',
      private: true,
      ...(o.pm !== undefined ? { packageManager: o.pm } : {}),
      workspaces: ['apps/*', 'packages/*'],
      scripts: { start: 'yarn workspace @acme/api start' },
    }),
    'yarn.lock': '__metadata:\n  version: 8\n',
    'apps/api/package.json': JSON.stringify(api),
    ...(o.tsBuild
      ? {
          'apps/api/tsconfig.json': '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
          'apps/api/src/main.ts': 'app.listen(3000)',
        }
      : { 'apps/api/src/main.js': 'app.listen(3000)' }),
    'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', main: 'index.js' }),
    'packages/shared/index.js': '',
  };
}

/** RepoPeek over a file map (what layoutHints reads with I/O). */
const peek = (f: Record<string, string>): RepoPeek => ({
  readText: (p) => f[p],
  exists: (p) => Object.prototype.hasOwnProperty.call(f, p),
});

function plan(f: Record<string, string>, cli: Record<string, unknown> = {}) {
  const facts: Facts = detectFromFiles(memoryFiles(f));
  const { answers } = resolveAnswers({ facts, layout: { manifests: [] }, dirName: 'mono', cli });
  const hints = node.layoutHints?.(facts, peek(f)) ?? {};
  const layout: ProjectLayout = node.layout(facts, answers, hints);
  return { facts, answers, layout, build: () => node.dockerfile(answers, layout) };
}

describe('.yarnrc.yml: linker, release and plugins', () => {
  it('reads nodeLinker, yarnPath and plugins (only files that exist, only under .yarn/)', () => {
    const b = readBerry(
      peek({
        '.yarnrc.yml': [
          'nodeLinker: node-modules',
          'yarnPath: .yarn/releases/yarn-3.8.7.cjs',
          'npmAuthToken: "${NPM_TOKEN}"',
          'plugins:',
          '  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs',
          '    spec: "@yarnpkg/plugin-workspace-tools"',
          '  - path: ../../etc/evil.cjs',
          '  - .yarn/plugins/missing.cjs',
        ].join('\n'),
        '.yarn/releases/yarn-3.8.7.cjs': '',
        '.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs': '',
        '../../etc/evil.cjs': '',
      }),
      undefined,
    );
    expect(b).toEqual({
      linker: 'node-modules',
      major: 3,
      yarnPath: '.yarn/releases/yarn-3.8.7.cjs',
      plugins: ['.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs'],
      workspaceTools: true,
    });
  });

  it("defaults to Plug'n'Play; the packageManager pin gives the major; bad YAML is no settings", () => {
    expect(readBerry(peek({ '.yarnrc.yml': 'enableTelemetry: false\n' }), '4.12.0')).toEqual({
      linker: 'pnp',
      major: 4,
      plugins: [],
      workspaceTools: false,
    });
    expect(readBerry(peek({ '.yarnrc.yml': 'nodeLinker: [unclosed\n' }), undefined).linker).toBe('pnp');
  });

  it('settings from .yo-rc.json are re-validated: unsafe paths and names are dropped', () => {
    const b = berryOf({
      yarnLinker: 'weird',
      yarnPath: '.yarn/releases/../../../etc/passwd.cjs',
      yarnPlugins: ['.yarn/plugins/ok.cjs', '/etc/x.cjs', '.yarn/plugins/a b.cjs'],
      yarnFocus: '@acme/api; rm -rf /',
      yarnMajor: 4,
    });
    expect(b).toEqual({ linker: 'pnp', major: 4, plugins: ['.yarn/plugins/ok.cjs'], workspaceTools: false });
  });
});

describe('yarn 4 workspace member (--workspace)', () => {
  it("Plug'n'Play: focus on the member, .pnp.cjs through NODE_OPTIONS, no node_modules copied", () => {
    const f = { ...files({ pm: 'yarn@4.12.0' }), '.yarnrc.yml': 'enableTelemetry: false\n' };
    const { answers, layout, build } = plan(f);
    expect(answers.workspace).toBe('apps/api');
    expect(layout.manifests).toEqual(['package.json', 'yarn.lock', '.yarnrc.yml']);
    const d = build();
    expect(d.installProd).toContain(
      'corepack enable yarn && YARN_ENABLE_GLOBAL_CACHE=false yarn workspaces focus @acme/api --production && printf',
    );
    expect(d.installAll).toBeNull();
    expect(d.env).toContainEqual(['NODE_OPTIONS', '"--require /app/.pnp.cjs --require /app/.pnp.register.cjs"']);
    expect(d.artefacts).toEqual(
      expect.arrayContaining([
        { stage: 'deps', from: '/app/.pnp.*', to: './' },
        { stage: 'deps', from: '/app/.yarn', to: './.yarn' },
      ]),
    );
    expect(d.artefacts.some((x) => x.from.endsWith('node_modules'))).toBe(false);
    expect(d.extra.memberManifests).toContain('COPY packages/shared/package.json ./packages/shared/');
    expect(node.dockerignore(layout, answers)).toEqual(expect.arrayContaining(['.pnp.cjs', '.yarn/unplugged']));
  });

  it('node-modules linker with a build: the full install is --immutable, the member built through yarn workspace', () => {
    const f = {
      ...files({ pm: 'yarn@4.5.3', tsBuild: true }),
      '.yarnrc.yml': 'nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.3.cjs\n',
      '.yarn/releases/yarn-4.5.3.cjs': '',
    };
    const { answers, build } = plan(f);
    expect(answers.build).toEqual(['yarn', 'workspace', '@acme/api', 'run', 'build']);
    const d = build();
    expect(d.installProd).toMatch(/corepack enable yarn && yarn workspaces focus @acme\/api --production$/);
    expect(d.installAll).toMatch(/corepack enable yarn && yarn install --immutable$/);
    expect(d.env.map(([k]) => k)).not.toContain('NODE_OPTIONS');
    expect(d.extra.yarnFiles).toBe('COPY .yarn/releases/yarn-4.5.3.cjs ./.yarn/releases/');
    expect(d.extra.workspace).toBe('apps/api/node_modules packages/shared/node_modules');
    expect(d.artefacts).toContainEqual({ stage: 'deps', from: '/app/node_modules', to: './node_modules' });
  });

  it('yarn 3 needs the workspace-tools plugin: refused in one line without it, its file copied with it', () => {
    const base = { ...files({ pm: 'yarn@3.8.7' }), '.yarnrc.yml': 'nodeLinker: node-modules\n' };
    expect(() => plan(base).build()).toThrow(
      /^--workspace: yarn 3 installs one workspace member only with the workspace-tools plugin .*yarn plugin import workspace-tools/,
    );
    const withPlugin = {
      ...base,
      '.yarnrc.yml':
        'nodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n    spec: "@yarnpkg/plugin-workspace-tools"\n',
      '.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs': '',
    };
    const d = plan(withPlugin).build();
    expect(d.installProd).toContain('yarn workspaces focus @acme/api --production');
    expect(d.extra.yarnFiles).toBe('COPY .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs ./.yarn/plugins/@yarnpkg/');
  });

  it('an unpinned yarn and a member without a package name are refused, naming --workspace', () => {
    expect(() => plan({ ...files(), '.yarnrc.yml': '' }).build()).toThrow(
      /^--workspace: the yarn version is not pinned/,
    );
    const f = { ...files({ pm: 'yarn@4.12.0', apiName: null }), '.yarnrc.yml': '' };
    expect(() => plan(f, { workspace: 'apps/api', start: 'node apps/api/src/main.js' }).build()).toThrow(
      /^--workspace: apps\/api\/package\.json has no "name"/,
    );
  });

  it('the root package of a berry project (no --workspace) still installs with focus --all', () => {
    const f = {
      'package.json': JSON.stringify({
        name: 'svc',
        packageManager: 'yarn@4.12.0',
        scripts: { start: 'node index.js' },
      }),
      'yarn.lock': '__metadata:\n',
      '.yarnrc.yml': 'nodeLinker: node-modules\n',
      'index.js': '',
    };
    const d = plan(f).build();
    expect(d.installProd).toMatch(/ corepack enable yarn && yarn workspaces focus --all --production$/);
  });
});

describe('a Next.js member (scaffold-eth-2 shape): next start serves the member directory', () => {
  const next = (rc: string, pm = 'yarn@4.13.0'): Record<string, string> => ({
    'package.json': JSON.stringify({ name: 'se', private: true, packageManager: pm, workspaces: ['packages/*'] }),
    'yarn.lock': '__metadata:\n',
    '.yarnrc.yml': rc,
    'packages/nextjs/package.json': JSON.stringify({
      name: '@se/nextjs',
      scripts: { build: 'next build', serve: 'next start', start: 'next dev' },
      dependencies: { next: '15.2.0' },
    }),
    'packages/hardhat/package.json': JSON.stringify({ name: '@se/hardhat' }),
  });

  it('hoisted (the default): the root node_modules binary, the member directory as next start argument', () => {
    const { answers } = plan(next('nodeLinker: node-modules\n'), { workspace: 'packages/nextjs' });
    expect(answers.start).toEqual(['node', 'node_modules/next/dist/bin/next', 'start', 'packages/nextjs']);
  });

  it("nmHoistingLimits: workspaces keeps next in the member's node_modules", () => {
    const { answers, facts } = plan(next('nodeLinker: node-modules\nnmHoistingLimits: workspaces\n'), {
      workspace: 'packages/nextjs',
    });
    expect(answers.start).toEqual([
      'node',
      'packages/nextjs/node_modules/next/dist/bin/next',
      'start',
      'packages/nextjs',
    ]);
    expect(facts.workspaceApps?.find((a) => a.dir === 'packages/nextjs')?.start?.source).toMatch(
      /\.yarnrc\.yml: nmHoistingLimits: workspaces/,
    );
  });
});

describe('yarn 4 workspace: the written Dockerfile', () => {
  it('parses, holds the structural invariants, copies the release and runs through .pnp.cjs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-berry-'));
    try {
      const f: Record<string, string> = {
        ...files({ pm: 'yarn@4.12.0', tsBuild: true }),
        '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.12.0.cjs\n',
        '.yarn/releases/yarn-4.12.0.cjs': '// release\n',
      };
      for (const [p, text] of Object.entries(f)) {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      const err: string[] = [];
      const code = await runInit(['--yes'], { cwd: dir, stdout: () => undefined, stderr: (s) => err.push(s) });
      expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
      const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfileViolations(text, { uid: 65532, gid: 65532, port: 3000, dataDirs: [] })).toEqual([]);
      const [deps, buildStage, final] = parseDockerfile(text);
      for (const s of [deps, buildStage])
        expect(s.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(
          expect.arrayContaining([
            'package.json yarn.lock .yarnrc.yml ./',
            '.yarn/releases/yarn-4.12.0.cjs ./.yarn/releases/',
            'apps/api/package.json ./apps/api/',
            'packages/shared/package.json ./packages/shared/',
          ]),
        );
      expect(buildStage.instructions.find((i) => i.keyword === 'RUN')?.args).toContain(
        'YARN_ENABLE_GLOBAL_CACHE=false yarn install --immutable',
      );
      const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
      expect(env).toContain('NODE_OPTIONS="--require /app/.pnp.cjs --require /app/.pnp.register.cjs"');
      const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
      expect(copies).toEqual(
        expect.arrayContaining([
          '/app/.pnp.* ./',
          '/app/.yarn ./.yarn',
          '/app/apps/api/dist ./apps/api/dist',
          '/app/packages/shared ./packages/shared',
        ]),
      );
      const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n');
      expect(ignore).not.toContain('.yarn');
      expect(ignore).not.toContain('.yarn/releases');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
