// Node.js detection: package.json, lockfiles, version pins, tsconfig.json. Pure.
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import {
  dirname,
  dnsLabel,
  isRecord,
  isSafeRelPath,
  normalizeRelDir,
  parseJson,
  parseJsonc,
  shellSplit,
  str,
} from '../../detect/text.js';
import { lowestNodeMajor, nodePinMajor, npmRangeAllows } from '../../detect/versions.js';

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

interface TsConfig {
  file: string;
  outDir?: string | undefined;
  rootDir?: string | undefined;
  include?: string[] | undefined;
}

function readTsConfig(ctx: Ctx, file: string): TsConfig | undefined {
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const json = parseJsonc(text);
  if (!isRecord(json)) {
    ctx.note(`${file}: could not be parsed (even allowing comments and trailing commas)`);
    return { file };
  }
  const co = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  const outDir = str(co.outDir) !== undefined ? normalizeRelDir(str(co.outDir) as string) : undefined;
  const rootDir = str(co.rootDir) !== undefined ? normalizeRelDir(str(co.rootDir) as string) : undefined;
  const include = Array.isArray(json.include)
    ? json.include.filter((x): x is string => typeof x === 'string')
    : undefined;
  let cfg: TsConfig = { file, outDir, rootDir, include };
  // one level of a local `extends` (e.g. tsconfig.build.json extends tsconfig.json)
  const ext = str(json.extends);
  if (ext !== undefined && ext.startsWith('.') && (outDir === undefined || rootDir === undefined)) {
    const base = normalizeRelDir(`${dirname(file)}/${ext.endsWith('.json') ? ext : `${ext}.json`}`);
    if (base !== undefined && base !== file) {
      const parent = readTsConfigShallow(ctx, base);
      if (parent)
        cfg = {
          file,
          outDir: outDir ?? parent.outDir,
          rootDir: rootDir ?? parent.rootDir,
          include: include ?? parent.include,
        };
    }
  }
  return cfg;
}

function readTsConfigShallow(ctx: Ctx, file: string): TsConfig | undefined {
  const text = ctx.read(file);
  const json = text === undefined ? undefined : parseJsonc(text);
  if (!isRecord(json)) return undefined;
  const co = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  return {
    file,
    outDir: str(co.outDir) !== undefined ? normalizeRelDir(str(co.outDir) as string) : undefined,
    rootDir: str(co.rootDir) !== undefined ? normalizeRelDir(str(co.rootDir) as string) : undefined,
    include: Array.isArray(json.include) ? json.include.filter((x): x is string => typeof x === 'string') : undefined,
  };
}

const TS_SRC = /\.(?:ts|tsx|mts|cts)$/;

/** TypeScript's default rootDir: the common directory of the input files. */
function inferRootDir(ctx: Ctx, ts: TsConfig | undefined, outDir: string | undefined): { dir: string; how: string } {
  if (ts?.rootDir !== undefined) return { dir: ts.rootDir, how: `${ts.file}: compilerOptions.rootDir` };
  const prefixes = (ts?.include ?? [])
    .map((p) => normalizeRelDir(p.split(/[*{]/)[0] || '.'))
    .filter((p): p is string => p !== undefined)
    .map((p) => (/\.[a-z]+$/.test(p) ? dirname(p) : p));
  const inputs = ctx.files.list.filter(
    (f) =>
      TS_SRC.test(f) &&
      !/\.d\.[cm]?ts$/.test(f) &&
      (prefixes.length === 0 || prefixes.some((p) => p === '.' || f === p || f.startsWith(`${p}/`))) &&
      (outDir === undefined || outDir === '.' || !f.startsWith(`${outDir}/`)) &&
      !/(?:^|\/)[^/]+\.config\.[cm]?ts$/.test(f),
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
  for (const m of s.matchAll(/\brun-[sp]\s+([A-Za-z0-9:_ -]+)/g))
    for (const n of m[1].split(/\s+/)) if (pkg.scripts[n]) out += ` && ${expandScript(pkg, n, seen)}`;
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

function buildArgv(pm: NodePm): string[] {
  return [pm, 'run', 'build'];
}

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
}

interface TsInfo {
  enabled: boolean;
  rootDir: string;
  rootHow: string;
  outDir: string | undefined;
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

/** Translate a start-like script into exec form; a reason string when it cannot be used. */
function startFromScript(
  ctx: Ctx,
  pkg: PackageJson,
  name: string,
  script: string,
  ts: TsInfo,
): StartCandidate | string {
  const where = `package.json: scripts.${name} "${script.length > 60 ? `${script.slice(0, 59)}…` : script}"`;
  const words = shellSplit(script);
  if (words === null) return `${where} uses shell operators or substitutions, so it is not run as-is`;
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || w === 'cross-env' || w === 'env') i++;
    else break;
  }
  const cmd = (words[i] ?? '').replace(/^(?:\.\/)?node_modules\/\.bin\//, '');
  const rest = words.slice(i + 1);
  if (cmd === 'next' && rest[0] === 'start') {
    const extra = rest.slice(1);
    if (!extra.every((a) => SAFE_ARG.test(a))) return `${where} has arguments we do not pass through`;
    return {
      argv: ['node', 'node_modules/next/dist/bin/next', 'start', ...extra],
      source: `${where}: runs the next binary with node directly (no package manager at runtime)`,
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
    };
  }
  return `${where} does not start node directly (${cmd || 'empty'}), so it is not used as the entry point`;
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
  };
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

  // runtime version: a pin (.nvmrc, .node-version, volta) if it satisfies engines.node, else engines.node
  const engines = isRecord(raw.engines) ? str(raw.engines.node) : undefined;
  const pins: { file: string; text: string }[] = [];
  for (const f of ['.nvmrc', '.node-version']) {
    const t = ctx.read(f);
    if (t !== undefined) pins.push({ file: f, text: t });
  }
  const volta = isRecord(raw.volta) ? str(raw.volta.node) : undefined;
  if (volta !== undefined) pins.push({ file: 'package.json: volta.node', text: volta });
  let pin: { file: string; major: string; full: string } | undefined;
  for (const p of pins) {
    const v = nodePinMajor(p.text);
    if (v) {
      pin = { file: p.file, ...v };
      break;
    }
    ctx.note(`${p.file}: "${p.text.trim().slice(0, 40)}" is not a fixed Node version; ignored`);
  }
  const engMajor = engines !== undefined ? lowestNodeMajor(engines) : undefined;
  if (engines !== undefined && engMajor === undefined)
    ctx.note(
      `package.json: engines.node "${engines.slice(0, 40)}" allows none of Node 18/20/22/24 (or cannot be read)`,
    );
  if (pin && !(engines !== undefined && npmRangeAllows(engines, pin.full) === false)) {
    facts.runtimeVersion = fact(
      pin.major,
      `${pin.file}: ${pin.full}${engines !== undefined ? ` (satisfies engines.node "${engines}")` : ''}`,
    );
  } else if (engMajor !== undefined) {
    facts.runtimeVersion = fact(
      engMajor,
      `package.json: engines.node "${engines}" (lowest LTS major it allows)${pin ? `; ${pin.file} ${pin.full} does not satisfy it` : ''}`,
    );
  } else if (pin) {
    facts.runtimeVersion = fact(pin.major, `${pin.file}: ${pin.full}`);
  }

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
  const buildScript = pkg?.scripts.build;
  const buildText = pkg && buildScript !== undefined ? expandScript(pkg, 'build') : '';
  const projMatch = /(?:^|\s)(?:-p|--project)(?:=|\s+)([^\s&|;]+)/.exec(buildText);
  const tsFile = projMatch && /\btsc\b/.test(buildText) ? normalizeRelDir(projMatch[1]) : undefined;
  const tsconfig = isTs
    ? tsFile !== undefined && ctx.has(tsFile)
      ? readTsConfig(ctx, tsFile)
      : hasTsconfig
        ? readTsConfig(ctx, 'tsconfig.json')
        : undefined
    : undefined;
  let outDir: { dir: string; source: string } | undefined;
  if (buildScript !== undefined) {
    facts.build = fact(buildArgv(pm), `package.json: scripts.build "${buildScript.slice(0, 60)}"${pmNote}`);
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
  const ts: TsInfo = { enabled: isTs, rootDir: root.dir, rootHow: root.how, outDir: isTs ? outDir?.dir : undefined };
  let start: StartCandidate | undefined;
  if (pkg) {
    for (const name of ['start', 'start:prod', 'start:production', 'prod', 'production']) {
      const s = pkg.scripts[name];
      if (s === undefined) continue;
      const r = startFromScript(ctx, pkg, name, s, ts);
      if (typeof r === 'string') ctx.note(r);
      else {
        start = r;
        break;
      }
    }
    const main = str(raw.main);
    if (!start && main !== undefined) {
      const mapped = mapEntry(ctx, main, ts);
      if (mapped) {
        start = {
          argv: ['node', mapped.path],
          source:
            mapped.compiled === true
              ? `package.json: "main": "${main}" (compiled to ${mapped.path})`
              : `package.json: "main": "${main}"`,
          sourceFile: mapped.from,
        };
      } else ctx.note(`package.json: "main" ${main.slice(0, 60)} is not a plain relative path; not used`);
    }
  }
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
      }
    }
  }
  if (start) {
    facts.start = fact(start.argv, start.source);
    if (start.sourceFile !== undefined) entryFiles.push(start.sourceFile);
  }
  return { facts, entryFiles };
}
