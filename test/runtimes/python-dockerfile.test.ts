// The Python profile's Dockerfile for real repositories (issue 10 items 3, 6, 7): native
// dependencies (compiler in the builder, libraries in the final image, distroless refused when a
// library is needed at run time), requirements includes copied at their paths, framework build
// steps whose output reaches the final image, and the health probe run for real against a server.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnswerError, type Answers, type ProjectLayout } from '../../lib/core/types.js';
import { profileFor } from '../../lib/runtimes/index.js';

const python = profileFor('python');

function answers(over: Partial<Answers> = {}): Answers {
  return {
    runtime: 'python',
    runtimeVersion: '3.11',
    packageManager: 'pip',
    name: 'shop',
    port: 8000,
    start: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'config.wsgi:application'],
    build: null,
    dataDirs: [],
    flavor: 'distroless',
    uid: 65532,
    gid: 65532,
    healthPath: '/',
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

const LAYOUT: ProjectLayout = {
  manifests: ['requirements.txt', 'requirements/production.txt', 'requirements/base.txt', 'constraints.txt'],
  requirements: 'requirements.txt',
  requirementFiles: ['requirements.txt', 'requirements/production.txt', 'requirements/base.txt', 'constraints.txt'],
};

describe('python profile: native dependencies', () => {
  it('distroless is refused when a library is needed at run time, naming --flavor and the binary alternative', () => {
    const run = () => python.dockerfile(answers(), { ...LAYOUT, nativeDeps: ['psycopg2'] });
    expect(run).toThrow(AnswerError);
    expect(run).toThrow(
      '--flavor: distroless python3 has no libpq and cannot install one: psycopg2 (not psycopg2-binary) compiles against libpq and loads it at run time; use --flavor alpine (the library is installed in the final image), or psycopg2-binary (binary wheels) to stay on distroless',
    );
  });

  it('alpine: compiler and headers in the builder, the library in the final image (before apk is removed)', () => {
    const m = python.dockerfile(answers({ flavor: 'alpine', uid: 10001, gid: 10001 }), {
      ...LAYOUT,
      nativeDeps: ['psycopg2', 'mysqlclient', 'uwsgi'],
    });
    expect(m.extra.buildPackages).toBe(
      'apk add --no-cache build-base libpq-dev linux-headers mariadb-connector-c-dev pkgconf',
    );
    expect(m.extra.runtimePackages).toBe('apk add --no-cache libpq mariadb-connector-c');
    expect(m.harden).toMatch(/\/sbin\/apk/);
  });

  it('distroless with a build-only native dependency (uwsgi): build-essential on the Debian builder, nothing at run time', () => {
    const m = python.dockerfile(answers(), { ...LAYOUT, nativeDeps: ['uwsgi'] });
    expect(m.extra.buildPackages).toBe(
      'apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*',
    );
    expect(m.extra.runtimePackages).toBe('');
  });
});

describe('python profile: requirements and build steps', () => {
  it('each requirements file is copied at its own path (a -r include names it relative to its directory)', () => {
    const m = python.dockerfile(answers(), LAYOUT);
    expect(m.extra.copyManifests).toBe(
      'COPY requirements.txt constraints.txt ./\nCOPY requirements/production.txt requirements/base.txt requirements/',
    );
    expect(m.installProd).toMatch(/-r requirements\.txt && rm -rf/);
  });

  it('a `-e .` line in the requirements copies the sources before the install', () => {
    expect(python.dockerfile(answers(), { ...LAYOUT, installFromSources: true }).extra.copySourcesBeforeInstall).toBe(
      'yes',
    );
    expect(python.dockerfile(answers(), LAYOUT).extra.copySourcesBeforeInstall).toBe('');
  });

  it('build steps run with the venv, their env on the RUN line only; the final image copies /app from the builder', () => {
    const m = python.dockerfile(answers(), {
      ...LAYOUT,
      settingsModule: 'config.settings.production',
      buildSteps: [
        {
          argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
          env: {
            DJANGO_SETTINGS_MODULE: 'config.settings.production',
            DJANGO_SECRET_KEY: 'build-only-not-a-secret',
            SENTRY_DSN: '',
          },
          why: 'Django static files',
        },
        { argv: ['pybabel', 'compile', '-d', 'app/translations'], why: 'translations\nwith a newline' },
        // never written: shell syntax in a word
        { argv: ['python', 'x.py;rm'], why: 'bad' },
      ],
    });
    expect(m.extra.buildSteps).toBe(
      [
        '# Django static files',
        "RUN PYTHONDONTWRITEBYTECODE=1 DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=build-only-not-a-secret SENTRY_DSN='' /opt/venv/bin/python manage.py collectstatic --noinput",
        '# translations with a newline',
        'RUN PYTHONDONTWRITEBYTECODE=1 /opt/venv/bin/pybabel compile -d app/translations',
      ].join('\n'),
    );
    expect(m.extra.sourcesFromBuilder).toBe('yes');
    expect(m.env).toContainEqual(['DJANGO_SETTINGS_MODULE', 'config.settings.production']);
    expect(m.env.map(([k]) => k)).not.toContain('DJANGO_SECRET_KEY');
  });
});

/** Run the generated probe with the local python3 against a server answering `status` on every path. */
async function probe(status: number, path: string, location?: string): Promise<number> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, location ? { location } : {});
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const [, flag, code] = python.healthcheck('distroless', port, path);
  try {
    return await new Promise<number>((resolve) => {
      execFile('python3', [flag, code], { timeout: 10_000 }, (err) => {
        if (err && err.code === 'ENOENT') throw new Error('python3 is needed on the PATH to run the generated probe');
        resolve(err ? (typeof err.code === 'number' ? err.code : 99) : 0);
      });
    });
  } finally {
    server.close();
  }
}

describe('python health probe (run with python3 against a real server)', () => {
  it('is one word without spaces', () => {
    for (const p of ['/', '/healthz']) expect(python.healthcheck('alpine', 8000, p)[2]).not.toMatch(/\s/);
  });

  it('a health route: healthy on 2xx/3xx (a redirect is not followed), unhealthy on 4xx/5xx', async () => {
    expect(await probe(200, '/healthz')).toBe(0);
    expect(await probe(301, '/healthz', 'https://127.0.0.1:1/')).toBe(0);
    expect(await probe(404, '/healthz')).toBe(1);
    expect(await probe(500, '/healthz')).toBe(1);
  });

  it('no route detected (`/`): any HTTP answer is alive, even 404 or 500; no answer is not', async () => {
    expect(await probe(404, '/')).toBe(0);
    expect(await probe(500, '/')).toBe(0);
    const [, flag, code] = python.healthcheck('distroless', 1, '/');
    const refused = await new Promise<number>((resolve) => {
      execFile('python3', [flag, code], { timeout: 10_000 }, (err) => {
        resolve(err ? 1 : 0);
      });
    });
    expect(refused).toBe(1);
  });
});
