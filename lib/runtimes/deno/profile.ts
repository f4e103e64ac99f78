// Deno: denoland/deno images (by the Deno company). The build stage (denoland/deno:<version>,
// Debian) installs what deno.json / package.json declare and caches the entry's module graph
// (`deno install --frozen --entrypoint`) into DENO_DIR; the final stage is
// denoland/deno:distroless-<version> (distroless/cc, no shell) or alpine-<version> with that cache and
// the sources, and runs `deno run --cached-only` (never fetches at run time, P6) with the
// permission flags the app declares, as the numeric non-root user.
//
// settings (Facts.settings / ProjectLayout.settings): declaredDeps: boolean, the config has imports
// or there is a package.json (a missing deno.lock is then worth a comment).
import type { Answers, DockerfileSpec, Flavor, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { npmSetup, registrySetup, withRegistry } from '../package-registry.js';
import { denoClaim } from './detect.js';
import { DENO_DEFAULT, DENO_RELEASES, DENO_VERSIONS } from './versions.js';

const DENO_BIN = '/bin/deno';
const DENO_DIR = '/deno-dir';
const MANIFESTS = ['deno.json', 'deno.jsonc', 'deno.lock', 'package.json'];
const FILE = /^[\w./@+-]+\.(?:[cm]?[jt]sx?)$/;

const release = (v: string): string => DENO_RELEASES[v] ?? DENO_RELEASES[DENO_DEFAULT];

/** The entry file of a logical start argv (the first non-flag after run/serve). */
function entryOf(start: string[]): string | undefined {
  return start.slice(2).find((t) => !t.startsWith('-'));
}

export const deno: RuntimeProfile = {
  runtime: 'deno',
  label: 'Deno',
  choiceHelp: 'Deno (deno.json), run from its cached module graph',
  manifestNames: ['deno.json'],
  claim: denoClaim,
  code: {
    files: /\.(?:[cm]?[jt]sx?)$/,
    ports: [
      /\bDeno\.serve\(\s*\{[^}]{0,200}?\bport\s*:\s*(?:[^,}]{0,80}?(?:\?\?|\|\|)\s*)?['"]?(\d{1,6})\b/g,
      /\bDeno\.env\.get\(\s*['"]PORT['"]\s*\)\s*(?:\?\?|\|\|)\s*['"]?(\d{1,6})\b/g,
      /\.listen\(\s*\{\s*port\s*:\s*(\d{1,6})\b/g,
      /\b(?:const|let)\s+(?:PORT|port)\s*(?::\s*\w+\s*)?=\s*(?:Number\(\s*)?['"]?(\d{1,6})\b/g,
    ],
  },
  layout(facts) {
    const present = new Set(facts.lockfiles?.value ?? []);
    return {
      manifests: MANIFESTS.filter((f) => present.has(f)),
      ...(facts.settings ? { settings: { declaredDeps: facts.settings.value.declaredDeps === true } } : {}),
    };
  },
  startExample: () => '"deno run --allow-net main.ts"',
  templateDir: packagePath('templates', 'runtimes', 'deno'),
  secretsHelperPath: 'secrets.ts',
  context: { sourceFiles: /\.(?:[cm]?[jt]sx?|jsonc?)$/, exceptions: [] },
  packageManagers: ['deno'],
  defaultPackageManager: 'deno',
  defaultVersion: DENO_DEFAULT,
  versions: DENO_VERSIONS,
  normalizeVersion(v) {
    const m = /^v?(2)\.(\d+)(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Deno 2 version such as 2.9');
    return `${m[1]}.${m[2]}`;
  },
  versionHelp: `a Deno minor version: ${Object.keys(DENO_RELEASES).join(', ')} (each built with its newest patch release)`,
  defaultPort: 8000,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    const r = release(v);
    return {
      builder: `denoland/deno:${r}`,
      final: flavor === 'alpine' ? `denoland/deno:alpine-${r}` : `denoland/deno:distroless-${r}`,
    };
  },
  defaultUser: (flavor: Flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: () => DENO_BIN,
  entrypoint(start, _flavor, a) {
    const [, sub, ...rest] = start;
    const flags = rest.filter((t) => t !== '--cached-only');
    // deno serve listens on --port (default 8000): the port answer decides
    const port = sub === 'serve' ? [`--port=${a.port}`] : [];
    const kept = sub === 'serve' ? flags.filter((t) => !t.startsWith('--port=')) : flags;
    return [DENO_BIN, sub, '--cached-only', ...port, ...kept];
  },
  checkStart(start) {
    if (start[0] !== 'deno' || (start[1] !== 'run' && start[1] !== 'serve'))
      return 'must be "deno run …" or "deno serve …" with the entry file, e.g. "deno run --allow-net main.ts" (P1: no task runner or wrapper)';
    const file = entryOf(start);
    if (file === undefined || !FILE.test(file)) return 'must name the entry file, e.g. "deno run --allow-net main.ts"';
    if (start.some((t) => /^--(?:watch|inspect|reload)/.test(t)))
      return 'must not use --watch, --inspect or --reload (development only)';
    return undefined;
  },
  defaultStart: () => undefined,
  healthcheck(_flavor, port, path) {
    const verdict = path === '/' ? '0' : 'r.status<400?0:1';
    const js = `fetch('${httpProbeUrl(port, path)}',{signal:AbortSignal.timeout(4000)}).then(r=>Deno.exit(${verdict}),()=>Deno.exit(1))`;
    return [DENO_BIN, 'eval', js];
  },
  tmpfs: [],
  // --package-registry: npm: specifiers through NPM_CONFIG_REGISTRY and ~/.npmrc (Deno reads both; issue 19)
  packageRegistry: (ref) => ({
    ...npmSetup(ref),
    caveat: 'Only npm: specifiers go through it: jsr: and https: imports are fetched from their own hosts.',
  }),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const reg = registrySetup(this, a, layout);
    const manifests = layout.manifests.length ? layout.manifests : ['deno.json'];
    const locked = manifests.includes('deno.lock');
    const frozen = locked ? ' --frozen' : '';
    const entry = entryOf(a.start) ?? 'main.ts';
    const mounts = secretMounts(a.buildSecrets);
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: manifests,
      installProd: withRegistry(reg, mounts, `deno install${frozen}`),
      installAll: withRegistry(reg, mounts, `deno install${frozen} --entrypoint ${shellLine([entry])}`),
      build: a.build !== null ? `${mounts}${shellLine(a.build)}` : null,
      artefacts: [
        { stage: 'build', from: DENO_DIR, to: DENO_DIR },
        { stage: 'build', from: '/app', to: '/app' },
      ],
      env: [
        ['DENO_DIR', DENO_DIR],
        ['DENO_NO_UPDATE_CHECK', '1'],
        ['DENO_NO_PROMPT', '1'],
        ['PORT', String(a.port)],
      ],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      // settings.declaredDeps: the config has imports or there is a package.json (else nothing to lock)
      extra: { unlocked: locked || layout.settings?.declaredDeps === false ? '' : 'yes', entry },
    };
  },
  dockerignore: () => ['**/node_modules', '.deno', 'deno-dir', '_fresh'],
};
