// Python detection: pyproject.toml (PEP 621, Poetry), requirements*.txt, Pipfile, lockfiles,
// version pins, ASGI/WSGI apps served by their production server. Pure.
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { basename, depth, dirname, dnsLabel, isTestPath, matchSource, normalizeRelDir } from '../../detect/text.js';
import { parseToml, tomlGet, type TomlTable } from '../../detect/toml.js';
import { lowestPythonMinor, pythonPinMinor, pythonSpecAllows } from '../../detect/versions.js';

/** The port written into a server command line until the real port is known (uvicorn's and gunicorn's own default). */
export const PYTHON_SERVER_DEFAULT_PORT = 8000;

/** Root-level files that make a repository a Python project. */
export function pythonManifests(ctx: Ctx): string[] {
  return ctx.files.list.filter(
    (f) => f === 'pyproject.toml' || f === 'Pipfile' || f === 'setup.py' || /^requirements[^/]*\.txt$/.test(f),
  );
}

/** PEP 503 normalised distribution name: "Flask_Login" -> "flask-login". */
export function normalizeDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Distribution name at the start of a PEP 508 requirement: "uvicorn[standard]>=0.30" -> "uvicorn". */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normalizeDist(m[1]) : undefined;
}

/**
 * Requirement names in a requirements file, following `-r`/`--requirement` includes (text only,
 * two levels deep). Options, editable installs and URLs are skipped.
 */
export function parseRequirements(ctx: Ctx, file: string, seen = new Set<string>()): Map<string, string> {
  const out = new Map<string, string>();
  if (seen.has(file) || seen.size > 4) return out;
  seen.add(file);
  const text = ctx.read(file);
  if (text === undefined) return out;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(?:^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const inc = /^(?:-r|--requirement)(?:\s+|=)(\S+)$/.exec(line);
    if (inc) {
      const target = normalizeRelDir(`${dirname(file)}/${inc[1]}`);
      if (target !== undefined)
        for (const [k, v] of parseRequirements(ctx, target, seen)) if (!out.has(k)) out.set(k, v);
      continue;
    }
    if (line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) continue;
    const name = requirementName(line);
    if (name !== undefined && !out.has(name)) out.set(name, file);
  }
  return out;
}

/** The requirements file to install from: requirements.txt first, then production-looking ones. */
function pickRequirements(ctx: Ctx): string | undefined {
  const preferred = [
    'requirements.txt',
    'requirements-prod.txt',
    'requirements-production.txt',
    'requirements/prod.txt',
    'requirements/production.txt',
    'requirements/base.txt',
    'requirements/main.txt',
  ];
  const hit = preferred.find((f) => ctx.has(f));
  if (hit !== undefined) return hit;
  return ctx.files.list.find((f) => /^requirements[^/]*\.txt$/.test(f) && !/dev|test|doc|lint|ci/i.test(f));
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "src/pkg/main.py" -> { module: "pkg.main", appDir: "src" }; "app/__init__.py" -> "app". */
export function moduleOf(file: string): { module: string; appDir?: string } | undefined {
  let p = file;
  let appDir: string | undefined;
  if (p.startsWith('src/')) {
    appDir = 'src';
    p = p.slice(4);
  }
  p = p.replace(/\.py$/, '').replace(/\/__init__$/, '');
  const segs = p.split('/');
  if (segs.length === 0 || !segs.every((s) => IDENT.test(s))) return undefined;
  return { module: segs.join('.'), ...(appDir !== undefined ? { appDir } : {}) };
}

/** Replace the port in a server command line (`--port N`, `--bind host:N`). */
export function rebindPort(argv: readonly string[], port: number): string[] {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    if ((out[i] === '--port' || out[i] === '-p') && i + 1 < out.length && /^\d+$/.test(out[i + 1]))
      out[i + 1] = String(port);
    else if ((out[i] === '--bind' || out[i] === '-b') && i + 1 < out.length)
      out[i + 1] = out[i + 1].replace(/:\d+$/, `:${port}`);
    else if (/^--port=\d+$/.test(out[i])) out[i] = `--port=${port}`;
    else if (/^--bind=.*:\d+$/.test(out[i])) out[i] = out[i].replace(/:\d+$/, `:${port}`);
  }
  return out;
}

function uvicornArgv(target: string, appDir: string | undefined, factory: boolean, port: number): string[] {
  return [
    'python',
    '-m',
    'uvicorn',
    target,
    '--host',
    '0.0.0.0',
    '--port',
    String(port),
    ...(factory ? ['--factory'] : []),
    ...(appDir !== undefined ? ['--app-dir', appDir] : []),
  ];
}

function gunicornArgv(target: string, appDir: string | undefined, port: number): string[] {
  return [
    'python',
    '-m',
    'gunicorn',
    '--bind',
    `0.0.0.0:${port}`,
    ...(appDir !== undefined ? ['--chdir', appDir] : []),
    target,
  ];
}

const MAIN_GUARD = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m;

/**
 * The venv the Python Dockerfile installs into and copies into the final image
 * (lib/runtimes/python.ts VENV; test/detect/python.test.ts checks they agree end to end).
 */
export const PYTHON_VENV = '/opt/venv';
/** A console script name that is a plain file name (no shell syntax, no path). */
const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Framework = 'fastapi' | 'starlette' | 'flask' | 'django';
const CTOR: Record<Exclude<Framework, 'django'>, string> = {
  fastapi: 'FastAPI',
  starlette: 'Starlette',
  flask: 'Flask',
};
const SERVER: Record<Framework, 'uvicorn' | 'gunicorn'> = {
  fastapi: 'uvicorn',
  starlette: 'uvicorn',
  flask: 'gunicorn',
  django: 'gunicorn',
};

const RANK = ['main.py', 'app.py', 'server.py', 'api.py', 'asgi.py', 'wsgi.py', 'application.py', '__init__.py'];

/** Python files worth looking into, most likely entry points first. */
function pythonSources(ctx: Ctx): string[] {
  return ctx.files.list
    .filter(
      (f) =>
        f.endsWith('.py') &&
        !isTestPath(f) &&
        !/(?:^|\/)(?:migrations|alembic|scripts|tools)\//.test(f) &&
        f !== 'setup.py',
    )
    .map((f) => ({ f, d: depth(f.replace(/^src\//, '')), r: RANK.indexOf(basename(f)) }))
    .sort(
      (a, b) => a.d - b.d || (a.r === -1 ? 99 : a.r) - (b.r === -1 ? 99 : b.r) || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0),
    )
    .map((x) => x.f)
    .slice(0, 100);
}

export interface PythonResult {
  facts: DetectedFacts;
  entryFiles: string[];
  /** true when `start` carries PYTHON_SERVER_DEFAULT_PORT and should be rebound to the detected port */
  startHasPort: boolean;
}

export function detectPython(ctx: Ctx): PythonResult {
  const facts: DetectedFacts = {};
  const entryFiles: string[] = [];

  let py: TomlTable = {};
  if (ctx.has('pyproject.toml')) {
    const text = ctx.read('pyproject.toml');
    if (text !== undefined) {
      const r = parseToml(text);
      if (r.error !== undefined) ctx.note(`pyproject.toml: ${r.error}; its contents were ignored`);
      py = r.table;
    }
  }
  let pipfile: TomlTable = {};
  if (ctx.has('Pipfile')) {
    const text = ctx.read('Pipfile');
    if (text !== undefined) {
      const r = parseToml(text);
      if (r.error !== undefined) ctx.note(`Pipfile: ${r.error}; its contents were ignored`);
      pipfile = r.table;
    }
  }
  const project = tomlGet(py, 'project');
  const poetry = tomlGet(py, 'tool', 'poetry');
  const hasProject = typeof project === 'object' && project !== null;
  const hasPoetry = typeof poetry === 'object' && poetry !== null;

  // name
  const rawName = tomlGet(project, 'name') ?? tomlGet(poetry, 'name');
  if (typeof rawName === 'string') {
    const n = dnsLabel(rawName);
    const key = typeof tomlGet(project, 'name') === 'string' ? '[project] name' : '[tool.poetry] name';
    if (n !== undefined)
      facts.name = fact(
        n,
        n === rawName ? `pyproject.toml: ${key}` : `pyproject.toml: ${key} "${rawName}" (made DNS-label safe)`,
      );
  }

  // lockfiles, package manager, manifest
  const locks = ['uv.lock', 'poetry.lock', 'Pipfile.lock'].filter((f) => ctx.has(f));
  if (locks.length > 0) facts.lockfiles = fact(locks, 'repository root');
  let pm: 'pip' | 'uv' | 'poetry' | 'pipenv';
  let pmSource: string;
  if (ctx.has('uv.lock')) [pm, pmSource] = ['uv', 'uv.lock'];
  else if (ctx.has('poetry.lock')) [pm, pmSource] = ['poetry', 'poetry.lock'];
  else if (ctx.has('Pipfile.lock')) [pm, pmSource] = ['pipenv', 'Pipfile.lock'];
  else if (ctx.has('Pipfile')) [pm, pmSource] = ['pipenv', 'Pipfile (no Pipfile.lock)'];
  else if (hasPoetry && !hasProject) [pm, pmSource] = ['poetry', 'pyproject.toml: [tool.poetry] (no poetry.lock)'];
  else if (tomlGet(py, 'tool', 'uv') !== undefined) [pm, pmSource] = ['uv', 'pyproject.toml: [tool.uv] (no uv.lock)'];
  else [pm, pmSource] = ['pip', 'no uv.lock, poetry.lock or Pipfile: pip'];
  const others = locks.filter((l) => !pmSource.startsWith(l));
  facts.packageManager = fact(pm, others.length > 0 ? `${pmSource} (also found ${others.join(', ')})` : pmSource);

  const reqFile = pickRequirements(ctx);
  if (pm === 'uv' || pm === 'poetry') {
    if (ctx.has('pyproject.toml')) facts.manifest = fact('pyproject.toml', `${pm} project (${pmSource})`);
  } else if (pm === 'pipenv') {
    facts.manifest = fact(ctx.has('Pipfile') ? 'Pipfile' : 'Pipfile.lock', 'pipenv project');
  } else if (reqFile !== undefined) {
    const all = ctx.files.list.filter((f) => /^requirements[^/]*\.txt$/.test(f) && f !== reqFile);
    facts.manifest = fact(reqFile, all.length > 0 ? `${reqFile} (preferred over ${all.join(', ')})` : reqFile);
  } else if (ctx.has('pyproject.toml')) {
    facts.manifest = fact('pyproject.toml', hasProject ? 'pyproject.toml: [project]' : 'pyproject.toml');
  } else if (ctx.has('setup.py')) {
    facts.manifest = fact('setup.py', 'setup.py (no pyproject.toml or requirements.txt)');
  }

  // dependencies (names -> where declared), from every manifest we can read
  const deps = new Map<string, string>();
  const projDeps = tomlGet(project, 'dependencies');
  if (Array.isArray(projDeps))
    for (const d of projDeps)
      if (typeof d === 'string') {
        const n = requirementName(d);
        if (n) deps.set(n, 'pyproject.toml [project] dependencies');
      }
  const poetryDeps = tomlGet(poetry, 'dependencies');
  if (typeof poetryDeps === 'object' && poetryDeps !== null)
    for (const k of Object.keys(poetryDeps))
      if (k !== 'python') deps.set(normalizeDist(k), 'pyproject.toml [tool.poetry.dependencies]');
  const pipPackages = tomlGet(pipfile, 'packages');
  if (typeof pipPackages === 'object' && pipPackages !== null)
    for (const k of Object.keys(pipPackages)) deps.set(normalizeDist(k), 'Pipfile [packages]');
  if (reqFile !== undefined) for (const [k, v] of parseRequirements(ctx, reqFile)) if (!deps.has(k)) deps.set(k, v);

  // version: a pin (.python-version, runtime.txt) if it satisfies the declared constraint, else the constraint
  const constraints: { spec: string; source: string }[] = [];
  const rp = tomlGet(project, 'requires-python');
  if (typeof rp === 'string') constraints.push({ spec: rp, source: `pyproject.toml: requires-python = "${rp}"` });
  const pp = tomlGet(poetryDeps, 'python');
  if (typeof pp === 'string')
    constraints.push({ spec: pp, source: `pyproject.toml: [tool.poetry.dependencies] python = "${pp}"` });
  const pv = tomlGet(pipfile, 'requires', 'python_version') ?? tomlGet(pipfile, 'requires', 'python_full_version');
  if (typeof pv === 'string') constraints.push({ spec: pv, source: `Pipfile: [requires] python_version = "${pv}"` });
  let pin: { minor: string; full: string; file: string } | undefined;
  for (const f of ['.python-version', 'runtime.txt']) {
    const t = ctx.read(f);
    if (t === undefined) continue;
    const v = pythonPinMinor(t);
    if (v) {
      pin = { ...v, file: f };
      break;
    }
    ctx.note(`${f}: "${t.trim().split(/\r?\n/)[0].slice(0, 40)}" is not a CPython 3.x version; ignored`);
  }
  const constraint = constraints.at(0);
  const lowest = constraint ? lowestPythonMinor(constraint.spec) : undefined;
  if (constraint && lowest === undefined)
    ctx.note(`${constraint.source}: allows no Python 3.8–3.14 (or cannot be read)`);
  if (pin && !(constraint && pythonSpecAllows(constraint.spec, pin.full.replace(/^[a-z-]+/i, '')) === false)) {
    facts.runtimeVersion = fact(
      pin.minor,
      `${pin.file}: ${pin.full}${constraint ? ` (satisfies ${constraint.spec})` : ''}`,
    );
  } else if (constraint && lowest !== undefined) {
    facts.runtimeVersion = fact(
      lowest,
      `${constraint.source} (lowest version it allows)${pin ? `; ${pin.file} ${pin.full} does not satisfy it` : ''}`,
    );
  }

  // framework, in the order we trust: Django (manage.py), FastAPI, Starlette, Flask
  const hasManage = ctx.has('manage.py');
  const fw: Framework | undefined =
    hasManage && (deps.has('django') || deps.size === 0)
      ? 'django'
      : (['fastapi', 'starlette', 'flask', 'django'] as const).find((f) => deps.has(f));
  if (fw !== undefined)
    facts.framework = fact(fw, deps.has(fw) ? `${deps.get(fw)}: ${fw}` : 'manage.py (Django project)');

  const serverNote = (server: string): string => (deps.has(server) ? '' : `; ${server} not in dependencies: add it`);
  const P = PYTHON_SERVER_DEFAULT_PORT;
  let startHasPort = false;

  // 1. an ASGI/WSGI app, served by its production server
  if (fw === 'django') {
    const manage = ctx.read('manage.py') ?? '';
    const m = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z_][\w.]*)\.settings['"]/.exec(manage);
    let project: string | undefined;
    let how = '';
    if (m && ctx.has(`${m[1].replace(/\./g, '/')}/wsgi.py`)) {
      project = m[1];
      how = `manage.py: DJANGO_SETTINGS_MODULE ${m[1]}.settings + ${m[1].replace(/\./g, '/')}/wsgi.py`;
    } else {
      const w = ctx.files.list
        .filter((f) => /^[A-Za-z_]\w*\/wsgi\.py$/.test(f) && ctx.has(`${dirname(f)}/settings.py`))
        .sort();
      if (w.length > 0) {
        project = dirname(w[0]);
        how = `${w[0]}${w.length > 1 ? ` (also ${w.slice(1).join(', ')})` : ''}`;
      }
    }
    if (project !== undefined) {
      facts.start = fact(
        gunicornArgv(`${project}.wsgi:application`, undefined, P),
        `${how}: Django served by gunicorn${serverNote('gunicorn')}`,
      );
      startHasPort = true;
      entryFiles.push(`${project.replace(/\./g, '/')}/wsgi.py`, 'manage.py');
    } else ctx.note('Django project without a <project>/wsgi.py next to settings.py: no start command proposed');
  } else if (fw !== undefined) {
    const found = findApp(ctx, fw);
    if (found) {
      const mod = moduleOf(found.file);
      if (mod) {
        const server = SERVER[fw];
        const target = `${mod.module}:${found.name}${found.factory && server === 'gunicorn' ? '()' : ''}`;
        const argv =
          server === 'uvicorn'
            ? uvicornArgv(target, mod.appDir, found.factory, P)
            : gunicornArgv(target, mod.appDir, P);
        facts.start = fact(
          argv,
          `${found.source}: ${CTOR[fw]} app served by ${server} (not a dev server)${serverNote(server)}`,
        );
        startHasPort = true;
        entryFiles.push(found.file);
      }
    } else
      ctx.note(
        `${fw} is a dependency but no module-level \`app = ${CTOR[fw]}(...)\` was found: no server command proposed`,
      );
  }

  // 2. [project.scripts] / [tool.poetry.scripts]. The start runs in exec form without a shell, and
  //    the start validator refuses shell syntax (`;`, quotes), so `python -c "…; …"` is never proposed:
  //    - `python -m <module>` when the module runs its function under an `if __name__ == "__main__":` guard;
  //    - else, when the image installs the project itself into the venv (pip with pyproject.toml and
  //      no requirements file: `pip install .`), the console script pip wrote there, run by the
  //      interpreter (`python /opt/venv/bin/<name>`: its shebang names the builder's python, which the
  //      final image does not have);
  //    - else nothing from the scripts table, with a note saying why (--start is then asked for / required).
  if (!facts.start) {
    const scripts = (['project', 'poetry'] as const).flatMap((kind) => {
      const t = kind === 'project' ? tomlGet(project, 'scripts') : tomlGet(poetry, 'scripts');
      if (typeof t !== 'object' || t === null) return [];
      return Object.entries(t as Record<string, unknown>).map(([name, v]) => ({
        name,
        ref:
          typeof v === 'string'
            ? v
            : typeof tomlGet(v, 'reference') === 'string'
              ? (tomlGet(v, 'reference') as string)
              : typeof tomlGet(v, 'callable') === 'string'
                ? (tomlGet(v, 'callable') as string)
                : '',
        table: kind === 'project' ? '[project.scripts]' : '[tool.poetry.scripts]',
      }));
    });
    const installsProject = pm === 'pip' && reqFile === undefined && ctx.has('pyproject.toml');
    // [tool.poetry.scripts] become console scripts only when poetry-core builds the project
    const backend = tomlGet(py, 'build-system', 'build-backend');
    const poetryBackend = typeof backend === 'string' && backend.startsWith('poetry.core');
    const unrunnable: string[] = [];
    for (const s of scripts) {
      const m = /^\s*([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_][\w.]*)\s*(?:\[[^\]]*\])?\s*$/.exec(s.ref);
      if (!m || !m[1].split('.').every((x) => IDENT.test(x))) continue;
      const mod = m[1];
      const p = mod.replace(/\./g, '/');
      const file = [`${p}.py`, `src/${p}.py`, `${p}/__init__.py`, `src/${p}/__init__.py`].find((f) => ctx.has(f));
      const also =
        scripts.length > 1
          ? ` (${s === scripts[0] ? 'first' : 'runnable one'} of ${scripts.map((x) => x.name).join(', ')})`
          : '';
      const where = `pyproject.toml: ${s.table} ${s.name} = "${s.ref.trim()}"`;
      if (file !== undefined && MAIN_GUARD.test(ctx.read(file) ?? '')) {
        facts.start = fact(['python', '-m', mod], `${where}${also}: ${file} has a __main__ guard`);
      } else if (installsProject && SCRIPT_NAME.test(s.name) && (s.table === '[project.scripts]' || poetryBackend)) {
        facts.start = fact(
          ['python', `${PYTHON_VENV}/bin/${s.name}`],
          `${where}${also}: the console script \`pip install .\` puts in the venv (${file === undefined ? 'module file not found in the listing' : `${file} has no __main__ guard`})`,
        );
      } else {
        unrunnable.push(
          `${where}: ${file === undefined ? `${mod} is not in the listing` : `${file} has no \`if __name__ == "__main__":\` guard`} and the project is not installed into the image (${pmSource})`,
        );
        continue;
      }
      if (file !== undefined) entryFiles.push(file);
      break;
    }
    if (!facts.start && unrunnable.length > 0) {
      ctx.note(
        `${unrunnable[0]}: no start command from it (exec form has no shell for python -c "…; …"); ` +
          `add the guard to run it with python -m, or pass --start`,
      );
    }
  }

  // 3. a package with __main__.py
  if (!facts.start) {
    const mains = ctx.files.list
      .filter((f) => /^(?:src\/)?[A-Za-z_]\w*\/__main__\.py$/.test(f) && !isTestPath(f))
      .sort();
    if (mains.length > 0) {
      const pkg = dirname(mains[0]).replace(/^src\//, '');
      facts.start = fact(
        ['python', '-m', pkg],
        `${mains[0]}${mains[0].startsWith('src/') ? ' (src layout: the package must be installed)' : ''}${mains.length > 1 ? ` (also ${mains.slice(1).join(', ')})` : ''}`,
      );
      entryFiles.push(mains[0]);
    }
  }

  // 4. a top-level script
  if (!facts.start) {
    const script = ['main.py', 'app.py', 'server.py', 'run.py'].find((f) => ctx.has(f));
    if (script !== undefined) {
      facts.start = fact(['python', script], `${script} (common entry file name)`);
      entryFiles.push(script);
    }
  }
  return { facts, entryFiles, startHasPort };
}

interface AppHit {
  file: string;
  name: string;
  factory: boolean;
  source: string;
}

/** The first module-level `app = FastAPI(...)` (or a `create_app()` factory) in likely files. */
function findApp(ctx: Ctx, fw: Exclude<Framework, 'django'>): AppHit | undefined {
  const ctor = CTOR[fw];
  const assign = new RegExp(`^([A-Za-z_]\\w*)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:[A-Za-z_]\\w*\\.)?${ctor}\\s*\\(`, 'm');
  const factory = /^def\s+(create_app|make_app|get_app|app_factory)\s*\(/m;
  let fallback: AppHit | undefined;
  for (const f of pythonSources(ctx)) {
    const text = ctx.read(f);
    if (text === undefined || !text.includes(ctor)) continue;
    const m = assign.exec(text);
    if (m) return { file: f, name: m[1], factory: false, source: matchSource(f, text, m.index) };
    const fm = factory.exec(text);
    if (fm && !fallback) fallback = { file: f, name: fm[1], factory: true, source: matchSource(f, text, fm.index) };
  }
  return fallback;
}
