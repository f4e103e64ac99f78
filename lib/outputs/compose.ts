// ContainerSpec -> compose.yaml. Built as plain objects, emitted with the `yaml` Document API; the
// comments are data (a note per key) that name the principle behind each setting. No string-built YAML.
import { Document, isMap, isScalar, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { AnswerError, type BackingService, type ContainerSpec } from '../core/types.js';
import { isLoopback } from '../core/answers/parse.js';
import { pinImage, withRegistry } from '../core/registry.js';
import { profileFor } from '../runtimes/index.js';
import {
  AWS_PASSTHROUGH_ENV,
  SERVICE_DEFS,
  IMAGES,
  RESERVED_SERVICE_NAMES,
  SIDECARS,
  type ImageKey,
  type ResourceLimits,
} from '../spec/services.js';
import { SECRETS_DIR, VAULT_RENDER_DIR, type SecretsPlan } from '../spec/secrets.js';
import { extendCompose } from '../preset/extend.js';

/** Paths (inside the project) of the files the compose file mounts into sidecars. */
export const VAULT_AGENT_CONFIG = 'deploy/vault/agent.hcl';
export const AWS_FETCH_SCRIPT = 'deploy/aws/fetch-secrets.sh';

/** OCI label build args the Dockerfile declares (P6); passed through from the environment. */
export const LABEL_BUILD_ARGS = ['VCS_REF', 'VERSION', 'BUILD_DATE', 'SOURCE_URL'] as const;

type Path = (string | number)[];
interface Note {
  path: Path;
  /** comment line(s) above the key */
  before?: string;
  /** comment at the end of the value */
  inline?: string;
}

interface Built {
  obj: Record<string, unknown>;
  notes: Note[];
  /** string values that must be double-quoted (YAML 1.1 readers such as PyYAML) */
  quoted: Path[];
}

/** `$` is interpolation syntax in compose files: values from the spec are written literally. */
const lit = (s: string): string => s.replace(/\$/g, '$$$$');

function portString(bind: string, port: number): string {
  const host = bind.includes(':') ? `[${bind}]` : bind;
  return `${host}:${port}:${port}`;
}

function image(spec: ContainerSpec, key: ImageKey): string {
  // --pin-digests: ref@sha256:… when the digest was resolved before rendering (P3/P7)
  return pinImage(withRegistry(IMAGES[key], spec.registry), spec.digests);
}

function cpus(value: string | number): number | string {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : value;
}

/** The hardening every container gets, sidecars included (P5, P8, P9). */
function hardening(
  path: Path,
  notes: Note[],
  quoted: Path[],
  opts: { uid: number; gid: number; tmpfs: string[]; why?: string },
): Record<string, unknown> {
  notes.push(
    { path: [...path, 'user'], before: ` P5: numeric non-root UID:GID${opts.why ? ` (${opts.why})` : ''}` },
    {
      path: [...path, 'read_only'],
      before: ' P5/P8: read-only root filesystem; writable paths are volumes or tmpfs below',
    },
    { path: [...path, 'tmpfs'], before: ' P8: in-memory scratch space (noexec,nosuid,nodev by default), size-bounded' },
    { path: [...path, 'cap_drop'], before: ' P5: drop every Linux capability' },
    { path: [...path, 'security_opt'], before: ' P5: setuid binaries cannot gain privileges' },
    { path: [...path, 'init'], before: ' P1: a tiny init as PID 1 forwards signals and reaps zombies' },
  );
  quoted.push([...path, 'user']);
  return {
    user: `${opts.uid}:${opts.gid}`,
    read_only: true,
    tmpfs: opts.tmpfs.map((t) => `${t}:mode=1777,size=${t === '/tmp' ? '64m' : '16m'}`),
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    init: true,
  };
}

function limitsOf(path: Path, notes: Note[], l: ResourceLimits | ContainerSpec['limits']): Record<string, unknown> {
  notes.push({
    path: [...path, 'mem_limit'],
    before: ' P9 (CIS 5.11/5.12/5.29): memory, process and CPU limits bound a runaway or abused container',
  });
  return { mem_limit: l.memory, pids_limit: l.pids, cpus: cpus(l.cpus) };
}

/** What the parts of the compose file share while it is built: the spec, its notes and the top-level maps. */
interface ComposeCtx {
  spec: ContainerSpec;
  plan: SecretsPlan;
  notes: Note[];
  quoted: Path[];
  networks: Record<string, unknown>;
  volumes: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

function buildCompose(spec: ContainerSpec): Built {
  const clash = RESERVED_SERVICE_NAMES.includes(spec.name);
  if (clash)
    throw new AnswerError(
      'name',
      '--name',
      `"${spec.name}" is the name of a generated compose service; choose another app name`,
    );
  const c: ComposeCtx = {
    spec,
    plan: spec.secretsPlan,
    notes: [],
    quoted: [],
    networks: {},
    volumes: {},
    secrets: {},
  };
  const services: Record<string, unknown> = { [spec.name]: appService(c) };
  // a runtime served through a second container (nginx in front of PHP-FPM): that one publishes the port
  const front = profileFor(spec.runtime).composeServices?.(spec);
  if (front) {
    const app = services[spec.name] as Record<string, unknown>;
    delete app.ports;
    app.networks = front.appNetworks;
    Object.assign(services, front.services);
    Object.assign(c.networks, front.networks);
  }
  for (const s of spec.services) services[SERVICE_DEFS[s].id] = backingService(c, s);
  const { plan, notes, networks, volumes, secrets } = c;
  if (plan.sidecar && plan.sharedVolume) services[plan.sidecar] = secretSidecar(c, plan.sidecar, plan.sharedVolume);

  // ---------------------------------------------------------------- top-level file secrets
  for (const r of plan.files) secrets[r.name] = { file: r.hostFile };
  if (plan.files.length > 0) {
    notes.push({
      path: ['secrets'],
      before:
        ' P4: local secret files, kept out of git and the image (secrets/.gitignore, .dockerignore);\n create them as secrets/README.md explains',
    });
  }

  // a team preset's extra services and app settings, merged as objects (lib/preset/extend.ts)
  extendCompose(spec, services, volumes, c.quoted);
  const obj: Record<string, unknown> = { services };
  if (Object.keys(networks).length > 0) obj.networks = networks;
  if (Object.keys(volumes).length > 0) obj.volumes = volumes;
  if (Object.keys(secrets).length > 0) obj.secrets = sortSecrets(secrets);
  return { obj, notes, quoted: c.quoted };
}

/** The app: built from the Dockerfile, hardened, its secrets as files, only its port published. */
function appService(c: ComposeCtx): Record<string, unknown> {
  const { spec, plan, notes, quoted, networks, volumes, secrets } = c;
  const app = spec.name;
  const A: Path = ['services', app];
  const hasBackend = spec.services.length > 0;
  const build: Record<string, unknown> = {
    context: '.',
    dockerfile: 'Dockerfile',
    args: [...LABEL_BUILD_ARGS],
  };
  notes.push(
    { path: [...A, 'build'], before: ' P6: the image is only ever made from the Dockerfile under version control' },
    {
      path: [...A, 'build', 'args'],
      before: ' P6: OCI labels (revision = git SHA, version, created, source) come from the environment at build time',
    },
  );
  if (plan.build.length > 0) {
    build.secrets = plan.build.map((b) => ({ source: b.composeName, target: b.name }));
    notes.push({
      path: [...A, 'build', 'secrets'],
      before:
        ' P4: build-time secrets are BuildKit secret mounts (RUN --mount=type=secret,id=<target>), never ARG/ENV\n Needs Docker Compose v2 (docker-compose 1.x does not know build.secrets)',
    });
    for (const b of plan.build) secrets[b.composeName] = { environment: b.hostEnv };
  }

  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.environment)) environment[k] = lit(v);
  for (const s of spec.services) {
    const def = SERVICE_DEFS[s];
    for (const [k, v] of Object.entries(def.appEnv)) environment[k] = v;
  }
  for (const r of plan.app) environment[r.envVar] = r.appPath;

  const appService: Record<string, unknown> = {
    build,
    image: spec.image,
    ...hardening(A, notes, quoted, {
      uid: spec.user.uid,
      gid: spec.user.gid,
      tmpfs: spec.tmpfs,
      why: 'the same as USER in the Dockerfile',
    }),
  };
  notes.push({
    path: [...A, 'image'],
    before: ' P7: an explicit tag, never latest; CI retags with the git SHA (see README.Docker.md)',
  });
  if (Object.keys(environment).length > 0) {
    appService.environment = environment;
    notes.push({
      path: [...A, 'environment'],
      before: ' P4: settings and secret *paths* only (<NAME>_FILE); no secret value is ever set here',
    });
  }

  const appSecretNames = plan.app.filter((r) => r.via === 'file').map((r) => r.name);
  if (appSecretNames.length > 0) {
    appService.secrets =
      plan.localDir === SECRETS_DIR
        ? appSecretNames
        : appSecretNames.map((n) => ({ source: n, target: `${plan.localDir}/${n}` }));
    notes.push({
      path: [...A, 'secrets'],
      before:
        plan.localDir === SECRETS_DIR
          ? ' P4: each secret is a read-only file /run/secrets/<name>'
          : ` P4: local service passwords live in ${plan.localDir}: /run/secrets belongs to the ${plan.sidecar} volume`,
    });
  }

  const appVolumes: string[] = spec.dataVolumes.map((v) => `${v.name}:${v.target}`);
  for (const v of spec.dataVolumes) volumes[v.name] = {};
  if (plan.sharedVolume) appVolumes.push(`${plan.sharedVolume}:${SECRETS_DIR}:ro`);
  if (appVolumes.length > 0) {
    appService.volumes = appVolumes;
    notes.push({
      path: [...A, 'volumes'],
      before:
        (spec.dataVolumes.length > 0
          ? ' P8: a named volume for each declared data directory (owned by the app UID in the image)'
          : '') +
        (spec.dataVolumes.length > 0 && plan.sharedVolume ? '\n' : '') +
        (plan.sharedVolume ? ` P4: secrets written by ${plan.sidecar} into an in-memory volume, read-only here` : ''),
    });
  }

  appService.ports = [portString(spec.bind, spec.port)];
  quoted.push([...A, 'ports', 0]);
  notes.push({
    path: [...A, 'ports'],
    before: isLoopback(spec.bind)
      ? ' P9: only the app port, bound to the loopback interface (--bind to change)'
      : ` P9: WARNING: published on ${spec.bind} on purpose (--bind): reachable from other hosts`,
  });

  appService.networks = hasBackend ? ['frontend', 'backend'] : ['frontend'];
  networks.frontend = {};
  if (hasBackend) {
    networks.backend = { internal: true };
    notes.push({
      path: ['networks', 'backend'],
      before: ' P9: internal: no route to or from outside; backing services publish no port',
    });
  }
  notes.push({ path: ['networks', 'frontend'], before: " the app's own network: the only one with a published port" });

  const dependsOn: Record<string, { condition: string }> = {};
  for (const s of spec.services) dependsOn[s] = { condition: 'service_healthy' };
  if (plan.sidecar) dependsOn[plan.sidecar] = { condition: 'service_healthy' };
  if (Object.keys(dependsOn).length > 0) {
    appService.depends_on = dependsOn;
    notes.push({
      path: [...A, 'depends_on'],
      before: ' start only once the services (and the secret files) are ready',
    });
  }

  appService.healthcheck = {
    test: ['CMD', ...spec.healthcheck.test.map(lit)],
    interval: spec.healthcheck.interval,
    timeout: spec.healthcheck.timeout,
    retries: spec.healthcheck.retries,
    start_period: spec.healthcheck.startPeriod,
  };
  notes.push({
    path: [...A, 'healthcheck'],
    before: ' P8: the same exec-form probe as the Dockerfile HEALTHCHECK (works without a shell)',
  });
  Object.assign(appService, limitsOf(A, notes, spec.limits));
  appService.restart = `${spec.restart.policy}:${spec.restart.maxAttempts}`;
  notes.push({
    path: [...A, 'restart'],
    before: ' P8: bounded restarts: a crash loop stops instead of spinning forever',
  });
  return appService;
}

/** A backing service (the catalog's official image), hardened as the app, on the internal network only. */
function backingService(c: ComposeCtx, s: BackingService): Record<string, unknown> {
  const { spec, notes, quoted, volumes } = c;
  const def = SERVICE_DEFS[s];
  const P: Path = ['services', def.id];
  const volumeName = `${def.id}-data`;
  volumes[volumeName] = {};
  const svc: Record<string, unknown> = {
    image: image(spec, def.image),
    ...hardening(P, notes, quoted, {
      uid: def.user.uid,
      gid: def.user.gid,
      tmpfs: def.tmpfs,
      why: `the image's own ${def.id} user, owner of its data directory: no root, no chown, no capability needed`,
    }),
  };
  notes.push({ path: [...P, 'image'], before: ' P3/P7: official image, explicit version tag' });
  // the service's own settings (environment or command, healthcheck), from the catalog
  const own = def.compose();
  Object.assign(svc, own.settings);
  for (const [key, before] of Object.entries(own.notes)) notes.push({ path: [...P, key], before });
  svc.secrets = [def.passwordSecret];
  notes.push({ path: [...P, 'secrets'], before: ' P4: the password only as a file (/run/secrets/<name>)' });
  svc.volumes = [`${volumeName}:${def.dataTarget}`];
  notes.push({ path: [...P, 'volumes'], before: ' P8: data in a named volume' });
  svc.networks = ['backend'];
  notes.push({ path: [...P, 'networks'], before: ' P9: internal network only, no ports published' });
  Object.assign(svc, limitsOf(P, notes, def.limits));
  svc.restart = `${spec.restart.policy}:${spec.restart.maxAttempts}`;
  return svc;
}

/** The secret provider's sidecar: fetches/renders the secrets into an in-memory volume the app reads. */
function secretSidecar(c: ComposeCtx, sidecar: string, sharedVolume: string): Record<string, unknown> {
  const { spec, plan, notes, quoted, networks, volumes } = c;
  const sideNet = 'secrets-egress';
  networks[sideNet] = {};
  notes.push({
    path: ['networks', sideNet],
    before: ` ${sidecar} alone reaches ${plan.provider === 'vault' ? 'Vault' : 'AWS'}; the app is not on this network`,
  });
  volumes[sharedVolume] = {
    driver: 'local',
    driver_opts: { type: 'tmpfs', device: 'tmpfs', o: `uid=${spec.user.uid},gid=${spec.user.gid},mode=0700` },
  };
  notes.push({
    path: ['volumes', sharedVolume],
    before:
      ' P4: secrets live in memory only (tmpfs), owned by the app UID, mode 0700.\n' +
      ' A tmpfs volume is emptied when no container mounts it, so the fetcher stays up\n' +
      ' (and keeps it mounted) for as long as the app runs.',
  });
  const S: Path = ['services', sidecar];
  // `test -s a -a -s b`, exec form, one word per argument: no shell string to split (podman 4.3's
  // compose API splits healthcheck arguments on spaces)
  const dir = plan.provider === 'vault' ? VAULT_RENDER_DIR : SECRETS_DIR;
  const check = ['test', ...plan.fetched.flatMap((r, i) => [...(i ? ['-a'] : []), '-s', `${dir}/${r.name}`])];
  let svc: Record<string, unknown>;
  if (plan.provider === 'vault') {
    const def = SIDECARS.vault;
    svc = {
      image: image(spec, def.image),
      entrypoint: ['vault', 'agent', `-config=/etc/vault-agent/agent.hcl`],
      ...hardening(S, notes, quoted, {
        uid: spec.user.uid,
        gid: spec.user.gid,
        tmpfs: ['/tmp'],
        why: 'the app UID, so the rendered files belong to the app and can be 0400',
      }),
      secrets: ['vault_role_id', 'vault_secret_id'],
      volumes: [`./${VAULT_AGENT_CONFIG}:/etc/vault-agent/agent.hcl:ro`, `${sharedVolume}:${VAULT_RENDER_DIR}`],
      networks: [sideNet],
      healthcheck: { test: ['CMD', ...check], interval: '5s', timeout: '3s', retries: 12, start_period: '10s' },
    };
    notes.push(
      { path: [...S, 'image'], before: " P3/P7: HashiCorp's official image, explicit version tag" },
      {
        path: [...S, 'entrypoint'],
        before: ' P1/P5: vault agent directly; the image entrypoint would try chown/setcap as root',
      },
      { path: [...S, 'secrets'], before: ' P4: AppRole role_id/secret_id as compose file secrets, never inline' },
      {
        path: [...S, 'healthcheck'],
        before: ' healthy once every secret file has been rendered (no listener, no open port)',
      },
    );
  } else {
    const def = SIDECARS.aws;
    const env = [
      `AWS_REGION=${spec.aws.region}`,
      `AWS_DEFAULT_REGION=${spec.aws.region}`,
      'HOME=/tmp',
      'FETCH_INTERVAL_SECONDS=0',
      ...AWS_PASSTHROUGH_ENV,
    ];
    svc = {
      image: image(spec, def.image),
      entrypoint: ['/bin/sh', `/${AWS_FETCH_SCRIPT}`],
      ...hardening(S, notes, quoted, {
        uid: spec.user.uid,
        gid: spec.user.gid,
        tmpfs: ['/tmp'],
        why: 'the app UID, so the fetched files belong to the app and can be 0400',
      }),
      environment: env,
      volumes: [`./${AWS_FETCH_SCRIPT}:/${AWS_FETCH_SCRIPT}:ro`, `${sharedVolume}:${SECRETS_DIR}`],
      networks: [sideNet],
      healthcheck: { test: ['CMD', ...check], interval: '5s', timeout: '3s', retries: 12, start_period: '20s' },
    };
    notes.push(
      { path: [...S, 'image'], before: " P3/P7: AWS's official AWS CLI image, explicit version tag" },
      {
        path: [...S, 'entrypoint'],
        before: ' fetches every secret once, then keeps the in-memory volume mounted (see volumes)',
      },
      {
        path: [...S, 'environment'],
        before:
          ' P4: credentials from the standard AWS chain: names only, values come from your shell\n (or an instance/task role); AWS_ENDPOINT_URL lets tests point at a stub',
      },
      { path: [...S, 'healthcheck'], before: ' healthy once every secret file has been fetched' },
    );
  }
  Object.assign(svc, limitsOf(S, notes, SIDECARS[plan.provider as 'vault' | 'aws'].limits));
  svc.restart = `${spec.restart.policy}:${spec.restart.maxAttempts}`;
  return svc;
}

/** build-* secrets last so the runtime ones read first. */
function sortSecrets(s: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(s);
  return Object.fromEntries(
    [...keys.filter((k) => !k.startsWith('build-')), ...keys.filter((k) => k.startsWith('build-'))].map((k) => [
      k,
      s[k],
    ]),
  );
}

/** The compose file as a plain object (what `yaml.parse(renderCompose(spec))` returns). */
export function composeObject(spec: ContainerSpec): Record<string, unknown> {
  return buildCompose(spec).obj;
}

function pairAt(doc: Document, path: Path): Pair<Node, Node> | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  return (parent as YAMLMap<Node, Node>).items.find((p) => isScalar(p.key) && p.key.value === last);
}

export function composeHeader(spec: ContainerSpec): string {
  return [
    ` compose.yaml, generated by ${spec.generator.name} ${spec.generator.version}.`,
    ` Regenerate (keeps your edits, three-way merge): ${spec.generator.command} upgrade  (or: yo secure-container)`,
    ' Every setting is explained in README.Docker.md; comments name the principle (P1-P9) it serves.',
  ].join('\n');
}

/** compose.yaml text: the Compose Specification, readable by Docker Compose v2 and docker-compose 1.29. */
export function renderCompose(spec: ContainerSpec): string {
  const { obj, notes, quoted } = buildCompose(spec);
  // YAML 1.1 rules for plain scalars: strings such as "no" or "1000:50" are quoted, so PyYAML-based
  // tools (docker-compose 1.x, podman-compose) read exactly what Compose v2 reads.
  const doc = new Document(obj, { version: '1.1' });
  doc.commentBefore = composeHeader(spec);
  for (const n of notes) {
    const pair = pairAt(doc, n.path);
    if (!pair) continue;
    if (n.before && isScalar(pair.key)) pair.key.commentBefore = n.before;
    if (n.inline && isScalar(pair.value)) pair.value.comment = n.inline;
  }
  for (const q of quoted) {
    const node = doc.getIn(q, true);
    if (isScalar(node)) node.type = Scalar.QUOTE_DOUBLE;
  }
  // a blank line between top-level sections and between services
  const top = doc.contents;
  if (isMap(top)) {
    top.items.forEach((p, i) => {
      if (i > 0 && isScalar(p.key)) p.key.spaceBefore = true;
      if (isScalar(p.key) && p.key.value === 'services' && isMap(p.value)) {
        p.value.items.forEach((s, j) => {
          if (j > 0 && isScalar(s.key)) s.key.spaceBefore = true;
        });
      }
    });
  }
  return doc.toString({ lineWidth: 0 });
}
