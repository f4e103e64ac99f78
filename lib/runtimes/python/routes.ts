// The full path of a health route behind router prefixes (issue 10 item 6): FastAPI
// `APIRouter(prefix=…)` + `app.include_router(router, prefix=settings.API_V1_STR)`, Flask blueprints
// (`Blueprint(…, url_prefix=…)`, `register_blueprint(bp, url_prefix=…)`), Django `path("api/",
// include("app.urls"))`. Prefixes must be literals or constants found in the repository
// (`API_V1_STR: str = "/api/v1"`); anything else leaves the route unresolved. Pure and bounded.
import type { Ctx } from '../../detect/model.js';
import { dirname, isTestPath } from '../../detect/text.js';

/** How deep the include chain is followed, and how many files are searched for includes. */
const MAX_HOPS = 6;
const MAX_FILES = 400;

interface Def {
  file: string;
  name: string;
  /** the constructor called: APIRouter, Blueprint, FastAPI, Flask, Starlette, Router */
  ctor: string;
  /** the call's argument text */
  args: string;
}

export interface ResolvedRoute {
  path: string;
  /** how each prefix was found, outermost first ("app/main.py:35: app.include_router(… prefix=settings.API_V1_STR) = /api/v1") */
  via: string[];
}

/** The route sits behind a prefix we could not read: the path as written is probably not served. */
export interface UnresolvedRoute {
  unresolved: string;
}

type Resolution = ResolvedRoute | UnresolvedRoute | undefined;

function pySources(ctx: Ctx): string[] {
  return ctx.files.list.filter((f) => f.endsWith('.py') && !isTestPath(f)).slice(0, MAX_FILES);
}

/** The text of a call's arguments from the '(' at `open` (balanced, strings skipped, bounded). */
function callArgs(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      const end = text.indexOf(q, i + q.length);
      if (end === -1) return undefined;
      i = end + q.length - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Split call arguments at top-level commas: positional and `key=value`. */
function splitArgs(args: string): { pos: string[]; kw: Map<string, string> } {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '"' || c === "'") {
      const end = args.indexOf(c, i + 1);
      const stop = end === -1 ? args.length - 1 : end;
      cur += args.slice(i, stop + 1);
      i = stop;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') parts.push(cur.trim());
  const pos: string[] = [];
  const kw = new Map<string, string>();
  for (const p of parts) {
    const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(p);
    if (m) kw.set(m[1], m[2].trim());
    else pos.push(p);
  }
  return { pos, kw };
}

/** Python imports of a file: local name -> module (with its leading dots) and the imported name. */
function importsOf(text: string): Map<string, { module: string; name?: string }> {
  const out = new Map<string, { module: string; name?: string }>();
  for (const m of text.matchAll(/^[ \t]*from\s+(\.*[\w.]*)\s+import\s+(\([^)]*\)|[^\n]+)/gm)) {
    for (const item of m[2]
      .replace(/[()\\]/g, ' ')
      .replace(/#[^\n]*/g, '')
      .split(',')) {
      const im = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(item);
      const alias: string | undefined = im ? (im as readonly (string | undefined)[])[2] : undefined;
      if (im) out.set(alias ?? im[1], { module: m[1], name: im[1] });
    }
  }
  for (const m of text.matchAll(/^[ \t]*import\s+([\w.]+)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/gm)) {
    const alias: string | undefined = (m as readonly (string | undefined)[])[2];
    out.set(alias ?? m[1], { module: m[1] });
  }
  return out;
}

/** The file of a module named in `fromFile` (relative or absolute; absolute ones from any ancestor dir as root). */
function moduleFile(ctx: Ctx, fromFile: string, spec: string): string | undefined {
  const dots = /^\.*/.exec(spec)?.[0].length ?? 0;
  const rest = spec.slice(dots).replace(/\./g, '/');
  const tryPath = (p: string): string | undefined => [`${p}.py`, `${p}/__init__.py`].find((f) => ctx.has(f));
  if (dots > 0) {
    let dir = dirname(fromFile);
    for (let k = 1; k < dots; k++) dir = dirname(dir);
    const base = dir === '.' ? rest : rest ? `${dir}/${rest}` : dir;
    return base ? tryPath(base) : undefined;
  }
  const roots = ['', 'src/'];
  for (let d = dirname(fromFile); d !== '.'; d = dirname(d)) roots.push(`${d}/`);
  for (const r of roots) {
    const hit = tryPath(`${r}${rest}`);
    if (hit) return hit;
  }
  return undefined;
}

const CTORS = 'APIRouter|Blueprint|FastAPI|Flask|Starlette|Quart|Router|APIBlueprint';

/** Where `name` (as seen in `file`) is constructed: in the file itself or through its imports. */
function definition(ctx: Ctx, file: string, name: string, hops = 0): Def | undefined {
  if (hops > 4) return undefined;
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const re = new RegExp(`^[ \\t]*${name}\\s*(?::\\s*[\\w.\\[\\], ]+)?=\\s*(?:[\\w.]+\\.)?(${CTORS})\\s*\\(`, 'm');
  const m = re.exec(text);
  if (m) {
    const args = callArgs(text, m.index + m[0].length - 1);
    return { file, name, ctor: m[1], args: args ?? '' };
  }
  const imp = importsOf(text).get(name);
  if (!imp) return undefined;
  // `from pkg import mod` (a submodule) is not a router; `from pkg.mod import router` is
  const target = moduleFile(ctx, file, imp.module);
  if (target === undefined || imp.name === undefined) return undefined;
  return definition(ctx, target, imp.name, hops + 1);
}

/** Resolve a reference as written in `file` (`router`, `utils.router`, `api.bp`) to its definition. */
function refDefinition(ctx: Ctx, file: string, ref: string): Def | undefined {
  const m = /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$/.exec(ref.trim());
  if (!m) return undefined;
  const attr: string | undefined = (m as readonly (string | undefined)[])[2];
  if (attr === undefined) return definition(ctx, file, m[1]);
  const text = ctx.read(file) ?? '';
  const imp = importsOf(text).get(m[1]);
  if (!imp) return undefined;
  // `from app.api.routes import utils` -> app/api/routes/utils.py; `import app.api.routes.utils as utils`
  const mod = imp.name !== undefined ? `${imp.module}${imp.module.endsWith('.') ? '' : '.'}${imp.name}` : imp.module;
  const target = moduleFile(ctx, file, mod);
  return target !== undefined ? definition(ctx, target, attr) : undefined;
}

/** A string value: a literal, an f-string or `+` of them, or a constant assigned a literal in the repository. */
function resolveExpr(ctx: Ctx, file: string, expr: string, hops = 0): string | undefined {
  const e = expr.trim();
  if (hops > 4 || e.length > 300) return undefined;
  const lit = /^[rRbB]?(['"])([^'"]*)\1$/.exec(e);
  if (lit) return lit[2];
  const fstr = /^[fF](['"])(.*)\1$/.exec(e);
  if (fstr) {
    const state = { bad: false };
    const v = fstr[2].replace(/\{([^{}]+)\}/g, (_x, inner: string) => {
      const r = resolveExpr(ctx, file, inner, hops + 1);
      if (r === undefined) state.bad = true;
      return r ?? '';
    });
    return state.bad ? undefined : v;
  }
  if (e.includes('+')) {
    const parts = e.split('+').map((p) => resolveExpr(ctx, file, p, hops + 1));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  const id = /^(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)$/.exec(e);
  if (!id) return undefined;
  return constantValue(ctx, file, id[1]);
}

/** `NAME = "…"` / `NAME: str = "…"` in this file first, else in one other file of the repository (unambiguous). */
function constantValue(ctx: Ctx, file: string, name: string): string | undefined {
  const re = new RegExp(`^[ \\t]*${name}\\s*(?::\\s*[\\w.\\[\\]]+\\s*)?=\\s*(['"])([^'"\\n]*)\\1\\s*(?:#.*)?$`, 'm');
  const own = re.exec(ctx.read(file) ?? '');
  if (own) return own[2];
  const values = new Set<string>();
  for (const f of pySources(ctx)) {
    const m = re.exec(ctx.read(f) ?? '');
    if (m) values.add(m[2]);
    if (values.size > 1) return undefined;
  }
  return values.size === 1 ? [...values][0] : undefined;
}

function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  const p = `/${joined}`.replace(/\/{2,}/g, '/');
  return p;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** A FastAPI/Flask route `@<receiver>.get("…")` in `file` at `line`: its full path through the includes. */
function viaRouters(ctx: Ctx, file: string, line: number, path: string): Resolution {
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  const recv = /([A-Za-z_]\w*)\.(?:get|head|route|api_route|add_api_route|add_url_rule|api|post)\s*\(/.exec(lineText);
  if (!recv) return undefined;
  let def = definition(ctx, file, recv[1]);
  if (!def) return undefined;
  const start = def;
  const segs: string[] = [path];
  const via: string[] = [];
  const flask = /Blueprint|Flask|Quart/.test(def.ctor);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (/^(?:FastAPI|Flask|Starlette|Quart)$/.test(def.ctor)) {
      const root = splitArgs(def.args).kw.get('root_path');
      if (root !== undefined)
        via.push(`${def.file}: ${def.name} = ${def.ctor}(root_path=…) is not part of the route (a proxy prefix)`);
      return { path: joinPath(...segs), via };
    }
    const own = splitArgs(def.args).kw.get(flask ? 'url_prefix' : 'prefix');
    const inc = inclusion(ctx, def);
    const incPrefix = inc?.kw.get(flask ? 'url_prefix' : 'prefix');
    // Flask: the registration's url_prefix replaces the blueprint's own; FastAPI: both apply
    const ownUsed = flask && incPrefix !== undefined ? undefined : own;
    if (ownUsed !== undefined) {
      const v = resolveExpr(ctx, def.file, ownUsed);
      if (v === undefined)
        return {
          unresolved: `${def.file}: ${def.name} = ${def.ctor}(…=${ownUsed}): a prefix that is not a constant of the repository`,
        };
      segs.unshift(v);
      via.unshift(`${def.file}: ${def.name} = ${def.ctor}(${flask ? 'url_prefix' : 'prefix'}=${ownUsed}) = ${v}`);
    }
    if (!inc) {
      // a router nobody includes (or included in a way we cannot follow)
      return { unresolved: `${def.file}: where ${def.name} (${def.ctor}) is included was not found` };
    }
    if (incPrefix !== undefined) {
      const v = resolveExpr(ctx, inc.file, incPrefix);
      if (v === undefined)
        return {
          unresolved: `${inc.file}:${inc.line}: ${inc.call}(…=${incPrefix}): a prefix that is not a constant of the repository`,
        };
      segs.unshift(v);
      via.unshift(
        `${inc.file}:${inc.line}: ${inc.receiver}.${inc.call}(${inc.ref}, ${flask ? 'url_prefix' : 'prefix'}=${incPrefix}) = ${v}`,
      );
    }
    const next = definition(ctx, inc.file, inc.receiver);
    if (!next) return { unresolved: `${inc.file}:${inc.line}: ${inc.receiver} is not a router or app we can follow` };
    def = next;
  }
  return { unresolved: `${start.file}: more than ${MAX_HOPS} levels of routers` };
}

/** The `include_router` / `register_blueprint` call that includes `def`, anywhere in the sources. */
function inclusion(
  ctx: Ctx,
  def: Def,
): { file: string; line: number; receiver: string; call: string; ref: string; kw: Map<string, string> } | undefined {
  for (const f of pySources(ctx)) {
    const text = ctx.read(f);
    if (text === undefined || !/include_router|register_blueprint/.test(text)) continue;
    for (const m of text.matchAll(/([A-Za-z_]\w*)\.(include_router|register_blueprint)\s*\(/g)) {
      const args = callArgs(text, m.index + m[0].length - 1);
      if (args === undefined) continue;
      const { pos, kw } = splitArgs(args);
      const ref = pos.at(0) ?? kw.get('router') ?? kw.get('blueprint');
      if (ref === undefined) continue;
      const d = refDefinition(ctx, f, ref);
      if (d && d.file === def.file && d.name === def.name)
        return { file: f, line: lineOf(text, m.index), receiver: m[1], call: m[2], ref: ref.trim(), kw };
    }
  }
  return undefined;
}

/** A Django route `path("health/", …)` in a urls module: its full path through `include("…urls")`. */
function viaDjango(ctx: Ctx, file: string, path: string): Resolution {
  const segs: string[] = [path.replace(/^\//, '')];
  const via: string[] = [];
  let cur = file;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const mod = cur.replace(/\.py$/, '').replace(/\/__init__$/, '');
    const found = djangoInclude(ctx, cur, mod);
    if (found === null) return { unresolved: `${cur} is included under a prefix that is not a literal` };
    if (found === undefined) return { path: joinPath(...segs), via };
    segs.unshift(found.prefix);
    via.unshift(`${found.file}:${found.line}: ${found.text}`);
    cur = found.file;
  }
  return { unresolved: `${file}: more than ${MAX_HOPS} levels of include()` };
}

/**
 * Who includes the urls module at `file`: the include's prefix; undefined when nobody does (the root
 * URLconf), null when it is included in a way we cannot read.
 */
function djangoInclude(
  ctx: Ctx,
  file: string,
  mod: string,
): { file: string; line: number; prefix: string; text: string } | null | undefined {
  const dotted = mod.replace(/\//g, '.');
  for (const f of pySources(ctx)) {
    if (f === file) continue;
    const text = ctx.read(f);
    if (text === undefined || !text.includes('include(')) continue;
    for (const m of text.matchAll(
      /\b(re_path|path|url)\s*\(\s*([rRfF]?(['"])[^'"]*\3|[A-Za-z_]\w*)\s*,\s*include\(\s*\(?\s*(['"])([\w.]+)\4/g,
    )) {
      const target = m[5];
      // the include names the module by its dotted path (from the project root or a src/ layout)
      if (!(dotted === target || dotted.endsWith(`.${target}`))) continue;
      const p = resolveExpr(ctx, f, m[2]);
      if (p === undefined) return null;
      const prefix = m[1] === 'path' ? p : p.replace(/^\^/, '').replace(/\$$/, '');
      const line = lineOf(text, m.index);
      return { file: f, line, prefix, text: text.split(/\r?\n/)[line - 1].trim().slice(0, 100) };
    }
  }
  return undefined;
}

/**
 * The full path of the health route found at `file:line` (path as written there); `unresolved` when
 * it sits behind a prefix we cannot read; undefined when it is not on a router we know (kept as is).
 */
export function resolveHealthRoute(ctx: Ctx, file: string, line: number, path: string): Resolution {
  const text = ctx.read(file);
  if (text === undefined) return undefined;
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  if (/\b(?:re_path|path|url)\s*\(/.test(lineText) && /urlpatterns/.test(text)) return viaDjango(ctx, file, path);
  return viaRouters(ctx, file, line, path);
}
