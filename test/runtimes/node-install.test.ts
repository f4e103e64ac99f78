// The Node Dockerfile for the installs real repositories need (issue 10 items 3 and 6): no lockfile,
// lifecycle scripts that need a devDependency, Prisma's generated client, a HOST variable, and the
// probe that counts any HTTP answer when no health route was found. Each is rendered through the
// whole pipeline (buildFiles), so the policy self-check passes on it too.
import { describe, expect, it } from '@jest/globals';
import { buildFiles } from '../../lib/index.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';
import { node } from '../../lib/runtimes/node/profile.js';
import type { RawAnswers } from '../../lib/core/answers/resolve.js';
import { answersFor } from '../helpers/answers.js';

function render(layout: ProjectLayout, cli: RawAnswers = {}): { dockerfile: string; ignore: string } {
  const a: Answers = answersFor('node', { runtimeVersion: '22', ...cli });
  const { files, findings } = buildFiles(a, layout);
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  const get = (p: string): string => files.find((f) => f.path === p)?.contents ?? '';
  return { dockerfile: get('Dockerfile'), ignore: get('.dockerignore') };
}

describe('Node installs', () => {
  it('without a lockfile: npm install (npm ci needs one), and the Dockerfile says why', () => {
    const { dockerfile } = render({ manifests: ['package.json'] });
    expect(dockerfile).toMatch(/^COPY package\.json \.\/$/m);
    expect(dockerfile).toMatch(
      /^RUN --mount=type=cache,target=\/root\/\.npm npm install --omit=dev --no-audit --no-fund/m,
    );
    expect(dockerfile).toMatch(/^# no lockfile: npm resolves the versions afresh at every build/m);
    expect(dockerfile).not.toMatch(/npm ci/);
  });
  it('without a lockfile and a build step: both installs are npm install', () => {
    const { dockerfile } = render({ manifests: ['package.json'], buildOutput: 'dist' }, { build: 'npm run build' });
    expect(dockerfile).toMatch(/^RUN --mount=type=cache,target=\/root\/\.npm npm install --no-audit --no-fund$/m);
    expect(dockerfile).not.toMatch(/npm ci/);
  });
  it('pnpm, yarn and bun drop their frozen-lockfile flags without a lockfile', () => {
    const a = answersFor('node', { packageManager: 'pnpm', runtimeVersion: '22' });
    expect(node.dockerfile(a, { manifests: ['package.json'] }).installProd).toMatch(/pnpm install --prod$/);
    expect(node.dockerfile(a, { manifests: ['package.json', 'pnpm-lock.yaml'] }).installProd).toMatch(
      /pnpm install --frozen-lockfile --prod$/,
    );
    const y = answersFor('node', { packageManager: 'yarn', runtimeVersion: '22' });
    expect(node.dockerfile(y, { manifests: ['package.json'] }).installProd).toMatch(/yarn install --production=true$/);
    const b = answersFor('node', { packageManager: 'bun', runtimeVersion: '22' });
    expect(node.dockerfile(b, { manifests: ['package.json'] }).installProd).toMatch(/bun install --production$/);
  });
  it('a lockfile keeps npm ci', () => {
    const { dockerfile } = render({ manifests: ['package.json', 'package-lock.json'] });
    expect(dockerfile).toMatch(/npm ci --omit=dev --no-audit --no-fund/);
    expect(dockerfile).not.toMatch(/no lockfile/);
  });
  it('lifecycle scripts that run a devDependency are removed before the production-only install', () => {
    const { dockerfile } = render({
      manifests: ['package.json', 'package-lock.json'],
      devLifecycle: ['prepare', 'bogus'],
    });
    expect(dockerfile).toMatch(
      /^RUN --mount=type=cache,target=\/root\/\.npm npm pkg delete scripts\.prepare && npm ci --omit=dev/m,
    );
    expect(dockerfile).toMatch(/^# scripts\.prepare runs a devDependency: removed for this production-only install/m);
    expect(dockerfile).not.toMatch(/bogus/);
  });
  it('Prisma: schema copied, client generated with the CLI of the installed version, custom output copied and ignored', () => {
    const layout: ProjectLayout = {
      manifests: ['package.json', 'package-lock.json'],
      buildOutput: 'dist',
      prismaSchema: 'prisma/schema.prisma',
      prismaOutput: 'generated/prisma',
      prismaGenerator: 'client',
    };
    const { dockerfile, ignore } = render(layout, { build: 'npm run build' });
    const gen =
      'npx --yes prisma@"$(node -p "require(\'./node_modules/@prisma/client/package.json\').version")" generate --schema=prisma/schema.prisma --generator=client';
    // deps: schema before the install, openssl for the engine choice, generate after the production install
    expect(dockerfile.match(/^COPY prisma\/schema\.prisma \.\/prisma\/schema\.prisma$/gm)).toHaveLength(2);
    expect(dockerfile).toContain(`npm ci --omit=dev --no-audit --no-fund && ${gen}`);
    expect(dockerfile).toContain('apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*');
    // build: generated again before the build (the TypeScript compile needs its types)
    expect(dockerfile).toContain(`RUN ${gen} && npm run build`);
    expect(dockerfile).toMatch(/^COPY --from=deps \/app\/generated\/prisma \.\/generated\/prisma$/m);
    expect(ignore).toMatch(/^generated\/prisma$/m);
  });
  it('Prisma on alpine installs openssl with apk', () => {
    const { dockerfile } = render(
      { manifests: ['package.json', 'package-lock.json'], prismaSchema: 'prisma/schema.prisma' },
      { flavor: 'alpine' },
    );
    expect(dockerfile).toContain('apk add --no-cache openssl && npm ci --omit=dev');
  });
  it('a listen-host variable is set to 0.0.0.0', () => {
    const { dockerfile } = render({ manifests: ['package.json', 'package-lock.json'], hostEnv: 'HOST' });
    expect(dockerfile).toMatch(/^ENV HOST=0\.0\.0\.0$/m);
    const bad = node.dockerfile(answersFor('node', { runtimeVersion: '22' }), {
      manifests: ['package.json'],
      hostEnv: 'HOST=1\nRUN x',
    });
    expect(bad.env.map(([k]) => k)).toEqual(['NODE_ENV', 'PORT']);
  });
});

describe('Node health probe', () => {
  it('a named route must answer 2xx/3xx', () => {
    const js = node.healthcheck('distroless', 3000, '/healthz')[2];
    expect(js).toContain("get('http://127.0.0.1:3000/healthz'");
    expect(js).toContain('process.exit(r.statusCode<400?0:1)');
  });
  it('on / (no health route found) any HTTP answer counts as alive; no answer does not', () => {
    const js = node.healthcheck('distroless', 3000, '/')[2];
    expect(js).toContain('r=>process.exit(0)');
    expect(js).toContain(".on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))");
  });
});
