// Go detection: go.mod (module, go directive, toolchain, requirements), the main package, cgo,
// vendored dependencies and embedded-database files on the read-only root. Pure: reads through ctx.
import type { Fact } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { basename, depth, dirname, dnsLabel, isTestPath, LineIndex } from '../../detect/text.js';
import { compareDotted, goReleaseFor, supportedVersions } from '../../detect/versions.js';
import { GO_VERSIONS } from './versions.js';
import { findRuntimeFiles } from './runtime-files.js';

export interface GoRequire {
  path: string;
  version: string;
  indirect: boolean;
}

export interface GoMod {
  module?: string;
  go?: string;
  toolchain?: string;
  require: GoRequire[];
}

/** The few go.mod directives we need (comments and blocks tolerated). */
export function parseGoMod(text: string): GoMod {
  const out: GoMod = { require: [] };
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (block !== undefined) {
      if (line === ')') block = undefined;
      else if (block === 'require') {
        const m = /^"?([^\s"]+)"?\s+(\S+)$/.exec(line);
        if (m) out.require.push({ path: m[1], version: m[2], indirect });
      }
      continue;
    }
    const open = /^(\w+)\s*\($/.exec(line);
    if (open) {
      block = open[1];
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^module\s+"?([^\s"]+)"?$/.exec(line))) out.module = m[1];
    else if ((m = /^go\s+(\d+\.\d+(?:\.\d+)?(?:rc\d+|beta\d+)?)$/.exec(line))) out.go = m[1];
    else if ((m = /^toolchain\s+go(\d+\.\d+(?:\.\d+)?(?:rc\d+|beta\d+)?)$/.exec(line))) out.toolchain = m[1];
    else if ((m = /^require\s+"?([^\s"]+)"?\s+(\S+)$/.exec(line)))
      out.require.push({ path: m[1], version: m[2], indirect });
  }
  return out;
}

/** "1.22.3" -> "1.22"; undefined when not a Go release. */
function release(v: string): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** Last path element of a module path, skipping a major-version suffix: "example.com/x/api/v2" -> "api". */
export function moduleBaseName(mod: string): string {
  const parts = mod.split('/').filter((p) => p.length > 0);
  let last = parts[parts.length - 1] ?? mod;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last;
}

/** Every Go release the profile can build with, oldest first (one list: ./versions.ts). */
export const GO_SUPPORTED: readonly string[] = supportedVersions(GO_VERSIONS);

/**
 * The Go release to build with (issue 10 item 1): a toolchain line newer than the go directive is
 * a pin (kept as it is); the go directive is a minimum (any newer Go builds the module), so the
 * newest supported release; a directive newer than every supported release is proposed as it is,
 * with a note (the answers layer then refuses it, naming --runtime-version).
 */
export function goRuntimeVersion(mod: GoMod, note: (t: string) => void): Fact<string> | undefined {
  const g = mod.go !== undefined ? release(mod.go) : undefined;
  const t = mod.toolchain !== undefined ? release(mod.toolchain) : undefined;
  const list = GO_SUPPORTED.join(', ');
  if (t !== undefined && (g === undefined || compareDotted(t, g) > 0)) {
    const src = [mod.go !== undefined ? `go ${mod.go}` : '', `toolchain go${mod.toolchain ?? ''}`]
      .filter(Boolean)
      .join(', ');
    if (!GO_SUPPORTED.includes(t)) note(`go.mod: toolchain go${mod.toolchain ?? ''} is not a supported Go (${list})`);
    return fact(t, `go.mod: ${src} (the toolchain line pins the newer release)`);
  }
  const minimum = g ?? '1.16';
  const pick = goReleaseFor(minimum, GO_SUPPORTED);
  const read = mod.go !== undefined ? `go ${mod.go}` : 'no go directive (Go 1.16 semantics)';
  const toolchain = mod.toolchain !== undefined ? `, toolchain go${mod.toolchain} (not newer: ignored)` : '';
  if (pick.satisfying.length === 0) {
    note(
      `go.mod: go ${mod.go ?? ''} needs Go ${minimum} or newer, and the newest supported is ${GO_SUPPORTED.at(-1) ?? ''}: pass --runtime-version only if the module builds with it`,
    );
    return fact(minimum, `go.mod: ${read}${toolchain} (a minimum newer than every supported Go: ${list})`);
  }
  return fact(
    pick.version ?? minimum,
    `go.mod: ${read}${toolchain} (a minimum: any newer Go builds it, so the newest supported, of ${list})`,
  );
}

// ---------------------------------------------------------------- the main package

const PACKAGE_CLAUSE = /^package\s+(\w+)/m;
/** `//go:build ignore` (or the old `// +build ignore`): a generator script, never part of the package. */
const BUILD_IGNORE = /^\/\/(?:go:build|\s*\+build)\s+(?:.*\s)?ignore\b/m;
/** Directories that hold tools, examples or tests rather than the app: a main there is a last resort. */
const TOOLING =
  /^(?:tools?|tooling|scripts?|hack|examples?|_examples?|samples?|demos?|tests?|testdata|e2e|integration|benchmarks?|bench|docs?|gen|generate|generators?|codegen|migrations?|migrate|seeds?|fixtures?|mocks?|third_party|contrib|deploy|deployments?|ci|admin|cli|ctl)$/i;
const SERVERISH = /(?:^|[-_])(?:api|server|srv|web|http|app|svc|service|gateway|backend|serve)(?:$|[-_])/i;
/** Bounds of the main-package search: directories looked at, files read. */
const MAX_DIRS = 2000;
const MAX_READS = 2000;

interface Candidate {
  dir: string;
  /** see RANK_WHY */
  rank: number;
}

const RANK_WHY = [
  "the module's server or daemon name",
  'named after the module',
  'a server-like name',
  'first by depth and name',
  'only tools or examples have one',
];

function rankDir(dir: string, base: string | undefined): number {
  const segs = dir.split('/');
  const last = segs[segs.length - 1];
  if (segs.some((s) => TOOLING.test(s))) return 4;
  // cmd/wtfd next to cmd/wtf: the daemon is the server, the other the client
  if (base !== undefined && [`${base}d`, `${base}-server`, `${base}server`, `${base}-api`].includes(last)) return 0;
  if (base !== undefined && last === base) return 1;
  return SERVERISH.test(last) ? 2 : 3;
}

/** Non-test .go files per directory, in one pass over the listing. */
function goDirs(ctx: Ctx): Map<string, string[]> {
  const dirs = new Map<string, string[]>();
  for (const f of ctx.files.list) {
    if (!f.endsWith('.go') || f.endsWith('_test.go')) continue;
    const d = dirname(f);
    if (
      d !== '.' &&
      d.split('/').some((s) => s === 'vendor' || s === 'testdata' || s.startsWith('_') || s.startsWith('.'))
    )
      continue;
    const list = dirs.get(d);
    if (list) list.push(f);
    else if (dirs.size < MAX_DIRS) dirs.set(d, [f]);
  }
  return dirs;
}

/**
 * The package a directory holds, from its first file that is not `//go:build ignore` (a generator
 * script in a library directory says `package main` too). One or two reads per directory.
 */
function packageOf(ctx: Ctx, files: string[], budget: { reads: number }): string | undefined {
  const sorted = [...files].sort((a, b) =>
    basename(a) === 'main.go' ? -1 : basename(b) === 'main.go' ? 1 : a < b ? -1 : 1,
  );
  for (const f of sorted) {
    if (budget.reads <= 0) return undefined;
    budget.reads--;
    const text = ctx.read(f);
    if (text === undefined || BUILD_IGNORE.test(text)) continue;
    return PACKAGE_CLAUSE.exec(text)?.[1];
  }
  return undefined;
}

interface MainChoice {
  pkg: string;
  bin: string | undefined;
  source: string;
  /** set when several main packages compete and the choice is a heuristic */
  guess?: string;
  alternatives: string[];
}

/**
 * The main package: the root, else cmd/<name>, else any other directory (bounded: at most
 * MAX_DIRS directories and MAX_READS reads, one pass over the listing). Within a tier, a directory
 * named after the module wins, then a server-like name (api, server, web …), then a plain one,
 * then one under tools/examples/tests; the source names the alternatives.
 */
function findMain(ctx: Ctx, mod: GoMod): MainChoice | undefined {
  const dirs = goDirs(ctx);
  const budget = { reads: MAX_READS };
  const isMain = (d: string): boolean => {
    const files = dirs.get(d);
    return files !== undefined && packageOf(ctx, files, budget) === 'main';
  };
  const base = mod.module !== undefined ? moduleBaseName(mod.module) : undefined;
  if (isMain('.')) {
    return { pkg: '.', bin: base, source: 'package main in the repository root', alternatives: [] };
  }
  const order = (a: Candidate, b: Candidate): number =>
    a.rank - b.rank || depth(a.dir) - depth(b.dir) || (a.dir < b.dir ? -1 : 1);
  const cmd = [...dirs.keys()]
    .filter((d) => /^cmd\/[^/]+$/.test(d))
    .filter(isMain)
    .map((dir) => ({ dir, rank: rankDir(dir.slice(4), base) }))
    .sort(order);
  let tier: Candidate[] = cmd;
  if (tier.length === 0) {
    // directories with a main.go first (one read each): only when none is a main package are the
    // others read, so many library packages cannot use up the read budget before a deep main.go
    const rest = [...dirs.keys()]
      .filter((d) => d !== '.' && !/^cmd\/[^/]+$/.test(d) && !isTestPath(`${d}/x.go`))
      .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
    const hasMainGo = (d: string): boolean => (dirs.get(d) ?? []).some((f) => basename(f) === 'main.go');
    const first = rest.filter(hasMainGo).filter(isMain);
    tier = (first.length > 0 ? first : rest.filter((d) => !hasMainGo(d)).filter(isMain))
      .map((dir) => ({ dir, rank: rankDir(dir, base) }))
      .sort(order);
  }
  const best = tier.at(0);
  if (!best) return undefined;
  const others = tier.slice(1).map((c) => c.dir);
  const where = cmd.length > 0 ? '' : ' (not in the root or cmd/)';
  const why = RANK_WHY[best.rank];
  const source =
    others.length > 0
      ? `${best.dir}: package main${where}; chosen of ${tier.length} (${why}); alternatives: ${others.slice(0, 6).join(', ')}${others.length > 6 ? ', …' : ''}`
      : `${best.dir}: package main${where}`;
  const runnerUp = tier.at(1);
  const guess =
    runnerUp !== undefined && best.rank > 1
      ? `${tier.length} main packages (${tier.map((c) => c.dir).join(', ')}); ${best.dir} has ${why}`
      : undefined;
  return { pkg: `./${best.dir}`, bin: basename(best.dir), source, alternatives: others, ...(guess ? { guess } : {}) };
}

// ---------------------------------------------------------------- cgo

/** Modules that need cgo to build (and what for); `lib`: a shared library the final image must also have. */
const CGO_MODULES: readonly { path: string; what: string; lib?: string }[] = [
  { path: 'github.com/mattn/go-sqlite3', what: 'SQLite, compiled from C' },
  { path: 'github.com/mutecomm/go-sqlcipher', what: 'SQLCipher, compiled from C' },
  { path: 'github.com/confluentinc/confluent-kafka-go', what: 'librdkafka, linked from C' },
  { path: 'github.com/DataDog/zstd', what: 'zstd, compiled from C' },
  { path: 'github.com/valyala/gozstd', what: 'zstd, linked from C' },
  { path: 'github.com/linxGnu/grocksdb', what: 'RocksDB', lib: 'librocksdb' },
  { path: 'github.com/tecbot/gorocksdb', what: 'RocksDB', lib: 'librocksdb' },
  { path: 'github.com/godror/godror', what: 'Oracle ODPI-C', lib: 'the Oracle Instant Client' },
  { path: 'github.com/h2non/bimg', what: 'libvips', lib: 'libvips' },
  { path: 'github.com/davidbyttow/govips', what: 'libvips', lib: 'libvips' },
];

function cgoModule(path: string): (typeof CGO_MODULES)[number] | undefined {
  return CGO_MODULES.find(
    (m) => path === m.path || (path.startsWith(`${m.path}/`) && /^\/v\d+$/.test(path.slice(m.path.length))),
  );
}

const IMPORT_C = /^import\s+(?:"C"|\(\s*(?:[^)]*?\n)?\s*"C"\s*\n)/m;
/** GOOS-specific file names other than linux (never compiled for the image). */
const OTHER_OS =
  /_(?:darwin|windows|freebsd|openbsd|netbsd|dragonfly|solaris|illumos|aix|plan9|ios|android|js|wasip1)(?:_[a-z0-9]+)?\.go$/;
/** A build constraint that mentions cgo (the package has a pure-Go fallback) or rules out linux. */
function optionalOrForeign(text: string): boolean {
  const m = /^\/\/go:build\s+(.*)$/m.exec(text);
  if (!m) return false;
  const expr = m[1];
  if (/\bcgo\b/.test(expr)) return true;
  return (
    /\b(?:darwin|windows|freebsd|openbsd|netbsd|solaris|ios|android|js|wasip1)\b/.test(expr) && !/\blinux\b/.test(expr)
  );
}

// ---------------------------------------------------------------- embedded database files

/** Calls that open an embedded database file: group 1 the path (SQLite drivers, gorm, bolt/bbolt, badger). */
const DB_OPEN: readonly RegExp[] = [
  /\b(?:sql|sqlx)\.(?:Open|Connect|MustOpen|MustConnect)\(\s*"(?:sqlite3?|sqlite3_[\w]+|libsql)"\s*,\s*"([^"\n]*)"/g,
  /\bgorm\.Open\(\s*"sqlite3?"\s*,\s*"([^"\n]*)"/g,
  /\bsqlite\.Open\(\s*"([^"\n]*)"/g,
  /\b(?:bolt|bbolt|storm)\.Open\(\s*"([^"\n]*)"/g,
  /\bbadger\.DefaultOptions\(\s*"([^"\n]*)"/g,
];
/** A flag whose default is a database file: group 1 the flag name, group 2 the default. */
const DB_FLAG: readonly RegExp[] = [
  /\bflag\.String\(\s*"([\w-]{1,40})"\s*,\s*"([^"\n]*)"/g,
  /\bflag\.StringVar\(\s*&[\w.]+\s*,\s*"([\w-]{1,40})"\s*,\s*"([^"\n]*)"/g,
];
const DB_FILE = /(?:^file:|\.(?:db|sqlite3?|sqlitedb|bolt)(?:\?|$))/i;
/** Where the app's files live in the image (WORKDIR): a relative path resolves under it. */
const WORKDIR = '/app';
/** The data directory proposed when the file would sit next to the binary or in /. */
const DATA_DIR = '/app/data';

/** "./data.db" -> "/app/data.db"; "file:x.db?_fk=1" -> "/app/x.db"; undefined for memory/empty/home paths. */
function dbPathInImage(raw: string): string | undefined {
  let p = raw.replace(/^file:/i, '').replace(/\?.*$/, '');
  if (p === '' || p === ':memory:' || /mode=memory/.test(raw) || p.startsWith('~') || p.includes('$')) return undefined;
  if (!p.startsWith('/')) p = `${WORKDIR}/${p}`;
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  const abs = `/${out.join('/')}`;
  return /^\/[A-Za-z0-9._/-]+$/.test(abs) ? abs : undefined;
}

interface DbFinding {
  file: string;
  line: string;
  raw: string;
  abs: string;
  flag?: string;
}

// ---------------------------------------------------------------- detection

export interface GoResult {
  facts: DetectedFacts;
  entryFiles: string[];
  /** after the port/route scan: say how the probe behaves when no health route was found */
  withPort?(facts: DetectedFacts): void;
}

/** Non-test .go files to scan for cgo and database files: the main package first, bounded. */
const MAX_SCAN = 1500;

export function detectGo(ctx: Ctx): GoResult {
  const facts: DetectedFacts = {};
  const mod = parseGoMod(ctx.read('go.mod') ?? '');
  facts.packageManager = fact('go', 'go.mod');
  if (ctx.has('go.sum')) facts.lockfiles = fact(['go.sum'], 'repository root');
  if (mod.module !== undefined) {
    facts.goModule = fact(mod.module, `go.mod: module ${mod.module}`);
    const n = dnsLabel(moduleBaseName(mod.module));
    if (n !== undefined) facts.name = fact(n, `go.mod: module ${mod.module} (last path element)`);
  } else ctx.note('go.mod: no module directive');

  const version = goRuntimeVersion(mod, (t) => {
    ctx.note(t);
  });
  if (version) facts.runtimeVersion = version;

  // vendored dependencies: the listing skips vendor/ (lib/detect/files.ts), the layout hint sees it
  if (ctx.has('vendor/modules.txt'))
    facts.goVendor = fact(true, 'vendor/modules.txt: dependencies are vendored (go build -mod=vendor, no download)');

  // main package
  const entryFiles: string[] = [];
  const main = findMain(ctx, mod);
  let startArgs: string[] = [];
  let mainDir: string | undefined;
  if (main !== undefined) {
    facts.goMainPackage = { ...fact(main.pkg, main.source), ...(main.guess ? { guess: main.guess } : {}) };
    if (main.alternatives.length > 0)
      ctx.note(
        `several main packages: ${main.pkg} is built; for another, pass --build "go build -trimpath -ldflags=-s -w -o /out/<name> ./${main.alternatives[0]}"`,
      );
    mainDir = main.pkg === '.' ? '.' : main.pkg.slice(2);
    entryFiles.push(
      ...ctx.files.list.filter((f) => dirname(f) === mainDir && f.endsWith('.go') && !f.endsWith('_test.go')),
    );
  } else ctx.note('go.mod found but no package main (root, cmd/<name>, or any directory below)');

  // sources to scan for cgo and database files: the main package first, then the rest, bounded
  const entrySet = new Set(entryFiles);
  const sources = [
    ...entryFiles,
    ...ctx.files.list.filter(
      (f) =>
        f.endsWith('.go') &&
        !entrySet.has(f) &&
        !isTestPath(f) &&
        // the go tool ignores directories named vendor/testdata or starting with _ or .
        !f
          .split('/')
          .slice(0, -1)
          .some((s) => s === 'vendor' || s === 'testdata' || s.startsWith('_') || s.startsWith('.')),
    ),
  ]
    .filter((f) => !OTHER_OS.test(f))
    .slice(0, MAX_SCAN);

  // cgo: the module graph (go.mod; go.sum only for go < 1.17, whose go.mod lists direct requirements
  // only), then `import "C"` in the module's own non-test code
  const reasons: string[] = [];
  const libs: string[] = [];
  for (const r of mod.require) {
    const m = cgoModule(r.path);
    if (m) {
      reasons.push(`go.mod: requires ${r.path} ${r.version}${r.indirect ? ' (indirect)' : ''}: ${m.what}`);
      if (m.lib) libs.push(`${r.path} needs ${m.lib}`);
    }
  }
  const modern = mod.go !== undefined && compareDotted(release(mod.go) ?? '0', '1.17') >= 0;
  if (reasons.length === 0 && !modern) {
    for (const l of (ctx.read('go.sum') ?? '').split(/\r?\n/)) {
      const p = /^(\S+)\s+(\S+)\s+h1:/.exec(l);
      const m = p && !p[2].endsWith('/go.mod') ? cgoModule(p[1]) : undefined;
      if (p && m) {
        reasons.push(`go.sum: ${p[1]} ${p[2]}: ${m.what}`);
        if (m.lib) libs.push(`${p[1]} needs ${m.lib}`);
        break;
      }
    }
  }
  const dbs: DbFinding[] = [];
  let importC: string | undefined;
  for (const f of sources) {
    const text = ctx.read(f);
    if (text === undefined || BUILD_IGNORE.test(text)) continue;
    if (importC === undefined && text.includes('"C"') && IMPORT_C.test(text) && !optionalOrForeign(text)) {
      const lines = new LineIndex(text);
      importC = lines.source(f, text.search(IMPORT_C));
    }
    // database files: the app's own code, not tools or examples (unless the main package is there)
    const tooling =
      dirname(f) !== mainDir &&
      f
        .split('/')
        .slice(0, -1)
        .some((seg) => TOOLING.test(seg));
    if (dbs.length < 4 && !tooling && /Open|DefaultOptions|flag\./.test(text)) {
      const lines = new LineIndex(text);
      for (const re of DB_OPEN)
        for (const m of text.matchAll(re)) {
          if (lines.isCommentLine(m.index)) continue;
          const abs = dbPathInImage(m[1]);
          if (abs !== undefined) dbs.push({ file: f, line: lines.source(f, m.index), raw: m[1], abs });
        }
      if (dirname(f) === mainDir)
        for (const re of DB_FLAG)
          for (const m of text.matchAll(re)) {
            if (lines.isCommentLine(m.index) || !DB_FILE.test(m[2])) continue;
            const abs = dbPathInImage(m[2]);
            if (abs !== undefined) dbs.push({ file: f, line: lines.source(f, m.index), raw: m[2], abs, flag: m[1] });
          }
    }
  }
  if (importC !== undefined) reasons.push(`${importC}: cgo code`);
  if (reasons.length > 0) {
    facts.goCgo = fact(
      true,
      `${reasons[0]}${reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : ''}: built with CGO_ENABLED=1 on the Debian golang builder (gcc), run on distroless/base (glibc); distroless/static and scratch cannot run a binary linked against libc`,
    );
    ctx.note(
      `cgo: ${reasons[0]}. The final image is gcr.io/distroless/base-debian12 (glibc) instead of distroless/static; --flavor scratch cannot run it${
        reasons.some((r) => r.includes('SQLite'))
          ? ' (a pure-Go driver such as modernc.org/sqlite would keep the static image)'
          : ''
      }`,
    );
    for (const l of libs)
      ctx.note(`cgo: ${l} at run time, which distroless/base does not have: add it to the final image`);
  }

  // embedded database files: a path on the read-only root (next to the binary, or in /) needs a data directory
  const db = dbs.find((d) => d.flag !== undefined) ?? dbs.at(0);
  if (db !== undefined) {
    const dir = dirname(db.abs) || '/';
    if (dir === '/tmp' || dir.startsWith('/tmp/')) {
      ctx.note(
        `${db.line}: the database file ${db.raw} is under /tmp, a tmpfs in the container: its data is lost on restart`,
      );
    } else {
      const onRoot = dir === '/' || dir === WORKDIR;
      const target = onRoot ? DATA_DIR : dir;
      const inImage = onRoot ? `${DATA_DIR}/${basename(db.abs)}` : db.abs;
      if (onRoot && db.flag !== undefined) startArgs = [`--${db.flag}=${inImage}`];
      facts.dataDirs = fact(
        [target],
        `${db.line} (the database file ${db.raw} is ${db.abs} in the image, on the read-only root filesystem${
          onRoot
            ? db.flag !== undefined
              ? `: the start command passes --${db.flag}=${inImage} to keep it on the volume`
              : `: the volume is at ${target}; the code must open ${inImage}`
            : ': a volume keeps it writable and persistent'
        })`,
      );
      if (onRoot && db.flag === undefined)
        ctx.note(
          `${db.line}: the app opens ${db.raw}, which is ${db.abs} in the image: the root filesystem is read-only and ${dir === WORKDIR ? 'holds the binary' : 'is not a volume'}, so it cannot be written. Open ${inImage} instead (for example from an environment variable): ${target} is proposed as the data directory`,
        );
    }
  }

  if (main !== undefined) {
    const b = main.bin !== undefined ? dnsLabel(main.bin) : undefined;
    if (b !== undefined) {
      const named = main.pkg === '.' ? 'the module' : 'the command directory';
      facts.start = fact(
        [`/app/${b}`, ...startArgs],
        `${facts.goCgo ? 'binary (cgo)' : 'static binary'} built from ${main.pkg} (named after ${named})${
          startArgs.length > 0 ? `; ${startArgs.join(' ')}: the database file on the data volume` : ''
        }`,
      );
    }
  }

  // files the binary reads from its working directory at run time (templates, static, config,
  // migrations): copied to /app, read-only, or the app fails at start (see ./runtime-files.ts)
  if (mainDir !== undefined) {
    const rf = findRuntimeFiles(ctx, mainDir, mod.module);
    for (const n of rf.elsewhere) ctx.note(n);
    if (rf.paths.length > 0) {
      facts.settings = fact({ runtimeFiles: rf.paths }, rf.sources.join('; '));
      ctx.note(
        `the binary reads ${rf.paths.join(', ')} from its working directory at run time: the image copies ${rf.paths.length === 1 ? 'it' : 'them'} to /app (read-only)`,
      );
    }
  }

  return {
    facts,
    entryFiles,
    withPort(found) {
      if (found.healthPath === undefined)
        ctx.note(
          'no health route found in the Go code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
        );
    },
  };
}
