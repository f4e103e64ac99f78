// uv workspaces (fastapi/full-stack-fastapi-template's shape): at the root, the members are listed
// from [tool.uv.workspace] (globs, exclude), each detected on its own, the only runnable one is the
// default --workspace; the member's Dockerfile installs from the root uv.lock (`uv sync --frozen
// --package <name> --no-install-workspace`), copies the member only and runs from its directory.
// Inside a member, the plan says where the lockfile is. Servers brought by extras are dependencies.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles, type DetectedFacts } from '../../../lib/detect/index.js';
import { resolveAnswers, type RawAnswers } from '../../../lib/core/answers/resolve.js';
import { AnswerError, type Facts } from '../../../lib/core/types.js';
import { buildFiles } from '../../../lib/index.js';
import { profileFor } from '../../../lib/runtimes/index.js';
import { serversBroughtBy } from '../../../lib/runtimes/python/detect.js';
import { uvWorkspaceApp } from '../../../lib/runtimes/python/workspace.js';
import { fact, type Ctx } from '../../../lib/detect/model.js';
import { parseDockerfile } from '../../helpers/dockerfile.js';

const python = profileFor('python');

const ROOT = '[tool.uv.workspace]\nmembers = ["services/*", "packages/*"]\nexclude = ["packages/legacy"]\n';
const LOCK = 'version = 1\nrevision = 3\nrequires-python = ">=3.12"\n\n[manifest]\nmembers = ["api", "shared"]\n';
const API_PY = [
  '[project]',
  'name = "api"',
  'version = "0.1.0"',
  'dependencies = ["fastapi[standard]>=0.115", "shared"]',
  '[tool.uv.sources]',
  'shared = { workspace = true }',
  '',
].join('\n');
const MAIN = [
  'from fastapi import FastAPI',
  'app = FastAPI()',
  '@app.get("/healthz")',
  'def health():',
  '    return {"ok": True}',
  '',
].join('\n');

function files(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'pyproject.toml': ROOT,
    'uv.lock': LOCK,
    'services/api/pyproject.toml': API_PY,
    'services/api/app/__init__.py': '',
    'services/api/app/main.py': MAIN,
    'services/api/.env.example': 'PORT=8081\n',
    'packages/shared/pyproject.toml': '[project]\nname = "shared"\nversion = "0.1.0"\n',
    'packages/shared/shared/__init__.py': 'VALUE = 1\n',
    'packages/legacy/pyproject.toml': '[project]\nname = "legacy"\nversion = "0.1.0"\n',
    'docs/pyproject.toml': '[project]\nname = "docs"\n',
    ...extra,
  };
}

const detect = (f: Record<string, string>): DetectedFacts => detectFromFiles(memoryFiles(f));
const resolve = (facts: Facts, cli: RawAnswers = {}) =>
  resolveAnswers({ facts, layout: { manifests: [] }, dirName: 'mono', cli });

describe('uv workspace root: detection', () => {
  it('members from the globs (exclude honoured, non-members ignored), the only runnable one is the default', () => {
    const f = detect(files());
    expect(f.packageManager?.value).toBe('uv');
    expect(f.workspaceMembers).toEqual({
      value: ['packages/shared', 'services/api'],
      source: 'pyproject.toml: [tool.uv.workspace] members',
    });
    expect(f.workspaceDefault).toEqual({
      value: 'services/api',
      source: 'services/api/pyproject.toml: the only member with a start command',
    });
    const api = f.workspaceApps?.find((a) => a.dir === 'services/api');
    expect(api?.packageName).toBe('api');
    // the member's own facts, paths relative to it, sources naming it
    expect(api?.facts?.start?.value).toEqual([
      'python',
      '-m',
      'uvicorn',
      'app.main:app',
      '--host',
      '0.0.0.0',
      '--port',
      '8081',
    ]);
    expect(api?.facts?.start?.source).toMatch(/^services\/api\/app\/main\.py:2: /);
    expect(api?.facts?.port).toEqual({ value: 8081, source: 'services/api/.env.example:1: PORT=8081' });
    expect(api?.facts?.healthPath?.value).toBe('/healthz');
    // its workspace dependencies ([tool.uv.sources] … = { workspace = true })
    expect(api?.facts?.workspaceMembers?.value).toEqual(['packages/shared']);
    // fastapi[standard] brings uvicorn: no "not in dependencies", not a guess
    expect(api?.facts?.start?.source).not.toMatch(/not in dependencies/);
    expect(api?.facts?.start?.guess).toBeUndefined();
    // the version from uv.lock's requires-python (the root declares none)
    expect(f.runtimeVersion?.source).toMatch(/^uv\.lock: requires-python = ">=3\.12"/);
    expect(f.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /a uv workspace root \(members: packages\/shared, services\/api\); with a start command: services\/api: the image is built for services\/api/,
        ),
      ]),
    );
  });

  it('--workspace answers come from the member: name, start, port, health path', () => {
    const { answers } = resolve(detect(files()), { workspace: './services/api/' });
    expect(answers.workspace).toBe('services/api');
    expect(answers.name).toBe('api');
    expect(answers.start).toEqual(['python', '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8081']);
    expect(answers.port).toBe(8081);
    expect(answers.healthPath).toBe('/healthz');
  });

  it('two runnable members: no default (the root is containerized), the note names both', () => {
    const f = detect(
      files({
        'services/worker/pyproject.toml': '[project]\nname = "worker"\ndependencies = ["flask"]\n',
        'services/worker/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      }),
    );
    expect(f.workspaceMembers?.value).toEqual(['packages/shared', 'services/api', 'services/worker']);
    expect(f.workspaceDefault).toBeUndefined();
    expect(f.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /with a start command: services\/api, services\/worker: the image is built for the root project; pass --workspace/,
        ),
      ]),
    );
    expect(resolve(f, { workspace: 'services/worker' }).answers.start).toEqual([
      'python',
      '-m',
      'gunicorn',
      '--bind',
      '0.0.0.0:8000',
      'app:app',
    ]);
  });

  it('refuses a directory that is not a member, and another package manager than uv', () => {
    const f = detect(files());
    expect(() => resolve(f, { workspace: 'packages/legacy' })).toThrow(/not a member of this workspace/);
    expect(() => resolve(f, { workspace: 'docs' })).toThrow(/not a member of this workspace/);
    expect(() => resolve(f, { workspace: 'services/api', packageManager: 'pip' })).toThrow(
      /--workspace.*supported for uv only/,
    );
  });

  it('a member read from its code keeps its data directory under the member; an env template path stays', () => {
    const list = ['svc/pyproject.toml', 'svc/app.py'];
    const ctx: Ctx = {
      files: { list, read: () => '' },
      has: (p) => list.includes(p),
      read: (p) => (p === 'svc/pyproject.toml' ? '[project]\nname = "svc"\n' : list.includes(p) ? '' : undefined),
      note: () => undefined,
    };
    const run = (source: string) =>
      uvWorkspaceApp(
        ctx,
        'svc',
        () => ({
          facts: { dataDirs: fact(['/app/media', '/data'], source) },
          entryFiles: [],
          afterScan: () => undefined,
        }),
        () => ({ project: { name: 'svc' } }),
      );
    expect(run('mysite/settings.py:12: MEDIA_ROOT = BASE_DIR / "media"').facts?.dataDirs?.value).toEqual([
      '/app/svc/media',
      '/data',
    ]);
    expect(run('.env.example:1: DATA_DIR').facts?.dataDirs?.value).toEqual(['/app/media', '/data']);
  });
});

describe('uv workspace member: the Dockerfile', () => {
  function render(cli: RawAnswers = {}, extra: Record<string, string> = {}) {
    const facts = detect(files(extra));
    const { answers } = resolve(facts, { workspace: 'services/api', flavor: 'alpine', ...cli });
    const layout = python.layout(facts, answers, {});
    const { files: out, findings } = buildFiles(answers, layout);
    const get = (p: string): string => out.find((x) => x.path === p)?.contents ?? '';
    return { layout, answers, findings, dockerfile: get('Dockerfile'), ignore: get('.dockerignore') };
  }

  it('the root uv.lock and every member pyproject.toml first; the member and its workspace dependencies installed; the member copied and run from its directory', () => {
    const { layout, dockerfile, ignore, findings } = render();
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(layout.manifests).toEqual([
      'pyproject.toml',
      'uv.lock',
      'packages/shared/pyproject.toml',
      'services/api/pyproject.toml',
    ]);
    expect(layout.settings).toEqual({ package: 'api', workspaceSources: ['packages/shared'] });
    const [deps, runtime] = parseDockerfile(dockerfile);
    const d = deps.instructions.map((i) => `${i.keyword} ${i.args}`);
    expect(d).toEqual(
      expect.arrayContaining([
        'COPY pyproject.toml uv.lock ./',
        'COPY packages/shared/pyproject.toml packages/shared/',
        'COPY services/api/pyproject.toml services/api/',
        'COPY packages/shared/ packages/shared/',
      ]),
    );
    const runs = deps.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs[0]).toMatch(
      /UV_PROJECT_ENVIRONMENT=\/opt\/venv uv sync --frozen --no-dev --package api --no-install-workspace && rm -rf/,
    );
    expect(runs[1]).toBe(
      'UV_PROJECT_ENVIRONMENT=/opt/venv uv sync --frozen --no-dev --package api --no-install-project --no-editable',
    );
    expect(deps.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('--no-editable'))?.flagList).toEqual([
      'mount=type=cache,target=/root/.cache',
    ]);
    // final stage: the venv, the member only, WORKDIR the member, then the user and the entrypoint
    const r = runtime.instructions.map((i) => i.raw);
    const at = (s: string): number => {
      expect(r).toContain(s);
      return r.indexOf(s);
    };
    expect(at('COPY services/api/ ./services/api/')).toBeGreaterThan(at('COPY --from=deps /opt/venv /opt/venv'));
    expect(at('WORKDIR /app/services/api')).toBeGreaterThan(at('COPY services/api/ ./services/api/'));
    expect(at('USER 10001:10001')).toBeGreaterThan(at('WORKDIR /app/services/api'));
    expect(r).not.toContain('COPY . .');
    expect(runtime.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.json).toEqual([
      '/usr/local/bin/python3',
      '-m',
      'uvicorn',
      'app.main:app',
      '--host',
      '0.0.0.0',
      '--port',
      '8081',
    ]);
    // the context is the workspace root: every member's virtualenv stays out
    expect(ignore).toMatch(/^\*\*\/\.venv$/m);
  });

  it('without workspace dependencies: one install, no second sync', () => {
    const { dockerfile } = render(
      {},
      { 'services/api/pyproject.toml': API_PY.replace(/\[tool\.uv\.sources\][^]*$/, '') },
    );
    expect(dockerfile).toMatch(/--package api --no-install-workspace/);
    expect(dockerfile).not.toMatch(/--no-editable|COPY packages\/shared\/ /);
  });

  it('a build step runs in the member directory of the builder; the final image takes the member from there', () => {
    const { dockerfile } = render({ build: 'python -m compileall app' });
    const [deps, runtime] = parseDockerfile(dockerfile);
    const d = deps.instructions.map((i) => `${i.keyword} ${i.args}`);
    expect(d.indexOf('WORKDIR /app/services/api')).toBeGreaterThan(-1);
    expect(d[d.indexOf('WORKDIR /app/services/api') + 1]).toBe('COPY services/api/ ./');
    expect(runtime.instructions.map((i) => i.raw)).toContain('COPY --from=deps /app/services/api ./services/api/');
  });

  it('a member without a [project] name cannot be synced by name: refused naming --workspace', () => {
    const facts = detect(files());
    const { answers } = resolve(facts, { workspace: 'services/api' });
    const layout = python.layout(facts, answers, {});
    expect(() => python.dockerfile(answers, { ...layout, settings: {} })).toThrow(AnswerError);
    expect(() => python.dockerfile(answers, { ...layout, settings: {} })).toThrow(/--workspace: .*\[project\] name/);
  });
});

describe('inside a uv workspace member', () => {
  const member = '[project]\nname = "app"\ndependencies = ["fastapi[standard]"]\n';
  const main = 'from fastapi import FastAPI\napp = FastAPI()\n';
  it('its own Dockerfile syncs with the root uv.lock (a continuation line): the plan says to run at the root', () => {
    const f = detect({
      'pyproject.toml': member,
      'app/__init__.py': '',
      'app/main.py': main,
      Dockerfile:
        'FROM python:3.14\n# uv sync is documented below\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    uv sync --frozen --no-install-workspace --package app\n',
    });
    expect(f.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Dockerfile:4: --mount=type=bind,source=uv\.lock.*\(no uv\.lock in this directory\): this looks like a member of a uv workspace .* run init at the workspace root with --workspace <this directory>/,
        ),
      ]),
    );
  });

  it('a workspace source in [tool.uv.sources] says the same', () => {
    const f = detect({
      'pyproject.toml': `${member}[tool.uv.sources]\nshared = { workspace = true }\n`,
      'app/main.py': main,
    });
    expect(f.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^pyproject\.toml: \[tool\.uv\.sources\] shared = \{ workspace = true \}: this looks like a member of a uv workspace/,
        ),
      ]),
    );
  });

  it('a standalone uv project (its own uv.lock) gets no such note', () => {
    const f = detect({
      'pyproject.toml': member,
      'uv.lock': LOCK,
      'app/main.py': main,
      Dockerfile: 'FROM python:3.14\nRUN uv sync --frozen\n',
    });
    expect((f.notes ?? []).some((n) => n.includes('member of a uv workspace'))).toBe(false);
    expect(f.workspaceMembers).toBeUndefined();
  });
});

describe('servers a dependency brings', () => {
  it.each([
    [{ name: 'fastapi', extras: ['standard'] }, ['uvicorn']],
    [{ name: 'fastapi', extras: ['standard-no-fastapi-cloud-cli'] }, ['uvicorn']],
    [{ name: 'fastapi', extras: ['all'] }, ['uvicorn']],
    [{ name: 'fastapi', extras: [] }, []],
    [{ name: 'fastapi', extras: ['email'] }, []],
    [{ name: 'uvicorn-worker', extras: [] }, ['uvicorn', 'gunicorn']],
    [{ name: 'flask', extras: ['async'] }, []],
  ])('%j brings %j', (req, servers) => {
    expect(serversBroughtBy(req)).toEqual(servers);
  });

  it('uvicorn-worker: gunicorn and uvicorn are dependencies, no "not in dependencies" on the start', () => {
    const f = detect({
      'requirements.txt': 'fastapi\nuvicorn-worker\n',
      Procfile: 'web: gunicorn -k uvicorn_worker.UvicornWorker main:app\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    expect(f.start?.source).not.toMatch(/not in dependencies/);
    expect(f.start?.guess).toBeUndefined();
  });
});
