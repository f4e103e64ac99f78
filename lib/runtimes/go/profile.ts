// Go: static binaries on distroless/static, scratch or alpine; a tiny Go health probe built with the app.
// cgo (mattn/go-sqlite3, `import "C"`): built with CGO_ENABLED=1 and a C toolchain, run on a final
// base with libc (distroless/base; alpine: musl, built on the alpine golang image). Vendored
// dependencies (vendor/modules.txt): -mod=vendor, no module download.
import {
  AnswerError,
  type Answers,
  type DockerfileSpec,
  type ProjectLayout,
  type RuntimeSettings,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { safeRelPath, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { exportVar, registrySetup, withRegistry } from '../package-registry.js';
import { detectGo } from './detect.js';
import { GO_PROBE_ANY_STATUS, GO_PROBE_SOURCE, goProbeSource } from './probe.js';
import { GO_VERSIONS } from './versions.js';

const ALPINE = '3.22';
/** The distroless image with glibc (and libssl, CA certificates, tzdata) for a cgo binary. */
const DISTROLESS_LIBC = 'gcr.io/distroless/base-debian12:nonroot';
/** Where --secrets-helper writes the Go package: inside a directory named secrets (see context.exceptions). */
const HELPER = 'internal/secrets/secrets.go';

/**
 * The files the binary reads from its working directory (detection's settings.runtimeFiles),
 * re-validated: they come from .yo-rc.json too. A directory keeps its trailing slash.
 */
export function goRuntimeFiles(s: RuntimeSettings | undefined): string[] {
  const list = Array.isArray(s?.runtimeFiles) ? s.runtimeFiles : [];
  return list
    .filter((f): f is string => typeof f === 'string')
    .filter((f) => {
      const bare = f.replace(/\/$/, '');
      return !bare.includes('/') && safeRelPath(bare) === bare && bare !== '.' && bare !== '..';
    })
    .slice(0, 20);
}

export const go: RuntimeProfile = {
  runtime: 'go',
  label: 'Go',
  choiceHelp: 'Go (go.mod), compiled to a static binary',
  manifestNames: ['go.mod'],
  claim: (ctx) => (ctx.has('go.mod') ? { rank: 30, source: 'go.mod', detect: () => detectGo(ctx) } : undefined),
  code: {
    files: /\.go$/,
    ports: [
      /"(?:0\.0\.0\.0)?:(\d{1,6})"/g,
      /\b(?:(?:default|http|listen|server|app)[pP]ort|[pP]ort|PORT|DEFAULT_PORT)\s*(?::=|=)\s*"(\d{1,6})"/g,
      // a config struct tag default (ardanlabs/conf): `conf:"default:0.0.0.0:3000"`
      /\bdefault:(?:0\.0\.0\.0)?:(\d{1,6})\b/g,
    ],
  },
  layoutHints(_facts, repo) {
    // presence only (detection's listing skips vendor/): the build uses it when it is there
    return repo.exists('vendor/modules.txt') ? { goVendor: true } : {};
  },
  layout(facts, _a, hints) {
    const present = new Set(facts.lockfiles?.value ?? []);
    const main = facts.goMainPackage?.value;
    const goMain = main && /^\.(\/[A-Za-z0-9._-]+)*$/.test(main) && !main.includes('..') ? main : '.';
    const runtimeFiles = goRuntimeFiles(hints.settings ?? facts.settings?.value);
    return {
      manifests: ['go.mod', ...(present.has('go.sum') ? ['go.sum'] : [])],
      goMain,
      ...(facts.goCgo?.value === true ? { goCgo: true } : {}),
      ...(hints.goVendor === true || facts.goVendor?.value === true ? { goVendor: true } : {}),
      ...(runtimeFiles.length ? { settings: { runtimeFiles } } : {}),
    };
  },
  startExample: (name) => `"/app/${name}"`,
  templateDir: packagePath('templates', 'runtimes', 'go'),
  secretsHelperPath: HELPER,
  extraFiles: (spec) => [{ path: GO_PROBE_SOURCE, contents: goProbeSource(spec.generator.version) }],
  context: {
    sourceFiles: /\.go$/,
    exceptions: [{ why: 'the --secrets-helper package is code, not a secret', patterns: [`!${HELPER}`] }],
  },
  packageManagers: ['go'],
  defaultPackageManager: 'go',
  defaultVersion: '1.23',
  versions: GO_VERSIONS,
  normalizeVersion(v) {
    const m = /^(1\.\d{1,2})(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Go version such as 1.23');
    return m[1];
  },
  versionHelp: `a Go version from ${GO_VERSIONS.distroless?.at(0) ?? ''} to ${GO_VERSIONS.distroless?.at(-1) ?? ''} (go.mod's go line is a minimum: the newest is proposed)`,
  defaultPort: 8080,
  flavors: ['distroless', 'scratch', 'alpine'],
  images(v, flavor) {
    const builder = `golang:${v}-bookworm`;
    if (flavor === 'scratch') return { builder, final: 'scratch' };
    if (flavor === 'alpine') return { builder, final: `alpine:${ALPINE}` };
    return { builder, final: 'gcr.io/distroless/static-debian12:nonroot' };
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: () => null,
  entrypoint(start) {
    return start;
  },
  checkStart(start, a) {
    if (start[0] !== `/app/${a.name}`) {
      return `must start with the compiled binary /app/${a.name} (the build writes it there), e.g. "/app/${a.name} serve"`;
    }
    return undefined;
  },
  defaultStart: (a) => [`/app/${a.name}`],
  rebaseStart: (start, name) =>
    /^\/app\/[a-z0-9-]+$/.test(start[0] ?? '') ? [`/app/${name}`, ...start.slice(1)] : start,
  healthcheck(_flavor, port, path) {
    // "/" is the fallback when no health route was found (detection says so): an API without a
    // "/" route answers 404 there, so the probe counts any HTTP answer as alive
    const url = `http://127.0.0.1:${port}${path}`;
    return path === '/' ? ['/app/healthcheck', GO_PROBE_ANY_STATUS, url] : ['/app/healthcheck', url];
  },
  tmpfs: [],
  // --package-registry (issue 19): GOPROXY (the checksum database is asked through it too); with a
  // secret, `user:password@` is put into the URL inside the download RUN only. The modules and any
  // toolchain the go.mod asks for land in the /go/pkg/mod cache the build step reads
  packageRegistry: (ref) => ({
    before: [exportVar('GOPROXY', ref.secret === '' ? ref.url : `${ref.scheme}${ref.read}@${ref.rest}`)],
    after: [],
    secretForm: '`user:password` (URL-encoded)',
    tools: 'the Go module proxy (GOPROXY; the checksum database is reached through it)',
  }),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const images = this.images(a.runtimeVersion, a.flavor);
    const reg = registrySetup(this, a, layout);
    const cgo = layout.goCgo === true;
    const vendor = layout.goVendor === true;
    if (cgo && a.flavor === 'scratch')
      throw new AnswerError(
        'flavor',
        '--flavor',
        'scratch cannot run this app: it needs cgo (see the goCgo fact), so the binary links against the C library, which scratch does not have: use --flavor distroless (distroless/base, glibc) or alpine (musl)',
      );
    // cgo: the Debian golang image has gcc and glibc (distroless/base matches it); alpine builds
    // against musl on the alpine golang image so the binary runs on the alpine final image
    const builder = cgo && a.flavor === 'alpine' ? `golang:${a.runtimeVersion}-alpine${ALPINE}` : images.builder;
    const final = cgo && a.flavor === 'distroless' ? DISTROLESS_LIBC : images.final;
    const caches = `${vendor ? '' : '--mount=type=cache,target=/go/pkg/mod '}--mount=type=cache,target=/root/.cache/go-build `;
    const main = layout.goMain ?? '.';
    const runtimeFiles = goRuntimeFiles(layout.settings);
    const build = a.build ?? [
      'go',
      'build',
      ...(vendor ? ['-mod=vendor'] : []),
      '-trimpath',
      '-ldflags=-s -w',
      '-o',
      `/out/${a.name}`,
      main,
    ];
    // the probe is stdlib only: always static (CGO off), whatever the app needs
    const probe = `CGO_ENABLED=0 go build ${vendor ? '-mod=vendor ' : ''}-trimpath -ldflags='-s -w' -o /out/healthcheck ./${GO_PROBE_SOURCE}`;
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['go.mod'],
      // vendored: everything is in vendor/ (copied with the sources), nothing to download
      installProd: vendor
        ? ''
        : withRegistry(reg, `--mount=type=cache,target=/go/pkg/mod ${secretMounts(a.buildSecrets)}`, 'go mod download'),
      installAll: null,
      build: `${caches}${secretMounts(a.buildSecrets)}${shellLine(build)} && ${probe}`,
      artefacts: [
        { stage: 'build', from: `/out/${a.name}`, to: `/app/${a.name}` },
        { stage: 'build', from: '/out/healthcheck', to: '/app/healthcheck' },
        // files the binary reads from its working directory (/app): templates, static assets,
        // configuration, migrations; owned by root like the binary, so read-only for the app user
        ...runtimeFiles.map((f) => ({ stage: 'build', from: `/src/${f}`, to: `/app/${f}` })),
      ],
      env: [['PORT', String(a.port)]],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: {
        scratch: a.flavor === 'scratch' ? 'yes' : '',
        cgo: cgo ? 'yes' : '',
        // alpine + cgo: the C toolchain for musl in the build stage only
        cgoToolchain: cgo && a.flavor === 'alpine' ? 'apk add --no-cache gcc musl-dev' : '',
        vendor: vendor ? 'yes' : '',
      },
    };
  },
  dockerignore: () => ['bin', 'vendor/**/testdata', '*.test', '*.out', 'coverage.*'],
};
