// The generated docs, run as written (issue 11 item 4): every ```sh block of README.Docker.md and
// secrets/README.md, for the sample apps, in the order a user follows them:
//   build (all Build blocks) -> create + open the secret files -> up, ps, curl -> rotate -> down
//   -> add a secret (upgrade, create its file, up) -> regenerate -> down -v
// and after each step what the docs promise is checked from outside (labels, health, secret contents).
//
// Who runs the commands: CI runs as root, and root can write any file, which hides exactly the bug a
// user meets (rotation failing with "Permission denied"). So every block runs as an unprivileged
// uid/gid (E2E_DOCS_UID, default 4242, no passwd entry needed) that owns the checkout and its HOME, in
// a clean environment, with `bash -e -o pipefail` (users paste into bash or zsh; -e makes any failing
// command fail the block). The container engine is rootful podman behind a socket that only that group
// may use, i.e. a user in the `docker` group of a rootful Docker. No block needs sudo.
// The blocks of one step run in one shell (like one terminal: the Build exports reach the builds);
// each step gets a new shell.
//
// Tools on PATH for that user (test shims, written to a temp dir):
//   docker  -> `docker compose ...` = docker-compose 1.29 (Compose v1; Debian has no v2 plugin),
//              `docker build ...` = `podman --remote build --format docker` (Docker keeps HEALTHCHECK),
//              anything else = `podman --remote ...`;
//   npx     -> `npx generator-secure-container ...` = this checkout's dist/bin (never the registry);
//   podman  is the real client, remote through CONTAINER_HOST (the same service).
// One app (go) runs with a remote and the Compose v1 spelling: its blocks get `docker compose` replaced
// by `docker-compose`, as the README tells v1 users, and the shim then refuses `docker compose`.
// The other (node, python) run in a repository without a remote.
//
// Skipped: a block whose first line is `# (needs …)` (the template marks what cannot run here: a systemd
// user session for rootless Podman, a Vault server, …). `# (needs the acl package)` runs when setfacl
// is installed. Every skipped block is printed, and a block that no step runs fails the test.
// Select: E2E_APPS=docs (this file only), E2E_DOCS_APPS=docs-node,docs-go (single apps); E2E_DOCS_UID.
// Vault/AWS READMEs are not run here (their Build/Run/Stop blocks are the same text, checked by
// test/render/readme-docker.test.ts; providers.test.ts runs those stacks with stubs).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

const UID = Number(process.env.E2E_DOCS_UID ?? 4242);
const SECRET = 'db_password';
const NEW_SECRET = 'new_secret';

interface DocsApp {
  name: string;
  runtime: h.App['runtime'];
  flavor: h.App['flavor'];
  port: number;
  runtimeVersion?: string;
  remote?: string;
  /** run the compose blocks with the Compose v1 spelling `docker-compose` */
  composeV1?: boolean;
}
const ALL: DocsApp[] = [
  { name: 'docs-node', runtime: 'node', flavor: 'distroless', port: 18111 },
  {
    name: 'docs-go',
    runtime: 'go',
    flavor: 'scratch',
    port: 18112,
    remote: 'https://example.invalid/acme/docs-go.git',
    composeV1: true,
  },
  { name: 'docs-python', runtime: 'python', flavor: 'distroless', port: 18113, runtimeVersion: '3.11' },
];
// E2E_APPS=docs selects this file (any other E2E_APPS selection skips it); E2E_APPS=docs-node,docs-go
// selects single apps, as does E2E_DOCS_APPS
const e2eApps = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const selected = [...e2eApps, ...(process.env.E2E_DOCS_APPS ?? '').split(',')].filter((n) => n.startsWith('docs-'));
const wanted = !e2eApps.length || e2eApps.some((n) => n === 'docs' || n.startsWith('docs-'));
const APPS = !wanted ? [] : selected.length ? ALL.filter((a) => selected.includes(a.name)) : ALL;

// ------------------------------------------------------------------ markdown

export interface Block {
  doc: string;
  /** the nearest heading above the block */
  heading: string;
  /** position in the document */
  index: number;
  text: string;
  /** `# (needs …)` on the first line */
  needs?: string;
}

export function shBlocks(md: string, doc: string): Block[] {
  const out: Block[] = [];
  let heading = '';
  let fence: { indent: number; lang: string; lines: string[] } | undefined;
  for (const line of md.split('\n')) {
    if (fence) {
      if (line.trim() === '```') {
        if (fence.lang === 'sh') {
          const text = fence.lines.join('\n') + '\n';
          const needs = /^# \(needs ([^)]*)\)/.exec(fence.lines[0] ?? '')?.[1];
          out.push({ doc, heading, index: out.length, text, ...(needs ? { needs } : {}) });
        }
        fence = undefined;
      } else fence.lines.push(line.slice(Math.min(fence.indent, line.length - line.trimStart().length)));
      continue;
    }
    const open = /^(\s*)```(\w*)\s*$/.exec(line);
    if (open) fence = { indent: open[1].length, lang: open[2], lines: [] };
    else if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '').trim();
  }
  return out;
}

/** Needs this machine can satisfy: the block runs when the probe succeeds. */
const SATISFIABLE: Record<string, string> = { 'the acl package': 'command -v setfacl' };

// ------------------------------------------------------------------ the user's shell

interface Env {
  dir: string;
  home: string;
  shims: string;
  socket: string;
  project: string;
  composeV1: boolean;
}

function writeShims(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    path.join(dir, 'docker'),
    `#!/bin/sh
# docs.test.ts shim: Docker CLI spellings on podman's remote client; \`docker compose\` = docker-compose 1.29
case "$1" in
  compose)
    [ "\${DOCS_COMPOSE_V2:-1}" = 1 ] || { echo "docker: 'compose' is not a docker command (Compose v1 only: use docker-compose)" >&2; exit 1; }
    shift; exec docker-compose "$@" ;;
  build) shift; exec podman --remote build --format docker "$@" ;;
  *) exec podman --remote "$@" ;;
esac
`,
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(dir, 'npx'),
    `#!/bin/sh
# docs.test.ts shim: the README's \`npx generator-secure-container\` runs this checkout's build
[ "$1" = generator-secure-container ] || { echo "npx shim: only generator-secure-container" >&2; exit 127; }
shift
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(h.BIN)} "$@"
`,
    { mode: 0o755 },
  );
}

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** indexes into the step's blocks that completed */
  done: number;
  ran: Block[];
  skipped: Block[];
}

const userEnv = (e: Env): Record<string, string> => ({
  PATH: `${e.shims}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin`,
  HOME: e.home,
  LANG: 'C.UTF-8',
  TERM: 'dumb',
  CONTAINER_HOST: `unix://${e.socket}`,
  DOCKER_HOST: `unix://${e.socket}`,
  BUILDAH_LAYERS: 'false',
  COMPOSE_PROJECT_NAME: e.project,
  COMPOSE_DOCKER_CLI_BUILD: '0',
  DOCS_COMPOSE_V2: e.composeV1 ? '0' : '1',
});

/** Run blocks in one `bash -e -o pipefail` as the unprivileged user; `values` feed the `read` prompts in order. */
function runStep(e: Env, name: string, list: Block[], values: string[] = []): StepResult {
  const work = fs.mkdtempSync(path.join(e.home, `step-${name}-`));
  const status = path.join(work, 'status');
  const queue = [...values];
  const ran: Block[] = [];
  const skipped: Block[] = [];
  const script = ['set -e -o pipefail', `cd ${JSON.stringify(e.dir)}`];
  for (const b of list) {
    if (
      b.needs &&
      !(
        SATISFIABLE[b.needs] &&
        execFileSync('sh', ['-c', `${SATISFIABLE[b.needs]} >/dev/null 2>&1 && echo y || true`])
          .toString()
          .trim() === 'y'
      )
    ) {
      skipped.push(b);
      continue;
    }
    const text = e.composeV1 ? b.text.replace(/\bdocker compose\b/g, 'docker-compose') : b.text;
    const reads = (text.match(/\bread -rs\b/g) ?? []).length;
    const input = path.join(work, `in-${ran.length}`);
    fs.writeFileSync(
      input,
      queue
        .splice(0, reads)
        .map((v) => v + '\n')
        .join(''),
    );
    script.push(
      `echo "begin ${ran.length}" >> ${JSON.stringify(status)}`,
      `{\n${text}} < ${JSON.stringify(input)}`,
      `echo "end ${ran.length}" >> ${JSON.stringify(status)}`,
    );
    ran.push(b);
  }
  const file = path.join(work, 'step.sh');
  fs.writeFileSync(file, script.join('\n') + '\n');
  execFileSync('chown', ['-R', `${UID}:${UID}`, work]);
  const r = h.run(
    'setpriv',
    [
      '--reuid',
      String(UID),
      '--regid',
      String(UID),
      '--clear-groups',
      'env',
      '-i',
      ...Object.entries(userEnv(e)).map(([k, v]) => `${k}=${v}`),
      'bash',
      file,
    ],
    { timeoutMs: 600_000 },
  );
  const st = fs.existsSync(status) ? fs.readFileSync(status, 'utf8') : '';
  const done = (st.match(/^end /gm) ?? []).length;
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, done, ran, skipped };
}

function mustStep(e: Env, name: string, list: Block[], values: string[] = []): StepResult {
  expect(list.length).toBeGreaterThan(0);
  const r = runStep(e, name, list, values);
  for (const b of r.skipped)
    console.log(`docs ${e.project}: skipped ${b.doc} "${b.heading}" block ${b.index} (needs ${b.needs})`);
  if (r.code !== 0) {
    const b = r.ran[r.done] as Block | undefined;
    throw new Error(
      `docs ${e.project}, step ${name}: ${b ? `${b.doc} "${b.heading}" block ${b.index} failed` : 'the shell failed'} (exit ${r.code})\n` +
        `--- block ---\n${b?.text ?? ''}--- stderr ---\n${r.stderr.trim().split('\n').slice(-30).join('\n')}\n--- stdout ---\n${r.stdout.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  return r;
}

// ------------------------------------------------------------------ the test

let ready = false;
let svc: { socket: string; stop: () => void } | undefined;
const timings: Record<string, Record<string, number>> = {};

if (!APPS.length) it.skip('no docs app selected by E2E_APPS / E2E_DOCS_APPS', () => undefined);

beforeAll(async () => {
  if (!APPS.length) return;
  h.checkTools();
  svc = await h.startGroupService(path.join(h.RUNROOT, `docs-${process.pid}`), UID);
  ready = true;
}, 120_000);

afterAll(() => {
  svc?.stop();
  if (svc) fs.rmSync(path.dirname(svc.socket), { recursive: true, force: true });
  if (Object.keys(timings).length)
    console.log(
      `docs timings:\n${Object.entries(timings)
        .map(
          ([a, t]) =>
            `${a.padEnd(12)} ${Object.entries(t)
              .map(([k, v]) => `${k}=${(v / 1000).toFixed(1)}s`)
              .join(' ')}`,
        )
        .join('\n')}`,
    );
});

describe.each(APPS.length ? APPS : [ALL[0]])('$name: README.Docker.md and secrets/README.md as written', (app) => {
  if (!APPS.length) return;
  const env = {} as Env;
  let docker: Block[] = [];
  let secrets: Block[] = [];
  const used = new Set<Block>();
  const values = { first: h.testSecret(), rotated: h.testSecret(), added: h.testSecret() };
  let service = '';
  let image = '';
  let head = '';
  let t0 = Date.now();
  let last = t0;
  const mark = (step: string): void => {
    const now = Date.now();
    (timings[app.name] ??= {})[step] = now - last;
    last = now;
  };
  const asRoot = (args: string[]): h.RunResult =>
    h.compose(env.dir, env.project, args, undefined, { DOCKER_HOST: `unix://${env.socket}` });
  const container = (): string =>
    h.containerOf(env.dir, env.project, service, undefined, { DOCKER_HOST: `unix://${env.socket}` });
  const secretHash = async (name: string): Promise<string> =>
    (await h.getJson(app.port, `/secret?name=${name}`)).sha256 as string;
  const pick = (list: Block[], heading: string, filter: (b: Block) => boolean = () => true): Block[] => {
    const got = list.filter((b) => b.heading === heading && filter(b));
    for (const b of got) used.add(b);
    return got;
  };
  const waitHealthy = async (): Promise<void> => {
    const c = container();
    const test = (h.readCompose(env.dir).services[service].healthcheck?.test ?? []) as string[];
    await h.healthyByHand(c, test, 60_000);
  };

  beforeAll(() => {
    if (!ready || !svc) throw new Error('e2e: container tooling not ready (see the first failure)');
    t0 = last = Date.now();
    env.dir = h.copyApp({ name: app.name, runtime: app.runtime });
    env.home = fs.mkdtempSync(path.join(h.E2E_ROOT, 'runs', `${app.name}-home-`));
    env.shims = path.join(env.home, 'bin');
    env.socket = svc.socket;
    env.project = app.name;
    env.composeV1 = app.composeV1 === true;
    writeShims(env.shims);
    h.generate(env.dir, [
      '--runtime',
      app.runtime,
      '--flavor',
      app.flavor,
      '--port',
      String(app.port),
      '--name',
      app.name,
      '--data-dir',
      '/data',
      '--secret',
      SECRET,
      '--secret-provider',
      'file',
      '--health-path',
      '/healthz',
      ...(app.runtimeVersion ? ['--runtime-version', app.runtimeVersion] : []),
    ]);
    h.ensureImages(
      h.readDockerfile(fs.readFileSync(path.join(env.dir, 'Dockerfile'), 'utf8')).baseImages,
      `${app.name}/Dockerfile`,
    );
    const git = (...args: string[]): string =>
      h
        .must('git', ['-c', 'user.name=docs', '-c', 'user.email=docs@example.invalid', ...args], { cwd: env.dir })
        .stdout.trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'app + generated container files');
    if (app.remote) git('remote', 'add', 'origin', app.remote);
    head = git('rev-parse', 'HEAD');
    h.must('chown', ['-R', `${UID}:${UID}`, env.dir, env.home]);
    docker = shBlocks(fs.readFileSync(path.join(env.dir, 'README.Docker.md'), 'utf8'), 'README.Docker.md');
    secrets = shBlocks(fs.readFileSync(path.join(env.dir, 'secrets', 'README.md'), 'utf8'), 'secrets/README.md');
    const c = h.readCompose(env.dir);
    service = Object.keys(c.services).find((s) => c.services[s].build !== undefined)!;
    image = String(c.services[service].image);
    mark('generate');
  }, 120_000);

  afterAll(() => {
    if (env.dir) asRoot(['down', '-v', '--remove-orphans', '-t', '2']);
    if (image) h.run('podman', ['rmi', '-f', image, `${app.name}:${head.slice(0, 7)}`]);
    // the earlier builds of the Build step lost their tags to the later ones: remove them by their title label
    const stale = h
      .run('podman', [
        'images',
        '-q',
        '--filter',
        'dangling=true',
        '--filter',
        `label=org.opencontainers.image.title=${app.name}`,
      ])
      .stdout.split('\n')
      .filter(Boolean);
    if (stale.length) h.run('podman', ['rmi', '-f', ...new Set(stale)]);
    if (process.env.E2E_KEEP !== '1') {
      for (const d of [env.dir, env.home]) if (d) fs.rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);

  it('Build: the exports, docker build, podman build and compose build all run and stamp the labels', () => {
    const r = mustStep(env, 'build', pick(docker, 'Build'));
    mark('build');
    // git must not complain either (the old README ran `git remote get-url origin` without a fallback)
    expect(r.stderr).not.toMatch(/^(fatal|error):/m);
    const labels = JSON.parse(
      h.must('podman', ['image', 'inspect', '--format', '{{json .Config.Labels}}', image]).stdout,
    ) as Record<string, string>;
    expect(labels['org.opencontainers.image.revision']).toBe(head);
    expect(labels['org.opencontainers.image.source']).toBe(app.remote ?? 'unknown');
    expect(labels['org.opencontainers.image.version']).toBe(head.slice(0, 7));
    // the podman/docker builds also tagged the short SHA, with the same labels
    const sha = JSON.parse(
      h.must('podman', ['image', 'inspect', '--format', '{{json .Config.Labels}}', `${app.name}:${head.slice(0, 7)}`])
        .stdout,
    ) as Record<string, string>;
    expect(sha['org.opencontainers.image.source']).toBe(app.remote ?? 'unknown');
    expect(sha['org.opencontainers.image.version']).toBe(head.slice(0, 7));
    expect(sha['org.opencontainers.image.revision']).toBe(head);
    const hc = JSON.parse(
      h.must('podman', [
        'image',
        'inspect',
        '--format',
        '{{json .Config.Healthcheck}}',
        `${app.name}:${head.slice(0, 7)}`,
      ]).stdout,
    );
    expect(hc?.Test?.[0]).toBe('CMD');
  });

  it('secrets/README.md: create the files and open them for the container (as the user)', () => {
    mustStep(
      env,
      'secrets',
      [...pick(secrets, 'Create the files'), ...pick(secrets, 'Make them readable by the container')],
      [values.first],
    );
    mark('secrets');
    const st = fs.statSync(path.join(env.dir, 'secrets', SECRET));
    expect(st.uid).toBe(UID);
    expect(fs.readFileSync(path.join(env.dir, 'secrets', SECRET), 'utf8')).toBe(values.first);
    expect(fs.statSync(path.join(env.dir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('Run: up, ps and curl; the app is healthy and reads the secret', async () => {
    mustStep(env, 'run', pick(docker, 'Run'));
    await waitHealthy();
    expect(await secretHash(SECRET)).toBe(h.sha256(values.first));
    mark('run');
  });

  it('secrets/README.md: rotate (the user writes the file in place, then recreate)', async () => {
    mustStep(env, 'rotate', pick(secrets, 'Rotate a secret'), [values.rotated]);
    await waitHealthy();
    expect(await secretHash(SECRET)).toBe(h.sha256(values.rotated));
    mark('rotate');
  });

  it('Stop: down removes the containers and keeps the volume', () => {
    mustStep(
      env,
      'down',
      pick(docker, 'Stop and clean up', (b) => !/down -v/.test(b.text)),
    );
    expect(asRoot(['ps', '-q']).stdout.trim()).toBe('');
    expect(h.run('podman', ['volume', 'exists', `${app.name}_${app.name}-data`]).code).toBe(0);
    mark('down');
  });

  it('Add a secret: upgrade says what to create, the file is created, up reads it; the suggestion stays valid', async () => {
    const [upgrade, ...rest] = pick(docker, 'Add a secret');
    expect(upgrade.text).toContain(`--secret ${SECRET},${NEW_SECRET}`);
    const r = mustStep(env, 'add-upgrade', [upgrade]);
    expect(r.stdout).toContain(`next: create secrets/${NEW_SECRET} `);
    expect(r.stdout).not.toContain(`secrets/${SECRET} `);
    mustStep(env, 'add-file', rest, [values.added]);
    await waitHealthy();
    expect(await secretHash(NEW_SECRET)).toBe(h.sha256(values.added));
    // following the same suggestion again is accepted (nothing new), and the regenerated README
    // suggests a list without a repeated name
    mustStep(env, 'add-again', [upgrade]);
    const again = shBlocks(fs.readFileSync(path.join(env.dir, 'README.Docker.md'), 'utf8'), 'README.Docker.md').filter(
      (b) => b.heading === 'Add a secret',
    )[0];
    const names = /--secret (\S+)/.exec(again.text)![1].split(',');
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([SECRET, NEW_SECRET, `${NEW_SECRET}_2`]);
    mark('add');
  });

  it('Regenerate: the upgrade command runs', () => {
    mustStep(env, 'regenerate', pick(docker, 'Regenerate'));
    mark('regenerate');
  });

  it('Clean up: down -v removes containers and volumes', () => {
    mustStep(
      env,
      'clean',
      pick(docker, 'Stop and clean up', (b) => /down -v/.test(b.text)),
    );
    expect(asRoot(['ps', '-aq']).stdout.trim()).toBe('');
    expect(h.run('podman', ['volume', 'exists', `${app.name}_${app.name}-data`]).code).not.toBe(0);
    mark('clean');
  });

  it('every sh block of both documents was run by a step or is marked "# (needs …)"', () => {
    const orphans = [...docker, ...secrets].filter((b) => !used.has(b) && !b.needs);
    expect(orphans.map((b) => `${b.doc} "${b.heading}" block ${b.index}:\n${b.text}`)).toEqual([]);
    const marked = [...docker, ...secrets]
      .filter((b) => b.needs)
      .map((b) => `${b.doc} "${b.heading}": needs ${b.needs}`);
    console.log(
      `docs ${app.name}: blocks marked "# (needs …)" (run only when the need is met here, see the skipped lines):\n  ${marked.join('\n  ')}\ntotal ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );
  });
});
