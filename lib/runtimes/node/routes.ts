// Node health routes through router prefixes, and where the app listens. Pure: reads through ctx.
//
// Routes: `recv.get('/health')` (Express, Koa, Fastify, Hono), `recv.route({ url: '/health' })`
// (Fastify), NestJS `@Controller('health')` + `@Get()`. Prefixes: `parent.use('/api', child)`
// (Express, Koa `child.routes()`), `parent.route('/api', child)` (Hono), `parent.register(child,
// { prefix: '/api' })` (Fastify), `new Router({ prefix })` / `router.prefix()` (Koa), Nest's
// `setGlobalPrefix()` and URI versioning. A child is a local router, a local plugin function or
// a module (import/require); chains are followed a few levels up to the app.
import type { Ctx } from '../../detect/model.js';
import { HEALTH_NAMES, rankHealth, scanOrder } from '../../detect/port.js';
import { dirname, LineIndex } from '../../detect/text.js';
import { joinRel } from './tools.js';

const CODE = { files: /\.(?:[cm]?js|[cm]?ts)$/, ports: [] as RegExp[] };
const IDENT = String.raw`[A-Za-z_$][\w$]*`;
const STR = String.raw`(['"\x60])`;

export interface HealthRoute {
  path: string;
  rank: number;
  source: string;
}

interface Mount {
  /** local names of the receiver (the router or plugin the child is mounted on) */
  parent: Set<string>;
  prefix: string;
  /** a local identifier (not imported) */
  ident?: string;
  /** the module file mounted (import/require resolved) */
  module?: string;
  offset: number;
}

interface Route {
  names: Set<string>;
  path: string;
  offset: number;
}

interface FileInfo {
  file: string;
  text: string;
  lines: LineIndex;
  imports: Map<string, string>;
  routes: Route[];
  mounts: Mount[];
  own: Map<string, string>;
  fns: { name: string; start: number; end: number }[];
  pairs: Int32Array;
  /** mounts by the local identifier they mount */
  byIdent: Map<string, Mount[]>;
  /** `get('/')` routes: a health route when @fastify/autoload mounts the file under a health folder */
  rootRoutes: Route[];
  /** the plugin's own `autoPrefix` (@fastify/autoload) */
  autoPrefix?: string;
  /** @fastify/autoload registrations in this file: the folder they load and the prefix they add */
  autoloads: { dir: string; prefix: string; offset: number }[];
}

/** Comments replaced by spaces (offsets and newlines kept); strings and template literals kept. */
export function blankComments(text: string): string {
  const out = text.split('');
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') i++;
        else if (c !== '`' && text[i] === '\n') break;
        i++;
      }
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (; i < stop; i++) if (out[i] !== '\n') out[i] = ' ';
    } else i++;
  }
  return out.join('');
}

/**
 * For every opening bracket of the text, the index of the one closing it (-1 when unbalanced),
 * found in one pass (strings and template literals skipped): every lookup after is O(1), so a
 * large generated file costs linear time, not a scan per function or call.
 */
function bracketPairs(text: string): Int32Array {
  const pairs = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  const closer: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c && (c === '`' || text[i] !== '\n')) {
        if (text[i] === '\\') i++;
        i++;
      }
    } else if (c === '(' || c === '{' || c === '[') stack.push(i);
    else if (c in closer) {
      const open = stack.pop();
      if (open === undefined) continue;
      if (text[open] === closer[c]) pairs[open] = i;
      else stack.length = 0; // unbalanced: nothing before it can be trusted
    }
  }
  return pairs;
}

/** Top-level comma-separated arguments of the call whose `(` is at `open`. */
function callArgs(text: string, pairs: Int32Array, open: number): string[] | undefined {
  const end = pairs[open];
  if (end === -1 || end - open > 4000) return undefined;
  const inner = text.slice(open + 1, end);
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < inner.length && inner[j] !== c) j += inner[j] === '\\' ? 2 : 1;
      cur += inner.slice(i, j + 1);
      i = j;
    } else if ('([{'.includes(c)) {
      depth++;
      cur += c;
    } else if (')]}'.includes(c)) {
      depth--;
      cur += c;
    } else if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') args.push(cur.trim());
  return args;
}

function resolveModule(ctx: Ctx, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = joinRel(dirname(from), spec);
  if (base === undefined || base === '.') return undefined;
  const stem = base.replace(/\.[cm]?js$/, '');
  const tries = [
    base,
    ...['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx'].map((e) => stem + e),
    ...['index.ts', 'index.js', 'index.mjs', 'index.cjs'].map((e) => `${base}/${e}`),
  ];
  return tries.find((t) => ctx.has(t));
}

/** The names a position in the file answers to: the enclosing functions (plugins) and `<default>` for a default export. */
function enclosing(info: FileInfo, offset: number): string[] {
  return info.fns.filter((f) => f.start <= offset && offset <= f.end).map((f) => f.name);
}

/** The receiver of `.get(` / `.use(` at `dot`: an identifier, else the declaration a chain starts from. */
function receiver(text: string, dot: number): string {
  const before = text.slice(Math.max(0, dot - 200), dot).replace(/\s+$/, '');
  const id = new RegExp(`(${IDENT})$`).exec(before);
  if (id && !/\)$/.test(before)) return id[1];
  // a chain (`Router().use(...)`, `router.get(...).post(...)`): the statement it belongs to
  const head = text.slice(Math.max(0, dot - 3000), dot);
  let last: string | undefined;
  for (const m of head.matchAll(
    new RegExp(
      String.raw`\b(?:const|let|var)\s+(${IDENT})\s*(?::[^=]{1,80})?=|\bexport\s+default\b|\bmodule\.exports\s*=`,
      'g',
    ),
  ))
    last = grp(m, 1) ?? '<default>';
  return last ?? '<default>';
}

function childOf(ctx: Ctx, info: FileInfo, arg: string): { ident?: string; module?: string } | undefined {
  const a = arg.replace(/^await\s+/, '').trim();
  const req = /^(?:require|import)\(\s*(['"])([^'"]+)\1\s*\)(?:\.default)?$/.exec(a);
  if (req) {
    const m = resolveModule(ctx, info.file, req[2]);
    return m === undefined ? undefined : { module: m };
  }
  const id =
    new RegExp(`^(${IDENT})(?:\\.routes\\(\\))?$`).exec(a) ??
    new RegExp(`^(?:fp|fastifyPlugin)\\(\\s*(${IDENT})\\s*\\)$`).exec(a);
  if (!id) return undefined;
  const mod = info.imports.get(id[1]);
  return mod !== undefined ? { module: mod } : { ident: id[1] };
}

function parseFile(ctx: Ctx, file: string): FileInfo | undefined {
  const raw = ctx.read(file);
  if (raw === undefined) return undefined;
  const text = blankComments(raw);
  const info: FileInfo = {
    file,
    text,
    lines: new LineIndex(raw),
    imports: new Map(),
    routes: [],
    mounts: [],
    own: new Map(),
    fns: [],
    pairs: bracketPairs(text),
    byIdent: new Map(),
    rootRoutes: [],
    autoloads: [],
  };
  // imports: default, namespace, named (with `as`), require (plain, .default, destructured)
  for (const m of text.matchAll(/\bimport\s+([^'";]+?)\s+from\s+(['"])([^'"]+)\2/g)) {
    const target = resolveModule(ctx, file, m[3]);
    if (target === undefined) continue;
    const clause = m[1].replace(/\btype\s+/g, '');
    const def = /^([A-Za-z_$][\w$]*)/.exec(clause);
    if (def) info.imports.set(def[1], target);
    const ns = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(clause);
    if (ns) info.imports.set(ns[1], target);
    const named = /\{([^}]*)\}/.exec(clause);
    if (named)
      for (const part of named[1].split(',')) {
        const p = /([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?/.exec(part.trim());
        if (p) info.imports.set(grp(p, 2) ?? p[1], target);
      }
  }
  for (const m of text.matchAll(
    new RegExp(
      String.raw`\b(?:const|let|var)\s+(?:(${IDENT})|\{([^}]*)\})\s*=\s*require\(\s*(['"])([^'"]+)\3\s*\)`,
      'g',
    ),
  )) {
    const target = resolveModule(ctx, file, m[4]);
    if (target === undefined) continue;
    const single = grp(m, 1);
    if (single !== undefined) info.imports.set(single, target);
    else
      for (const part of (grp(m, 2) ?? '').split(',')) {
        const p = /([A-Za-z_$][\w$]*)(?:\s*:\s*([A-Za-z_$][\w$]*))?/.exec(part.trim());
        if (p) info.imports.set(grp(p, 2) ?? p[1], target);
      }
  }
  // functions (Fastify plugins, route-registering helpers): their bodies
  const fnStarts: { name: string; at: number }[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\bfunction\s*\*?\s*(${IDENT})?\s*\(`, 'g'))) {
    const head = text.slice(Math.max(0, m.index - 40), m.index);
    const name =
      grp(m, 1) ?? (/(?:export\s+default|module\.exports\s*=)\s*(?:async\s+)?$/.test(head) ? '<default>' : undefined);
    if (name !== undefined) fnStarts.push({ name, at: m.index + m[0].length - 1 });
  }
  for (const m of text.matchAll(
    new RegExp(
      String.raw`(?:\b(?:const|let|var)\s+(${IDENT})\s*(?::[^=]{1,120})?=|\bexport\s+default|\bmodule\.exports\s*=)\s*\(?\s*(?:async\s+)?\(`,
      'g',
    ),
  ))
    fnStarts.push({ name: grp(m, 1) ?? '<default>', at: m.index + m[0].length - 1 });
  // bounded: a generated or minified file can hold thousands of functions
  for (const f of fnStarts.slice(0, 400)) {
    const paramsEnd = info.pairs[f.at];
    if (paramsEnd === -1) continue;
    const arrow = /^\s*(?::\s*[^={]{1,120})?(?:=>)?\s*\{/.exec(text.slice(paramsEnd + 1, paramsEnd + 200));
    if (!arrow) continue;
    const open = paramsEnd + 1 + arrow[0].length - 1;
    const end = info.pairs[open];
    if (end !== -1) info.fns.push({ name: f.name, start: open, end });
  }
  const names = (offset: number, recv: string): Set<string> => new Set([recv, ...enclosing(info, offset)]);
  // own prefixes: Koa `new Router({ prefix })`, `router.prefix('/x')`, Hono `.basePath('/x')`
  for (const m of text.matchAll(
    new RegExp(
      String.raw`\b(?:const|let|var)\s+(${IDENT})\s*=\s*new\s+(?:${IDENT}\.)*Router\s*\(\s*\{[^}]{0,300}?\bprefix\s*:\s*${STR}([^'"\x60$]*)\2`,
      'g',
    ),
  ))
    info.own.set(m[1], m[3]);
  for (const m of text.matchAll(new RegExp(String.raw`\b(${IDENT})\s*\.\s*prefix\(\s*${STR}([^'"\x60$]*)\2\s*\)`, 'g')))
    info.own.set(m[1], m[3]);
  for (const m of text.matchAll(
    new RegExp(
      String.raw`\b(?:const|let|var)\s+(${IDENT})\s*=\s*new\s+Hono\b[^;]{0,200}?\.basePath\(\s*${STR}([^'"\x60$]*)\2`,
      'g',
    ),
  ))
    info.own.set(m[1], m[3]);
  // routes (only health-like ones matter; bounded per file)
  const route = (path: string, offset: number, recv: string | undefined): void => {
    if (info.routes.length >= 50 || rankHealth(lastSegment(path)) >= HEALTH_NAMES.length) return;
    const names = new Set(enclosing(info, offset));
    if (recv !== undefined) names.add(recv);
    info.routes.push({ names, path, offset });
  };
  for (const m of text.matchAll(
    new RegExp(String.raw`\.\s*(get|head|all|use|route)\s*\(\s*${STR}(\/[^'"\x60$]*)\2`, 'g'),
  ))
    if (rankHealth(lastSegment(m[3])) < HEALTH_NAMES.length) route(m[3], m.index, receiver(text, m.index));
  for (const m of text.matchAll(/\.\s*route\s*\(\s*\{[^}]{0,400}?\burl\s*:\s*(['"`])(\/[^'"`$]*)\1/g))
    if (rankHealth(lastSegment(m[2])) < HEALTH_NAMES.length) route(m[2], m.index, receiver(text, m.index));
  for (const m of text.matchAll(new RegExp(String.raw`\.\s*(?:get|head|all)\s*\(\s*${STR}\/?\1`, 'g')))
    if (info.rootRoutes.length < 5)
      info.rootRoutes.push({ names: new Set(enclosing(info, m.index)), path: '', offset: m.index });
  const ap = new RegExp(String.raw`\bautoPrefix\s*=\s*${STR}(\/[^'"\x60$]*)\1`).exec(text);
  if (ap) info.autoPrefix = ap[2];
  // @fastify/autoload: register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix } })
  const loader = new RegExp(
    String.raw`(?:import\s+(${IDENT})\s+from|\b(?:const|let|var)\s+(${IDENT})\s*=\s*require\()\s*(['"])(?:@fastify\/autoload|fastify-autoload)\3`,
  ).exec(text);
  const loaderName = loader ? (grp(loader, 1) ?? grp(loader, 2)) : undefined;
  if (loaderName !== undefined)
    for (const m of text.matchAll(/\.\s*register\s*\(/g)) {
      const args = callArgs(text, info.pairs, m.index + m[0].length - 1);
      if (args === undefined || args.length < 2 || args[0].trim() !== loaderName) continue;
      const dir = new RegExp(
        String.raw`\bdir\s*:\s*(?:path\.)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*${STR}([^'"\x60$]+)\1\s*\)`,
      ).exec(args[1]);
      if (!dir) continue;
      const target = joinRel(dirname(file), dir[2]);
      const prefix = new RegExp(String.raw`\boptions\s*:\s*\{[^}]{0,300}?\bprefix\s*:\s*${STR}([^'"\x60$]*)\1`).exec(
        args[1],
      );
      if (target !== undefined && info.autoloads.length < 10)
        info.autoloads.push({ dir: target, prefix: prefix?.[2] ?? '', offset: m.index });
    }
  // plain http: `req.url === '/healthz'`; route tables: `{ '/healthz': handler }`
  for (const m of text.matchAll(/\b(?:url|pathname|path)\s*(?:===?|\.startsWith\()\s*(['"`])(\/[^'"`$]*)\1/g))
    route(m[2], m.index, undefined);
  for (const m of text.matchAll(/(['"`])(\/[\w./-]*)\1\s*:\s*(?=[\w(])/g)) route(m[2], m.index, undefined);
  // mounts: .use([prefix,] child…), .route(prefix, child) (Hono), .register(child, { prefix })
  let calls = 0;
  for (const m of text.matchAll(/\.\s*(use|route|register)\s*\(/g)) {
    if (++calls > 2000 || info.mounts.length >= 500) break;
    const open = m.index + m[0].length - 1;
    const args = callArgs(text, info.pairs, open);
    if (args === undefined || args.length === 0) continue;
    const parent = names(m.index, receiver(text, m.index));
    const lit = (a: string | undefined): string | undefined => /^(['"`])(\/?[^'"`$]*)\1$/.exec(a ?? '')?.[2];
    if (m[1] === 'register') {
      const opts = args[1] ?? '';
      const prefix = new RegExp(String.raw`\bprefix\s*:\s*${STR}([^'"\x60$]*)\1`).exec(opts)?.[2] ?? '';
      const child = childOf(ctx, info, args[0]);
      if (child) info.mounts.push({ parent, prefix, ...child, offset: m.index });
      continue;
    }
    const prefix = lit(args[0]);
    const rest = prefix !== undefined ? args.slice(1) : args;
    if (m[1] === 'route' && (prefix === undefined || rest.length !== 1)) continue;
    for (const a of rest) {
      const child = childOf(ctx, info, a);
      if (child) info.mounts.push({ parent, prefix: prefix ?? '', ...child, offset: m.index });
    }
  }
  for (const m of info.mounts)
    if (m.ident !== undefined) info.byIdent.set(m.ident, [...(info.byIdent.get(m.ident) ?? []), m]);
  return info;
}

function joinPath(...parts: string[]): string {
  const segs = parts.flatMap((p) => p.split('/')).filter((s) => s !== '');
  const trailing = parts.length > 0 && parts[parts.length - 1].endsWith('/') && segs.length > 0;
  return `/${segs.join('/')}${trailing ? '/' : ''}`;
}

/** The prefix a router/plugin (known by `names` in `file`) is reached under, following mounts up to the app. */
function prefixOf(
  byModule: Map<string, { g: FileInfo; m: Mount }>,
  info: FileInfo,
  names: Set<string>,
  depth: number,
  via: string[],
): string {
  const own = [...names].map((n) => info.own.get(n)).find((p) => p !== undefined) ?? '';
  if (depth > 6) return own;
  const local = [...names]
    .flatMap((n) => info.byIdent.get(n) ?? [])
    .find((m) => m.ident !== undefined && !m.parent.has(m.ident));
  if (local) {
    if (local.prefix !== '') via.push(`${local.prefix} (${info.file}:${info.lines.lineAt(local.offset)})`);
    return joinPath(prefixOf(byModule, info, local.parent, depth + 1, via), local.prefix, own);
  }
  const up = byModule.get(info.file);
  if (up) {
    const { g, m } = up;
    if (m.prefix !== '') via.push(`${m.prefix} (${g.file}:${g.lines.lineAt(m.offset)})`);
    return joinPath(prefixOf(byModule, g, m.parent, depth + 1, via), m.prefix, own);
  }
  return own;
}

/** A capture group that may not have taken part (typed as string by the regex API). */
const grp = (m: RegExpMatchArray | RegExpExecArray, i: number): string | undefined =>
  (m as readonly (string | undefined)[])[i];

const lastSegment = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? '';

/** NestJS: controllers' paths under the global prefix and URI versioning. */
function nestRoutes(files: Map<string, FileInfo>): HealthRoute[] {
  let global: { prefix: string; exclude: string; source: string } | undefined;
  let version: string | undefined;
  for (const f of files.values()) {
    const g = /\.setGlobalPrefix\(\s*(['"`])([^'"`$]*)\1\s*(?:,\s*(\{[\s\S]{0,400}?\}))?\s*\)/.exec(f.text);
    if (g && global === undefined)
      global = { prefix: g[2], exclude: grp(g, 3) ?? '', source: f.lines.source(f.file, g.index) };
    const v = /enableVersioning\(\s*\{[^}]*?VersioningType\.URI[^}]*?defaultVersion\s*:\s*['"]([\w.]+)['"]/.exec(
      f.text,
    );
    if (v) version ??= v[1];
  }
  const out: HealthRoute[] = [];
  for (const f of files.values()) {
    if (!f.text.includes('@Controller')) continue;
    const ctrls = [...f.text.matchAll(/@Controller\(\s*([^)]*)\)/g)].map((m) => {
      const arg = m[1];
      const path =
        /^(['"`])([^'"`$]*)\1/.exec(arg.trim())?.[2] ?? /\bpath\s*:\s*(['"`])([^'"`$]*)\1/.exec(arg)?.[2] ?? '';
      const neutral = /VERSION_NEUTRAL/.test(arg);
      const ver = /\bversion\s*:\s*['"]([\w.]+)['"]/.exec(arg)?.[1];
      return { at: m.index, path, neutral, ver };
    });
    for (const m of f.text.matchAll(/@(Get|Head|All)\(\s*(?:(['"`])([^'"`$]*)\2)?\s*\)/g)) {
      const ctrl = ctrls.filter((c) => c.at < m.index).pop();
      if (!ctrl) continue;
      const local = joinPath(ctrl.path, grp(m, 3) ?? '');
      const rank = rankHealth(lastSegment(local));
      if (rank >= HEALTH_NAMES.length) continue;
      const excluded =
        global !== undefined &&
        new RegExp(`['"\`]/?${local.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?['"\`]`).test(global.exclude);
      const ver = ctrl.neutral ? undefined : (ctrl.ver ?? version);
      const full = joinPath(excluded ? '' : (global?.prefix ?? ''), ver !== undefined ? `v${ver}` : '', local);
      const notes = [
        `@Controller('${ctrl.path}') at ${f.lines.source(f.file, ctrl.at)}`,
        ...(global && !excluded && global.prefix !== '' ? [`global prefix ${global.prefix} at ${global.source}`] : []),
        ...(ver !== undefined ? [`URI version v${ver}`] : []),
      ];
      out.push({ path: full, rank, source: `${f.lines.source(f.file, m.index)} (${notes.join('; ')})` });
    }
  }
  return out;
}

/**
 * Routes of the files @fastify/autoload loads: each folder under the loaded directory is a prefix
 * (its dirNameRoutePrefix default), after the registration's `options.prefix` and before the
 * plugin's own `autoPrefix`; so `routes/health/index.js` with `fastify.get('/')` is `/health`.
 */
function autoloadedRoutes(files: ReadonlyMap<string, FileInfo>): HealthRoute[] {
  const out: HealthRoute[] = [];
  const loads = [...files.values()].flatMap((g) => g.autoloads.map((a) => ({ ...a, g })));
  if (loads.length === 0) return out;
  for (const info of files.values()) {
    const load = loads.find((a) => info.file.startsWith(`${a.dir}/`));
    if (load === undefined) continue;
    const folders = dirname(info.file.slice(load.dir.length + 1));
    for (const r of [...info.routes, ...info.rootRoutes]) {
      const full = joinPath(load.prefix, folders === '.' ? '' : folders, info.autoPrefix ?? '', r.path);
      const rank = rankHealth(lastSegment(full));
      if (rank >= HEALTH_NAMES.length) continue;
      out.push({
        path: full,
        rank,
        source: `${info.lines.source(info.file, r.offset)} (loaded by @fastify/autoload at ${load.g.file}:${load.g.lines.lineAt(load.offset)}: the folders are the prefix)`,
      });
    }
  }
  return out;
}

/** The best health route of a Node app with its full path (router prefixes resolved), or undefined. */
export function nodeHealthRoute(ctx: Ctx, entryFiles: readonly string[]): HealthRoute | undefined {
  const files = new Map<string, FileInfo>();
  for (const f of scanOrder(ctx, CODE, entryFiles, 150)) {
    const info = parseFile(ctx, f);
    if (info) files.set(f, info);
  }
  const found: HealthRoute[] = [...nestRoutes(files)];
  // the first mount of each module (in scan order: entry files first)
  const byModule = new Map<string, { g: FileInfo; m: Mount }>();
  for (const g of files.values())
    for (const m of g.mounts) if (m.module !== undefined && !byModule.has(m.module)) byModule.set(m.module, { g, m });
  found.push(...autoloadedRoutes(files));
  for (const info of files.values()) {
    for (const r of info.routes) {
      const rank = rankHealth(lastSegment(r.path));
      if (rank >= HEALTH_NAMES.length) continue;
      const via: string[] = [];
      const prefix = prefixOf(byModule, info, r.names, 0, via);
      const path = joinPath(prefix, r.path);
      found.push({
        path,
        rank,
        source: `${info.lines.source(info.file, r.offset)}${via.length > 0 ? ` (under ${via.reverse().join(', then ')})` : ''}`,
      });
    }
  }
  let best: HealthRoute | undefined;
  for (const h of found) if (!best || h.rank < best.rank) best = h;
  return best;
}

export interface ListenInfo {
  /** `file:line` where the app binds to localhost only */
  localhostOnly?: { source: string; how: string };
  /** the variable the listen host comes from, with a localhost fallback (we set it to 0.0.0.0) */
  hostEnv?: { name: string; source: string };
}

const HOST_VARS = 'HOST|BIND|BIND_HOST|LISTEN_HOST|SERVER_HOST|APP_HOST|HTTP_HOST|ADDRESS|BIND_ADDRESS|LISTEN_ADDRESS';
/** a quoted loopback host; `n` is the number of its quote group in the whole pattern */
const loopback = (n: number): string => String.raw`(['"\x60])(localhost|127\.0\.0\.1|::1|\[::1\])` + `\\${n}`;

/**
 * Where the app listens: a host read from an environment variable with a loopback fallback (the
 * image sets that variable to 0.0.0.0), or a bind to loopback only (the published port will not
 * answer): an explicit `listen(port, 'localhost')`, `listen({ host: '127.0.0.1' })`, or Fastify's
 * default (`listen({ port })` without a host binds localhost).
 */
export function listenInfo(ctx: Ctx, entryFiles: readonly string[], fastify: boolean): ListenInfo {
  const out: ListenInfo = {};
  for (const f of scanOrder(ctx, CODE, entryFiles, 80)) {
    const raw = ctx.read(f);
    if (raw === undefined) continue;
    const text = blankComments(raw);
    const lines = new LineIndex(raw);
    const pairs = bracketPairs(text);
    if (out.hostEnv === undefined) {
      const m = new RegExp(String.raw`process\.env\.(${HOST_VARS})\s*(?:\|\||\?\?)\s*${loopback(2)}`).exec(text);
      if (m) out.hostEnv = { name: m[1], source: lines.source(f, m.index) };
    }
    if (out.localhostOnly !== undefined) continue;
    for (const m of text.matchAll(/\.\s*listen\s*\(/g)) {
      const args = callArgs(text, pairs, m.index + m[0].length - 1);
      if (args === undefined || args.length === 0) continue;
      const obj = args[0].startsWith('{') ? args[0] : undefined;
      const host = obj !== undefined ? /\bhost\s*:\s*([^,}]+)/.exec(obj)?.[1]?.trim() : args[1];
      const loop = host !== undefined && new RegExp(`^${loopback(1)}$`).test(host);
      const noHost =
        host === undefined ||
        /^(?:function\b|\(|async\b|[A-Za-z_$][\w$]*\s*=>)/.test(host) ||
        (obj !== undefined && !/\bhost\b/.test(obj));
      if (loop) {
        out.localhostOnly = { source: `${f}:${lines.lineAt(m.index)}`, how: `it binds ${host}` };
        break;
      }
      if (fastify && noHost && /fastify/i.test(text)) {
        out.localhostOnly = {
          source: `${f}:${lines.lineAt(m.index)}`,
          how: "Fastify's listen() without a host binds localhost",
        };
        break;
      }
    }
  }
  return out;
}
