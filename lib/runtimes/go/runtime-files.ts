// Go: files the binary reads from its working directory at run time (templates, static assets,
// configuration, SQL migrations). Without them in the image a gin app panics at start
// (`LoadHTMLGlob` finds no template) and a file server answers 404. Found as data: a table of
// call patterns whose STRING LITERAL argument is a path, scanned (linear regexes, bounded reads)
// in the main package and the packages of the same module it imports. A path is kept only when
// it stays inside the repository, exists there, is not embedded (`//go:embed`) and is not kept
// out of the build context (.dockerignore); the image copies it to /app, owned by root (P5).
import type { Ctx } from '../../detect/model.js';
import { dirname, excerpt, LineIndex } from '../../detect/text.js';
import { secretMatcher } from '../../policy/context.js';

/** One call whose argument names a path: group 1 of `re` is the string literal's content. */
export interface RuntimeFileCall {
  /** what reads the path (for the source text and the tests) */
  what: string;
  re: RegExp;
}

/** A string literal followed by the end of the argument (`,` or `)`): not `"static" + dir`. */
const LIT = '"([^"\\n\\\\]{1,200})"(?=\\s*[,)])';
/** A string literal argument that is skipped (a URL prefix, a route). */
const ANY = '"[^"\\n]{0,200}"\\s*,\\s*';

/** The call table: frameworks and the standard library (receiver names vary, so `.Method(`). */
export const RUNTIME_FILE_CALLS: readonly RuntimeFileCall[] = [
  // gin: router.LoadHTMLGlob("templates/*"), router.LoadHTMLFiles("templates/a.html")
  { what: 'LoadHTMLGlob', re: new RegExp(`\\.LoadHTMLGlob\\(\\s*${LIT}`, 'g') },
  { what: 'LoadHTMLFiles', re: new RegExp(`\\.LoadHTMLFiles\\(\\s*${LIT}`, 'g') },
  // gin/echo/fiber: r.Static("/static", "static"), e.Static("/", "public"), app.Static("/", "./public")
  { what: 'Static', re: new RegExp(`\\.Static\\(\\s*${ANY}${LIT}`, 'g') },
  // gin: r.StaticFile("/favicon.ico", "./resources/favicon.ico"); echo: e.File("/", "public/index.html")
  { what: 'StaticFile', re: new RegExp(`\\.StaticFile\\(\\s*${ANY}${LIT}`, 'g') },
  { what: 'File', re: new RegExp(`\\.File\\(\\s*(?:${ANY})?${LIT}`, 'g') },
  // net/http: http.FileServer(http.Dir("./static")), http.ServeFile(w, r, "static/index.html")
  { what: 'http.Dir', re: new RegExp(`\\bhttp\\.Dir\\(\\s*${LIT}`, 'g') },
  {
    what: 'http.ServeFile',
    re: new RegExp(`\\bhttp\\.ServeFile\\(\\s*[\\w.]{1,40}\\s*,\\s*[\\w.]{1,40}\\s*,\\s*${LIT}`, 'g'),
  },
  // html/template, text/template: template.ParseGlob("templates/*"), template.ParseFiles("a.html"),
  // template.New("x").ParseGlob(…), template.Must(template.ParseFiles(…))
  { what: 'ParseGlob', re: new RegExp(`\\.ParseGlob\\(\\s*${LIT}`, 'g') },
  { what: 'ParseFiles', re: new RegExp(`\\.ParseFiles\\(\\s*${LIT}`, 'g') },
  // fiber template engines: html.New("./views", ".html") (and its siblings)
  {
    what: 'template engine',
    re: new RegExp(
      `\\b(?:html|django|pug|handlebars|mustache|amber|jet|ace|slim)\\.New(?:FileSystem)?\\(\\s*${LIT}`,
      'g',
    ),
  },
  // configuration: viper.AddConfigPath("./config"), viper.SetConfigFile("config.yaml")
  { what: 'AddConfigPath', re: new RegExp(`\\.AddConfigPath\\(\\s*${LIT}`, 'g') },
  { what: 'SetConfigFile', re: new RegExp(`\\.SetConfigFile\\(\\s*${LIT}`, 'g') },
  // plain reads: os.ReadFile("config.yaml"), ioutil.ReadFile, os.Open, os.ReadDir
  { what: 'os read', re: new RegExp(`\\b(?:os|ioutil)\\.(?:ReadFile|Open|ReadDir)\\(\\s*${LIT}`, 'g') },
  // SQL migrations (golang-migrate): migrate.New("file://migrations", …)
  { what: 'file:// source', re: /"file:\/\/([^"\n\\]{1,200})"/g },
];

/** Scan bounds: files read, bytes per file. */
export const MAX_SCAN_FILES = 200;
export const MAX_SCAN_BYTES = 256 * 1024;

export interface RuntimeFilesFound {
  /** `templates/` (a directory keeps its slash) or `config.yaml`, relative to the repository root */
  paths: string[];
  /** file:line: excerpt of the call that named each path, in the order of `paths` */
  sources: string[];
  /**
   * calls whose path is not in the repository root but next to the calling package (`go run .`
   * in a subdirectory): nothing is copied, the plan says where the path would resolve
   */
  elsewhere: string[];
}

/** The go tool skips these directories (vendor, testdata, `_x`, `.x`). */
function ignoredByGo(f: string): boolean {
  return f
    .split('/')
    .slice(0, -1)
    .some((s) => s === 'vendor' || s === 'testdata' || s.startsWith('_') || s.startsWith('.'));
}

/** Import paths of a Go file (single imports and import blocks). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s*\(([^)]{0,20000})\)/gm))
    for (const q of m[1].matchAll(/"([^"\n]{1,300})"/g)) out.push(q[1]);
  for (const m of text.matchAll(/^import\s+(?:[\w.]{1,60}\s+)?"([^"\n]{1,300})"/gm)) out.push(m[1]);
  return out;
}

/** The first segments `//go:embed` patterns of one file cover (`all:static/*` -> `static`). */
function embeddedRoots(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\/\/go:embed[ \t]([^\n]{1,500})/gm))
    for (const w of m[1].trim().split(/[ \t]+/)) {
      const p = w.replace(/^"|"$/g, '').replace(/^`|`$/g, '').replace(/^all:/, '').replace(/^\.\//, '');
      const first = p.split('/')[0];
      if (first !== '' && first !== '.') out.push(first);
    }
  return out;
}

/**
 * A literal path -> what to copy, relative to the working directory (/app, the repository root
 * at build time): its first segment, a directory when more follows or the repository has a
 * directory of that name. Undefined for an absolute path, `..`, `~`, a variable expansion, a
 * glob in the first segment or the working directory itself.
 */
export function runtimePathOf(raw: string): { name: string; more: boolean } | undefined {
  if (raw.startsWith('/') || raw.startsWith('~') || /[$%{}\\]/.test(raw)) return undefined;
  const segs = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.length === 0 || segs.some((s) => s === '..')) return undefined;
  const name = segs[0];
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(name)) return undefined;
  return { name, more: segs.length > 1 };
}

/**
 * The Go files to scan: the main package's, then (breadth first) those of the packages it imports
 * from the same module, at most MAX_SCAN_FILES.
 */
function scanSet(ctx: Ctx, mainDir: string, module: string | undefined): string[] {
  const byDir = new Map<string, string[]>();
  for (const f of ctx.files.list) {
    if (!f.endsWith('.go') || f.endsWith('_test.go') || ignoredByGo(f)) continue;
    const d = dirname(f);
    const l = byDir.get(d);
    if (l) l.push(f);
    else byDir.set(d, [f]);
  }
  const out: string[] = [];
  const seen = new Set<string>([mainDir]);
  const queue = [mainDir];
  while (queue.length > 0 && out.length < MAX_SCAN_FILES) {
    const dir = queue.shift() ?? '.';
    for (const f of byDir.get(dir) ?? []) {
      if (out.length >= MAX_SCAN_FILES) break;
      out.push(f);
      if (module === undefined) continue;
      const text = ctx.read(f);
      if (text === undefined) continue;
      for (const imp of importsOf(text.slice(0, MAX_SCAN_BYTES))) {
        if (!imp.startsWith(`${module}/`)) continue;
        const d = imp.slice(module.length + 1);
        if (!seen.has(d) && byDir.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
  }
  return out;
}

/**
 * Paths the binary reads at run time, relative to its working directory (the repository root at
 * build time, /app in the image). `mainDir` is the main package's directory (`.` or `cmd/api`).
 */
export function findRuntimeFiles(ctx: Ctx, mainDir: string, module: string | undefined): RuntimeFilesFound {
  const files = scanSet(ctx, mainDir, module);
  const dirs = new Set<string>();
  for (const f of ctx.files.list) if (f.includes('/')) dirs.add(f.slice(0, f.indexOf('/')));
  const secret = secretMatcher('go');
  // the Go profile's own .dockerignore lines that could hide a top-level path (kept in step with profile.ts)
  const ignored = (name: string): boolean => name === 'bin' || name === 'vendor' || /\.(?:test|out)$/.test(name);
  const embedded = new Map<string, Set<string>>();
  const found = new Map<string, string>();
  const elsewhere: string[] = [];
  for (const f of files) {
    const full = ctx.read(f);
    if (full === undefined) continue;
    const text = full.slice(0, MAX_SCAN_BYTES);
    const dir = dirname(f);
    let roots = embedded.get(dir);
    if (roots === undefined) embedded.set(dir, (roots = new Set()));
    for (const r of embeddedRoots(text)) roots.add(r);
    if (!/Glob|Files?\(|Static|Dir\(|Parse|\.New|Config|ReadFile|Open\(|ReadDir|file:\/\//.test(text)) continue;
    const lines = new LineIndex(text);
    for (const call of RUNTIME_FILE_CALLS)
      for (const m of text.matchAll(call.re)) {
        if (lines.isCommentLine(m.index)) continue;
        const p = runtimePathOf(m[1]);
        if (p === undefined) continue;
        const isDir = p.more || dirs.has(p.name);
        const key = isDir ? `${p.name}/` : p.name;
        if (found.has(key)) continue;
        if (isDir ? !dirs.has(p.name) : !ctx.has(p.name)) {
          const near = `${dir}/${p.name}`;
          if (dir !== '.' && elsewhere.length < 4 && ctx.files.list.some((x) => x === near || x.startsWith(`${near}/`)))
            elsewhere.push(
              `${lines.source(f, m.index)}: ${excerpt(m[1])} is relative to the working directory (/app in the image), but the repository has it at ${near}, not at its root: nothing is copied; the app must find it some other way (an absolute path or //go:embed)`,
            );
          continue;
        }
        if (ignored(p.name) || secret(p.name) || (isDir && secret(`${p.name}/x`))) continue;
        found.set(key, lines.source(f, m.index));
      }
  }
  // embedded in the same package: compiled into the binary, nothing to copy
  const paths: string[] = [];
  const sources: string[] = [];
  for (const [key, source] of found) {
    const dir = dirname(source.slice(0, source.indexOf(':')));
    if (embedded.get(dir)?.has(key.replace(/\/$/, ''))) continue;
    paths.push(key);
    sources.push(source);
  }
  return { paths, sources, elsewhere };
}
