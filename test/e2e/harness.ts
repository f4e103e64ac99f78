// End-to-end harness: runs the generator on a sample app, builds the image with podman/buildah, runs it
// with docker-compose 1.29 against `podman system service`, and gives the test the handles to probe it.
// All container state lives in a project-private store configured by test/e2e/setup.sh (E2E_ROOT).
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';

/** repo root: this file runs as dist/test/e2e/harness.js */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const APPS_DIR = path.join(REPO, 'test', 'e2e', 'apps');
export const E2E_ROOT = process.env.E2E_ROOT ?? '/var/tmp/secure-container-e2e';
export const RUNROOT = process.env.E2E_RUNROOT ?? '/run/secure-container-e2e';
export const REAL_IMAGES = process.env.E2E_REAL_IMAGES === '1';
export const SOCKET = path.join(RUNROOT, 'podman-e2e.sock');
export const BIN = path.join(REPO, 'dist', 'bin', 'secure-container.js');

/** Environment for every podman / docker-compose call: private config, docker-format builds, no layers. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const conf = path.join(E2E_ROOT, 'etc');
  return {
    ...process.env,
    CONTAINERS_CONF: path.join(conf, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(conf, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(conf, 'registries.conf'),
    BUILDAH_FORMAT: 'docker',
    BUILDAH_LAYERS: 'false',
    DOCKER_HOST: `unix://${SOCKET}`,
    COMPOSE_DOCKER_CLI_BUILD: '0',
    ...extra,
  };
}

export interface RunResult {
  cmd: string;
  code: number;
  stdout: string;
  stderr: string;
}
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  /** default 10 minutes */
  timeoutMs?: number;
  /** binary output (podman save) goes to a file, never to memory */
  maxBuffer?: number;
}

/** Run a command; never throws (the caller decides). */
export function run(cmd: string, args: string[], opts: RunOptions = {}): RunResult {
  // the types say string output, but stdout and stderr are null when the command could not be spawned at all
  const r: SpawnSyncReturns<string | null> = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: toolEnv(opts.env),
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024,
  });
  const line = [cmd, ...args].map((a) => (/^[\w./:=@,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  return {
    cmd: line,
    code: r.status ?? (r.error ? 127 : 1),
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : ''),
  };
}

/** Run and throw a readable error (command, exit code, tail of stderr/stdout) on failure. */
export function must(cmd: string, args: string[], opts: RunOptions = {}, what = ''): RunResult {
  const r = run(cmd, args, opts);
  if (r.code !== 0) throw new Error(failure(what || `command failed`, r));
  return r;
}

export function failure(what: string, r: RunResult): string {
  const tail = (s: string): string => s.trim().split('\n').slice(-40).join('\n');
  return `${what}\n  $ ${r.cmd}${r.cmd.length > 0 ? '' : ''}\n  exit ${r.code}\n  --- stderr ---\n${tail(r.stderr)}\n  --- stdout ---\n${tail(r.stdout)}`;
}

// ------------------------------------------------------------------ tools & service

const TOOLS: [string, string[]][] = [
  ['podman', ['--version']],
  ['buildah', ['--version']],
  ['docker-compose', ['version', '--short']],
  ['ss', ['-V']],
];

/** Fails (never skips) with one clear message when the container tools or the private config are missing. */
export function checkTools(): void {
  const missing = TOOLS.filter(([c, a]) => run(c, a).code !== 0).map(([c]) => c);
  const conf = path.join(E2E_ROOT, 'etc', 'containers.conf');
  const problems: string[] = [];
  if (missing.length) problems.push(`missing tools: ${missing.join(', ')}`);
  if (!fs.existsSync(conf)) problems.push(`missing private containers config ${conf}`);
  if (problems.length) {
    throw new Error(
      `e2e: container tooling is not ready (${problems.join('; ')}).\n` +
        `Run as root: bash test/e2e/setup.sh   (installs podman/buildah/runc/docker-compose, writes the config under ` +
        `E2E_ROOT=${E2E_ROOT} and builds the stand-in base images), then npm run test:e2e.`,
    );
  }
}

function ping(socket: string = SOCKET): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

let service: ChildProcess | undefined;
/** Start `podman system service` on a private socket for docker-compose (idempotent). */
export async function startService(): Promise<void> {
  if (await ping()) return;
  fs.mkdirSync(RUNROOT, { recursive: true });
  fs.rmSync(SOCKET, { force: true });
  const log = fs.openSync(path.join(E2E_ROOT, 'podman-service.log'), 'a');
  service = spawn('podman', ['system', 'service', '--time=0', `unix://${SOCKET}`], {
    env: toolEnv(),
    stdio: ['ignore', log, log],
    detached: true,
  });
  service.unref();
  for (let i = 0; i < 100; i++) {
    if (await ping()) return;
    await sleep(100);
  }
  throw new Error(`podman system service did not answer on ${SOCKET} (see ${E2E_ROOT}/podman-service.log)`);
}
export function stopService(): void {
  if (service?.pid) {
    try {
      process.kill(service.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  service = undefined;
}

/**
 * A separate `podman system service` (same private store) on dir/podman.sock, usable by one unprivileged
 * group: like a user in the `docker` group talking to a rootful Docker daemon (test/e2e/docs.test.ts runs
 * the README commands as such a user). dir is created root:gid 0750, the socket root:gid 0660.
 */
export async function startGroupService(dir: string, gid: number): Promise<{ socket: string; stop: () => void }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  fs.chownSync(dir, 0, gid);
  fs.chmodSync(dir, 0o750);
  const socket = path.join(dir, 'podman.sock');
  fs.rmSync(socket, { force: true });
  const log = fs.openSync(path.join(E2E_ROOT, 'podman-service-docs.log'), 'a');
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env: toolEnv(),
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  const stop = (): void => {
    try {
      if (child.pid) process.kill(child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  for (let i = 0; i < 100 && !(await ping(socket)); i++) await sleep(100);
  if (!(await ping(socket))) {
    stop();
    throw new Error(`podman system service did not answer on ${socket} (see ${E2E_ROOT}/podman-service-docs.log)`);
  }
  fs.chownSync(socket, 0, gid);
  fs.chmodSync(socket, 0o660);
  return { socket, stop };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ Dockerfile / compose reading

export interface DockerfileFacts {
  /** external base images (stage references and `scratch` resolved away), ARG defaults substituted */
  baseImages: string[];
  /** final stage: USER instruction argument, EXPOSE ports, ARG names declared anywhere */
  finalUser: string | undefined;
  expose: string[];
  args: string[];
  healthcheck: string | undefined;
}

/** Parse the generated Dockerfile with dockerfile-ast (FROM lines, ARG defaults, USER of the final stage). */
export function readDockerfile(text: string): DockerfileFacts {
  const df = DockerfileParser.parse(text);
  const argDefaults = new Map<string, string>();
  for (const a of df.getInitialARGs()) {
    const p = a.getProperty();
    if (p?.getValue() != null) argDefaults.set(p.getName(), p.getValue()!);
  }
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const f of df.getFROMs()) {
    let img = f.getImage() ?? '';
    img = img.replace(/\$\{?(\w+)(?::-[^}]*)?\}?/g, (m, n: string) => argDefaults.get(n) ?? m);
    if (!stages.has(img) && img !== 'scratch' && !bases.includes(img)) bases.push(img);
    const name = f.getBuildStage();
    if (name) stages.add(name);
  }
  const instrs = df.getInstructions();
  const lastFrom = [...instrs].reverse().find((i) => i.getKeyword() === 'FROM');
  const finalInstrs = lastFrom ? instrs.slice(instrs.indexOf(lastFrom)) : instrs;
  const last = (kw: string): string | undefined =>
    [...finalInstrs]
      .reverse()
      .find((i) => i.getKeyword() === kw)
      ?.getArgumentsContent() ?? undefined;
  return {
    baseImages: bases,
    finalUser: last('USER'),
    expose: finalInstrs
      .filter((i) => i.getKeyword() === 'EXPOSE')
      .flatMap((i) => i.getArguments().map((a) => a.getValue())),
    args: instrs
      .filter((i) => i.getKeyword() === 'ARG')
      .map((i) => (i.getArgumentsContent() ?? '').split('=')[0].trim()),
    healthcheck: last('HEALTHCHECK'),
  };
}

/** The compose file as plain data (docker-compose validates it for real later). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- compose is open-ended YAML; tests pick fields
export type Compose = Record<string, any>;
export function readCompose(dir: string): Compose {
  return parseYaml(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')) as Compose;
}

/** Short names resolve to docker.io/library like Docker does. */
export function qualify(ref: string): string {
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** Every base image must exist locally (stand-in) unless a real registry is used. */
export function ensureImages(refs: string[], context: string): void {
  if (REAL_IMAGES) return;
  const missing = refs.filter((r) => run('podman', ['image', 'exists', qualify(r)]).code !== 0);
  if (missing.length) {
    throw new Error(
      `e2e: no stand-in for image ${missing.join(', ')} (needed by ${context}).\n` +
        `Add it to test/e2e/setup.sh (images_* / alias_tags) and re-run it, or set E2E_REAL_IMAGES=1 where a registry is reachable.`,
    );
  }
}

// ------------------------------------------------------------------ generator / build / compose

export interface App {
  /** test name, e.g. node-distroless: one per runtime x flavour */
  name: string;
  /** the sample app (test/e2e/apps/<runtime>) is the same for every flavour of a runtime */
  runtime: 'node' | 'python' | 'go';
  flavor: 'distroless' | 'alpine' | 'scratch';
  port: number;
  /** runtime version flag, when detection should not decide */
  runtimeVersion?: string;
}

export const APPS: App[] = [
  { name: 'node-distroless', runtime: 'node', flavor: 'distroless', port: 18081 },
  { name: 'node-alpine', runtime: 'node', flavor: 'alpine', port: 18082 },
  { name: 'python-distroless', runtime: 'python', flavor: 'distroless', port: 18083, runtimeVersion: '3.11' },
  { name: 'python-alpine', runtime: 'python', flavor: 'alpine', port: 18084, runtimeVersion: '3.12' },
  { name: 'go-distroless', runtime: 'go', flavor: 'distroless', port: 18085 },
  { name: 'go-alpine', runtime: 'go', flavor: 'alpine', port: 18086 },
  { name: 'go-scratch', runtime: 'go', flavor: 'scratch', port: 18087 },
];

/** Fresh copy of the runtime's sample app in a temp dir under E2E_ROOT, named after the test. */
export function copyApp(app: Pick<App, 'name' | 'runtime'>): string {
  const base = path.join(E2E_ROOT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${app.name}-`));
  fs.cpSync(path.join(APPS_DIR, app.runtime), dir, { recursive: true });
  return dir;
}

/** Run the generator's bin non-interactively in dir. */
export function generate(dir: string, flags: string[]): RunResult {
  if (!fs.existsSync(BIN)) {
    throw new Error(`e2e: the generator bin ${BIN} does not exist: run \`npm run build\` first`);
  }
  return must(process.execPath, [BIN, 'init', '--yes', ...flags], { cwd: dir, timeoutMs: 120_000 }, 'generator failed');
}

/** Values for the OCI-label build args the Dockerfile declares (names vary: match by meaning). */
export function buildArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of new Set(args)) {
    let v: string | undefined;
    if (/created|date/i.test(a)) v = '2024-01-01T00:00:00Z';
    else if (/revision|sha|commit|vcs_ref/i.test(a)) v = '0123456789abcdef0123456789abcdef01234567';
    else if (/version/i.test(a) && !/node|python|go|alpine/i.test(a)) v = '0.0.0-e2e';
    else if (/source|url/i.test(a)) v = 'https://example.invalid/e2e';
    if (v) out.push('--build-arg', `${a}=${v}`);
  }
  return out;
}

export interface BuildOptions {
  layers?: boolean;
  noCache?: boolean;
  file?: string;
  extra?: string[];
}
/** podman build --pull=never --format docker (keeps HEALTHCHECK). */
export function build(dir: string, tag: string, df: DockerfileFacts, o: BuildOptions = {}): RunResult {
  const args = ['build', '--pull=never', '--format', 'docker', `--layers=${o.layers ? 'true' : 'false'}`, '-t', tag];
  if (o.noCache) args.push('--no-cache');
  if (o.file) args.push('-f', o.file);
  args.push(...buildArgs(df.args), ...(o.extra ?? []), '.');
  return must('podman', args, { cwd: dir, timeoutMs: 900_000 }, `podman build of ${dir} failed`);
}

export function compose(
  dir: string,
  project: string,
  args: string[],
  files: string[] = ['compose.yaml'],
  env: Record<string, string> = {},
): RunResult {
  return run('docker-compose', ['--ansi', 'never', '-p', project, ...files.flatMap((f) => ['-f', f]), ...args], {
    cwd: dir,
    env,
    timeoutMs: 300_000,
  });
}
export function composeMust(
  dir: string,
  project: string,
  args: string[],
  files?: string[],
  env?: Record<string, string>,
): RunResult {
  const r = compose(dir, project, args, files, env);
  if (r.code !== 0) throw new Error(failure(`docker-compose ${args.join(' ')} failed`, r));
  return r;
}

/** Container id of a compose service (running or not). */
export function containerOf(
  dir: string,
  project: string,
  serviceName: string,
  files?: string[],
  env?: Record<string, string>,
): string {
  const id = composeMust(dir, project, ['ps', '-q', serviceName], files, env).stdout.trim().split('\n')[0] ?? '';
  if (!id) throw new Error(`no container for service ${serviceName} in project ${project}`);
  return id;
}

// ------------------------------------------------------------------ probing

export interface HttpResult {
  status: number;
  body: string;
}
export function httpGet(host: string, port: number, p: string, timeoutMs = 3000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: p, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
  });
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the sample app
export async function getJson(port: number, p: string): Promise<any> {
  const r = await httpGet('127.0.0.1', port, p);
  if (r.status !== 200) throw new Error(`GET ${p} -> ${r.status}: ${r.body}`);
  return JSON.parse(r.body);
}
/** Wait until the app answers on 127.0.0.1:port; on timeout include the container logs. */
export async function waitForApp(port: number, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await httpGet('127.0.0.1', port, '/healthz', 1000);
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `app did not answer on 127.0.0.1:${port} within ${timeoutMs} ms (last: ${last})\n--- logs ---\n${logs()}`,
  );
}

/** TCP connect result: true = accepted. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/healthz', timeout: 1500, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Local addresses with a listening TCP socket on port (from `ss -ltnH`). */
export function listeners(port: number): string[] {
  const out = must('ss', ['-ltnH']).stdout;
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[3] ?? '')
    .filter((a) => a.endsWith(`:${port}`))
    .map((a) => a.slice(0, a.length - `:${port}`.length));
}
/** Non-loopback IPv4/IPv6 addresses of this host. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal && !i.address.startsWith('fe80'))
    .map((i) => i.address);
}

/** Paths in the final image's filesystem (podman create + export), normalised without a leading "./" or "/". */
export function imagePaths(image: string, workdir: string): Set<string> {
  const name = `e2e-export-${randomBytes(4).toString('hex')}`;
  must('podman', ['create', '--name', name, image]);
  const tar = path.join(workdir, `${name}.tar`);
  try {
    must('podman', ['export', '-o', tar, name]);
    const list = must('tar', ['-tf', tar]).stdout;
    return new Set(
      list
        .split('\n')
        .filter(Boolean)
        .map((p) => p.replace(/^\.?\//, '').replace(/\/$/, '')),
    );
  } finally {
    run('podman', ['rm', '-f', name]);
    fs.rmSync(tar, { force: true });
  }
}

const BIN_DIRS = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'usr/local/bin', 'usr/local/sbin'];
export const PACKAGE_MANAGERS = [
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'corepack',
  'pip',
  'pip3',
  'pipenv',
  'poetry',
  'apk',
  'apt',
  'apt-get',
  'dpkg',
  'yum',
  'dnf',
  'microdnf',
];
export const SHELLS = ['sh', 'bash', 'ash', 'dash', 'busybox'];
/** Which of names exist in a bin dir of the image (also pip3.X and python package dirs for pip). */
export function findExecutables(paths: Set<string>, names: string[]): string[] {
  const found: string[] = [];
  for (const p of paths) {
    const dir = path.posix.dirname(p);
    const base = path.posix.basename(p);
    const inBin = BIN_DIRS.includes(dir) || /(^|\/)(venv|\.venv)\/bin$/.test(dir) || /^opt\/[^/]+\/bin$/.test(dir);
    if (inBin && (names.includes(base) || (names.includes('pip') && /^pip3(\.\d+)?$/.test(base)))) found.push(p);
    if (names.includes('pip') && /(site|dist)-packages\/pip$/.test(p)) found.push(p);
    if (names.includes('npm') && /node_modules\/npm$/.test(p)) found.push(p);
  }
  return found.sort();
}

/** podman save the image and look for a byte string in every layer (layers decompressed when gzipped). */
export function layersContaining(image: string, needle: string, workdir: string): { layers: number; hits: string[] } {
  const dir = fs.mkdtempSync(path.join(workdir, 'save-'));
  try {
    const tar = path.join(dir, 'image.tar');
    must('podman', ['save', '--format', 'docker-archive', '-o', tar, image]);
    const x = path.join(dir, 'x');
    fs.mkdirSync(x);
    must('tar', ['-xf', tar, '-C', x]);
    const needleBuf = Buffer.from(needle);
    const hits: string[] = [];
    let layers = 0;
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) {
          let buf = fs.readFileSync(p);
          if (buf[0] === 0x1f && buf[1] === 0x8b)
            buf = Buffer.from(spawnSync('gzip', ['-dc', p], { maxBuffer: 2 ** 31 }).stdout);
          if (/\.tar$|layer/.test(e.name)) layers++;
          if (buf.includes(needleBuf)) hits.push(path.relative(x, p));
        }
      }
    };
    walk(x);
    return { layers, hits };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
/** A recognisable, random test secret value (never a real secret). */
export const testSecret = (): string => `e2e-secret-${randomBytes(12).toString('hex')}`;

/** Run a compose/Docker healthcheck test (["CMD", argv...] or ["CMD-SHELL", cmd]) in a running container. */
export function execProbe(container: string, test: string[]): RunResult {
  const argv = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
  return run('podman', ['exec', container, ...argv]);
}

/** The healthcheck test podman stored for a container. */
export function storedHealthcheck(container: string): string[] {
  const j = JSON.parse(
    must('podman', ['inspect', '--format', '{{json .Config.Healthcheck}}', container]).stdout || 'null',
  );
  return (j?.Test as string[] | undefined) ?? [];
}

/**
 * podman 4.3's Docker-compatible API (what docker-compose talks to) splits every healthcheck argument
 * on whitespace: ["CMD","/bin/sh","-c","test -s /x"] is stored as ["CMD","/bin/sh","-c","test","-s","/x"].
 * True when the stored test is exactly that mangling of the declared one.
 */
export function mangledByPodmanCompat(declared: string[], stored: string[]): boolean {
  const split = declared.flatMap((a) => a.split(/\s+/).filter(Boolean));
  return JSON.stringify(stored) !== JSON.stringify(declared) && JSON.stringify(stored) === JSON.stringify(split);
}

/**
 * Periodic health checks do not run on these machines (podman schedules them with systemd timers), and
 * podman 4.3's compat API mangles compose healthchecks whose arguments contain spaces (see above): run
 * the DECLARED probe by hand until it passes, which is what the healthcheck would do.
 */
export async function healthyByHand(container: string, test: string[], timeoutMs = 90_000): Promise<RunResult> {
  const end = Date.now() + timeoutMs;
  let r = execProbe(container, test);
  while (r.code !== 0 && Date.now() < end) {
    await sleep(1000);
    r = execProbe(container, test);
  }
  if (r.code !== 0) {
    const logs = run('podman', ['logs', '--tail', '30', container]);
    throw new Error(
      failure(`container ${container} never became healthy`, r) + `\n--- logs ---\n${logs.stdout}${logs.stderr}`,
    );
  }
  return r;
}

/** Make sure the stand-in for a sidecar image exists: builds it with setup.sh (vault stub / aws-cli). */
export function ensureSidecarImage(ref: string): void {
  if (REAL_IMAGES || run('podman', ['image', 'exists', qualify(ref)]).code === 0) return;
  const isVault = /hashicorp\/vault/.test(ref);
  const isAws = /amazon\/aws-cli/.test(ref);
  if (!isVault && !isAws) throw new Error(`e2e: no stand-in for image ${ref}`);
  must(
    'bash',
    [path.join(REPO, 'test', 'e2e', 'setup.sh'), 'sidecars'],
    {
      env: { E2E_VAULT_IMAGES: isVault ? ref : '', E2E_AWS_IMAGES: isAws ? ref : '' },
      timeoutMs: 600_000,
    },
    `building the stand-in for ${ref} failed`,
  );
}
