// Node.js detection: package.json, lockfiles, version pins, tsconfig.json. Pure.
import { MAX_DEPTH, MAX_ENTRIES, SKIP_DIRS } from '../../detect/files.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import {
  depth,
  dirname,
  dnsLabel,
  isRecord,
  isSafeRelPath,
  normalizeRelDir,
  parseJson,
  shellSplit,
  str,
} from '../../detect/text.js';
import type { WorkspaceApp } from '../../core/types.js';
import { nodeRuntimeVersion } from './versions.js';
import {
  bootScriptLines,
  nestEntry,
  nestTsconfig,
  nxApp,
  nxProjectHint,
  pm2Script,
  procfileWeb,
  prismaInfo,
  devLifecycle,
  type NxApp,
} from './tools.js';
import { listenInfo, nodeHealthRoute } from './routes.js';
import { readTsConfig, registerMemberCtx, type TsConfig } from './tsconfig.js';
import { buildBundles, devOnlyImportNote, devOnlyImports, type RuntimeImport } from './imports.js';
import {
  aliasImports,
  aliasNote,
  buildScriptsText,
  rewritesAliases,
  tsconfigPathsNote,
  unresolvedAliases,
} from './paths-alias.js';

type NodePm = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfile -> package manager, in the order we prefer when several are present (a stray
 * package-lock.json next to another manager's lockfile is the usual accident, so npm is last). */
export const NODE_LOCKFILES: readonly (readonly [string, NodePm])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export interface PackageJson {
  raw: Record<string, unknown>;
  /** prototype-less: a name that is not a script is undefined */
  scripts: Partial<Record<string, string>>;
  deps: Record<string, unknown>;
  devDeps: Record<string, unknown>;
}

/** Parse package.json; undefined when absent or not a JSON object. */
export function readPackageJson(ctx: Ctx): PackageJson | undefined {
  const text = ctx.read('package.json');
  if (text === undefined) return undefined;
  const raw = parseJson(text);
  if (!isRecord(raw)) return undefined;
  // no prototype: a script named "constructor" or "toString" must not find Object.prototype's
  const scripts = Object.create(null) as Partial<Record<string, string>>;
  if (isRecord(raw.scripts))
    for (const [k, v] of Object.entries(raw.scripts)) if (typeof v === 'string') scripts[k] = v;
  return {
    raw,
    scripts,
    deps: isRecord(raw.dependencies) ? raw.dependencies : {},
    devDeps: isRecord(raw.devDependencies) ? raw.devDependencies : {},
  };
}

/** A package.json that describes an app (not just tooling for another runtime). */
export function isNodeApp(pkg: PackageJson): boolean {
  return Object.keys(pkg.deps).length > 0 || typeof pkg.scripts.start === 'string' || typeof pkg.raw.main === 'string';
}

const TS_SRC = /\.(?:ts|tsx|mts|cts)$/;

/** TypeScript's default rootDir: the common directory of the input files. */
function inferRootDir(ctx: Ctx, ts: TsConfig | undefined, outDir: string | undefined): { dir: string; how: string } {
  if (ts?.rootDir !== undefined) return { dir: ts.rootDir, how: `${ts.file}: compilerOptions.rootDir` };
  const prefixes = (ts?.include ?? [])
    .map((p) => normalizeRelDir(p.split(/[*{]/)[0] || '.'))
    .filter((p): p is string => p !== undefined)
    .map((p) => (/\.[a-z]+$/.test(p) ? dirname(p) : p));
  const excluded = (ts?.exclude ?? []).slice(0, 40).map(globRe);
  const inputs = ctx.files.list.filter(
    (f) =>
      TS_SRC.test(f) &&
      !/\.d\.[cm]?ts$/.test(f) &&
      (prefixes.length === 0 || prefixes.some((p) => p === '.' || f === p || f.startsWith(`${p}/`))) &&
      (outDir === undefined || outDir === '.' || !f.startsWith(`${outDir}/`)) &&
      !/(?:^|\/)[^/]+\.config\.[cm]?ts$/.test(f) &&
      !excluded.some((re) => re.test(f)),
  );
  if (inputs.length === 0) return { dir: '.', how: 'no TypeScript sources listed' };
  let common = dirname(inputs[0]).split('/');
  for (const f of inputs.slice(1)) {
    const d = dirname(f).split('/');
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const dir = common.length === 0 || common[0] === '.' ? '.' : common.join('/');
  return { dir, how: `rootDir inferred as "${dir}" (common directory of the TypeScript sources)` };
}

/** A tsconfig include/exclude pattern as a regex over repository paths ("test" also covers test/**). */
function globRe(pattern: string): RegExp {
  const p = normalizeRelDir(pattern) ?? pattern.trim().replace(/^(?:\.\/)+/, '');
  const body = p
    .split('/')
    .map((seg) =>
      seg === '**'
        ? '(?:[^/]+/)*'
        : `${seg
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]')}/`,
    )
    .join('')
    .replace(/\/$/, '')
    .replace(/\(\?:\[\^\/\]\+\/\)\*$/, '.*');
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** src/server.ts -> dist/server.js given rootDir "src" and outDir "dist". */
function compiledPath(file: string, rootDir: string, outDir: string | undefined): string | undefined {
  const rel = normalizeRelDir(file);
  if (rel === undefined) return undefined;
  let inner = rel;
  if (rootDir !== '.') {
    if (!rel.startsWith(`${rootDir}/`)) return undefined;
    inner = rel.slice(rootDir.length + 1);
  }
  const js = inner
    .replace(/\.tsx?$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
  if (outDir === undefined || outDir === '.') return rootDir === '.' ? js : `${rootDir}/${js}`;
  return `${outDir}/${js}`;
}

/** Scripts the build script calls through the package manager (`npm run compile`), one level deep. */
function expandScript(pkg: PackageJson, name: string, seen = new Set<string>()): string {
  const s = pkg.scripts[name];
  if (s === undefined || seen.has(name)) return '';
  seen.add(name);
  let out = s;
  const re = /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([A-Za-z0-9:_-]+)/g;
  for (const m of s.matchAll(re))
    if (pkg.scripts[m[1]] !== undefined && seen.size < 8) out += ` && ${expandScript(pkg, m[1], seen)}`;
  for (const m of s.matchAll(/\brun-[sp]\s+([A-Za-z0-9:_ *-]+)/g))
    for (const n of m[1].split(/\s+/)) {
      // npm-run-all's glob: `run-p build:*` runs every build:<x> script (at most 8 are read)
      const names = /^[\w-]+(?::[\w-]+)*:\*$/.test(n)
        ? Object.keys(pkg.scripts)
            .filter((k) => k.startsWith(n.slice(0, -1)) && !k.slice(n.length - 1).includes(':'))
            .slice(0, 8)
        : [n];
      for (const k of names) if (pkg.scripts[k]) out += ` && ${expandScript(pkg, k, seen)}`;
    }
  return out;
}

/** Output directory named on the build command line. */
function outDirFromScript(script: string): { dir: string; flag: string } | undefined {
  const m = /(?:^|\s)(--outDir|--out-dir|--outdir|--dist-dir|--out|-o|-d)(?:=|\s+)("[^"]+"|'[^']+'|[^\s&|;]+)/.exec(
    script,
  );
  if (m) {
    const dir = normalizeRelDir(m[2].replace(/^["']|["']$/g, ''));
    if (dir !== undefined) return { dir: /\.[cm]?js$/.test(dir) ? dirname(dir) : dir, flag: m[0].trim() };
  }
  const f = /(?:^|\s)--outfile(?:=|\s+)([^\s&|;]+)/.exec(script);
  if (f) {
    const file = normalizeRelDir(f[1]);
    if (file !== undefined) return { dir: dirname(file), flag: f[0].trim() };
  }
  return undefined;
}

/** Tools whose default output directory is not "dist". */
const TOOL_OUT: readonly (readonly [RegExp, string, string])[] = [
  [/\bnext\s+build\b/, '.next', 'next build'],
  [/\bnuxt\s+build\b|\bnuxi\s+build\b/, '.output', 'nuxt build'],
  [/\breact-scripts\s+build\b/, 'build', 'react-scripts build'],
  [/\bremix\s+build\b/, 'build', 'remix build'],
];
const DIST_TOOLS = /\b(?:vite|tsup|ncc|webpack|rollup|parcel|astro|esbuild|nest)\b/;

function tscArgv(pm: NodePm): string[] {
  switch (pm) {
    case 'pnpm':
      return ['pnpm', 'exec', 'tsc'];
    case 'yarn':
      return ['yarn', 'tsc'];
    case 'bun':
      return ['bunx', 'tsc'];
    default:
      return ['npx', 'tsc'];
  }
}

const TS_RUNNERS = new Set([
  'ts-node',
  'ts-node-dev',
  'tsnd',
  'ts-node-esm',
  'tsx',
  'nodemon',
  'babel-node',
  'node-dev',
  'esno',
  'esr',
  'swc-node',
  'vite-node',
  'jiti',
]);
const TS_LOADER = /(?:^|\/)(?:ts-node|tsx|@swc-node|esbuild-register|@babel\/register|@esbuild-kit|jiti)(?:\/|$)/;
const SAFE_ARG = /^[A-Za-z0-9._/:@=,+-]+$/;

interface StartCandidate {
  argv: string[];
  source: string;
  /** the repo file the entry is built from (for port/route scanning) */
  sourceFile?: string | undefined;
  /** what the candidate came from ("package.json: scripts.start …"), for notes */
  where?: string;
  /** read from a tool's conventions (nest start, nx serve): a script that runs node directly wins */
  derived?: boolean;
  /** a build script run before node in the start chain (used when there is no "build" script) */
  chainBuild?: string | undefined;
  /** the Nx application it starts */
  nx?: NxApp;
}

interface TsInfo {
  enabled: boolean;
  rootDir: string;
  rootHow: string;
  outDir: string | undefined;
  /** the image has a build step (an entry under its output need not exist in the repository) */
  hasBuild: boolean;
}

function mapEntry(
  ctx: Ctx,
  file: string,
  ts: TsInfo,
): { path: string; from?: string | undefined; compiled?: boolean } | undefined {
  let f = normalizeRelDir(file);
  if (f === undefined || f === '.' || !isSafeRelPath(f)) return undefined;
  if (!/\.[cm]?[jt]sx?$/.test(f)) {
    // `ts-node src/server` / `node dist/main`: extensionless
    const base = f;
    const hit = ['.ts', '.mts', '.js', '.mjs', '.cjs'].map((e) => base + e).find((c) => ctx.has(c));
    if (hit !== undefined && TS_SRC.test(hit)) f = hit;
    else return { path: f, from: hit };
  }
  if (TS_SRC.test(f)) {
    const out = compiledPath(f, ts.rootDir, ts.outDir);
    return out === undefined ? undefined : { path: out, from: f, compiled: true };
  }
  if (ctx.has(f)) return { path: f, from: f };
  // already compiled output (dist/server.js): remember its TypeScript source for port scanning
  if (ts.enabled && ts.outDir !== undefined && ts.outDir !== '.' && f.startsWith(`${ts.outDir}/`)) {
    const inner = f.slice(ts.outDir.length + 1).replace(/\.js$/, '');
    const base = ts.rootDir === '.' ? inner : `${ts.rootDir}/${inner}`;
    const src = [`${base}.ts`, `${base}.tsx`, `${base}.mts`].find((c) => ctx.has(c));
    return { path: f, from: src };
  }
  return { path: f };
}

/** What translating a start command needs besides the command itself. */
interface StartEnv {
  ctx: Ctx;
  pkg: PackageJson;
  ts: TsInfo;
  /** scripts already followed (`npm run a` -> b -> a stops) */
  seen: Set<string>;
  /** the build script and the scripts it runs: running them before node is the image build's job */
  buildScripts: Set<string>;
  depth: number;
}

const short = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Split a command line on top-level `&&` and `;` (quotes respected); other operators stay for shellSplit to refuse. */
export function splitChain(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (q !== null) {
      cur += c;
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < script.length) cur += script[++i];
    } else if (c === "'" || c === '"') {
      q = c;
      cur += c;
    } else if (c === '\\' && i + 1 < script.length) {
      cur += c + script[++i];
    } else if (c === '&' && script[i + 1] === '&') {
      out.push(cur);
      cur = '';
      i++;
    } else if (c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

/** Drop leading `VAR=value`, `cross-env`, `env` and `dotenv -e file --` words. */
function stripEnvPrefix(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || w === 'cross-env' || w === 'env') i++;
    else if (w === 'dotenv' || w === 'dotenv-cli') {
      const dd = words.indexOf('--', i);
      if (dd === -1) break;
      i = dd + 1;
    } else break;
  }
  return words.slice(i);
}

/** `npm run x`, `npm start`, `yarn x`, `pnpm run x`, `bun run x`: the script name; undefined otherwise. */
function pmScriptName(words: string[]): string | undefined {
  const [c] = words;
  if (c !== 'npm' && c !== 'pnpm' && c !== 'yarn' && c !== 'bun') return undefined;
  const args = words.slice(1).filter((w) => !w.startsWith('-'));
  if (args[0] === 'run' || args[0] === 'run-script') return args[1];
  if (args[0] === 'start') return 'start';
  const first = args.at(0);
  if ((c === 'yarn' || c === 'pnpm') && first !== undefined && !PM_COMMANDS.has(first)) return first;
  return undefined;
}
const PM_COMMANDS = new Set([
  'install',
  'i',
  'add',
  'exec',
  'dlx',
  'x',
  'workspace',
  'workspaces',
  'node',
  'why',
  'test',
]);

/** Workspace flags (`-w api`, `--workspace=api`, `--filter api`, `yarn workspace api`): the member named. */
function workspaceFlag(words: string[]): string | undefined {
  const j = words.join(' ');
  return (
    /(?:^|\s)(?:-w|--workspace|--filter|-F)(?:=|\s+)(\S+)/.exec(j)?.[1] ??
    /^yarn\s+workspace\s+(\S+)/.exec(j)?.[1] ??
    undefined
  );
}

const BUILD_TOOL =
  /(?:^|&&\s*|;\s*)(?:npx\s+)?(?:tsc|nest\s+build|webpack|esbuild|vite\s+build|babel|swc|tsup|rollup|next\s+build|nx\s+(?:build|run-many|run\s+\S+:build)|ncc\s+build|prisma\s+generate)\b/;

/**
 * A command run before node in a start chain: true when it is the build (the image build runs
 * it), a script name when it is a build script other than "build", false when it is something else
 * (a migration, a seed): that is not run at start and the plan says so.
 */
function buildStep(env: StartEnv, seg: string): boolean | string {
  const w = shellSplit(seg);
  if (w === null) return false;
  const words = stripEnvPrefix(w);
  const name = pmScriptName(words);
  if (name !== undefined) {
    if (env.buildScripts.has(name)) return true;
    const body = env.pkg.scripts[name];
    return body !== undefined && BUILD_TOOL.test(body) && !/\bmigrat/.test(body) ? name : false;
  }
  return BUILD_TOOL.test(words.join(' '));
}

/** Translate a start command (a script, a Procfile line, a boot-script line) into exec form; a reason string when it cannot be used. */
function translateCommand(env: StartEnv, where: string, script: string): StartCandidate | string {
  const segs = splitChain(script);
  if (segs.length === 0) return `${where} is empty`;
  if (segs.length === 1) return translateSimple(env, where, segs[0]);
  const last = translateSimple(env, where, segs[segs.length - 1]);
  if (typeof last === 'string') return last;
  const built: string[] = [];
  const skipped: string[] = [];
  let chainBuild: string | undefined;
  for (const seg of segs.slice(0, -1)) {
    if (/^cd(?:\s|$)/.test(seg)) return `${where} changes directory before starting node, so it is not run as-is`;
    const b = buildStep(env, seg);
    if (b === false) skipped.push(seg);
    else {
      built.push(seg);
      if (typeof b === 'string') chainBuild ??= b;
    }
  }
  const parts: string[] = [];
  if (built.length > 0) parts.push(`${built.map((x) => `"${short(x, 40)}"`).join(', ')} runs in the image build`);
  if (skipped.length > 0) {
    const what = skipped.map((x) => `"${short(x, 40)}"`).join(', ');
    parts.push(`${what} is not run at start`);
    env.ctx.note(
      `${where}: ${what} is not run when the container starts: run it as a separate step (e.g. a one-off \`docker compose run\`)`,
    );
  }
  return { ...last, source: `${last.source}; ${parts.join('; ')}`, chainBuild: last.chainBuild ?? chainBuild };
}

/** One simple command (no operators) into exec form. */
function translateSimple(env: StartEnv, where: string, seg: string): StartCandidate | string {
  const { ctx, pkg, ts } = env;
  const raw = shellSplit(seg);
  if (raw === null) return `${where} uses shell operators or substitutions, so it is not run as-is`;
  const words = stripEnvPrefix(raw);
  const cmd = (words[0] ?? '').replace(/^(?:\.\/)?node_modules\/\.bin\//, '');
  const rest = words.slice(1);
  if (cmd === 'next' && rest[0] === 'start') {
    const extra = rest.slice(1);
    if (!extra.every((a) => SAFE_ARG.test(a))) return `${where} has arguments we do not pass through`;
    return {
      argv: ['node', 'node_modules/next/dist/bin/next', 'start', ...extra],
      source: `${where}: runs the next binary with node directly (no package manager at runtime)`,
      where,
    };
  }
  if (cmd === 'node' || cmd === 'nodejs') return nodeInvocation(ctx, pkg, where, rest, ts);
  if (TS_RUNNERS.has(cmd)) {
    // nodemon --exec ts-node src/x.ts ; tsx watch src/x.ts ; ts-node-dev --respawn src/x.ts
    const file = rest.find(
      (a, k) =>
        !a.startsWith('-') &&
        /[./]/.test(a) &&
        !/^(?:--exec|-x|--watch|-w|--ext|-e|--ignore|-i|--project|-P)$/.test(rest[k - 1] ?? ''),
    );
    const mainField = str(pkg.raw.main);
    const target = file ?? (cmd === 'nodemon' ? mainField : undefined);
    if (target === undefined) return `${where} uses ${cmd} (a development runner) and names no entry file`;
    const mapped = mapEntry(ctx, target, ts);
    if (!mapped) return `${where} uses ${cmd}; its entry ${target} cannot be mapped to compiled output`;
    const js = mapped.path;
    return {
      argv: ['node', js],
      source:
        mapped.compiled === true
          ? `${where} uses ${cmd} (not for production): running the compiled ${js} (from ${mapped.from}${ts.rootDir !== '.' ? `, ${ts.rootHow}` : ''}) instead`
          : `${where} uses ${cmd} (not for production): running ${js} with node instead`,
      sourceFile: mapped.from,
      where,
    };
  }
  if (cmd === 'npm' || cmd === 'pnpm' || cmd === 'yarn' || cmd === 'bun') {
    const member = workspaceFlag(words);
    if (member !== undefined)
      return `${where} runs a script of the workspace member "${member}": the root package has no start command of its own (pass --workspace with that member's directory to containerize it)`;
    const name = pmScriptName(words);
    const body = name === undefined ? undefined : pkg.scripts[name];
    if (name === undefined || body === undefined || env.seen.has(name) || env.depth >= 4)
      return `${where} does not start node directly (${cmd}), so it is not used as the entry point`;
    env.seen.add(name);
    const r = translateCommand({ ...env, depth: env.depth + 1 }, `${where} -> scripts.${name} "${short(body)}"`, body);
    if (typeof r !== 'string') preScriptNote(env, name);
    return r;
  }
  if (cmd === 'pm2' || cmd === 'pm2-runtime' || cmd === 'pm2-docker') {
    const p = pm2Script(ctx, rest);
    if (typeof p === 'string') return `${where}: pm2 ${p}`;
    const r = /^(?:npm|yarn|pnpm)$/.test(p.script)
      ? translateSimple({ ...env, depth: env.depth + 1 }, where, [p.script, ...p.args].join(' '))
      : nodeInvocation(ctx, pkg, where, [p.script, ...p.args], ts);
    if (typeof r === 'string') return r;
    return {
      ...r,
      source: `${where}: ${r.argv.slice(1).join(' ')} run with node directly, without pm2 (one process per container: restarts and scaling come from the container runtime)${p.notes.length > 0 ? `; ${p.notes.join('; ')}` : ''}`,
    };
  }
  if (cmd === 'nest' && rest[0] === 'start') {
    const e = nestEntry(ctx);
    if (e.compiled !== undefined)
      return {
        argv: ['node', e.compiled],
        source: `${where}: the Nest CLI runs ${e.compiled} (${e.how})`,
        derived: true,
        where,
      };
    const mapped = mapEntry(ctx, e.source, ts);
    if (!mapped) return `${where}: the Nest entry ${e.source} cannot be mapped to compiled output`;
    return {
      argv: ['node', mapped.path],
      source: `${where}: the Nest CLI runs the compiled ${mapped.path} (${e.how}${ts.rootDir !== '.' ? `; ${ts.rootHow}` : ''})`,
      sourceFile: ctx.has(e.source) ? e.source : mapped.from,
      derived: true,
      where,
    };
  }
  if (cmd === 'nx') {
    const app = nxApp(ctx, nxProjectHint(words));
    if (app === undefined) return `${where} runs nx, but no Nx Node application (project.json) was found`;
    if (typeof app === 'string') return `${where}: ${app}`;
    return {
      argv: ['node', app.entry],
      source: `${where}: Nx project "${app.name}" builds to ${app.outputPath} (${app.how}); running ${app.entry}`,
      sourceFile: app.sourceMain,
      derived: true,
      nx: app,
      where,
    };
  }
  if (cmd === 'nps' || cmd === 'nps.js') {
    // package-scripts.js (nps): `start: 'node dist/app.js'` or `start: { script: '…' }`
    const name = rest.find((w) => !w.startsWith('-')) ?? 'default';
    const file = ['package-scripts.js', 'package-scripts.cjs'].find((f) => ctx.has(f));
    const text = file === undefined ? undefined : ctx.read(file);
    if (file === undefined || text === undefined) return `${where} runs nps, but there is no package-scripts.js`;
    const key = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(
      `(?:^|[\\s{,])['"]?${key}['"]?\\s*:\\s*(?:\\{[^{}]*?\\bscript\\s*:\\s*)?(['"\`])([^'"\`]+)\\1`,
    ).exec(text);
    if (!m || env.depth >= 4) return `${where}: nps script "${name}" not found in ${file}`;
    return translateCommand({ ...env, depth: env.depth + 1 }, `${where} -> ${file}: ${name} "${short(m[2])}"`, m[2]);
  }
  const shFile = (cmd === 'sh' || cmd === 'bash') && rest.length > 0 ? rest[0] : /\.sh$/.test(cmd) ? cmd : undefined;
  if (shFile !== undefined) return bootScript(env, where, shFile);
  return `${where} does not start node directly (${cmd || 'empty'}), so it is not used as the entry point`;
}

/** npm runs `pre<name>` before a script: say when that is not the build (a migration is not run at start). */
function preScriptNote(env: StartEnv, name: string): void {
  const pre = env.pkg.scripts[`pre${name}`];
  if (pre === undefined) return;
  if (splitChain(pre).every((seg) => buildStep(env, seg) !== false)) return;
  env.ctx.note(
    `package.json: scripts.pre${name} "${short(pre)}" is not run when the container starts: run it as a separate step if the app needs it`,
  );
}

/** A shell boot script (`web: sh bin/start.sh`): the last line that starts node; earlier lines are noted. */
function bootScript(env: StartEnv, where: string, file: string): StartCandidate | string {
  const rel = normalizeRelDir(file);
  const lines = rel === undefined ? undefined : bootScriptLines(env.ctx, rel);
  if (rel === undefined || lines === undefined)
    return `${where} runs ${file}, which is not a readable file of the repository`;
  if (env.depth >= 4) return `${where}: ${rel} is nested too deeply`;
  for (let k = lines.length - 1; k >= 0; k--) {
    const l = lines[k];
    const r = translateCommand({ ...env, depth: env.depth + 1 }, `${rel}:${l.line}: "${short(l.text)}"`, l.text);
    if (typeof r === 'string') continue;
    const before = lines
      .slice(0, k)
      .map((x) => x.text)
      .filter((t) => !/^(?:cd|echo|printf|sleep|wait-for|\.|source)\b/.test(t) && buildStep(env, t) === false);
    if (before.length > 0)
      env.ctx.note(
        `${rel}: ${before.map((t) => `"${short(t, 40)}"`).join(', ')} ${before.length === 1 ? 'is' : 'are'} not run when the container starts: run ${before.length === 1 ? 'it' : 'them'} as a separate step`,
      );
    return { ...r, source: `${where} -> ${r.source}` };
  }
  return `${where}: ${rel} has no line that starts node`;
}

const NODE_VALUE_OPTS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--env-file',
  '--env-file-if-exists',
  '--conditions',
  '-C',
  '--title',
  '--input-type',
  '--inspect-port',
]);

function nodeInvocation(
  ctx: Ctx,
  pkg: PackageJson,
  where: string,
  args: string[],
  ts: TsInfo,
): StartCandidate | string {
  const keep: string[] = [];
  const dropped: string[] = [];
  let usesTsLoader = false;
  let k = 0;
  for (; k < args.length; k++) {
    const t = args[k];
    if (!t.startsWith('-') || t === '-') break;
    if (t === '--') {
      k++;
      break;
    }
    if (/^(?:-e|--eval|-p|--print|-i|--interactive)$/.test(t)) return `${where} evaluates inline code`;
    const eq = t.indexOf('=');
    const name = eq === -1 ? t : t.slice(0, eq);
    let value: string | undefined = eq === -1 ? undefined : t.slice(eq + 1);
    if (value === undefined && NODE_VALUE_OPTS.has(name)) value = args[++k];
    if (
      /^(?:-r|--require|--import|--loader|--experimental-loader)$/.test(name) &&
      value !== undefined &&
      TS_LOADER.test(value)
    ) {
      usesTsLoader = true;
      continue;
    }
    if (
      /^--(?:watch|inspect|env-file)/.test(name) ||
      (/^(?:-r|--require|--import)$/.test(name) && value !== undefined && /^dotenv(?:\/|$)/.test(value))
    ) {
      dropped.push(value !== undefined && eq === -1 ? `${name} ${value}` : t);
      continue;
    }
    const tokens = eq === -1 && value !== undefined ? [name, value] : [t];
    if (!tokens.every((x) => SAFE_ARG.test(x))) return `${where} has node options we do not pass through`;
    keep.push(...tokens);
  }
  let file = args.at(k);
  const after = args.slice(k + 1);
  if (file === undefined || file === '.' || file === './') {
    const main = str(pkg.raw.main);
    if (main === undefined) return `${where} names no entry file`;
    file = main;
  }
  const mapped = mapEntry(ctx, file, ts);
  if (!mapped) return `${where}: entry ${file} is not a plain relative path`;
  if (!after.every((a) => SAFE_ARG.test(a))) return `${where} passes arguments we do not pass through`;
  if (isStale(ctx, mapped, ts))
    ctx.note(
      `${where}: ${mapped.path} is not in the repository and no build step writes it (a renamed or generated file?)`,
    );
  const loader =
    mapped.compiled !== true && mapped.from !== undefined ? registersLoader(ctx, pkg, mapped.from) : undefined;
  if (loader !== undefined)
    return `${where}: ${mapped.from} registers ${loader} (a development loader for TypeScript sources), so it is not run in production`;
  const notes: string[] = [];
  if (mapped.compiled === true && mapped.from !== undefined) {
    notes.push(
      `${usesTsLoader ? 'uses a TypeScript loader; ' : ''}running the compiled ${mapped.path} (from ${mapped.from}) instead`,
    );
  } else if (usesTsLoader) {
    notes.push('TypeScript loader dropped');
  }
  if (dropped.length > 0) notes.push(`dropped ${dropped.join(', ')} (development/.env only)`);
  return {
    argv: ['node', ...keep, mapped.path, ...after],
    source: notes.length > 0 ? `${where}: ${notes.join('; ')}` : where,
    sourceFile: mapped.from,
    where,
  };
}

/** An entry that is neither in the repository nor written by a build step (a stale "main", a renamed file). */
function isStale(ctx: Ctx, mapped: { path: string; from?: string | undefined }, ts: TsInfo): boolean {
  if (mapped.from !== undefined || ctx.has(mapped.path) || ts.hasBuild) return false;
  // directories never listed (dist/, build/ …), deep files and a truncated listing may hide a real entry
  if (depth(mapped.path) > MAX_DEPTH || ctx.files.list.length >= MAX_ENTRIES) return false;
  return !SKIP_DIRS.has(mapped.path.split('/')[0]);
}

/** `require('ts-node/register')` and friends at the top of a JS entry: it runs TypeScript sources through a dev loader. */
function registersLoader(ctx: Ctx, pkg: PackageJson, file: string): string | undefined {
  if (!/\.[cm]?js$/.test(file)) return undefined;
  const text = ctx.read(file)?.slice(0, 4000);
  if (text === undefined) return undefined;
  const m =
    /(?:require\(\s*|import\s+)['"]((?:ts-node|@swc-node|esbuild-register|@babel\/register|tsx)(?:\/[\w/-]*)?)['"]/.exec(
      text,
    );
  if (!m) return undefined;
  const pkgName = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0];
  // a loader the app lists as a production dependency is there at run time
  return Object.prototype.hasOwnProperty.call(pkg.deps, pkgName) ? undefined : m[1];
}

const START_SCRIPTS = ['start', 'start:prod', 'start:production', 'prod', 'production', 'serve'];
const DEV_SCRIPTS = ['dev', 'start:dev', 'develop', 'watch'];

/** The scripts a script runs through the package manager (one level of `npm run x`, run-s/run-p). */
function calledScripts(pkg: PackageJson, name: string): string[] {
  const text = expandScript(pkg, name);
  const out = new Set<string>();
  for (const m of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([A-Za-z0-9:_-]+)/g))
    if (pkg.scripts[m[1]] !== undefined) out.add(m[1]);
  for (const m of text.matchAll(/\brun-[sp]\s+([A-Za-z0-9:_ -]+)/g))
    for (const n of m[1].split(/\s+/)) if (pkg.scripts[n] !== undefined) out.add(n);
  return [...out];
}

function nxBuildArgv(pm: NodePm, project: string): string[] {
  switch (pm) {
    case 'pnpm':
      return ['pnpm', 'exec', 'nx', 'build', project];
    case 'yarn':
      return ['yarn', 'nx', 'build', project];
    case 'bun':
      return ['bunx', 'nx', 'build', project];
    default:
      return ['npx', 'nx', 'build', project];
  }
}

const JS_COMMON = ['server', 'index', 'app', 'main'].flatMap((b) => [`${b}.js`, `${b}.mjs`, `${b}.cjs`]);
const COMMON_JS_ENTRIES = [...JS_COMMON, ...JS_COMMON.map((f) => `src/${f}`)];
const COMMON_TS_ENTRIES = ['server', 'index', 'main', 'app']
  .flatMap((b) => [`src/${b}.ts`, `src/${b}.mts`])
  .concat(['server.ts', 'index.ts', 'main.ts', 'app.ts']);

export interface NodeResult {
  facts: DetectedFacts;
  /** repo files the app starts from (scanned first for the port and health routes) */
  entryFiles: string[];
  /** once the generic port/route scan ran: health routes under router prefixes, where the app listens */
  withPort(facts: DetectedFacts): void;
  /** the build writes no JavaScript (tsconfig noEmit, maybe through extends) while the start needs it */
  emitNote?: string;
  /** imports through tsconfig `paths` that the plain tsc build leaves unresolved (./paths-alias.ts) */
  aliasNote?: string;
  /** packages the started code imports at run time that only devDependencies list (./imports.ts) */
  devImports?: { found: RuntimeImport[]; entry: string };
}

/** The build is tsc alone (or no build script: tsc is run), so tsconfig's noEmit decides whether JavaScript is written. */
function tscOnly(buildScript: string | undefined, buildText: string): boolean {
  if (buildScript === undefined) return true;
  if (!/\btsc\b/.test(buildText) || DIST_TOOLS.test(buildText) || TOOL_OUT.some(([re]) => re.test(buildText)))
    return false;
  return !/--noEmit(?:\s+|=)false\b/.test(buildText);
}

/** The entry file of ["node", opts…, "dist/index.js", args…]. */
function entryOf(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    if (NODE_VALUE_OPTS.has(w)) i++;
    else if (!w.startsWith('-')) return normalizeRelDir(w);
  }
  return undefined;
}

export function detectNode(ctx: Ctx, pkg: PackageJson | undefined): NodeResult {
  const facts: DetectedFacts = {};
  const entryFiles: string[] = [];
  if (pkg === undefined) {
    ctx.note('package.json: not valid JSON, only lockfiles and version files were read');
  }
  const raw = pkg?.raw ?? {};

  // name
  const rawName = str(raw.name);
  if (rawName !== undefined) {
    const n = dnsLabel(rawName);
    if (n !== undefined)
      facts.name = fact(
        n,
        n === rawName ? 'package.json: name' : `package.json: name "${rawName}" (made DNS-label safe)`,
      );
  }

  // lockfiles and package manager
  const locks = NODE_LOCKFILES.filter(([f]) => ctx.has(f));
  if (locks.length > 0)
    facts.lockfiles = fact(
      locks.map(([f]) => f),
      'repository root',
    );
  const pmField = str(raw.packageManager);
  const pmMatch =
    pmField === undefined
      ? null
      : /^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+.*)?$/.exec(pmField.trim());
  if (pmField !== undefined && !pmMatch)
    ctx.note(`package.json: packageManager "${pmField.slice(0, 60)}" is not npm|pnpm|yarn|bun@<version>; ignored`);
  if (pmMatch) {
    const pm = pmMatch[1] as NodePm;
    const others = locks.filter(([, p]) => p !== pm).map(([f]) => f);
    facts.packageManager = fact(
      pm,
      `package.json: "packageManager": "${pm}@${pmMatch[2]}"${others.length > 0 ? ` (wins over ${others.join(', ')})` : ''}`,
    );
    facts.packageManagerVersion = fact(pmMatch[2], `package.json: "packageManager": "${pm}@${pmMatch[2]}"`);
  } else if (locks.length > 0) {
    const [file, pm] = locks[0];
    const others = locks
      .slice(1)
      .filter(([, p]) => p !== pm)
      .map(([f]) => f);
    facts.packageManager = fact(
      pm,
      others.length > 0 ? `${file} (also found ${others.join(', ')}; ${file} preferred)` : file,
    );
  }

  // runtime version: a pin (.nvmrc, .node-version, volta) if it satisfies engines.node, else the
  // newest supported major engines.node allows (lib/runtimes/node/versions.ts)
  const engines = isRecord(raw.engines) ? str(raw.engines.node) : undefined;
  const volta = isRecord(raw.volta) ? str(raw.volta.node) : undefined;
  const version = nodeRuntimeVersion(ctx, engines, volta);
  if (version) facts.runtimeVersion = version;

  // installs: no lockfile, a workspace member, Prisma's generated client, dev-only lifecycle scripts
  // (their notes come last, after the port and route notes)
  const installNotes: string[] = [];
  if (pkg !== undefined) installFacts(ctx, pkg, locks.length > 0, facts, installNotes);

  // TypeScript
  const tsDep = pkg !== undefined && ('typescript' in pkg.devDeps || 'typescript' in pkg.deps);
  const hasTsconfig = ctx.has('tsconfig.json');
  const isTs = tsDep || hasTsconfig;
  facts.typescript = fact(
    isTs,
    isTs
      ? [hasTsconfig ? 'tsconfig.json' : '', tsDep ? 'package.json: typescript dependency' : '']
          .filter(Boolean)
          .join(' + ')
      : 'no tsconfig.json and no typescript dependency',
  );

  const pm: NodePm = (facts.packageManager?.value as NodePm | undefined) ?? 'npm';
  const pmNote = facts.packageManager === undefined ? ' (package manager not detected: npm assumed)' : '';

  // build step and its output directory
  // "build", else a production-only variant ("build:prod": "nest build")
  const buildName = ['build', 'build:prod', 'build:production'].find((n) => pkg?.scripts[n] !== undefined) ?? 'build';
  const buildScript = pkg?.scripts[buildName];
  const buildText = pkg && buildScript !== undefined ? expandScript(pkg, buildName) : '';
  const projMatch = /(?:^|\s)(?:-p|--project)(?:=|\s+)([^\s&|;]+)/.exec(buildText);
  const tsFile =
    projMatch && /\btsc\b/.test(buildText)
      ? normalizeRelDir(projMatch[1])
      : /\bnest\s+build\b/.test(buildText)
        ? nestTsconfig(ctx)
        : undefined;
  const tsconfig = isTs
    ? tsFile !== undefined && ctx.has(tsFile)
      ? readTsConfig(ctx, tsFile)
      : hasTsconfig
        ? readTsConfig(ctx, 'tsconfig.json')
        : undefined
    : undefined;
  let outDir: { dir: string; source: string } | undefined;
  if (buildScript !== undefined) {
    facts.build = fact(
      [pm, 'run', buildName],
      `package.json: scripts.${buildName} "${buildScript.slice(0, 60)}"${pmNote}`,
    );
    const flag = outDirFromScript(buildText);
    const tool = TOOL_OUT.find(([re]) => re.test(buildText));
    if (flag) outDir = { dir: flag.dir, source: `package.json: build script "${flag.flag}"` };
    else if (tool) outDir = { dir: tool[1], source: `package.json: build script runs ${tool[2]} (its default output)` };
    else if (tsconfig?.outDir !== undefined && (/\btsc\b/.test(buildText) || !DIST_TOOLS.test(buildText))) {
      outDir = { dir: tsconfig.outDir, source: `${tsconfig.file}: compilerOptions.outDir` };
    } else if (/\btsc\b/.test(buildText) && tsconfig !== undefined && !DIST_TOOLS.test(buildText)) {
      outDir = { dir: '.', source: `${tsconfig.file} has no outDir: tsc writes the .js next to the sources` };
    } else {
      const m = DIST_TOOLS.exec(buildText);
      outDir = {
        dir: 'dist',
        source: m
          ? `package.json: build script runs ${m[0]} (its default output)`
          : 'default "dist" (no output directory found in the build script or tsconfig.json)',
      };
    }
  } else if (isTs) {
    facts.build = fact(
      tscArgv(pm),
      `no "build" script: TypeScript compiled with tsc${tsconfig ? ` (${tsconfig.file})` : ''}${pmNote}`,
    );
    outDir =
      tsconfig?.outDir !== undefined
        ? { dir: tsconfig.outDir, source: `${tsconfig.file}: compilerOptions.outDir` }
        : { dir: '.', source: 'tsconfig.json has no outDir: tsc writes the .js next to the sources' };
  } else if (pkg !== undefined) {
    facts.build = fact(null, 'package.json: no "build" script');
  }
  if (outDir) facts.buildOutput = fact(outDir.dir, outDir.source);

  // entry point
  const root = isTs ? inferRootDir(ctx, tsconfig, outDir?.dir) : { dir: '.', how: '' };
  const ts: TsInfo = {
    enabled: isTs,
    rootDir: root.dir,
    rootHow: root.how,
    outDir: isTs ? outDir?.dir : undefined,
    hasBuild: facts.build?.value != null,
  };
  let start: StartCandidate | undefined;
  let guess: string | undefined;
  if (pkg) {
    const buildScripts = new Set(buildScript !== undefined ? [buildName, ...calledScripts(pkg, buildName)] : []);
    const env = (seen: string[]): StartEnv => ({ ctx, pkg, ts, seen: new Set(seen), buildScripts, depth: 0 });
    // 1. the Procfile's web process: what the platform runs in production
    const web = procfileWeb(ctx);
    if (web !== undefined) {
      const r = translateCommand(env([]), `Procfile:${web.line}: web "${short(web.command)}"`, web.command);
      if (typeof r === 'string') ctx.note(r);
      else start = r;
    }
    // 2. start scripts; a script that runs node directly wins over a CLI's convention (nest start, nx serve)
    let derived: StartCandidate | undefined;
    if (!start) {
      for (const name of START_SCRIPTS) {
        const s = pkg.scripts[name];
        if (s === undefined) continue;
        const r = translateCommand(env([name]), `package.json: scripts.${name} "${short(s)}"`, s);
        if (typeof r === 'string') {
          ctx.note(r);
          continue;
        }
        preScriptNote(env([name]), name);
        if (r.derived === true) {
          derived ??= r;
          continue;
        }
        start = r;
        break;
      }
      if (start && derived)
        ctx.note(
          `${derived.where ?? 'a start script'} is not used: ${start.where ?? 'another script'} starts node directly`,
        );
      start ??= derived;
    }
    // 3. "main", unless it names a file that is not there (a stale main)
    const main = str(raw.main);
    if (!start && main !== undefined) {
      const mapped = mapEntry(ctx, main, ts);
      if (!mapped) ctx.note(`package.json: "main" ${main.slice(0, 60)} is not a plain relative path; not used`);
      else if (isStale(ctx, mapped, ts))
        ctx.note(
          `package.json: "main" "${short(main)}" does not exist in the repository (and no build step writes it); not used`,
        );
      else {
        start = {
          argv: ['node', mapped.path],
          source:
            mapped.compiled === true
              ? `package.json: "main": "${main}" (compiled to ${mapped.path})`
              : `package.json: "main": "${main}"`,
          sourceFile: mapped.from,
        };
      }
    }
    // 4. an Nx workspace's only Node application
    if (!start) {
      const app = nxApp(ctx);
      if (typeof app === 'string') ctx.note(app);
      else if (app !== undefined)
        start = {
          argv: ['node', app.entry],
          source: `Nx project "${app.name}" builds to ${app.outputPath} (${app.how}); running ${app.entry}`,
          sourceFile: app.sourceMain,
          nx: app,
        };
    }
  }
  // 5. the development script's entry, compiled (a guess: production may start otherwise)
  if (!start && pkg) {
    for (const name of DEV_SCRIPTS) {
      const s = pkg.scripts[name];
      if (s === undefined) continue;
      const r = translateCommand(
        { ctx, pkg, ts, seen: new Set([name]), buildScripts: new Set(), depth: 0 },
        `package.json: scripts.${name} "${short(s)}"`,
        s,
      );
      if (typeof r === 'string') continue;
      start = r;
      guess = `no production start command (start script, Procfile, "main"): the entry of the development script scripts.${name}`;
      break;
    }
  }
  // 6. a common entry file name: a guess, and the plan says so
  if (!start) {
    const candidates = isTs ? [...COMMON_TS_ENTRIES, ...COMMON_JS_ENTRIES] : COMMON_JS_ENTRIES;
    const hit = candidates.find((f) => ctx.has(f));
    if (hit !== undefined) {
      const mapped = mapEntry(ctx, hit, ts);
      if (mapped) {
        start = {
          argv: ['node', mapped.path],
          source: TS_SRC.test(hit)
            ? `${hit} (common entry file name; compiled to ${mapped.path}${ts.rootDir !== '.' ? `, ${ts.rootHow}` : ''})`
            : `${hit} (common entry file name)`,
          sourceFile: hit,
        };
        guess = `no start script, Procfile or "main" says how the app starts: ${hit} is the first common entry file name found`;
      }
    }
  }
  // a shared base config (through extends) may set noEmit: tsc then only type-checks and the entry
  // under its output is never written; the start is kept as a guess so --yes asks for --start
  let emitNote: string | undefined;
  if (start && start.nx === undefined && tsconfig?.noEmit?.value === true && tscOnly(buildScript, buildText)) {
    const entry = entryOf(start.argv);
    const out = ts.outDir;
    const emitted =
      entry !== undefined &&
      !ctx.has(entry) &&
      ((out !== undefined && out !== '.' && entry.startsWith(`${out}/`)) ||
        (start.sourceFile !== undefined && TS_SRC.test(start.sourceFile)));
    if (emitted) {
      const by = tsconfig.noEmit.file;
      const via = tsconfig.chain.length > 1 ? ` (through extends: ${tsconfig.chain.join(' -> ')})` : '';
      emitNote = `${by} sets compilerOptions.noEmit${via}: the build (tsc) type-checks only and writes no JavaScript, so ${entry} is never built; choose the start with --start (the file a bundler such as tsup or esbuild writes, or emit from tsc)`;
      ctx.note(emitNote);
      guess = guess !== undefined ? `${guess}; ${emitNote}` : emitNote;
    }
  }
  // imports through tsconfig `paths` that a plain tsc build leaves as written (./paths-alias.ts): the
  // compiled start fails with "Cannot find module"; the start is kept as a guess so --yes asks for --start
  let aliasWarning: string | undefined;
  if (start?.sourceFile !== undefined && start.nx === undefined && pkg !== undefined && emitNote === undefined) {
    // the build scripts, those they name (npm-run-all, concurrently) and their pre/post hooks
    const chain = start.chainBuild !== undefined ? [start.chainBuild] : [];
    const built = `${buildText} ${chain.map((n) => expandScript(pkg, n)).join(' ')} ${buildScriptsText(pkg.scripts, [buildName, ...chain])}`;
    const entry = entryOf(start.argv);
    if (
      TS_SRC.test(start.sourceFile) &&
      entry !== start.sourceFile &&
      tscOnly(buildScript, built) &&
      !buildBundles(built)
    ) {
      const found = unresolvedAliases(ctx, {
        entry: start.sourceFile,
        aliases: tsconfig ?? {},
        buildText: built,
        startArgv: start.argv,
        raw,
        declared: new Set([...Object.keys(pkg.deps), ...Object.keys(pkg.devDeps)]),
      });
      aliasWarning = aliasNote(found, start.sourceFile);
      if (aliasWarning !== undefined) {
        ctx.note(aliasWarning);
        guess = guess !== undefined ? `${guess}; ${aliasWarning}` : aliasWarning;
      }
    }
    const tsPaths = start.argv.some((a) => /^tsconfig-paths(?:\/|$)/.test(a));
    const declared = new Set([...Object.keys(pkg.deps), ...Object.keys(pkg.devDeps)]);
    const tp = tsPaths
      ? tsconfigPathsNote(
          start.argv,
          pkg.deps,
          pkg.devDeps,
          ts.outDir,
          // aliases tsc-alias or a bundler already rewrote need no tsconfig.json at run time
          TS_SRC.test(start.sourceFile) && !rewritesAliases(built, declared) && !buildBundles(built)
            ? aliasImports(ctx, start.sourceFile, tsconfig ?? {}, declared)
            : [],
        )
      : undefined;
    if (tp !== undefined) installNotes.push(tp);
  }
  // packages imported at run time but only in devDependencies: the production-only install lacks them
  // (not when the build bundles: the bundle carries its imports; not for an Nx app: its executor decides)
  let devImports: NodeResult['devImports'];
  if (start?.sourceFile !== undefined && start.nx === undefined && pkg !== undefined) {
    const built = `${buildText} ${start.chainBuild !== undefined ? expandScript(pkg, start.chainBuild) : ''}`;
    const found = buildBundles(built) ? [] : devOnlyImports(ctx, pkg, start.sourceFile, tsconfig ?? {});
    const note = devOnlyImportNote(found, start.sourceFile, pm);
    if (note !== undefined) {
      devImports = { found, entry: start.sourceFile };
      installNotes.push(note);
    }
  }
  if (start) {
    facts.start = guess !== undefined ? { ...fact(start.argv, start.source), guess } : fact(start.argv, start.source);
    if (start.sourceFile !== undefined) entryFiles.push(start.sourceFile);
  }
  // what the start command implies for the build: an Nx app's output, a build script run before node
  if (start?.nx !== undefined && pkg !== undefined) {
    const app = start.nx;
    if (buildScript === undefined) {
      facts.build = fact(nxBuildArgv(pm, app.name), `Nx project "${app.name}" (no "build" script)${pmNote}`);
      facts.buildOutput = fact(app.outputPath, app.how);
    } else if (/\bnx\b/.test(buildText)) facts.buildOutput = fact(app.outputPath, app.how);
  } else if (start?.chainBuild !== undefined && pkg !== undefined && facts.build?.value == null) {
    const name = start.chainBuild;
    facts.build = fact(
      [pm, 'run', name],
      `package.json: scripts.${name}, run before node by the start command${pmNote}`,
    );
    const flag = outDirFromScript(expandScript(pkg, name));
    facts.buildOutput = flag
      ? fact(flag.dir, `package.json: scripts.${name} "${flag.flag}"`)
      : fact(ts.outDir ?? 'dist', `default "${ts.outDir ?? 'dist'}" (no output directory found in scripts.${name})`);
  }
  return {
    facts,
    entryFiles,
    ...(emitNote !== undefined ? { emitNote } : {}),
    ...(aliasWarning !== undefined ? { aliasNote: aliasWarning } : {}),
    ...(devImports !== undefined ? { devImports } : {}),
    withPort: (f) => {
      routesAndListen(ctx, pkg, f, entryFiles);
      for (const n of installNotes) ctx.note(n);
    },
  };
}

/** npm/yarn `workspaces` or pnpm-workspace.yaml: the member directories (those with a package.json). */
function workspaceMembers(ctx: Ctx, pkg: PackageJson): { how: string; dirs: string[] } | undefined {
  const ws = pkg.raw.workspaces;
  let globs: string[] | undefined;
  let how = '';
  if (Array.isArray(ws) || (isRecord(ws) && Array.isArray(ws.packages))) {
    globs = (Array.isArray(ws) ? ws : (ws.packages as unknown[])).filter((g): g is string => typeof g === 'string');
    how = 'package.json: workspaces';
  } else if (ctx.has('pnpm-workspace.yaml')) {
    const text = ctx.read('pnpm-workspace.yaml') ?? '';
    globs = [...text.matchAll(/^\s*-\s*['"]?([^'"#\n]+?)['"]?\s*$/gm)]
      .map((m) => m[1])
      .filter((g) => !g.startsWith('!'));
    how = 'pnpm-workspace.yaml';
  }
  if (globs === undefined) return undefined;
  const res = globs.slice(0, 20).map((g) => {
    const body = (normalizeRelDir(g) ?? g.replace(/^\.\//, ''))
      .split('/')
      .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
      .join('/');
    return new RegExp(`^${body}$`);
  });
  const dirs = ctx.files.list
    .filter((f) => f.endsWith('/package.json'))
    .map((f) => dirname(f))
    .filter((d) => !d.split('/').includes('node_modules') && res.some((re) => re.test(d)) && MEMBER_DIR.test(d))
    .slice(0, MAX_MEMBERS);
  return { how, dirs };
}

/** At most this many members are detected (each is read like a small repository of its own). */
const MAX_MEMBERS = 50;
/** A member directory we can name in a COPY line and a flag. */
export const MEMBER_DIR = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** The files under `dir`, as a Ctx rooted there (notes are dropped: the root's plan speaks for it). */
function memberCtx(ctx: Ctx, dir: string): Ctx {
  const prefix = `${dir}/`;
  const list = ctx.files.list.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  const present = new Set(list);
  const read = (p: string): string | undefined => (present.has(p) ? ctx.read(prefix + p) : undefined);
  const sub: Ctx = { files: { list, read }, has: (p) => present.has(p), read, note: () => undefined };
  // its tsconfig may extend a shared config elsewhere in the monorepo (read from the root)
  registerMemberCtx(sub, ctx, dir);
  return sub;
}

/** One member's start command, build script and output, with the root's Node detection rooted at it. */
function workspaceApp(ctx: Ctx, dir: string, notes: string[], pm: string): WorkspaceApp {
  const sub = memberCtx(ctx, dir);
  const pkg = readPackageJson(sub);
  const app: WorkspaceApp = { dir };
  if (pkg === undefined) return app;
  const r = detectNode(sub, pkg);
  // the member's notes are dropped, but a build that writes no JavaScript must be said at the root
  if (r.emitNote !== undefined) notes.push(`${dir}: ${r.emitNote}`);
  if (r.aliasNote !== undefined) notes.push(`${dir}: ${r.aliasNote}`);
  // the member's own package.json decides which packages its production install has
  const dev = r.devImports;
  const devNote = dev === undefined ? undefined : devOnlyImportNote(dev.found, dev.entry, pm, dir);
  if (devNote !== undefined) notes.push(devNote);
  const at = (f: { value: unknown; source: string }): string => `${dir}/${f.source}`;
  const packageName = str(pkg.raw.name);
  if (packageName !== undefined) app.packageName = packageName;
  if (r.facts.name) app.name = fact(r.facts.name.value, at(r.facts.name));
  if (r.facts.start) app.start = { ...r.facts.start, source: at(r.facts.start) };
  const build = r.facts.build?.value;
  // only the member's own build script (`npm run build -w <member>`); tsc without a script is not run from the root
  if (build != null && build[1] === 'run' && typeof build[2] === 'string' && pkg.scripts[build[2]] !== undefined)
    app.buildScript = build[2];
  if (app.buildScript !== undefined && r.facts.buildOutput)
    app.buildOutput = fact(r.facts.buildOutput.value, at(r.facts.buildOutput));
  return app;
}

/**
 * yarn berry keeping each member's packages in its own node_modules (.yarnrc.yml nmHoistingLimits:
 * workspaces or dependencies, or nodeLinker: pnpm): a package binary the member starts is not in the
 * root's node_modules. Only these two keys are looked at.
 */
function memberLocalPackages(ctx: Ctx): string | undefined {
  const text = ctx.read('.yarnrc.yml')?.slice(0, 64 * 1024);
  if (text === undefined) return undefined;
  const m =
    /^nmHoistingLimits:\s*["']?(workspaces|dependencies)\b/m.exec(text) ?? /^nodeLinker:\s*["']?(pnpm)\b/m.exec(text);
  return m ? `.yarnrc.yml: ${m[0].replace(/["']/g, '').trim()}` : undefined;
}

/** ["node", "node_modules/next/…"] -> ["node", "./node_modules/next/…"]: the member's own (rebased from the root later). */
function keepBinaryInMember(app: WorkspaceApp, why: string): void {
  const argv = app.start?.value;
  if (app.start === undefined || argv === undefined || !(argv[1] ?? '').startsWith('node_modules/')) return;
  app.start = {
    ...app.start,
    value: [argv[0], `./${argv[1]}`, ...argv.slice(2)],
    source: `${app.start.source}; the package is in the member's node_modules (${why})`,
  };
}

/** The member the root's start/dev/build script runs (`npm run start -w api`, `pnpm --filter api start`). */
function delegatedMember(pkg: PackageJson, apps: WorkspaceApp[]): { dir: string; source: string } | undefined {
  for (const name of ['start', ...DEV_SCRIPTS, 'build']) {
    const script = pkg.scripts[name];
    if (script === undefined) continue;
    for (const seg of splitChain(script)) {
      const words = shellSplit(seg);
      if (words === null) continue;
      const target = workspaceFlag(stripEnvPrefix(words));
      if (target === undefined) continue;
      const t = target.replace(/^\.\//, '').replace(/\/+$/, '');
      const app = apps.find((a) => a.dir === t || a.packageName === t);
      if (app !== undefined) return { dir: app.dir, source: `package.json: scripts.${name} "${short(script)}"` };
    }
  }
  return undefined;
}

/** What the install stage needs to know beyond the lockfile. */
function installFacts(ctx: Ctx, pkg: PackageJson, locked: boolean, facts: DetectedFacts, notes: string[]): void {
  const pm = facts.packageManager?.value ?? 'npm';
  const workspaceDeps = Object.entries({ ...pkg.deps, ...pkg.devDeps }).filter(
    ([, v]) => typeof v === 'string' && /^workspace:/.test(v),
  );
  if (!locked) {
    notes.push(`no lockfile: ${pm} install (not reproducible; commit a lockfile)`);
    if (workspaceDeps.length > 0)
      notes.push(
        `this package looks like a workspace member (${workspaceDeps
          .slice(0, 3)
          .map(([k]) => k)
          .join(
            ', ',
          )} ${workspaceDeps.length === 1 ? 'uses' : 'use'} the workspace: protocol): its lockfile and the other members are at the monorepo root, which init does not read from here; the install will fail until the image is built from the root (run init there with --workspace <this directory>: npm, pnpm and yarn workspaces)`,
      );
  }
  const members = workspaceMembers(ctx, pkg);
  if (members !== undefined && members.dirs.length > 0) {
    const memberNotes: string[] = [];
    const apps = members.dirs.map((d) => workspaceApp(ctx, d, memberNotes, pm));
    const local = memberLocalPackages(ctx);
    if (local !== undefined) for (const app of apps) keepBinaryInMember(app, local);
    facts.workspaceMembers = fact(members.dirs, members.how);
    facts.workspaceApps = apps;
    const delegated = delegatedMember(pkg, apps);
    if (delegated !== undefined) facts.workspaceDefault = fact(delegated.dir, delegated.source);
    const starts = apps.filter((a) => a.start?.source.includes(': scripts.') === true).map((a) => a.dir);
    notes.push(
      `${members.how}: a workspace root (members: ${members.dirs.slice(0, 8).join(', ')}${members.dirs.length > 8 ? ', …' : ''})${starts.length > 0 ? `; with a start script: ${starts.slice(0, 4).join(', ')}` : ''}: ${delegated !== undefined ? `the image is built for ${delegated.dir} (${delegated.source})` : 'the image is built for the root package'}; pass --workspace <member directory> to containerize one member from the root`,
    );
    notes.push(...memberNotes.slice(0, 4));
  }
  const prisma = prismaInfo(ctx, pkg);
  if (prisma !== undefined) {
    facts.prismaSchema = fact(prisma.schema, `${prisma.how} (@prisma/client is a dependency)`);
    if (prisma.output !== undefined)
      facts.prismaOutput = fact(
        prisma.output,
        `${prisma.schema}: generator ${prisma.clientGenerator ?? 'client'} output`,
      );
    if (prisma.others.length > 0 && prisma.clientGenerator !== undefined)
      facts.prismaGenerator = fact(
        prisma.clientGenerator,
        `${prisma.schema}: generator ${prisma.clientGenerator} is the client; only it runs in the image (${prisma.others.join(', ')} ${prisma.others.length === 1 ? 'is' : 'are'} left to development)`,
      );
  }
  const dev = devLifecycle(pkg);
  if (dev.names.length > 0)
    facts.devLifecycle = fact(
      dev.names,
      `${dev.why.join('; ')} (removed before the production-only install, which does not have it)`,
    );
}

/**
 * Health routes with their router prefixes (Express/Koa/Fastify/Hono mounts, NestJS controllers
 * and global prefix) win over the generic scan's route; with none, the probe on / counts any HTTP
 * answer (the profile's healthcheck) and a note says so. A listen host read from an environment
 * variable with a loopback fallback is set to 0.0.0.0 in the image; a loopback-only bind is noted.
 */
function routesAndListen(ctx: Ctx, pkg: PackageJson | undefined, facts: DetectedFacts, entryFiles: string[]): void {
  // this scan sees comments and prefixes: it replaces the generic one for JavaScript/TypeScript
  const route = nodeHealthRoute(ctx, entryFiles);
  if (route !== undefined) facts.healthPath = fact(route.path, route.source);
  else delete facts.healthPath;
  if (facts.healthPath === undefined)
    ctx.note(
      'no health route found in the Node code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
    );
  const fastify = pkg !== undefined && ('fastify' in pkg.deps || '@nestjs/platform-fastify' in pkg.deps);
  const listen = listenInfo(ctx, entryFiles, fastify);
  if (listen.hostEnv !== undefined) {
    facts.hostEnv = fact(
      listen.hostEnv.name,
      `${listen.hostEnv.source} (the listen host falls back to loopback: the image sets ${listen.hostEnv.name}=0.0.0.0)`,
    );
  } else if (listen.localhostOnly !== undefined) {
    ctx.note(
      `${listen.localhostOnly.source}: the app listens on localhost only (${listen.localhostOnly.how}): the health probe inside the container answers, but the published port will not; listen on 0.0.0.0, e.g. listen({ port, host: process.env.HOST ?? '0.0.0.0' })`,
    );
  }
}
