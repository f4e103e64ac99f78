// The Kubernetes deployment (--kubernetes), settled once from the rest of the spec: namespace,
// replicas, image reference, resources, probes, storage and where secrets come from. The renderer
// (lib/outputs/kubernetes/) only places these values; every decision and its reason is here.
import type { BackingService, ContainerSpec } from '../core/types.js';
import { withRegistry } from '../core/registry.js';
import { envVarOf, SECRETS_DIR } from './secrets.js';
import { IMAGES, SERVICE_DEFS } from './services.js';

/** Where the Kustomize base is written (`kubectl apply -k deploy/kubernetes`). */
export const KUBERNETES_DIR = 'deploy/kubernetes';
/** The local secret files the file provider's secretGenerator reads (inside the base: kustomize loads nothing outside it). */
export const KUBERNETES_SECRETS_DIR = `${KUBERNETES_DIR}/secrets`;

/** Kubernetes resource quantities of one container. */
export interface KubernetesResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** How the app's health is probed: an HTTP GET of its health route, or the image's HEALTHCHECK argv. */
export type KubernetesProbe =
  { type: 'http'; path: string; port: number } | { type: 'exec'; command: string[]; why: string };

/** One Secret object and the files it holds (keys = file names under /run/secrets). */
export interface KubernetesSecret {
  /** Secret name (a secretGenerator name gets a content hash suffix from kustomize) */
  name: string;
  keys: string[];
  /** a kustomize secretGenerator over local files, or an ExternalSecret the operator fills */
  via: 'generator' | 'external-secrets';
}

/** A PersistentVolumeClaim for one data directory of the app. */
export interface KubernetesClaim {
  name: string;
  mountPath: string;
  size: string;
  accessMode: 'ReadWriteOnce';
}

/** A backing service run in the cluster as a StatefulSet under the same restricted context. */
export interface KubernetesBacking {
  id: BackingService;
  image: string;
  user: { uid: number; gid: number };
  port: number;
  dataTarget: string;
  size: string;
  resources: KubernetesResources;
  /** the Secret holding its password (shared with the app, mounted in both) */
  passwordSecret: KubernetesSecret;
}

export interface KubernetesSpec {
  /** folder of the Kustomize base, relative to the project root */
  dir: string;
  namespace: string;
  replicas: number;
  /** why this many replicas (written next to the value) */
  replicasWhy: string;
  /** the image name in the Deployment; kustomize `images:` sets its tag (CI: the git SHA, or a digest) */
  image: { name: string; tag: string };
  resources: KubernetesResources;
  probe: KubernetesProbe;
  /** paths that get an emptyDir on the read-only root filesystem (/tmp and the runtime's tmpfs paths) */
  scratch: string[];
  claims: KubernetesClaim[];
  /** the app's own secrets (one Secret), null when the app reads none */
  appSecret: KubernetesSecret | null;
  /** every file the app reads under /run/secrets: `<NAME>_FILE` -> path */
  secretFiles: { name: string; envVar: string; path: string }[];
  backing: KubernetesBacking[];
  /** Vault / AWS: External Secrets Operator objects (SecretStore + ExternalSecret) */
  externalSecrets: null | {
    provider: 'vault' | 'aws';
    store: string;
    /** the ServiceAccount the operator authenticates as (Vault Kubernetes auth, or IRSA for AWS) */
    serviceAccount: string;
    refreshInterval: string;
  };
}

/** compose `512m` / `1g` (binary units) -> Kubernetes `512Mi` / `1Gi`. */
export function toQuantity(memory: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt])?i?b?$/i.exec(memory.trim());
  if (!m) throw new Error(`cannot convert memory "${memory}" to a Kubernetes quantity`);
  const unit = m[2] ? `${m[2].toUpperCase()}i` : '';
  return `${m[1]}${unit}`;
}

/** compose cpus `1.0` / `0.5` -> Kubernetes millicores `1000m` / `500m`. */
export function toMillicores(cpus: string | number): string {
  const n = typeof cpus === 'number' ? cpus : Number(cpus);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`cannot convert cpus "${String(cpus)}" to millicores`);
  return `${Math.round(n * 1000)}m`;
}

/**
 * Limits as in compose; requests: the same memory (the scheduler reserves what the container may
 * use, so the node is never overcommitted on memory and the pod is never the first OOM victim),
 * a quarter of the CPU (CPU is compressible: a busy node throttles, it does not kill).
 */
function resourcesOf(memory: string, cpus: string | number): KubernetesResources {
  const mem = toQuantity(memory);
  const cpu = toMillicores(cpus);
  const req = `${Math.max(10, Math.round(parseInt(cpu, 10) / 4))}m`;
  return { requests: { cpu: req, memory: mem }, limits: { cpu, memory: mem } };
}

/** The part of the spec the Kubernetes deployment is settled from. */
export type KubernetesInput = Omit<ContainerSpec, 'kubernetes'>;

export function kubernetesSpec(spec: KubernetesInput): KubernetesSpec {
  const plan = spec.secretsPlan;
  // a data directory is a ReadWriteOnce volume: one node mounts it, so one replica owns it
  const replicas = spec.dataVolumes.length > 0 ? 1 : 2;
  const replicasWhy =
    replicas === 1
      ? `one replica: the data ${spec.dataVolumes.length === 1 ? 'directory is a ReadWriteOnce volume' : 'directories are ReadWriteOnce volumes'} that one node mounts at a time`
      : 'two replicas spread over nodes: a node drain or a crash leaves one serving';

  // `/` is the fallback when no health route was found: the HEALTHCHECK then accepts any HTTP
  // answer (an API without a `/` route answers 404), which an httpGet probe would count as a failure
  const probe: KubernetesProbe =
    spec.healthcheck.path !== '/'
      ? { type: 'http', path: spec.healthcheck.path, port: spec.port }
      : {
          type: 'exec',
          command: [...spec.healthcheck.test],
          why: 'no health route was found: any HTTP answer means up',
        };

  const servicePasswords = new Set(spec.services.map((s) => SERVICE_DEFS[s].passwordSecret));
  const appKeys = plan.app.map((r) => r.name).filter((n) => !servicePasswords.has(n));
  const provider = spec.secretProvider;
  const appSecret: KubernetesSecret | null =
    appKeys.length > 0
      ? { name: `${spec.name}-secrets`, keys: appKeys, via: provider === 'file' ? 'generator' : 'external-secrets' }
      : null;

  const backing: KubernetesBacking[] = spec.services.map((s) => {
    const def = SERVICE_DEFS[s];
    return {
      id: def.id,
      image: withRegistry(IMAGES[def.image], spec.registry),
      user: def.user,
      port: def.port,
      dataTarget: def.dataTarget,
      size: '1Gi',
      resources: resourcesOf(def.limits.memory, def.limits.cpus),
      passwordSecret: { name: `${def.id}-password`, keys: [def.passwordSecret], via: 'generator' },
    };
  });

  // every file under one directory: no sidecar owns /run/secrets in the cluster
  const secretFiles = plan.app.map((r) => ({
    name: r.name,
    envVar: envVarOf(r.name),
    path: `${SECRETS_DIR}/${r.name}`,
  }));

  return {
    dir: KUBERNETES_DIR,
    namespace: spec.name,
    replicas,
    replicasWhy,
    image: { name: spec.name, tag: spec.imageTag },
    resources: resourcesOf(spec.limits.memory, spec.limits.cpus),
    probe,
    scratch: [...new Set(spec.tmpfs)],
    claims: spec.dataVolumes.map((v) => ({
      name: v.name,
      mountPath: v.target,
      size: '1Gi',
      accessMode: 'ReadWriteOnce',
    })),
    appSecret,
    secretFiles,
    backing,
    externalSecrets:
      appSecret && provider !== 'file'
        ? {
            provider,
            store: `${spec.name}-${provider}`,
            serviceAccount: `${spec.name}-secrets-reader`,
            refreshInterval: '1h',
          }
        : null,
  };
}
