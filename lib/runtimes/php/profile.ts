// PHP: served by FrankenPHP (dunglas/frankenphp, by the PHP Foundation's FrankenPHP project): one
// process, Caddy with PHP embedded, so P1 holds without supervisord or a second daemon; the
// alternative, PHP-FPM plus an nginx container, needs a second compose service (see the proposal in
// docs). Flavours: "slim" (the Debian bookworm image; no distroless PHP exists) and "alpine"; both
// lose apt/apk, PECL/PEAR, phpize and the extension installer (P2) and the binary's
// cap_net_bind_service file capability (setcap -r: it listens on an unprivileged port and could not
// start with every capability dropped otherwise). Composer runs in the build stage only
// (`composer install --no-dev --no-scripts`, from composer.lock, with a cache mount); no composer in
// the final image.
//
// settings (Facts.settings / ProjectLayout.settings): docroot (the document root under /app,
// "public"), symfony: boolean (APP_ENV=prod; var/ is a tmpfs).
import type { Answers, BuildStep, ContainerSpec, DockerfileSpec, Flavor, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import { registrySetup, splitBasic, withRegistry } from '../package-registry.js';
import { CADDYFILE, caddyfile } from './caddyfile.js';
import { phpClaim } from './detect.js';
import {
  FPM_NGINX_CONF,
  FPM_POOL,
  FPM_PORT,
  FPM_PROBE,
  fpmComposeServices,
  fpmNginxConf,
  fpmPool,
  fpmProbe,
} from './fpm.js';
import { NGINX_IMAGE } from '../static/profile.js';
import { withRegistry as withRegistryImage } from '../../core/registry.js';
import { PHP_DEFAULT, PHP_MINORS, PHP_VERSIONS } from './versions.js';

const FRANKENPHP = '/usr/local/bin/frankenphp';
const PHP = '/usr/local/bin/php';
const COMPOSER_IMAGE = 'composer:2';
/**
 * The official php images have no install-php-extensions (docker-library/php ships docker-php-ext-*
 * only; FrankenPHP's image adds mlocati's installer): --php-server fpm copies it from its image
 * (FROM scratch, the one script at /usr/bin/install-php-extensions) where extensions are installed.
 */
const EXT_INSTALLER_IMAGE = 'mlocati/php-extension-installer:2';
const EXT = /^[a-z][a-z0-9_]{1,30}$/;
const PHP_FPM = '/usr/local/sbin/php-fpm';
const PROBE_IN_IMAGE = '/usr/local/lib/secure-container/fpm-healthcheck.php';

const isFpm = (a: Pick<Answers, 'phpServer'> | undefined): boolean => a?.phpServer === 'fpm';
const specFpm = (spec: ContainerSpec): boolean => spec.dockerfile.extra.server === 'fpm';

function docrootOf(layout: ProjectLayout): string {
  const d = layout.settings?.docroot;
  return typeof d === 'string' && /^(?:\.|[\w-]+(?:\/[\w-]+)?)$/.test(d) ? d : 'public';
}

function safeStep(st: BuildStep): boolean {
  return (
    st.argv[0] === 'php' && st.argv.every((w) => /^[\w.:=/@+-]+$/.test(w)) && Object.keys(st.env ?? {}).length === 0
  );
}

/** --php-server fpm: the official PHP-FPM images (php:<minor>-fpm-bookworm / -fpm-alpine). */
export function fpmImages(v: string, flavor: Flavor): { builder: string; final: string } {
  const img = `php:${v}-fpm-${flavor === 'alpine' ? 'alpine' : 'bookworm'}`;
  return { builder: img, final: img };
}

export const php: RuntimeProfile = {
  runtime: 'php',
  label: 'PHP',
  choiceHelp: 'PHP (composer.json): Laravel, Symfony or a front controller, served by FrankenPHP',
  manifestNames: ['composer.json'],
  claim: phpClaim,
  // the port is FrankenPHP's (the detector sets it), never one from the app's code
  code: { files: /(?!)/, ports: [] },
  layout(facts) {
    const present = new Set(facts.lockfiles?.value ?? []);
    return {
      manifests: ['composer.json', ...(present.has('composer.lock') ? ['composer.lock'] : [])],
      ...(facts.nativeDeps ? { nativeDeps: facts.nativeDeps.value.filter((e) => EXT.test(e)) } : {}),
      ...(facts.buildSteps ? { buildSteps: facts.buildSteps.value.filter(safeStep) } : {}),
      ...(facts.manualSteps ? { manualSteps: facts.manualSteps.value } : {}),
      ...(facts.settings ? { settings: facts.settings.value } : {}),
    };
  },
  startExample: () => '"frankenphp run"',
  templateDir: packagePath('templates', 'runtimes', 'php'),
  secretsHelperPath: 'src/SecretsHelper.php',
  extraFiles: (spec) =>
    specFpm(spec)
      ? [
          { path: FPM_POOL, contents: fpmPool(spec) },
          { path: FPM_PROBE, contents: fpmProbe(spec) },
          { path: FPM_NGINX_CONF, contents: fpmNginxConf(spec, docrootOf(spec.layout)) },
        ]
      : [{ path: CADDYFILE, contents: caddyfile(spec, docrootOf(spec.layout)) }],
  // --php-server fpm: nginx in a second service (its presence also offers the --php-server question)
  composeServices: (spec) => (specFpm(spec) ? fpmComposeServices(spec) : undefined),
  context: { sourceFiles: /\.(?:php|twig|phtml|ya?ml|xml|json)$/, exceptions: [] },
  packageManagers: ['composer'],
  defaultPackageManager: 'composer',
  defaultVersion: PHP_DEFAULT,
  versions: PHP_VERSIONS,
  normalizeVersion(v) {
    const m = /^v?(8)\.(\d+)(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a PHP version such as 8.4');
    return `${m[1]}.${m[2]}`;
  },
  versionHelp: `a PHP minor version: ${PHP_MINORS.join(', ')}`,
  defaultPort: 8080,
  flavors: ['slim', 'alpine'],
  images(v, flavor: Flavor, a) {
    if (isFpm(a)) return fpmImages(v, flavor);
    const img = `dunglas/frankenphp:1-php${v}-${flavor === 'alpine' ? 'alpine' : 'bookworm'}`;
    return { builder: img, final: img };
  },
  defaultUser: () => 10001,
  interpreter: () => PHP,
  entrypoint: (_start, _flavor, a) =>
    isFpm(a) ? [PHP_FPM, '-F'] : [FRANKENPHP, 'run', '--config', '/etc/frankenphp/Caddyfile'],
  checkStart(start) {
    if (start.length !== 2 || start[0] !== 'frankenphp' || start[1] !== 'run')
      return 'must be "frankenphp run": FrankenPHP serves the app with the generated deploy/frankenphp/Caddyfile (edit that file to change how it serves)';
    return undefined;
  },
  defaultStart: () => ['frankenphp', 'run'],
  healthcheck(_flavor, port, path, a) {
    // php-fpm speaks FastCGI, not HTTP: the probe asks its ping path (deploy/php-fpm/healthcheck.php)
    if (isFpm(a)) return [PHP, PROBE_IN_IMAGE];
    // php's own HTTP client (no shell, no curl needed); "/" (no health route found): any HTTP answer
    const url = httpProbeUrl(port, path);
    // no variable in the code: compose.yaml would have to escape every $
    const opts =
      path === '/' ? "['http' => ['timeout' => 4, 'ignore_errors' => true]]" : "['http' => ['timeout' => 4]]";
    const code = `exit(@file_get_contents('${url}', false, stream_context_create(${opts})) === false ? 1 : 0);`;
    return [PHP, '-r', code];
  },
  // Symfony's var/ (cache, logs): in memory; an empty mount for other apps
  tmpfs: ['/app/var'],
  // --package-registry (issue 19): the registry replaces packagist.org in the global Composer config
  // (no secret, unset again after the install); the credentials are COMPOSER_AUTH in the RUN's environment
  packageRegistry(ref) {
    const host = new URL(ref.url).hostname;
    const http = ref.scheme === 'http://';
    return {
      before: [
        `composer config --global repos.packagist composer ${ref.url}`,
        ...(http ? ['composer config --global secure-http false'] : []),
        ...(ref.secret !== ''
          ? [
              ...splitBasic(ref, 'SC_U', 'SC_P'),
              `export COMPOSER_AUTH="{\\"http-basic\\":{\\"${host}\\":{\\"username\\":\\"$SC_U\\",\\"password\\":\\"$SC_P\\"}}}"`,
            ]
          : []),
      ],
      after: [
        'composer config --global --unset repos.packagist',
        ...(http ? ['composer config --global --unset secure-http'] : []),
      ],
      secretForm: '`user:password` (no `"` or `\\`)',
      tools: 'Composer (repos.packagist, COMPOSER_AUTH)',
      caveat:
        'composer install downloads the dist URLs recorded in composer.lock: a registry that rewrites them needs the lock made against it.',
    };
  },
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const fpm = isFpm(a);
    const { builder, final } = this.images(a.runtimeVersion, a.flavor, a);
    const reg = registrySetup(this, a, layout);
    const exts = (layout.nativeDeps ?? []).filter((e) => EXT.test(e));
    const locked = layout.manifests.includes('composer.lock');
    const s = layout.settings ?? {};
    const laravel =
      (layout.buildSteps ?? []).some((st) => st.argv[1] === 'artisan') ||
      layout.manualSteps?.some((m) => m.argv[1] === 'artisan') === true;
    const steps = (layout.buildSteps ?? [])
      .filter(safeStep)
      .map((st) => `# ${st.why.replace(/\s+/g, ' ').slice(0, 200)}\nRUN ${st.argv.map(shq).join(' ')}`);
    const mounts = secretMounts(a.buildSecrets);
    const storageOwned = laravel && a.dataDirs.includes('/app/storage');
    const setcap = fpm ? '' : `setcap -r ${FRANKENPHP} && `;
    const harden =
      a.flavor === 'alpine'
        ? `${setcap}rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk`
        : `${setcap}rm -rf /usr/bin/apt /usr/bin/apt-get /usr/bin/apt-cache /usr/bin/apt-config /usr/bin/apt-key /usr/bin/apt-mark /usr/bin/dpkg /usr/bin/dpkg-deb /usr/bin/dpkg-query /usr/bin/dpkg-split /usr/bin/dpkg-divert /usr/bin/dpkg-statoverride /usr/bin/dpkg-trigger /usr/bin/dpkg-maintscript-helper /etc/apt /var/lib/apt /var/cache/apt /var/cache/debconf`;
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['composer.json'],
      installProd: withRegistry(
        reg,
        `--mount=type=cache,target=/tmp/composer-cache ${mounts}`,
        'COMPOSER_CACHE_DIR=/tmp/composer-cache composer install --no-dev --no-scripts --no-autoloader --no-interaction --no-progress --prefer-dist',
      ),
      installAll: null,
      build: a.build !== null ? `${mounts}${shellLine(a.build)}` : null,
      artefacts: [{ stage: 'build', from: '/app', to: '/app' }],
      env: [
        ...(laravel
          ? ([
              ['APP_ENV', 'production'],
              ['LOG_CHANNEL', 'stderr'],
            ] as [string, string][])
          : s.symfony === true
            ? ([['APP_ENV', 'prod']] as [string, string][])
            : []),
        // Caddy's configuration and data directories: on the /tmp tmpfs (the root filesystem is read-only)
        ...(fpm
          ? []
          : ([
              ['XDG_CONFIG_HOME', '/tmp/caddy/config'],
              ['XDG_DATA_HOME', '/tmp/caddy/data'],
              ['PORT', String(a.port)],
            ] as [string, string][])),
      ],
      emptyStage: 'build',
      harden,
      extra: {
        exts: exts.join(' '),
        phpSetup: [
          'cp "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"',
          `printf 'expose_php = Off\\n' > "$PHP_INI_DIR/conf.d/zz-secure-container.ini"`,
          ...(exts.length > 0 ? [`install-php-extensions ${exts.join(' ')}`] : []),
        ].join(' && '),
        // every image from the --registry mirror, the ones COPY --from names too
        composerImage: withRegistryImage(COMPOSER_IMAGE, a.registry),
        extInstaller: fpm && exts.length > 0 ? withRegistryImage(EXT_INSTALLER_IMAGE, a.registry) : '',
        steps: steps.join('\n'),
        unlocked: locked ? '' : 'yes',
        caddyfile: CADDYFILE,
        storage: storageOwned ? `${a.uid}:${a.gid}` : '',
        tools:
          '/usr/local/bin/install-php-extensions /usr/local/bin/docker-php-ext-configure /usr/local/bin/docker-php-ext-enable /usr/local/bin/docker-php-ext-install /usr/local/bin/docker-php-source /usr/local/bin/pecl /usr/local/bin/pear /usr/local/bin/peardev /usr/local/bin/phpize /usr/local/bin/php-config /usr/src/php.tar.xz',
        ...(fpm
          ? {
              server: 'fpm',
              fpmPool: FPM_POOL,
              fpmProbe: FPM_PROBE,
              probeInImage: PROBE_IN_IMAGE,
              nginxConf: FPM_NGINX_CONF,
              nginxImage: withRegistryImage(NGINX_IMAGE, a.registry),
              fpmPort: String(FPM_PORT),
              docroot: docrootOf(layout) === '.' ? '/app' : `/app/${docrootOf(layout)}`,
              nginxHarden:
                'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk /docker-entrypoint.sh /docker-entrypoint.d /etc/nginx/conf.d /usr/share/nginx/html',
            }
          : {}),
        finalNote: fpm
          ? `PHP-FPM on ${a.flavor === 'alpine' ? 'alpine' : 'Debian bookworm'}: one process (php-fpm -F, its workers are its children), package managers and PHP build tools removed (P2)`
          : a.flavor === 'alpine'
            ? 'FrankenPHP on alpine: one process (Caddy with PHP embedded), package managers and PHP build tools removed (P2)'
            : 'FrankenPHP on Debian bookworm: one process (Caddy with PHP embedded); no distroless PHP exists, so apt/dpkg and the PHP build tools are removed (P2)',
      },
    };
  },
  readmeNotes: (spec) => (specFpm(spec) ? fpmReadme(spec) : frankenReadme(spec)),
  dockerignore: () => DOCKERIGNORE,
};

const frankenReadme = (spec: ContainerSpec): { title: string; body: string }[] => [
  {
    title: 'How PHP is served',
    body: [
      'One container runs one process (P1): FrankenPHP, a Caddy web server with PHP embedded, serves',
      `the app from \`/app/${docrootOf(spec.layout) === '.' ? '' : docrootOf(spec.layout)}\` with`,
      `[\`${CADDYFILE}\`](${CADDYFILE}) (generated: edit it there). The usual alternative, PHP-FPM`,
      'plus nginx, is two daemons: in one container it needs a process supervisor (supervisord), which',
      'hides crashes from the container runtime and runs more than the app; in two containers it needs a',
      'second image and service for nginx with the static files. FrankenPHP needs neither.',
      '',
      '- composer runs in the build stage only (`--no-dev --no-scripts`, from composer.lock); the final',
      '  image has no composer, PECL/PEAR, phpize or package manager;',
      '- the binary loses its `cap_net_bind_service` file capability: it listens on an unprivileged port and',
      '  starts with every capability dropped;',
      '- Caddy keeps its state under `/tmp` (a tmpfs); there is no admin API and no automatic HTTPS: TLS',
      '  belongs to the proxy or load balancer in front.',
      ...(spec.layout.manualSteps?.some((m) => m.argv[1] === 'artisan') === true
        ? [
            '',
            'Laravel: set `APP_KEY` (and the database settings) in the environment of the service; it is',
            'never in the image. `storage/` is a volume owned by the app user; `php artisan config:cache`',
            'bakes the environment in, so it is a release step, not a build step.',
          ]
        : []),
    ].join('\n'),
  },
];

const DOCKERIGNORE = [
  'vendor',
  'node_modules',
  'storage/logs/*',
  'storage/framework/cache/*',
  'storage/framework/sessions/*',
  'storage/framework/views/*',
  'var/cache',
  'var/log',
  'bootstrap/cache/*.php',
  '.phpunit.cache',
  'tests',
];

const fpmReadme = (spec: ContainerSpec): { title: string; body: string }[] => [
  {
    title: 'How PHP is served',
    body: [
      'Two containers, one process each (P1), chosen with `--php-server fpm` (the default is FrankenPHP,',
      'one container): the app service runs PHP-FPM (`php-fpm -F`, its workers are its children) on the',
      'official `php:<version>-fpm` image, and the `web` service runs nginx from',
      '`nginxinc/nginx-unprivileged` as its numeric user 101. Both are built from the one Dockerfile',
      '(`target: web` for nginx; the last stage, `app`, for PHP-FPM). nginx serves the files of the',
      `document root from its own copy and passes \`/index.php\` to \`${spec.name}:${FPM_PORT}\` over FastCGI on the`,
      'internal network `php`: only `web` publishes a port; PHP-FPM has none and no route outside.',
      'Never supervisord or two daemons in one container: a supervisor hides crashes from the runtime.',
      '',
      `- [\`${FPM_POOL}\`](${FPM_POOL}): the pool (listen 9000, \`clear_env = no\` so \`<NAME>_FILE\``,
      '  settings reach PHP, worker output and errors to the container log, a few workers);',
      `- [\`${FPM_NGINX_CONF}\`](${FPM_NGINX_CONF}): nginx (security headers, hidden files refused, only the`,
      '  front controller runs);',
      `- the HEALTHCHECK runs [\`${FPM_PROBE}\`](${FPM_PROBE}) with php: a FastCGI request for the pool's`,
      '  ping path, healthy when php-fpm answers `pong` (no cgi-fcgi or curl in the image; `php-fpm -t`',
      '  only checks the configuration, it says nothing about the running server);',
      '- composer runs in the build stage only (`--no-dev --no-scripts`); no composer, PECL/PEAR, phpize or',
      '  package manager in either final image. A static file changed in `public/` needs both images rebuilt.',
    ].join('\n'),
  },
];
