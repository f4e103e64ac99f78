// package.json and lockfile reading shared by the JavaScript-family runtimes of issue 14 (static
// sites and Bun). Pure: reads through the detection context only.
import type { Ctx } from '../../detect/model.js';
import { isRecord, parseJson, str } from '../../detect/text.js';

export interface Pkg {
  raw: Record<string, unknown>;
  /** prototype-less: a script named "constructor" is not Object.prototype's */
  scripts: Partial<Record<string, string>>;
  /** dependencies and devDependencies together (name -> range) */
  deps: Record<string, string>;
  /** dependencies only */
  prodDeps: Record<string, string>;
}

export function readPkg(ctx: Ctx, file = 'package.json'): Pkg | undefined {
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const raw = parseJson(text);
  if (!isRecord(raw)) return undefined;
  const scripts = Object.create(null) as Partial<Record<string, string>>;
  if (isRecord(raw.scripts))
    for (const [k, v] of Object.entries(raw.scripts)) if (typeof v === 'string') scripts[k] = v;
  const pick = (v: unknown): Record<string, string> => {
    const out = Object.create(null) as Record<string, string>;
    if (isRecord(v)) for (const [k, r] of Object.entries(v)) if (typeof r === 'string') out[k] = r;
    return out;
  };
  const prodDeps = pick(raw.dependencies);
  return {
    raw,
    scripts,
    prodDeps,
    deps: Object.assign(Object.create(null) as Record<string, string>, pick(raw.devDependencies), prodDeps),
  };
}

/** A script and the scripts it runs through the package manager (`npm run a && npm run b`), two levels deep. */
export function expandScript(pkg: Pkg, name: string, seen = new Set<string>()): string {
  const s = pkg.scripts[name];
  if (s === undefined || seen.has(name) || seen.size > 8) return '';
  seen.add(name);
  let out = s;
  for (const m of s.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([A-Za-z0-9:_-]+)/g))
    if (pkg.scripts[m[1]] !== undefined) out += ` && ${expandScript(pkg, m[1], seen)}`;
  for (const m of s.matchAll(/\brun-[sp]\s+([A-Za-z0-9:_ -]+)/g))
    for (const n of m[1].split(/\s+/)) if (pkg.scripts[n] !== undefined) out += ` && ${expandScript(pkg, n, seen)}`;
  return out;
}

export type JsPm = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfile -> package manager, in the order preferred when several are present. */
export const JS_LOCKFILES: readonly (readonly [string, JsPm])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** The package manager: the `packageManager` field, else the first lockfile found. */
export function jsPackageManager(
  ctx: Ctx,
  pkg: Pkg | undefined,
): { pm: JsPm; source: string; locks: string[] } | undefined {
  const locks = JS_LOCKFILES.filter(([f]) => ctx.has(f));
  const field = str(pkg?.raw.packageManager);
  const m = field === undefined ? null : /^(npm|pnpm|yarn|bun)@\d/.exec(field.trim());
  if (m)
    return {
      pm: m[1] as JsPm,
      source: `package.json: "packageManager": "${field?.slice(0, 60) ?? ''}"`,
      locks: locks.map(([f]) => f),
    };
  const first = locks.at(0);
  return first ? { pm: first[1], source: first[0], locks: locks.map(([f]) => f) } : undefined;
}

/** Install commands per package manager, all dependencies (the build needs the devDependencies), from the lockfile (P6). */
export function jsInstall(pm: string, locked: boolean, berry: boolean): { cache: string; run: string } {
  switch (pm) {
    case 'pnpm':
      return {
        cache: '/root/.local/share/pnpm/store',
        run: `corepack enable pnpm && pnpm install${locked ? ' --frozen-lockfile' : ''}`,
      };
    case 'yarn':
      return berry
        ? {
            cache: '/root/.yarn/berry/cache',
            run: `corepack enable yarn && yarn install${locked ? ' --immutable' : ''}`,
          }
        : {
            cache: '/usr/local/share/.cache/yarn',
            run: `corepack enable yarn && yarn install${locked ? ' --frozen-lockfile' : ''}`,
          };
    case 'bun':
      // bun from the npm registry (pinned major) so the builder stays the official node image
      return {
        cache: '/root/.bun/install/cache',
        run: `npm install -g bun@1 --no-audit --no-fund && bun install${locked ? ' --frozen-lockfile' : ''}`,
      };
    default:
      return { cache: '/root/.npm', run: locked ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund' };
  }
}

/** Files of the backend runtimes: a package.json next to one of them builds that app's assets, it is not a site of its own. */
export const BACKEND_MANIFESTS: readonly string[] = [
  'Gemfile',
  'composer.json',
  'go.mod',
  'pyproject.toml',
  'requirements.txt',
  'Pipfile',
  'setup.py',
  'manage.py',
  'Cargo.toml',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'mix.exs',
  'deno.json',
  'deno.jsonc',
];

/** Dependencies that make a package.json a server (a static claim yields to node or bun). */
export const SERVER_DEPS: readonly string[] = [
  'express',
  'fastify',
  'koa',
  '@hapi/hapi',
  'hapi',
  '@nestjs/core',
  'restify',
  'polka',
  'h3',
  'socket.io',
  '@remix-run/node',
  '@remix-run/serve',
  '@react-router/node',
  '@react-router/serve',
  '@sveltejs/adapter-node',
  '@astrojs/node',
  '@astrojs/vercel',
  '@astrojs/netlify',
  '@astrojs/cloudflare',
  'vite-plugin-ssr',
  'vike',
  '@hono/node-server',
  'elysia',
  'nitropack',
];
