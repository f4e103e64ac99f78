// GET routes registered in one Go file, with their router prefixes resolved (issue 10 item 6), for
// the health-route search in ./port.ts:
//   gin / echo / fiber groups   v1 := r.Group("/api/v1"); v1.GET("/health", h)
//   gorilla/mux subrouters      s := r.PathPrefix("/api").Subrouter(); s.HandleFunc("/health", h)
//   chi                         r.Route("/api", func(r chi.Router) { r.Get("/health", h) })
//                               r.Mount("/api", apiRouter())  /  r.Mount("/api", sub)
//   net/http                    mux.HandleFunc("GET /debug/readiness", h)
// Within one file only (a group handed to another package's function is not followed). Linear:
// one pass for the braces, one per pattern, and each lookup is bounded. Pure; no I/O.

export interface GoRoute {
  /** the full path, prefixes included, e.g. "/api/v1/health" */
  path: string;
  /** offset of the registration in the file */
  offset: number;
  /**
   * set when the route is registered on a debug server (a receiver or enclosing function named
   * "debug…", e.g. `func DebugMux`): such servers usually listen on their own port, so the route
   * does not answer on the app's port
   */
  debug?: string;
}

/** Matching closing brace of every `{`, skipping strings, runes and comments (one pass). */
function braces(text: string): Map<number, number> {
  const close = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = e === -1 ? text.length : e;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e === -1 ? text.length : e + 1;
    } else if (c === '`') {
      const e = text.indexOf('`', i + 1);
      i = e === -1 ? text.length : e;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '{') stack.push(i);
    else if (c === '}') {
      const o = stack.pop();
      if (o !== undefined) close.set(o, i);
    }
  }
  return close;
}

/** "/api" + "/health" -> "/api/health"; "/api/ping" + "/" -> "/api/ping/"; "" + "health" -> "/health". */
function join(...parts: string[]): string {
  const s = parts.filter((p) => p !== '').join('/');
  return ('/' + s).replace(/\/{2,}/g, '/');
}

interface Def {
  name: string;
  parent: string;
  prefix: string;
  offset: number;
  /** group: defined here, used after; mount: given its prefix by a Mount anywhere in its scope; reset: re-assigned without a prefix */
  kind: 'group' | 'mount' | 'reset';
}

interface Range {
  start: number;
  end: number;
  receiver: string;
  prefix: string;
  offset: number;
  /**
   * closure: chi Route's func literal (its call is just before it); function: a router function
   * mounted in this file; given: a function handed a prefix from another file (the prefix is complete)
   */
  kind: 'closure' | 'function' | 'given';
}

const STR = String.raw`"([^"\n]*)"`;
/** `v1 := r.Group("/api")`, `s := r.PathPrefix("/api").Subrouter()`, `api := app.Party("/api")` */
const GROUP_DEF = new RegExp(String.raw`\b(\w+)\s*:?=\s*(\w+)\.(?:Group|PathPrefix|Party)\(\s*${STR}`, 'g');
/** `r.Mount("/api", sub)`: the variable sub gets the prefix */
const MOUNT_VAR = new RegExp(String.raw`\b(\w+)\.Mount\(\s*${STR}\s*,\s*(\w+)\s*\)`, 'g');
/** `r.Mount("/api", apiRouter())` / `r.Mount("/api", a.routes())`: the function's body gets the prefix */
const MOUNT_CALL = new RegExp(String.raw`\b(\w+)\.Mount\(\s*${STR}\s*,\s*(?:\w+\.)?(\w+)\(`, 'g');
/** `users.Register(v1.Group("/users"))`, `api.Routes(e.Group("/api"))`: the function registers on the group */
const GROUP_ARG = new RegExp(
  String.raw`\b(?:\w+\.)?(\w+)\(\s*(\w+)\.(?:Group|PathPrefix)\(\s*${STR}\s*\)(?:\.Subrouter\(\))?\s*[,)]`,
  'g',
);
/** `r.Route("/api", func(r chi.Router) {`: the closure gets the prefix */
const ROUTE_FN = new RegExp(String.raw`\b(\w+)\.Route\(\s*${STR}\s*,\s*func\s*\(`, 'g');
/**
 * A GET-able registration: gin/echo/fiber GET/Get/Any/Handle, chi Get/Handle/HandleFunc/Method,
 * gorilla HandleFunc, net/http Handle/HandleFunc ("GET /x" patterns), with an optional chained
 * `.Group("/p")` / `.PathPrefix("/p").Subrouter()` before it. Group 1 receiver, 2 the chain, 3 the path.
 */
const ROUTE = new RegExp(
  String.raw`\b(\w+)((?:\.(?:Group|PathPrefix)\(\s*"[^"\n]*"\s*\)(?:\.Subrouter\(\))?)*)\.(?:GET|HEAD|Any|Get|Head|All|Handle|HandleFunc|Method|MethodFunc)\(\s*(?:http\.Method(?:Get|Head)\s*,\s*|"(?:GET|HEAD)"\s*,\s*)?${STR}`,
  'g',
);
const CHAIN_PART = /"([^"\n]*)"/g;
/** Nesting followed through prefix variables (a chain longer than this is cut). */
const MAX_HOPS = 8;

/** Index of the last element of a sorted list with offset < at (-1 when none). */
function lastBefore(list: readonly { offset: number }[], at: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].offset < at) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Closures and mounted functions followed per file (more are ignored: a bound on the work per route). */
const MAX_RANGES = 256;

/** Router-building calls that hand a function a prefix: function name -> the full prefix at the call. */
export type GoPrefixHandoffs = ReadonlyMap<string, string>;

const NOT_HANDOFF = /^(?:Group|PathPrefix|Party|Mount|Route|Use|With|Handle|HandleFunc|GET|Get|POST|Post|Any)$/;

function analyze(text: string, given: GoPrefixHandoffs) {
  const defs: Def[] = [];
  for (const m of text.matchAll(GROUP_DEF))
    defs.push({ name: m[1], parent: m[2], prefix: m[3], offset: m.index, kind: 'group' });
  for (const m of text.matchAll(MOUNT_VAR))
    defs.push({ name: m[3], parent: m[1], prefix: m[2], offset: m.index, kind: 'mount' });
  const names = [...new Set(defs.map((d) => d.name))].filter((n) => /^\w+$/.test(n));
  if (names.length > 0) {
    // a prefixed variable assigned anew (`r := gin.New()` in another function) carries no prefix there
    const reassign = new RegExp(
      String.raw`\b(${names.slice(0, 200).join('|')})\s*:?=(?!=)(?!\s*\w+\.(?:Group|PathPrefix|Party)\()`,
      'g',
    );
    for (const m of text.matchAll(reassign))
      defs.push({ name: m[1], parent: m[1], prefix: '', offset: m.index, kind: 'reset' });
  }
  const byName = new Map<string, { all: Def[]; resets: Def[]; mounts: Def[] }>();
  for (const d of defs.sort((a, b) => a.offset - b.offset)) {
    let e = byName.get(d.name);
    if (!e) byName.set(d.name, (e = { all: [], resets: [], mounts: [] }));
    if (d.kind !== 'mount') e.all.push(d);
    if (d.kind === 'reset') e.resets.push(d);
    if (d.kind === 'mount') e.mounts.push(d);
  }
  /**
   * The prefix a variable carries at an offset: its latest group definition before it, unless
   * re-assigned since; else a Mount of it anywhere between the assignments around it.
   */
  const varPrefix = (name: string, at: number, hops = 0): string => {
    const e = byName.get(name);
    if (!e || hops > MAX_HOPS) return '';
    const i = lastBefore(e.all, at);
    const d = i >= 0 ? e.all[i] : undefined;
    if (d !== undefined && d.kind === 'group')
      return join(d.parent === name ? '' : varPrefix(d.parent, d.offset, hops + 1), d.prefix);
    const from = d?.offset ?? -1;
    const next = e.resets[lastBefore(e.resets, at + 1) + 1]?.offset ?? Number.POSITIVE_INFINITY;
    const mount = e.mounts.find((x) => x.offset > from && x.offset < next);
    return mount
      ? join(mount.parent === name ? '' : varPrefix(mount.parent, mount.offset, hops + 1), mount.prefix)
      : '';
  };

  const close = braces(text);
  const funcRe = (name: string): RegExp => new RegExp(String.raw`^func\s+(?:\([^)\n]*\)\s*)?${name}\s*\(`, 'm');
  const ranges: Range[] = [];
  const bodyAfter = (from: number): { start: number; end: number } | undefined => {
    const open = text.indexOf('{', from);
    const end = open === -1 ? undefined : close.get(open);
    return end === undefined ? undefined : { start: open, end };
  };
  for (const m of text.matchAll(ROUTE_FN)) {
    if (ranges.length >= MAX_RANGES) break;
    const b = bodyAfter(m.index + m[0].length);
    if (b) ranges.push({ ...b, receiver: m[1], prefix: m[2], offset: m.index, kind: 'closure' });
  }
  for (const m of text.matchAll(MOUNT_CALL)) {
    if (ranges.length >= MAX_RANGES) break;
    const fn = funcRe(m[3]).exec(text);
    const b = fn ? bodyAfter(fn.index + fn[0].length) : undefined;
    if (b) ranges.push({ ...b, receiver: m[1], prefix: m[2], offset: m.index, kind: 'function' });
  }
  // functions of this file that another file hands a prefix (mounts it, or passes it a group)
  const mountedHere = new Set([...text.matchAll(MOUNT_CALL)].map((m) => m[3]));
  for (const [name, prefix] of given) {
    if (ranges.length >= MAX_RANGES) break;
    if (mountedHere.has(name)) continue; // its Mount is in this file: a 'function' range already
    const fn = funcRe(name).exec(text);
    const b = fn ? bodyAfter(fn.index + fn[0].length) : undefined;
    if (b) ranges.push({ ...b, receiver: '', prefix, offset: b.start, kind: 'given' });
  }
  ranges.sort((a, b) => a.start - b.start);
  const outsideMemo = new Map<Range, string>();
  /** prefixes of the closures/functions around an offset, outermost first */
  const rangePrefix = (at: number, hops = 0): string => {
    if (hops > MAX_HOPS) return '';
    let out = '';
    for (const r of ranges) {
      if (r.start >= at) break;
      if (at >= r.end) continue;
      // a mounted function: the prefixes around its Mount call come first
      let outside = '';
      if (r.kind === 'function') {
        const known = outsideMemo.get(r);
        outside = known ?? rangePrefix(r.offset, hops + 1);
        if (known === undefined) outsideMemo.set(r, outside);
      }
      out = r.kind === 'given' ? join(out, r.prefix) : join(out, outside, varPrefix(r.receiver, r.offset), r.prefix);
    }
    return out;
  };

  /** prefixes this file hands to functions: Mount of a function call, a group passed as an argument */
  const handoffs = (): Map<string, string> => {
    const out = new Map<string, string>();
    for (const m of text.matchAll(MOUNT_CALL))
      if (!NOT_HANDOFF.test(m[3])) out.set(m[3], join(rangePrefix(m.index), varPrefix(m[1], m.index), m[2]));
    for (const m of text.matchAll(GROUP_ARG))
      if (!NOT_HANDOFF.test(m[1])) out.set(m[1], join(rangePrefix(m.index), varPrefix(m[2], m.index), m[3]));
    return out;
  };

  // the top-level function around each registration (for debug servers): one pass, then binary search
  const funcs = [...text.matchAll(/^func\s+(?:\([^)\n]*\)\s*)?(\w+)/gm)].map((m) => ({ offset: m.index, name: m[1] }));
  const routes = (): GoRoute[] => {
    const out: GoRoute[] = [];
    for (const m of text.matchAll(ROUTE)) {
      const raw = m[3].replace(/^(?:GET|HEAD)\s+/, '');
      if (!raw.startsWith('/') && raw !== '') continue;
      const chain = [...m[2].matchAll(CHAIN_PART)].map((c) => c[1]);
      const path = join(rangePrefix(m.index), varPrefix(m[1], m.index), ...chain, raw);
      const i = lastBefore(funcs, m.index);
      const fn = i >= 0 ? funcs[i].name : undefined;
      const debug = /debug/i.test(m[1])
        ? `on ${m[1]}`
        : fn !== undefined && /debug/i.test(fn)
          ? `in func ${fn}`
          : undefined;
      out.push({
        path: raw.endsWith('/') && path !== '/' && !path.endsWith('/') ? `${path}/` : path,
        offset: m.index,
        ...(debug !== undefined ? { debug } : {}),
      });
    }
    return out;
  };
  return { routes, handoffs };
}

const ROUTE_HINT = /\.(?:GET|Get|Any|All|Handle|HandleFunc|Method|MethodFunc|HEAD|Head)\(/;

/**
 * Every GET-able route of a Go file with its resolved path; `given`: prefixes other files hand to
 * functions of this one (goPrefixHandoffs of those files).
 */
export function goRoutes(text: string, given: GoPrefixHandoffs = new Map()): GoRoute[] {
  return ROUTE_HINT.test(text) ? analyze(text, given).routes() : [];
}

/** The prefixes a Go file hands to functions, possibly defined in other files (pass them to goRoutes). */
export function goPrefixHandoffs(text: string): Map<string, string> {
  return /\.(?:Mount|Group|PathPrefix)\(/.test(text)
    ? analyze(text, new Map<string, string>()).handoffs()
    : new Map<string, string>();
}
