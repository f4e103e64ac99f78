// Python detection for real repositories (issue 10 items 2, 3, 6, 7): how the app's own files start
// it (Procfile, boot scripts, an existing Dockerfile), Django settings packages and collectstatic,
// requirements includes and native dependencies, health routes behind router prefixes.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import {
  classify,
  dockerfileStart,
  readStartup,
  serverStart,
  splitShellLine,
  type ShellCommand,
} from '../../lib/runtimes/python/commands.js';
import {
  joinInside,
  nativeNeeds,
  parseRequirement,
  readRequirementsTree,
} from '../../lib/runtimes/python/requirements.js';

const reader = (files: Record<string, string>) => ({
  read: (p: string) => files[p],
  has: (p: string) => p in files,
});

function cmd(line: string): ShellCommand {
  const c = splitShellLine(line, () => undefined);
  if (!c || c.length !== 1) throw new Error(`not one command: ${line}`);
  return c[0];
}

function start(line: string, files: Record<string, string> = {}) {
  return serverStart(classify(cmd(line)), reader(files));
}

describe('shell commands of a Procfile or a boot script', () => {
  it('splits sequences, keeps the last command of a pipe, reads quotes and ${X:-default}', () => {
    const cmds = splitShellLine(
      `yes "yes" | python manage.py migrate && FOO=1 exec gunicorn 'app:create_app()' -w \${WORKERS:-4}; echo done`,
      () => undefined,
    );
    expect(cmds?.map((c) => c.words.map((w) => w.text))).toEqual([
      ['python', 'manage.py', 'migrate'],
      ['gunicorn', 'app:create_app()', '-w', '4'],
      ['echo', 'done'],
    ]);
    expect(cmds?.[1].exec).toBe(true);
    expect(cmds?.[1].env).toEqual([['FOO', '1']]);
    expect(splitShellLine('echo "unterminated', () => undefined)).toBeUndefined();
  });

  it('classifies servers, migrations, translations and development servers', () => {
    expect(classify(cmd('gunicorn app:app')).kind).toBe('server');
    expect(classify(cmd('python -m uvicorn main:app')).argv).toEqual(['python', '-m', 'uvicorn', 'main:app']);
    expect(classify(cmd('poetry run uvicorn main:app')).argv).toEqual(['python', '-m', 'uvicorn', 'main:app']);
    expect(classify(cmd('waitress-serve --port=8080 app:app')).argv.slice(0, 3)).toEqual(['python', '-m', 'waitress']);
    expect(classify(cmd('flask db upgrade'))).toMatchObject({ kind: 'release', what: 'database migrations' });
    expect(classify(cmd('alembic upgrade head'))).toMatchObject({
      kind: 'release',
      argv: ['python', '-m', 'alembic', 'upgrade', 'head'],
    });
    expect(classify(cmd('./manage.py migrate --noinput')).argv).toEqual([
      'python',
      'manage.py',
      'migrate',
      '--noinput',
    ]);
    expect(classify(cmd('python manage.py collectstatic --noinput')).kind).toBe('build');
    expect(classify(cmd('flask translate compile')).kind).toBe('build');
    expect(classify(cmd('python manage.py runserver 0.0.0.0:8000')).kind).toBe('dev');
    expect(classify(cmd('flask run')).kind).toBe('dev');
    expect(classify(cmd('uwsgi --ini uwsgi.ini')).kind).toBe('uwsgi');
    expect(classify(cmd('sh ./boot.sh'))).toMatchObject({ kind: 'file', argv: ['boot.sh'] });
    const nr = classify(cmd('newrelic-admin run-program gunicorn app:app'));
    expect(nr.argv).toEqual(['python', '-m', 'gunicorn', 'app:app']);
    expect(nr.notes.join()).toMatch(/newrelic-admin wrapper is dropped/);
  });

  it('gunicorn: --bind added or moved off loopback, $PORT a placeholder, the app found', () => {
    expect(start('gunicorn blog:app')).toMatchObject({
      argv: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'blog:app'],
      target: 'blog:app',
      hasPort: true,
    });
    const s = start('gunicorn -b localhost:5000 --access-logfile - config.wsgi');
    expect(s).toMatchObject({
      argv: ['python', '-m', 'gunicorn', '-b', '0.0.0.0:5000', '--access-logfile', '-', 'config.wsgi'],
      target: 'config.wsgi',
      port: 5000,
    });
    expect(start('gunicorn autoapp:app -b 0.0.0.0:$PORT -w 3')).toMatchObject({
      argv: ['python', '-m', 'gunicorn', 'autoapp:app', '-b', '0.0.0.0:8000', '-w', '3'],
    });
    expect(start('gunicorn autoapp:app -b 0.0.0.0:$PORT')).not.toHaveProperty('port');
    // an option whose value is an unknown variable is dropped; gunicorn's default applies
    const w = start('gunicorn app:app --workers $WEB_CONCURRENCY');
    expect(w).toMatchObject({ argv: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'app:app'] });
    expect('notes' in w && w.notes.join()).toMatch(/--workers \$WEB_CONCURRENCY dropped/);
    expect(start("gunicorn 'app:create_app()'")).toMatchObject({ target: 'app:create_app()' });
  });

  it('uvicorn, daphne, waitress, hypercorn: host and port made explicit', () => {
    expect(start('uvicorn main:app --reload --host 127.0.0.1')).toMatchObject({
      argv: ['python', '-m', 'uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000'],
    });
    expect(start('uvicorn --host=0.0.0.0 --port=$PORT app.main:app')).toMatchObject({
      argv: ['python', '-m', 'uvicorn', '--host', '0.0.0.0', '--port', '8000', 'app.main:app'],
    });
    expect(start('daphne -p 9000 proj.asgi:application')).toMatchObject({
      argv: ['python', '-m', 'daphne', '--port', '9000', 'proj.asgi:application', '--bind', '0.0.0.0'],
      port: 9000,
    });
    expect(start('waitress-serve --listen=*:8080 app:app')).toMatchObject({
      argv: ['python', '-m', 'waitress', '--port', '8080', 'app:app'],
      port: 8080,
    });
    expect(start('hypercorn app:app')).toMatchObject({
      argv: ['python', '-m', 'hypercorn', '--bind', '0.0.0.0:8000', 'app:app'],
    });
    expect(start('python manage.py runserver')).toEqual({
      error: "Django's development server is not a production server",
    });
  });

  it('uWSGI: gunicorn serves the same WSGI app (module= or wsgi-file= of the ini)', () => {
    const files = { 'etc/uwsgi.ini': '[uwsgi]\nhttp-socket=:$(PORT)\nwsgi-file=site/wsgi.py\n', 'site/wsgi.py': '' };
    expect(start('uwsgi ./etc/uwsgi.ini', files)).toMatchObject({
      argv: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'site.wsgi:application'],
      target: 'site.wsgi:application',
    });
    expect(start('uwsgi --http :9090 --module hc.wsgi --callable app')).toMatchObject({
      argv: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:9090', 'hc.wsgi:app'],
      port: 9090,
    });
    expect(start('uwsgi --ini missing.ini')).toEqual({ error: 'uWSGI config missing.ini is not in the repository' });
  });

  it("a boot script: the exec'd server is the start, the commands before it are steps", () => {
    const boot =
      '#!/bin/bash\nwhile true; do\n    flask db upgrade\n    if [[ "$?" == "0" ]]; then\n        break\n    fi\n    sleep 5\ndone\nflask translate compile\nexec gunicorn -b :5000 --access-logfile - blog:app\n';
    const plan = readStartup(reader({ 'boot.sh': boot }), 'sh boot.sh', () => 'Procfile:1');
    expect(plan.server?.argv).toEqual(['python', '-m', 'gunicorn', '-b', ':5000', '--access-logfile', '-', 'blog:app']);
    expect(plan.serverSource).toBe('boot.sh:10: exec gunicorn -b :5000 --access-logfile - blog:app');
    expect(plan.steps.map((s) => [s.step.kind, s.step.what, s.source])).toEqual([
      ['release', 'database migrations', 'boot.sh:3: flask db upgrade'],
      ['build', 'translations', 'boot.sh:9: flask translate compile'],
    ]);
  });

  it('an existing Dockerfile: ENTRYPOINT script with exec "$@" runs the CMD; ENV is known to it', () => {
    const df = dockerfileStart(
      'FROM python:3.12 AS build\nCMD ["nope"]\nFROM python:3.12-slim\nENV FLASK_APP=app.py\nENTRYPOINT ["/code/docker-entrypoint.sh"]\nCMD ["uwsgi", "/code/etc/uwsgi.ini"]\n',
    );
    expect(df).toEqual({
      entrypoint: { command: '/code/docker-entrypoint.sh', line: 5 },
      cmd: { command: 'uwsgi /code/etc/uwsgi.ini', line: 6 },
      env: new Map([['FLASK_APP', 'app.py']]),
    });
    expect(
      dockerfileStart('FROM x\nCMD poetry run alembic upgrade head && \\\n    poetry run uvicorn app:app\n')?.cmd,
    ).toEqual({
      command: 'poetry run alembic upgrade head &&      poetry run uvicorn app:app',
      line: 2,
    });
  });
});

describe('Procfile, boot scripts and Dockerfiles in detection', () => {
  it('a Flask app object named in the Procfile wins over a create_app() factory (not a guess)', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        Procfile: 'web: gunicorn blog:app\n',
        'blog.py': 'from app import create_app\napp = create_app()\n',
        'app/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
      }),
    );
    expect(f.start).toEqual({
      value: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'blog:app'],
      source:
        "Procfile:1: web: gunicorn blog:app; port 8000 is the server's default (no port found): rebind it to the chosen port",
    });
  });

  it('without a Procfile, a module-level `app = create_app()` is the app object', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        'autoapp.py': 'from conduit.app import create_app\napp = create_app(CONFIG)\n',
        'conduit/app.py': 'from flask import Flask\n\ndef create_app(cfg):\n    return Flask(__name__)\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'autoapp:app']);
    expect(f.start?.guess).toBeUndefined();
  });

  it('a server missing from the dependencies makes the start a guess', () => {
    const f = detectFromFiles(
      memoryFiles({ 'requirements.txt': 'fastapi\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' }),
    );
    expect(f.start?.guess).toMatch(/^uvicorn is not in the dependencies/);
    const g = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi[standard]\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      }),
    );
    expect(g.start?.guess).toBeUndefined();
  });

  it('a top-level script with a __main__ guard is not a guess', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': '',
        'app.py': 'import http.server\nif __name__ == "__main__":\n    serve()\n',
      }),
    );
    expect(f.start).toEqual({
      value: ['python', 'app.py'],
      source: 'app.py (common entry file name with a __main__ guard)',
    });
  });

  it('a development server in the Procfile is not taken; the migration before it still is a step', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        Procfile: 'web: flask db upgrade && flask run --host 0.0.0.0\n',
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'app:app']);
    expect(f.notes?.join('\n')).toMatch(
      /Procfile:1: web: flask db upgrade && flask run --host 0\.0\.0\.0: Flask's development server is not taken/,
    );
    expect(f.manualSteps?.value.map((m) => m.argv)).toEqual([['python', '-m', 'flask', 'db', 'upgrade']]);
  });

  it('boot.sh found by name: exec uvicorn on loopback is moved to 0.0.0.0, its port becomes the port', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi\nuvicorn\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
        'boot.sh': '#!/bin/sh\nset -e\nalembic upgrade head\nexec uvicorn main:app --host 127.0.0.1 --port 5001\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '5001']);
    expect(f.port).toEqual({ value: 5001, source: 'boot.sh:4: exec uvicorn main:app --host 127.0.0.1 --port 5001' });
    expect(f.manualSteps?.value).toEqual([
      {
        argv: ['python', '-m', 'alembic', 'upgrade', 'head'],
        when: 'release',
        why: 'database migrations (boot.sh:3: alembic upgrade head)',
      },
    ]);
  });

  it('an existing Dockerfile CMD in shell form: the server after the migration', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml':
          '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "*"\nuvicorn = "*"\n',
        'app/main.py':
          'from fastapi import FastAPI\ndef get_application():\n    return FastAPI()\napp = get_application()\n',
        Dockerfile:
          'FROM python:3.11\nCMD poetry run alembic upgrade head && \\\n    poetry run uvicorn --host=0.0.0.0 app.main:app\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', '--host', '0.0.0.0', 'app.main:app', '--port', '8000']);
    expect(f.start?.source).toMatch(/^Dockerfile:2: CMD poetry run alembic upgrade head/);
    expect(f.manualSteps?.value.map((m) => m.argv)).toEqual([['python', '-m', 'alembic', 'upgrade', 'head']]);
  });
});

describe('requirements files and native dependencies', () => {
  it('follows -r and -c includes relative to the including file, inside the repository only', () => {
    const files: Record<string, string> = {
      'requirements.txt': '-r requirements/production.txt\n--index-url https://pypi.example/simple\n',
      'requirements/production.txt':
        '-r base.txt\n-c ../constraints.txt\ngunicorn==23\npsycopg2==2.9 \\\n  --hash=sha256:abc\n',
      'requirements/base.txt': 'Django==5.1\n-r ../../outside.txt\n-r https://example.com/r.txt\n-e .\n',
      'constraints.txt': 'urllib3<3\n',
    };
    const t = readRequirementsTree((p) => files[p], 'requirements.txt');
    expect(t.files).toEqual([
      'requirements.txt',
      'requirements/production.txt',
      'requirements/base.txt',
      'constraints.txt',
    ]);
    expect(t.requirements.map((r) => [r.name, r.source])).toEqual([
      ['django', 'requirements/base.txt:1'],
      ['gunicorn', 'requirements/production.txt:3'],
      ['psycopg2', 'requirements/production.txt:4'],
    ]);
    expect(t.hashes).toBe(true);
    expect(t.localPaths).toEqual(['requirements/base.txt:4: -e .']);
    expect(t.skipped).toEqual([
      'requirements/base.txt:2: -r ../../outside.txt (outside the repository: not copied, the install will fail)',
      'requirements/base.txt:3: -r https://example.com/r.txt (a URL: pip fetches it at build time)',
    ]);
    expect(joinInside('requirements', '../constraints.txt')).toBe('constraints.txt');
    expect(joinInside('.', '../x.txt')).toBeUndefined();
  });

  it('stops following includes at a bound, and never loops', () => {
    const files: Record<string, string> = { 'a.txt': '-r b.txt\nx\n', 'b.txt': '-r a.txt\ny\n' };
    expect(readRequirementsTree((p) => files[p], 'a.txt').files).toEqual(['a.txt', 'b.txt']);
    const chain: Record<string, string> = {};
    for (let i = 0; i < 30; i++) chain[`r${i}.txt`] = `-r r${i + 1}.txt\n`;
    const t = readRequirementsTree((p) => chain[p], 'r0.txt');
    expect(t.files.length).toBeLessThanOrEqual(16);
    expect(t.skipped[0]).toMatch(/levels of includes/);
  });

  it('native needs: psycopg2 and psycopg[c] need libpq, psycopg[binary] and psycopg2-binary nothing, uwsgi only a compiler', () => {
    const need = (spec: string) =>
      nativeNeeds([{ ...{ name: '', extras: [] as string[] }, ...parse(spec), source: 'r:1' }]).map((n) => [
        n.dep,
        n.runtimeLib ?? null,
        n.alpineRuntime,
      ]);
    expect(need('psycopg2==2.9')).toEqual([['psycopg2', 'libpq', ['libpq']]]);
    expect(need('psycopg2-binary')).toEqual([]);
    expect(need('psycopg[binary,pool]')).toEqual([]);
    expect(need('psycopg[c]')).toEqual([['psycopg[c]', 'libpq', ['libpq']]]);
    expect(need('psycopg')).toEqual([['psycopg', 'libpq', ['libpq']]]);
    expect(need('mysqlclient')).toEqual([
      ['mysqlclient', 'libmariadb (the MySQL/MariaDB client library)', ['mariadb-connector-c']],
    ]);
    expect(need('uWSGI')).toEqual([['uwsgi', null, []]]);
    expect(need('lxml')).toEqual([]);
  });

  it('the plan rules distroless out when a library is needed at run time, and says why', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': '-r requirements/prod.txt\n',
        'requirements/prod.txt': 'flask\ngunicorn\npsycopg2==2.9.9\n',
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    );
    expect(f.nativeDeps).toEqual({
      value: ['psycopg2'],
      source: 'requirements/prod.txt:3: psycopg2 (not psycopg2-binary) compiles against libpq and loads it at run time',
    });
    expect(f.flavor?.value).toBe('alpine');
    expect(f.flavor?.source).toMatch(
      /distroless python3 has no libpq .*distroless is ruled out.*or use psycopg2-binary/,
    );
    const g = detectFromFiles(memoryFiles({ 'requirements.txt': 'uwsgi\n', 'main.py': '' }));
    expect(g.nativeDeps?.value).toEqual(['uwsgi']);
    expect(g.flavor).toBeUndefined();
  });

  it('extras from Poetry and Pipfile tables count', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml':
          '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\npsycopg = { version = "^3", extras = ["binary"] }\n',
      }),
    );
    expect(f.nativeDeps).toBeUndefined();
  });
});

function parse(spec: string): { name: string; extras: string[] } {
  const r = parseRequirement(spec);
  if (!r) throw new Error(`not a requirement: ${spec}`);
  return r;
}

const DJANGO_BASE = {
  'requirements.txt': 'django\ngunicorn\ndjango-environ\n',
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
  'config/__init__.py': '',
  'config/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n',
  'config/settings/__init__.py': '',
  'config/settings/base.py':
    'import environ\nenv = environ.Env()\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = str(BASE_DIR / "staticfiles")\n',
  'config/settings/local.py': 'from .base import *\nDEBUG = True\n',
};

describe('Django settings packages and collectstatic', () => {
  it('settings package: production settings, WSGI module next to them, collectstatic with placeholders', () => {
    const f = detectFromFiles(
      memoryFiles({
        ...DJANGO_BASE,
        'config/settings/production.py':
          'from .base import *\nfrom .base import env\nSECRET_KEY = env("DJANGO_SECRET_KEY")\nDATABASES = {\n    "default": env.db("DATABASE_URL"),\n}\nCONN = env.int("CONN_MAX_AGE", default=60)\nif env.bool("USE_S3", default=False):\n    AWS_KEY = env("AWS_KEY")\nSENTRY_DSN = env("SENTRY_DSN")\n',
      }),
    );
    expect(f.framework?.value).toBe('django');
    expect(f.start).toEqual({
      value: ['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'config.wsgi:application'],
      source:
        "manage.py: DJANGO_SETTINGS_MODULE config.settings.local + config/wsgi.py: Django served by gunicorn; port 8000 is the server's default (no port found): rebind it to the chosen port",
    });
    expect(f.settingsModule).toEqual({
      value: 'config.settings.production',
      source: 'config/settings/production.py (the settings package of config.settings.local, manage.py)',
    });
    expect(f.buildSteps?.value).toEqual([
      {
        argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
        env: {
          DJANGO_SETTINGS_MODULE: 'config.settings.production',
          DJANGO_SECRET_KEY: 'build-only-not-a-secret',
          DATABASE_URL: 'sqlite://:memory:',
          SENTRY_DSN: '',
        },
        why: expect.stringMatching(
          /^Django static files \(STATIC_ROOT in config\/settings\/base\.py\); DJANGO_SECRET_KEY, DATABASE_URL, SENTRY_DSN are required by the settings at import: build-only placeholders/,
        ) as unknown as string,
      },
    ]);
  });

  it('settings under another package name (config/django/base.py + production.py)', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'django\ngunicorn\n',
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")\n',
        'config/wsgi.py': '',
        'config/django/__init__.py': '',
        'config/django/base.py': 'SECRET_KEY = "x"\n',
        'config/django/production.py': 'from .base import *\n',
      }),
    );
    expect(f.start?.value.at(-1)).toBe('config.wsgi:application');
    expect(f.settingsModule?.value).toBe('config.django.production');
    // no staticfiles app: no collectstatic
    expect(f.buildSteps).toBeUndefined();
  });

  it('collectstatic is left to the user for cloud static storage, and not proposed without STATIC_ROOT', () => {
    const cloud = detectFromFiles(
      memoryFiles({
        ...DJANGO_BASE,
        'config/settings/production.py':
          'from .base import *\nSTORAGES = {"staticfiles": {"BACKEND": "storages.backends.s3.S3Storage"}}\n',
      }),
    );
    expect(cloud.buildSteps).toBeUndefined();
    expect(cloud.notes?.join('\n')).toMatch(/static files go to a cloud storage/);
    expect(cloud.manualSteps?.value).toEqual([
      {
        argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
        when: 'release',
        why: "static files (static files go to a cloud storage (django-storages): collectstatic needs its credentials): run it where the deployment's settings and credentials are",
      },
    ]);
    const noRoot = detectFromFiles(
      memoryFiles({
        ...DJANGO_BASE,
        'config/settings/base.py': 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n',
        'config/settings/production.py': 'from .base import *\n',
      }),
    );
    expect(noRoot.buildSteps).toBeUndefined();
    expect(noRoot.notes?.join('\n')).toMatch(/no STATIC_ROOT, so collectstatic is not run at build time/);
  });

  it('plain settings.py: the WSGI module as before, no settings fact', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'django\ngunicorn\n',
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        'mysite/settings.py': 'SECRET_KEY = "x"\n',
        'mysite/wsgi.py': '',
      }),
    );
    expect(f.start?.value.at(-1)).toBe('mysite.wsgi:application');
    expect(f.settingsModule).toBeUndefined();
  });
});

describe('health routes behind router prefixes', () => {
  it('FastAPI: include_router prefixes and APIRouter(prefix=…) through modules, a settings constant resolved', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi\nuvicorn\n',
        'app/__init__.py': '',
        'app/main.py':
          'from fastapi import FastAPI\nfrom app.api.main import api_router\nfrom app.core.config import settings\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n',
        'app/core/config.py': 'class Settings:\n    API_V1_STR: str = "/api/v1"\nsettings = Settings()\n',
        'app/api/main.py':
          'from fastapi import APIRouter\nfrom app.api.routes import utils\napi_router = APIRouter()\napi_router.include_router(utils.router)\n',
        'app/api/routes/utils.py':
          'from fastapi import APIRouter\nrouter = APIRouter(prefix="/utils", tags=["utils"])\n@router.get("/health-check/")\ndef hc():\n    return True\n',
      }),
    );
    expect(f.healthPath?.value).toBe('/api/v1/utils/health-check/');
  });

  it('a prefix that is not a constant of the repository: the route is not proposed, a note says why', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi\nuvicorn\n',
        'main.py':
          'import os\nfrom fastapi import FastAPI\nfrom routes import router\napp = FastAPI()\napp.include_router(router, prefix=os.environ["PREFIX"])\n',
        'routes.py':
          'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/healthz")\ndef h():\n    return 1\n',
      }),
    );
    expect(f.healthPath).toBeUndefined();
    expect(f.notes?.join('\n')).toMatch(
      /\/healthz is behind a router prefix that could not be read .*counts any HTTP answer as alive/,
    );
  });

  it("Flask: register_blueprint's url_prefix replaces the blueprint's own", () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        'app/__init__.py':
          'from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    from app.api import bp as api_bp\n    app.register_blueprint(api_bp, url_prefix="/api")\n    return app\n',
        'app/api/__init__.py': 'from flask import Blueprint\nbp = Blueprint("api", __name__, url_prefix="/ignored")\n',
        'app/api/ping.py': 'from app.api import bp\n@bp.route("/ping")\ndef ping():\n    return "ok"\n',
      }),
    );
    expect(f.healthPath?.value).toBe('/api/ping');
  });

  it('Django: path("api/", include("shop.api.urls"))', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'django\ngunicorn\n',
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/settings.py': '',
        'proj/wsgi.py': '',
        'proj/urls.py':
          'from django.urls import include, path\nurlpatterns = [path("api/", include(("shop.api.urls", "api")))]\n',
        'shop/api/urls.py': 'from django.urls import path\nurlpatterns = [path("health/", health)]\n',
      }),
    );
    expect(f.healthPath?.value).toBe('/api/health/');
    expect(f.notes?.join('\n')).toMatch(/ALLOWED_HOSTS must include it/);
  });

  it('a versioned route written out in full: /api/v1/health', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi\nuvicorn\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/api/v1/health")\ndef h():\n    return 1\n',
      }),
    );
    expect(f.healthPath).toEqual({ value: '/api/v1/health', source: 'main.py:3: @app.get("/api/v1/health")' });
  });

  it('no health route: the note says the probe counts any HTTP answer as alive', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    );
    expect(f.healthPath).toBeUndefined();
    expect(f.notes).toContain(
      'no health route found: the health check requests / and counts any HTTP answer (even 404 or 500) as alive; pass --health-path for a route that checks the app',
    );
  });
});

describe('translations', () => {
  it('Flask-Babel catalogues without .mo are compiled at build time; committed .mo files are not', () => {
    const files = {
      'requirements.txt': 'flask\nflask-babel\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'translations/de/LC_MESSAGES/messages.po': '',
    };
    expect(detectFromFiles(memoryFiles(files)).buildSteps?.value).toEqual([
      {
        argv: ['pybabel', 'compile', '-d', 'translations'],
        why: 'translations: translations/de/LC_MESSAGES/messages.po without a compiled .mo (flask-babel from requirements.txt)',
      },
    ]);
    expect(
      detectFromFiles(memoryFiles({ ...files, 'translations/de/LC_MESSAGES/messages.mo': '' })).buildSteps,
    ).toBeUndefined();
  });
});
