// Deno (issue 14): the claim (deno.json wins over a package.json next to it), the start command
// from a task (permission flags kept, development flags dropped, `deno serve --port`), data
// directories from the config's permission set, and the generated files' self-check.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { denoCommand } from '../../lib/runtimes/deno/detect.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';

describe('deno: detection', () => {
  it('deno.json wins over package.json (rank 7 < 10); the start task without --watch', () => {
    const f = detectFromFiles(
      memoryFiles({
        'deno.json': JSON.stringify({
          tasks: { dev: 'deno run --watch -N -E main.ts', start: 'deno run -N -E main.ts' },
        }),
        'deno.lock': '{}',
        'package.json': JSON.stringify({ dependencies: { express: '4' } }),
        'main.ts': 'Deno.serve({ port: 8080 }, () => new Response("ok"));',
      }),
    );
    expect(f.runtime?.value).toBe('deno');
    expect(f.start?.value).toEqual(['deno', 'run', '--allow-net', '--allow-env', 'main.ts']);
    expect(f.port?.value).toBe(8080);
    expect(f.lockfiles?.value).toEqual(['deno.json', 'deno.lock', 'package.json']);
  });

  it('task commands: chains, flags with values, -A noted, unknown flags refused', () => {
    expect(denoCommand('deno task init && deno serve -P --port 9999 --watch main.ts')).toEqual({
      argv: ['deno', 'serve', '-P', '--port=9999', 'main.ts'],
      file: 'main.ts',
      dropped: ['--watch'],
    });
    expect(denoCommand('deno run --allow-net --frobnicate main.ts')).toBeUndefined();
    expect(denoCommand('deno task start')).toBeUndefined();
    const f = detectFromFiles(
      memoryFiles({ 'deno.json': JSON.stringify({ tasks: { start: 'deno run -A src/app.ts' } }), 'src/app.ts': '' }),
    );
    expect(f.notes?.join('\n')).toMatch(/every permission \(-A\)/);
  });

  it('Fresh 1.x: start runs dev.ts (the dev server), preview runs main.ts: main.ts is the start', () => {
    const f = detectFromFiles(
      memoryFiles({
        'deno.json': JSON.stringify({
          tasks: {
            start: 'deno run -A --watch=static/,routes/ dev.ts',
            build: 'deno run -A dev.ts build',
            preview: 'deno run -A main.ts',
          },
          imports: { '$fresh/': 'https://deno.land/x/fresh@1.7.3/' },
        }),
        'main.ts': '',
        'dev.ts': '',
      }),
    );
    expect(f.start?.value).toEqual(['deno', 'run', '-A', 'main.ts']);
    expect(f.build?.value).toEqual(['deno', 'task', 'build']);
    expect(f.framework?.value).toBe('$fresh');
  });

  it('no task: the common entry file is a guess (--yes refuses it silently taken)', () => {
    const f = detectFromFiles(memoryFiles({ 'deno.json': '{}', 'main.ts': '' }));
    expect(f.start?.guess).toMatch(/no start task/);
  });

  it('start checks', () => {
    const p = profileFor('deno');
    expect(p.checkStart(['deno', 'run', '--allow-net', 'main.ts'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['deno', 'task', 'start'], { name: 'x' })).toMatch(/deno run/);
    expect(p.checkStart(['deno', 'run', '--watch', 'main.ts'], { name: 'x' })).toMatch(/development only/);
  });
});

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'deno',
    runtimeVersion: '2.9',
    packageManager: 'deno',
    name: 'svc',
    port: 8000,
    start: ['deno', 'serve', '--allow-env', 'main.ts'],
    build: null,
    dataDirs: ['/app/data'],
    flavor: 'distroless',
    uid: 65532,
    gid: 65532,
    healthPath: '/healthz',
    buildSecrets: [],
    registry: '',
    secrets: ['api_key'],
    secretProvider: 'file',
    vaultAddr: '',
    vaultMount: 'secret',
    vaultPaths: {},
    awsRegion: '',
    awsSecretIds: {},
    services: [],
    bind: '127.0.0.1',
    secretsHelper: true,
    ...over,
  };
}

describe('deno: the generated files', () => {
  const layout: ProjectLayout = { manifests: ['deno.json', 'deno.lock'] };
  it('frozen installs into DENO_DIR, --cached-only at run time, serve on the port answer', () => {
    const files = new Map(renderFiles(buildSpec(answers({ port: 8081 }), layout)).map((f) => [f.path, f.contents]));
    const df = files.get('Dockerfile') ?? '';
    expect(df).toMatch(/^RUN deno install --frozen$/m);
    expect(df).toMatch(/^RUN deno install --frozen --entrypoint main\.ts$/m);
    expect(df).toMatch(
      /^ENTRYPOINT \["\/bin\/deno", "serve", "--cached-only", "--port=8081", "--allow-env", "main\.ts"\]$/m,
    );
    expect(df).toMatch(/^ENV DENO_DIR=\/deno-dir$/m);
    expect(files.get('secrets.ts')).toContain('Deno.readTextFileSync(path)');
  });

  it('the self-check: no error, and nothing but the registry allow-list warning', () => {
    for (const flavor of ['distroless', 'alpine'] as const) {
      const id = flavor === 'alpine' ? 10001 : 65532;
      const findings = auditGenerated(renderFiles(buildSpec(answers({ flavor, uid: id, gid: id }), layout)));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(findings.filter((f) => f.rule !== 'SC1005' && f.severity !== 'info')).toEqual([]);
    }
  });
});
