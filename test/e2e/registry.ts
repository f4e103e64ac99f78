// A real image registry for the e2e suite: Debian's `docker-registry` (the CNCF distribution registry,
// installed by test/e2e/setup.sh) started by the test itself as an unprivileged process on
// 127.0.0.1:<free port>, with its config and filesystem storage in a temp dir (no system service, no
// TLS, no auth). Stand-in images are pushed to it with `skopeo copy`, under the layout the generator's
// `--registry <host>/mirror` writes (lib/core/registry.ts: <prefix>/<upstream registry>/<path>:<tag>).
//
// isolatedStore() gives podman a SEPARATE, empty image store whose registries.conf reaches only this
// registry (every public registry blocked, no unqualified-search registries): a build there can only
// get its base images from the mirror. test/e2e/mirror.test.ts uses both; the digest-pinning tests
// reuse them (push an image, read its manifest digest, build with the pinned reference).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as h from './harness.js';

/** Public registries an isolated store must never reach (pulls fail with "registry X is blocked"). */
export const BLOCKED_REGISTRIES = [
  'docker.io',
  'registry-1.docker.io',
  'index.docker.io',
  'gcr.io',
  'ghcr.io',
  'quay.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.access.redhat.com',
  'registry.redhat.io',
  'registry.fedoraproject.org',
  'docker.elastic.co',
  'cgr.dev',
];

/** One line of the registry's access log that matters to a test. */
export interface RegistryRequest {
  method: string;
  uri: string;
  status: number;
  /** User-Agent: skopeo/… for pushes, containers/… or libpod/… for podman's pulls */
  agent: string;
}

export interface Registry {
  /** 127.0.0.1:<port> */
  host: string;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** temp dir holding config.yml, data/ (the storage) and registry.log */
  dir: string;
  /**
   * Copy an image into the registry with skopeo. `source` is a local image name in the e2e store
   * (containers-storage transport, or `docker://…` verbatim); `dest` a repository path with tag, e.g.
   * `mirror/docker.io/library/node:24-bookworm-slim`. Returns `<host>/<dest>`.
   */
  push: (source: string, dest: string) => string;
  /** `<host>/<prefix>/<canonical upstream ref>`: what `--registry <host>/<prefix>` makes of `upstream`. */
  mirrorRef: (upstream: string, prefix?: string) => string;
  /** Push the local stand-in of `upstream` to its mirror path; returns the mirror reference. */
  mirror: (upstream: string, prefix?: string) => string;
  /** GET /v2/_catalog: every repository in the registry. */
  catalog: () => Promise<string[]>;
  /** GET /v2/<repo>/tags/list */
  tags: (repo: string) => Promise<string[]>;
  /** HEAD /v2/<repo>/manifests/<tag>: the Docker-Content-Digest (sha256:…) of a tag. */
  digest: (repo: string, tag: string) => Promise<string>;
  /** Requests the registry logged so far (access log), oldest first. */
  requests: () => RegistryRequest[];
  /** Stop the process; removes dir unless E2E_KEEP=1. */
  stop: () => Promise<void>;
}

/** A port nobody listens on right now (the registry may still lose a race: start() retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
  });
}

function request(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 5000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 4 * 1024 * 1024) body += c;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.end();
  });
}

/** uid/gid the registry runs as when the suite runs as root (CI): nobody. */
const UNPRIVILEGED = 65534;

const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

/** Stop a child: SIGTERM, then SIGKILL after 5 s. */
async function terminate(c: ChildProcess): Promise<void> {
  if (!running(c)) return;
  const gone = new Promise<void>((resolve) => {
    c.once('exit', () => {
      resolve();
    });
  });
  c.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
  clearTimeout(timer);
  if (running(c)) c.kill('SIGKILL');
}

/** One start of `docker-registry serve`: the child once GET /v2/ answers 200, else undefined (stopped). */
async function serve(
  config: string,
  logFile: string,
  port: number,
  asRoot: boolean,
): Promise<ChildProcess | undefined> {
  const log = fs.openSync(logFile, 'a');
  const c = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', log, log],
    ...(asRoot ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {}),
  });
  c.unref();
  fs.closeSync(log);
  for (let i = 0; i < 100 && running(c); i++) {
    const ok = await request(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return c;
    await h.sleep(100);
  }
  await terminate(c);
  return undefined;
}

/**
 * Start `docker-registry serve` on 127.0.0.1:<free port>, storage in a temp dir under base (default
 * $E2E_ROOT/runs), and wait until GET /v2/ answers 200. Run as root, the registry process runs as
 * uid/gid 65534 and owns only its temp dir.
 */
export async function startRegistry(base = path.join(h.E2E_ROOT, 'runs')): Promise<Registry> {
  if (h.run('docker-registry', ['--version']).code !== 0) {
    throw new Error('e2e: docker-registry is missing: run test/e2e/setup.sh (installs docker-registry and skopeo)');
  }
  if (h.run('skopeo', ['--version']).code !== 0) {
    throw new Error('e2e: skopeo is missing: run test/e2e/setup.sh (installs docker-registry and skopeo)');
  }
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'registry-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const asRoot = process.getuid?.() === 0;
  const logFile = path.join(dir, 'registry.log');

  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    // yaml, written by hand: every value is ours (paths under E2E_ROOT, a number)
    fs.writeFileSync(
      path.join(dir, 'config.yml'),
      [
        '# e2e mirror registry (test/e2e/registry.ts): local only, no TLS, no auth',
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: false',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${JSON.stringify(data)}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: 127.0.0.1:${port}`,
        // a fixed secret silences the warning; it only signs upload state of this throwaway registry
        '  secret: e2e-local-only',
        '',
      ].join('\n'),
    );
    if (asRoot) {
      for (const p of [dir, data, path.join(dir, 'config.yml')]) fs.chownSync(p, UNPRIVILEGED, UNPRIVILEGED);
    }
    child = await serve(path.join(dir, 'config.yml'), logFile, port, asRoot);
  }
  if (!child) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`e2e: docker-registry did not answer GET /v2/ on 127.0.0.1:${port}\n${tail}`);
  }
  const proc = child;
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;

  const push = (source: string, dest: string): string => {
    const transport = /^(containers-storage|docker|docker-archive|docker-daemon|oci|oci-archive|dir):/;
    const src = transport.test(source) ? source : `containers-storage:${source}`;
    h.must(
      'skopeo',
      ['copy', '--quiet', '--dest-tls-verify=false', src, `docker://${host}/${dest}`],
      { timeoutMs: 600_000 },
      `skopeo copy ${src} -> ${host}/${dest} failed`,
    );
    return `${host}/${dest}`;
  };
  const mirrorRef = (upstream: string, prefix = 'mirror'): string =>
    `${host}/${prefix}/${h.qualify(upstream)}`.replace(/\/+/g, '/');
  const mirror = (upstream: string, prefix = 'mirror'): string => {
    const dest = mirrorRef(upstream, prefix).slice(host.length + 1);
    // with E2E_REAL_IMAGES=1 there are no stand-ins: copy straight from the upstream registry
    return push(h.REAL_IMAGES ? `docker://${h.qualify(upstream)}` : h.qualify(upstream), dest);
  };
  const catalog = async (): Promise<string[]> => {
    const r = await request(`${url}/v2/_catalog?n=1000`);
    if (r.status !== 200) throw new Error(`GET /v2/_catalog -> ${r.status}: ${r.body}`);
    return (JSON.parse(r.body) as { repositories: string[] | null }).repositories ?? [];
  };
  const tags = async (repo: string): Promise<string[]> => {
    const r = await request(`${url}/v2/${repo}/tags/list`);
    if (r.status !== 200) throw new Error(`GET /v2/${repo}/tags/list -> ${r.status}: ${r.body}`);
    return (JSON.parse(r.body) as { tags: string[] | null }).tags ?? [];
  };
  const digest = async (repo: string, tag: string): Promise<string> => {
    const r = await request(`${url}/v2/${repo}/manifests/${tag}`, 'HEAD', {
      Accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    });
    const d = r.headers['docker-content-digest'];
    if (r.status !== 200 || typeof d !== 'string') throw new Error(`HEAD /v2/${repo}/manifests/${tag} -> ${r.status}`);
    return d;
  };
  const requests = (): RegistryRequest[] => {
    const out: RegistryRequest[] = [];
    // access log lines: <ip> - - [date] "GET /v2/... HTTP/1.1" 200 123 "referer" "agent"
    for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
      const m = /"([A-Z]+) (\/\S*) HTTP\/[\d.]+" (\d{3}) \S+ "[^"]*" "([^"]*)"/.exec(line);
      if (m) out.push({ method: m[1], uri: m[2], status: Number(m[3]), agent: m[4] });
    }
    return out;
  };
  const stop = async (): Promise<void> => {
    await terminate(proc);
    if (process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  return { host, port, url, dir, push, mirrorRef, mirror, catalog, tags, digest, requests, stop };
}

export interface IsolatedStore {
  /** temp dir: storage.conf, registries.conf, graph/, run/ */
  dir: string;
  /** environment for h.run / h.must / h.compose: the e2e containers.conf with this store and registries.conf */
  env: Record<string, string>;
  /** a `podman system service` on this store for docker-compose (DOCKER_HOST is added to env) */
  startService: () => Promise<void>;
  /** remove every container of this store, stop the service, delete dir with its images (unless E2E_KEEP=1) */
  destroy: () => Promise<void>;
}

/**
 * A podman image store that starts EMPTY and can pull only from `mirrorHost` (plain HTTP): its
 * registries.conf has no unqualified-search registries, enforces fully-qualified short names and
 * blocks every public registry in BLOCKED_REGISTRIES. Containers, volumes and images live in it;
 * networks (/etc/containers/networks, /run/containers/networks) are shared with the main e2e store,
 * which keeps subnets and IP allocations distinct.
 */
export function isolatedStore(mirrorHost: string, base = path.join(h.E2E_ROOT, 'runs')): IsolatedStore {
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'store-'));
  const graph = path.join(dir, 'graph');
  const runroot = path.join(dir, 'run');
  const storageConf = path.join(dir, 'storage.conf');
  const registriesConf = path.join(dir, 'registries.conf');
  const writeStorage = (driver: string): void => {
    fs.rmSync(graph, { recursive: true, force: true });
    fs.rmSync(runroot, { recursive: true, force: true });
    fs.mkdirSync(graph);
    fs.mkdirSync(runroot);
    fs.writeFileSync(
      storageConf,
      `# e2e isolated store (test/e2e/registry.ts)\n[storage]\ndriver = ${JSON.stringify(driver)}\nrunroot = ${JSON.stringify(runroot)}\ngraphroot = ${JSON.stringify(graph)}\n`,
    );
  };
  // overlay where the kernel and the backing filesystem allow it (c/storage mounts a test overlay when
  // it starts: `podman info` fails otherwise, e.g. on overlayfs inside a container), else vfs like the
  // main e2e store: vfs copies every image for every container, which costs minutes here
  const wanted = process.env.E2E_MIRROR_STORAGE_DRIVER;
  writeStorage(wanted ?? 'overlay');
  if (
    !wanted &&
    h.run('podman', ['info', '--format', '{{.Store.GraphDriverName}}'], {
      env: { CONTAINERS_STORAGE_CONF: storageConf },
    }).code !== 0
  )
    writeStorage('vfs');
  fs.writeFileSync(
    registriesConf,
    [
      '# e2e isolated store (test/e2e/registry.ts): only the local mirror is reachable',
      'unqualified-search-registries = []',
      'short-name-mode = "enforcing"',
      '',
      '[[registry]]',
      `location = ${JSON.stringify(mirrorHost)}`,
      'insecure = true',
      ...BLOCKED_REGISTRIES.flatMap((r) => ['', '[[registry]]', `location = ${JSON.stringify(r)}`, 'blocked = true']),
      '',
    ].join('\n'),
  );
  const socket = path.join(dir, 'podman.sock');
  const env: Record<string, string> = {
    CONTAINERS_STORAGE_CONF: storageConf,
    CONTAINERS_REGISTRIES_CONF: registriesConf,
  };
  let service: ChildProcess | undefined;
  const ping = (): Promise<boolean> =>
    new Promise((resolve) => {
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
  const startService = async (): Promise<void> => {
    if (service) return;
    const log = fs.openSync(path.join(dir, 'podman-service.log'), 'a');
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      env: h.toolEnv(env),
      stdio: ['ignore', log, log],
    });
    service.unref();
    fs.closeSync(log);
    for (let i = 0; i < 100 && !(await ping()); i++) await h.sleep(100);
    if (!(await ping()))
      throw new Error(`podman system service did not answer on ${socket} (see ${dir}/podman-service.log)`);
    env.DOCKER_HOST = `unix://${socket}`;
  };
  const destroy = async (): Promise<void> => {
    // containers first: their shm mounts live under run/ (the images go with the directory)
    h.run('podman', ['rm', '-af', '-t', '2'], { env });
    if (service) await terminate(service);
    service = undefined;
    if (process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, env, startService, destroy };
}
