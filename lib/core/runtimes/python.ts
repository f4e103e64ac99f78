import type { Answers, DockerfileSpec, Flavor, ProjectLayout } from '../types.js';
import { httpProbeUrl, secretMounts, shellLine, type RuntimeProfile } from './profile.js';

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
