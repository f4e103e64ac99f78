// Ruby: Gemfile (+ Gemfile.lock), the Ruby version (.ruby-version, Gemfile `ruby`, Gemfile.lock RUBY
// VERSION, .tool-versions), Rails (config/application.rb) or a Rack app (config.ru) served by puma.
// Pure.
//
// The claim: rank 6 for a Gemfile with a web app (config.ru or Rails): it wins over node's 10 (a
// Rails app with jsbundling has a package.json with dependencies) and a static site never claims
// next to a Gemfile. A Gemfile alone (a gem, a CLI) is rank 60: only a tooling package.json loses.
import type { ManualStep, BuildStep, RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { dnsLabel, excerpt, lineAt, shellSplit } from '../../detect/text.js';
import type { RuntimeClaim, RuntimeDetection } from '../profile.js';
import { RUBY_MINORS, RUBY_DEFAULT } from './versions.js';

/** Gems that compile native code against a system library: the builder's -dev package, the runtime library. */
export const NATIVE_GEMS: Readonly<Record<string, { build: string[]; run: string[] }>> = {
  pg: { build: ['libpq-dev'], run: ['libpq5'] },
  mysql2: { build: ['default-libmysqlclient-dev'], run: ['libmariadb3'] },
  trilogy: { build: [], run: [] },
  'ruby-vips': { build: [], run: ['libvips42'] },
  mini_magick: { build: [], run: ['imagemagick'] },
  rmagick: { build: ['libmagickwand-dev'], run: ['libmagickwand-6.q16-6'] },
  ffi: { build: ['libffi-dev'], run: [] },
};

/** Gem names and versions of Gemfile.lock's GEM specs ("    rails (8.1.2)"). */
export function lockedGems(lock: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of lock.matchAll(/^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)\)$/gm)) if (!out.has(m[1])) out.set(m[1], m[2]);
  return out;
}

/** Gem names the Gemfile declares (`gem "puma"`), with their group when inside a `group … do` block. */
export function gemfileGems(gemfile: string): Map<string, string> {
  const out = new Map<string, string>();
  let group = 'default';
  for (const line of gemfile.split('\n')) {
    const g = /^\s*group\s+([^#]*?)\s+do\b/.exec(line);
    if (g) group = g[1].replace(/[:\s'"]/g, '');
    else if (/^end\b/.test(line.trim()) && !/^\s/.test(line)) group = 'default';
    const m = /^\s*gem\s+['"]([A-Za-z0-9_.-]+)['"]/.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], group);
  }
  return out;
}

function rubyVersion(
  ctx: Ctx,
  gemfile: string,
  lock: string | undefined,
): { value: string; source: string } | undefined {
  const pick = (full: string, where: string): { value: string; source: string } => {
    const m = /^(\d+)\.(\d+)/.exec(full);
    const minor = m ? `${m[1]}.${m[2]}` : full;
    if (!RUBY_MINORS.includes(minor))
      ctx.note(
        `${where}: Ruby ${minor} has no image here (supported: ${RUBY_MINORS.join(', ')}); pass --runtime-version`,
      );
    return { value: minor, source: where };
  };
  const rv = ctx.read('.ruby-version');
  const rvm = rv !== undefined ? /^(?:ruby-)?(\d+\.\d+(?:\.\d+)?)/.exec(rv.trim()) : null;
  if (rvm) return pick(rvm[1], `.ruby-version: ${rv?.trim().slice(0, 20) ?? ''}`);
  const tv = /^ruby\s+(\d+\.\d+(?:\.\d+)?)/m.exec(ctx.read('.tool-versions') ?? '');
  if (tv) return pick(tv[1], `.tool-versions: ruby ${tv[1]}`);
  const gr = /^\s*ruby\s+['"](\d+\.\d+(?:\.\d+)?)['"]\s*$/m.exec(gemfile);
  if (gr) return pick(gr[1], `Gemfile: ruby "${gr[1]}"`);
  const lr = lock !== undefined ? /^RUBY VERSION\n\s+ruby (\d+\.\d+\.\d+)/m.exec(lock) : null;
  if (lr) return pick(lr[1], `Gemfile.lock: RUBY VERSION ${lr[1]}`);
  // a constraint (`ruby ">= 3.2", "< 4.0"`): the newest supported minor that satisfies it
  const c = /^\s*ruby\s+((?:['"][<>=~ ]*\d[\d.]*['"]\s*,?\s*)+)$/m.exec(gemfile);
  if (c) {
    const parts = [...c[1].matchAll(/['"]([<>=~]*)\s*(\d[\d.]*)['"]/g)].map((m) => ({ op: m[1] || '=', v: m[2] }));
    // a minor X.Y satisfies a bound when one of its releases does: X.Y.0 for upper bounds, X.Y.99 for lower ones
    const ok = (minor: string): boolean =>
      parts.every(({ op, v }) => {
        const lo = compare(`${minor}.0`, v);
        const hi = compare(`${minor}.99`, v);
        if (op === '>=') return hi >= 0;
        if (op === '>') return hi > 0;
        if (op === '<') return lo < 0;
        if (op === '<=') return lo <= 0;
        if (op === '~>') return hi >= 0 && minor.split('.')[0] === v.split('.')[0];
        return minorEq(minor, v);
      });
    const best = [...RUBY_MINORS].reverse().find(ok);
    if (best !== undefined)
      return { value: best, source: `Gemfile: ruby ${c[1].trim()} (the newest supported that satisfies it)` };
  }
  return undefined;
}

function compare(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
const minorEq = (minor: string, v: string): boolean => v.split('.').slice(0, 2).join('.') === minor;

export function rubyClaim(ctx: Ctx): RuntimeClaim | undefined {
  if (!ctx.has('Gemfile')) return undefined;
  const rails = ctx.has('config/application.rb');
  const rack = ctx.has('config.ru');
  const why = rails
    ? 'Gemfile + config/application.rb (Rails)'
    : rack
      ? 'Gemfile + config.ru (a Rack app)'
      : 'Gemfile (no config.ru: not a web app?)';
  return { rank: rails || rack ? 6 : 60, source: why, detect: () => detectRuby(ctx, rails) };
}

/** `web:` of the Procfile, translated: `bundle exec puma …` kept, wrappers (thrust, foreman) dropped. */
function procfileStart(ctx: Ctx): { argv: string[]; source: string } | string | undefined {
  const text = ctx.read('Procfile');
  if (text === undefined) return undefined;
  const m = /^web:\s*(.+)$/m.exec(text);
  if (!m) return undefined;
  const where = `Procfile:${lineAt(text, m.index)}: web "${excerpt(m[1], 60)}"`;
  const words = shellSplit(m[1].trim());
  if (words === null) return `${where} uses shell operators: not used`;
  let w = words.filter((x, i) => !(i === 0 && /^[A-Z_]+=/.test(x)));
  const dropped: string[] = [];
  // thruster (an HTTP/2 proxy in front of puma) is a second process: the container runs puma itself
  if (w[0] === 'bundle' && w[1] === 'exec' && w[2] === 'thrust') {
    dropped.push('thrust');
    w = ['bundle', 'exec', ...w.slice(3)];
    // `thrust bundle exec puma` / `thrust bin/rails server`
    if (w[2] === 'bundle' && w[3] === 'exec') w = w.slice(2);
    else if (w[2] === 'bin/rails' || w[2] === './bin/rails') w = ['bundle', 'exec', 'rails', ...w.slice(3)];
  }
  if (w[0] === 'bundle' && w[1] === 'exec' && (w[2] === 'puma' || w[2] === 'rails' || w[2] === 'rackup'))
    return {
      argv: w,
      source: where + (dropped.length ? ` (without ${dropped.join(', ')}: one process per container)` : ''),
    };
  if (w[0] === 'bin/rails' || w[0] === './bin/rails')
    return { argv: ['bundle', 'exec', 'rails', ...w.slice(1)], source: where };
  return `${where}${dropped.length ? ` (without ${dropped.join(', ')})` : ''} runs ${w[dropped.length ? 2 : 0] ?? '?'}, not puma or rails directly: not used`;
}

export function detectRuby(ctx: Ctx, rails: boolean): RuntimeDetection {
  const facts: DetectedFacts = {};
  const gemfile = ctx.read('Gemfile') ?? '';
  const lock = ctx.read('Gemfile.lock');
  const declared = gemfileGems(gemfile);
  const locked = lock !== undefined ? lockedGems(lock) : new Map<string, string>();
  const has = (g: string): boolean => locked.has(g) || declared.has(g);
  facts.packageManager = fact('bundler', lock !== undefined ? 'Gemfile.lock' : 'Gemfile');
  // the files the install reads: the lockfile, and .ruby-version (a Gemfile may say `ruby file: ".ruby-version"`)
  facts.lockfiles = fact(
    [...(lock !== undefined ? ['Gemfile.lock'] : []), ...(ctx.has('.ruby-version') ? ['.ruby-version'] : [])],
    'repository root',
  );
  if (lock === undefined)
    ctx.note(
      'no Gemfile.lock: bundle install resolves the versions afresh at every build (not reproducible; commit Gemfile.lock)',
    );
  else {
    const plats =
      /^PLATFORMS\n((?: {2}\S+\n?)+)/m
        .exec(lock)?.[1]
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean) ?? [];
    if (plats.length > 0 && !plats.some((p) => p === 'ruby' || /^x86_64-linux/.test(p) || /^aarch64-linux/.test(p)))
      ctx.note(
        `Gemfile.lock: PLATFORMS ${plats.join(', ')} has no Linux platform: the frozen install in the image fails; run \`bundle lock --add-platform x86_64-linux aarch64-linux\` and commit Gemfile.lock`,
      );
  }
  const v = rubyVersion(ctx, gemfile, lock);
  if (v) facts.runtimeVersion = fact(v.value, v.source);

  const app = /^\s*module\s+([A-Z]\w*)/m.exec(ctx.read('config/application.rb') ?? '');
  if (app) {
    const n = dnsLabel(app[1].replace(/([a-z])([A-Z])/g, '$1-$2'));
    if (n !== undefined) facts.name = fact(n, `config/application.rb: module ${app[1]}`);
  }
  const framework = rails
    ? 'rails'
    : has('sinatra')
      ? 'sinatra'
      : has('roda')
        ? 'roda'
        : has('hanami')
          ? 'hanami'
          : 'rack';
  facts.framework = fact(
    framework,
    rails ? 'config/application.rb' : framework === 'rack' ? 'config.ru' : `Gemfile: ${framework}`,
  );

  // start: the Procfile's web process, else puma with the app's config, else puma on config.ru
  const puma = has('puma');
  const proc = procfileStart(ctx);
  if (typeof proc === 'string') ctx.note(proc);
  const pumaConfig = ctx.has('config/puma.rb');
  if (typeof proc === 'object') facts.start = fact(proc.argv, proc.source);
  else if (puma && pumaConfig)
    facts.start = fact(['bundle', 'exec', 'puma', '-C', 'config/puma.rb'], 'config/puma.rb (puma is in the bundle)');
  else if (puma)
    facts.start = fact(
      ['bundle', 'exec', 'puma', '--port', rails ? '3000' : '9292', 'config.ru'],
      `Gemfile: puma, ${rails ? 'Rails' : 'config.ru'} (puma's default bind, every address)`,
    );
  else if (rails) {
    facts.start = fact(
      ['bundle', 'exec', 'rails', 'server', '--binding', '0.0.0.0', '--port', '3000'],
      'config/application.rb (Rails; puma is not in the bundle)',
    );
  } else if (ctx.has('config.ru')) {
    facts.start = {
      ...fact(
        ['bundle', 'exec', 'rackup', '--host', '0.0.0.0', '--port', '9292', 'config.ru'],
        'config.ru (no puma in the bundle)',
      ),
      guess: 'puma is not in the Gemfile: rackup starts whatever Rack server the bundle has (add gem "puma")',
    };
  }
  const settings: RuntimeSettings = {};
  const why: string[] = [];
  // P5: the app's writable paths are tmpfs (tmp/) or volumes (storage/)
  const steps: BuildStep[] = [];
  const manual: ManualStep[] = [];
  if (rails) {
    const assets =
      has('propshaft') ||
      has('sprockets') ||
      has('sprockets-rails') ||
      has('jsbundling-rails') ||
      has('cssbundling-rails');
    if (assets) {
      // a throwaway secret for this step only, never in the image's environment: SECRET_KEY_BASE_DUMMY
      // from Rails 7.1 on, a placeholder SECRET_KEY_BASE before
      const rv = locked.get('railties') ?? locked.get('rails');
      const old = rv !== undefined && compare(rv.replace(/[^\d.].*$/, ''), '7.1') < 0;
      steps.push({
        argv: ['bundle', 'exec', 'rails', 'assets:precompile'],
        env: old ? { SECRET_KEY_BASE: 'placeholder-for-assets-precompile-only' } : { SECRET_KEY_BASE_DUMMY: '1' },
        why: `Gemfile.lock: ${['propshaft', 'sprockets', 'sprockets-rails', 'jsbundling-rails', 'cssbundling-rails'].filter(has).join(', ')} (assets compiled at build time, with a throwaway secret)`,
      });
    }
    manual.push({
      argv: ['bundle', 'exec', 'rails', 'db:prepare'],
      when: 'release',
      why: 'database migrations (Rails: once per release, before the new image serves)',
    });
    const db = ctx.read('config/database.yml') ?? '';
    const prod = db.slice(db.search(/^production:/m));
    if (/sqlite3|storage\//.test(prod) || (has('sqlite3') && !has('pg') && !has('mysql2') && !has('trilogy')))
      facts.dataDirs = fact(
        ['/app/storage'],
        'config/database.yml: production uses SQLite under storage/ (a volume; the root filesystem is read-only)',
      );
    settings.rails = true;
    why.push('Rails (RAILS_ENV=production, logs to stdout, tmp/ on a tmpfs)');
  }
  if (has('bootsnap')) {
    settings.bootsnap = true;
    why.push('bootsnap (its cache precompiled at build, read-only at run time)');
  }
  const native = Object.keys(NATIVE_GEMS).filter(has);
  if (native.length > 0) {
    facts.nativeDeps = fact(
      native,
      `Gemfile${lock !== undefined ? '.lock' : ''}: ${native.join(', ')} (system libraries: -dev packages in the builder, the libraries in the final image)`,
    );
  }
  if (has('jemalloc') || ctx.read('Dockerfile')?.includes('libjemalloc') === true) {
    settings.jemalloc = true;
    why.push("jemalloc (LD_PRELOAD, as the project's own setup does)");
  }
  if (steps.length > 0) facts.buildSteps = fact(steps, steps.map((s) => s.why).join('; '));
  if (manual.length > 0) facts.manualSteps = fact(manual, manual.map((s) => s.why).join('; '));
  if (why.length > 0) facts.settings = fact(settings, why.join('; '));
  facts.build = fact(null, 'Ruby: no build command (framework steps run as build steps)');
  if (rails && !ctx.has('config/routes.rb')) ctx.note('config/routes.rb not found');
  const routes = ctx.read('config/routes.rb') ?? '';
  const up = /^\s*get\s+['"]up['"]\s*=>\s*['"]rails\/health#show['"]/m.exec(routes);
  const entry = ['config.ru', 'app.rb', 'config/routes.rb', 'config/puma.rb'].filter((f) => ctx.has(f));
  return {
    facts,
    entryFiles: entry,
    withPort(f) {
      // Rails >= 7.1 answers /up (rails/health#show) when the app boots
      if (up) f.healthPath = fact('/up', `config/routes.rb:${lineAt(routes, up.index)}: ${excerpt(up[0])}`);
      else if (f.healthPath === undefined) {
        // Sinatra/Roda/Rails routes (`get '/health' do`, `get "healthz", to: …`), a Rack app's `when "/healthz"`
        const files = ctx.files.list
          .filter((x) => /\.(?:rb|ru)$/.test(x) && !/(?:^|\/)(?:spec|test|vendor)\//.test(x))
          .slice(0, 80);
        for (const file of files) {
          const text = ctx.read(file) ?? '';
          const m = /^\s*(?:get\s*\(?\s*|when\s+)['"]\/?(healthz|health|livez|up|ping|status)['"]/m.exec(text);
          if (m) {
            f.healthPath = fact(`/${m[1]}`, `${file}:${lineAt(text, m.index)}: ${excerpt(m[0])}`);
            break;
          }
        }
      }
      if (f.port === undefined && facts.start !== undefined) {
        const argv = facts.start.value;
        const i = argv.indexOf('--port');
        if (i >= 0 && /^\d+$/.test(argv[i + 1] ?? '')) f.port = fact(Number(argv[i + 1]), facts.start.source);
        else
          f.port = fact(
            rails ? 3000 : 9292,
            rails ? "Rails' default port (config/puma.rb reads PORT)" : "puma's default port for config.ru",
          );
      }
    },
  };
}

export { RUBY_DEFAULT };
