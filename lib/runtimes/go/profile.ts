// Go: static binaries on distroless/static, scratch or alpine; a tiny Go health probe built with the app.
import type { Answers, DockerfileSpec, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { detectGo } from './detect.js';
import { GO_PROBE_SOURCE, goProbeSource } from './probe.js';

const ALPINE = '3.22';
/** Where --secrets-helper writes the Go package: inside a directory named secrets (see context.exceptions). */
const HELPER = 'internal/secrets/secrets.go';

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
    ],
  },
  layout(facts) {
    const present = new Set(facts.lockfiles?.value ?? []);
    const main = facts.goMainPackage?.value;
    const goMain = main && /^\.(\/[A-Za-z0-9._-]+)*$/.test(main) && !main.includes('..') ? main : '.';
    return { manifests: ['go.mod', ...(present.has('go.sum') ? ['go.sum'] : [])], goMain };
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
  versions: {
    distroless: ['1.21', '1.22', '1.23', '1.24', '1.25'],
    alpine: ['1.21', '1.22', '1.23', '1.24', '1.25'],
    scratch: ['1.21', '1.22', '1.23', '1.24', '1.25'],
  },
  normalizeVersion(v) {
    const m = /^(1\.\d{1,2})(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Go version such as 1.23');
    return m[1];
  },
  versionHelp: 'a Go version from 1.21 to 1.25',
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
    return ['/app/healthcheck', `http://127.0.0.1:${port}${path}`];
  },
  tmpfs: [],
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const caches = '--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build ';
    const main = layout.goMain ?? '.';
    const build = a.build ?? ['go', 'build', '-trimpath', '-ldflags=-s -w', '-o', `/out/${a.name}`, main];
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['go.mod'],
      installProd: `--mount=type=cache,target=/go/pkg/mod ${secretMounts(a.buildSecrets)}go mod download`,
      installAll: null,
      build: `${caches}${secretMounts(a.buildSecrets)}${shellLine(build)} && go build -trimpath -ldflags='-s -w' -o /out/healthcheck ./${GO_PROBE_SOURCE}`,
      artefacts: [
        { stage: 'build', from: `/out/${a.name}`, to: `/app/${a.name}` },
        { stage: 'build', from: '/out/healthcheck', to: '/app/healthcheck' },
      ],
      env: [['PORT', String(a.port)]],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: { scratch: a.flavor === 'scratch' ? 'yes' : '' },
    };
  },
  dockerignore: () => ['bin', 'vendor/**/testdata', '*.test', '*.out', 'coverage.*'],
};
