// Static sites: a site generator's build (Vite, Create React App, Astro, Next.js static export,
// VitePress, Docusaurus, Gatsby, Vue CLI, Angular, SvelteKit with adapter-static, Nuxt generate,
// Parcel, Eleventy), a Hugo site, or plain files (public/index.html, index.html). Pure.
//
// The claim (lib/runtimes/profile.ts): rank 5 when package.json builds a site with one of the
// tools below and nothing in it is a server (no server framework dependency, no start script that
// runs a server file): it wins over node's rank 10 for an app package.json. A package.json next to
// another runtime's manifest (Gemfile, composer.json, go.mod, pyproject.toml …) builds that app's
// assets and is never claimed. Hugo's config: rank 5. Plain files: rank 85 (every application
// manifest wins; only a tooling-only package.json, rank 90, loses).
import type { RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { dnsLabel, isRecord, normalizeRelDir, parseJson, shellSplit, str } from '../../detect/text.js';
import { parseToml, tomlGet } from '../../detect/toml.js';
import type { RuntimeClaim, RuntimeDetection } from '../profile.js';
import { nodeRuntimeVersion } from '../node/versions.js';
import { BACKEND_MANIFESTS, expandScript, jsPackageManager, readPkg, SERVER_DEPS, type Pkg } from './pkg.js';

/** The default Hugo release built when the project pins none (go install from its module, verified by the Go checksum database). */
export const HUGO_DEFAULT = '0.166.0';

/** What one site generator builds and how its output is served. */
export interface SiteTool {
  id: string;
  label: string;
  /** the build script runs the tool */
  script: RegExp;
  /** one of these is a dependency (or the tool is not the one) */
  deps: readonly string[];
  /** default output directory */
  out: string;
  /** a single-page app: unknown paths get index.html (client-side routing) */
  spa: boolean;
  /** URL prefixes of content-hashed files (cached for a year) */
  assets: readonly string[];
  /** its output has inline scripts, so the default CSP allows them */
  inline: boolean;
  /** build-stage environment (telemetry off, no inlined runtime chunk) */
  env?: readonly (readonly [string, string])[];
}

export const TOOLS: readonly SiteTool[] = [
  {
    id: 'next-export',
    label: 'Next.js static export',
    script: /\bnext\s+(?:build|export)\b/,
    deps: ['next'],
    out: 'out',
    spa: false,
    assets: ['/_next/static/'],
    inline: true,
    env: [['NEXT_TELEMETRY_DISABLED', '1']],
  },
  {
    id: 'nuxt-generate',
    label: 'Nuxt (nuxt generate)',
    script: /\bnuxi?\s+generate\b/,
    deps: ['nuxt'],
    out: '.output/public',
    spa: false,
    assets: ['/_nuxt/'],
    inline: true,
    env: [['NUXT_TELEMETRY_DISABLED', '1']],
  },
  {
    id: 'astro',
    label: 'Astro',
    script: /\bastro\s+build\b/,
    deps: ['astro'],
    out: 'dist',
    spa: false,
    assets: ['/_astro/'],
    inline: true,
    env: [['ASTRO_TELEMETRY_DISABLED', '1']],
  },
  {
    id: 'gatsby',
    label: 'Gatsby',
    script: /\bgatsby\s+build\b/,
    deps: ['gatsby'],
    out: 'public',
    spa: false,
    assets: [],
    inline: true,
    env: [['GATSBY_TELEMETRY_DISABLED', '1']],
  },
  {
    id: 'docusaurus',
    label: 'Docusaurus',
    script: /\bdocusaurus\s+build\b/,
    deps: ['@docusaurus/core'],
    out: 'build',
    spa: false,
    assets: ['/assets/'],
    inline: true,
  },
  {
    id: 'vitepress',
    label: 'VitePress',
    script: /\bvitepress\s+build\b/,
    deps: ['vitepress'],
    out: '.vitepress/dist',
    spa: false,
    assets: ['/assets/'],
    inline: true,
  },
  {
    id: 'create-react-app',
    label: 'Create React App',
    script: /\b(?:react-scripts|craco|react-app-rewired)\s+build\b/,
    deps: ['react-scripts'],
    out: 'build',
    spa: true,
    assets: ['/static/'],
    inline: false,
    // the runtime chunk goes into a file instead of an inline script (the CSP allows no inline script)
    env: [
      ['INLINE_RUNTIME_CHUNK', 'false'],
      ['GENERATE_SOURCEMAP', 'false'],
    ],
  },
  {
    id: 'vue-cli',
    label: 'Vue CLI',
    script: /\bvue-cli-service\s+build\b/,
    deps: ['@vue/cli-service'],
    out: 'dist',
    spa: true,
    assets: ['/js/', '/css/'],
    inline: false,
  },
  {
    id: 'angular',
    label: 'Angular',
    script: /\bng\s+build\b/,
    deps: ['@angular/core'],
    out: 'dist',
    spa: true,
    assets: [],
    // critical CSS is loaded with an inline onload handler
    inline: true,
    env: [['NG_CLI_ANALYTICS', 'false']],
  },
  {
    id: 'sveltekit-static',
    label: 'SvelteKit (adapter-static)',
    script: /\b(?:vite|svelte-kit)\s+build\b/,
    deps: ['@sveltejs/adapter-static'],
    out: 'build',
    spa: false,
    assets: ['/_app/immutable/'],
    inline: true,
  },
  {
    id: 'vite',
    label: 'Vite',
    script: /\bvite\s+build\b/,
    deps: ['vite'],
    out: 'dist',
    spa: true,
    assets: ['/assets/'],
    inline: false,
  },
  {
    id: 'parcel',
    label: 'Parcel',
    script: /\bparcel\s+build\b/,
    deps: ['parcel'],
    out: 'dist',
    spa: true,
    assets: [],
    inline: false,
  },
  {
    id: 'eleventy',
    label: 'Eleventy',
    script: /(?:^|[\s/])(?:eleventy|@11ty\/eleventy)\b/,
    deps: ['@11ty/eleventy'],
    out: '_site',
    spa: false,
    assets: [],
    inline: true,
  },
];

/** Hugo, plain files: not built with a Node tool. */
export const HUGO: SiteTool = {
  id: 'hugo',
  label: 'Hugo',
  script: /\bhugo\b/,
  deps: ['hugo-extended', 'hugo-bin'],
  out: 'public',
  spa: false,
  assets: [],
  inline: true,
};
export const PLAIN: SiteTool = {
  id: 'plain',
  label: 'plain files',
  script: /$^/,
  deps: [],
  out: 'public',
  spa: false,
  assets: [],
  inline: false,
};

export function toolById(id: string | undefined): SiteTool | undefined {
  return [...TOOLS, HUGO, PLAIN].find((t) => t.id === id);
}

const SCRIPT_OUT =
  /(?:^|\s)(?:--outDir|--out-dir|--outdir|--dist-dir|--output-path|--dest|--output|-o|-d)(?:=|\s+)("[^"]+"|'[^']+'|[^\s&|;]+)/;

/** A start script that runs a server file (not a dev server or a static file server). */
const SERVER_START =
  /(?:^|[\s;&|])(?:node|nodemon|ts-node|tsx|pm2|pm2-runtime|bun|deno)\s+(?:run\s+)?(?:--?[\w-]+(?:=\S+)?\s+)*[\w./-]+\.(?:[cm]?[jt]s|tsx?)\b/;

const CONFIG_EXT = ['ts', 'mts', 'js', 'mjs', 'cjs'];

function firstConfig(ctx: Ctx, base: string): { file: string; text: string } | undefined {
  for (const e of CONFIG_EXT) {
    const text = ctx.read(`${base}.${e}`);
    if (text !== undefined) return { file: `${base}.${e}`, text };
  }
  return undefined;
}

/** `key: 'value'` in a JavaScript config file (first occurrence outside line comments). */
function configString(text: string, key: string): string | undefined {
  const re = new RegExp(String.raw`^(?!\s*//).*?\b${key}\s*:\s*(['"\x60])([^'"\x60\n]{1,200})\1`, 'm');
  return re.exec(text)?.[2];
}

/** Inline scripts in an HTML entry (a <script> without src, other than JSON data, or an on… handler). */
export function inlineScripts(html: string): boolean {
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attrs = m[1];
    if (/\bsrc\s*=/i.test(attrs)) continue;
    if (/\btype\s*=\s*["']?(?:application\/(?:ld\+)?json|importmap|text\/template)/i.test(attrs)) continue;
    return true;
  }
  return /<[a-z][^>]*\son(?:load|click|error|submit)\s*=/i.test(html);
}

/** Origins of external scripts an HTML entry loads (https://cdn.example.com), for the CSP's script-src. */
export function scriptOrigins(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?(https:\/\/[A-Za-z0-9.-]{1,200}(?::\d{1,5})?)\//gi))
    out.add(m[1].toLowerCase());
  return [...out].sort().slice(0, 10);
}

export interface StaticSite {
  tool: SiteTool;
  /** why: the file and what in it */
  source: string;
  pkg?: Pkg;
  out: string;
  outSource: string;
  /** build argv, or null (plain files) */
  build: string[] | null;
  buildSource: string;
  spa: boolean;
  assets: string[];
  inline: boolean;
  inlineSource: string;
  /** origins of external scripts the HTML entry loads */
  scriptOrigins?: string[];
  hugo?: {
    version: string;
    versionSource: string;
    extended: boolean;
    extendedSource: string;
    viaNpm: boolean;
    /** package.json has packages the Hugo build runs (Tailwind CSS, PostCSS) */
    nodeDeps: boolean;
  };
}

/** The Node tool that builds the site, or why package.json is not a static site. */
function nodeSite(ctx: Ctx, pkg: Pkg): StaticSite | string | undefined {
  const build = pkg.scripts.build;
  if (build === undefined) return undefined;
  const text = expandScript(pkg, 'build');
  const tool = TOOLS.find((t) => t.script.test(text) && t.deps.some((d) => d in pkg.deps));
  if (tool === undefined) return undefined;
  const server = SERVER_DEPS.find((d) => d in pkg.deps);
  if (server !== undefined)
    return `package.json: ${tool.label} builds the front end, but "${server}" is a dependency: a server, not a static site`;
  for (const name of ['start', 'serve', 'start:prod', 'prod']) {
    const s = pkg.scripts[name];
    if (s !== undefined && SERVER_START.test(s))
      return `package.json: scripts.${name} "${s.slice(0, 60)}" runs a server file: not a static site`;
  }
  if (/\bvite\s+build\b[^&;|]*--ssr\b/.test(text))
    return 'package.json: the build runs vite build --ssr (server rendering): not a static site';
  if ('@sveltejs/kit' in pkg.deps && tool.id === 'vite')
    return 'package.json: SvelteKit without @sveltejs/adapter-static renders on a server: not a static site';
  let out = tool.out;
  let outSource = `${tool.label}'s default output directory`;
  let spa = tool.spa;
  let assets = [...tool.assets];
  let inline = tool.inline;
  let inlineSource = inline ? `${tool.label} writes inline scripts` : `${tool.label} writes no inline script`;
  let spaSource = '';
  let origins: string[] = [];
  if (tool.id === 'next-export') {
    const cfg = firstConfig(ctx, 'next.config');
    const exported =
      (cfg !== undefined && /\boutput\s*:\s*['"]export['"]/.test(cfg.text)) || /\bnext\s+export\b/.test(text);
    if (!exported)
      return `package.json: next build without output: 'export' (${cfg?.file ?? 'no next.config'}): a Next.js server, not a static site`;
    const bp = cfg !== undefined ? configString(cfg.text, 'basePath') : undefined;
    if (cfg !== undefined && bp !== undefined && bp !== '')
      ctx.note(
        `${cfg.file}: basePath "${bp.slice(0, 40)}": the site expects to be served under that path; nginx serves it at / (adjust deploy/nginx/nginx.conf or put a proxy in front)`,
      );
    const dist = cfg !== undefined ? configString(cfg.text, 'distDir') : undefined;
    if (dist !== undefined && normalizeRelDir(dist) !== undefined) {
      out = normalizeRelDir(dist) as string;
      outSource = `${cfg?.file ?? 'next.config'}: distDir`;
    }
  }
  if (tool.id === 'astro') {
    const cfg = firstConfig(ctx, 'astro.config');
    if (cfg !== undefined && /\boutput\s*:\s*['"](?:server|hybrid)['"]/.test(cfg.text))
      return `${cfg.file}: output "server": Astro renders on a server, not a static site`;
    const o = cfg !== undefined ? configString(cfg.text, 'outDir') : undefined;
    if (o !== undefined && normalizeRelDir(o.replace(/^\.\//, '')) !== undefined) {
      out = normalizeRelDir(o) as string;
      outSource = `${cfg?.file ?? 'astro.config'}: outDir`;
    }
  }
  if (tool.id === 'vite') {
    const cfg = firstConfig(ctx, 'vite.config');
    const o = cfg !== undefined ? configString(cfg.text, 'outDir') : undefined;
    if (cfg !== undefined && o !== undefined && normalizeRelDir(o) !== undefined) {
      out = normalizeRelDir(o) as string;
      outSource = `${cfg.file}: build.outDir`;
    }
    const ad = cfg !== undefined ? configString(cfg.text, 'assetsDir') : undefined;
    if (cfg !== undefined && ad !== undefined && /^[\w.-]+(?:\/[\w.-]+)*$/.test(ad)) assets = [`/${ad}/`];
    const base = cfg !== undefined ? configString(cfg.text, 'base') : undefined;
    if (cfg !== undefined && base !== undefined && base !== '/' && base !== './')
      ctx.note(
        `${cfg.file}: base "${base.slice(0, 40)}": the site expects to be served under that path; nginx serves it at / (adjust deploy/nginx/nginx.conf or put a proxy in front)`,
      );
    const html = ctx.read('index.html');
    if (html !== undefined) {
      origins = scriptOrigins(html);
      inline = inlineScripts(html);
      inlineSource = inline ? 'index.html has an inline script or event handler' : 'index.html has no inline script';
    }
  }
  if (tool.id === 'create-react-app') {
    const html = ctx.read('public/index.html');
    if (html !== undefined) origins = scriptOrigins(html);
    if (html !== undefined && inlineScripts(html)) {
      inline = true;
      inlineSource = 'public/index.html has an inline script or event handler';
    }
  }
  if (tool.id === 'vue-cli') {
    const cfg = ctx.read('vue.config.js');
    const o = cfg !== undefined ? configString(cfg, 'outputDir') : undefined;
    if (o !== undefined && normalizeRelDir(o) !== undefined) {
      out = normalizeRelDir(o) as string;
      outSource = 'vue.config.js: outputDir';
    }
  }
  if (tool.id === 'vitepress') {
    const m = /\bvitepress\s+build(?:\s+([A-Za-z0-9_./-]+))?/.exec(text);
    const dir = m?.[1] !== undefined ? normalizeRelDir(m[1]) : undefined;
    if (dir !== undefined && dir !== '.') {
      out = `${dir}/.vitepress/dist`;
      outSource = `package.json: vitepress build ${dir} (its default output)`;
    }
  }
  if (tool.id === 'angular') {
    const a = angularOut(ctx);
    if (a !== undefined) {
      out = a.out;
      outSource = a.source;
    }
  }
  if (tool.id === 'sveltekit-static') {
    const cfg = firstConfig(ctx, 'svelte.config');
    if (cfg !== undefined && /\bfallback\s*:\s*['"][\w.-]+\.html['"]/.test(cfg.text)) {
      spa = true;
      spaSource = `${cfg.file}: adapter-static fallback page`;
    }
  }
  const flag = SCRIPT_OUT.exec(text);
  if (flag && tool.id !== 'angular' && tool.id !== 'next-export') {
    const dir = normalizeRelDir(flag[1].replace(/^["']|["']$/g, ''));
    if (dir !== undefined && dir !== '.') {
      out = dir;
      outSource = `package.json: build script "${flag[0].trim()}"`;
    }
  }
  const pm = jsPackageManager(ctx, pkg)?.pm ?? 'npm';
  return {
    tool,
    source: `package.json: scripts.build "${build.slice(0, 60)}" (${tool.label}: a static site${spaSource ? `; ${spaSource}` : ''})`,
    pkg,
    out,
    outSource,
    build: [pm, 'run', 'build'],
    buildSource: `package.json: scripts.build "${build.slice(0, 60)}"`,
    spa,
    assets,
    inline,
    inlineSource,
    scriptOrigins: origins,
  };
}

/** Angular's output: angular.json's first application's outputPath (+ /browser for the application builder). */
function angularOut(ctx: Ctx): { out: string; source: string } | undefined {
  const json = parseJson(ctx.read('angular.json') ?? '');
  if (!isRecord(json) || !isRecord(json.projects)) return undefined;
  for (const [name, p] of Object.entries(json.projects)) {
    if (!isRecord(p) || (p.projectType !== undefined && p.projectType !== 'application')) continue;
    const b = isRecord(p.architect) ? p.architect.build : undefined;
    if (!isRecord(b)) continue;
    const builder = str(b.builder) ?? '';
    const opts = isRecord(b.options) ? b.options : {};
    const op = opts.outputPath;
    const base = typeof op === 'string' ? op : isRecord(op) ? (str(op.base) ?? `dist/${name}`) : `dist/${name}`;
    const dir = normalizeRelDir(base);
    if (dir === undefined) return undefined;
    const application = /:application$/.test(builder);
    return {
      out: application ? `${dir}/browser` : dir,
      source: `angular.json: projects.${name} outputPath${application ? ' (+ /browser: the application builder)' : ''}`,
    };
  }
  return undefined;
}

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json'];
const LEGACY_CONFIGS = [
  'config.toml',
  'config.yaml',
  'config.yml',
  'config/_default/hugo.toml',
  'config/_default/config.toml',
];

function hugoConfig(ctx: Ctx): { file: string; text: string } | undefined {
  for (const f of HUGO_CONFIGS) {
    const t = ctx.read(f);
    if (t !== undefined) return { file: f, text: t };
  }
  const layout = ctx.files.list.some((f) => /^(?:content|layouts|themes|archetypes)\//.test(f));
  if (!layout) return undefined;
  for (const f of LEGACY_CONFIGS) {
    const t = ctx.read(f);
    if (t !== undefined && /\bbase_?url\b/i.test(t)) return { file: f, text: t };
  }
  return undefined;
}

const HUGO_VERSION = /^\d+\.\d+\.\d+$/;

function hugoSite(ctx: Ctx, cfg: { file: string; text: string }, pkg: Pkg | undefined): StaticSite {
  let version = HUGO_DEFAULT;
  let versionSource = `no Hugo version pinned (netlify.toml HUGO_VERSION, .tool-versions, ${cfg.file} module.hugoVersion.min): ${HUGO_DEFAULT}`;
  const netlify = ctx.read('netlify.toml');
  const nt = netlify !== undefined ? parseToml(netlify).table : {};
  const pin = (v: unknown, where: string): boolean => {
    const s = str(v)?.trim().replace(/^v/, '');
    if (s === undefined || !HUGO_VERSION.test(s)) return false;
    version = s;
    versionSource = where;
    return true;
  };
  const tools = ctx.read('.tool-versions');
  const tv = tools !== undefined ? /^hugo(?:-extended)?\s+(?:extended_)?v?(\d+\.\d+\.\d+)/m.exec(tools) : null;
  const pinned =
    pin(tomlGet(nt, 'build', 'environment', 'HUGO_VERSION'), `netlify.toml: build.environment.HUGO_VERSION`) ||
    pin(
      tomlGet(nt, 'context', 'production', 'environment', 'HUGO_VERSION'),
      'netlify.toml: context.production.environment.HUGO_VERSION',
    ) ||
    (tv !== null && pin(tv[1], `.tool-versions: hugo ${tv[1]}`)) ||
    (cfg.file.endsWith('.toml') &&
      pin(
        tomlGet(parseToml(cfg.text).table, 'module', 'hugoVersion', 'min'),
        `${cfg.file}: module.hugoVersion.min (a minimum: built with it)`,
      ));
  if (!pinned)
    ctx.note(
      `${cfg.file}: no Hugo version pinned: built with Hugo ${HUGO_DEFAULT} (pin HUGO_VERSION in netlify.toml, or pass --build-arg HUGO_VERSION)`,
    );

  const scss = ctx.files.list.find((f) => /^(?:assets|themes\/[^/]+\/assets)\/.*\.s[ac]ss$/.test(f));
  const extendedPin = str(tomlGet(nt, 'build', 'environment', 'HUGO_EXTENDED')) === 'true';
  const extended = scss !== undefined || extendedPin || /hugo-extended|extended_/.test(tools ?? '');
  const extendedSource =
    scss !== undefined
      ? `${scss}: Sass is compiled by Hugo extended (cgo)`
      : extendedPin
        ? 'netlify.toml: HUGO_EXTENDED = "true"'
        : 'no Sass under assets/: the standard Hugo build';
  const publish = cfg.file.endsWith('.toml')
    ? str(tomlGet(parseToml(cfg.text).table, 'publishDir'))
    : /^publishDir:\s*["']?([\w./-]+)/m.exec(cfg.text)?.[1];
  const pd = publish !== undefined ? normalizeRelDir(publish) : undefined;
  // the build command the host runs (netlify.toml), when it is plain hugo with flags
  const cmd = str(tomlGet(nt, 'build', 'command'));
  // the hugo step of the host's command ("npm ls && hugo --gc --minify")
  const step = cmd
    ?.split(/&&|;/)
    .map((x) => x.trim())
    .find((x) => /^hugo(?:\s|$)/.test(x));
  const argv = step !== undefined ? shellSplit(step) : null;
  const viaNpm =
    pkg !== undefined &&
    HUGO.deps.some((d) => d in pkg.deps) &&
    pkg.scripts.build !== undefined &&
    /\bhugo\b/.test(pkg.scripts.build);
  const build: string[] = viaNpm
    ? [jsPackageManager(ctx, pkg)?.pm ?? 'npm', 'run', 'build']
    : argv !== null && argv[0] === 'hugo' && argv.every((w) => /^[\w.=/:-]+$/.test(w))
      ? argv
      : ['hugo', '--gc', '--minify'];
  const buildSource = viaNpm
    ? `package.json: scripts.build "${(pkg.scripts.build ?? '').slice(0, 60)}" (hugo from the ${HUGO.deps.find((d) => d in pkg.deps) ?? 'hugo'} package)`
    : build === argv
      ? `netlify.toml: build.command "${cmd?.slice(0, 60) ?? ''}"`
      : "Hugo's production build (garbage-collected, minified)";
  // Node packages the Hugo build uses (Tailwind CSS, PostCSS): installed in a Node stage, run with its node
  const nodeDeps = pkg !== undefined && !viaNpm && Object.keys(pkg.deps).length > 0;
  return {
    tool: HUGO,
    source: `${cfg.file} (Hugo site)`,
    ...(pkg ? { pkg } : {}),
    out: pd ?? 'public',
    outSource: pd !== undefined ? `${cfg.file}: publishDir` : "Hugo's default publishDir",
    build,
    buildSource,
    spa: false,
    assets: [],
    inline: true,
    inlineSource: 'Hugo themes commonly use inline scripts',
    hugo: { version, versionSource, extended, extendedSource, viaNpm, nodeDeps },
  };
}

const PLAIN_DIRS = ['public', 'www', 'site', '.'];

function plainSite(ctx: Ctx): StaticSite | undefined {
  for (const d of PLAIN_DIRS) {
    const index = d === '.' ? 'index.html' : `${d}/index.html`;
    if (!ctx.has(index)) continue;
    const html = ctx.read(index) ?? '';
    const inline = inlineScripts(html);
    return {
      tool: PLAIN,
      source: `${index} (plain files, no build step)`,
      out: d,
      outSource:
        d === '.' ? 'index.html at the repository root: the files are the site' : `${index}: the files are the site`,
      build: null,
      buildSource: 'plain files: no build step',
      spa: false,
      assets: [],
      inline,
      inlineSource: inline ? `${index} has an inline script or event handler` : `${index} has no inline script`,
      scriptOrigins: scriptOrigins(html),
    };
  }
  return undefined;
}

/** The site this repository is, if any, and the rank of the claim (lower wins). */
export function findSite(ctx: Ctx): { site: StaticSite; rank: number } | { reason: string } | undefined {
  const pkg = ctx.has('package.json') ? readPkg(ctx) : undefined;
  // Hugo's config is decisive (a Hugo site may have a go.mod for Hugo modules and a package.json for Tailwind)
  const cfg = hugoConfig(ctx);
  if (cfg !== undefined) return { site: hugoSite(ctx, cfg, pkg), rank: 5 };
  const backend = BACKEND_MANIFESTS.find((f) => ctx.has(f));
  if (backend !== undefined) return undefined;
  if (pkg !== undefined) {
    const s = nodeSite(ctx, pkg);
    if (typeof s === 'string') return { reason: s };
    if (s !== undefined) return { site: s, rank: 5 };
    // a package.json that is more than tooling (dependencies, a start script or main) is the node runtime's
    if (Object.keys(pkg.prodDeps).length > 0 || pkg.scripts.start !== undefined || typeof pkg.raw.main === 'string')
      return undefined;
  }
  const plain = plainSite(ctx);
  return plain ? { site: plain, rank: 85 } : undefined;
}

export function staticClaim(ctx: Ctx): RuntimeClaim | undefined {
  const found = findSite(ctx);
  if (found === undefined) return undefined;
  if ('reason' in found) {
    ctx.note(found.reason);
    return undefined;
  }
  return { rank: found.rank, source: found.site.source, detect: () => detectStatic(ctx, found.site) };
}

/** The port and health route are the generated nginx's: set after the generic scan (which reads dev-server ports). */
export const NGINX_PORT = 8080;
export const HEALTH_PATH = '/healthz';

export function detectStatic(ctx: Ctx, site: StaticSite): RuntimeDetection {
  const facts: DetectedFacts = {};
  const pkg = site.pkg;
  const rawName = str(pkg?.raw.name);
  const name = rawName !== undefined ? dnsLabel(rawName) : undefined;
  if (name !== undefined)
    facts.name = fact(
      name,
      rawName === name ? 'package.json: name' : `package.json: name "${rawName ?? ''}" (made DNS-label safe)`,
    );
  const nodeBuilt =
    site.tool !== PLAIN && !(site.tool === HUGO && site.hugo?.viaNpm !== true && site.hugo?.nodeDeps !== true);
  if (nodeBuilt) {
    const pm = jsPackageManager(ctx, pkg);
    if (pm) {
      facts.packageManager = fact(pm.pm, pm.source);
      if (pm.locks.length > 0) facts.lockfiles = fact(pm.locks, 'repository root');
      else
        ctx.note(
          `no lockfile: ${pm.pm} install resolves the versions afresh at every build (not reproducible; commit a lockfile)`,
        );
    } else
      ctx.note(
        'no lockfile: npm install resolves the versions afresh at every build (not reproducible; commit a lockfile)',
      );
    const engines = isRecord(pkg?.raw.engines) ? str(pkg.raw.engines.node) : undefined;
    const volta = isRecord(pkg?.raw.volta) ? str(pkg.raw.volta.node) : undefined;
    const v = nodeRuntimeVersion(ctx, engines, volta);
    if (v) facts.runtimeVersion = v;
  } else {
    facts.packageManager = fact(
      'none',
      site.tool === HUGO ? `${site.source}: Hugo is built from its Go module, no Node install` : site.buildSource,
    );
  }
  facts.framework = fact(site.tool.id, site.source);
  facts.build = fact(site.build, site.buildSource);
  facts.buildOutput = fact(site.out, site.outSource);
  facts.start = fact(
    ['nginx'],
    `static site: nginx serves ${site.out === '.' ? 'the files' : `${site.out}/`} with the generated deploy/nginx/nginx.conf`,
  );
  const settings: RuntimeSettings = {
    tool: site.tool.id,
    spa: site.spa,
    assets: site.assets,
    inlineScripts: site.inline,
    ...(site.scriptOrigins !== undefined && site.scriptOrigins.length > 0 ? { scriptOrigins: site.scriptOrigins } : {}),
    ...(site.tool.env ? { buildEnv: site.tool.env.map(([k, v]) => `${k}=${v}`) } : {}),
    ...(site.hugo
      ? {
          hugoVersion: site.hugo.version,
          hugoExtended: site.hugo.extended,
          hugoViaNpm: site.hugo.viaNpm,
          hugoNodeDeps: site.hugo.nodeDeps,
        }
      : {}),
  };
  const why = [
    site.spa ? 'a single-page app: unknown paths get index.html' : 'pages are files: unknown paths get 404.html',
    site.assets.length > 0 ? `hashed assets under ${site.assets.join(', ')}` : 'no hashed-asset directory',
    site.inlineSource,
    ...(site.scriptOrigins !== undefined && site.scriptOrigins.length > 0
      ? [`scripts loaded from ${site.scriptOrigins.join(', ')}`]
      : []),
    ...(site.hugo
      ? [
          `Hugo ${site.hugo.version} (${site.hugo.versionSource})`,
          site.hugo.extendedSource,
          ...(site.hugo.nodeDeps ? ['package.json: Node packages for the Hugo build (installed, run with node)'] : []),
        ]
      : []),
  ];
  facts.settings = fact(settings, `${site.tool.label}: ${why.join('; ')}`);
  return {
    facts,
    entryFiles: [],
    withPort(f) {
      // the port and the health route are those of the generated nginx.conf, whatever the dev server uses
      f.port = fact(NGINX_PORT, "nginx's unprivileged port (the generated deploy/nginx/nginx.conf listens on --port)");
      f.healthPath = fact(HEALTH_PATH, 'the generated deploy/nginx/nginx.conf answers it (no file of the site needed)');
      delete f.dataDirs;
    },
  };
}
