// Bun as a runtime of its own (not as a Node package manager): bun.lock / bun.lockb / bunfig.toml
// or Bun's types, and a script that starts a file with bun (`bun run src/index.ts`, `bun --hot
// src/index.ts`). Pure.
//
// The claim: rank 8 (wins over node's 10 for an app package.json, loses to a static site's 5). A
// package.json whose start script runs node (`node server.js`) stays node's, with bun as its
// package manager. Elysia and Hono-on-Bun apps usually have only a `dev` script (`bun run --watch
// src/index.ts`): its file is the entry, run without the watcher.
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { dnsLabel, isRecord, normalizeRelDir, shellSplit, str } from '../../detect/text.js';
import type { RuntimeClaim, RuntimeDetection } from '../profile.js';
import { expandScript, readPkg, type Pkg } from '../static/pkg.js';
import { BUN_SUPPORTED, BUN_DEFAULT } from './versions.js';

const BUN_LOCKS = ['bun.lock', 'bun.lockb'];
const ENTRY = /\.(?:[cm]?[jt]sx?)$/;
const START_SCRIPTS = ['start', 'start:prod', 'prod', 'serve', 'dev'];
/** bun flags that only matter in development (dropped from the start command) */
const DEV_FLAGS = new Set(['--watch', '--hot', '--inspect', '--inspect-brk', '--inspect-wait', '--no-clear-screen']);
/** bun flags kept (with their value when they take one) */
const KEEP_FLAGS = new Set(['--smol', '--bun', '--no-macros']);

interface Start {
  argv: string[];
  source: string;
  file: string;
}

/** `bun [run] [flags] file [args]` (env prefixes allowed) -> ["bun", ...kept flags, file, ...args]. */
function bunCommand(script: string): { argv: string[]; file: string; dropped: string[] } | undefined {
  for (const seg of script
    .split(/&&|;/)
    .map((s) => s.trim())
    .reverse()) {
    const words = shellSplit(seg);
    if (words === null) continue;
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
    if (words[i] !== 'bun') continue;
    i++;
    if (words[i] === 'run') i++;
    const flags: string[] = [];
    const dropped: string[] = [];
    while (i < words.length && words[i].startsWith('-')) {
      const w = words[i];
      if (KEEP_FLAGS.has(w)) flags.push(w);
      else if (DEV_FLAGS.has(w) || /^--inspect/.test(w)) dropped.push(w);
      else if (/^--env-file(?:=|$)/.test(w)) {
        dropped.push(w);
        if (!w.includes('=')) i++;
      } else return undefined;
      i++;
    }
    const file = words.at(i);
    if (file === undefined || !ENTRY.test(file)) continue;
    const f = normalizeRelDir(file);
    if (f === undefined || f === '.') return undefined;
    const rest = words.slice(i + 1);
    if (!rest.every((a) => /^[\w.=/:@,+-]+$/.test(a))) return undefined;
    return { argv: ['bun', ...flags, f, ...rest], file: f, dropped };
  }
  return undefined;
}

/** The file the app starts from, and why. */
function bunStart(ctx: Ctx, pkg: Pkg): Start | undefined {
  for (const name of START_SCRIPTS) {
    const s = pkg.scripts[name];
    if (s === undefined) continue;
    const c = bunCommand(s);
    if (c === undefined) continue;
    const dev = c.dropped.length > 0 ? ` (without ${c.dropped.join(' ')}: development only)` : '';
    return { argv: c.argv, file: c.file, source: `package.json: scripts.${name} "${s.slice(0, 60)}"${dev}` };
  }
  for (const field of ['module', 'main']) {
    const m = str(pkg.raw[field]);
    const f = m !== undefined ? normalizeRelDir(m) : undefined;
    if (f !== undefined && ENTRY.test(f) && ctx.has(f))
      return { argv: ['bun', f], file: f, source: `package.json: "${field}": "${m ?? ''}"` };
  }
  return undefined;
}

const COMMON = [
  'src/index.ts',
  'index.ts',
  'src/server.ts',
  'server.ts',
  'src/main.ts',
  'main.ts',
  'src/index.js',
  'index.js',
];

/** Does a script start node (then the package is node's, bun only installs)? */
const NODE_START = /(?:^|[\s;&|])(?:node|nodemon|ts-node|tsx|pm2)\s/;

export function bunClaim(ctx: Ctx): RuntimeClaim | undefined {
  if (!ctx.has('package.json')) return undefined;
  const pkg = readPkg(ctx);
  if (pkg === undefined) return undefined;
  const lock = BUN_LOCKS.find((f) => ctx.has(f));
  const types = ['@types/bun', 'bun-types'].find((d) => d in pkg.deps);
  const bunfig = ctx.has('bunfig.toml') ? 'bunfig.toml' : undefined;
  const tools = /^bun\s+\S/m.test(ctx.read('.tool-versions') ?? '') ? '.tool-versions: bun' : undefined;
  const df = ['Dockerfile', 'Containerfile'].find((f) =>
    /^\s*FROM\s+(?:docker\.io\/)?oven\/bun\b/im.test(ctx.read(f) ?? ''),
  );
  const marker =
    lock ??
    bunfig ??
    (types !== undefined ? `package.json: ${types}` : undefined) ??
    tools ??
    (df !== undefined ? `${df}: FROM oven/bun` : undefined);
  if (marker === undefined) return undefined;
  const start = pkg.scripts.start;
  if (start !== undefined && NODE_START.test(start) && bunCommand(start) === undefined) return undefined;
  const s = bunStart(ctx, pkg);
  if (s === undefined) return undefined;
  return {
    rank: 8,
    source: `${marker} + ${s.source.replace(/ \(without .*$/, '')} (Bun runs the app)`,
    detect: () => detectBun(ctx, pkg, s, lock),
  };
}

/** A bun version pin: packageManager "bun@1.2.3", .bun-version, .tool-versions, engines.bun (a minimum). */
function bunVersion(ctx: Ctx, pkg: Pkg): { value: string; source: string } | undefined {
  const pick = (v: string, source: string): { value: string; source: string } | undefined => {
    const m = /^(\d+)\.(\d+)/.exec(v.trim());
    if (!m) return undefined;
    const minor = `${m[1]}.${m[2]}`;
    if (BUN_SUPPORTED.includes(minor)) return { value: minor, source };
    ctx.note(
      `${source}: Bun ${minor} has no image here (supported: ${BUN_SUPPORTED.join(', ')}); pass --runtime-version`,
    );
    return { value: minor, source };
  };
  const pm = str(pkg.raw.packageManager);
  const pmv = pm !== undefined ? /^bun@(\d+\.\d+\.\d+)/.exec(pm.trim()) : null;
  if (pmv) return pick(pmv[1], `package.json: "packageManager": "${pm ?? ''}"`);
  const file = ctx.read('.bun-version');
  if (file !== undefined) return pick(file.replace(/^v/, ''), `.bun-version: ${file.trim().slice(0, 20)}`);
  const tools = ctx.read('.tool-versions');
  const tv = tools !== undefined ? /^bun\s+v?(\d+\.\d+\.\d+)/m.exec(tools) : null;
  if (tv) return pick(tv[1], `.tool-versions: bun ${tv[1]}`);
  const eng = isRecord(pkg.raw.engines) ? str(pkg.raw.engines.bun) : undefined;
  const ev = eng !== undefined ? /^\s*(?:>=|\^|~)?\s*(\d+\.\d+)/.exec(eng) : null;
  if (eng !== undefined && ev && !/</.test(eng)) {
    // a minimum: the newest supported that satisfies it
    const newest = BUN_SUPPORTED.at(-1) ?? BUN_DEFAULT;
    const ok =
      Number(newest.split('.')[1]) >= Number(ev[1].split('.')[1]) && newest.split('.')[0] === ev[1].split('.')[0];
    return ok
      ? { value: newest, source: `package.json: engines.bun "${eng}" (a minimum: the newest supported, ${newest})` }
      : pick(ev[1], `package.json: engines.bun "${eng}"`);
  }
  return undefined;
}

/** `bun build … --outdir dist` / `--outfile dist/server.js`: the output directory of the build script. */
function buildOut(script: string): { dir: string; flag: string } | undefined {
  const m = /(?:^|\s)(--outdir|--outfile)(?:=|\s+)([^\s&|;]+)/.exec(script);
  if (!m) return undefined;
  const p = normalizeRelDir(m[2]);
  if (p === undefined || p === '.') return undefined;
  const dir = m[1] === '--outfile' ? (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.') : p;
  return dir === '.' ? undefined : { dir, flag: m[0].trim() };
}

export function detectBun(ctx: Ctx, pkg: Pkg, start: Start, lock: string | undefined): RuntimeDetection {
  const facts: DetectedFacts = {};
  const rawName = str(pkg.raw.name);
  const name = rawName !== undefined ? dnsLabel(rawName) : undefined;
  if (name !== undefined)
    facts.name = fact(
      name,
      rawName === name ? 'package.json: name' : `package.json: name "${rawName ?? ''}" (made DNS-label safe)`,
    );
  facts.packageManager = fact('bun', lock ?? 'Bun runs the app (bun install)');
  if (lock !== undefined) facts.lockfiles = fact([lock], 'repository root');
  else
    ctx.note(
      'no bun.lock: bun install resolves the versions afresh at every build (not reproducible; commit bun.lock)',
    );
  const v = bunVersion(ctx, pkg);
  if (v) facts.runtimeVersion = fact(v.value, v.source);
  facts.start = fact(start.argv, start.source);
  const build = pkg.scripts.build;
  if (build !== undefined) {
    facts.build = fact(['bun', 'run', 'build'], `package.json: scripts.build "${build.slice(0, 60)}"`);
    const out = buildOut(expandScript(pkg, 'build'));
    facts.buildOutput = out
      ? fact(out.dir, `package.json: build script "${out.flag}"`)
      : fact('dist', 'default "dist" (no --outdir/--outfile in the build script)');
    if (out !== undefined && !start.file.startsWith(`${out.dir}/`))
      ctx.note(
        `the start file ${start.file} is not in the build output ${out.dir}/: the image runs the sources (pass --start to run the built file)`,
      );
  } else facts.build = fact(null, 'package.json: no "build" script (Bun runs TypeScript directly)');
  if (
    !ctx.has(start.file) &&
    !(facts.buildOutput !== undefined && start.file.startsWith(`${facts.buildOutput.value}/`))
  )
    ctx.note(`${start.file} (the start file) is not in the repository`);
  const framework = ['elysia', 'hono', 'express', 'fastify', 'koa'].find((d) => d in pkg.deps);
  if (framework !== undefined) facts.framework = fact(framework, `package.json: dependency ${framework}`);
  return {
    facts,
    entryFiles: [start.file, ...COMMON.filter((f) => f !== start.file && ctx.has(f))].slice(0, 4),
  };
}
