// Python: a venv built in the builder and copied to distroless/python3 or alpine; pip, poetry, uv, pipenv.
import type { Answers, DockerfileSpec, Flavor, ProjectLayout } from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { fact, type DetectedFacts } from '../../detect/model.js';
import { httpProbeUrl, safeRelPath, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import { detectPython, pythonManifests, PYTHON_SERVER_DEFAULT_PORT, rebindPort } from './detect.js';

const ALPINE = '3.22';
/** Distroless ships one Python per Debian release; the builder must match it exactly (ABI). */
const DISTROLESS: Partial<Record<string, { builder: string; final: string }>> = {
  '3.11': { builder: 'python:3.11-slim-bookworm', final: 'gcr.io/distroless/python3-debian12:nonroot' },
  '3.13': { builder: 'python:3.13-slim-trixie', final: 'gcr.io/distroless/python3-debian13:nonroot' },
};
/** Tool versions pinned so the install step is reproducible (P6). */
const TOOLS = { poetry: 'poetry==2.1.3', uv: 'uv==0.7.13', pipenv: 'pipenv==2025.0.3' };
const VENV = '/opt/venv';
/** the interpreter in the final image */
const pythonBin = (flavor: Flavor): string => (flavor === 'distroless' ? '/usr/bin/python3' : '/usr/local/bin/python3');

/** P2: the venv is copied into the final image: strip the pip it was created with. */
const STRIP_PIP = `rm -rf ${VENV}/bin/pip ${VENV}/bin/pip3* ${VENV}/lib/python*/site-packages/pip ${VENV}/lib/python*/site-packages/pip-*`;

function installCommand(a: Answers, layout: ProjectLayout): string {
  return `${installOnly(a, layout)} && ${STRIP_PIP}`;
}

function installOnly(a: Answers, layout: ProjectLayout): string {
  const venv = `python -m venv ${VENV}`;
  const pip = `${VENV}/bin/pip install --disable-pip-version-check`;
  switch (a.packageManager) {
    case 'poetry':
      return `${venv} && pip install --disable-pip-version-check ${TOOLS.poetry} && VIRTUAL_ENV=${VENV} poetry install --only main --no-root --no-interaction`;
    case 'uv':
      return `${venv} && pip install --disable-pip-version-check ${TOOLS.uv} && UV_PROJECT_ENVIRONMENT=${VENV} uv sync --frozen --no-dev --no-install-project`;
    case 'pipenv':
      return `${venv} && pip install --disable-pip-version-check ${TOOLS.pipenv} && pipenv requirements > /tmp/requirements.txt && ${pip} -r /tmp/requirements.txt`;
    default:
      if (layout.requirements) {
        return `${venv} && ${pip}${layout.hashes ? ' --require-hashes' : ''} -r ${layout.requirements}`;
      }
      // pyproject.toml without a lock: pip installs the project itself (after the sources are copied)
      return `${venv} && ${pip} .`;
  }
}

export const python: RuntimeProfile = {
  runtime: 'python',
  label: 'Python',
  choiceHelp: 'Python (pyproject.toml or requirements.txt)',
  manifestNames: ['pyproject.toml', 'requirements.txt'],
  claim(ctx) {
    const manifests = pythonManifests(ctx);
    if (manifests.length === 0) return undefined;
    return {
      rank: 20,
      source: manifests.join(', '),
      detect() {
        const r = detectPython(ctx);
        return {
          facts: r.facts,
          entryFiles: r.entryFiles,
          // a server command that carries a port (gunicorn --bind, uvicorn --port) follows the detected port
          ...(r.startHasPort ? { withPort: followPort } : {}),
        };
      },
    };
  },
  code: {
    files: /\.py$/,
    ports: [
      /\.run\([^)]{0,300}?\bport\s*=\s*(?:int\(\s*)?(?:os\.(?:environ\.get|getenv)\(\s*['"]\w*PORT['"]\s*,\s*)?['"]?(\d{1,6})\b/g,
      /^(?:PORT|port|HTTP_PORT|APP_PORT|SERVER_PORT|DEFAULT_PORT)\s*(?::\s*int\s*)?=\s*(?:int\(\s*)?(?:os\.(?:environ\.get|getenv)\(\s*['"]\w*PORT['"]\s*,\s*)?['"]?(\d{1,6})\b/gm,
      /os\.(?:environ\.get|getenv)\(\s*['"](?:PORT|HTTP_PORT|APP_PORT)['"]\s*,\s*['"]?(\d{1,6})\b/g,
    ],
  },
  layoutHints(facts, repo) {
    const req = facts.manifest?.value;
    const hashes = !!(req && req.endsWith('.txt') && /--hash[= ]sha256:/.test(repo.readText(req) ?? ''));
    return hashes ? { hashes: true } : {};
  },
  layout(facts, a, hints) {
    const present = new Set(facts.lockfiles?.value ?? []);
    const manifest = safeRelPath(facts.manifest?.value);
    const withLock = (file: string, lock: string): ProjectLayout => ({
      manifests: [file, ...(present.has(lock) ? [lock] : [])],
    });
    switch (a.packageManager) {
      case 'poetry':
        return withLock('pyproject.toml', 'poetry.lock');
      case 'uv':
        return withLock('pyproject.toml', 'uv.lock');
      case 'pipenv':
        return withLock('Pipfile', 'Pipfile.lock');
      default:
        if (manifest && manifest.endsWith('.txt'))
          return { manifests: [manifest], requirements: manifest, ...(hints.hashes ? { hashes: true } : {}) };
        return { manifests: ['pyproject.toml'] };
    }
  },
  startExample: () => '"python -m gunicorn --bind 0.0.0.0:8000 app:app"',
  templateDir: packagePath('templates', 'runtimes', 'python'),
  secretsHelperPath: 'secrets_helper.py',
  context: { sourceFiles: /\.py$/, exceptions: [] },
  packageManagers: ['pip', 'poetry', 'uv', 'pipenv'],
  defaultPackageManager: 'pip',
  defaultVersion: '3.11',
  versions: { distroless: ['3.11', '3.13'], alpine: ['3.10', '3.11', '3.12', '3.13', '3.14'] },
  normalizeVersion(v) {
    const m = /^(3\.\d{1,2})(\.\d+)?$/.exec(v.trim());
    if (!m) throw new Error('must be a Python version such as 3.12');
    return m[1];
  },
  versionHelp: 'a Python 3 minor version: 3.11 or 3.13 for distroless, 3.10-3.14 for alpine',
  defaultPort: 8000,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    if (flavor === 'alpine') return { builder: `python:${v}-alpine${ALPINE}`, final: `python:${v}-alpine${ALPINE}` };
    const d = DISTROLESS[v];
    if (!d) throw new Error(`distroless has no Python ${v}`);
    return d;
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: pythonBin,
  entrypoint(start, flavor) {
    return [pythonBin(flavor), ...start.slice(1)];
  },
  checkStart(start) {
    if (start[0] !== 'python' && start[0] !== 'python3') {
      return `must start with python, e.g. "python -m gunicorn app:app" (not ${JSON.stringify(start[0])}: P1, the interpreter is PID 1's only child)`;
    }
    if (start.length < 2) return 'must name a module or file, e.g. "python -m myapp"';
    const i = start.indexOf('-m');
    const mod = i >= 0 ? start[i + 1] : undefined;
    if (
      mod === 'flask' ||
      mod === 'django' ||
      start.includes('runserver') ||
      (mod === 'uvicorn' && start.includes('--reload'))
    ) {
      return 'must use a production server (gunicorn or uvicorn without --reload), not a development server';
    }
    return undefined;
  },
  defaultStart: () => undefined,
  healthcheck(flavor, port, path) {
    // one word, no spaces: some compose implementations split probe arguments on spaces.
    // Exits 1 (True) on HTTP >= 400; an exception (refused, timeout, 4xx/5xx) exits 1 too.
    const py = `__import__('sys').exit(__import__('urllib.request').request.urlopen('${httpProbeUrl(port, path)}',timeout=4).status>=400)`;
    return [pythonBin(flavor), '-c', py];
  },
  tmpfs: [],
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const mounts = `--mount=type=cache,target=/root/.cache ${secretMounts(a.buildSecrets)}`;
    const needsSources = a.packageManager === 'pip' && !layout.requirements;
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['requirements.txt'],
      installProd: `${mounts}${installCommand(a, layout)}`,
      installAll: null,
      build: a.build ? `${secretMounts(a.buildSecrets)}${shellLine(a.build)}` : null,
      artefacts: [{ stage: 'deps', from: VENV, to: VENV }],
      env: [
        // the venv's site-packages on the path: works although the final image's interpreter lives elsewhere
        ['PYTHONPATH', `${VENV}/lib/python${a.runtimeVersion}/site-packages`],
        ['PYTHONDONTWRITEBYTECODE', '1'],
        ['PYTHONUNBUFFERED', '1'],
        ['PORT', String(a.port)],
      ],
      emptyStage: 'deps',
      harden: flavorHarden(a.flavor, a.runtimeVersion),
      extra: { copySourcesBeforeInstall: needsSources ? 'yes' : '' },
    };
  },
  dockerignore: () => [
    '**/__pycache__',
    '**/*.py[cod]',
    '.venv',
    'venv',
    '.mypy_cache',
    '.pytest_cache',
    '.ruff_cache',
    '.tox',
    '*.egg-info',
    'build',
    'htmlcov',
    '.coverage',
  ],
};

function flavorHarden(flavor: Flavor, v: string): string | null {
  if (flavor !== 'alpine') return null;
  return `rm -rf /usr/local/lib/python${v}/site-packages/pip /usr/local/lib/python${v}/site-packages/pip-* /usr/local/lib/python${v}/ensurepip /usr/local/bin/pip /usr/local/bin/pip3 /usr/local/bin/pip${v} /sbin/apk /etc/apk /usr/share/apk /var/cache/apk`;
}

/** Rebind the detected server command to the detected port, or say that it keeps the server's default. */
function followPort(facts: DetectedFacts): void {
  const start = facts.start;
  if (!start) return;
  const port = facts.port;
  facts.start = port
    ? fact(rebindPort(start.value, port.value), `${start.source}; port ${port.value} from ${port.source.split(':')[0]}`)
    : fact(
        start.value,
        `${start.source}; port ${PYTHON_SERVER_DEFAULT_PORT} is the server's default (no port found): rebind it to the chosen port`,
      );
}
