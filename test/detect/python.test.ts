import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { QUESTIONS } from '../../lib/core/answers/schema.js';
import { runInit } from '../../lib/cli/init.js';
import { PYTHON_VENV } from '../../lib/runtimes/python/detect.js';
import { detectFixture } from './helpers.js';

/** A [project.scripts] entry whose module has no `if __name__ == "__main__":` guard (pip, no requirements file). */
const NO_GUARD: Record<string, string> = {
  'pyproject.toml':
    '[project]\nname = "cli"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n[project.scripts]\ncli = "cli.app:main"\n',
  'cli/__init__.py': '',
  'cli/app.py': 'def main():\n    return 0\n',
};

/** The --start question's own parser (shell syntax refused, python first): what init/upgrade accept. */
function parseStart(value: unknown): unknown {
  const q = QUESTIONS.find((x) => x.key === 'start')!;
  return q.parse(value, { runtime: 'python', name: 'cli' });
}

describe('Python fixtures', () => {
  it('PEP 621 + uv + FastAPI: uvicorn (a production server), never a dev server', async () => {
    const f = await detectFixture('py-fastapi-uv');
    expect(f.runtime).toEqual({ value: 'python', source: 'pyproject.toml' });
    expect(f.packageManager).toEqual({ value: 'uv', source: 'uv.lock' });
    expect(f.lockfiles?.value).toEqual(['uv.lock']);
    expect(f.manifest).toEqual({ value: 'pyproject.toml', source: 'uv project (uv.lock)' });
    // a range: the newest supported minor with a distroless image (issue 10 item 1)
    expect(f.runtimeVersion).toEqual({
      value: '3.13',
      source:
        'pyproject.toml: requires-python = ">=3.11" (a range: the newest supported Python with a distroless image that satisfies it; 3.14 only on alpine)',
    });
    expect(f.name).toEqual({
      value: 'orders-service',
      source: 'pyproject.toml: [project] name "Orders Service" (made DNS-label safe)',
    });
    expect(f.framework).toEqual({ value: 'fastapi', source: 'pyproject.toml [project] dependencies: fastapi' });
    expect(f.start?.value).toEqual(['python', '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']);
    expect(f.start?.source).toMatch(
      /^app\/main\.py:3: app = FastAPI\(title="orders"\): FastAPI app served by uvicorn \(not a dev server\)/,
    );
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
    expect(f.runtimeVersion).toEqual({
      value: '3.13',
      source:
        'pyproject.toml: [tool.poetry.dependencies] python = "^3.12" (a range: the newest supported Python with a distroless image that satisfies it; 3.14 only on alpine)',
    });
    expect(f.name?.value).toBe('flask-shop');
    expect(f.framework).toEqual({ value: 'flask', source: 'pyproject.toml [tool.poetry.dependencies]: flask' });
    expect(f.port).toEqual({
      value: 5000,
      source: 'app.py:13: app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))',
    });
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:5000', 'app:app']);
    expect(f.start?.source).toContain('gunicorn not in dependencies: add it');
    expect(f.start?.value).not.toContain('flask');
    expect(f.healthPath?.value).toBe('/health');
  });

  it('requirements.txt (with -r include) + Django: the Procfile web process, .python-version, Procfile port', async () => {
    const f = await detectFixture('py-django');
    expect(f.runtime?.value).toBe('python');
    expect(f.packageManager?.value).toBe('pip');
    expect(f.manifest).toEqual({
      value: 'requirements.txt',
      source:
        'requirements.txt (preferred over requirements-dev.txt); includes requirements/base.txt (copied into the install stage too)',
    });
    expect(f.runtimeVersion).toEqual({ value: '3.12', source: '.python-version: 3.12.4' });
    expect(f.framework).toEqual({ value: 'django', source: 'requirements/base.txt: django' });
    // the Procfile's web process is the start (in `python -m` form); its release: line is left to the user
    expect(f.start?.value).toEqual(['python', '-m', 'gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8001']);
    expect(f.start?.source).toBe('Procfile:2: web: gunicorn mysite.wsgi --bind 0.0.0.0:8001; port 8001 from Procfile');
    expect(f.start?.guess).toBeUndefined();
    expect(f.manualSteps?.value).toEqual([
      {
        argv: ['python', 'manage.py', 'migrate'],
        when: 'release',
        why: 'database migrations (Procfile:1: release: python manage.py migrate)',
      },
    ]);
    expect(f.port).toEqual({ value: 8001, source: 'Procfile:2: web: gunicorn mysite.wsgi --bind 0.0.0.0:8001' });
    expect(f.healthPath?.value).toBe('/healthz/');
    // the database PORT in settings.py is not the app's port
    expect(f.port?.value).not.toBe(5432);
  });

  it('Pipfile + Starlette in a src layout: pipenv, uvicorn --app-dir src', async () => {
    const f = await detectFixture('py-pipenv-starlette');
    expect(f.packageManager).toEqual({ value: 'pipenv', source: 'Pipfile.lock' });
    expect(f.manifest?.value).toBe('Pipfile');
    expect(f.runtimeVersion).toEqual({
      value: '3.11',
      source: 'Pipfile: [requires] python_version = "3.11" (the only supported Python that satisfies it)',
    });
    expect(f.framework?.value).toBe('starlette');
    expect(f.start?.value).toEqual([
      'python',
      '-m',
      'uvicorn',
      'svc.app:app',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
      '--app-dir',
      'src',
    ]);
  });

  it('package with __main__.py: python -m <pkg>', async () => {
    const f = await detectFixture('py-main-package');
    expect(f.packageManager?.value).toBe('pip');
    expect(f.manifest).toEqual({ value: 'pyproject.toml', source: 'pyproject.toml: [project]' });
    expect(f.runtimeVersion?.value).toBe('3.13'); // ~=3.12: >=3.12, <4
    expect(f.framework).toBeUndefined();
    expect(f.start).toEqual({ value: ['python', '-m', 'mypkg'], source: 'mypkg/__main__.py' });
  });

  it('[project.scripts]: python -m module when it has a __main__ guard', async () => {
    const f = await detectFixture('py-scripts');
    expect(f.runtimeVersion?.value).toBe('3.13'); // >=3.10,<3.14
    expect(f.start).toEqual({
      value: ['python', '-m', 'worker.cli'],
      source:
        'pyproject.toml: [project.scripts] worker = "worker.cli:main" (first of worker, worker-admin): worker/cli.py has a __main__ guard',
    });
  });

  it('plain requirements.txt + main.py, version from runtime.txt', async () => {
    const f = await detectFixture('py-requirements-plain');
    expect(f.manifest).toEqual({ value: 'requirements.txt', source: 'requirements.txt' });
    expect(f.runtimeVersion).toEqual({ value: '3.11', source: 'runtime.txt: python-3.11.9' });
    // no __main__ guard: run because of its name only, a guess (--yes refuses to take it silently)
    expect(f.start).toEqual({
      value: ['python', 'main.py'],
      source: 'main.py (common entry file name)',
      guess: 'main.py is run because of its name only: it has no `if __name__ == "__main__":` guard',
    });
    expect(f.framework).toBeUndefined();
  });
});

describe('Python (in memory)', () => {
  it('[project.scripts] without a __main__ guard, project installed by pip: the console script in the venv (no python -c)', () => {
    const f = detectFromFiles(memoryFiles(NO_GUARD));
    expect(f.start).toEqual({
      value: ['python', `${PYTHON_VENV}/bin/cli`],
      source:
        'pyproject.toml: [project.scripts] cli = "cli.app:main": the console script `pip install .` puts in the venv (cli/app.py has no __main__ guard)',
    });
    // the start validator (the --start question: no shell syntax, starts with python) accepts it
    expect(parseStart(f.start!.value)).toEqual(['python', '/opt/venv/bin/cli']);
  });

  it('[project.scripts] without a guard when the project is not installed (requirements.txt, uv, poetry): no start from it, a note says why', () => {
    for (const extra of [{ 'requirements.txt': 'requests\n' }, { 'uv.lock': '' }, { 'poetry.lock': '' }] as Record<
      string,
      string
    >[]) {
      const f = detectFromFiles(memoryFiles({ ...NO_GUARD, ...extra }));
      expect(f.start).toBeUndefined();
      expect(f.notes?.join('\n')).toMatch(
        /\[project\.scripts\] cli = "cli\.app:main": cli\/app\.py has no `if __name__ == "__main__":` guard .*pass --start/,
      );
    }
    // the next entry rules still apply
    const g = detectFromFiles(memoryFiles({ ...NO_GUARD, 'requirements.txt': 'requests\n', 'main.py': 'print(1)\n' }));
    expect(g.start?.value).toEqual(['python', 'main.py']);
  });

  it('[tool.poetry.scripts] installed by pip: the venv console script only when poetry-core builds the project', () => {
    const files = (backend: string) =>
      memoryFiles({
        'pyproject.toml': `[project]\nname = "p"\nversion = "1"\n[build-system]\nrequires = ["x"]\nbuild-backend = "${backend}"\n[tool.poetry.scripts]\nrun = "p.main:cli"\n`,
        'p/main.py': 'def cli(): ...\n',
      });
    expect(detectFromFiles(files('poetry.core.masonry.api')).start?.value).toEqual(['python', '/opt/venv/bin/run']);
    expect(detectFromFiles(files('setuptools.build_meta')).start).toBeUndefined();
  });

  it('several scripts: the first runnable one wins', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml': '[project]\nname = "w"\n[project.scripts]\na = "w.a:main"\nb = "w.b:main"\n',
        'requirements.txt': 'requests\n',
        'w/a.py': 'def main(): ...\n',
        'w/b.py': 'def main(): ...\nif __name__ == "__main__":\n    main()\n',
      }),
    );
    expect(f.start?.value).toEqual(['python', '-m', 'w.b']);
    expect(f.start?.source).toMatch(/\(runnable one of a, b\): w\/b\.py has a __main__ guard$/);
  });

  it('no detected start is ever one the start validator refuses (python -c with ; or quotes)', () => {
    const variants = [
      NO_GUARD,
      { ...NO_GUARD, 'cli/app.py': 'def main():\n    return 0\nif __name__ == "__main__":\n    main()\n' },
      { ...NO_GUARD, 'requirements.txt': 'x\n' },
    ];
    for (const v of variants) {
      const f = detectFromFiles(memoryFiles(v));
      if (f.start) expect(() => parseStart(f.start!.value)).not.toThrow();
    }
  });

  it('end to end: init --yes on a [project.scripts] app without a guard exits 0 and runs the console script from the venv the Dockerfile installs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-py-scripts-'));
    try {
      for (const [rel, text] of Object.entries(NO_GUARD)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      let err = '';
      const code = await runInit(['--yes'], { cwd: dir, stdout: () => undefined, stderr: (s) => (err += s) });
      expect(err).toBe('');
      expect(code).toBe(0);
      const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      // the project itself is installed into the venv (that is what writes the console script) …
      expect(df).toMatch(
        new RegExp(`python -m venv ${PYTHON_VENV} && ${PYTHON_VENV}/bin/pip install --disable-pip-version-check \\. `),
      );
      expect(df).toContain(`COPY --from=deps ${PYTHON_VENV} ${PYTHON_VENV}`);
      // … and the final image's interpreter runs it (its shebang names the builder's python)
      expect(df).toMatch(/^ENTRYPOINT \["\/usr\/bin\/python3", "\/opt\/venv\/bin\/cli"\]$/m);

      // not installed (a requirements file) and nothing else to run: --start is required, by name
      const dir2 = mkdtempSync(join(tmpdir(), 'sc-py-scripts-'));
      for (const [rel, text] of Object.entries({ ...NO_GUARD, 'requirements.txt': 'requests\n' })) {
        mkdirSync(dirname(join(dir2, rel)), { recursive: true });
        writeFileSync(join(dir2, rel), text);
      }
      let out2 = '';
      let err2 = '';
      const code2 = await runInit(['--yes'], { cwd: dir2, stdout: (s) => (out2 += s), stderr: (s) => (err2 += s) });
      rmSync(dir2, { recursive: true, force: true });
      expect(code2).toBe(2);
      expect(err2).toMatch(/--start: is required and could not be detected: pass --start/);
      expect(err2).toMatch(
        /\n {2}note: pyproject\.toml: \[project\.scripts\] cli = "cli\.app:main": cli\/app\.py has no `if __name__ == "__main__":` guard/,
      );
      expect(out2).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[tool.poetry.scripts] is read too', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml':
          '[tool.poetry]\nname = "p"\n[tool.poetry.dependencies]\npython = ">=3.11,<4"\n[tool.poetry.scripts]\nrun = "p.main:cli"\n',
        'p/main.py': 'def cli(): ...\nif __name__ == "__main__":\n    cli()\n',
      }),
    );
    expect(f.packageManager).toEqual({ value: 'poetry', source: 'pyproject.toml: [tool.poetry] (no poetry.lock)' });
    expect(f.start?.value).toEqual(['python', '-m', 'p.main']);
  });

  it('a .python-version that violates requires-python loses, and says so', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.12"\n',
        '.python-version': '3.10.4\n',
      }),
    );
    expect(f.runtimeVersion).toEqual({
      value: '3.13',
      source:
        'pyproject.toml: requires-python = ">=3.12" (a range: the newest supported Python with a distroless image that satisfies it; 3.14 only on alpine); .python-version 3.10.4 does not satisfy it',
    });
  });

  it('.python-version satisfying requires-python wins', () => {
    const f = detectFromFiles(
      memoryFiles({
        'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
        '.python-version': '3.13.1\n',
      }),
    );
    expect(f.runtimeVersion).toEqual({ value: '3.13', source: '.python-version: 3.13.1 (satisfies >=3.11)' });
  });

  it('FastAPI with an app variable not called app, in app.py, and uvicorn missing', () => {
    const f = detectFromFiles(
      memoryFiles({ 'requirements.txt': 'fastapi\n', 'app.py': 'import fastapi\napi = fastapi.FastAPI()\n' }),
    );
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
    // nothing names the app: the factory is a guess (issue 10 item 2)
    expect(f.start?.guess).toMatch(/the create_app\(\) factory was taken/);
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
        'main.py':
          'from fastapi import FastAPI\nimport uvicorn\napp = FastAPI()\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8081)\n',
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
    const f = detectFromFiles(
      memoryFiles({ 'requirements-dev.txt': 'pytest\n', 'requirements/prod.txt': 'flask\n', 'setup.py': '' }),
    );
    expect(f.manifest?.value).toBe('requirements/prod.txt');
  });
});
