// Shared by the Kubernetes output tests: schema validation of every object (kubernetes-models: the
// OpenAPI schema of a current Kubernetes release; @kubernetes-models/external-secrets: the External
// Secrets Operator CRDs), and an independent implementation of the restricted Pod Security Standard.
import { expect } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { ExternalSecret, SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import type { GeneratedFile } from '../../lib/core/types.js';

export type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata?: { name?: string } };
type Validator = new (data: never) => { validate(): void };

/** apiVersion/kind -> the model that validates it against the schema of its release. */
export const MODELS: Readonly<Record<string, Validator | undefined>> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'external-secrets.io/v1/SecretStore': SecretStore,
  'external-secrets.io/v1/ExternalSecret': ExternalSecret,
};

export const DIR = 'deploy/kubernetes';

export function objectsOf(text: string): Obj[] {
  const docs = parseAllDocuments(text);
  const out: Obj[] = [];
  for (const d of docs) {
    expect(d.errors).toEqual([]);
    const v = d.toJS() as Obj | null;
    if (v) out.push(v);
  }
  return out;
}

/** Throws with the schema errors when the object does not validate. */
export function validateObject(o: Obj): void {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o as never).validate();
}

export function manifests(files: readonly GeneratedFile[]): { file: string; objects: Obj[] }[] {
  return files
    .filter((f) => f.path.startsWith(`${DIR}/`) && f.path.endsWith('.yaml') && !f.path.endsWith('kustomization.yaml'))
    .map((f) => ({ file: f.path, objects: objectsOf(f.contents) }));
}

// ---------------------------------------------------------------- restricted Pod Security Standard
// An implementation of the controls of https://kubernetes.io/docs/concepts/security/pod-security-standards/
// (baseline + restricted), written from the standard, independent of lib/policy/kubernetes.
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

type Ctx = Record<string, unknown> & {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: { type?: string };
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  procMount?: string;
  sysctls?: { name: string }[];
  windowsOptions?: { hostProcess?: boolean };
  seLinuxOptions?: { type?: string; user?: string; role?: string };
  appArmorProfile?: { type?: string };
};
export type Container = { name: string; securityContext?: Ctx; ports?: { hostPort?: number }[] };
export type PodSpec = Record<string, unknown> & {
  securityContext?: Ctx;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Record<string, unknown>[];
};

export function restrictedViolations(pod: PodSpec): string[] {
  const v: string[] = [];
  const psc = pod.securityContext ?? {};
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[k] === true) v.push(k);
  for (const vol of pod.volumes ?? [])
    for (const t of Object.keys(vol)) if (t !== 'name' && !VOLUME_TYPES.has(t)) v.push(`volume type ${t}`);
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) v.push(`sysctl ${s.name}`);
  if (psc.windowsOptions?.hostProcess === true) v.push('hostProcess');
  if (psc.runAsUser === 0) v.push('pod runAsUser 0');
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') v.push('pod seccomp Unconfined');
  if (psc.appArmorProfile?.type === 'Unconfined') v.push('pod AppArmor Unconfined');
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged === true) v.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${at}: allowPrivilegeEscalation`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) v.push(`${at}: runAsNonRoot`);
    if (sc.runAsUser === 0) v.push(`${at}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${at}: seccomp ${String(seccomp)}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${at}: capabilities not dropped`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') v.push(`${at}: adds ${cap}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') v.push(`${at}: procMount`);
    if (sc.appArmorProfile?.type === 'Unconfined') v.push(`${at}: AppArmor Unconfined`);
    const se = sc.seLinuxOptions ?? psc.seLinuxOptions;
    if (
      se &&
      (se.user || se.role || !['', undefined, 'container_t', 'container_init_t', 'container_kvm_t'].includes(se.type))
    )
      v.push(`${at}: SELinux`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${at}: hostPort`);
  }
  return v;
}

export function podSpecOf(o: Obj): PodSpec | null {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (o.kind === 'Deployment' || o.kind === 'StatefulSet')
    return ((spec?.template as Record<string, unknown>).spec ?? null) as PodSpec | null;
  return null;
}
