// PHP served by PHP-FPM plus an nginx service (--php-server fpm, issue 14): one Dockerfile with two
// final targets (web: nginx, app: php-fpm), compose.yaml with a second service, the FastCGI probe.
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { auditGenerated } from '../../lib/policy/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { resolveAnswers } from '../../lib/core/answers/resolve.js';
import { AnswerError, type Answers, type ProjectLayout } from '../../lib/core/types.js';
import { parseDockerfile } from '../helpers/dockerfile.js';
import { composeSchemaErrors } from '../helpers/compose-schema.js';

const layout: ProjectLayout = {
  manifests: ['composer.json', 'composer.lock'],
  nativeDeps: ['opcache'],
  settings: { docroot: 'public' },
};

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'php',
    runtimeVersion: '8.2',
    packageManager: 'composer',
    name: 'shop',
    port: 8080,
    start: ['frankenphp', 'run'],
    build: null,
    dataDirs: [],
    flavor: 'slim',
    uid: 10001,
    gid: 10001,
    healthPath: '/healthz',
    buildSecrets: [],
    registry: '',
    secrets: ['app_key'],
    secretProvider: 'file',
    vaultAddr: '',
    vaultMount: 'secret',
    vaultPaths: {},
    awsRegion: '',
    awsSecretIds: {},
    services: [],
    bind: '127.0.0.1',
    secretsHelper: false,
    phpServer: 'fpm',
    ...over,
  };
}

function files(over: Partial<Answers> = {}): Map<string, string> {
  return new Map(renderFiles(buildSpec(answers(over), layout)).map((f) => [f.path, f.contents]));
}

describe('php --php-server fpm: the Dockerfile', () => {
  it('two final targets: web (nginx) and app (php-fpm, the last stage); composer only in the build stage', () => {
    for (const flavor of ['slim', 'alpine'] as const) {
      const stages = parseDockerfile(files({ flavor }).get('Dockerfile') ?? '');
      const byName = new Map(stages.map((s) => [s.name, s]));
      expect(stages.map((s) => s.name)).toEqual(['build', 'web', 'base', 'app']);
      expect(stages[0].image).toBe(`php:8.2-fpm-${flavor === 'alpine' ? 'alpine' : 'bookworm'}`);
      expect(byName.get('web')?.image).toMatch(/^nginxinc\/nginx-unprivileged:[\d.]+-alpine[\d.]+-slim$/);
      const app = byName.get('app')!;
      const web = byName.get('web')!;
      const last = (s: typeof app, k: string) => s.instructions.filter((i) => i.keyword === k).pop();
      expect(last(app, 'ENTRYPOINT')?.json).toEqual(['/usr/local/sbin/php-fpm', '-F']);
      expect(last(app, 'USER')?.args).toBe('10001:10001');
      expect(last(app, 'EXPOSE')?.args).toBe('9000');
      expect(last(app, 'HEALTHCHECK')?.raw).toContain(
        '"/usr/local/bin/php", "/usr/local/lib/secure-container/fpm-healthcheck.php"',
      );
      expect(last(web, 'ENTRYPOINT')?.json?.[0]).toBe('/usr/sbin/nginx');
      expect(last(web, 'USER')?.args).toBe('101:101');
      expect(last(web, 'EXPOSE')?.args).toBe('8080');
      for (const s of [app, web, byName.get('base')!])
        expect(s.instructions.map((i) => i.raw).join('\n')).not.toMatch(/composer/);
      expect(stages[0].instructions.map((i) => i.raw).join('\n')).toMatch(
        /--mount=type=cache,target=\/tmp\/composer-cache.*composer install --no-dev --no-scripts/,
      );
      const appText = app.instructions.map((i) => i.raw).join('\n');
      expect(appText).toMatch(/rm -rf .*(\/sbin\/apk|\/usr\/bin\/apt-get)/);
      expect(appText).toContain('/usr/local/bin/phpize');
      expect(appText).toContain('COPY deploy/php-fpm/zz-secure-container.conf /usr/local/etc/php-fpm.d/');
      expect(appText).not.toMatch(/frankenphp|setcap|XDG_/);
    }
  });

  it('the pool, the probe and nginx: port 9000, env kept, front controller over FastCGI to the app service', () => {
    const f = files();
    expect(f.has('deploy/frankenphp/Caddyfile')).toBe(false);
    const pool = f.get('deploy/php-fpm/zz-secure-container.conf') ?? '';
    expect(pool).toMatch(/^listen = 9000$/m);
    expect(pool).toMatch(/^clear_env = no$/m);
    expect(pool).toMatch(/^catch_workers_output = yes$/m);
    expect(pool).toMatch(/^error_log = \/proc\/self\/fd\/2$/m);
    expect(pool).toMatch(/^ping\.path = \/fpm-ping$/m);
    expect(f.get('deploy/php-fpm/healthcheck.php')).toContain('tcp://127.0.0.1:9000');
    const conf = f.get('deploy/nginx/nginx.conf') ?? '';
    expect(conf).toMatch(/listen 8080;/);
    expect(conf).toMatch(/root \/app\/public;/);
    expect(conf).toContain('fastcgi_pass shop:9000;');
    expect(conf).toContain('fastcgi_param SCRIPT_FILENAME /app/public/index.php;');
    expect(conf).toContain('add_header X-Content-Type-Options "nosniff" always;');
    expect(conf).toContain('server_tokens off;');
    expect(conf).toContain('fastcgi_param REQUEST_URI $request_uri;');
    expect(conf).not.toContain('include /etc/nginx/fastcgi_params');
    expect(conf).toContain('pid /tmp/nginx.pid;');
    expect(f.get('README.Docker.md')).toMatch(/--php-server fpm/);
    expect(f.get('README.Docker.md')).toContain('deploy/php-fpm/healthcheck.php');
  });

  it('the pool file is php-fpm ini: comments start with `;` (php-fpm refuses a `#` line and never starts)', () => {
    const pool = files().get('deploy/php-fpm/zz-secure-container.conf') ?? '';
    expect(pool.split('\n').filter((l) => l.trimStart().startsWith('#'))).toEqual([]);
    expect(pool.split('\n')[0]).toMatch(
      /^; deploy\/php-fpm\/zz-secure-container\.conf: generated by generator-secure-container/,
    );
  });

  it('the extension installer comes from its image only where extensions are installed, and never reaches the app', () => {
    const INSTALLER = /^COPY --from=(\S*mlocati\/php-extension-installer:\S+) \/usr\/bin\/install-php-extensions /;
    for (const [nativeDeps, expected] of [
      [['opcache'], true],
      [[], false],
    ] as const) {
      const text = renderFiles(buildSpec(answers(), { ...layout, nativeDeps: [...nativeDeps] })).find(
        (f) => f.path === 'Dockerfile',
      )?.contents;
      const stages = parseDockerfile(text ?? '');
      for (const st of stages) {
        const runs = st.instructions.map((i) => i.raw);
        const copies = runs.filter((r) => INSTALLER.test(r)).length;
        const uses = runs.filter((r) => /^RUN (?:.*&& )?install-php-extensions /.test(r)).length;
        // each stage that runs the installer brings it first; no stage brings it without running it
        expect([st.name, copies]).toEqual([st.name, uses]);
        if (st.name === 'app' || st.name === 'web') expect([st.name, copies]).toEqual([st.name, 0]);
      }
      expect(stages.some((st) => st.instructions.some((i) => INSTALLER.test(i.raw)))).toBe(expected);
    }
    // through the --registry mirror like every base image
    const mirrored = files({ registry: 'registry.example.com/hub' }).get('Dockerfile') ?? '';
    expect(mirrored).toMatch(/^COPY --from=registry\.example\.com\/hub\/\S*mlocati\/php-extension-installer:2 /m);
    expect(mirrored).toMatch(/^COPY --from=registry\.example\.com\/hub\/\S*composer:2 /m);
  });
});

describe('php --php-server fpm: compose.yaml', () => {
  it('a web service publishes the port on loopback; the app publishes none and is on the internal network only', () => {
    const doc = parseYaml(files().get('compose.yaml') ?? '') as {
      services: Record<string, Record<string, unknown>>;
      networks: Record<string, Record<string, unknown>>;
    };
    expect(composeSchemaErrors(doc)).toEqual([]);
    const app = doc.services.shop;
    const web = doc.services.web;
    expect(app.ports).toBeUndefined();
    expect(app.networks).toEqual(['php']);
    expect(doc.networks.php).toEqual({ internal: true });
    expect(app.read_only).toBe(true);
    expect(app.environment).toMatchObject({ APP_KEY_FILE: '/run/secrets/app_key' });
    expect(web.build).toEqual({ context: '.', dockerfile: 'Dockerfile', target: 'web' });
    expect(web.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(web.user).toBe('101:101');
    expect(web.read_only).toBe(true);
    expect(web.cap_drop).toEqual(['ALL']);
    expect(web.security_opt).toEqual(['no-new-privileges:true']);
    expect(web.tmpfs).toEqual(['/tmp:mode=1777,size=16m']);
    expect(web.networks).toEqual(['frontend', 'php']);
  });

  it('the self-check: no error, and nothing but the registry allow-list warning', () => {
    for (const flavor of ['slim', 'alpine'] as const) {
      const findings = auditGenerated(renderFiles(buildSpec(answers({ flavor }), layout)));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      // no SC1019 on slim: php's Debian variants are built on debian:<suite>-slim (the rule knows)
      const known = ['SC1005'];
      expect(findings.filter((f) => !known.includes(f.rule) && f.severity !== 'info')).toEqual([]);
    }
  });
});

describe('--php-server: the answer', () => {
  const resolve = (runtime: 'php' | 'node', cli: Record<string, unknown>) =>
    resolveAnswers({
      facts: { runtime: { value: runtime, source: 'test' } },
      layout: runtime === 'php' ? layout : { manifests: ['package.json'] },
      dirName: 'demo',
      cli: { name: 'demo', start: runtime === 'php' ? 'frankenphp run' : 'node server.js', ...cli },
    }).answers;

  it('defaults to frankenphp for PHP and is left out for other runtimes', () => {
    expect(resolve('php', {}).phpServer).toBe('frankenphp');
    expect(resolve('php', { phpServer: 'fpm' }).phpServer).toBe('fpm');
    expect(resolve('node', {}).phpServer).toBeUndefined();
  });

  it('bad input: one clear line naming --php-server', () => {
    const err = (cli: Record<string, unknown>, rt: 'php' | 'node') => {
      try {
        resolve(rt, cli);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const node = err({ phpServer: 'fpm' }, 'node');
    expect(node).toBeInstanceOf(AnswerError);
    expect((node as Error).message).toMatch(/--php-server/);
    expect((node as Error).message).toMatch(/PHP/);
    expect((node as Error).message).not.toContain('\n');
    const bad = err({ phpServer: 'apache' }, 'php');
    expect(bad).toBeInstanceOf(AnswerError);
    expect((bad as Error).message).toMatch(/--php-server.*frankenphp.*fpm/);
  });
});
