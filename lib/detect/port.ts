// Port, health route and data directories, read from code and committed config. Pure.
// `.env` itself is never read (it may hold secrets): only its committed templates.
import type { Fact } from '../core/types.js';
import type { CodeScan } from '../runtimes/profile.js';
import { fact, type Ctx } from './model.js';
import { goPrefixHandoffs, goRoutes } from './routes-go.js';
import { depth, excerpt, isTestPath, lineAt, LineIndex, matchSource } from './text.js';

export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

/** Committed env templates we may read. `.env`, `.env.local`, `.env.production` … never. */
export const ENV_TEMPLATES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults'];

/** Health route names, best first (also read by runtimes that resolve router prefixes). */
export const HEALTH_NAMES = [
  'healthz',
  'livez',
  'health',
  'live',
  'liveness',
  'healthcheck',
  'health-check',
  '_health',
  'readyz',
  'ready',
  'readiness',
  'ping',
  // last: a bare `/status` route answering "OK" is a liveness route in many Express and Koa
  // boilerplates (express-rest-boilerplate's /v1/status, bulletproof-nodejs's /status)
  'status',
];
const HEALTH_RE = new RegExp(
  String.raw`\b(?:get|head|all|route|api_route|add_api_route|add_url_rule|HandleFunc|Handle|handle|GET|HEAD|Get|Head|Any|Route|path|re_path|add_route|use)\s*\(\s*` +
    String.raw`['"\x60](?:(?:GET|HEAD)\s+)?\^?(\/?(?:api\/)?(?:v\d{1,2}\/)?(?:${HEALTH_NAMES.map((n) => n.replace('-', '\\-')).join('|')})\/?)\$?['"\x60]`,
  'g',
);
/** Route tables keyed by path: `{ '/healthz': handler }`, `{"/healthz": lambda q: ...}`. */
const HEALTH_KEY_RE = new RegExp(
  String.raw`['"\x60](\/(?:api\/)?(?:${HEALTH_NAMES.map((n) => n.replace('-', '\\-')).join('|')})\/?)['"\x60]\s*:\s*\S`,
  'g',
);
/** Plain-http routing by comparison: `req.url === '/healthz'`, `r.URL.Path == "/healthz"`, `self.path == "/health"`. */
const HEALTH_CMP_RE = new RegExp(
  String.raw`\b(?:url|pathname|path|Path)\s*(?:===?|\.startsWith\()\s*['"\x60](\/(?:api\/)?(?:${HEALTH_NAMES.map((n) => n.replace('-', '\\-')).join('|')})\/?)['"\x60]`,
  'g',
);

interface Candidate {
  port: number;
  source: string;
}

/** Source files to scan: the entry files first, then the runtime's other non-test sources (bounded). */
export function scanOrder(ctx: Ctx, code: CodeScan, entryFiles: readonly string[], limit = 60): string[] {
  const rest = ctx.files.list
    .filter(
      (f) =>
        code.files.test(f) &&
        !/\.d\.[cm]?ts$/.test(f) &&
        !isTestPath(f) &&
        !entryFiles.includes(f) &&
        !/(?:^|\/)[^/]+\.config\.[cm]?[jt]s$/.test(f),
    )
    .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  return [...entryFiles.filter((f) => ctx.has(f)), ...rest].slice(0, limit);
}

function firstCodePort(lines: LineIndex, res: readonly RegExp[]): { port: number; offset: number } | undefined {
  const text = lines.text;
  let best: { port: number; offset: number } | undefined;
  for (const re of res) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const off = m.index + m[0].indexOf(m[1]);
      // skip commented-out lines
      if (lines.isCommentLine(off)) continue;
      if (!best || off < best.offset) best = { port: Number(m[1]), offset: off };
      break;
    }
  }
  return best;
}

function envTemplateVars(ctx: Ctx): { file: string; line: number; key: string; value: string; text: string }[] {
  const out: { file: string; line: number; key: string; value: string; text: string }[] = [];
  for (const f of ENV_TEMPLATES) {
    const text = ctx.read(f);
    if (text === undefined) continue;
    text.split(/\r?\n/).forEach((l, i) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/.exec(l);
      if (!m) return;
      // the alternatives' groups: undefined for those that did not take part
      const alt: readonly (string | undefined)[] = m;
      out.push({ file: f, line: i + 1, key: m[1], value: alt[2] ?? alt[3] ?? alt[4] ?? '', text: l });
    });
  }
  return out;
}

export interface PortResult {
  port?: Fact<number>;
  healthPath?: Fact<string>;
  dataDirs?: Fact<string[]>;
}

export function detectPortAndRoutes(ctx: Ctx, code: CodeScan, entryFiles: readonly string[]): PortResult {
  const out: PortResult = {};
  const candidates: Candidate[] = [];
  const files = scanOrder(ctx, code, entryFiles);

  // 1. code (entry files first). Of the health routes, the best ranked wins, the first one on a tie
  // (what a stable sort of all of them gave): kept as we go, its source text made only for it.
  let health: { rank: number; path: string; file: string; lines: LineIndex; offset: number } | undefined;
  let debugRoute: string | undefined;
  // Go: prefixes handed across files (r.Mount("/api", api.Routes()), users.Register(v1.Group("/users")))
  const goGiven = new Map<string, string>();
  for (const f of files)
    if (f.endsWith('.go'))
      for (const [k, v] of goPrefixHandoffs(ctx.read(f) ?? '')) if (!goGiven.has(k)) goGiven.set(k, v);
  for (const f of files) {
    const text = ctx.read(f);
    if (text === undefined) continue;
    // one line index per file: every match below looks its line up in O(log n), not O(offset)
    const lines = new LineIndex(text);
    const hit = firstCodePort(lines, code.ports);
    if (hit) candidates.push({ port: hit.port, source: lines.source(f, hit.offset) });
    // Go: registrations with their router prefixes resolved (gin/echo groups, chi Route/Mount, net/http)
    const goFile = f.endsWith('.go');
    if (goFile)
      for (const r of goRoutes(text, goGiven)) {
        const rank = rankHealth(r.path.replace(/\/$/, '').replace(/^.*\//, ''));
        if (rank === HEALTH_NAMES.length || lines.isCommentLine(r.offset)) continue;
        // a debug server's route (its own listener, usually another port) is not the app's
        if (r.debug !== undefined) debugRoute ??= `${lines.source(f, r.offset)} (${r.path}, ${r.debug})`;
        else if (!health || rank < health.rank) health = { rank, path: r.path, file: f, lines, offset: r.offset };
      }
    for (const re of goFile ? [HEALTH_CMP_RE, HEALTH_KEY_RE] : [HEALTH_RE, HEALTH_CMP_RE, HEALTH_KEY_RE]) {
      for (const m of text.matchAll(re)) {
        const off = m.index;
        if (lines.isCommentLine(off)) continue;
        const p = m[1].startsWith('/') ? m[1] : `/${m[1]}`;
        const rank = rankHealth(p.replace(/^\/(?:api\/)?(?:v\d{1,2}\/)?/, '').replace(/\/$/, ''));
        if (!health || rank < health.rank) health = { rank, path: p, file: f, lines, offset: off };
      }
    }
  }
  // 2. Procfile web process
  const procfile = ctx.read('Procfile');
  if (procfile !== undefined) {
    const m = /^web:\s*(.*)$/m.exec(procfile);
    if (m) {
      // the bind host is bounded (a host name is at most 253 characters): an unbounded `\S*?:` was
      // retried from every `-b=` of a long line without ':' (40k of them: 1.1 s, quadratic)
      const pm = /(?:--port[= ]|(?:^|\s)-p\s+|(?:-b|--bind)[= ]\S{0,300}?:)(\d{1,6})\b/.exec(m[1]);
      if (pm)
        candidates.push({ port: Number(pm[1]), source: `Procfile:${lineAt(procfile, m.index)}: ${excerpt(m[0])}` });
    }
  }
  // 3. env templates (never .env)
  const vars = envTemplateVars(ctx);
  const pv = vars.find((v) => /^(?:PORT|HTTP_PORT|APP_PORT|SERVER_PORT)$/.test(v.key) && /^\d{1,6}$/.test(v.value));
  if (pv) candidates.push({ port: Number(pv.value), source: `${pv.file}:${pv.line}: ${excerpt(pv.text)}` });
  // 4. an existing Dockerfile
  for (const df of ['Dockerfile', 'Containerfile']) {
    const text = ctx.read(df);
    const m = text === undefined ? null : /^[ \t]*EXPOSE[ \t]+(\d{1,6})(?:\/tcp)?\b/im.exec(text);
    if (text !== undefined && m) {
      candidates.push({ port: Number(m[1]), source: matchSource(df, text, m.index) });
      break;
    }
  }

  const first = candidates.at(0);
  if (first) {
    if (first.port < MIN_PORT || first.port > MAX_PORT) {
      ctx.note(
        `port ${first.port} found (${first.source}) is not proposed: ${first.port < MIN_PORT ? `below ${MIN_PORT} (a privileged port; the app must listen on an unprivileged one)` : `above ${MAX_PORT}`}`,
      );
    } else {
      const others = [
        ...new Set(
          candidates
            .slice(1)
            .map((c) => c.port)
            .filter((p) => p !== first.port),
        ),
      ];
      out.port = fact(
        first.port,
        others.length > 0 ? `${first.source} (also seen: ${others.join(', ')})` : first.source,
      );
    }
  }

  if (health) out.healthPath = fact(health.path, health.lines.source(health.file, health.offset));
  else if (debugRoute !== undefined)
    ctx.note(
      `${debugRoute}: a health route of a debug server, which usually listens on a port of its own: not used for the HEALTHCHECK on the app's port (pass --health-path if the app serves it there)`,
    );

  // data directories: only what a committed env template states, as absolute clean paths
  const dirs = vars.filter(
    (v) =>
      /(?:^|_)(?:DATA|STORAGE|UPLOADS?|MEDIA|STATE)_?(?:DIR|PATH|ROOT|DIRECTORY)$/.test(v.key) || v.key === 'DATA_DIR',
  );
  const good = dirs.filter(
    (v) =>
      /^\/[A-Za-z0-9._/-]*$/.test(v.value) &&
      !v.value.split('/').some((s) => s === '..' || s === '.') &&
      v.value !== '/',
  );
  for (const v of dirs)
    if (!good.includes(v))
      ctx.note(`${v.file}:${v.line}: ${v.key} is not a clean absolute path; not proposed as a data directory`);
  if (good.length > 0) {
    const values = [...new Set(good.map((v) => v.value.replace(/\/+$/, '')))].sort();
    out.dataDirs = fact(values, good.map((v) => `${v.file}:${v.line}: ${v.key}`).join(', '));
  }
  return out;
}

/** Rank of a route's last segment among HEALTH_NAMES (lower is better; not a health name: HEALTH_NAMES.length). */
export function rankHealth(name: string): number {
  const i = HEALTH_NAMES.indexOf(name);
  return i === -1 ? HEALTH_NAMES.length : i;
}
