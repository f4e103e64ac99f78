// Python: a venv built in the builder and copied to distroless/python3 or alpine; pip, poetry, uv, pipenv.
// Native dependencies get a compiler and headers in the builder and their libraries in the final
// image (alpine: distroless python3 has none, so it is refused for them); framework build steps
// (collectstatic, pybabel compile) run in the builder and the final image takes /app from there.
import {
  AnswerError,
  type Answers,
  type BuildStep,
  type DockerfileSpec,
  type Facts,
  type Flavor,
  type ManualStep,
  type ProjectLayout,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, safeRelPath, secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import {
  exportVar,
  registrySetup,
  withRegistry,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { PYTHON_CODE } from './code.js';
import { MEMBER_FACT_KEYS, PACKAGE_NAME } from './workspace.js';
import { detectPython, pythonManifests } from './detect.js';
import { nativeNeedsByDep, packageList, readRequirementsTree } from './requirements.js';
import { PYTHON_VERSIONS } from './versions.js';

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
  const member = uvMember(a, layout);
  const venv = `python -m venv ${VENV}`;
  const pip = `${VENV}/bin/pip install --disable-pip-version-check`;
  switch (a.packageManager) {
    case 'poetry':
      return `${venv} && pip install --disable-pip-version-check ${TOOLS.poetry} && VIRTUAL_ENV=${VENV} poetry install --only main --no-root --no-interaction`;
    case 'uv':
      // a uv workspace member: the root lockfile, the member's dependencies only, no workspace member
      // installed yet (their sources are not in this layer: https://docs.astral.sh/uv/guides/integration/docker/)
      if (member !== undefined)
        return `${venv} && pip install --disable-pip-version-check ${TOOLS.uv} && UV_PROJECT_ENVIRONMENT=${VENV} uv sync --frozen --no-dev --package ${member.pkg} --no-install-workspace`;
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

/**
 * --package-registry (issue 19): pip, uv and pipenv read the index from PIP_INDEX_URL / UV_INDEX_URL;
 * with a secret (`user:password`) the URL with credentials is assembled inside the install RUN only.
 */
function pythonRegistry(ref: PackageRegistryRef, pm: string): RegistrySetup {
  const url = ref.secret === '' ? ref.url : `${ref.scheme}${ref.read}@${ref.rest}`;
  return {
    before: [exportVar('PIP_INDEX_URL', url), exportVar('UV_INDEX_URL', '$PIP_INDEX_URL')],
    after: [],
    secretForm: '`user:password` (URL-encoded; many registries take a token as the password)',
    tools: 'pip and uv (PIP_INDEX_URL, UV_INDEX_URL)',
    caveat:
      pm === 'poetry'
        ? 'Poetry installs from the sources in pyproject.toml: add the registry there (`poetry source add --priority=primary`); only the pip install of poetry itself uses it.'
        : pm === 'uv'
          ? 'uv sync --frozen downloads the URLs recorded in uv.lock: lock against the registry (`uv lock --default-index <url>`) so they point at it.'
          : '',
  };
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
        // once the port and the health route are known: the route's full path behind its router
        // prefixes, and a server command that carries a port (gunicorn --bind, uvicorn --port) follows it
        return { facts: r.facts, entryFiles: r.entryFiles, withPort: r.afterScan };
      },
    };
  },
  code: PYTHON_CODE,
  layoutHints(facts, repo) {
    const req = safeRelPath(facts.manifest?.value);
    if (!req || !req.endsWith('.txt')) return {};
    // the file and every -r/-c include inside the repository: all are copied into the install stage
    const tree = readRequirementsTree((p) => (safeRelPath(p) === p ? repo.readText(p) : undefined), req);
    const files = tree.files.filter((f) => safeRelPath(f) === f);
    return {
      ...(files.length > 1 ? { requirementFiles: files } : {}),
      ...(tree.hashes ? { hashes: true } : {}),
      ...(tree.localPaths.length > 0 ? { installFromSources: true } : {}),
    };
  },
  layout(rootFacts, a, hints) {
    // --workspace (a uv workspace root): the member's facts, the root's lockfile
    const member = a.workspace ? safeRelPath(a.workspace) : undefined;
    const facts = member !== undefined ? pythonMemberFacts(rootFacts, member) : rootFacts;
    const ws = member !== undefined && a.packageManager === 'uv' ? memberLayout(rootFacts, member) : undefined;
    const base = ((): ProjectLayout => {
      const present = new Set(facts.lockfiles?.value ?? []);
      const manifest = safeRelPath(facts.manifest?.value);
      const withLock = (file: string, lock: string): ProjectLayout => ({
        manifests: [file, ...(present.has(lock) ? [lock] : [])],
      });
      switch (a.packageManager) {
        case 'poetry':
          return withLock('pyproject.toml', 'poetry.lock');
        case 'uv':
          if (ws !== undefined) {
            const l = withLock('pyproject.toml', 'uv.lock');
            return { ...l, manifests: [...l.manifests, ...ws.workspaceManifests], ...ws };
          }
          return withLock('pyproject.toml', 'uv.lock');
        case 'pipenv':
          return withLock('Pipfile', 'Pipfile.lock');
        default:
          if (manifest && manifest.endsWith('.txt')) {
            const files = (hints.requirementFiles ?? [manifest]).filter((f) => safeRelPath(f) === f);
            return {
              manifests: files.includes(manifest) ? files : [manifest, ...files],
              requirements: manifest,
              ...(files.length > 1 ? { requirementFiles: files } : {}),
              ...(hints.hashes ? { hashes: true } : {}),
              ...(hints.installFromSources ? { installFromSources: true } : {}),
            };
          }
          return { manifests: ['pyproject.toml'] };
      }
    })();
    const settings = facts.settingsModule?.value;
    return {
      ...base,
      ...(settings !== undefined && /^[A-Za-z_][\w.]*$/.test(settings) ? { settingsModule: settings } : {}),
      ...(facts.buildSteps?.value.length ? { buildSteps: facts.buildSteps.value.filter(safeStep) } : {}),
      ...(facts.manualSteps?.value.some(printableStep)
        ? {
            manualSteps: facts.manualSteps.value
              .filter(printableStep)
              .map((m) => ({ argv: m.argv, when: m.when, why: oneLine(m.why) })),
          }
        : {}),
      ...(facts.nativeDeps?.value.length ? { nativeDeps: facts.nativeDeps.value } : {}),
    };
  },
  // uv only: one lockfile for every member (https://docs.astral.sh/uv/concepts/projects/workspaces/)
  workspacePackageManagers: ['uv'],
  memberFacts: (facts, member) => pythonMemberFacts(facts, member),
  startExample: () => '"python -m gunicorn --bind 0.0.0.0:8000 app:app"',
  templateDir: packagePath('templates', 'runtimes', 'python'),
  secretsHelperPath: 'secrets_helper.py',
  context: { sourceFiles: /\.py$/, exceptions: [] },
  packageManagers: ['pip', 'poetry', 'uv', 'pipenv'],
  defaultPackageManager: 'pip',
  defaultVersion: '3.11',
  versions: PYTHON_VERSIONS,
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
    // One word, no spaces: some compose implementations split probe arguments on spaces. The
    // opener's error processor is replaced so that no status raises and no redirect is followed
    // (Django's SECURE_SSL_REDIRECT answers 301 to https, which a plain-HTTP port cannot speak):
    // - a health route: healthy on the route's own 2xx/3xx answer, exit 1 on >= 400;
    // - `/` (what the probe asks when no health route was detected; many API-only apps have no `/`
    //   route): any HTTP answer, even 404 or 500, means the server is up.
    // A refused or timed-out connection raises, and the exception exits 1.
    const fail = path === '/' ? 'status<100' : 'status>=400';
    const py = `__import__('sys').exit((u:=__import__('urllib.request').request).build_opener(type('P',(u.HTTPErrorProcessor,),{'http_response':lambda*a:a[2]})).open('${httpProbeUrl(port, path)}',timeout=4).${fail})`;
    return [pythonBin(flavor), '-c', py];
  },
  tmpfs: [],
  packageRegistry: (ref, a) => pythonRegistry(ref, a.packageManager),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const mounts = `--mount=type=cache,target=/root/.cache ${secretMounts(a.buildSecrets)}`;
    const reg = registrySetup(this, a, layout);
    const needsSources = (a.packageManager === 'pip' && !layout.requirements) || layout.installFromSources === true;
    const native = nativeNeedsByDep(layout.nativeDeps ?? []);
    const runtimeLibs = native.filter((n) => n.runtimeLib !== undefined);
    if (a.flavor === 'distroless' && runtimeLibs.length > 0) {
      const n = runtimeLibs[0];
      throw new AnswerError(
        'flavor',
        '--flavor',
        `distroless python3 has no ${n.runtimeLib ?? 'run-time library'} and cannot install one: ${n.why}; use --flavor alpine (the library is installed in the final image)${n.binaryAlternative !== undefined ? `, or ${n.binaryAlternative} (binary wheels) to stay on distroless` : ''}`,
      );
    }
    const alpine = a.flavor === 'alpine';
    const buildPkgs = packageList(native, alpine ? 'alpineBuild' : 'debianBuild');
    const runPkgs = alpine ? packageList(native, 'alpineRuntime') : [];
    const steps = (layout.buildSteps ?? []).filter(safeStep);
    const settings = layout.settingsModule;
    const sourcesFromBuilder = steps.length > 0 || a.build !== null;
    const member = uvMember(a, layout);
    if (layout.workspace !== undefined && member === undefined)
      throw new AnswerError(
        'workspace',
        '--workspace',
        `containerizing one member of a uv workspace needs the member's [project] name in ${layout.workspace}/pyproject.toml (uv sync --package takes it) and the uv package manager`,
      );
    // the workspace members this member depends on ([tool.uv.sources] … = { workspace = true }): their
    // sources, then a second sync that installs them into the venv (not editable: the final image
    // has the venv and the member's directory only)
    const memberSources = member?.sources ?? [];
    const memberInstall =
      member !== undefined && memberSources.length > 0
        ? withRegistry(
            reg,
            mounts,
            `UV_PROJECT_ENVIRONMENT=${VENV} uv sync --frozen --no-dev --package ${member.pkg} --no-install-project --no-editable`,
          )
        : '';
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length ? layout.manifests : ['requirements.txt'],
      installProd: withRegistry(reg, mounts, installCommand(a, layout)),
      installAll: null,
      build: a.build ? `${secretMounts(a.buildSecrets)}${shellLine(a.build)}` : null,
      artefacts: [{ stage: 'deps', from: VENV, to: VENV }],
      env: [
        // the venv's site-packages on the path: works although the final image's interpreter lives elsewhere
        ['PYTHONPATH', `${VENV}/lib/python${a.runtimeVersion}/site-packages`],
        ['PYTHONDONTWRITEBYTECODE', '1'],
        ['PYTHONUNBUFFERED', '1'],
        ['PORT', String(a.port)],
        ...(settings !== undefined ? [['DJANGO_SETTINGS_MODULE', settings] as [string, string]] : []),
      ],
      emptyStage: 'deps',
      harden: flavorHarden(a.flavor, a.runtimeVersion),
      extra: {
        copySourcesBeforeInstall: needsSources ? 'yes' : '',
        // one COPY per directory keeps requirements/base.txt at requirements/ (a -r include's path)
        copyManifests: copyLines(layout.manifests.length ? layout.manifests : ['requirements.txt']),
        nativeDeps: native.map((n) => n.dep).join(', '),
        buildPackages: buildPkgs.length
          ? alpine
            ? `apk add --no-cache ${buildPkgs.join(' ')}`
            : `apt-get update && apt-get install -y --no-install-recommends ${buildPkgs.join(' ')} && rm -rf /var/lib/apt/lists/*`
          : '',
        runtimePackages: runPkgs.length ? `apk add --no-cache ${runPkgs.join(' ')}` : '',
        runtimeLibs: [...new Set(runtimeLibs.map((n) => n.runtimeLib ?? ''))].join(', '),
        runtimeDeps: runtimeLibs.map((n) => n.dep).join(', '),
        buildSteps: steps.map((st) => `# ${oneLine(st.why)}\nRUN ${stepLine(st)}`).join('\n'),
        sourcesFromBuilder: sourcesFromBuilder ? 'yes' : '',
        member: member?.dir ?? '',
        memberSources: memberSources.map((d) => `COPY ${d}/ ${d}/`).join('\n'),
        memberInstall,
      },
    };
  },
  dockerignore: (layout) => [
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
    // the build context is the workspace root: every member's virtualenv stays out too
    ...(layout.workspace !== undefined ? ['**/.venv', '**/venv'] : []),
  ],
};

/** The facts seen from one uv workspace member: its start, port, health and steps (the install stays the root's). */
export function pythonMemberFacts(facts: Facts, member: string): Facts {
  const app = facts.workspaceApps?.find((x) => x.dir === member);
  if (app?.facts === undefined) return facts;
  // the root's install facts, the member's own for everything the member decides (absent there = absent)
  const keys: readonly string[] = MEMBER_FACT_KEYS;
  const rest = Object.fromEntries(Object.entries(facts).filter(([k]) => !keys.includes(k)));
  const own = Object.fromEntries(Object.entries(app.facts).filter(([k]) => keys.includes(k)));
  return { ...rest, ...own };
}

/** The member's layout: every member's pyproject.toml (uv reads the workspace), its package name, its workspace dependencies. */
function memberLayout(rootFacts: Facts, member: string): Partial<ProjectLayout> & { workspaceManifests: string[] } {
  const dirs = (rootFacts.workspaceMembers?.value ?? [])
    .map((d) => safeRelPath(d))
    .filter((d): d is string => d !== undefined);
  const app = rootFacts.workspaceApps?.find((x) => x.dir === member);
  const pkg = app?.packageName;
  const sources = (app?.facts?.workspaceMembers?.value ?? []).filter((d) => dirs.includes(d));
  return {
    workspace: member,
    workspaceManifests: dirs.map((d) => `${d}/pyproject.toml`),
    settings: {
      ...(pkg !== undefined && PACKAGE_NAME.test(pkg) ? { package: pkg } : {}),
      ...(sources.length > 0 ? { workspaceSources: sources } : {}),
    },
  };
}

/** The uv workspace member being built, re-validated from the layout (it is read back from .yo-rc.json). */
function uvMember(a: Answers, layout: ProjectLayout): { dir: string; pkg: string; sources: string[] } | undefined {
  const dir = safeRelPath(layout.workspace);
  const pkg = layout.settings?.package;
  if (a.packageManager !== 'uv' || dir === undefined || typeof pkg !== 'string' || !PACKAGE_NAME.test(pkg))
    return undefined;
  const raw = layout.settings?.workspaceSources;
  const sources = (Array.isArray(raw) ? raw : [])
    .map((d) => safeRelPath(d))
    .filter((d): d is string => d !== undefined && d !== dir);
  return { dir, pkg, sources };
}

function flavorHarden(flavor: Flavor, v: string): string | null {
  if (flavor !== 'alpine') return null;
  return `rm -rf /usr/local/lib/python${v}/site-packages/pip /usr/local/lib/python${v}/site-packages/pip-* /usr/local/lib/python${v}/ensurepip /usr/local/bin/pip /usr/local/bin/pip3 /usr/local/bin/pip${v} /sbin/apk /etc/apk /usr/share/apk /var/cache/apk`;
}

/** A build step we can write: every word plain (no shell syntax), env names and values plain too. */
function safeStep(st: BuildStep): boolean {
  const plain = (w: string): boolean => w !== '' && !/[\n\r\0"'`$\\;&|<>]/.test(w);
  return (
    st.argv.length > 0 &&
    st.argv.every(plain) &&
    /^(?:python|pybabel)$/.test(st.argv[0]) &&
    Object.entries(st.env ?? {}).every(([k, v]) => /^[A-Za-z_]\w*$/.test(k) && (v === '' || plain(v)))
  );
}

/** RUN line of a build step: the venv's interpreter or console script, its environment on that line only. */
function stepLine(st: BuildStep): string {
  const env = Object.entries({ PYTHONDONTWRITEBYTECODE: '1', ...(st.env ?? {}) }).map(
    ([k, v]) => `${k}=${v === '' ? "''" : shq(v)}`,
  );
  const prog = `${VENV}/bin/${st.argv[0]}`;
  return [...env, prog, ...st.argv.slice(1).map(shq)].join(' ');
}

/** A step left to the user: its words are plain printable text (README.Docker.md quotes and shows them). */
function printableStep(m: ManualStep): boolean {
  return m.argv.length > 0 && m.argv.every((w) => /^[\x20-\x7e]+$/.test(w) && !w.includes("'"));
}

/** A comment line: printable, one line, bounded. */
function oneLine(t: string): string {
  // eslint-disable-next-line no-control-regex -- untrusted text from the repository goes into a comment
  const clean = t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/** `COPY a b ./` then `COPY requirements/x requirements/y requirements/`: each file keeps its directory. */
function copyLines(files: readonly string[]): string {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const i = f.lastIndexOf('/');
    const dir = i === -1 ? './' : `${f.slice(0, i)}/`;
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  return [...byDir].map(([dir, fs]) => `COPY ${fs.join(' ')} ${dir}`).join('\n');
}
