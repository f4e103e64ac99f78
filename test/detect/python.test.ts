import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { detectFixture } from './helpers.js';

describe('Python fixtures', () => {
  it('PEP 621 + uv + FastAPI: uvicorn (a production server), never a dev server', async () => {
    const f = await detectFixture('py-fastapi-uv');
    expect(f.runtime).toEqual({ value: 'python', source: 'pyproject.toml' });
    expect(f.packageManager).toEqual({ value: 'uv', source: 'uv.lock' });
    expect(f.lockfiles?.value).toEqual(['uv.lock']);
    expect(f.manifest).toEqual({ value: 'pyproject.toml', source: 'uv project (uv.lock)' });
    expect(f.runtimeVersion).toEqual({ value: '3.11', source: 'pyproject.toml: requires-python = ">=3.11" (lowest version it allows)' });
    expect(f.name).toEqual({ value: 'orders-service', source: 'pyproject.toml: [project] name "Orders Service" (made DNS-label safe)' });
    expect(f.framework).toEqual({ value: 'fastapi', source: 'pyproject.toml [project] dependencies: fastapi' });
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']);
    expect(f.start?.source).toMatch(/^app\/main\.py:3: app = FastAPI\(title="orders"\): FastAPI app served by uvicorn \(not a dev server\)/);
    expect(f.start?.source).not.toMatch(/not in dependencies/);
    expect(f.start?.source).toMatch(/port 8000 is the server's default \(no port found\)/);
    // tests/test_main.py has app.run(port=7777): test files are not scanned
    expect(f.port).toBeUndefined();
    expect(f.healthPath).toEqual({ value: '/healthz', source: 'app/main.py:6: @app.get("/healthz")' });
  });

  it('Poetry + Flask: gunicorn bound to the port found in app.run, missing gunicorn is called out', async () => {
    const f = await detectFixture('py-poetry-flask');
    expect(f.packageManager).toEqual({ value: 'poetry', source: 'poetry.lock' });
    expect(f.manifest?.value).toBe('pyproject.toml');
    expect(f.runtimeVersion).toEqual({ value: '3.12', source: 'pyproject.toml: [tool.poetry.dependencies] python = "^3.12" (lowest version it allows)' });
    expect(f.name?.value).toBe('flask-shop');
    expect(f.framework).toEqual({ value: 'flask', source: 'pyproject.toml [tool.poetry.dependencies]: flask' });
    expect(f.port).toEqual({ value: 5000, source: 'app.py:13: app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))' });
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:5000', 'app:app']);
    expect(f.start?.source).toContain('gunicorn not in dependencies: add it');
    expect(f.start?.value).not.toContain('flask');
    expect(f.healthPath?.value).toBe('/health');
  });

  it('requirements.txt (with -r include) + Django: gunicorn on <project>.wsgi, .python-version, Procfile port', async () => {
    const f = await detectFixture('py-django');
    expect(f.runtime?.value).toBe('python');
    expect(f.packageManager?.value).toBe('pip');
    expect(f.manifest).toEqual({ value: 'requirements.txt', source: 'requirements.txt (preferred over requirements-dev.txt)' });
    expect(f.runtimeVersion).toEqual({ value: '3.12', source: '.python-version: 3.12.4' });
    expect(f.framework).toEqual({ value: 'django', source: 'requirements/base.txt: django' });
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8001', 'mysite.wsgi:application']);
    expect(f.start?.source).toMatch(/^manage\.py: DJANGO_SETTINGS_MODULE mysite\.settings \+ mysite\/wsgi\.py: Django served by gunicorn; port 8001 from Procfile$/);
    expect(f.port).toEqual({ value: 8001, source: 'Procfile:2: web: gunicorn mysite.wsgi --bind 0.0.0.0:8001' });
    expect(f.healthPath?.value).toBe('/healthz/');
    // the database PORT in settings.py is not the app's port
    expect(f.port?.value).not.toBe(5432);
  });

  it('Pipfile + Starlette in a src layout: pipenv, uvicorn --app-dir src', async () => {
    const f = await detectFixture('py-pipenv-starlette');
    expect(f.packageManager).toEqual({ value: 'pipenv', source: 'Pipfile.lock' });
    expect(f.manifest?.value).toBe('Pipfile');
    expect(f.runtimeVersion).toEqual({ value: '3.11', source: 'Pipfile: [requires] python_version = "3.11" (lowest version it allows)' });
    expect(f.framework?.value).toBe('starlette');
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'svc.app:app', '--host', '0.0.0.0', '--port', '8000', '--app-dir', 'src']);
  });

  it('package with __main__.py: python -m <pkg>', async () => {
    const f = await detectFixture('py-main-package');
    expect(f.packageManager?.value).toBe('pip');
    expect(f.manifest).toEqual({ value: 'pyproject.toml', source: 'pyproject.toml: [project]' });
    expect(f.runtimeVersion?.value).toBe('3.12');
    expect(f.framework).toBeUndefined();
    expect(f.start).toEqual({ value: ['python', '-m', 'mypkg'], source: 'mypkg/__main__.py' });
  });

  it('[project.scripts]: python -m module when it has a __main__ guard', async () => {
    const f = await detectFixture('py-scripts');
    expect(f.runtimeVersion?.value).toBe('3.10');
    expect(f.start).toEqual({
      value: ['python', '-m', 'worker.cli'],
      source: 'pyproject.toml: [project.scripts] worker = "worker.cli:main" (first of worker, worker-admin): worker/cli.py has a __main__ guard',
    });
  });

  it('plain requirements.txt + main.py, version from runtime.txt', async () => {
    const f = await detectFixture('py-requirements-plain');
    expect(f.manifest).toEqual({ value: 'requirements.txt', source: 'requirements.txt' });
    expect(f.runtimeVersion).toEqual({ value: '3.11', source: 'runtime.txt: python-3.11.9' });
    expect(f.start).toEqual({ value: ['python', 'main.py'], source: 'main.py (common entry file name)' });
    expect(f.framework).toBeUndefined();
  });
});

describe('Python (in memory)', () => {
  it('[project.scripts] without a __main__ guard: the -c form calling the function', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml': '[project]\nname = "cli"\n[project.scripts]\ncli = "cli.app:main"\n',
        'cli/__init__.py': '',
        'cli/app.py': 'def main():\n    return 0\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-c', 'import sys; from cli.app import main; sys.exit(main())']);
  });

  it('[tool.poetry.scripts] is read too', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml': '[tool.poetry]\nname = "p"\n[tool.poetry.dependencies]\npython = ">=3.11,<4"\n[tool.poetry.scripts]\nrun = "p.main:cli"\n',
        'p/main.py': 'def cli(): ...\nif __name__ == "__main__":\n    cli()\n',
      }),
    );
    expect(f.packageManager).toEqual({ value: 'poetry', source: 'pyproject.toml: [tool.poetry] (no poetry.lock)' });
    expect(f.start?.value).toEqual(['python', '-m', 'p.main']);
  });

  it('a .python-version that violates requires-python loses, and says so', () => {
    const f = detectFromFiles(memoryFiles({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.12"\n', '.python-version': '3.10.4\n' }));
    expect(f.runtimeVersion).toEqual({ value: '3.12', source: 'pyproject.toml: requires-python = ">=3.12" (lowest version it allows); .python-version 3.10.4 does not satisfy it' });
  });

  it('.python-version satisfying requires-python wins', () => {
    const f = detectFromFiles(memoryFiles({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11"\n', '.python-version': '3.13.1\n' }));
    expect(f.runtimeVersion).toEqual({ value: '3.13', source: '.python-version: 3.13.1 (satisfies >=3.11)' });
  });

  it('FastAPI with an app variable not called app, in app.py, and uvicorn missing', () => {
    const f = detectFromFiles(memoryFiles({ 'requirements.txt': 'fastapi\n', 'app.py': 'import fastapi\napi = fastapi.FastAPI()\n' }));
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'app:api', '--host', '0.0.0.0', '--port', '8000']);
    expect(f.start?.source).toContain('uvicorn not in dependencies: add it');
  });

  it('Flask app factory: gunicorn "module:create_app()"', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'flask\ngunicorn\n',
        'web/__init__.py': 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'web:create_app()']);
    expect(f.start?.source).not.toContain('not in dependencies');
  });

  it('framework dependency without an app object: framework recorded, next entry rule used, note left', () => {
    const f = detectFromFiles(memoryFiles({ 'requirements.txt': 'flask\n', 'main.py': 'print(1)\n' }));
    expect(f.framework?.value).toBe('flask');
    expect(f.start?.value).toEqual(['python', 'main.py']);
    expect(f.notes?.join('\n')).toMatch(/flask is a dependency but no module-level `app = Flask\(\.\.\.\)`/);
  });

  it('uvicorn port from uvicorn.run(port=...)', () => {
    const f = detectFromFiles(
      memoryFiles({
        'requirements.txt': 'fastapi\nuvicorn\n',
        'main.py': 'from fastapi import FastAPI\nimport uvicorn\napp = FastAPI()\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8081)\n',
      }),
    );
    expect(f.port?.value).toBe(8081);
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8081']);
  });

  it('malformed pyproject.toml is noted, not thrown', () => {
    const f = detectFromFiles(memoryFiles({ 'pyproject.toml': '[project\nname = "x"', 'main.py': '' }));
    expect(f.runtime?.value).toBe('python');
    expect(f.name).toBeUndefined();
    expect(f.notes?.[0]).toMatch(/^pyproject\.toml: not valid TOML \(line \d+\); its contents were ignored$/);
  });

  it('Pipfile without lock is still pipenv', () => {
    const f = detectFromFiles(memoryFiles({ Pipfile: '[packages]\nflask = "*"\n' }));
    expect(f.packageManager).toEqual({ value: 'pipenv', source: 'Pipfile (no Pipfile.lock)' });
    expect(f.framework?.value).toBe('flask');
  });

  it('requirements/prod.txt is used when there is no requirements.txt; dev files are not', () => {
    const f = detectFromFiles(memoryFiles({ 'requirements-dev.txt': 'pytest\n', 'requirements/prod.txt': 'flask\n', 'setup.py': '' }));
    expect(f.manifest?.value).toBe('requirements/prod.txt');
  });
});
