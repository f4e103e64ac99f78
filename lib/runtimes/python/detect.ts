// Python detection: pyproject.toml (PEP 621, Poetry), requirements*.txt (with their -r/-c includes),
// Pipfile, lockfiles, version pins, native dependencies; the start command from what the app's own
// files run (Procfile, an existing Dockerfile, boot scripts: ./commands.ts) else its ASGI/WSGI app
// served by a production server (Django settings packages: ./django.ts); framework build steps and
// the steps left to the user; the health route behind its router prefixes (./routes.ts). Pure.
import type { BuildStep, Fact, ManualStep } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import {
  basename,
  depth,
  dirname,
  dnsLabel,
  excerpt,
  isTestPath,
  matchSource,
  normalizeRelDir,
} from '../../detect/text.js';
import { parseToml, tomlGet, type TomlTable } from '../../detect/toml.js';
import {
  dockerfileStart,
  procfileLines,
  readStartup,
  serverStart,
  type ServerStart,
  type StartupPlan,
  type StartupReader,
} from './commands.js';
import { detectDjango } from './django.js';
import { nativeNeeds, parseRequirement, readRequirementsTree, type Requirement } from './requirements.js';
import { resolveHealthRoute } from './routes.js';
import { detectUvWorkspace, uvLockRequiresPython, uvMemberHint, uvWorkspaceMembers } from './workspace.js';
import { pythonRuntimeVersion } from './versions.js';

/** The port written into a server command line until the real port is known (uvicorn's and gunicorn's own default). */
export const PYTHON_SERVER_DEFAULT_PORT = 8000;

/**
 * Servers a requirement brings with it through its extras or its own dependencies (a small table
 * of the common ones): `fastapi[standard]` installs uvicorn, `uvicorn-worker` uvicorn and gunicorn.
 */
const BRINGS: Partial<Record<string, { extras?: readonly string[]; servers: readonly string[] }>> = {
  fastapi: { extras: ['standard', 'standard-no-fastapi-cloud-cli', 'all'], servers: ['uvicorn'] },
  'fastapi-cli': { extras: ['standard', 'standard-no-fastapi-cloud-cli'], servers: ['uvicorn'] },
  litestar: { extras: ['standard'], servers: ['uvicorn'] },
  'uvicorn-worker': { servers: ['uvicorn', 'gunicorn'] },
};

export function serversBroughtBy(r: Pick<Requirement, 'name' | 'extras'>): readonly string[] {
  const b = BRINGS[r.name];
  if (b === undefined) return [];
  return b.extras === undefined || r.extras.some((e) => b.extras?.includes(e)) ? b.servers : [];
}

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
  /** once the port and health route are scanned: the route's full path behind its prefixes, the port into the start */
  afterScan: (facts: DetectedFacts) => void;
}

export function detectPython(ctx: Ctx, opts: { member?: boolean } = {}): PythonResult {
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

  // dependencies (names -> where declared), from every manifest we can read; with their extras
  // (psycopg[binary] needs no libpq, psycopg[c] does) for the native ones
  const deps = new Map<string, string>();
  const reqs: Requirement[] = [];
  const addDep = (spec: string, source: string, extras: string[] = []): void => {
    const r = parseRequirement(spec);
    if (!r || deps.has(r.name)) return;
    deps.set(r.name, source);
    reqs.push({ name: r.name, extras: [...new Set([...r.extras, ...extras.map(normalizeDist)])], source });
  };
  const tableExtras = (v: unknown): string[] => {
    const e = tomlGet(v, 'extras');
    return Array.isArray(e) ? e.filter((x): x is string => typeof x === 'string') : [];
  };
  const projDeps = tomlGet(project, 'dependencies');
  if (Array.isArray(projDeps))
    for (const d of projDeps) if (typeof d === 'string') addDep(d, 'pyproject.toml [project] dependencies');
  const poetryDeps = tomlGet(poetry, 'dependencies');
  if (typeof poetryDeps === 'object' && poetryDeps !== null)
    for (const [k, v] of Object.entries(poetryDeps as Record<string, unknown>))
      if (k !== 'python') addDep(k, 'pyproject.toml [tool.poetry.dependencies]', tableExtras(v));
  const pipPackages = tomlGet(pipfile, 'packages');
  if (typeof pipPackages === 'object' && pipPackages !== null)
    for (const [k, v] of Object.entries(pipPackages as Record<string, unknown>))
      addDep(k, 'Pipfile [packages]', tableExtras(v));
  if (reqFile !== undefined) {
    const tree = readRequirementsTree((f) => ctx.read(f), reqFile);
    for (const r of tree.requirements)
      if (!deps.has(r.name)) {
        deps.set(r.name, r.source.replace(/:\d+$/, ''));
        reqs.push(r);
      }
    for (const s of tree.skipped) ctx.note(`requirements: ${s}`);
    if (tree.files.length > 1 && pm === 'pip')
      facts.manifest = fact(
        reqFile,
        `${facts.manifest?.source ?? reqFile}; includes ${tree.files.slice(1).join(', ')} (copied into the install stage too)`,
      );
  }
  // servers a dependency brings with it (fastapi[standard] -> uvicorn): no "not in dependencies" for them
  for (const r of reqs)
    for (const server of serversBroughtBy(r))
      if (!deps.has(server))
        deps.set(
          server,
          `${r.source.replace(/:\d+$/, '')} (${r.name}${r.extras.length > 0 ? `[${r.extras.join(',')}]` : ''})`,
        );
  const native = nativeNeeds(reqs);
  if (native.length > 0) {
    facts.nativeDeps = fact(
      native.map((n) => n.dep),
      native.map((n) => `${n.source}: ${n.why}`).join('; '),
    );
    const lib = native.find((n) => n.runtimeLib !== undefined);
    if (lib)
      facts.flavor = fact(
        'alpine',
        `${lib.source}: ${lib.why}: distroless python3 has no ${lib.runtimeLib ?? 'such library'} and cannot install one, so distroless is ruled out; alpine installs it in the final image${lib.binaryAlternative !== undefined ? ` (or use ${lib.binaryAlternative} to stay on distroless)` : ''}`,
      );
  }

  // version: a pin (.python-version, runtime.txt) if it satisfies the declared constraint, else the
  // newest supported minor the constraint allows (lib/runtimes/python/versions.ts)
  const constraints: { spec: string; source: string }[] = [];
  const rp = tomlGet(project, 'requires-python');
  if (typeof rp === 'string') constraints.push({ spec: rp, source: `pyproject.toml: requires-python = "${rp}"` });
  const pp = tomlGet(poetryDeps, 'python');
  if (typeof pp === 'string')
    constraints.push({ spec: pp, source: `pyproject.toml: [tool.poetry.dependencies] python = "${pp}"` });
  const pv = tomlGet(pipfile, 'requires', 'python_version') ?? tomlGet(pipfile, 'requires', 'python_full_version');
  if (typeof pv === 'string') constraints.push({ spec: pv, source: `Pipfile: [requires] python_version = "${pv}"` });
  // a uv workspace root often declares no requires-python of its own: uv.lock has every member's
  if (constraints.length === 0 && ctx.has('uv.lock') && uvWorkspaceMembers(ctx, py) !== undefined) {
    const lockRp = uvLockRequiresPython(ctx);
    if (lockRp) constraints.push(lockRp);
  }
  const version = pythonRuntimeVersion(ctx, constraints);
  if (version) facts.runtimeVersion = version;

  // framework, in the order we trust: Django (manage.py), FastAPI, Starlette, Flask
  const hasManage = ctx.has('manage.py');
  const fw: Framework | undefined =
    hasManage && (deps.has('django') || deps.size === 0)
      ? 'django'
      : (['fastapi', 'starlette', 'flask', 'django'] as const).find((f) => deps.has(f));
  if (fw !== undefined)
    facts.framework = fact(fw, deps.has(fw) ? `${deps.get(fw)}: ${fw}` : 'manage.py (Django project)');

  const serverNote = (server: string): string => (deps.has(server) ? '' : `; ${server} not in dependencies: add it`);
  const serverGuess = (server: string | undefined): string | undefined =>
    server !== undefined && !deps.has(server)
      ? `${server} is not in the dependencies: the image cannot run it until you add it (or pass --start)`
      : undefined;
  const P = PYTHON_SERVER_DEFAULT_PORT;
  let startHasPort = false;
  let commandPort: Fact<number> | undefined;
  const django = fw === 'django' ? detectDjango(ctx) : undefined;
  for (const n of django?.notes ?? []) ctx.note(n);

  // 0. what the app's own files run: a Procfile `web:` line, an existing Dockerfile's
  //    ENTRYPOINT/CMD, a boot script. The exec'd server is the start; what runs before it is a
  //    build step (translations, static files) or a step left to the user (migrations).
  const startup = appStartup(ctx);
  const manual: ManualStep[] = [];
  const buildSteps: BuildStep[] = [];
  const buildFrom: string[] = [];
  if (startup.server) {
    const s = startup.server;
    const src = `${s.source}${s.start.notes.length > 0 ? ` (${s.start.notes.join('; ')})` : ''}`;
    const guess =
      serverGuess(s.start.server) ??
      (s.targetMissing ? `${s.start.target ?? ''}: that module is not in the repository` : undefined);
    facts.start = withGuess(fact(s.start.argv, `${src}${s.start.server ? serverNote(s.start.server) : ''}`), guess);
    startHasPort = s.start.hasPort;
    if (s.start.port !== undefined) commandPort = fact(s.start.port, s.source);
    if (s.targetFile !== undefined) entryFiles.push(s.targetFile);
  }
  for (const n of startup.notes) ctx.note(n);
  const flaskTarget = fw === 'flask' ? startup.server?.start.target : undefined;
  for (const { step, source } of startup.steps) {
    if (
      step.kind === 'build' &&
      /static files|translations/.test(step.what) &&
      !step.argv.includes('compilemessages')
    ) {
      // run at build time below when we can (collectstatic, pybabel compile); else left to the user
      buildFrom.push(`${step.what} (${source})`);
      continue;
    }
    let argv = step.argv;
    // `flask db upgrade` finds the app through FLASK_APP, which the image does not set: name it
    if (argv[2] === 'flask' && !argv.includes('--app') && flaskTarget !== undefined)
      argv = ['python', '-m', 'flask', '--app', flaskTarget.replace(/\(.*\)$/, ''), ...argv.slice(3)];
    manual.push({ argv, when: step.kind === 'build' ? 'build' : 'release', why: `${step.what} (${source})` });
  }

  // 1. an ASGI/WSGI app, served by its production server
  if (!facts.start && fw === 'django') {
    if (django?.wsgiModule !== undefined) {
      facts.start = withGuess(
        fact(
          gunicornArgv(`${django.wsgiModule}:application`, undefined, P),
          `${django.wsgiSource ?? ''}: Django served by gunicorn${serverNote('gunicorn')}`,
        ),
        serverGuess('gunicorn'),
      );
      startHasPort = true;
      entryFiles.push(`${django.wsgiModule.replace(/\./g, '/')}.py`, 'manage.py');
    } else ctx.note('Django project without a wsgi.py next to its settings: no start command proposed');
  } else if (!facts.start && fw !== undefined && fw !== 'django') {
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
        facts.start = withGuess(
          fact(argv, `${found.source}: ${CTOR[fw]} app served by ${server} (not a dev server)${serverNote(server)}`),
          [
            ...(found.factory
              ? [
                  `the ${found.name}() factory was taken: no module-level app object, Procfile or start script names the app`,
                ]
              : []),
            ...(serverGuess(server) !== undefined ? [serverGuess(server)] : []),
          ].join('; ') || undefined,
        );
        startHasPort = true;
        entryFiles.push(found.file);
      }
    } else
      ctx.note(
        `${fw} is a dependency but no module-level \`app = ${CTOR[fw]}(...)\` was found: no server command proposed`,
      );
  }
  if (fw === 'django' && entryFiles.length > 0 && !entryFiles.includes('manage.py') && ctx.has('manage.py'))
    entryFiles.push('manage.py');

  // Django: the production settings, and collectstatic at build time with them
  if (django?.productionSettings !== undefined && django.productionSettings !== django.defaultSettings)
    facts.settingsModule = fact(django.productionSettings, django.productionSource ?? django.productionSettings);
  // Django: uploads (MEDIA_ROOT) on a volume, the root filesystem being read-only (P8)
  if (django?.mediaRoot !== undefined) facts.dataDirs = fact([django.mediaRoot.dir], django.mediaRoot.source);
  if (django?.collectstatic) buildSteps.push(django.collectstatic);
  else if (django?.collectstaticLeft !== undefined)
    manual.push({
      argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
      when: 'release',
      why: `static files (${django.collectstaticLeft}): run it where the deployment's settings and credentials are`,
    });
  else if (buildFrom.some((b) => b.startsWith('static files')))
    manual.push({
      argv: ['python', 'manage.py', 'collectstatic', '--noinput'],
      when: 'build',
      why: `static files (${buildFrom.filter((b) => b.startsWith('static files')).join('; ')}): not run at build time, see the notes`,
    });
  // Flask-Babel / Babel: compile the message catalogues at build time
  const babel =
    fw === 'flask' || buildFrom.some((b) => b.startsWith('translations'))
      ? babelStep(ctx, deps, startup.steps)
      : undefined;
  if (babel) buildSteps.push(babel);
  else
    for (const b of buildFrom.filter((x) => x.startsWith('translations')))
      ctx.note(`${b}: no message catalogues without a compiled .mo were found, so nothing is compiled at build time`);
  // Django translations need GNU gettext (msgfmt), which the images do not have
  if (fw === 'django') {
    const po = ctx.files.list.find((f) => /(?:^|\/)locale\/[^/]+\/LC_MESSAGES\/[^/]+\.po$/.test(f));
    if (
      po !== undefined &&
      !ctx.has(po.replace(/\.po$/, '.mo')) &&
      !manual.some((m) => m.argv.includes('compilemessages'))
    )
      manual.push({
        argv: ['python', 'manage.py', 'compilemessages'],
        when: 'build',
        why: `translations (${po} has no compiled .mo): compilemessages needs GNU gettext, which the images do not have: compile them before the build and keep the .mo files in the build context`,
      });
  }
  if (buildSteps.length > 0) facts.buildSteps = fact(buildSteps, buildSteps.map((b) => b.why).join('; '));
  if (manual.length > 0) facts.manualSteps = fact(manual, manual.map((m) => m.why).join('; '));

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

  // 4. a top-level script: a guess unless it runs something under a __main__ guard
  if (!facts.start) {
    const script = ['main.py', 'app.py', 'server.py', 'run.py'].find((f) => ctx.has(f));
    if (script !== undefined) {
      const guarded = MAIN_GUARD.test(ctx.read(script) ?? '');
      facts.start = withGuess(
        fact(['python', script], `${script} (common entry file name${guarded ? ' with a __main__ guard' : ''})`),
        guarded
          ? undefined
          : `${script} is run because of its name only: it has no \`if __name__ == "__main__":\` guard`,
      );
      entryFiles.push(script);
    }
  }
  const afterScan = (f: DetectedFacts): void => {
    refineHealth(ctx, f, fw);
    if (!f.port && commandPort) f.port = commandPort;
    if (startHasPort) followPort(f);
  };
  if (!opts.member) {
    // a uv workspace root: each member detected on its own, one of them containerized from here
    detectUvWorkspace(
      ctx,
      py,
      facts,
      (sub) => detectPython(sub, { member: true }),
      (t) => parseToml(t).table,
    );
    // inside a uv workspace member: the lockfile is at the workspace root, which init does not read
    const hint = uvMemberHint(ctx, py);
    if (hint !== undefined)
      ctx.note(
        `${hint}: this looks like a member of a uv workspace whose uv.lock is at the workspace root, which init does not read from here; the install here is ${pm === 'uv' ? 'uv without the lockfile' : pm} (not what the project locks): run init at the workspace root with --workspace <this directory> (uv workspaces)`,
      );
  }
  return { facts, entryFiles, startHasPort, afterScan };
}

/** A fact that is a guess says why (the plan shows it; --yes refuses to take it silently). */
function withGuess<T>(f: Fact<T>, guess: string | undefined): Fact<T> {
  return guess === undefined ? f : { ...f, guess };
}

/** The server command the app's own files run, and the steps around it. */
interface AppStartup {
  server?: { start: ServerStart; source: string; targetFile?: string; targetMissing?: boolean };
  steps: StartupPlan['steps'];
  notes: string[];
}

/** Boot scripts looked at when neither a Procfile nor a Dockerfile names one (a server must be exec'd there). */
const BOOT_SCRIPTS = [
  'boot.sh',
  'start.sh',
  'entrypoint.sh',
  'docker-entrypoint.sh',
  'run.sh',
  'scripts/start.sh',
  'scripts/boot.sh',
  'scripts/entrypoint.sh',
  'scripts/run.sh',
  'docker/entrypoint.sh',
  'docker/start.sh',
  'bin/start',
  'bin/boot',
];
/** Scripts run before the server (separately, e.g. a compose service): their commands are steps only. */
const PRESTART_SCRIPTS = ['prestart.sh', 'scripts/prestart.sh', 'bin/prestart', 'scripts/pre_start.sh'];

/**
 * Read the Procfile (`web:` and `release:`), else the repository's Dockerfile ENTRYPOINT/CMD, else a
 * boot script: the first that yields a usable server command wins; the steps of everything read
 * before it are kept (a `release:` line always).
 */
function appStartup(ctx: Ctx): AppStartup {
  const out = serverStartup(ctx);
  const reader: StartupReader = { read: (p) => ctx.read(p), has: (p) => ctx.has(p) };
  for (const f of PRESTART_SCRIPTS) {
    const text = ctx.read(f);
    if (text === undefined) continue;
    const plan = readStartup(reader, text, (n, e) => `${f}:${n}: ${excerpt(e)}`, new Map(), true);
    for (const st of plan.steps)
      if (!out.steps.some((x) => x.step.argv.join(' ') === st.step.argv.join(' '))) out.steps.push(st);
  }
  return out;
}

function serverStartup(ctx: Ctx): AppStartup {
  const reader: StartupReader = { read: (p) => ctx.read(p), has: (p) => ctx.has(p) };
  const out: AppStartup = { steps: [], notes: [] };
  const seen = new Set<string>();
  const addSteps = (plan: StartupPlan): void => {
    for (const s of plan.steps) {
      const key = s.step.argv.join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        out.steps.push(s);
      }
    }
  };
  /** take the plan's server if it can be used; returns true when taken */
  const take = (plan: StartupPlan, kinds: readonly string[]): boolean => {
    out.notes.push(...plan.notes);
    const c = plan.server;
    if (!c || !kinds.includes(c.kind)) {
      if (c) out.notes.push(`${plan.serverSource ?? ''}: ${c.what} is not taken as the start command`);
      addSteps(plan);
      return false;
    }
    const st = serverStart(c, reader);
    if ('error' in st) {
      out.notes.push(`${plan.serverSource ?? ''}: not used as the start command: ${st.error}`);
      addSteps(plan);
      return false;
    }
    addSteps(plan);
    const server: NonNullable<AppStartup['server']> = { start: st, source: plan.serverSource ?? '' };
    const file = targetFile(ctx, st);
    if (file !== undefined) server.targetFile = file;
    else if (st.target !== undefined) server.targetMissing = true;
    out.server = server;
    return true;
  };
  const procfile = ctx.read('Procfile');
  if (procfile !== undefined) {
    const lines = procfileLines(procfile);
    const release = lines.get('release');
    if (release)
      addSteps(readStartup(reader, release.command, () => `Procfile:${release.line}: ${excerpt(release.text)}`));
    const web = lines.get('web');
    if (
      web &&
      take(
        readStartup(reader, web.command, () => `Procfile:${web.line}: ${excerpt(web.text)}`),
        ['server', 'uwsgi', 'script'],
      )
    )
      return out;
  }
  for (const df of ['Dockerfile', 'Containerfile']) {
    const text = ctx.read(df);
    const st = text === undefined ? undefined : dockerfileStart(text);
    if (!st) continue;
    const at = (x: { line: number; command: string }, kw: string) => () =>
      `${df}:${x.line}: ${kw} ${excerpt(x.command)}`;
    let plan: StartupPlan;
    const entryIsScript =
      st.entrypoint !== undefined && /^(?:\S*\/)?[\w.-]+\.sh\b|^(?:\.\/|\/)\S+\s*$/.test(st.entrypoint.command);
    if (st.entrypoint && st.cmd && !entryIsScript)
      plan = readStartup(reader, `${st.entrypoint.command} ${st.cmd.command}`, at(st.entrypoint, 'ENTRYPOINT'), st.env);
    else {
      const first = st.entrypoint ?? st.cmd;
      if (first === undefined) continue;
      plan = readStartup(reader, first.command, at(first, st.entrypoint ? 'ENTRYPOINT' : 'CMD'), st.env);
      if (st.entrypoint && st.cmd && (plan.passthrough || !plan.server)) {
        const more = readStartup(reader, st.cmd.command, at(st.cmd, 'CMD'), st.env);
        plan = { ...more, steps: [...plan.steps, ...more.steps], notes: [...plan.notes, ...more.notes] };
      }
    }
    if (take(plan, ['server', 'uwsgi', 'script'])) return out;
    break;
  }
  for (const f of BOOT_SCRIPTS) {
    const text = ctx.read(f);
    if (text === undefined) continue;
    const plan = readStartup(reader, text, (n, e) => `${f}:${n}: ${excerpt(e)}`);
    if (
      plan.server &&
      (plan.server.kind === 'server' || plan.server.kind === 'uwsgi') &&
      take(plan, ['server', 'uwsgi'])
    )
      return out;
  }
  return out;
}

/** The repository file of the app a server command names (`microblog:app` -> microblog.py). */
function targetFile(ctx: Ctx, st: ServerStart): string | undefined {
  if (st.server === undefined) {
    const script = st.argv[1] === '-m' ? undefined : st.argv[1];
    if (script !== undefined) return ctx.has(script) ? script : undefined;
  }
  const mod =
    st.target?.replace(/:.*$/, '') ?? (st.server === undefined && st.argv[1] === '-m' ? st.argv[2] : undefined);
  if (mod === undefined) return undefined;
  const p = mod.replace(/\./g, '/');
  const ci = st.argv.findIndex((w) => w === '--chdir' || w === '--app-dir');
  const roots = ['', 'src/', ...(ci >= 0 && st.argv[ci + 1] ? [`${st.argv[ci + 1].replace(/\/+$/, '')}/`] : [])];
  for (const r of roots) for (const f of [`${r}${p}.py`, `${r}${p}/__init__.py`]) if (ctx.has(f)) return f;
  return undefined;
}

/**
 * Flask-Babel (or Babel) message catalogues to compile at build time (`pybabel compile`): .po files
 * without a compiled .mo, or the directory the app's own commands compile (`pybabel compile -d
 * app/translations` in a Procfile step or a CLI command's source: catalogues are often deeper than
 * detection lists).
 */
function babelStep(ctx: Ctx, deps: Map<string, string>, steps: AppStartup['steps']): BuildStep | undefined {
  const dep = ['flask-babel', 'flask-babelex', 'babel'].find((d) => deps.has(d));
  if (dep === undefined) return undefined;
  const from = `${dep} from ${deps.get(dep) ?? ''}`;
  const po = ctx.files.list.filter(
    (f) => /(?:^|\/)translations\/[^/]+\/LC_MESSAGES\/[^/]+\.po$/.test(f) && !isTestPath(f),
  );
  if (po.length > 0) {
    const missing = po.filter((f) => !ctx.has(f.replace(/\.po$/, '.mo')));
    if (missing.length === 0) return undefined;
    const dir = missing[0].replace(/\/[^/]+\/LC_MESSAGES\/[^/]+\.po$/, '');
    const domain = basename(missing[0]).replace(/\.po$/, '');
    return {
      argv: ['pybabel', 'compile', '-d', dir, ...(domain !== 'messages' ? ['-D', domain] : [])],
      why: `translations: ${missing.length === 1 ? missing[0] : `${missing[0]} and ${missing.length - 1} more`} without a compiled .mo (${from})`,
    };
  }
  // the directory the app's own commands compile
  const dirOf = (argv: readonly string[]): string | undefined => {
    const i = argv.indexOf('-d');
    const d = i >= 0 ? argv[i + 1] : undefined;
    return d !== undefined && normalizeRelDir(d) === d && d !== '.' ? d : undefined;
  };
  for (const { step, source } of steps) {
    const d = step.argv[0] === 'pybabel' ? dirOf(step.argv) : undefined;
    if (d !== undefined) return { argv: ['pybabel', 'compile', '-d', d], why: `translations (${source}; ${from})` };
  }
  for (const f of pythonSources(ctx)) {
    const text = ctx.read(f);
    const m = text === undefined ? null : /pybabel\s+compile\s+(?:[^'"\n]*?\s)?-d\s+([\w./-]+)/.exec(text);
    const d = m ? dirOf(['-d', m[1]]) : undefined;
    if (m && text !== undefined && d !== undefined)
      return { argv: ['pybabel', 'compile', '-d', d], why: `translations (${matchSource(f, text, m.index)}; ${from})` };
  }
  return undefined;
}

/** Rebind the detected server command to the detected port, or say that it keeps the server's default. */
function followPort(facts: DetectedFacts): void {
  const start = facts.start;
  if (!start) return;
  const port = facts.port;
  const next = port
    ? fact(rebindPort(start.value, port.value), `${start.source}; port ${port.value} from ${port.source.split(':')[0]}`)
    : fact(
        start.value,
        `${start.source}; port ${PYTHON_SERVER_DEFAULT_PORT} is the server's default (no port found): rebind it to the chosen port`,
      );
  facts.start = withGuess(next, start.guess);
}

/**
 * The health route behind its router prefixes (FastAPI include_router, Flask blueprints, Django
 * include()); when none was found, the probe counts any HTTP answer as alive (say so).
 */
function refineHealth(ctx: Ctx, facts: DetectedFacts, fw: string | undefined): void {
  const h = facts.healthPath;
  if (!h) {
    ctx.note(
      'no health route found: the health check requests / and counts any HTTP answer (even 404 or 500) as alive; pass --health-path for a route that checks the app',
    );
    return;
  }
  const m = /^(.+?\.py):(\d+): /.exec(h.source);
  if (m) {
    const r = resolveHealthRoute(ctx, m[1], Number(m[2]), h.value);
    if (r && 'unresolved' in r) {
      delete facts.healthPath;
      ctx.note(
        `${h.source}: ${h.value} is behind a router prefix that could not be read (${r.unresolved}): not proposed; the health check requests / and counts any HTTP answer as alive (pass --health-path)`,
      );
      return;
    }
    if (r && r.path !== h.value) facts.healthPath = fact(r.path, `${h.source}; prefix from ${r.via.join('; ')}`);
  }
  if (fw === 'django')
    ctx.note(
      `Django answers 400 to a Host it does not allow: the health check sends Host 127.0.0.1, so ALLOWED_HOSTS must include it (or pass --health-path /)`,
    );
}

interface AppHit {
  file: string;
  name: string;
  factory: boolean;
  source: string;
}

/**
 * The app object: the first module-level `app = FastAPI(...)`, else a module-level
 * `app = create_app()` (a factory defined in that file or imported), else a factory function
 * (`def create_app():`, a guess) — in likely files first.
 */
function findApp(ctx: Ctx, fw: Exclude<Framework, 'django'>): AppHit | undefined {
  const ctor = CTOR[fw];
  const assign = new RegExp(`^([A-Za-z_]\\w*)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:[A-Za-z_]\\w*\\.)?${ctor}\\s*\\(`, 'm');
  const factory = /^def\s+(create_app|make_app|get_app|app_factory|get_application|create_application|build_app)\s*\(/m;
  let fallback: AppHit | undefined;
  for (const f of pythonSources(ctx)) {
    const text = ctx.read(f);
    if (text === undefined) continue;
    const m = text.includes(ctor) ? assign.exec(text) : null;
    if (m) return { file: f, name: m[1], factory: false, source: matchSource(f, text, m.index) };
    // `app = create_app()` at module level: the factory defined here, or imported under a factory-like name
    for (const c of text.matchAll(/^(app|application)\s*=\s*([A-Za-z_]\w*)\s*\(/gm)) {
      const fn = c[2];
      const local = new RegExp(`^def\\s+${fn}\\s*\\(`, 'm').test(text) && text.includes(ctor);
      const imported =
        new RegExp(`^from\\s+[\\w.]+\\s+import\\s+[^\\n]*\\b${fn}\\b`, 'm').test(text) &&
        /^(?:create|make|get|build)_?(?:app|application)(?:_\w+)?$/i.test(fn);
      if (local || imported) return { file: f, name: c[1], factory: false, source: matchSource(f, text, c.index) };
    }
    const fm = text.includes(ctor) ? factory.exec(text) : null;
    if (fm && !fallback) fallback = { file: f, name: fm[1], factory: true, source: matchSource(f, text, fm.index) };
  }
  return fallback;
}
