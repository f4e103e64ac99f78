// Rust: a release binary built with cargo on the official rust image, run on distroless/cc (glibc,
// libgcc), or built for musl on the rust alpine image and run on scratch or alpine. The dependency
// step reads only the manifests (empty placeholder targets stand in for the sources) and fetches
// the locked crates into a cache mount; the build keeps target/ in a cache mount too. A std-only
// health probe is compiled with rustc next to the app.
import {
  AnswerError,
  type Answers,
  type DockerfileSpec,
  type Flavor,
  type ProjectLayout,
  type RuntimeSettings,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { safeRelPath, secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import {
  exportVar,
  registryLines,
  registrySetup,
  writeLines,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { detectRust } from './detect.js';
import { RUST_PROBE_ANY_STATUS, RUST_PROBE_SOURCE, rustProbeSource } from './probe.js';
import { RUST_VERSIONS } from './versions.js';

const ALPINE = '3.22';
const DISTROLESS_CC = 'gcr.io/distroless/cc-debian12:nonroot';
const HELPER = 'src/secrets.rs';
const BIN = /^[A-Za-z0-9_-]{1,64}$/;
/** Where cargo keeps downloaded crates in the official images (CARGO_HOME=/usr/local/cargo). */
const CARGO_HOME = '/usr/local/cargo';

/** The settings detection recorded (facts.settings), re-validated: they come from .yo-rc.json too. */
function rustSettings(s: RuntimeSettings | undefined): {
  manifests: string[];
  placeholders: string[];
  vendored: boolean;
  sqlx: boolean;
  runtimeFiles: string[];
  framework?: string;
} {
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && safeRelPath(x) === x) : [];
  const manifests = list(s?.manifests).filter(
    (f) => f === 'Cargo.lock' || f === 'Cargo.toml' || f.endsWith('/Cargo.toml'),
  );
  const placeholders = list(s?.placeholders).filter((f) => f.endsWith('.rs'));
  const fw = typeof s?.framework === 'string' && /^[a-z_-]{1,20}$/.test(s.framework) ? s.framework : undefined;
  return {
    manifests: manifests.includes('Cargo.toml') ? manifests : ['Cargo.toml', ...manifests],
    placeholders,
    vendored: s?.vendored === true,
    sqlx: s?.sqlx === true,
    // a directory keeps its trailing slash; the path itself is validated without it
    runtimeFiles: (Array.isArray(s?.runtimeFiles) ? s.runtimeFiles : []).filter(
      (f): f is string => typeof f === 'string' && safeRelPath(f.replace(/\/$/, '')) === f.replace(/\/$/, ''),
    ),
    ...(fw !== undefined ? { framework: fw } : {}),
  };
}

/** One COPY per manifest, keeping its directory (a workspace member's Cargo.toml stays in its folder). */
function copyLines(files: string[]): string {
  const root = files.filter((f) => !f.includes('/'));
  const nested = files.filter((f) => f.includes('/'));
  return [
    ...(root.length ? [`COPY ${root.join(' ')} ./`] : []),
    ...nested.map((f) => `COPY ${f} ${f.slice(0, f.lastIndexOf('/') + 1)}`),
  ].join('\n');
}

/** A RUN body over several lines: the mounts, then one command per line (`&&` first, so each reads on its own). */
function runLines(mounts: string, cmds: string[]): string {
  return [mounts.trim(), cmds.join(' \\\n    && ')].filter(Boolean).join(' \\\n    ');
}

/** The build command detection proposes for a binary (in a workspace, with its package). */
export function cargoBuildArgv(bin: string, pkg: string, locked: boolean): string[] {
  return ['cargo', 'build', '--release', ...(locked ? ['--locked'] : []), ...(pkg ? ['-p', pkg] : []), '--bin', bin];
}

/** binary -> package ("" outside a workspace), from detection's settings. */
function binaries(s: RuntimeSettings | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Array.isArray(s?.bins) ? s.bins : []) {
    const m = /^([A-Za-z0-9_-]{1,64})=([A-Za-z0-9_-]{0,64})$/.exec(e);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * The build command for the binary --start runs: the detected command (for another binary) follows
 * --start; a command of the user's own that builds another binary is an error naming both flags.
 */
function buildFor(
  s: RuntimeSettings | undefined,
  a: Pick<Answers, 'build' | 'start'>,
  bin: string,
  locked: boolean,
): string[] {
  const bins = binaries(s);
  const pkg = bins.get(bin) ?? '';
  if (a.build === null) return cargoBuildArgv(bin, pkg, locked);
  const i = a.build.indexOf('--bin');
  const other = i >= 0 ? a.build[i + 1] : undefined;
  if (other === undefined || other === bin) return a.build;
  const same = (x: string[]): boolean => x.length === a.build?.length && x.every((t, k) => t === a.build?.[k]);
  if (same(cargoBuildArgv(other, bins.get(other) ?? '', locked))) return cargoBuildArgv(bin, pkg, locked);
  throw new AnswerError(
    'build',
    '--build',
    `builds the binary ${other} but --start runs /app/${bin}: pass --build "${cargoBuildArgv(bin, pkg, locked).join(' ')}"`,
  );
}

const musl = (flavor: Flavor): boolean => flavor !== 'distroless';

/**
 * --package-registry for cargo (issue 19): crates.io replaced by the registry (a sparse index) in
 * $CARGO_HOME/config.toml, written in the RUN and removed in it (it holds no secret); the token is
 * CARGO_REGISTRIES_PACKAGE_REGISTRY_TOKEN in the RUN's environment. The build needs the replacement
 * too (the fetched crates are filed under the registry's source), so it wraps both steps.
 */
function rustRegistry(ref: PackageRegistryRef): RegistrySetup {
  const config = `${CARGO_HOME}/config.toml`;
  return {
    before: [
      ...(ref.secret !== '' ? [exportVar('CARGO_REGISTRIES_PACKAGE_REGISTRY_TOKEN', ref.read)] : []),
      writeLines(config, [
        '[registries.package-registry]',
        `index = "sparse+${ref.url}"`,
        '[source.crates-io]',
        'replace-with = "package-registry"',
      ]),
    ],
    after: [`rm -f ${config}`],
    secretForm: 'the registry token',
    tools: 'cargo (crates.io replaced by its sparse index in $CARGO_HOME/config.toml during the step)',
  };
}

export const rust: RuntimeProfile = {
  runtime: 'rust',
  label: 'Rust',
  choiceHelp: 'Rust (Cargo.toml), a release binary built with cargo',
  manifestNames: ['Cargo.toml'],
  claim: (ctx) =>
    ctx.has('Cargo.toml') ? { rank: 30, source: 'Cargo.toml', detect: () => detectRust(ctx) } : undefined,
  code: {
    files: /\.rs$/,
    ports: [
      // "0.0.0.0:3000", "127.0.0.1:8080", "[::]:8080" (TcpListener::bind, axum::serve, HttpServer::bind)
      /"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]|\[::1\])?:(\d{2,5})"/g,
      // SocketAddr::from(([0, 0, 0, 0], 3000)), warp::serve(..).run(([127, 0, 0, 1], 3030))
      /\(\s*\[\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\]\s*,\s*(\d{2,5})\s*\)/g,
      // actix: .bind(("0.0.0.0", 8080))
      /\(\s*"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|::)"\s*,\s*(\d{2,5})\s*\)/g,
      // SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8080)
      /SocketAddr(?:V4|V6)?::new\([^,()]{1,80}(?:\([^()]*\))?\s*,\s*(\d{2,5})\s*\)/g,
      // env::var("PORT").ok()...unwrap_or(8080) / unwrap_or_else(|_| "8080".into())
      /"PORT"\)[^;]{0,160}?unwrap_or(?:_else)?\(\s*(?:\|[^|]*\|\s*)?"?(\d{2,5})/g,
      // const PORT: u16 = 8080; let port = 3000;
      /\b(?:PORT|DEFAULT_PORT|HTTP_PORT|port|default_port)\s*(?::\s*u16\s*)?=\s*(\d{2,5})\s*;/g,
    ],
  },
  layoutHints(facts, repo) {
    // the listing skips dot-directories: cargo vendor's source replacement is in .cargo/config.toml
    if (facts.runtime?.value !== 'rust') return {};
    const cfg = repo.readText('.cargo/config.toml') ?? repo.readText('.cargo/config');
    if (cfg === undefined || !/replace-with\s*=\s*"vendored-sources"/.test(cfg)) return {};
    const s = facts.settings?.value ?? {};
    return { settings: { ...s, vendored: true } };
  },
  layout(facts, _a, hints) {
    const s = rustSettings(hints.settings ?? facts.settings?.value);
    const raw = hints.settings ?? facts.settings?.value;
    const settings: RuntimeSettings = {
      ...(Array.isArray(raw?.bins) ? { bins: raw.bins } : {}),
      manifests: s.manifests,
      placeholders: s.placeholders,
      ...(s.vendored ? { vendored: true } : {}),
      ...(s.sqlx ? { sqlx: true } : {}),
      ...(s.runtimeFiles.length ? { runtimeFiles: s.runtimeFiles } : {}),
      ...(s.framework !== undefined ? { framework: s.framework } : {}),
    };
    return { manifests: s.manifests, settings };
  },
  startExample: (name) => `"/app/${name}"`,
  templateDir: packagePath('templates', 'runtimes', 'rust'),
  secretsHelperPath: HELPER,
  extraFiles: (spec) => [{ path: RUST_PROBE_SOURCE, contents: rustProbeSource(spec.generator.version) }],
  context: { sourceFiles: /\.rs$/, exceptions: [] },
  packageManagers: ['cargo'],
  defaultPackageManager: 'cargo',
  defaultVersion: '1.91',
  versions: RUST_VERSIONS,
  normalizeVersion(v) {
    const m = /^(1\.\d{1,3})(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Rust release such as 1.91');
    return m[1];
  },
  versionHelp: `a Rust release from ${RUST_VERSIONS.distroless?.at(0) ?? ''} to ${RUST_VERSIONS.distroless?.at(-1) ?? ''} (rust-version is a minimum: the newest is proposed; rust-toolchain pins one)`,
  defaultPort: 8080,
  flavors: ['distroless', 'scratch', 'alpine'],
  images(v, flavor) {
    if (flavor === 'scratch') return { builder: `rust:${v}-alpine`, final: 'scratch' };
    if (flavor === 'alpine') return { builder: `rust:${v}-alpine`, final: `alpine:${ALPINE}` };
    return { builder: `rust:${v}-bookworm`, final: DISTROLESS_CC };
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: () => null,
  entrypoint(start) {
    return start;
  },
  checkStart(start) {
    const m = /^\/app\/(.+)$/.exec(start[0] ?? '');
    if (!m || !BIN.test(m[1])) {
      return 'must start with the compiled binary /app/<binary> (the cargo binary name: letters, digits, _ and -), e.g. "/app/server --flag"';
    }
    return undefined;
  },
  // the binary's name is cargo's, not the app's: without a detected one, --start is required
  defaultStart: () => undefined,
  healthcheck(_flavor, port, path) {
    const url = `http://127.0.0.1:${port}${path}`;
    return path === '/' ? ['/app/healthcheck', RUST_PROBE_ANY_STATUS, url] : ['/app/healthcheck', url];
  },
  tmpfs: [],
  packageRegistry: (ref) => rustRegistry(ref),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const images = this.images(a.runtimeVersion, a.flavor);
    const reg = registrySetup(this, a, layout);
    const regMount = reg?.mount ?? '';
    const s = rustSettings(layout.settings);
    const manifests = layout.manifests.length ? layout.manifests.filter((f) => safeRelPath(f) === f) : s.manifests;
    const bin = /^\/app\/([A-Za-z0-9_-]{1,64})$/.exec(a.start[0] ?? '')?.[1] ?? a.name;
    const locked = manifests.includes('Cargo.lock');
    const registry = `--mount=type=cache,target=${CARGO_HOME}/registry --mount=type=cache,target=${CARGO_HOME}/git `;
    // one target/ cache per app and C library: a glibc and a musl build never share artefacts
    const target = `--mount=type=cache,id=cargo-target-${a.name}-${musl(a.flavor) ? 'musl' : 'gnu'},target=/src/target `;
    const build = buildFor(layout.settings, a, bin, locked);
    // empty placeholder targets so cargo can read the manifests before the sources are copied; removed again
    const dirs = [
      ...new Set(s.placeholders.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.'))),
    ].filter((d) => d !== '.');
    const fetch = s.vendored
      ? ''
      : runLines(`${registry}${secretMounts(a.buildSecrets)}${regMount}`, [
          ...(dirs.length ? [`mkdir -p ${dirs.map(shq).join(' ')}`] : []),
          ...(s.placeholders.length ? [`touch ${s.placeholders.map(shq).join(' ')}`] : []),
          ...registryLines(reg, [`cargo fetch${locked ? ' --locked' : ''}`]),
          ...(s.placeholders.length ? [`rm -f ${s.placeholders.map(shq).join(' ')}`] : []),
        ]);
    const probe = `rustc --edition 2021 -C opt-level=2 -C strip=symbols -o /out/healthcheck ${RUST_PROBE_SOURCE}`;
    const fw = s.framework;
    return {
      builderImage: images.builder,
      finalImage: images.final,
      manifestFiles: manifests,
      installProd: fetch,
      installAll: null,
      build: runLines(`${registry}${target}${secretMounts(a.buildSecrets)}${regMount}`, [
        ...registryLines(reg, [shellLine(build)]),
        'mkdir -p /out',
        `cp target/release/${bin} /out/${bin}`,
        probe,
      ]),
      artefacts: [
        { stage: 'build', from: `/out/${bin}`, to: `/app/${bin}` },
        { stage: 'build', from: '/out/healthcheck', to: '/app/healthcheck' },
        // files the binary reads from its working directory (configuration, Rocket.toml, templates)
        ...s.runtimeFiles.map((f) => ({ stage: 'build', from: `/src/${f}`, to: `/app/${f}` })),
      ],
      env: [
        ['PORT', String(a.port)],
        // Rocket reads its own settings and listens on 127.0.0.1 by default
        ...(fw === 'rocket'
          ? ([
              ['ROCKET_ADDRESS', '0.0.0.0'],
              ['ROCKET_PORT', String(a.port)],
            ] as [string, string][])
          : []),
      ],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: {
        copyManifests: copyLines(manifests),
        scratch: a.flavor === 'scratch' ? 'yes' : '',
        musl: musl(a.flavor) ? 'yes' : '',
        muslToolchain: musl(a.flavor) ? 'apk add --no-cache musl-dev' : '',
        vendored: s.vendored ? 'yes' : '',
        sqlx: s.sqlx ? 'yes' : '',
        unlocked: locked ? '' : 'yes',
        bin,
      },
    };
  },
  dockerignore: () => ['target', '**/*.rs.bk'],
};
