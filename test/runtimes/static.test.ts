// Static sites (issue 14): which repositories the static runtime claims (and which it leaves to
// node or a backend runtime), the generated nginx.conf, and the generated files' self-check.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { runInit } from '../../lib/cli/init.js';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { inlineScripts, scriptOrigins } from '../../lib/runtimes/static/detect.js';
import { contentSecurityPolicy } from '../../lib/runtimes/static/nginx.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';

const vite = {
  'package.json': JSON.stringify({
    name: 'spa',
    scripts: { dev: 'vite', build: 'tsc && vite build', preview: 'vite preview' },
    dependencies: { react: '^18.3.1' },
    devDependencies: { vite: '^5.4.0', typescript: '^5' },
  }),
  'package-lock.json': '{}',
  'index.html': '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
  'src/main.tsx': 'const port = 5173;',
  'vite.config.ts': "export default { server: { port: 5173 }, build: { outDir: 'web' } }",
};

function runtimeOf(files: Record<string, string>): string | undefined {
  return detectFromFiles(memoryFiles(files)).runtime?.value;
}

describe('static: the claim', () => {
  it('wins over node for a site build (vite build, no server), with the output directory from the config', () => {
    const f = detectFromFiles(memoryFiles(vite));
    expect(f.runtime?.value).toBe('static');
    expect(f.runtime?.source).toMatch(/^package\.json: scripts\.build "tsc && vite build" \(Vite: a static site\)/);
    expect(f.buildOutput).toEqual({ value: 'web', source: 'vite.config.ts: build.outDir' });
    // the dev server's 5173 is never the port: the generated nginx's is
    expect(f.port?.value).toBe(8080);
    expect(f.healthPath?.value).toBe('/healthz');
    expect(f.start?.value).toEqual(['nginx']);
  });

  it('yields to node when the package is also a server (a server dependency or a start script running a file)', () => {
    const pkg = JSON.parse(vite['package.json']) as Record<string, Record<string, string>>;
    expect(runtimeOf({ ...vite, 'package.json': JSON.stringify({ ...pkg, dependencies: { express: '^4' } }) })).toBe(
      'node',
    );
    expect(
      runtimeOf({
        ...vite,
        'package.json': JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, start: 'node server.js' } }),
        'server.js': 'require("http").createServer().listen(3000)',
      }),
    ).toBe('node');
  });

  it('a package.json next to a backend manifest builds that app’s assets: never a static site', () => {
    // (which of node and the backend runtime wins is their ranks' business)
    expect(runtimeOf({ ...vite, 'go.mod': 'module x\n\ngo 1.23\n' })).not.toBe('static');
    expect(runtimeOf({ ...vite, 'requirements.txt': 'flask\n', 'app.py': 'app = Flask(__name__)' })).not.toBe('static');
  });

  it('Next.js only with output: "export"; Astro not with output: "server"; SvelteKit only with adapter-static', () => {
    const next = {
      'package.json': JSON.stringify({
        scripts: { build: 'next build', start: 'next start' },
        dependencies: { next: '15' },
      }),
    };
    expect(runtimeOf(next)).toBe('node');
    expect(runtimeOf({ ...next, 'next.config.mjs': "export default { output: 'export' }" })).toBe('static');
    const astro = {
      'package.json': JSON.stringify({ scripts: { build: 'astro build' }, dependencies: { astro: '5' } }),
    };
    expect(runtimeOf(astro)).toBe('static');
    expect(runtimeOf({ ...astro, 'astro.config.mjs': "export default { output: 'server' }" })).not.toBe('static');
    const kit = { scripts: { build: 'vite build' }, devDependencies: { vite: '5', '@sveltejs/kit': '2' } };
    expect(runtimeOf({ 'package.json': JSON.stringify(kit) })).not.toBe('static');
    expect(
      runtimeOf({
        'package.json': JSON.stringify({
          ...kit,
          devDependencies: { ...kit.devDependencies, '@sveltejs/adapter-static': '3' },
        }),
      }),
    ).toBe('static');
  });

  it('Hugo: its config is decisive, even with a go.mod (Hugo modules) and a package.json (Tailwind)', () => {
    const f = detectFromFiles(
      memoryFiles({
        'hugo.toml': 'baseURL = "https://x.example/"\n',
        'go.mod': 'module example.com/site\n\ngo 1.22\n',
        'package.json': JSON.stringify({ devDependencies: { tailwindcss: '4' } }),
        'netlify.toml': '[build.environment]\nHUGO_VERSION = "0.150.1"\n',
        'assets/scss/main.scss': '$x: 1;',
      }),
    );
    expect(f.runtime?.value).toBe('static');
    expect(f.framework?.value).toBe('hugo');
    expect(f.settings?.value).toMatchObject({ hugoVersion: '0.150.1', hugoExtended: true, hugoNodeDeps: true });
  });

  it('plain files: public/index.html wins over a tooling-only package.json, loses to an app package.json', () => {
    const plain = { 'public/index.html': '<h1>hi</h1><script>alert(1)</script>' };
    const tooling = { 'package.json': JSON.stringify({ devDependencies: { prettier: '3' } }) };
    const f = detectFromFiles(memoryFiles({ ...plain, ...tooling }));
    expect(f.runtime?.value).toBe('static');
    expect(f.buildOutput?.value).toBe('public');
    expect(f.settings?.value).toMatchObject({ inlineScripts: true });
    expect(
      runtimeOf({ ...plain, 'package.json': JSON.stringify({ dependencies: { express: '4' }, main: 'server.js' }) }),
    ).toBe('node');
  });

  it('inline scripts and external script origins are read from the HTML entry', () => {
    expect(inlineScripts('<script type="module" src="/a.js"></script>')).toBe(false);
    expect(inlineScripts('<script type="application/ld+json">{}</script>')).toBe(false);
    expect(inlineScripts('<script>window.x=1</script>')).toBe(true);
    expect(inlineScripts('<link rel="stylesheet" media="print" onload="this.media=\'all\'">')).toBe(true);
    expect(scriptOrigins('<script src="https://cdn.example.com/x.js"></script><script src="/y.js">')).toEqual([
      'https://cdn.example.com',
    ]);
    expect(contentSecurityPolicy(false, ['https://cdn.example.com'])).toContain(
      "script-src 'self' https://cdn.example.com;",
    );
  });
});

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'static',
    runtimeVersion: '22',
    packageManager: 'npm',
    name: 'site',
    port: 8080,
    start: ['nginx'],
    build: ['npm', 'run', 'build'],
    dataDirs: [],
    flavor: 'alpine',
    uid: 10001,
    gid: 10001,
    healthPath: '/healthz',
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

const spaLayout: ProjectLayout = {
  manifests: ['package.json', 'package-lock.json'],
  buildOutput: 'dist',
  settings: { tool: 'vite', spa: true, assets: ['/assets/'], inlineScripts: false },
};

function files(a: Answers, layout: ProjectLayout): Map<string, string> {
  return new Map(renderFiles(buildSpec(a, layout)).map((f) => [f.path, f.contents]));
}

describe('static: the generated files', () => {
  it('nginx.conf: SPA fallback, a year of cache for hashed assets only, the health route, the port', () => {
    const conf = files(answers({ port: 9090 }), spaLayout).get('deploy/nginx/nginx.conf') ?? '';
    expect(conf).toMatch(/^\s+listen 9090;$/m);
    expect(conf).toMatch(
      /location \^~ \/assets\/ \{\n(?:.*\n)*?\s+add_header Cache-Control "public, max-age=31536000, immutable" always;/,
    );
    expect(conf).toMatch(
      /location \/ \{\n\s+add_header Cache-Control "no-cache" always;(?:.*\n)*?\s+try_files \$uri \$uri\/ \/index\.html;/,
    );
    expect(conf).toMatch(/location = \/healthz \{/);
    expect(conf).toMatch(/^\s+server_tokens off;$/m);
    expect(conf).toMatch(/^pid \/tmp\/nginx\.pid;$/m);
    // every location with its own add_header repeats the security headers (nginx does not inherit them then)
    expect(conf.match(/X-Content-Type-Options "nosniff" always;/g)).toHaveLength(3);
    expect(conf).not.toContain("'unsafe-inline'; style");
  });

  it('a multi-page site gets 404.html and no fallback; health path / has no route of its own', () => {
    const layout = { ...spaLayout, settings: { tool: 'astro', spa: false, assets: ['/_astro/'], inlineScripts: true } };
    const conf = files(answers({ healthPath: '/' }), layout).get('deploy/nginx/nginx.conf') ?? '';
    expect(conf).toContain('try_files $uri $uri/ $uri.html =404;');
    expect(conf).toContain('error_page 404 /404.html;');
    expect(conf).not.toContain('location = /');
    expect(conf).toContain("script-src 'self' 'unsafe-inline';");
  });

  it('Dockerfile: node build stage, nginx final stage as a numeric user, exec-form nginx, busybox wget probe', () => {
    const df = files(answers(), spaLayout).get('Dockerfile') ?? '';
    const ast = DockerfileParser.parse(df);
    expect(ast.getFROMs().map((f) => [f.getImage(), f.getBuildStage()])).toEqual([
      ['node:22-bookworm-slim', 'build'],
      ['nginxinc/nginx-unprivileged:1.30-alpine3.24-slim', 'runtime'],
    ]);
    const users = ast.getInstructions().filter((i) => i.getKeyword() === 'USER');
    expect(users.at(-1)?.getArgumentsContent()).toBe('10001:10001');
    expect(df).toMatch(/^ENTRYPOINT \["\/usr\/sbin\/nginx", "-e", "stderr", "-c", "\/etc\/nginx\/nginx\.conf"\]$/m);
    expect(df).toMatch(/^ {2}CMD \["\/usr\/bin\/wget", "-q", "--spider", "http:\/\/127\.0\.0\.1:8080\/healthz"\]$/m);
    expect(df).toMatch(/^COPY deploy\/nginx\/nginx\.conf \/etc\/nginx\/nginx\.conf$/m);
    expect(df).toMatch(/^COPY --from=build \/site\/dist\/ \/app\/$/m);
  });

  it('the self-check finds no error (the only warning is the registry allow-list until nginxinc is on it)', () => {
    for (const layout of [
      spaLayout,
      { manifests: [], buildOutput: 'public', settings: { tool: 'hugo', hugoVersion: '0.150.0' } },
      { manifests: [], buildOutput: '.', settings: { tool: 'plain' } },
    ] as ProjectLayout[]) {
      const a =
        layout.settings?.tool === 'hugo'
          ? answers({ build: ['hugo', '--gc', '--minify'], packageManager: 'none' })
          : layout.settings?.tool === 'plain'
            ? answers({ build: null, packageManager: 'none' })
            : answers();
      const findings = auditGenerated(renderFiles(buildSpec(a, layout)));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(findings.filter((f) => f.rule !== 'SC1005' && f.severity !== 'info')).toEqual([]);
    }
  });

  it('start must be nginx (the config file is where serving changes)', () => {
    const p = profileFor('static');
    expect(p.checkStart(['nginx'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['node', 'server.js'], { name: 'x' })).toMatch(/must be "nginx"/);
  });
});

describe('static: through init', () => {
  it('a Vite app: init --yes writes the Dockerfile, compose.yaml and deploy/nginx/nginx.conf', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-static-'));
    try {
      for (const [p, text] of Object.entries(vite)) {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      const err: string[] = [];
      const code = await runInit(['--yes'], { cwd: dir, stdout: () => {}, stderr: (s) => err.push(s) });
      expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
      expect(readFileSync(join(dir, 'deploy/nginx/nginx.conf'), 'utf8')).toContain('root /app;');
      expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toMatch(/^web$/m);
      expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('read_only: true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
