// Deno: deno.json / deno.jsonc (+ deno.lock). The start command is a task (`start`, then `serve`,
// `preview`, then `dev` without its watcher) that runs `deno run` or `deno serve` on a file, else a
// common entry file; its permission flags are kept as the app declares them. Pure.
//
// The claim: rank 7 (deno.json is Deno's own manifest: it wins over a package.json next to it,
// node's rank 10, and a static site's 5 never claims next to deno.json).
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { dnsLabel, isRecord, normalizeRelDir, parseJsonc, shellSplit, str } from '../../detect/text.js';
import type { RuntimeClaim, RuntimeDetection } from '../profile.js';
import { DENO_DEFAULT, DENO_MINORS } from './versions.js';

const CONFIGS = ['deno.json', 'deno.jsonc'];
const TASKS = ['start', 'serve', 'preview', 'prod', 'dev'];
const ENTRY = /\.(?:[cm]?[jt]sx?)$/;
const COMMON = ['main.ts', 'server.ts', 'src/main.ts', 'src/server.ts', 'mod.ts', 'app.ts', 'index.ts', 'main.js'];
/** Flags that only matter in development. */
const DEV = /^--(?:watch|watch-hmr|watch-exclude|inspect|inspect-brk|inspect-wait|reload|unstable-hmr)(?:=.*)?$/;
/** Flags kept as the app declares them: permissions, config, lock and a few runtime switches. */
const KEEP =
  /^(?:-A|--allow-all|--allow-(?:net|read|write|env|sys|run|ffi|import|hrtime)(?:=[^\s]*)?|--deny-[a-z]+(?:=[^\s]*)?|-[NRWE]|--unstable(?:-[a-z-]+)?|--no-check|--config=[\w./-]+|--lock=[\w./-]+|--import-map=[\w./-]+|--env-file(?:=[\w./-]+)?|--port=\d{1,5}|--host=[\w.:]+|--parallel|--v8-flags=[\w=,-]+|--location=[\w:/.-]+|--no-remote|--node-modules-dir(?:=\w+)?|--cached-only|-P|--permission-set(?:=[\w-]+)?)$/;
/** Flags whose value may be the next word (`--port 9999`): joined as --flag=value. */
const VALUED = new Set(['--port', '--host', '--config', '-c', '--lock', '--import-map', '--location', '--env-file']);
/** Short forms Deno accepts for the common permissions. */
const SHORT: Record<string, string> = {
  '-N': '--allow-net',
  '-R': '--allow-read',
  '-W': '--allow-write',
  '-E': '--allow-env',
};

export interface DenoStart {
  /** logical argv: ["deno", "run"|"serve", ...flags, file, ...args] */
  argv: string[];
  file: string;
  source: string;
  dropped: string[];
}

/** `deno run|serve [flags] file [args]` in a task (the last such command of a && chain). */
export function denoCommand(script: string): Omit<DenoStart, 'source'> | undefined {
  for (const seg of script
    .split(/&&|;/)
    .map((s) => s.trim())
    .reverse()) {
    const words = shellSplit(seg);
    if (words === null) continue;
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
    if (words[i] !== 'deno') continue;
    const sub = words[i + 1];
    if (sub !== 'run' && sub !== 'serve') continue;
    i += 2;
    const flags: string[] = [];
    const dropped: string[] = [];
    while (i < words.length && words[i].startsWith('-')) {
      let w = words[i];
      const next = words.at(i + 1);
      if (VALUED.has(w) && next !== undefined && !next.startsWith('-')) {
        w = `${w === '-c' ? '--config' : w}=${next}`;
        i++;
      }
      if (DEV.test(w)) dropped.push(w);
      else if (KEEP.test(w)) {
        // --env-file reads a file that is not in the image (.env is never copied): dropped
        if (w.startsWith('--env-file')) dropped.push(w);
        else flags.push(SHORT[w] ?? w);
      } else return undefined;
      i++;
    }
    const file = words.at(i);
    if (file === undefined || !ENTRY.test(file)) continue;
    const f = normalizeRelDir(file);
    if (f === undefined || f === '.') return undefined;
    const rest = words.slice(i + 1);
    if (!rest.every((a) => /^[\w.=/:@,+-]+$/.test(a))) return undefined;
    return { argv: ['deno', sub, ...flags, f, ...rest], file: f, dropped };
  }
  return undefined;
}

interface DenoConfig {
  file: string;
  json: Record<string, unknown>;
}

function readConfig(ctx: Ctx): DenoConfig | undefined {
  for (const f of CONFIGS) {
    const t = ctx.read(f);
    if (t === undefined) continue;
    const json = parseJsonc(t);
    if (isRecord(json)) return { file: f, json };
    ctx.note(`${f}: could not be parsed (even allowing comments and trailing commas)`);
    return { file: f, json: {} };
  }
  return undefined;
}

function taskText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // Deno 2 task objects: { "command": "…", "description": "…" }
  return isRecord(v) ? str(v.command) : undefined;
}

function denoStart(ctx: Ctx, cfg: DenoConfig): DenoStart | undefined {
  const tasks = isRecord(cfg.json.tasks) ? cfg.json.tasks : {};
  const candidates: DenoStart[] = [];
  for (const name of TASKS) {
    const t = taskText(tasks[name]);
    if (t === undefined) continue;
    const c = denoCommand(t);
    if (c === undefined) continue;
    candidates.push({ ...c, source: `${cfg.file}: tasks.${name} "${t.slice(0, 70)}"` });
  }
  // Fresh 1.x: "start" runs dev.ts (the dev server); "preview" runs the built main.ts
  const start = candidates.find((c) => !/(?:^|\/)dev\.[jt]s$/.test(c.file)) ?? candidates.at(0);
  if (start) return start;
  const main = str(cfg.json.main) ?? str(cfg.json.exports);
  const m = main !== undefined ? normalizeRelDir(main) : undefined;
  if (m !== undefined && ctx.has(m) && ENTRY.test(m))
    return {
      argv: ['deno', 'run', m],
      file: m,
      dropped: [],
      source: `${cfg.file}: "${main ?? ''}" (common entry file name; no start task)`,
    };
  return undefined;
}

function commonEntry(ctx: Ctx): DenoStart | undefined {
  const f = COMMON.find((c) => ctx.has(c));
  return f !== undefined
    ? { argv: ['deno', 'run', f], file: f, dropped: [], source: `${f} (common entry file name; no start task)` }
    : undefined;
}

/** The deno command of an existing Dockerfile built FROM denoland/deno (CMD ["run", …] or ["deno", "run", …]). */
function dockerfileStart(ctx: Ctx): (DenoStart & { from: string }) | undefined {
  for (const f of ['Dockerfile', 'Containerfile']) {
    const text = ctx.read(f);
    if (text === undefined || !/^\s*FROM\s+(?:docker\.io\/)?denoland\/deno\b/im.test(text)) continue;
    const m = /^\s*(?:CMD|ENTRYPOINT)\s+(\[.*\])\s*$/im.exec(text);
    let argv: unknown;
    try {
      argv = m ? JSON.parse(m[1]) : undefined;
    } catch {
      argv = undefined;
    }
    const words = Array.isArray(argv) && argv.every((w) => typeof w === 'string') ? argv : [];
    const cmd = denoCommand((words[0] === 'deno' ? words : ['deno', ...words]).join(' '));
    if (cmd) return { ...cmd, from: f, source: `${f}: ${m?.[0].trim().slice(0, 80) ?? ''}` };
    return { argv: [], file: '', dropped: [], from: f, source: f };
  }
  return undefined;
}

export function denoClaim(ctx: Ctx): RuntimeClaim | undefined {
  const file = CONFIGS.find((f) => ctx.has(f));
  if (file !== undefined) return { rank: 7, source: file, detect: () => detectDeno(ctx) };
  // no deno.json: a package.json run by Deno (deno.lock, or the project's own Dockerfile FROM denoland/deno)
  if (!ctx.has('package.json')) return undefined;
  if (ctx.has('deno.lock')) return { rank: 7, source: 'deno.lock + package.json', detect: () => detectDeno(ctx) };
  const df = dockerfileStart(ctx);
  if (df === undefined) return undefined;
  return { rank: 7, source: `${df.from}: FROM denoland/deno + package.json`, detect: () => detectDeno(ctx) };
}

function denoVersion(ctx: Ctx): { value: string; source: string } | undefined {
  const pin = (text: string, where: string): { value: string; source: string } | undefined => {
    const m = /^v?(\d+)\.(\d+)(?:\.\d+)?\s*$/.exec(text.trim());
    if (!m) return undefined;
    const minor = `${m[1]}.${m[2]}`;
    if (!DENO_MINORS.includes(minor))
      ctx.note(
        `${where}: Deno ${minor} has no image here (supported: ${DENO_MINORS.join(', ')}); pass --runtime-version`,
      );
    return { value: minor, source: where };
  };
  for (const f of ['.dvmrc', '.deno-version']) {
    const t = ctx.read(f);
    if (t !== undefined) return pin(t, `${f}: ${t.trim().slice(0, 20)}`);
  }
  const tv = /^deno\s+v?(\d+\.\d+\.\d+)/m.exec(ctx.read('.tool-versions') ?? '');
  if (tv) return pin(tv[1], `.tool-versions: deno ${tv[1]}`);
  return undefined;
}

export function detectDeno(ctx: Ctx): RuntimeDetection {
  const facts: DetectedFacts = {};
  const cfg = readConfig(ctx) ?? { file: 'deno.json', json: {} };
  const rawName = str(cfg.json.name);
  const name = rawName !== undefined ? dnsLabel(rawName.replace(/^@[^/]+\//, '')) : undefined;
  if (name !== undefined) facts.name = fact(name, `${cfg.file}: name`);
  facts.packageManager = fact('deno', cfg.file);
  // the files the install reads (config, lockfile, package.json): copied before the sources
  const locks = ['deno.json', 'deno.jsonc', 'deno.lock', 'package.json'].filter((f) => ctx.has(f));
  facts.lockfiles = fact(locks, 'repository root');
  const declared = (isRecord(cfg.json.imports) && Object.keys(cfg.json.imports).length > 0) || ctx.has('package.json');
  facts.settings = fact(
    { declaredDeps: declared },
    declared ? `${cfg.file} imports or package.json dependencies` : `${cfg.file}: no imports, no package.json`,
  );
  if (!ctx.has('deno.lock') && declared)
    ctx.note('no deno.lock: the dependencies resolve afresh at every build (not reproducible; commit deno.lock)');
  const v = denoVersion(ctx);
  if (v) facts.runtimeVersion = fact(v.value, v.source);
  const fromDf = dockerfileStart(ctx);
  const start =
    denoStart(ctx, cfg) ?? (fromDf !== undefined && fromDf.argv.length > 0 ? fromDf : undefined) ?? commonEntry(ctx);
  if (start) {
    const dev =
      start.dropped.length > 0 ? ` (without ${start.dropped.join(' ')}: development only / not in the image)` : '';
    facts.start = start.source.includes('common entry file')
      ? {
          ...fact(start.argv, start.source),
          guess: `no start task in ${cfg.file}: ${start.file} is the first common entry file name found, run without permissions (pass --start with the --allow-* flags it needs)`,
        }
      : fact(start.argv, start.source + dev);
    if (start.argv.includes('-A') || start.argv.includes('--allow-all'))
      ctx.note(
        `${start.source}: runs with every permission (-A): narrow it to what the app uses (--allow-net, --allow-env …) with --start`,
      );
  }
  // where the app may write (the config's permission set, --allow-write=…): data directories under /app
  const perms =
    isRecord(cfg.json.permissions) && isRecord(cfg.json.permissions.default) ? cfg.json.permissions.default : {};
  const writes = [
    ...(Array.isArray(perms.write) ? perms.write.filter((w): w is string => typeof w === 'string') : []),
    ...(start?.argv ?? []).flatMap((t) => (/^--allow-write=/.test(t) ? t.slice(14).split(',') : [])),
  ];
  const dirs = [
    ...new Set(
      writes
        .map((w) => normalizeRelDir(w))
        .filter((d): d is string => d !== undefined && d !== '.' && /^[\w.-]+(?:\/[\w.-]+)*$/.test(d)),
    ),
  ];
  if (dirs.length > 0)
    facts.dataDirs = fact(
      dirs.map((d) => `/app/${d}`),
      `${Array.isArray(perms.write) ? `${cfg.file}: permissions.default.write` : "the start command's --allow-write"} (the app writes there: a volume, the root filesystem is read-only)`,
    );
  const tasks = isRecord(cfg.json.tasks) ? cfg.json.tasks : {};
  const build = taskText(tasks.build);
  facts.build =
    build !== undefined
      ? fact(['deno', 'task', 'build'], `${cfg.file}: tasks.build "${build.slice(0, 60)}"`)
      : fact(null, `${cfg.file}: no build task`);
  const imports = isRecord(cfg.json.imports) ? Object.keys(cfg.json.imports) : [];
  const fw = imports.find((k) => /^(?:\$fresh\/|fresh$|@fresh\/core|hono$|@hono\/hono|oak$|@oak\/oak)/.test(k));
  if (fw !== undefined) facts.framework = fact(fw.replace(/\/$/, ''), `${cfg.file}: imports "${fw}"`);
  const portFlag = start?.argv.find((t) => /^--port=\d{4,5}$/.test(t));
  return {
    facts,
    entryFiles: start ? [start.file] : COMMON.filter((f) => ctx.has(f)).slice(0, 2),
    withPort(f) {
      // `deno serve --port N` decides the port (the code does not name it); default 8000
      if (portFlag !== undefined && start !== undefined)
        f.port = fact(Number(portFlag.slice(7)), `${start.source}: ${portFlag}`);
      else if (start?.argv[1] === 'serve' && f.port === undefined)
        f.port = fact(8000, `${start.source}: deno serve's default port`);
    },
  };
}

export { DENO_DEFAULT };
