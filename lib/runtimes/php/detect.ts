// PHP: composer.json (+ composer.lock); Laravel (laravel/framework + artisan), Symfony
// (symfony/framework-bundle + bin/console) or a front controller (public/index.php, index.php);
// the PHP version from composer.json (config.platform.php pin, else the newest supported minor
// require.php allows); the PHP extensions the app requires (ext-*). Pure.
//
// The claim: rank 6 for composer.json with a front controller or a framework (a Laravel app's
// package.json, node's 10 or 90, loses; a static site never claims next to composer.json); a
// composer.json without one (a library) is rank 60.
import type { ManualStep, BuildStep, RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { dnsLabel, excerpt, isRecord, lineAt, parseJson, str } from '../../detect/text.js';
import type { RuntimeClaim, RuntimeDetection } from '../profile.js';
import { PHP_MINORS } from './versions.js';

/** Extensions the FrankenPHP (official php) image already has compiled in or enabled. */
const BUILTIN = new Set([
  'ctype',
  'curl',
  'date',
  'dom',
  'fileinfo',
  'filter',
  'hash',
  'iconv',
  'json',
  'libxml',
  'mbstring',
  'mysqlnd',
  'openssl',
  'pcre',
  'pdo',
  'pdo_sqlite',
  'phar',
  'posix',
  'readline',
  'reflection',
  'session',
  'simplexml',
  'sodium',
  'spl',
  'sqlite3',
  'standard',
  'tokenizer',
  'xml',
  'xmlreader',
  'xmlwriter',
  'zlib',
]);
const EXT_NAME = /^[a-z][a-z0-9_]{1,30}$/;

interface Composer {
  raw: Record<string, unknown>;
  require: Record<string, string>;
}

function readComposer(ctx: Ctx): Composer | undefined {
  const raw = parseJson(ctx.read('composer.json') ?? '');
  if (!isRecord(raw)) return undefined;
  const require: Record<string, string> = {};
  if (isRecord(raw.require))
    for (const [k, v] of Object.entries(raw.require)) if (typeof v === 'string') require[k.toLowerCase()] = v;
  return { raw, require };
}

export function phpClaim(ctx: Ctx): RuntimeClaim | undefined {
  if (!ctx.has('composer.json')) return undefined;
  const c = readComposer(ctx);
  const laravel = c !== undefined && 'laravel/framework' in c.require && ctx.has('artisan');
  const symfony = c !== undefined && 'symfony/framework-bundle' in c.require && ctx.has('bin/console');
  const front = ['public/index.php', 'index.php', 'web/index.php'].find((f) => ctx.has(f));
  const why = laravel
    ? 'composer.json + artisan (Laravel)'
    : symfony
      ? 'composer.json + bin/console (Symfony)'
      : front !== undefined
        ? `composer.json + ${front}`
        : 'composer.json (no front controller: a library?)';
  return {
    rank: laravel || symfony || front !== undefined ? 6 : 60,
    source: why,
    detect: () => detectPhp(ctx, c, laravel ? 'laravel' : symfony ? 'symfony' : undefined, front),
  };
}

/** The newest supported minor that a composer constraint ("^8.2", ">=8.1 <8.5", "~8.3.0", "8.2.*") allows. */
export function phpMinorFor(constraint: string): string | undefined {
  const alternatives = constraint.split('||').map((a) => a.trim());
  const allows = (minor: string): boolean =>
    alternatives.some((alt) =>
      alt
        .split(/[\s,]+/)
        .filter(Boolean)
        .every((part) => {
          const m = /^(\^|~|>=|>|<=|<|=|!=)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?$/.exec(part);
          if (!m) return part === '*';
          const g3 = m.at(3);
          const [maj, min] = [Number(m[2]), g3 === undefined || g3 === '*' ? undefined : Number(g3)];
          const [x, y] = minor.split('.').map(Number);
          const v = x * 1000 + y;
          const c = maj * 1000 + (min ?? 0);
          switch (m[1]) {
            case '^':
              return x === maj && v >= c;
            case '~':
              return m.at(4) !== undefined ? v === c : x === maj && v >= c;
            case '>=':
              return v >= c || (min === undefined ? false : v === c);
            case '>':
              return v > c;
            case '<':
              return v < c;
            case '<=':
              return v <= c;
            case '!=':
              return true;
            default:
              return min === undefined ? x === maj : v === c;
          }
        }),
    );
  return [...PHP_MINORS].reverse().find(allows);
}

export function detectPhp(
  ctx: Ctx,
  c: Composer | undefined,
  fw: 'laravel' | 'symfony' | undefined,
  front: string | undefined,
): RuntimeDetection {
  const facts: DetectedFacts = {};
  const lock = ctx.has('composer.lock');
  facts.packageManager = fact('composer', lock ? 'composer.lock' : 'composer.json');
  facts.lockfiles = fact(lock ? ['composer.lock'] : [], 'repository root');
  if (!lock)
    ctx.note(
      'no composer.lock: composer install resolves the versions afresh at every build (not reproducible; commit composer.lock)',
    );
  const rawName = str(c?.raw.name);
  const name = rawName !== undefined ? dnsLabel(rawName.replace(/^[^/]*\//, '')) : undefined;
  if (name !== undefined && !['laravel', 'symfony', 'skeleton', 'website-skeleton'].includes(name))
    facts.name = fact(name, 'composer.json: name');

  // version: config.platform.php (a pin) > require.php (a constraint: the newest supported it allows)
  const platform =
    isRecord(c?.raw.config) && isRecord(c.raw.config.platform) ? str(c.raw.config.platform.php) : undefined;
  const pm = platform !== undefined ? /^(\d+)\.(\d+)/.exec(platform) : null;
  if (pm) facts.runtimeVersion = fact(`${pm[1]}.${pm[2]}`, `composer.json: config.platform.php "${platform ?? ''}"`);
  else if (c?.require.php !== undefined) {
    const v = phpMinorFor(c.require.php);
    if (v !== undefined)
      facts.runtimeVersion = fact(
        v,
        `composer.json: require.php "${c.require.php}" (the newest supported that satisfies it; supported: ${PHP_MINORS.join(', ')})`,
      );
    else
      ctx.note(
        `composer.json: require.php "${c.require.php}" allows none of ${PHP_MINORS.join(', ')}: pass --runtime-version`,
      );
  }

  // extensions: ext-* of require (composer refuses to install without them) and the database drivers a framework config names
  const exts = new Set(
    Object.keys(c?.require ?? {})
      .filter((k) => k.startsWith('ext-'))
      .map((k) => k.slice(4)),
  );
  const envExample = ctx.read('.env.example') ?? '';
  const conn =
    /^DB_CONNECTION=(\w+)/m.exec(envExample)?.[1] ??
    /^DATABASE_URL="?(\w+):/m.exec(envExample + (ctx.read('.env.dist') ?? ''))?.[1];
  const driver: Record<string, string> = {
    pgsql: 'pdo_pgsql',
    postgresql: 'pdo_pgsql',
    postgres: 'pdo_pgsql',
    mysql: 'pdo_mysql',
    mariadb: 'pdo_mysql',
  };
  if (conn !== undefined && Object.prototype.hasOwnProperty.call(driver, conn)) exts.add(driver[conn]);
  exts.add('opcache');
  if (fw === 'laravel') ['bcmath', 'intl', 'zip'].forEach((e) => exts.add(e));
  if (fw === 'symfony') exts.add('intl');
  const needed = [...exts].filter((e) => EXT_NAME.test(e) && !BUILTIN.has(e)).sort();
  facts.nativeDeps = fact(
    needed,
    `composer.json: ${
      [...exts]
        .filter((e) => e !== 'opcache')
        .map((e) => `ext-${e}`)
        .join(', ') || 'no ext-*'
    }${conn !== undefined ? `; .env.example: ${conn}` : ''}; opcache for production${fw === 'laravel' ? "; Laravel's usual bcmath, intl, zip" : ''}`,
  );

  const settings: RuntimeSettings = {};
  let health: { path: string; source: string } | undefined;
  const steps: BuildStep[] = [];
  const manual: ManualStep[] = [];
  let docroot =
    front !== undefined && front.includes('/')
      ? front.slice(0, front.indexOf('/'))
      : front === 'index.php'
        ? '.'
        : 'public';
  if (fw === 'laravel') {
    docroot = 'public';
    facts.framework = fact('laravel', 'composer.json: laravel/framework + artisan');
    // package discovery is a composer script (skipped by --no-scripts): run here, no secret needed
    steps.push({
      argv: ['php', 'artisan', 'package:discover', '--ansi'],
      why: 'Laravel package discovery (a composer script, skipped by --no-scripts)',
    });
    manual.push({
      argv: ['php', 'artisan', 'migrate', '--force'],
      when: 'release',
      why: 'database migrations (Laravel: once per release)',
    });
    manual.push({
      argv: ['php', 'artisan', 'config:cache'],
      when: 'release',
      why: 'config cache: it bakes the environment in, so never at build time (run it at start-up in your platform if you want it)',
    });
    facts.dataDirs = fact(
      ['/app/storage'],
      'Laravel writes storage/ (logs, sessions, cache, uploads): a volume owned by the app user; the rest of /app is read-only',
    );
    const boot = ctx.read('bootstrap/app.php') ?? '';
    const up = /health:\s*['"](\/[\w/-]*)['"]/.exec(boot);
    if (up) health = { path: up[1], source: `bootstrap/app.php:${lineAt(boot, up.index)}: ${excerpt(up[0])}` };
  } else if (fw === 'symfony') {
    docroot = 'public';
    facts.framework = fact('symfony', 'composer.json: symfony/framework-bundle + bin/console');
    manual.push({
      argv: ['php', 'bin/console', 'doctrine:migrations:migrate', '--no-interaction'],
      when: 'release',
      why: 'database migrations (Doctrine: once per release, if the app uses them)',
    });
    ctx.note(
      "Symfony: .dockerignore keeps .env out of the image: set APP_SECRET, DATABASE_URL … in the container's environment, or generate .env.local.php with `composer dump-env prod` in your pipeline before the build",
    );
    settings.symfony = true;
  } else facts.framework = fact('php', front ?? 'composer.json');
  settings.docroot = docroot;
  if (steps.length > 0) facts.buildSteps = fact(steps, steps.map((s) => s.why).join('; '));
  if (manual.length > 0) facts.manualSteps = fact(manual, manual.map((s) => s.why).join('; '));
  facts.settings = fact(settings, `document root ${docroot}/ (${fw ?? front ?? 'default'})`);
  facts.build = fact(null, 'PHP: composer install in the build stage, no build command');
  facts.start = fact(
    ['frankenphp', 'run'],
    'FrankenPHP serves the app (one process: Caddy with PHP embedded) with the generated deploy/frankenphp/Caddyfile',
  );
  return {
    facts,
    entryFiles: [front ?? 'public/index.php', 'routes/web.php', 'routes/api.php'].filter((f) => ctx.has(f)),
    withPort(f) {
      f.port = fact(8080, 'FrankenPHP listens on 8080 (the generated Caddyfile follows --port)');
      if (health) f.healthPath = fact(health.path, health.source);
      if (fw === 'laravel' && facts.dataDirs !== undefined) f.dataDirs = facts.dataDirs;
    },
  };
}
