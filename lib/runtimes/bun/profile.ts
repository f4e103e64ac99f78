// Bun: oven/bun images (the official ones, by Oven). distroless: oven/bun:<minor>-distroless
// (distroless/base with the bun binary, no shell) run as the distroless nonroot user 65532; alpine:
// oven/bun:<minor>-alpine with apk removed. The production dependencies come from
// `bun install --frozen-lockfile --production`; Bun runs TypeScript directly, so the sources are
// the app unless a build step writes what the start command runs.
import type { Answers, DockerfileSpec, Flavor, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, safeRelPath, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { registrySetup, withRegistry } from '../package-registry.js';
import { nodeRegistry } from '../node/profile.js';
import { bunClaim } from './detect.js';
import { BUN_DEFAULT, BUN_VERSIONS } from './versions.js';

const BUN_BIN = '/usr/local/bin/bun';
const LOCKS = ['bun.lock', 'bun.lockb'];

export const bun: RuntimeProfile = {
  runtime: 'bun',
  label: 'Bun',
  choiceHelp: 'Bun (package.json + bun.lock, started with bun)',
  manifestNames: ['package.json + bun.lock'],
  claim: bunClaim,
  code: {
    files: /\.(?:[cm]?[jt]sx?)$/,
    ports: [
      /\.listen\(\s*(\d{1,6})\b/g,
      /\b(?:process|Bun)\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{1,6})\b/g,
      /\bport\s*:\s*(?:Number\([^)]*\)\s*(?:\|\||\?\?)\s*)?['"]?(\d{1,6})\b/g,
      /\b(?:const|let|var)\s+(?:PORT|port)\s*(?::\s*\w+\s*)?=\s*(?:Number\(\s*)?['"]?(\d{1,6})\b/g,
    ],
  },
  layout(facts) {
    const present = new Set(facts.lockfiles?.value ?? []);
    const out = safeRelPath(facts.buildOutput?.value);
    return {
      manifests: ['package.json', ...LOCKS.filter((f) => present.has(f))],
      ...(out !== undefined ? { buildOutput: out } : {}),
    };
  },
  startExample: () => '"bun src/index.ts"',
  templateDir: packagePath('templates', 'runtimes', 'bun'),
  secretsHelperPath: 'secrets.ts',
  context: { sourceFiles: /\.(?:[cm]?[jt]sx?|json)$/, exceptions: [] },
  packageManagers: ['bun'],
  defaultPackageManager: 'bun',
  defaultVersion: BUN_DEFAULT,
  versions: BUN_VERSIONS,
  normalizeVersion(v) {
    const m = /^v?(1)\.(\d+)(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Bun version such as 1.4');
    return `${m[1]}.${m[2]}`;
  },
  versionHelp: `a Bun minor version: ${(BUN_VERSIONS.distroless ?? []).join(', ')}`,
  defaultPort: 3000,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    return flavor === 'alpine'
      ? { builder: `oven/bun:${v}-alpine`, final: `oven/bun:${v}-alpine` }
      : { builder: `oven/bun:${v}`, final: `oven/bun:${v}-distroless` };
  },
  defaultUser: (flavor: Flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: () => BUN_BIN,
  entrypoint(start) {
    return [BUN_BIN, ...start.slice(1)];
  },
  checkStart(start) {
    if (start[0] !== 'bun')
      return `must start the app with bun directly, e.g. "bun src/index.ts" (not ${JSON.stringify(start[0])}: P1, no wrappers)`;
    if (start.length < 2) return 'must name the entry file, e.g. "bun src/index.ts"';
    if (start.some((t) => t === '--watch' || t === '--hot' || t.startsWith('--inspect')))
      return 'must not use --watch, --hot or --inspect (development only)';
    return undefined;
  },
  defaultStart: () => undefined,
  healthcheck(_flavor, port, path) {
    // "/" is the fallback when no health route was found: any HTTP answer counts as alive
    const verdict = path === '/' ? '0' : 'r.status<400?0:1';
    const js = `fetch('${httpProbeUrl(port, path)}',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(${verdict}),()=>process.exit(1))`;
    return [BUN_BIN, '-e', js];
  },
  tmpfs: [],
  // --package-registry: bun reads the npm registry variables and a user-level .npmrc (issue 19)
  packageRegistry: (ref) => nodeRegistry(ref, 'bun', false),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const reg = registrySetup(this, a, layout);
    const locked = layout.manifests.some((f) => LOCKS.includes(f));
    const frozen = locked ? ' --frozen-lockfile' : '';
    const mounts = `--mount=type=cache,target=/root/.bun/install/cache ${secretMounts(a.buildSecrets)}`;
    const out = layout.buildOutput ?? 'dist';
    const hasBuild = a.build !== null;
    // the start file is in the build output: only the output ships; otherwise the sources are the app
    const startFile = a.start.slice(1).find((t) => !t.startsWith('-'));
    const runsOutput = hasBuild && startFile !== undefined && startFile.startsWith(`${out}/`);
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['package.json'],
      installProd: withRegistry(reg, mounts, `bun install${frozen} --production`),
      installAll: hasBuild ? withRegistry(reg, mounts, `bun install${frozen}`) : null,
      build: a.build !== null ? `${secretMounts(a.buildSecrets)}${shellLine(a.build)}` : null,
      artefacts: [
        { stage: 'deps', from: '/app/node_modules', to: './node_modules' },
        ...(hasBuild ? [{ stage: 'build', from: `/app/${out}`, to: `./${out}` }] : []),
      ],
      env: [
        ['NODE_ENV', 'production'],
        ['PORT', String(a.port)],
      ],
      emptyStage: 'deps',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: {
        copySources: runsOutput ? '' : 'yes',
        unlocked: locked ? '' : 'bun',
      },
    };
  },
  dockerignore: (layout, a) => [
    '**/node_modules',
    '.bun',
    '*.bun-build',
    ...(a.build !== null ? [layout.buildOutput ?? 'dist'] : []),
  ],
};
