// PHP (issue 14): the claim (a Laravel app's package.json loses), the version from composer.json,
// the extensions, and the generated FrankenPHP files: one process, composer only in the build stage.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { phpMinorFor } from '../../lib/runtimes/php/detect.js';
import type { Answers, ProjectLayout } from '../../lib/core/types.js';

describe('php: detection', () => {
  it('composer constraints pick the newest supported minor', () => {
    expect(phpMinorFor('^8.2')).toBe('8.5');
    expect(phpMinorFor('>=8.1 <8.4')).toBe('8.3');
    expect(phpMinorFor('~8.3.0')).toBe('8.3');
    expect(phpMinorFor('8.2.*')).toBe('8.2');
    expect(phpMinorFor('^7.4 || ^8.0')).toBe('8.5');
    expect(phpMinorFor('^7.4')).toBeUndefined();
  });

  it('a front controller with composer.json wins over a package.json with dependencies; a library is a weak claim', () => {
    const app = detectFromFiles(
      memoryFiles({
        'composer.json': JSON.stringify({ require: { php: '^8.3', 'ext-gd': '*', 'slim/slim': '^4' } }),
        'public/index.php': '<?php',
        'package.json': JSON.stringify({
          dependencies: { alpinejs: '3' },
          scripts: { build: 'vite build' },
          devDependencies: { vite: '5' },
        }),
      }),
    );
    expect(app.runtime?.value).toBe('php');
    expect(app.runtimeVersion?.value).toBe('8.5');
    expect(app.nativeDeps?.value).toEqual(['gd', 'opcache']);
    expect(app.port?.value).toBe(8080);
    const lib = detectFromFiles(
      memoryFiles({
        'composer.json': '{}',
        'package.json': JSON.stringify({ dependencies: { a: '1' }, main: 'a.js' }),
        'a.js': '',
      }),
    );
    expect(lib.runtime?.value).toBe('node');
  });

  it('start is frankenphp run', () => {
    const p = profileFor('php');
    expect(p.checkStart(['frankenphp', 'run'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['php-fpm'], { name: 'x' })).toMatch(/frankenphp run/);
  });
});

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'php',
    runtimeVersion: '8.4',
    packageManager: 'composer',
    name: 'shop',
    port: 8080,
    start: ['frankenphp', 'run'],
    build: null,
    dataDirs: [],
    flavor: 'slim',
    uid: 10001,
    gid: 10001,
    healthPath: '/',
    buildSecrets: ['composer_auth'],
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
    secretsHelper: true,
    ...over,
  };
}

describe('php: the generated files', () => {
  const layout: ProjectLayout = {
    manifests: ['composer.json', 'composer.lock'],
    nativeDeps: ['gd', 'opcache'],
    settings: { docroot: 'public' },
  };

  it('composer in the build stage only, with the build secret; the final stage has no composer or PHP build tools', () => {
    const files = new Map(renderFiles(buildSpec(answers(), layout)).map((f) => [f.path, f.contents]));
    const df = files.get('Dockerfile') ?? '';
    const runtime = df.slice(df.indexOf(' AS runtime'));
    expect(df).toMatch(
      /--mount=type=secret,id=composer_auth COMPOSER_CACHE_DIR=\/tmp\/composer-cache composer install --no-dev --no-scripts/,
    );
    expect(runtime).not.toMatch(/composer/);
    expect(runtime).toMatch(/\/usr\/local\/bin\/install-php-extensions .*\/usr\/local\/bin\/phpize/);
    expect(df).toContain("'ignore_errors' => true");
    expect(files.get('deploy/frankenphp/Caddyfile')).toMatch(/^:8080 \{$/m);
    expect(files.get('src/SecretsHelper.php')).toContain('final class SecretsHelper');
  });

  it('the self-check: no error, and nothing but the registry allow-list warning', () => {
    for (const flavor of ['slim', 'alpine'] as const) {
      const findings = auditGenerated(renderFiles(buildSpec(answers({ flavor }), layout)));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(findings.filter((f) => f.rule !== 'SC1005' && f.severity !== 'info')).toEqual([]);
    }
  });
});
