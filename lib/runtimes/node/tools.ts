// What Node tools other than package.json say about how the app starts and what it needs at
// install time: Nx project.json, pm2 ecosystem files, nest-cli.json, Procfile, shell boot
// scripts, the Prisma schema and install lifecycle scripts. Pure: reads through ctx only.
import type { Ctx } from '../../detect/model.js';
import {
  basename,
  dirname,
  isRecord,
  isSafeRelPath,
  normalizeRelDir,
  parseJson,
  parseJsonc,
  str,
} from '../../detect/text.js';
import type { PackageJson } from './detect.js';

/** `a/b` + `../c` -> `a/c` (`.` and `..` resolved); undefined when it leaves the repository or is unsafe. */
export function joinRel(dir: string, spec: string): string | undefined {
  const parts = dir === '.' || dir === '' ? [] : dir.split('/');
  for (const seg of spec.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  if (spec.startsWith('/')) return undefined;
  const out = parts.length === 0 ? '.' : parts.join('/');
  return out === '.' || isSafeRelPath(out) ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Nx

/** Executors that write `<outputPath>/<main basename>.js` (bundlers and Nx's esbuild entry shim). */
const NX_BUNDLERS =
  /^@(?:nx|nrwl)\/(?:webpack:webpack|node:(?:webpack|build)|esbuild:esbuild|rspack:rspack|rollup:rollup)$|^@nx\/rspack:rspack$/;
/** Executors that keep the source tree under the output path (`<outputPath>/src/main.js`). */
const NX_TRANSPILERS = /^@(?:nx|nrwl)\/(?:js|node):(?:tsc|swc)$/;

export interface NxApp {
  name: string;
  /** the project.json it came from */
  file: string;
  /** the build's output directory, relative to the workspace root */
  outputPath: string;
  /** the compiled entry file the app starts from */
  entry: string;
  /** the source entry (for port and route scanning) */
  sourceMain: string;
  how: string;
}

function nxProjectFiles(ctx: Ctx): string[] {
  return ctx.files.list.filter((f) => f === 'project.json' || /^(?:[^/]+\/){1,3}project\.json$/.test(f)).slice(0, 60);
}

/** An Nx application project that builds a Node program (webpack target node, esbuild, tsc…). */
function readNxApp(ctx: Ctx, file: string): NxApp | undefined {
  const json = parseJsonc(ctx.read(file) ?? '');
  if (!isRecord(json)) return undefined;
  const root = dirname(file);
  if (json.projectType !== undefined && json.projectType !== 'application') return undefined;
  const targets = isRecord(json.targets) ? json.targets : {};
  const build = isRecord(targets.build) ? targets.build : undefined;
  const name = str(json.name) ?? (root === '.' ? 'app' : basename(root));
  let outputPath: string | undefined;
  let main: string | undefined;
  let executor: string;
  let how: string;
  if (build) {
    executor = str(build.executor) ?? '';
    const opts = isRecord(build.options) ? build.options : {};
    if (/webpack/.test(executor) && opts.target !== undefined && opts.target !== 'node') return undefined;
    if (/esbuild/.test(executor) && opts.platform !== undefined && opts.platform !== 'node') return undefined;
    if (!NX_BUNDLERS.test(executor) && !NX_TRANSPILERS.test(executor)) return undefined;
    outputPath = str(opts.outputPath);
    main = str(opts.main);
    how = `${file}: targets.build (${executor}) options.outputPath "${outputPath ?? ''}"`;
  } else {
    // Nx 17+ inferred targets: the project's webpack.config.js names outputPath and main
    const cfgFile = ['webpack.config.js', 'webpack.config.cjs', 'webpack.config.ts']
      .map((f) => (root === '.' ? f : `${root}/${f}`))
      .find((f) => ctx.has(f));
    const cfg = cfgFile === undefined ? undefined : ctx.read(cfgFile);
    if (cfgFile === undefined || cfg === undefined || !/NxAppWebpackPlugin|composePlugins/.test(cfg)) return undefined;
    if (/\btarget\s*:\s*['"](?!node)/.test(cfg)) return undefined;
    const out = /\boutputPath\s*:\s*(?:join\(\s*__dirname\s*,\s*)?['"]([^'"]+)['"]/.exec(cfg)?.[1];
    const m = /\bmain\s*:\s*['"]([^'"]+)['"]/.exec(cfg)?.[1];
    outputPath = out === undefined ? undefined : joinRel(root, out);
    main = m === undefined ? undefined : joinRel(root, m);
    executor = '@nx/webpack:webpack';
    how = `${cfgFile}: NxAppWebpackPlugin outputPath "${out ?? ''}"`;
  }
  const outDir = outputPath === undefined ? undefined : normalizeRelDir(outputPath);
  const mainRel = main === undefined ? undefined : normalizeRelDir(main);
  if (outDir === undefined || outDir === '.' || mainRel === undefined || !isSafeRelPath(mainRel)) return undefined;
  const stem = (p: string): string => p.replace(/\.[cm]?[jt]sx?$/, '');
  let entry: string;
  if (NX_TRANSPILERS.test(executor)) {
    const inner = root === '.' ? mainRel : mainRel.startsWith(`${root}/`) ? mainRel.slice(root.length + 1) : mainRel;
    entry = `${outDir}/${stem(inner)}.js`;
  } else {
    entry = `${outDir}/${stem(basename(mainRel))}.js`;
  }
  return { name, file, outputPath: outDir, entry, sourceMain: mainRel, how };
}

/**
 * The Nx application to start: the one named (`nx serve api`), else the only Node application.
 * A string says why none was chosen.
 */
export function nxApp(ctx: Ctx, hint?: string): NxApp | string | undefined {
  const apps = nxProjectFiles(ctx)
    .map((f) => readNxApp(ctx, f))
    .filter((a): a is NxApp => a !== undefined);
  if (apps.length === 0) return undefined;
  if (hint !== undefined) {
    const hit = apps.find((a) => a.name === hint || basename(dirname(a.file)) === hint);
    return hit ?? `no Nx Node application named "${hint}" (found ${apps.map((a) => a.name).join(', ')})`;
  }
  if (apps.length === 1) return apps[0];
  return `several Nx Node applications (${apps
    .map((a) => a.name)
    .slice(0, 6)
    .join(', ')}): pass --start "node <outputPath>/main.js" for the one to run`;
}

/** The Nx project a script names: `nx serve api`, `nx run api:serve`, `nx build api`, `nx start`. */
export function nxProjectHint(words: string[]): string | undefined {
  const k = words.indexOf('nx');
  if (k === -1) return undefined;
  const rest = words.slice(k + 1).filter((w) => !w.startsWith('-'));
  const project = rest.at(1);
  if (rest[0] === 'run' && project !== undefined) return project.split(':')[0];
  if (/^[a-z-]+:[a-z-]+$/i.test(rest[0] ?? '')) return rest[0].split(':')[0];
  return rest[1];
}

// ---------------------------------------------------------------------------------------------
// pm2

export interface Pm2Script {
  script: string;
  args: string[];
  notes: string[];
}

const ECOSYSTEM = /(?:^|\/)(?:ecosystem(?:\.[\w-]+)*|process|pm2)\.(?:config\.)?(?:[cm]?js|json|ya?ml)$/;

/**
 * `pm2 start <x>` / `pm2-runtime [start] <x>`: the script it runs, read from an ecosystem file
 * when <x> is one. A string says why not.
 */
export function pm2Script(ctx: Ctx, args: string[]): Pm2Script | string {
  const a = args[0] === 'start' ? args.slice(1) : args;
  const target = a.find((w) => !w.startsWith('-'));
  if (target === undefined) return 'names no script or ecosystem file';
  const notes: string[] = [];
  const instances = /(?:^|\s)(?:-i|--instances)(?:=|\s+)(\S+)/.exec(a.join(' '));
  if (instances && instances[1] !== '1')
    notes.push(`pm2 -i ${instances[1]} dropped: one process per container, scale with replicas`);
  if (!ECOSYSTEM.test(target)) return { script: target, args: [], notes };
  const file = normalizeRelDir(target);
  const text = file === undefined ? undefined : ctx.read(file);
  if (file === undefined || text === undefined) return `its ecosystem file ${target} is not in the repository`;
  let apps: { script?: string | undefined; args?: string | undefined; instances?: unknown; exec_mode?: unknown }[] = [];
  if (file.endsWith('.json')) {
    const json = parseJson(text);
    const list = isRecord(json) && Array.isArray(json.apps) ? json.apps : Array.isArray(json) ? json : [];
    apps = list.filter(isRecord).map((x) => ({
      script: str(x.script),
      args: typeof x.args === 'string' ? x.args : undefined,
      instances: x.instances,
      exec_mode: x.exec_mode,
    }));
  } else if (/\.ya?ml$/.test(file)) {
    for (const m of text.matchAll(/^\s*-?\s*script\s*:\s*['"]?([^'"\s#]+)/gm)) apps.push({ script: m[1] });
  } else {
    for (const m of text.matchAll(/\bscript\s*:\s*['"`]([^'"`]+)['"`]/g)) apps.push({ script: m[1] });
    const argsM = /\bargs\s*:\s*['"`]([^'"`]*)['"`]/.exec(text);
    if (apps[0] && argsM) apps[0].args = argsM[1];
    const inst = /\binstances\s*:\s*(['"]?[\w-]+['"]?)/.exec(text);
    if (apps[0] && inst) apps[0].instances = inst[1].replace(/['"]/g, '');
  }
  const first = apps.find((x) => x.script !== undefined);
  if (!first?.script) return `its ecosystem file ${file} names no script`;
  if (apps.length > 1) notes.push(`${file} declares ${apps.length} apps: the first (${first.script}) is run`);
  const inst =
    typeof first.instances === 'number' || typeof first.instances === 'string' ? String(first.instances) : '1';
  if (inst !== '1') notes.push(`${file}: instances ${inst} dropped (one process per container; scale with replicas)`);
  const extra = first.args === undefined ? [] : first.args.split(/\s+/).filter(Boolean);
  return { script: first.script, args: extra, notes: [`from ${file}`, ...notes] };
}

// ---------------------------------------------------------------------------------------------
// NestJS

export interface NestEntry {
  /** the TypeScript entry (sourceRoot/entryFile.ts) */
  source: string;
  /** the compiled entry when the CLI decides it (monorepo webpack builds) */
  compiled?: string;
  how: string;
}

/** What `nest start` runs: nest-cli.json's sourceRoot and entryFile (defaults src, main). */
export function nestEntry(ctx: Ctx): NestEntry {
  const json = parseJsonc(ctx.read('nest-cli.json') ?? '');
  const cfg = isRecord(json) ? json : {};
  const entryFile = str(cfg.entryFile) ?? 'main';
  const sourceRoot = normalizeRelDir(str(cfg.sourceRoot) ?? 'src') ?? 'src';
  const root = str(cfg.root) !== undefined ? normalizeRelDir(str(cfg.root) as string) : undefined;
  const how = ctx.has('nest-cli.json')
    ? `nest-cli.json: sourceRoot "${sourceRoot}", entryFile "${entryFile}"`
    : 'Nest CLI defaults (src/main.ts)';
  if (cfg.monorepo === true && root !== undefined && root !== '.') {
    return {
      source: `${sourceRoot}/${entryFile}.ts`,
      compiled: `dist/${root}/${entryFile}.js`,
      how: `${how}, monorepo root "${root}"`,
    };
  }
  return { source: `${sourceRoot}/${entryFile}.ts`, how };
}

/** The tsconfig `nest build` compiles with (nest-cli.json compilerOptions.tsConfigPath, else tsconfig.build.json). */
export function nestTsconfig(ctx: Ctx): string | undefined {
  const json = parseJsonc(ctx.read('nest-cli.json') ?? '');
  const co = isRecord(json) && isRecord(json.compilerOptions) ? json.compilerOptions : {};
  const named = str(co.tsConfigPath);
  const file = named !== undefined ? normalizeRelDir(named) : 'tsconfig.build.json';
  return file !== undefined && ctx.has(file) ? file : undefined;
}

// ---------------------------------------------------------------------------------------------
// Procfile and boot scripts

/** The `web:` command of a Procfile, with its line. */
export function procfileWeb(ctx: Ctx): { command: string; line: number } | undefined {
  const text = ctx.read('Procfile');
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => /^web\s*:/.test(l));
  if (i === -1) return undefined;
  return { command: lines[i].replace(/^web\s*:\s*/, '').trim(), line: i + 1 };
}

/** The command lines of a shell boot script (comments, set/cd-free lines and blank lines dropped). */
export function bootScriptLines(ctx: Ctx, file: string): { text: string; line: number }[] | undefined {
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const out: { text: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#') || /^(?:set|export)\s/.test(t)) return;
    out.push({ text: t.replace(/^exec\s+/, ''), line: i + 1 });
  });
  return out.slice(0, 200);
}

// ---------------------------------------------------------------------------------------------
// Prisma

export interface PrismaInfo {
  schema: string;
  how: string;
  /** generator output outside node_modules, relative to the repository root */
  output?: string;
  /** the client generator's name (for --generator when others exist) */
  clientGenerator?: string;
  /** other generators in the schema (they need their packages at generate time) */
  others: string[];
}

/** The Prisma schema when the app uses Prisma Client: package.json prisma.schema, prisma/schema.prisma, schema.prisma. */
export function prismaInfo(ctx: Ctx, pkg: PackageJson): PrismaInfo | undefined {
  if (!('@prisma/client' in pkg.deps)) return undefined;
  const declared = isRecord(pkg.raw.prisma) ? str(pkg.raw.prisma.schema) : undefined;
  const declaredRel = declared === undefined ? undefined : normalizeRelDir(declared);
  const candidates: [string | undefined, string][] = [
    [declaredRel, `package.json: prisma.schema "${declared ?? ''}"`],
    ['prisma/schema.prisma', 'prisma/schema.prisma'],
    ['schema.prisma', 'schema.prisma'],
  ];
  let schema: string | undefined;
  let how = '';
  for (const [p, h] of candidates) {
    if (
      p !== undefined &&
      isSafeRelPath(p) &&
      (ctx.has(p) || ctx.files.list.some((f) => f.startsWith(`${p}/`) && f.endsWith('.prisma')))
    ) {
      schema = p;
      how = h;
      break;
    }
  }
  if (schema === undefined) {
    // multi-file schemas (prisma/schema/*.prisma)
    if (ctx.files.list.some((f) => /^prisma\/schema\/[^/]+\.prisma$/.test(f))) {
      schema = 'prisma/schema';
      how = 'prisma/schema/*.prisma';
    } else return undefined;
  }
  const files = schema.endsWith('.prisma')
    ? [schema]
    : ctx.files.list.filter((f) => f.startsWith(`${schema}/`) && f.endsWith('.prisma'));
  const info: PrismaInfo = { schema, how, others: [] };
  for (const f of files) {
    const text = ctx.read(f) ?? '';
    for (const m of text.matchAll(/^\s*generator\s+(\w+)\s*\{([^}]*)\}/gm)) {
      const provider = /\bprovider\s*=\s*"([^"]+)"/.exec(m[2])?.[1] ?? '';
      if (/^prisma-client(?:-js)?$/.test(provider)) {
        info.clientGenerator = m[1];
        const out = /^\s*output\s*=\s*"([^"]+)"/m.exec(m[2])?.[1];
        if (out !== undefined) {
          const rel = joinRel(dirname(f), out);
          if (rel !== undefined && rel !== '.' && !rel.split('/').includes('node_modules')) info.output = rel;
        }
      } else info.others.push(provider || m[1]);
    }
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle scripts

const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

/**
 * Install lifecycle scripts whose command is a devDependency (`"prepare": "husky install"`,
 * `"postinstall": "prisma generate"`): a production-only install runs them without that tool and
 * fails, so they are removed in the install stage (the build stage, with every dependency, keeps them).
 */
export function devLifecycle(pkg: PackageJson): { names: string[]; why: string[] } {
  const names: string[] = [];
  const why: string[] = [];
  for (const name of LIFECYCLE) {
    const s = pkg.scripts[name];
    if (s === undefined) continue;
    const tools = [...s.matchAll(/(?:^|&&|\|\||;|\|)\s*(?:npx\s+|yarn\s+|pnpm\s+(?:exec\s+)?)?([@\w./-]+)/g)].map(
      (m) => m[1],
    );
    const dev = tools.find(
      (t) =>
        (own(pkg.devDeps, t) || (own(DEV_BIN_PACKAGES, t) && DEV_BIN_PACKAGES[t]?.some((p) => own(pkg.devDeps, p)))) &&
        !own(pkg.deps, t),
    );
    if (dev !== undefined) {
      names.push(name);
      why.push(`scripts.${name} "${s.length > 50 ? `${s.slice(0, 49)}…` : s}" runs ${dev}, a devDependency`);
    }
  }
  return { names, why };
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Binaries whose package has another name. */
const DEV_BIN_PACKAGES: Partial<Record<string, string[]>> = {
  tsc: ['typescript'],
  'ts-patch': ['ts-patch'],
  'patch-package': ['patch-package'],
  'simple-git-hooks': ['simple-git-hooks'],
  lefthook: ['lefthook', '@arkweid/lefthook'],
};
