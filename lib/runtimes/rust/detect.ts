// Rust detection: Cargo.toml (package, workspace members, [[bin]] targets, rust-version),
// Cargo.lock, rust-toolchain(.toml), the binary to build and run, the web framework, the port
// (code, Rocket.toml, config files) and a health route. Pure: reads through ctx.
import type { Fact, RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { HEALTH_NAMES, rankHealth } from '../../detect/port.js';
import { parseToml, tomlGet, type TomlTable } from '../../detect/toml.js';
import { basename, dirname, dnsLabel, isRecord, LineIndex, str } from '../../detect/text.js';
import { goReleaseFor, supportedVersions } from '../../detect/versions.js';
import { RUST_VERSIONS } from './versions.js';

/** Every Rust release the profile can build with, oldest first (one list: ./versions.ts). */
export const RUST_SUPPORTED: readonly string[] = supportedVersions(RUST_VERSIONS);

/** Settings keys this runtime records in facts.settings / layout.settings (re-validated by the profile). */
export interface RustSettings {
  /** every Cargo.toml the dependency step needs (root first), plus Cargo.lock when present */
  manifests: string[];
  /** placeholder target files the dependency step creates so cargo can read the manifests */
  placeholders: string[];
  /** dependencies are vendored (.cargo/config.toml replaces crates-io): no fetch step */
  vendored?: boolean;
  /** the web framework, for its own address/port settings (Rocket: ROCKET_ADDRESS/ROCKET_PORT) */
  framework?: string;
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SAFE_REL = /^(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
/** Packages that are tools rather than the app (cargo xtask, code generators, benches, examples). */
const TOOLING =
  /^(?:xtask|xtasks|tools?|tooling|scripts?|examples?|samples?|demos?|bench(?:es|marks?)?|tests?|testing|e2e|integration|fuzz|codegen|gen|generate|build-tools|migrations?|migrate|macros?|derive|cli|docs?)$/i;
const TOOLING_PART = /(?:^|[-_])(?:macros?|derive|xtask|bench|test|testing|fuzz|codegen)(?:$|[-_])/i;
const SERVERISH = /(?:^|[-_])(?:api|server|srv|web|http|app|svc|service|gateway|backend|serve|daemon)(?:$|[-_])/i;

/** Web frameworks, by crate name (the first one found in the chosen package's dependencies). */
const FRAMEWORKS = ['axum', 'actix-web', 'rocket', 'warp', 'poem', 'salvo', 'tide', 'hyper', 'tiny_http'] as const;

interface Pkg {
  /** directory of the Cargo.toml ("." for the root) */
  dir: string;
  manifest: string;
  name: string | undefined;
  table: TomlTable;
}

interface Bin {
  pkg: Pkg;
  name: string;
  /** why this binary exists (explicit [[bin]], src/main.rs, src/bin/x.rs) */
  why: string;
}

const join = (dir: string, p: string): string => (dir === '.' ? p : `${dir}/${p}`);

function readToml(ctx: Ctx, path: string): TomlTable {
  const text = ctx.read(path);
  if (text === undefined) return {};
  const r = parseToml(text);
  if (r.error !== undefined) ctx.note(`${path}: ${r.error}; read as empty`);
  return r.table;
}

/** Workspace members: literal paths and one-segment `*` globs, matched against the listed manifests. */
function workspaceMembers(ctx: Ctx, root: TomlTable): string[] {
  const members = tomlGet(root, 'workspace', 'members');
  const exclude = tomlGet(root, 'workspace', 'exclude');
  if (!Array.isArray(members)) return [];
  const excluded = new Set((Array.isArray(exclude) ? exclude : []).map((e) => String(e).replace(/\/+$/, '')));
  const manifests = ctx.files.list.filter((f) => f.endsWith('/Cargo.toml')).map(dirname);
  const out: string[] = [];
  for (const m of members) {
    if (typeof m !== 'string') continue;
    const pat = m.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!/^[A-Za-z0-9_.*/-]+$/.test(pat) || pat.includes('..')) continue;
    const re = new RegExp(
      `^${pat
        .split('/')
        .map((seg) => seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('/')}$`,
    );
    for (const d of manifests) if (re.test(d) && !excluded.has(d) && !out.includes(d)) out.push(d);
  }
  return out.sort();
}

function binsOf(ctx: Ctx, pkg: Pkg): Bin[] {
  const out: Bin[] = [];
  const explicit = tomlGet(pkg.table, 'bin');
  const seen = new Set<string>();
  if (Array.isArray(explicit))
    for (const b of explicit) {
      const name = str(tomlGet(b, 'name'));
      if (name !== undefined && SAFE_NAME.test(name) && !seen.has(name)) {
        seen.add(name);
        out.push({ pkg, name, why: `${pkg.manifest}: [[bin]] name = "${name}"` });
      }
    }
  if (tomlGet(pkg.table, 'package', 'autobins') === false) return out;
  if (
    pkg.name !== undefined &&
    SAFE_NAME.test(pkg.name) &&
    !seen.has(pkg.name) &&
    ctx.has(join(pkg.dir, 'src/main.rs'))
  ) {
    seen.add(pkg.name);
    out.push({ pkg, name: pkg.name, why: `${join(pkg.dir, 'src/main.rs')} (package ${pkg.name})` });
  }
  const binDir = join(pkg.dir, 'src/bin/');
  for (const f of ctx.files.list) {
    if (!f.startsWith(binDir)) continue;
    const rest = f.slice(binDir.length);
    const m = /^([A-Za-z0-9_-]+)\.rs$/.exec(rest) ?? /^([A-Za-z0-9_-]+)\/main\.rs$/.exec(rest);
    if (m && !seen.has(m[1])) {
      seen.add(m[1]);
      out.push({ pkg, name: m[1], why: f });
    }
  }
  return out;
}

/** Target files cargo needs to read a manifest, created empty by the dependency step (removed after it). */
function placeholdersOf(pkg: Pkg): string[] {
  const out = new Set<string>([join(pkg.dir, 'src/main.rs'), join(pkg.dir, 'src/lib.rs')]);
  const kinds: [string, string][] = [
    ['bin', 'src/bin'],
    ['example', 'examples'],
    ['test', 'tests'],
    ['bench', 'benches'],
  ];
  for (const [kind, dir] of kinds) {
    const list = tomlGet(pkg.table, kind);
    if (!Array.isArray(list)) continue;
    for (const t of list) {
      const path = str(tomlGet(t, 'path'));
      const name = str(tomlGet(t, 'name'));
      if (path !== undefined && SAFE_REL.test(path)) out.add(join(pkg.dir, path));
      else if (name !== undefined && SAFE_NAME.test(name) && !(kind === 'bin' && name === pkg.name))
        out.add(join(pkg.dir, `${dir}/${name}.rs`));
    }
  }
  const lib = str(tomlGet(pkg.table, 'lib', 'path'));
  if (lib !== undefined && SAFE_REL.test(lib)) out.add(join(pkg.dir, lib));
  const build = str(tomlGet(pkg.table, 'package', 'build'));
  if (build !== undefined && SAFE_REL.test(build)) out.add(join(pkg.dir, build));
  return [...out];
}

function rankBin(b: Bin, rootPkg: boolean): number {
  const names = [b.name, b.pkg.name ?? '', basename(b.pkg.dir)];
  if (names.some((n) => TOOLING.test(n) || TOOLING_PART.test(n)) || b.pkg.dir.split('/').some((s) => TOOLING.test(s)))
    return 4;
  if (rootPkg && b.pkg.dir === '.' && b.name === b.pkg.name) return 0;
  if (SERVERISH.test(b.name)) return 1;
  if (b.name === b.pkg.name) return 2;
  return 3;
}

// ---------------------------------------------------------------- version

/** "1.83.0" / "1.83" -> "1.83"; undefined when not a Rust release. */
function release(v: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** rust-toolchain.toml (`[toolchain] channel`), else the legacy rust-toolchain file (a bare channel). */
function toolchainChannel(ctx: Ctx): { channel: string; source: string } | undefined {
  const toml = ctx.read('rust-toolchain.toml');
  if (toml !== undefined) {
    const ch = str(tomlGet(parseToml(toml).table, 'toolchain', 'channel'));
    if (ch !== undefined) return { channel: ch.trim(), source: `rust-toolchain.toml: channel = "${ch.trim()}"` };
  }
  const legacy = ctx.read('rust-toolchain');
  if (legacy !== undefined) {
    const t = legacy.trim();
    if (t.startsWith('[')) {
      const ch = str(tomlGet(parseToml(t).table, 'toolchain', 'channel'));
      if (ch !== undefined) return { channel: ch.trim(), source: `rust-toolchain: channel = "${ch.trim()}"` };
    } else if (/^[\w.-]{1,40}$/.test(t)) return { channel: t, source: `rust-toolchain: ${t}` };
  }
  return undefined;
}

function rustVersion(ctx: Ctx, root: TomlTable, chosen: Pkg | undefined): Fact<string> | undefined {
  const list = RUST_SUPPORTED.join(', ');
  const newest = RUST_SUPPORTED.at(-1) ?? '';
  const tc = toolchainChannel(ctx);
  if (tc !== undefined) {
    const r = release(tc.channel);
    if (r !== undefined) {
      if (!RUST_SUPPORTED.includes(r)) ctx.note(`${tc.source}: Rust ${r} is not a supported release (${list})`);
      return fact(r, `${tc.source} (a pin: the builder image has exactly this release)`);
    }
    if (/^stable\b/.test(tc.channel)) return fact(newest, `${tc.source} (the newest supported release, of ${list})`);
    ctx.note(
      `${tc.source}: a ${tc.channel.split('-')[0]} toolchain; the image builds with stable Rust ${newest} unless you pass --runtime-version (and rustup in the builder installs the pinned toolchain, which needs network access)`,
    );
  }
  // rust-version is a minimum: the package's own, else the workspace's
  const pkgRv = chosen !== undefined ? tomlGet(chosen.table, 'package', 'rust-version') : undefined;
  const wsRv = tomlGet(root, 'workspace', 'package', 'rust-version');
  const rv = str(pkgRv) ?? str(wsRv) ?? str(tomlGet(root, 'package', 'rust-version'));
  if (rv !== undefined) {
    const r = release(rv);
    if (r !== undefined) {
      const where = str(pkgRv) !== undefined && chosen !== undefined ? chosen.manifest : 'Cargo.toml';
      const pick = goReleaseFor(r, RUST_SUPPORTED);
      if (pick.satisfying.length === 0) {
        ctx.note(`${where}: rust-version = "${rv}" is newer than every supported Rust (${list})`);
        return fact(r, `${where}: rust-version = "${rv}" (a minimum newer than every supported release)`);
      }
      return fact(
        pick.version ?? r,
        `${where}: rust-version = "${rv}" (a minimum: any newer Rust builds it, so the newest supported, of ${list})`,
      );
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- ports, routes

/** Health routes in Rust code: axum/actix/warp/poem/rocket registrations with the common names (and health_check). */
const RUST_HEALTH_NAMES = [...HEALTH_NAMES, 'health_check', 'health-check', 'status'];
const RUST_ROUTE = new RegExp(
  String.raw`(?:\b(?:route|resource|get|head|at|path|nest_service|route_service)\s*\(\s*|#\[\s*(?:get|head)\s*\(\s*|warp::path!?\s*\(\s*)"(\/?(?:[A-Za-z0-9_.-]+\/){0,3}(?:${RUST_HEALTH_NAMES.map((n) => n.replace(/[-.]/g, '\\$&')).join('|')})\/?)"`,
  'g',
);

/** Plain std servers that match the request path: a `match` arm (`"/healthz" =>`) or a comparison. */
const RUST_MATCH = new RegExp(
  String.raw`(?:"(\/(?:${RUST_HEALTH_NAMES.map((n) => n.replace(/[-.]/g, '\\$&')).join('|')})\/?)"\s*(?:=>|\|)|==\s*"(\/(?:${RUST_HEALTH_NAMES.map((n) => n.replace(/[-.]/g, '\\$&')).join('|')})\/?)")`,
  'g',
);

/** A listen address on loopback only: unreachable from outside the container. */
const LOOPBACK_BIND =
  /"(?:127\.0\.0\.1|localhost|\[::1\]):\d{2,5}"|\(\s*"(?:127\.0\.0\.1|localhost)"\s*,\s*\d{2,5}\s*\)|\[\s*127\s*,\s*0\s*,\s*0\s*,\s*1\s*\]/;
/** Configuration files that carry the listen port (Rocket.toml, the `config` crate's conventional files). */
const CONFIG_FILES = [
  'Rocket.toml',
  'configuration/base.yaml',
  'configuration/base.yml',
  'configuration/base.toml',
  'configuration.yaml',
  'config/default.toml',
  'config/default.yaml',
  'config/base.yaml',
  'config.toml',
  'Settings.toml',
  'settings.toml',
  'App.toml',
];
const CONFIG_PORT = /^[ \t]*(?:port|PORT|http_port|app_port|listen_port)[ \t]*[:=][ \t]*"?(\d{2,5})"?[ \t]*(?:#.*)?$/m;

// ---------------------------------------------------------------- detection

export interface RustResult {
  facts: DetectedFacts;
  entryFiles: string[];
  withPort(facts: DetectedFacts): void;
}

export function detectRust(ctx: Ctx): RustResult {
  const facts: DetectedFacts = {};
  const rootTable = readToml(ctx, 'Cargo.toml');
  const rootName = str(tomlGet(rootTable, 'package', 'name'));
  const root: Pkg = { dir: '.', manifest: 'Cargo.toml', name: rootName, table: rootTable };
  const hasRootPkg = isRecord(tomlGet(rootTable, 'package'));
  const members = workspaceMembers(ctx, rootTable);
  const pkgs: Pkg[] = [
    ...(hasRootPkg ? [root] : []),
    ...members
      .filter((d) => d !== '.')
      .map((dir) => {
        const manifest = `${dir}/Cargo.toml`;
        const table = readToml(ctx, manifest);
        return { dir, manifest, name: str(tomlGet(table, 'package', 'name')), table };
      }),
  ];
  const locked = ctx.has('Cargo.lock');
  facts.packageManager = fact('cargo', 'Cargo.toml');
  if (locked) facts.lockfiles = fact(['Cargo.lock'], 'repository root');
  else
    ctx.note(
      'no Cargo.lock: the build resolves dependency versions afresh (not reproducible, P6); commit Cargo.lock (cargo generate-lockfile) so the image builds with --locked',
    );

  // the binary: the root package's main, else a server-like one, else any, tools last
  const bins = pkgs.flatMap((p) => binsOf(ctx, p));
  const defaultRun = str(tomlGet(rootTable, 'package', 'default-run'));
  const ranked = bins
    .map((b) => ({
      b,
      rank: defaultRun !== undefined && b.name === defaultRun && b.pkg.dir === '.' ? -1 : rankBin(b, hasRootPkg),
    }))
    .sort(
      (x, y) =>
        x.rank - y.rank ||
        x.b.pkg.dir.split('/').length - y.b.pkg.dir.split('/').length ||
        (x.b.name < y.b.name ? -1 : 1),
    );
  const best = ranked.at(0);
  const chosen = best?.b.pkg;
  if (best === undefined) {
    ctx.note(
      members.length > 0
        ? `Cargo.toml: a workspace of ${members.length} package(s) (${members.slice(0, 4).join(', ')}) and no binary target (src/main.rs, src/bin/, [[bin]]) among them: pass --start "/app/<binary>" and --build`
        : 'Cargo.toml: no binary target (src/main.rs, src/bin/, [[bin]]): a library cannot run on its own; pass --start "/app/<binary>" and --build',
    );
  } else {
    const b = best.b;
    const others = ranked.slice(1).map((r) => r.b.name);
    const ws = pkgs.length > 1 || !hasRootPkg;
    const source =
      others.length > 0
        ? `${b.why}; chosen of ${ranked.length} binaries${best.rank === -1 ? ' (default-run)' : ''}; others: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}`
        : b.why;
    const start: Fact<string[]> = fact([`/app/${b.name}`], source);
    const runner = ranked.at(1);
    if (runner !== undefined && best.rank >= 1 && runner.rank <= best.rank + 1 && best.rank !== -1)
      start.guess = `${ranked.length} binaries (${ranked
        .slice(0, 4)
        .map((r) => r.b.name)
        .join(', ')}); ${b.name} was chosen by its name`;
    facts.start = start;
    const argv = [
      'cargo',
      'build',
      '--release',
      ...(locked ? ['--locked'] : []),
      ...(ws && b.pkg.name !== undefined && SAFE_NAME.test(b.pkg.name) ? ['-p', b.pkg.name] : []),
      '--bin',
      b.name,
    ];
    facts.build = fact(
      argv,
      `${b.pkg.manifest}: the binary ${b.name}${ws ? ` of package ${b.pkg.name ?? b.pkg.dir}` : ''}`,
    );
    if (others.length > 0) {
      const o = ranked[1].b;
      const argv = [
        'cargo',
        'build',
        '--release',
        ...(locked ? ['--locked'] : []),
        ...(ws && o.pkg.name !== undefined ? ['-p', o.pkg.name] : []),
        '--bin',
        o.name,
      ];
      ctx.note(
        `several binaries: ${b.name} is built; for another, pass --start "/app/${o.name}" (the build follows it) or --build "${argv.join(' ')}"`,
      );
    }
  }

  // name: the chosen package, else the root package
  const pkgName = chosen?.name ?? rootName;
  if (pkgName !== undefined) {
    const n = dnsLabel(pkgName);
    if (n !== undefined) facts.name = fact(n, `${chosen?.manifest ?? 'Cargo.toml'}: package name ${pkgName}`);
  }

  const version = rustVersion(ctx, rootTable, chosen);
  if (version) facts.runtimeVersion = version;

  // framework: the chosen package's dependencies (workspace = true entries resolve to the root's table)
  const depTable = tomlGet(chosen?.table ?? rootTable, 'dependencies');
  const deps = isRecord(depTable) ? depTable : {};
  const framework = FRAMEWORKS.find((f) => Object.prototype.hasOwnProperty.call(deps, f));
  if (framework !== undefined)
    facts.framework = fact(framework, `${chosen?.manifest ?? 'Cargo.toml'}: [dependencies] ${framework}`);

  // explicit test targets live in tests/, which the generated .dockerignore leaves out of the context
  for (const p of pkgs) {
    const tests = tomlGet(p.table, 'test');
    if (
      p.dir === '.' &&
      Array.isArray(tests) &&
      tests.some((t) => str(tomlGet(t, 'path')) === undefined || /^tests\//.test(str(tomlGet(t, 'path')) ?? ''))
    )
      ctx.note(
        'Cargo.toml declares [[test]] targets under tests/, which the generated .dockerignore keeps out of the build context: cargo cannot read the manifest without them; remove tests/ from .dockerignore or let cargo discover the tests',
      );
  }

  const manifests = [
    'Cargo.toml',
    ...(locked ? ['Cargo.lock'] : []),
    ...pkgs.filter((p) => p.dir !== '.').map((p) => p.manifest),
  ];
  const placeholders = pkgs.flatMap(placeholdersOf).filter((p, i, all) => all.indexOf(p) === i);
  // files the binary reads at run time, relative to its working directory (/app): a configuration
  // directory, Rocket.toml, templates and static assets named in the code
  const runtimeFiles: string[] = [];
  const rsFiles = ctx.files.list.filter((f) => f.endsWith('.rs') && !f.startsWith('tests/')).slice(0, 200);
  const texts = rsFiles.map((f) => ctx.read(f) ?? '');
  for (const dir of ['configuration', 'config', 'templates', 'static', 'assets', 'public', 'migrations']) {
    if (!ctx.files.list.some((f) => f.startsWith(`${dir}/`))) continue;
    const named = new RegExp(`"(?:\\./)?${dir}(?:/|")`);
    // sqlx::migrate!("./migrations") embeds them at compile time
    const embedded = dir === 'migrations' && texts.some((t) => /migrate!\s*\(/.test(t));
    // template engines that load at run time look in templates/ by default (askama compiles them in)
    const engine =
      dir === 'templates' &&
      ['rocket_dyn_templates', 'tera', 'handlebars', 'minijinja'].some((d) =>
        Object.prototype.hasOwnProperty.call(deps, d),
      );
    if (!embedded && (engine || texts.some((t) => named.test(t)))) runtimeFiles.push(`${dir}/`);
  }
  if (framework === 'rocket' && ctx.has('Rocket.toml')) runtimeFiles.push('Rocket.toml');
  if (runtimeFiles.length > 0)
    ctx.note(
      `the binary reads ${runtimeFiles.join(', ')} from its working directory at run time: the image copies ${runtimeFiles.length === 1 ? 'it' : 'them'} to /app (read-only)`,
    );

  // sqlx checks its query macros against a database at compile time, or offline against committed .sqlx/ data
  const sqlx = Object.prototype.hasOwnProperty.call(deps, 'sqlx');
  const settings: RuntimeSettings = {
    manifests,
    placeholders,
    // every binary and its package, so --start can name another one (the build follows it)
    bins: ranked.slice(0, 40).map((r) => `${r.b.name}=${pkgs.length > 1 || !hasRootPkg ? (r.b.pkg.name ?? '') : ''}`),
    ...(locked ? { locked: true } : {}),
    ...(framework !== undefined ? { framework } : {}),
    ...(sqlx ? { sqlx: true } : {}),
    ...(runtimeFiles.length ? { runtimeFiles } : {}),
  };
  facts.settings = fact(
    settings,
    `Cargo.toml${members.length ? ` (workspace members: ${members.slice(0, 6).join(', ')}${members.length > 6 ? ', …' : ''})` : ''}`,
  );

  // sources scanned first for the port: the chosen binary's package
  const srcDir = chosen !== undefined ? join(chosen.dir, 'src/') : 'src/';
  const entryFiles = ctx.files.list
    .filter((f) => f.startsWith(srcDir) && f.endsWith('.rs'))
    .sort((a, b) => (basename(a) === 'main.rs' ? -1 : basename(b) === 'main.rs' ? 1 : a < b ? -1 : 1))
    .slice(0, 40);

  return {
    facts,
    entryFiles,
    withPort(found) {
      // the listen address: on loopback, nobody outside the container can connect
      for (const f of entryFiles) {
        const text = ctx.read(f);
        const m = text !== undefined ? LOOPBACK_BIND.exec(text) : null;
        if (text !== undefined && m && !/^\s*\/\//.test(new LineIndex(text).lineText(m.index))) {
          ctx.note(
            `${new LineIndex(text).source(f, m.index)}: the app listens on loopback only, which nothing outside the container can reach: bind 0.0.0.0 (for example from an environment variable) for the image`,
          );
          break;
        }
      }
      // Rocket: its own configuration (Rocket.toml, default 8000), set through ROCKET_PORT in the image
      if (found.port === undefined) {
        for (const file of CONFIG_FILES) {
          const text = ctx.read(file);
          const m = text !== undefined ? CONFIG_PORT.exec(text) : null;
          if (text !== undefined && m) {
            found.port = fact(Number(m[1]), new LineIndex(text).source(file, m.index));
            break;
          }
        }
      }
      if (found.port === undefined && framework === 'rocket')
        found.port = fact(
          8000,
          "Rocket's default port (no port in the code or Rocket.toml); the image sets ROCKET_PORT",
        );
      // health: the scan knows the common names; Rust apps also say health_check (zero2prod)
      if (found.healthPath === undefined) {
        let best: { rank: number; path: string; source: string } | undefined;
        for (const f of entryFiles.length
          ? [...entryFiles, ...ctx.files.list.filter((x) => x.endsWith('.rs') && !entryFiles.includes(x)).slice(0, 60)]
          : []) {
          const text = ctx.read(f);
          if (text === undefined || !/health|live|ready|ping|status/.test(text)) continue;
          const lines = new LineIndex(text);
          for (const m of [...text.matchAll(RUST_ROUTE), ...text.matchAll(RUST_MATCH)]) {
            // Rust comments are // (a line starting with # is an attribute: #[get("/healthz")])
            if (/^\s*\/\//.test(lines.lineText(m.index))) continue;
            const g: readonly (string | undefined)[] = m;
            const raw = g[1] ?? g[2] ?? '';
            const path = raw.startsWith('/') ? raw : `/${raw}`;
            const last = path.replace(/\/$/, '').replace(/^.*\//, '');
            const rank = last === 'health_check' ? 2.5 : last === 'status' ? HEALTH_NAMES.length : rankHealth(last);
            if (best === undefined || rank < best.rank) best = { rank, path, source: lines.source(f, m.index) };
          }
        }
        if (best !== undefined) found.healthPath = fact(best.path, best.source);
        else
          ctx.note(
            'no health route found in the Rust code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
          );
      }
    },
  };
}
