// Static sites: built in a builder stage (Node for the JavaScript site generators, Go's toolchain
// for Hugo, none for plain files) and served by nginx from nginxinc/nginx-unprivileged (alpine, the
// slim variant: no njs/xslt/geoip modules) as a numeric non-root user on 8080, read-only root with
// its pid and temp files on the /tmp tmpfs. nginx has no distroless image: the final image keeps
// busybox (a shell and wget, used by the shell-free exec-form HEALTHCHECK); apk is removed.
//
// settings (Facts.settings / ProjectLayout.settings) of this runtime:
//   spa: boolean            unknown paths get index.html (client-side routing), else 404.html
//   assets: string[]        URL prefixes of content-hashed files ("/assets/"), cached for a year
//   inlineScripts: boolean  the default Content-Security-Policy allows inline scripts
//   scriptOrigins: string[] origins of external scripts the HTML entry loads (script-src)
//   buildEnv: string[]      NAME=value lines of the build stage (telemetry off, CRA's runtime chunk)
//   hugoVersion: string     Hugo release built with `go install` (a build ARG, HUGO_VERSION)
//   hugoExtended: boolean   build Hugo extended (cgo: Sass)
//   hugoViaNpm: boolean     Hugo comes from the hugo-extended/hugo-bin npm package (a Node build)
//   hugoNodeDeps: boolean   the Hugo build runs Node packages (Tailwind CSS): a Node stage installs them
import type { Answers, DockerfileSpec, ProjectLayout, RuntimeSettings } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, safeRelPath, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { NODE_VERSIONS } from '../node/versions.js';
import { nodeRegistry } from '../node/profile.js';
import {
  exportVar,
  registryMount,
  registryRef,
  withRegistry,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { HUGO_DEFAULT, staticClaim, toolById } from './detect.js';
import { NGINX_CONF, nginxConf, SITE_ROOT } from './nginx.js';
import { JS_LOCKFILES, jsInstall } from './pkg.js';

/** nginx stable on Alpine, the unprivileged build by NGINX (F5): nginx 1.30, alpine 3.24, no dynamic modules. */
/** The registry of a site: npm for its Node packages, GOPROXY for Hugo's download; `site` describes both for the README. */
function staticRegistry(
  ref: PackageRegistryRef,
  a: Answers,
  layout: ProjectLayout,
): { site: RegistrySetup; npm?: RegistrySetup; go?: RegistrySetup } {
  const kind = kindOf(a, layout);
  const npm =
    kind === 'node' || (kind === 'hugo' && layout.manifests.length > 0)
      ? nodeRegistry(ref, a.packageManager, layout.yarnBerry === true)
      : undefined;
  const go: RegistrySetup | undefined =
    kind === 'hugo'
      ? {
          before: [exportVar('GOPROXY', ref.secret === '' ? ref.url : `${ref.scheme}${ref.read}@${ref.rest}`)],
          after: [],
          secretForm: '`user:password` (URL-encoded)',
          tools: 'the Go module proxy for Hugo (GOPROXY)',
        }
      : undefined;
  const site: RegistrySetup = npm ?? go ?? { before: [], after: [], secretForm: '', tools: '' };
  return { site, ...(npm ? { npm } : {}), ...(go ? { go } : {}) };
}

export const NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.30-alpine3.24-slim';
/** Hugo is built from its Go module (`go install`, verified by the Go checksum database). */
const HUGO_BUILDER = 'golang:1.26-bookworm';
const HUGO_VERSION_RE = /^\d+\.\d+\.\d+$/;
const ENV_LINE = /^[A-Z][A-Z0-9_]{0,60}=[A-Za-z0-9._-]{0,60}$/;
const PREFIX = /^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*\/$/;
const NGINX_BIN = '/usr/sbin/nginx';

/** The settings, re-validated (they come from .yo-rc.json too). */
export function siteSettings(s: RuntimeSettings | undefined): {
  spa: boolean;
  assets: string[];
  inlineScripts: boolean;
  scriptOrigins: string[];
  buildEnv: [string, string][];
  hugoVersion: string;
  hugoExtended: boolean;
  hugoViaNpm: boolean;
  hugoNodeDeps: boolean;
} {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    spa: s?.spa === true,
    assets: list(s?.assets).filter((a) => PREFIX.test(a)),
    inlineScripts: s?.inlineScripts !== false,
    scriptOrigins: list(s?.scriptOrigins).filter((o) => /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?$/.test(o)),
    buildEnv: list(s?.buildEnv)
      .filter((l) => ENV_LINE.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
    hugoVersion:
      typeof s?.hugoVersion === 'string' && HUGO_VERSION_RE.test(s.hugoVersion) ? s.hugoVersion : HUGO_DEFAULT,
    hugoExtended: s?.hugoExtended === true,
    hugoViaNpm: s?.hugoViaNpm === true,
    hugoNodeDeps: s?.hugoNodeDeps === true,
  };
}

type Kind = 'node' | 'hugo' | 'plain';

function kindOf(a: Answers, layout: ProjectLayout): Kind {
  if (a.build === null) return 'plain';
  if (a.build[0] === 'hugo' && !siteSettings(layout.settings).hugoViaNpm) return 'hugo';
  return 'node';
}

/** The generated files a plain site at the repository root must not serve. */
const GENERATED = [
  'Dockerfile',
  'compose.yaml',
  'README.Docker.md',
  '.yo-rc.json',
  '.secure-container',
  'deploy',
  'secrets',
];

export const staticSite: RuntimeProfile = {
  runtime: 'static',
  label: 'Static site',
  choiceHelp: 'static site (Vite, Astro, CRA, Next.js export, Hugo, plain public/) served by unprivileged nginx',
  manifestNames: ['package.json (a site build)', 'hugo.toml', 'public/index.html'],
  claim: staticClaim,
  // the port and health route are the generated nginx's (set by the detector), never a dev server's
  code: { files: /(?!)/, ports: [] },
  layout(facts, a) {
    const present = new Set(facts.lockfiles?.value ?? []);
    const locks = JS_LOCKFILES.filter(([f, pm]) => pm === a.packageManager && present.has(f)).map(([f]) => f);
    if (a.packageManager === 'yarn' && present.has('.yarnrc.yml')) locks.push('.yarnrc.yml');
    const out = facts.buildOutput?.value === '.' ? '.' : safeRelPath(facts.buildOutput?.value);
    return {
      manifests: a.packageManager === 'none' ? [] : ['package.json', ...locks],
      ...(out !== undefined ? { buildOutput: out } : {}),
      ...(facts.settings ? { settings: facts.settings.value } : {}),
    };
  },
  layoutHints(facts, repo) {
    // yarn berry's config travels with the lockfile (presence only, never read)
    return facts.runtime?.value === 'static' && repo.exists('.yarnrc.yml') ? { yarnBerry: true } : {};
  },
  startExample: () => '"nginx"',
  templateDir: packagePath('templates', 'runtimes', 'static'),
  secretsHelperPath: 'deploy/nginx/SECRETS.md',
  extraFiles: (spec) => {
    const s = siteSettings(spec.layout.settings);
    return [{ path: NGINX_CONF, contents: nginxConf(spec, s) }];
  },
  context: {
    sourceFiles: /\.(?:html?|css|s[ac]ss|[cm]?[jt]sx?|vue|svelte|astro|mdx?|json|toml|ya?ml)$/,
    exceptions: [],
  },
  packageManagers: ['npm', 'pnpm', 'yarn', 'bun', 'none'],
  defaultPackageManager: 'npm',
  defaultVersion: '22',
  // the Node.js major of the build stage (the nginx image does not depend on it)
  versions: { alpine: NODE_VERSIONS.distroless ?? ['20', '22', '24'] },
  normalizeVersion(v) {
    const m = /^v?(\d+)(\.\d+){0,2}$/.exec(v.trim());
    if (!m) throw new Error('must be the Node.js major version of the build stage, such as 22');
    return m[1];
  },
  versionHelp: 'the Node.js major of the build stage: 20, 22 or 24 (unused for Hugo and plain files)',
  defaultPort: 8080,
  flavors: ['alpine'],
  images(v) {
    return { builder: `node:${v}-bookworm-slim`, final: NGINX_IMAGE };
  },
  defaultUser: () => 10001,
  interpreter: () => null,
  entrypoint: () => [NGINX_BIN, '-e', 'stderr', '-c', '/etc/nginx/nginx.conf'],
  checkStart(start) {
    if (start.length !== 1 || start[0] !== 'nginx')
      return 'must be "nginx": a static site is served by nginx with the generated deploy/nginx/nginx.conf (edit that file to change how it serves)';
    return undefined;
  },
  defaultStart: () => ['nginx'],
  healthcheck(_flavor, port, path) {
    // busybox wget of the alpine image, exec form (no shell): healthy on a 2xx/3xx answer; the
    // HEALTHCHECK's --timeout bounds it
    return ['/usr/bin/wget', '-q', '--spider', httpProbeUrl(port, path)];
  },
  tmpfs: [],
  // --package-registry (issue 19): the Node install of a JS site; Hugo's module download through GOPROXY
  packageRegistry: (ref, a, layout) => staticRegistry(ref, a, layout).site,
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const kind = kindOf(a, layout);
    const ref = registryRef(a);
    const regs = ref !== undefined ? staticRegistry(ref, a, layout) : undefined;
    const mount = registryMount(a);
    const npmReg = regs?.npm !== undefined ? { ...regs.npm, mount } : undefined;
    const goReg = regs?.go !== undefined ? { ...regs.go, mount } : undefined;
    const s = siteSettings(layout.settings);
    const out = layout.buildOutput ?? (kind === 'hugo' ? 'public' : kind === 'plain' ? '.' : 'dist');
    const { builder } = this.images(a.runtimeVersion, a.flavor);
    const locked = layout.manifests.some((f) => JS_LOCKFILES.some(([l]) => l === f));
    const inst = jsInstall(a.packageManager, locked, layout.yarnBerry === true);
    const mounts = secretMounts(a.buildSecrets);
    const hugoTags = s.hugoExtended ? 'CGO_ENABLED=1 go install -tags extended' : 'CGO_ENABLED=0 go install';
    // Hugo with Node packages (Tailwind CSS): installed in a Node stage, copied with its node binary
    const hugoNode = kind === 'hugo' && s.hugoNodeDeps && layout.manifests.length > 0;
    const installProd =
      kind === 'node'
        ? withRegistry(npmReg, `--mount=type=cache,target=${inst.cache} ${mounts}`, inst.run)
        : kind === 'hugo'
          ? withRegistry(
              goReg,
              '--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build ',
              `${hugoTags} github.com/gohugoio/hugo@v\${HUGO_VERSION}`,
            )
          : '';
    const from = out === '.' ? '/site/' : `/site/${out}/`;
    return {
      builderImage: kind === 'hugo' ? HUGO_BUILDER : kind === 'plain' ? NGINX_IMAGE : builder,
      finalImage: NGINX_IMAGE,
      manifestFiles: kind === 'node' || hugoNode ? (layout.manifests.length ? layout.manifests : ['package.json']) : [],
      installProd,
      installAll: null,
      build: a.build !== null ? `${mounts}${shellLine(a.build)}` : null,
      artefacts: [{ stage: 'build', from, to: `${SITE_ROOT}/` }],
      env: [],
      emptyStage: 'build',
      harden:
        'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk /docker-entrypoint.sh /docker-entrypoint.d /etc/nginx/conf.d /usr/share/nginx/html',
      extra: {
        kind,
        tool: toolById(typeof layout.settings?.tool === 'string' ? layout.settings.tool : undefined)?.label ?? '',
        buildEnv: s.buildEnv.map(([k, v]) => `${k}=${v}`).join(' '),
        hugoVersion: s.hugoVersion,
        hugoExtended: s.hugoExtended ? 'yes' : '',
        hugoNode: hugoNode ? builder : '',
        nodeInstall: hugoNode
          ? withRegistry(npmReg, `--mount=type=cache,target=${inst.cache} ${mounts}`, inst.run)
          : '',
        unlocked: kind === 'node' && !locked ? a.packageManager : '',
        nginxConf: NGINX_CONF,
        out,
        generated: kind === 'plain' && out === '.' ? GENERATED.map((g) => `/site/${g}`).join(' ') : '',
        nginxBin: NGINX_BIN,
      },
    };
  },
  readmeNotes: (spec) => {
    const s = siteSettings(spec.layout.settings);
    return [
      {
        title: 'How the site is served',
        body: [
          `The build stage builds the site; the image serves its files with nginx (\`${NGINX_IMAGE}\`, the unprivileged`,
          'build NGINX publishes) as the numeric user of the Dockerfile, on a read-only root filesystem: the pid',
          'file and temporary files are on the `/tmp` tmpfs. Its configuration is',
          `[\`${NGINX_CONF}\`](${NGINX_CONF}), generated next to the Dockerfile: edit it there (\`upgrade\` merges`,
          'your edits), never in the image.',
          '',
          s.spa
            ? '- a single-page app: a path that is not a file gets `index.html` (client-side routing);'
            : '- pages are files: `/about` is `about/index.html` or `about.html`, anything else `404.html`;',
          s.assets.length > 0
            ? `- content-hashed files under ${s.assets.map((a) => `\`${a}\``).join(', ')} are cached for a year, HTML and the rest are revalidated on every use;`
            : '- every file is revalidated on every use (ETag): no directory of content-hashed files was found;',
          `- security headers on every answer: a default \`Content-Security-Policy\`${s.inlineScripts ? " that allows inline scripts (the site's HTML has them)" : ' without inline scripts'}, \`X-Content-Type-Options\`, \`Referrer-Policy\`, \`X-Frame-Options\`; no server version;`,
          `- \`${spec.healthcheck.path}\` is the health route${spec.healthcheck.path === '/healthz' ? ', answered by nginx itself' : ''}.`,
          '',
          'nginx has no distroless image: the final image keeps busybox (a shell, and the `wget` the',
          'HEALTHCHECK runs in exec form); its package manager and entrypoint scripts are removed.',
          'Values baked into the site at build time (`VITE_*`, `NEXT_PUBLIC_*`) are public: never put a secret there.',
        ].join('\n'),
      },
    ];
  },
  dockerignore: (layout, a) => [
    '**/node_modules',
    '.npm',
    '.pnpm-store',
    '.yarn/cache',
    '.astro',
    '.next',
    '.nuxt',
    '.cache',
    '.parcel-cache',
    '.docusaurus',
    '.svelte-kit',
    'resources/_gen',
    '.hugo_build.lock',
    // the build runs inside the image: a local build output must not leak in
    ...(a.build !== null && layout.buildOutput !== undefined && layout.buildOutput !== '.' ? [layout.buildOutput] : []),
  ],
};
