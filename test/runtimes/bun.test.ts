// Bun as a runtime of its own (issue 14): the claim against node's, the start command without the
// development flags, and the generated files (distroless and alpine) passing the self-check.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';

const hono = {
  'package.json': JSON.stringify({
    name: 'api',
    scripts: { dev: 'bun run --hot src/index.ts' },
    dependencies: { hono: '^4' },
    devDependencies: { '@types/bun': 'latest' },
  }),
  'bun.lock': '{}',
  'src/index.ts':
    "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/health', (c) => c.text('ok'));\nexport default { port: 8787, fetch: app.fetch };\n",
};

describe('bun: the claim', () => {
  it('a bun-started app is bun’s (rank 8 < node’s 10), the dev script’s file without --hot', () => {
    const f = detectFromFiles(memoryFiles(hono));
    expect(f.runtime?.value).toBe('bun');
    expect(f.start?.value).toEqual(['bun', 'src/index.ts']);
    expect(f.start?.source).toMatch(/without --hot: development only/);
    expect(f.port?.value).toBe(8787);
    expect(f.healthPath?.value).toBe('/health');
    expect(f.packageManager?.value).toBe('bun');
  });

  it('bun only as the package manager of a node app (start runs node) stays node', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
        'bun.lockb': 'x',
        'server.js': 'require("express")().listen(3000)',
      }),
    );
    expect(f.runtime?.value).toBe('node');
    expect(f.packageManager?.value).toBe('bun');
  });

  it('no Bun marker (lockfile, bunfig, types, .tool-versions, FROM oven/bun): not claimed', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({ scripts: { dev: 'bun run src/index.ts' }, dependencies: { hono: '4' } }),
      }),
    );
    expect(f.runtime?.value).not.toBe('bun');
    const g = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({ scripts: { dev: 'bun run src/main.ts' }, dependencies: { express: '4' } }),
        Dockerfile: 'FROM oven/bun:alpine\nCMD ["bun", "src/main.ts"]\n',
        'src/main.ts': 'app.listen(4000)',
      }),
    );
    expect(g.runtime?.source).toMatch(/^Dockerfile: FROM oven\/bun \+ package\.json: scripts\.dev/);
  });

  it('a version pin: packageManager bun@x.y.z', () => {
    const pkg = JSON.parse(hono['package.json']) as Record<string, unknown>;
    const f = detectFromFiles(
      memoryFiles({ ...hono, 'package.json': JSON.stringify({ ...pkg, packageManager: 'bun@1.3.4' }) }),
    );
    expect(f.runtimeVersion).toEqual({ value: '1.3', source: 'package.json: "packageManager": "bun@1.3.4"' });
  });

  it('start checks: bun with a file, no watch mode', () => {
    const p = profileFor('bun');
    expect(p.checkStart(['bun', 'src/index.ts'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['node', 'x.js'], { name: 'x' })).toMatch(/with bun directly/);
    expect(p.checkStart(['bun', '--watch', 'x.ts'], { name: 'x' })).toMatch(/development only/);
  });
});

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'bun',
    runtimeVersion: '1.4',
    packageManager: 'bun',
    name: 'api',
    port: 3000,
    start: ['bun', 'src/index.ts'],
    build: null,
    dataDirs: [],
    flavor: 'distroless',
    uid: 65532,
    gid: 65532,
    healthPath: '/health',
    buildSecrets: [],
    registry: '',
    secrets: [],
    secretProvider: 'file',
    vaultAddr: '',
    vaultMount: 'secret',
    vaultPaths: {},
    awsRegion: '',
    awsSecretIds: {},
    services: [],
    bind: '127.0.0.1',
    secretsHelper: false,
    ...over,
  };
}

describe('bun: the generated files', () => {
  const layout: ProjectLayout = { manifests: ['package.json', 'bun.lock'] };

  it('distroless: frozen production install, sources copied, bun as the probe (no shell)', () => {
    const files = new Map(
      renderFiles(buildSpec(answers({ secretsHelper: true, secrets: ['db_password'] }), layout)).map((f) => [
        f.path,
        f.contents,
      ]),
    );
    const df = files.get('Dockerfile') ?? '';
    expect(df).toMatch(/^FROM oven\/bun:1\.4-distroless AS runtime$/m);
    expect(df).toMatch(/bun install --frozen-lockfile --production/);
    expect(df).toMatch(/^COPY \. \.$/m);
    expect(df).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/bun", "src\/index\.ts"\]$/m);
    expect(df).toContain('r.status<400?0:1');
    expect(files.get('secrets.ts')).toContain('export function readSecret(name: string): string');
  });

  it('a build whose output the start runs: only the output ships (no sources)', () => {
    const df =
      new Map(
        renderFiles(
          buildSpec(answers({ build: ['bun', 'run', 'build'], start: ['bun', 'dist/index.js'] }), {
            ...layout,
            buildOutput: 'dist',
          }),
        ).map((f) => [f.path, f.contents]),
      ).get('Dockerfile') ?? '';
    const runtime = df.slice(df.indexOf(' AS runtime'));
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).not.toMatch(/^COPY \. \.$/m);
  });

  it('the self-check: no error, and nothing but the registry allow-list warning', () => {
    for (const flavor of ['distroless', 'alpine'] as const) {
      const a = answers({ flavor, uid: flavor === 'alpine' ? 10001 : 65532, gid: flavor === 'alpine' ? 10001 : 65532 });
      const findings = auditGenerated(renderFiles(buildSpec(a, layout)));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(findings.filter((f) => f.rule !== 'SC1005' && f.severity !== 'info')).toEqual([]);
    }
  });
});
