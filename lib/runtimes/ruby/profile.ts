// Ruby: Rails and Rack apps (Sinatra, Roda, Hanami …) served by puma. There is no distroless Ruby:
// the final image is the official ruby:<minor>-slim-bookworm (flavour "slim") or -alpine3.22 with the
// package managers removed (apt/dpkg or apk, and the gem command; bundler stays: it sets up the load
// path for `bundle exec`). The build stage installs the bundle in deployment mode without the
// development and test groups (BUNDLE_DEPLOYMENT, BUNDLE_WITHOUT, BUNDLE_PATH: bundler's own
// configuration through the environment), precompiles bootsnap and the Rails assets (with a
// throwaway SECRET_KEY_BASE_DUMMY on that RUN line only); compilers never reach the final image.
//
// settings (Facts.settings / ProjectLayout.settings): rails: boolean (RAILS_ENV, logs to stdout,
// static files), bootsnap: boolean (cache precompiled, read-only at run time), jemalloc: boolean
// (libjemalloc2 preloaded).
import type { Answers, BuildStep, DockerfileSpec, Flavor, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import { registrySetup, splitBasic, withRegistry } from '../package-registry.js';
import { NATIVE_GEMS, rubyClaim } from './detect.js';
import { RUBY_DEFAULT, RUBY_MINORS, RUBY_VERSIONS } from './versions.js';

const ALPINE = '3.22';
const BUNDLE = '/usr/local/bin/bundle';
const BUNDLE_PATH = '/usr/local/bundle';
const BOOTSNAP_DIR = '/app/.bootsnap';

/** Alpine names of the Debian packages NATIVE_GEMS lists. */
const APK: Readonly<Record<string, string>> = {
  'libpq-dev': 'postgresql-dev',
  libpq5: 'libpq',
  'default-libmysqlclient-dev': 'mariadb-dev',
  libmariadb3: 'mariadb-connector-c',
  libvips42: 'vips',
  imagemagick: 'imagemagick',
  'libmagickwand-dev': 'imagemagick-dev',
  'libmagickwand-6.q16-6': 'imagemagick-libs',
  'libffi-dev': 'libffi-dev',
  libjemalloc2: 'jemalloc',
};

function packagesFor(gems: readonly string[], kind: 'build' | 'run', flavor: Flavor): string[] {
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const deb = [...new Set(gems.flatMap((g) => (own(NATIVE_GEMS, g) ? NATIVE_GEMS[g][kind] : [])))];
  return flavor === 'alpine' ? deb.flatMap((p) => (own(APK, p) ? [APK[p]] : [])) : deb;
}

function install(pkgs: string[], flavor: Flavor): string {
  return flavor === 'alpine'
    ? `apk add --no-cache ${pkgs.join(' ')}`
    : `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')} && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb`;
}

/** The build stage's toolchain install: the package caches in BuildKit cache mounts (nothing in the layer, fast rebuilds). */
function installCached(pkgs: string[], flavor: Flavor): string {
  return flavor === 'alpine'
    ? `--mount=type=cache,target=/etc/apk/cache,sharing=locked apk add ${pkgs.join(' ')}`
    : `--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

/** A framework step we can write: plain words, `bundle exec …` only, env names and values plain. */
function safeStep(st: BuildStep): boolean {
  const plain = (w: string): boolean => /^[\w.:=/@+-]+$/.test(w);
  return (
    st.argv.length > 2 &&
    st.argv[0] === 'bundle' &&
    st.argv[1] === 'exec' &&
    st.argv.every(plain) &&
    Object.entries(st.env ?? {}).every(([k, v]) => /^[A-Z_][A-Z0-9_]*$/.test(k) && plain(v))
  );
}

export const ruby: RuntimeProfile = {
  runtime: 'ruby',
  label: 'Ruby',
  choiceHelp: 'Ruby (Gemfile): Rails or a Rack app (config.ru), served by puma',
  manifestNames: ['Gemfile'],
  claim: rubyClaim,
  code: {
    files: /\.(?:rb|ru)$/,
    ports: [
      /\bport\s*\(?\s*ENV\.fetch\(\s*['"]PORT['"]\s*(?:,\s*|\)\s*\{\s*)['"]?(\d{1,6})\b/g,
      /\bset\s+:port\s*,\s*(?:ENV\.fetch\([^,]+,\s*)?['"]?(\d{1,6})\b/g,
      /\bPort:\s*(?:ENV\.fetch\([^,]+,\s*)?['"]?(\d{1,6})\b/g,
    ],
  },
  layout(facts) {
    const present = new Set(facts.lockfiles?.value ?? []);
    return {
      manifests: ['Gemfile', ...['Gemfile.lock', '.ruby-version'].filter((f) => present.has(f))],
      ...(facts.nativeDeps ? { nativeDeps: facts.nativeDeps.value.filter((g) => g in NATIVE_GEMS) } : {}),
      ...(facts.buildSteps ? { buildSteps: facts.buildSteps.value.filter(safeStep) } : {}),
      ...(facts.manualSteps ? { manualSteps: facts.manualSteps.value } : {}),
      ...(facts.settings ? { settings: facts.settings.value } : {}),
    };
  },
  startExample: () => '"bundle exec puma -C config/puma.rb"',
  templateDir: packagePath('templates', 'runtimes', 'ruby'),
  secretsHelperPath: 'lib/secrets_helper.rb',
  context: { sourceFiles: /\.(?:rb|ru|erb|rake|ya?ml)$/, exceptions: [] },
  packageManagers: ['bundler'],
  defaultPackageManager: 'bundler',
  defaultVersion: RUBY_DEFAULT,
  versions: RUBY_VERSIONS,
  normalizeVersion(v) {
    const m = /^(?:ruby-)?v?(\d+)\.(\d+)(\.\d+)?(?:p\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Ruby version such as 3.4');
    return `${m[1]}.${m[2]}`;
  },
  versionHelp: `a Ruby minor version: ${RUBY_MINORS.join(', ')}`,
  defaultPort: 3000,
  flavors: ['slim', 'alpine'],
  images(v, flavor) {
    const img = flavor === 'alpine' ? `ruby:${v}-alpine${ALPINE}` : `ruby:${v}-slim-bookworm`;
    return { builder: img, final: img };
  },
  defaultUser: () => 10001,
  interpreter: () => BUNDLE,
  entrypoint(start) {
    return [BUNDLE, ...start.slice(1)];
  },
  checkStart(start) {
    if (start[0] !== 'bundle' || start[1] !== 'exec' || start.length < 3)
      return 'must start with "bundle exec", e.g. "bundle exec puma -C config/puma.rb" (P1: the server itself, no foreman or wrapper script)';
    if (['foreman', 'overmind', 'thrust', 'sh', 'bash'].includes(start[2]))
      return `must run the server itself, not ${start[2]} (one process per container)`;
    return undefined;
  },
  defaultStart: () => undefined,
  healthcheck(_flavor, port, path) {
    // any HTTP answer counts for "/" (no health route found); a named route must answer 2xx/3xx
    const ok = path === '/' ? 'true' : 'r.code.to_i < 400';
    const rb =
      `require "net/http"; u = URI("${httpProbeUrl(port, path)}"); ` +
      `r = Net::HTTP.start(u.host, u.port, open_timeout: 3, read_timeout: 3) { |h| h.get(u.path) }; exit(${ok} ? 0 : 1) rescue exit 1`;
    return ['/usr/local/bin/ruby', '-e', rb];
  },
  tmpfs: ['/app/tmp'],
  // --package-registry (issue 19): a Bundler mirror of rubygems.org in the user config (no secret; the
  // install line removes ~/.bundle), the credentials as BUNDLE_<HOST> in the install RUN's environment
  packageRegistry(ref) {
    const host = new URL(ref.url).hostname;
    const key = `BUNDLE_${host.toUpperCase().replace(/-/g, '___').replace(/\./g, '__')}`;
    return {
      before: [
        `bundle config set --global mirror.https://rubygems.org ${ref.url}`,
        ...(ref.secret !== '' && /^BUNDLE_[A-Z0-9_]+$/.test(key)
          ? [...splitBasic(ref, 'SC_U', 'SC_P'), `export ${key}="$SC_U:$SC_P"`]
          : []),
      ],
      after: [],
      secretForm: '`user:password`',
      tools: 'Bundler (a mirror of https://rubygems.org)',
    };
  },
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const reg = registrySetup(this, a, layout);
    const gems = (layout.nativeDeps ?? []).filter((g) => g in NATIVE_GEMS);
    const s = layout.settings ?? {};
    const rails = s.rails === true;
    const bootsnap = s.bootsnap === true;
    const jemalloc = s.jemalloc === true;
    const toolchain =
      a.flavor === 'alpine'
        ? ['build-base', 'git', 'yaml-dev', 'pkgconf']
        : ['build-essential', 'git', 'libyaml-dev', 'pkg-config'];
    const runLibs = [
      ...packagesFor(gems, 'run', a.flavor),
      ...(jemalloc ? [a.flavor === 'alpine' ? 'jemalloc' : 'libjemalloc2'] : []),
    ];
    const locked = layout.manifests.includes('Gemfile.lock');
    const steps = (layout.buildSteps ?? []).filter(safeStep);
    const stepLines = steps.map(
      (st) =>
        `# ${st.why.replace(/\s+/g, ' ').slice(0, 200)}\nRUN ${[...Object.entries(st.env ?? {}).map(([k, v]) => `${k}=${shq(v)}`), ...st.argv.map(shq)].join(' ')}`,
    );
    const bundleEnv: [string, string][] = [
      ['BUNDLE_DEPLOYMENT', locked ? '1' : '0'],
      ['BUNDLE_PATH', BUNDLE_PATH],
      ['BUNDLE_WITHOUT', 'development:test'],
    ];
    const appEnv: [string, string][] = [
      ...(rails
        ? ([
            ['RAILS_ENV', 'production'],
            ['RAILS_LOG_TO_STDOUT', '1'],
            ['RAILS_SERVE_STATIC_FILES', '1'],
          ] as [string, string][])
        : []),
      ['RACK_ENV', 'production'],
      ...(bootsnap
        ? ([
            ['BOOTSNAP_CACHE_DIR', BOOTSNAP_DIR],
            ['BOOTSNAP_READONLY', '1'],
          ] as [string, string][])
        : []),
    ];
    const jemallocLib =
      a.flavor === 'alpine' ? '/usr/lib/libjemalloc.so.2' : '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
    const harden =
      a.flavor === 'alpine'
        ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk /usr/local/bin/gem'
        : 'rm -rf /usr/bin/apt /usr/bin/apt-get /usr/bin/apt-cache /usr/bin/apt-config /usr/bin/apt-key /usr/bin/apt-mark /usr/bin/dpkg /usr/bin/dpkg-deb /usr/bin/dpkg-query /usr/bin/dpkg-split /usr/bin/dpkg-divert /usr/bin/dpkg-statoverride /usr/bin/dpkg-trigger /usr/bin/dpkg-maintscript-helper /etc/apt /var/lib/apt /var/cache/apt /var/cache/debconf /usr/local/bin/gem';
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['Gemfile'],
      // bundler's download cache in a cache mount (BUNDLE_GLOBAL_GEM_CACHE on this line only)
      installProd:
        withRegistry(
          reg,
          `--mount=type=cache,target=/root/.cache/bundle ${secretMounts(a.buildSecrets)}`,
          `BUNDLE_GLOBAL_GEM_CACHE=1 BUNDLE_USER_CACHE=/root/.cache/bundle bundle install && rm -rf ~/.bundle ${BUNDLE_PATH}/ruby/*/cache ${BUNDLE_PATH}/ruby/*/bundler/gems/*/.git`,
        ) + (bootsnap ? ' && bundle exec bootsnap precompile --gemfile' : ''),
      installAll: null,
      build: a.build !== null ? `${secretMounts(a.buildSecrets)}${shellLine(a.build)}` : null,
      artefacts: [
        { stage: 'build', from: BUNDLE_PATH, to: BUNDLE_PATH },
        { stage: 'build', from: '/app', to: '/app' },
      ],
      env: [
        ...bundleEnv,
        ...appEnv,
        ...(jemalloc ? ([['LD_PRELOAD', jemallocLib]] as [string, string][]) : []),
        ['PORT', String(a.port)],
      ],
      emptyStage: 'build',
      harden,
      extra: {
        toolchain: installCached([...toolchain, ...packagesFor(gems, 'build', a.flavor)], a.flavor),
        runtimeLibs: runLibs.length > 0 ? install(runLibs, a.flavor) : '',
        bundleEnv: bundleEnv.map(([k, v]) => `${k}=${v}`).join(' '),
        buildEnv: [
          ...(rails ? ['RAILS_ENV=production'] : []),
          ...(bootsnap ? [`BOOTSNAP_CACHE_DIR=${BOOTSNAP_DIR}`] : []),
        ].join(' '),
        bootsnap: bootsnap ? `bundle exec bootsnap precompile app/ lib/` : '',
        steps: stepLines.join('\n'),
        unlocked: locked ? '' : 'yes',
        finalNote:
          a.flavor === 'alpine'
            ? 'ruby alpine: small, package managers removed below (P2)'
            : 'ruby slim (Debian): no distroless Ruby exists; apt/dpkg and the gem command removed below (P2)',
      },
    };
  },
  dockerignore: () => [
    'log/*',
    'tmp/*',
    'storage/*',
    'vendor/bundle',
    '.bundle',
    'node_modules',
    'public/assets',
    'coverage',
    'spec',
    'test',
  ],
};
