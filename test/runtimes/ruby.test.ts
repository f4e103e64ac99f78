// Ruby (issue 14): the claim against node's (a Rails app with jsbundling has a package.json with
// dependencies), the version from its sources, the start command, and the generated files.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { gemfileGems, lockedGems } from '../../lib/runtimes/ruby/detect.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';

const rails = {
  Gemfile:
    'source "https://rubygems.org"\nruby file: ".ruby-version"\ngem "rails", "~> 7.0.8"\ngem "puma"\ngem "sprockets-rails"\ngem "mysql2"\n',
  'Gemfile.lock':
    'GEM\n  specs:\n    mysql2 (0.5.6)\n    puma (6.4.2)\n    railties (7.0.8)\n    sprockets-rails (3.4.2)\n\nPLATFORMS\n  arm64-darwin-23\n',
  '.ruby-version': 'ruby-3.3.6\n',
  'config/application.rb': 'module Shop\n  class Application < Rails::Application; end\nend\n',
  'config/routes.rb':
    'Rails.application.routes.draw do\n  get "up" => "rails/health#show", as: :rails_health_check\nend\n',
  'config.ru': 'run Rails.application',
  'package.json': JSON.stringify({
    dependencies: { esbuild: '0.24', '@hotwired/turbo-rails': '8' },
    scripts: { build: 'esbuild app/javascript/*.* --bundle --outdir=app/assets/builds' },
  }),
};

describe('ruby: detection', () => {
  it('a Rails app wins over its jsbundling package.json; version, /up, Rails < 7.1 secret, platforms note', () => {
    const f = detectFromFiles(memoryFiles(rails));
    expect(f.runtime?.value).toBe('ruby');
    expect(f.runtimeVersion).toEqual({ value: '3.3', source: '.ruby-version: ruby-3.3.6' });
    expect(f.healthPath?.value).toBe('/up');
    expect(f.start?.value).toEqual(['bundle', 'exec', 'puma', '--port', '3000', 'config.ru']);
    expect(f.buildSteps?.value[0]?.env).toEqual({ SECRET_KEY_BASE: 'placeholder-for-assets-precompile-only' });
    expect(f.nativeDeps?.value).toEqual(['mysql2']);
    expect(f.notes?.join('\n')).toMatch(/PLATFORMS arm64-darwin-23 has no Linux platform/);
  });

  it('a Gemfile alone (a gem) is a weak claim; the Procfile drops thruster', () => {
    expect(
      detectFromFiles(
        memoryFiles({
          Gemfile: 'gem "rake"',
          'package.json': JSON.stringify({ dependencies: { a: '1' }, main: 'a.js' }),
          'a.js': '',
        }),
      ).runtime?.value,
    ).toBe('node');
    const f = detectFromFiles(
      memoryFiles({ ...rails, Procfile: 'web: bundle exec thrust bundle exec puma -C config/puma.rb\n' }),
    );
    expect(f.start?.value).toEqual(['bundle', 'exec', 'puma', '-C', 'config/puma.rb']);
    expect(f.start?.source).toMatch(/without thrust: one process per container/);
  });

  it('lockfile and Gemfile parsing', () => {
    expect([...lockedGems('GEM\n  specs:\n    pg (1.5.9)\n    pg (1.5.9-x86_64-linux)\n').entries()]).toEqual([
      ['pg', '1.5.9'],
    ]);
    expect([...gemfileGems('gem "a"\ngroup :development, :test do\n  gem "b"\nend\ngem "c"\n').entries()]).toEqual([
      ['a', 'default'],
      ['b', 'development,test'],
      ['c', 'default'],
    ]);
  });

  it('start checks', () => {
    const p = profileFor('ruby');
    expect(p.checkStart(['bundle', 'exec', 'puma'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['foreman', 'start'], { name: 'x' })).toMatch(/bundle exec/);
    expect(p.checkStart(['bundle', 'exec', 'foreman', 'start'], { name: 'x' })).toMatch(/one process per container/);
  });
});

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'ruby',
    runtimeVersion: '3.4',
    packageManager: 'bundler',
    name: 'shop',
    port: 3000,
    start: ['bundle', 'exec', 'puma', '-C', 'config/puma.rb'],
    build: null,
    dataDirs: [],
    flavor: 'slim',
    uid: 10001,
    gid: 10001,
    healthPath: '/up',
    buildSecrets: [],
    registry: '',
    secrets: [],
    secretProvider: 'file',
    vaultAddr: '',
    vaultMount: 'secret',
    vaultPaths: {},
    awsRegion: '',
    awsSecretIds: {},
    services: [],
    bind: '127.0.0.1',
    secretsHelper: false,
    ...over,
  };
}

describe('ruby: the generated files', () => {
  const layout: ProjectLayout = {
    manifests: ['Gemfile', 'Gemfile.lock'],
    nativeDeps: ['pg'],
    settings: { rails: true, bootsnap: true, jemalloc: true },
    buildSteps: [
      { argv: ['bundle', 'exec', 'rails', 'assets:precompile'], env: { SECRET_KEY_BASE_DUMMY: '1' }, why: 'assets' },
    ],
  };

  it('the throwaway secret only on its RUN line; compilers in the build stage only; jemalloc preloaded', () => {
    const df =
      new Map(renderFiles(buildSpec(answers(), layout)).map((f) => [f.path, f.contents])).get('Dockerfile') ?? '';
    const runtime = df.slice(df.indexOf(' AS runtime'));
    expect(df).toMatch(/^RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile$/m);
    expect(df).not.toMatch(/^ENV .*SECRET_KEY_BASE/m);
    expect(runtime).not.toMatch(/build-essential|libpq-dev/);
    expect(runtime).toMatch(/install -y --no-install-recommends libpq5 libjemalloc2/);
    expect(runtime).toMatch(/^ENV LD_PRELOAD=\/usr\/lib\/x86_64-linux-gnu\/libjemalloc\.so\.2$/m);
    expect(runtime).toMatch(/^RUN rm -rf \/usr\/bin\/apt .*\/usr\/local\/bin\/gem$/m);
  });

  it('the self-check: clean for slim and alpine', () => {
    for (const flavor of ['slim', 'alpine'] as const) {
      const findings = auditGenerated(renderFiles(buildSpec(answers({ flavor }), layout)));
      expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
  });
});
