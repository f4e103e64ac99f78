// uv workspaces (https://docs.astral.sh/uv/concepts/projects/workspaces/): a root pyproject.toml with
// `[tool.uv.workspace] members = [...]` and one uv.lock for every member. At the root, each member is
// detected as if it were the repository (its start, port, health route, steps) and one member can be
// containerized with the root as the build context (--workspace <dir>): the root lockfile installs
// the member's dependencies (`uv sync --frozen --package <name>`), the image runs from the member's
// directory. Inside a member, init cannot see the lockfile one level up: it only says where to run
// from. Pure: reads through the Ctx only.
import type { Facts, WorkspaceApp } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { detectPortAndRoutes } from '../../detect/port.js';
import { dirname, excerpt, lineAt, lineTextAt } from '../../detect/text.js';
import { tomlGet, type TomlTable } from '../../detect/toml.js';
import { PYTHON_CODE } from './code.js';

/** At most this many members are detected (each is read like a small repository of its own). */
const MAX_MEMBERS = 50;
/** A member directory we can name in a COPY line and a flag (as lib/core/answers/schema.ts WORKSPACE_DIR). */
const MEMBER_DIR = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
/** A distribution name uv's --package takes (PEP 508 name: no shell syntax). */
export const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/;

/** Strings of a TOML array (anything else dropped). */
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A uv workspace glob ("packages/*", "backend", "libs/**") as an anchored regex over directories. */
function globRe(g: string): RegExp | undefined {
  const clean = g.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean.length > 200 || clean.split('/').includes('..')) return undefined;
  const body = clean
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${body}$`);
}

/** `[tool.uv.workspace]` of the root pyproject.toml: the member directories (those with a pyproject.toml). */
export function uvWorkspaceMembers(ctx: Ctx, py: TomlTable): string[] | undefined {
  const ws = tomlGet(py, 'tool', 'uv', 'workspace');
  if (typeof ws !== 'object' || ws === null || Array.isArray(ws)) return undefined;
  const include = strings(tomlGet(ws, 'members'))
    .slice(0, 20)
    .map(globRe)
    .filter((r): r is RegExp => r !== undefined);
  const exclude = strings(tomlGet(ws, 'exclude'))
    .slice(0, 20)
    .map(globRe)
    .filter((r): r is RegExp => r !== undefined);
  return ctx.files.list
    .filter((f) => f.endsWith('/pyproject.toml'))
    .map((f) => dirname(f))
    .filter(
      (d) =>
        MEMBER_DIR.test(d) &&
        !d.split('/').some((s) => s === '.venv' || s === 'venv' || s === 'node_modules') &&
        include.some((r) => r.test(d)) &&
        !exclude.some((r) => r.test(d)),
    )
    .sort()
    .slice(0, MAX_MEMBERS);
}

/** The files under `dir`, as a Ctx rooted there; its notes are kept for the caller. */
function memberCtx(ctx: Ctx, dir: string, notes: string[]): Ctx {
  const prefix = `${dir}/`;
  const list = ctx.files.list.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  const present = new Set(list);
  const read = (p: string): string | undefined => (present.has(p) ? ctx.read(prefix + p) : undefined);
  return {
    files: { list, read },
    has: (p) => present.has(p),
    read,
    note: (t) => {
      if (!notes.includes(t)) notes.push(t);
    },
  };
}

/** What a member detection returns (detectPython's result, without importing it: no cycle). */
interface MemberDetection {
  facts: DetectedFacts;
  entryFiles: string[];
  afterScan: (facts: DetectedFacts) => void;
}

/** The member's facts a root-level answer can take (the install facts stay the root's: one uv.lock). */
export const MEMBER_FACT_KEYS = [
  'name',
  'framework',
  'start',
  'port',
  'healthPath',
  'dataDirs',
  'settingsModule',
  'buildSteps',
  'manualSteps',
  'nativeDeps',
  'flavor',
] as const;

/**
 * One member, detected with the root's Python detection rooted at its directory, then the port and
 * health route scan over its files: its facts keep paths relative to the member (the image runs there).
 */
export function uvWorkspaceApp(
  ctx: Ctx,
  dir: string,
  detect: (sub: Ctx) => MemberDetection,
  parse: (text: string) => TomlTable,
): WorkspaceApp {
  const notes: string[] = [];
  const sub = memberCtx(ctx, dir, notes);
  const app: WorkspaceApp = { dir };
  const rawName = tomlGet(parse(sub.read('pyproject.toml') ?? ''), 'project', 'name');
  if (typeof rawName === 'string' && PACKAGE_NAME.test(rawName)) app.packageName = rawName;
  const r = detect(sub);
  const pr = detectPortAndRoutes(sub, PYTHON_CODE, r.entryFiles);
  const f: DetectedFacts = { ...r.facts };
  if (pr.port) f.port = pr.port;
  if (pr.healthPath) f.healthPath = pr.healthPath;
  if (pr.dataDirs) f.dataDirs = pr.dataDirs;
  r.afterScan(f);
  const at = (source: string): string => `${dir}/${source}`;
  const out: Facts & { notes?: string[] } = {};
  const o = out as Record<string, unknown>;
  for (const k of MEMBER_FACT_KEYS) {
    const v = f[k];
    if (v !== undefined) o[k] = { ...v, source: at(v.source) };
  }
  // a data directory read from the member's code is relative to the member (Django's BASE_DIR):
  // /app/media there is /app/<member>/media in the image; an env template's absolute path stays
  if (out.dataDirs && /\.py:\d+:/.test(f.dataDirs?.source ?? ''))
    out.dataDirs = {
      ...out.dataDirs,
      value: out.dataDirs.value.map((d) => (d.startsWith('/app/') ? `/app/${dir}/${d.slice(5)}` : d)),
    };
  if (notes.length > 0) out.notes = notes.map((n) => `${dir}: ${n}`);
  app.facts = out;
  if (out.name) app.name = out.name;
  if (out.start) app.start = out.start;
  return app;
}

/** Members named as another member's uv source (`[tool.uv.sources] shared = { workspace = true }`). */
export function workspaceSources(
  ctx: Ctx,
  dir: string,
  apps: readonly WorkspaceApp[],
  parse: (t: string) => TomlTable,
): string[] {
  const sources = tomlGet(parse(ctx.read(`${dir}/pyproject.toml`) ?? ''), 'tool', 'uv', 'sources');
  if (typeof sources !== 'object' || sources === null) return [];
  const norm = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');
  const out: string[] = [];
  for (const [name, v] of Object.entries(sources as Record<string, unknown>)) {
    if (tomlGet(v, 'workspace') !== true) continue;
    const app = apps.find((a) => a.packageName !== undefined && norm(a.packageName) === norm(name));
    if (app !== undefined && app.dir !== dir && !out.includes(app.dir)) out.push(app.dir);
  }
  return out.sort();
}

/**
 * At a uv workspace root: the members, each detected on its own, and the default one (the only
 * member with a start command). Notes say how to choose another.
 */
export function detectUvWorkspace(
  ctx: Ctx,
  py: TomlTable,
  facts: DetectedFacts,
  detect: (sub: Ctx) => MemberDetection,
  parse: (text: string) => TomlTable,
): void {
  const dirs = uvWorkspaceMembers(ctx, py);
  if (dirs === undefined) return;
  const how = 'pyproject.toml: [tool.uv.workspace] members';
  if (dirs.length === 0) {
    ctx.note(`${how}: no member directory with a pyproject.toml was found; the image is built for the root project`);
    return;
  }
  const apps = dirs.map((d) => uvWorkspaceApp(ctx, d, detect, parse));
  // in a member's own facts, workspaceMembers lists the members it depends on (installed with it)
  for (const app of apps) {
    const deps = workspaceSources(ctx, app.dir, apps, parse);
    if (deps.length > 0 && app.facts)
      app.facts.workspaceMembers = fact(deps, `${app.dir}/pyproject.toml: [tool.uv.sources] … = { workspace = true }`);
  }
  facts.workspaceMembers = fact(dirs, how);
  facts.workspaceApps = apps;
  const runnable = apps.filter((a) => a.start !== undefined && a.packageName !== undefined);
  const rootRuns = facts.start !== undefined;
  const chosen = !rootRuns && runnable.length === 1 ? runnable[0] : undefined;
  if (chosen !== undefined)
    facts.workspaceDefault = fact(chosen.dir, `${chosen.dir}/pyproject.toml: the only member with a start command`);
  const list = `${dirs.slice(0, 8).join(', ')}${dirs.length > 8 ? ', …' : ''}`;
  const starts = runnable.map((a) => a.dir);
  ctx.note(
    `${how}: a uv workspace root (members: ${list})${starts.length > 0 ? `; with a start command: ${starts.slice(0, 4).join(', ')}` : ''}: ${chosen !== undefined ? `the image is built for ${chosen.dir} with the root uv.lock, the root as the build context` : 'the image is built for the root project'}; pass --workspace <member directory> to containerize ${chosen !== undefined ? 'another' : 'one'} member from the root`,
  );
  if (chosen?.facts?.notes) for (const n of chosen.facts.notes) ctx.note(n);
}

/**
 * Inside a member of a uv workspace (detection sees no uv.lock here): a `[tool.uv.sources]` entry
 * with `workspace = true`, or the directory's own Dockerfile running `uv sync` / naming uv.lock. The
 * lockfile is at the workspace root, which init does not read from here: say where to run from.
 */
export function uvMemberHint(ctx: Ctx, py: TomlTable): string | undefined {
  if (ctx.has('uv.lock')) return undefined;
  const sources = tomlGet(py, 'tool', 'uv', 'sources');
  if (typeof sources === 'object' && sources !== null) {
    const ws = Object.entries(sources as Record<string, unknown>)
      .filter(([, v]) => tomlGet(v, 'workspace') === true)
      .map(([k]) => k);
    if (ws.length > 0) return `pyproject.toml: [tool.uv.sources] ${ws.slice(0, 3).join(', ')} = { workspace = true }`;
  }
  for (const df of ['Dockerfile', 'Containerfile']) {
    const text = ctx.read(df);
    if (text === undefined) continue;
    // a RUN's continuation line too (uv sync after --mount lines); comments are not read
    const m = /^(?![ \t]*#)[^\n]{0,400}?(?:\buv[ \t]+sync\b|\buv\.lock\b)/m.exec(text);
    if (m)
      return `${df}:${lineAt(text, m.index)}: ${excerpt(lineTextAt(text, m.index))} (no uv.lock in this directory)`;
  }
  return undefined;
}

/** uv.lock's own `requires-python` (the intersection of every member's), read from its header only. */
export function uvLockRequiresPython(ctx: Ctx): { spec: string; source: string } | undefined {
  const text = ctx.read('uv.lock');
  if (text === undefined) return undefined;
  const head = text.slice(0, 4000).split(/^\[/m)[0];
  const m = /^requires-python\s*=\s*"([^"\n]{1,100})"/m.exec(head);
  return m ? { spec: m[1], source: `uv.lock: requires-python = "${m[1]}" (every workspace member's)` } : undefined;
}
