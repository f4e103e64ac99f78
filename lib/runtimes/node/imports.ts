// Packages the started code imports at run time (issue: runtime imports kept in devDependencies).
// The image installs production dependencies only (npm ci --omit=dev, pnpm install --prod, yarn
// workspaces focus --production, bun install --production): a package the app requires at run time
// but lists in devDependencies builds fine and fails at start with "Cannot find module" (Heroku and
// Render document the same failure after pruning devDependencies). From the start's source entry,
// LOCAL imports are followed (relative specifiers with node's and tsc's extension resolution) and the
// BARE specifiers collected as package names. Pure: reads through the detection Ctx only (its file
// list excludes symlinks and anything outside the root); every read and scan is capped and linear.
import { builtinModules } from 'node:module';
import type { Ctx } from '../../detect/model.js';

/** At most this many files are read from the entry (a visited set stops cycles). */
export const MAX_IMPORT_FILES = 300;
/** At most this many imports through tsconfig `paths` are recorded. */
export const MAX_ALIASED = 50;
/** A larger file is not scanned (generated or vendored code, not the app's own). */
export const MAX_IMPORT_FILE_CHARS = 256 * 1024;

const BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));
/** Files whose imports we follow (declaration files carry no run-time imports). */
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
/** Extensions tried for an extensionless relative import, in tsc's then node's order. */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** An npm package name (old names may have capitals). */
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/** Build tools that bundle the app (the bundle carries its imports; the install does not decide). */
const BUNDLERS =
  /\b(?:esbuild|webpack|rollup|rolldown|rspack|tsup|ncc|parcel|bun\s+build|vite(?!-node)|unbuild|pkgroll|tsdown)\b/;

/** The build command bundles the server code (esbuild, webpack, rollup, vite build, tsup, ncc, bun build …). */
export function buildBundles(buildText: string): boolean {
  return BUNDLERS.test(buildText);
}

/** One bare import: the package, and where it is imported first. */
export interface RuntimeImport {
  name: string;
  file: string;
  line: number;
}

export interface ImportWalk {
  /** packages in the order first seen */
  imports: RuntimeImport[];
  /** files read */
  files: number;
  /** the file cap stopped the walk */
  truncated: boolean;
  /** bare specifiers that name a repository file only through tsconfig `paths` (tsc leaves them as written) */
  aliased: { spec: string; file: string; line: number }[];
}

/**
 * Comments blanked to spaces (newlines kept, so line numbers hold), strings kept: one linear pass.
 * A quote opens a string that a newline ends (an unterminated quote, e.g. in a regex literal, costs
 * at most the rest of that line); a template literal runs to its closing backtick.
 */
export function stripComments(text: string): string {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  let from = 0;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      out.push(text.slice(from, i));
      let j = i;
      while (j < n && text[j] !== '\n') j++;
      out.push(' '.repeat(j - i));
      i = from = j;
    } else if (c === '/' && text[i + 1] === '*') {
      out.push(text.slice(from, i));
      const end = text.indexOf('*/', i + 2);
      const j = end < 0 ? n : end + 2;
      out.push(text.slice(i, j).replace(/[^\n]/g, ' '));
      i = from = j;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < n && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else i++;
  }
  out.push(text.slice(from));
  return out.join('');
}

// Each pattern is anchored on a literal keyword and its free parts are bounded: the scan stays linear.
/** import x from 'y' / import { a } from 'y' / export * from 'y' / export { a } from 'y' (multi-line clauses too) */
const STATIC_FROM = /(?<![.\w$])(import|export)(\s+[^;'"`()]{0,2000}?)\bfrom\s*(['"])([^'"\n]{1,300})\3/g;
/** import 'y' (side effects only) */
const SIDE_EFFECT = /(?<![.\w$])import\s*(['"])([^'"\n]{1,300})\1/g;
/** import('y') / require('y') */
const CALL = /(?<![.\w$])(?:import|require)\s*\(\s*(['"`])([^'"`$\n]{1,300})\1\s*\)/g;

/**
 * Express's `app.set('view engine', 'ejs')`: express require()s the package named by the engine
 * when no `app.engine('ejs', …)` registers one (then the registering import is seen instead).
 */
const VIEW_ENGINE = /\.set\(\s*(['"])view engine\1\s*,\s*(['"])\.?([a-z0-9][a-z0-9._-]{0,60})\2\s*\)/g;

/** The import clause names types only: `import type X`, `export type { X }`, `import { type A, type B }`. */
export function typeOnly(clause: string): boolean {
  const c = clause.trim();
  if (/^type\s*[{*\w$]/.test(c) && c !== 'type') return !/^type\s*,/.test(c);
  const braces = /^\{([^{}]*)\}$/.exec(c);
  if (braces === null) return false;
  const items = braces[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 && items.every((s) => /^type\s+[\w$]/.test(s));
}

/** The specifiers one file imports at run time, with their lines. */
export function scanImports(text: string): { spec: string; line: number }[] {
  const code = stripComments(text);
  const found: { spec: string; index: number }[] = [];
  for (const m of code.matchAll(STATIC_FROM)) {
    if (typeOnly(m[2])) continue;
    found.push({ spec: m[4], index: m.index });
  }
  for (const m of code.matchAll(SIDE_EFFECT)) found.push({ spec: m[2], index: m.index });
  for (const m of code.matchAll(CALL)) found.push({ spec: m[2], index: m.index });
  // a few: each is checked against the whole file
  for (const m of [...code.matchAll(VIEW_ENGINE)].slice(0, 4)) {
    const registered = new RegExp(`\\.engine\\(\\s*['"]\\.?${m[3].replace(/\./g, '\\.')}['"]`);
    if (!registered.test(code)) found.push({ spec: m[3], index: m.index });
  }
  found.sort((a, b) => a.index - b.index);
  // line numbers in one pass over the sorted indexes
  const out: { spec: string; line: number }[] = [];
  let line = 1;
  let pos = 0;
  for (const f of found) {
    for (; pos < f.index; pos++) if (code.charCodeAt(pos) === 10) line++;
    out.push({ spec: f.spec, line });
  }
  return out;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for builtins, `node:`, URLs, `#imports`, aliases. */
export function packageName(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('#') || spec.includes(':')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (!PACKAGE_NAME.test(name) || (spec.startsWith('@') && parts.length < 2)) return undefined;
  if (BUILTINS.has(name) || BUILTINS.has(spec)) return undefined;
  return name;
}

/** `a/b/../c` -> `a/c`; undefined when it climbs above the root. */
function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** A relative specifier resolved as node and tsc do: the file, `.js` written for `.ts`, an added extension, `/index.*`. */
function resolveLocal(ctx: Ctx, from: string, spec: string): string | undefined {
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  return resolveFile(ctx, normalize(`${dir}/${spec.split(/[?#]/)[0]}`));
}

/** A root-relative path as tsc and node complete it (see resolveLocal). */
function resolveFile(ctx: Ctx, base: string | undefined): string | undefined {
  if (base === undefined || base === '') return undefined;
  const ok = (f: string): boolean => CODE_FILE.test(f) && !DECLARATION.test(f) && ctx.has(f);
  const candidates = [base];
  // TypeScript's ESM convention: `./x.js` names x.ts
  const js = /\.([cm]?)jsx?$/.exec(base);
  if (js)
    candidates.push(
      ...[`.${js[1]}ts`, ...(js[1] === '' ? ['.tsx'] : [])].map((e) => base.slice(0, base.length - js[0].length) + e),
    );
  candidates.push(...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`));
  return candidates.find(ok);
}

/** tsconfig's module resolution for bare specifiers (compilerOptions.baseUrl and paths), root-relative. */
export interface Aliases {
  baseUrl?: string | undefined;
  paths?: { base: string; map: Record<string, string[]> } | undefined;
}

/**
 * A bare specifier through tsconfig paths and baseUrl: the repository file it names, else undefined
 * (a package: tsc, like node, falls back to node_modules when no substitution names a file).
 */
function resolveAlias(
  ctx: Ctx,
  spec: string,
  aliases: Aliases,
): { file: string; via: 'paths' | 'baseUrl' } | undefined {
  const map = aliases.paths?.map;
  if (map !== undefined && aliases.paths !== undefined) {
    for (const [pattern, targets] of Object.entries(map)) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star < 0) rest = pattern === spec ? '' : undefined;
      else {
        const pre = pattern.slice(0, star);
        const post = pattern.slice(star + 1);
        if (spec.length >= pre.length + post.length && spec.startsWith(pre) && spec.endsWith(post))
          rest = spec.slice(pre.length, spec.length - post.length);
      }
      if (rest === undefined) continue;
      for (const t of targets) {
        const hit = resolveFile(ctx, normalize(`${aliases.paths.base}/${t.replace('*', rest)}`));
        if (hit !== undefined) return { file: hit, via: 'paths' };
      }
    }
  }
  const hit = aliases.baseUrl !== undefined ? resolveFile(ctx, normalize(`${aliases.baseUrl}/${spec}`)) : undefined;
  return hit === undefined ? undefined : { file: hit, via: 'baseUrl' };
}

/** Follow the local imports from `entry` (≤ MAX_IMPORT_FILES files) and collect the packages imported. */
export function walkImports(ctx: Ctx, entry: string, aliases: Aliases = {}): ImportWalk {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  const packages = new Map<string, RuntimeImport>();
  const aliased: ImportWalk['aliased'] = [];
  let files = 0;
  let truncated = false;
  for (let q = 0; q < queue.length; q++) {
    if (files >= MAX_IMPORT_FILES) {
      truncated = true;
      break;
    }
    const file = queue[q];
    const text = ctx.read(file);
    files++;
    if (text === undefined || text.length > MAX_IMPORT_FILE_CHARS) continue;
    for (const { spec, line } of scanImports(text)) {
      const relative = spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
      // `#x` is Node's own subpath import (package.json "imports"): it resolves at run time as written
      const alias = relative || spec.startsWith('#') ? undefined : resolveAlias(ctx, spec, aliases);
      if (alias?.via === 'paths' && aliased.length < MAX_ALIASED) aliased.push({ spec, file, line });
      if (relative || alias !== undefined) {
        const next = alias?.file ?? resolveLocal(ctx, file, spec);
        if (next !== undefined && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
        continue;
      }
      const name = packageName(spec);
      if (name !== undefined && !packages.has(name)) packages.set(name, { name, file, line });
    }
  }
  return { imports: [...packages.values()], files, truncated, aliased };
}

/** What the check needs from package.json. */
export interface DependencyLists {
  deps: Record<string, unknown>;
  devDeps: Record<string, unknown>;
  raw: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The packages imported at run time that only devDependencies list. */
export function devOnlyImports(ctx: Ctx, pkg: DependencyLists, entry: string, aliases: Aliases = {}): RuntimeImport[] {
  if (!CODE_FILE.test(entry) || !ctx.has(entry)) return [];
  const prod = new Set([
    ...Object.keys(pkg.deps),
    ...(isObject(pkg.raw.optionalDependencies) ? Object.keys(pkg.raw.optionalDependencies) : []),
    ...(isObject(pkg.raw.peerDependencies) ? Object.keys(pkg.raw.peerDependencies) : []),
  ]);
  return walkImports(ctx, entry, aliases).imports.filter(
    (i) => Object.hasOwn(pkg.devDeps, i.name) && !prod.has(i.name),
  );
}

const ADD: Record<string, string> = {
  npm: 'npm install --save-prod',
  pnpm: 'pnpm add --save-prod',
  yarn: 'yarn add',
  bun: 'bun add',
};

/** At most this many packages are named with their file:line (all go in the command, up to MAX_COMMAND). */
const MAX_SHOWN = 8;
const MAX_COMMAND = 40;

/** The plan's warning for the packages found (undefined when none); `dir`: the workspace member, paths are relative to it. */
export function devOnlyImportNote(found: RuntimeImport[], entry: string, pm: string, dir = ''): string | undefined {
  if (found.length === 0) return undefined;
  const at = dir === '' ? '' : `${dir}/`;
  const shown = found.slice(0, MAX_SHOWN);
  const list = shown.map((i) => `${i.name} (${at}${i.file}:${i.line})`).join(', ');
  const more = found.length > shown.length ? ` and ${found.length - shown.length} more` : '';
  const one = found.length === 1;
  const add = `${ADD[pm] ?? ADD.npm} ${found
    .slice(0, MAX_COMMAND)
    .map((i) => i.name)
    .join(' ')}`;
  const command = dir === '' ? add : `in ${dir}: ${add}`;
  return `WARNING: ${at}package.json: ${list}${more} ${one ? 'is' : 'are'} imported at run time by the code the start runs (from ${at}${entry}) but listed only in devDependencies: the image installs production dependencies only, so the app fails at start with "Cannot find module"; move ${one ? 'it' : 'them'} to dependencies (${command}). An import guarded at run time (only loaded outside production) or used only as a type is fine to ignore`;
}
