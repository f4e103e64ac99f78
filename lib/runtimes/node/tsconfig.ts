// tsconfig.json through its `extends` chain: the effective outDir, rootDir, include/exclude and
// whether tsc emits JavaScript at all (noEmit / emitDeclarationOnly, often set by a shared base
// config in a monorepo's packages/typescript-config). Pure: reads only through the detection Ctx,
// so nothing outside the repository root is read (links included) and every read is capped.
import type { Ctx } from '../../detect/model.js';
import { dirname, isRecord, normalizeRelDir, parseJson, parseJsonc, str } from '../../detect/text.js';
import { joinRel as joinInRepo } from './tools.js';

export interface TsConfig {
  file: string;
  outDir?: string | undefined;
  rootDir?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  /** tsc writes no JavaScript: compilerOptions.noEmit or emitDeclarationOnly, and the file that says so */
  noEmit?: { value: boolean; file: string } | undefined;
  /** compilerOptions.baseUrl, rebased like outDir */
  baseUrl?: string | undefined;
  /** compilerOptions.paths (≤ 50 patterns, ≤ 5 targets each) and the directory its targets are relative to */
  paths?: { base: string; map: Record<string, string[]> } | undefined;
  /** the files read, the start file first ("a.json -> b.json") */
  chain: string[];
}

/** How deep an `extends` chain is followed, how many files are read for one config, how big each may be. */
export const MAX_EXTENDS_DEPTH = 5;
const MAX_CONFIG_FILES = 12;
const MAX_CONFIG_BYTES = 256 * 1024;
/** package.json files read to find a workspace package by name (node_modules is usually absent). */
const MAX_PACKAGE_SCAN = 80;

/**
 * A workspace member's Ctx is rooted at the member; its tsconfig may extend a file of the monorepo
 * (`../../packages/tsconfig/base.json`, `@acme/tsconfig/base.json`). The member Ctx is registered
 * here with the root Ctx and its directory so the chain can be followed from the root.
 */
const OUTER = new WeakMap<Ctx, { root: Ctx; dir: string }>();

export function registerMemberCtx(member: Ctx, root: Ctx, dir: string): void {
  const outer = OUTER.get(root);
  // a member of a member stays rooted at the repository
  OUTER.set(member, outer ? { root: outer.root, dir: joinRel(outer.dir, dir) ?? dir } : { root, dir });
}

/**
 * "a/b" + "../c/d.json" -> "a/c/d.json"; undefined when it leaves the root or is not a plain path.
 * The Node detection's joinRel (tools.ts), except that a backslash or NUL in a tsconfig path is
 * refused rather than read as a separator.
 */
export function joinRel(base: string, rel: string): string | undefined {
  return rel.includes('\\') || rel.includes('\0') ? undefined : joinInRepo(base, rel);
}

/** `to` relative to directory `from` (both root-relative): "a/b", "a/c/x" -> "../c/x". */
function relative(from: string, to: string): string {
  const f = from === '.' ? [] : from.split('/');
  const t = to === '.' ? [] : to.split('/');
  let i = 0;
  while (i < f.length && i < t.length && f[i] === t[i]) i++;
  const up = f.slice(i).map(() => '..');
  const out = [...up, ...t.slice(i)].join('/');
  return out === '' ? '.' : out;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

interface Fields {
  outDir?: string | undefined;
  rootDir?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  noEmit?: { value: boolean; file: string } | undefined;
  baseUrl?: string | undefined;
  /** paths and the directory of the config declaring them (the base when no baseUrl is set) */
  paths?: { base: string; map: Record<string, string[]> } | undefined;
}

/** compilerOptions.paths, bounded: string patterns to string targets. */
function pathsMap(v: unknown): Record<string, string[]> | undefined {
  if (!isRecord(v)) return undefined;
  const map = Object.create(null) as Record<string, string[]>;
  for (const [k, t] of Object.entries(v).slice(0, 50)) {
    const targets = strings(t)?.slice(0, 5);
    if (targets !== undefined && targets.length > 0) map[k] = targets;
  }
  return map;
}

interface Walk {
  root: Ctx;
  /** the start file's directory, root-relative: inherited paths are rebased onto it */
  startDir: string;
  read: number;
  chain: string[];
  notes: string[];
  packages?: Map<string, string>;
}

/** Workspace packages by name (their directory), read lazily from the package.json files listed. */
function packageDirs(w: Walk): Map<string, string> {
  if (w.packages) return w.packages;
  const map = new Map<string, string>();
  const files = w.root.files.list
    .filter((f) => (f === 'package.json' || f.endsWith('/package.json')) && !f.split('/').includes('node_modules'))
    .slice(0, MAX_PACKAGE_SCAN);
  for (const f of files) {
    const text = w.root.read(f);
    if (text === undefined || text.length > MAX_CONFIG_BYTES) continue;
    const pkg = parseJson(text);
    const name = isRecord(pkg) ? str(pkg.name) : undefined;
    if (name !== undefined && !map.has(name)) map.set(name, dirname(f));
  }
  w.packages = map;
  return map;
}

/** A config file that exists: the path as written, else with ".json" added (tsc does the same). */
function existing(root: Ctx, p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  if (root.has(p)) return p;
  if (!p.endsWith('.json') && root.has(`${p}.json`)) return `${p}.json`;
  return undefined;
}

/** `extends` of a config at `from` (root-relative) -> the root-relative file, or a reason. */
function resolveExtends(w: Walk, from: string, spec: string): string | { why: string } {
  const s = spec.trim();
  if (s.startsWith('.') || s.startsWith('/')) {
    const p = joinRel(dirname(from), s);
    return existing(w.root, p) ?? { why: `"${s.slice(0, 80)}" is not a file of the repository` };
  }
  // a package: "@scope/name/sub/path.json", "name/sub", "name" (its tsconfig.json or "tsconfig" field)
  const m = /^((?:@[A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]+)(?:\/(.+))?$/.exec(s);
  if (!m) return { why: `"${s.slice(0, 80)}" is not a package name or a relative path` };
  const name = m[1];
  // the optional group is undefined when absent (exec's type says string)
  const sub = m[2] as string | undefined;
  const dirs = [packageDirs(w).get(name), `node_modules/${name}`].filter((d): d is string => d !== undefined);
  for (const dir of dirs) {
    const pj = dir === '.' ? 'package.json' : `${dir}/package.json`;
    const text = w.root.has(pj) ? w.root.read(pj) : undefined;
    const pkg = text !== undefined && text.length <= MAX_CONFIG_BYTES ? parseJson(text) : undefined;
    const exp = isRecord(pkg) && isRecord(pkg.exports) ? pkg.exports : undefined;
    const mapped = exp !== undefined ? str(exp[sub === undefined ? '.' : `./${sub}`]) : undefined;
    const target = mapped ?? sub ?? (isRecord(pkg) ? str(pkg.tsconfig) : undefined) ?? 'tsconfig.json';
    const hit = existing(w.root, joinRel(dir, target));
    if (hit !== undefined) return hit;
  }
  return {
    why:
      dirs.length > 1
        ? `"${s.slice(0, 80)}": the workspace package ${name} has no such file`
        : `"${s.slice(0, 80)}" is a package that is not in the repository (node_modules is not read)`,
  };
}

/** One config and what it extends, in root-relative paths; `depth` counts the extends followed. */
function walk(w: Walk, file: string, depth: number, seen: Set<string>): Fields | undefined {
  if (seen.has(file) || w.read >= MAX_CONFIG_FILES) return undefined;
  seen.add(file);
  w.read++;
  const text = w.root.read(file);
  if (text === undefined) return undefined;
  if (text.length > MAX_CONFIG_BYTES) {
    w.notes.push(`${file}: larger than ${MAX_CONFIG_BYTES / 1024} KiB, not read`);
    return undefined;
  }
  const json = parseJsonc(text);
  if (!isRecord(json)) {
    w.notes.push(`${file}: could not be parsed (even allowing comments and trailing commas)`);
    return {};
  }
  if (depth > 0) w.chain.push(file);
  const dir = dirname(file);
  const co = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  // paths in an extended config are relative to that config: rebased onto the start file's directory
  const own = depth === 0;
  const rebase = (p: string): string | undefined => {
    if (own) return normalizeRelDir(p);
    const abs = joinRel(dir, p);
    return abs === undefined ? undefined : normalizeRelDir(relative(w.startDir, abs));
  };
  const rebaseAll = (v: unknown): string[] | undefined =>
    strings(v)
      ?.map((p) => (own ? p : rebase(p)))
      .filter((p): p is string => p !== undefined);
  const emit =
    co.noEmit === true || co.emitDeclarationOnly === true
      ? true
      : co.noEmit === false || co.emitDeclarationOnly === false
        ? false
        : undefined;
  const mine: Fields = {
    outDir: str(co.outDir) !== undefined ? rebase(str(co.outDir) as string) : undefined,
    rootDir: str(co.rootDir) !== undefined ? rebase(str(co.rootDir) as string) : undefined,
    include: rebaseAll(json.include),
    exclude: rebaseAll(json.exclude),
    noEmit: emit === undefined ? undefined : { value: emit, file },
    baseUrl: str(co.baseUrl) !== undefined ? rebase(str(co.baseUrl) as string) : undefined,
  };
  const map = pathsMap(co.paths);
  const declaredIn = rebase('.');
  if (map !== undefined && declaredIn !== undefined) mine.paths = { base: declaredIn, map };
  // TS 5: an array of configs, later ones overriding earlier ones; the file itself overrides them all
  const specs = typeof json.extends === 'string' ? [json.extends] : (strings(json.extends) ?? []);
  let base: Fields = {};
  for (const spec of specs.slice(0, 8)) {
    if (depth + 1 > MAX_EXTENDS_DEPTH) {
      w.notes.push(`${file}: extends more than ${MAX_EXTENDS_DEPTH} levels deep; the rest is not read`);
      break;
    }
    const target = resolveExtends(w, file, spec);
    if (typeof target !== 'string') {
      w.notes.push(`${file}: extends ${target.why}; its compilerOptions are not known`);
      continue;
    }
    const parent = walk(w, target, depth + 1, seen);
    if (parent) base = merge(base, parent);
  }
  return merge(base, mine);
}

function merge(base: Fields, over: Fields): Fields {
  return {
    outDir: over.outDir ?? base.outDir,
    rootDir: over.rootDir ?? base.rootDir,
    include: over.include ?? base.include,
    exclude: over.exclude ?? base.exclude,
    noEmit: over.noEmit ?? base.noEmit,
    baseUrl: over.baseUrl ?? base.baseUrl,
    paths: over.paths ?? base.paths,
  };
}

/**
 * The effective tsconfig of `file` (relative to ctx's root). Paths in the result are relative to
 * ctx's root as the start file's own values are (its directory for inherited ones); `noEmit.file`
 * and `chain` name files from the repository root. Notes go to ctx (unreadable or missing bases).
 */
export function readTsConfig(ctx: Ctx, file: string): TsConfig | undefined {
  const outer = OUTER.get(ctx);
  const root = outer?.root ?? ctx;
  const start = outer !== undefined ? joinRel(outer.dir, file) : normalizeRelDir(file);
  if (start === undefined || !root.has(start)) return undefined;
  const w: Walk = { root, startDir: dirname(start), read: 0, chain: [start], notes: [] };
  const r = walk(w, start, 0, new Set());
  for (const n of w.notes) ctx.note(n);
  if (r === undefined) return undefined;
  // paths resolve from baseUrl when one is set, else from the config that declares them
  const paths = r.paths !== undefined ? { base: r.baseUrl ?? r.paths.base, map: r.paths.map } : undefined;
  return { file, ...r, paths, chain: w.chain };
}
