// The Kubernetes deployment (--kubernetes), settled once from the rest of the spec: namespace,
// replicas, image reference, resources, probes, storage and where secrets come from. The renderer
// (lib/outputs/kubernetes/) only places these values; every decision and its reason is here.
import type { BackingService, ContainerSpec } from '../core/types.js';
import { pinImage, withRegistry } from '../core/registry.js';
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
  /**
   * the image name in the Deployment; kustomize `images:` sets its tag (CI: the git SHA, or a
   * digest), and `newName` when a preset names the registry the cluster pulls from
   */
  image: { name: string; tag: string; newName?: string };
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
  return { requests: { cpu: quarterOf(cpu), memory: mem }, limits: { cpu, memory: mem } };
}

/** A quarter of a CPU quantity, in millicores (at least 10m, at most the quantity itself). */
function quarterOf(cpu: string): string {
  const quarter = Math.max(10, Math.round((quantityValue(cpu) * 1000) / 4));
  return quarter / 1000 > quantityValue(cpu) ? cpu : `${quarter}m`;
}

/**
 * The app's resources with a preset's on top. A preset limit without its request moves the request
 * the same way as the default (memory: equal, CPU: a quarter), so the pair stays coherent. A preset
 * request above the default limit raises that limit to it (never a pod the API server refuses); a
 * preset request above a preset limit never gets here (kubernetesPresetProblems refuses it).
 */
function withPreset(base: KubernetesResources, p: KubernetesPreset['resources']): KubernetesResources {
  if (!p) return base;
  const limits = { cpu: p.limits?.cpu ?? base.limits.cpu, memory: p.limits?.memory ?? base.limits.memory };
  const requests = {
    cpu: p.requests?.cpu ?? (p.limits?.cpu ? quarterOf(limits.cpu) : base.requests.cpu),
    memory: p.requests?.memory ?? limits.memory,
  };
  for (const r of ['cpu', 'memory'] as const)
    if (quantityValue(requests[r]) > quantityValue(limits[r])) limits[r] = requests[r];
  return { requests, limits };
}

/**
 * What a team preset may fix of every generated base (the preset's `kubernetes:` section, validated
 * by schemas/preset-kubernetes.schema.json; docs/kubernetes.md "Presets").
 */
export interface KubernetesPreset {
  /** namespace of every object (default: the app name) */
  namespace?: string;
  /** registry (and path) the cluster pulls the app image from: kustomization `images: newName` */
  registry?: string;
  /** replicas of a stateless app (an app with data directories keeps one) */
  replicas?: number;
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
}

const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A Kubernetes quantity as a number (cores, bytes); NaN when it is not one we write. */
export function quantityValue(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|[KMGTPE]i|[kMGTPE])?$/.exec(q);
  if (!m) return NaN;
  // the unit group may not match (a plain number)
  const unit = (m[2] as string | undefined) ?? '';
  const factor = unit === 'm' ? 1e-3 : (BINARY[unit] ?? DECIMAL[unit]);
  return Number(m[1]) * factor;
}

/**
 * Checks of a preset's `kubernetes:` section beyond its schema: a quantity must be above zero, and a
 * request never above its limit (the API server refuses such a pod). One line per problem, naming the field.
 */
export function kubernetesPresetProblems(k: KubernetesPreset | undefined): string[] {
  const out: string[] = [];
  for (const part of ['requests', 'limits'] as const)
    for (const res of ['cpu', 'memory'] as const) {
      const q = k?.resources?.[part]?.[res];
      if (q !== undefined && !(quantityValue(q) > 0))
        out.push(`kubernetes.resources.${part}.${res}: must be a quantity above zero`);
    }
  for (const res of ['cpu', 'memory'] as const) {
    const req = k?.resources?.requests?.[res];
    const lim = k?.resources?.limits?.[res];
    if (req !== undefined && lim !== undefined && quantityValue(req) > quantityValue(lim))
      out.push(
        `kubernetes.resources.requests.${res}: ${req} is above the limit ${lim} (the API server refuses the pod)`,
      );
  }
  return out;
}

/** The part of the spec the Kubernetes deployment is settled from. */
export type KubernetesInput = Omit<ContainerSpec, 'kubernetes'>;

/**
 * Replicas: two by default, spread over nodes. A data directory is a ReadWriteOnce volume: one node
 * mounts it, so one replica owns it, whatever a preset asks (several replicas would all be pinned to
 * that node by the pod affinity and write the same files at once; ReadWriteMany needs a storage
 * class most clusters lack). The generated comment says so when a preset asked for more.
 */
function replicasOf(dataDirs: number, preset: number | undefined): { replicas: number; why: string } {
  if (dataDirs > 0) {
    const rwo = `the data ${dataDirs === 1 ? 'directory is a ReadWriteOnce volume' : 'directories are ReadWriteOnce volumes'} that one node mounts at a time`;
    return {
      replicas: 1,
      why:
        preset !== undefined && preset > 1
          ? `one replica, not the preset's ${preset}: ${rwo} (move the state to a backing service to scale out)`
          : `one replica: ${rwo}`,
    };
  }
  const n = preset ?? 2;
  if (n === 1)
    return {
      replicas: 1,
      why: "one replica (the preset's): a node drain or a crash stops the app until it is rescheduled",
    };
  return {
    replicas: n,
    why: `${n === 2 ? 'two' : n} replicas${preset !== undefined ? " (the preset's)" : ''} spread over nodes: a node drain or a crash leaves ${n === 2 ? 'one' : 'the others'} serving`,
  };
}

export function kubernetesSpec(spec: KubernetesInput, preset: KubernetesPreset = {}): KubernetesSpec {
  const plan = spec.secretsPlan;
  const { replicas, why: replicasWhy } = replicasOf(spec.dataVolumes.length, preset.replicas);

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
      // --pin-digests: the same reference compose pins, by the same digest (P7)
      image: pinImage(withRegistry(IMAGES[def.image], spec.registry), spec.digests),
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
    namespace: preset.namespace ?? spec.name,
    replicas,
    replicasWhy,
    image: {
      name: spec.name,
      tag: spec.imageTag,
      ...(preset.registry ? { newName: `${preset.registry.replace(/\/+$/, '')}/${spec.name}` } : {}),
    },
    resources: withPreset(resourcesOf(spec.limits.memory, spec.limits.cpus), preset.resources),
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
