// The app's objects: Namespace, ServiceAccount, Deployment, Service, PodDisruptionBudget, its
// PersistentVolumeClaims and the NetworkPolicies of the namespace. Built as typed data (the
// kubernetes-models types: an unknown field is a compile error), emitted by yaml.ts.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { SECRETS_DIR } from '../../spec/secrets.js';
import { SERVICE_DEFS } from '../../spec/services.js';
import {
  containerSecurity,
  kubeLiteral,
  labels,
  podSecurity,
  probes,
  resources,
  scratchVolume,
  selector,
  volumeName,
  type KubeRun,
} from './common.js';
import { Notes, type Manifest } from './yaml.js';

/** Octal 0400 (owner read-only), written in decimal as every YAML reader agrees on it. */
export const SECRET_FILE_MODE = 0o400;

export function namespace(spec: KubeRun): Manifest {
  const n = new Notes().add(
    ['metadata', 'labels'],
    'P5: the API server refuses any pod of this namespace that breaks the restricted Pod Security\n Standard (enforce), and reports and warns about it (audit, warn)',
  );
  const obj: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: spec.kubernetes.namespace,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
  return { obj, notes: n.list };
}

/** A ServiceAccount that never gets an API token mounted. */
export function serviceAccount(name: string, lbl: Record<string, string>, why: string): Manifest {
  const n = new Notes().add(['automountServiceAccountToken'], why);
  const obj: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, labels: lbl },
    automountServiceAccountToken: false,
  };
  return { obj, notes: n.list };
}

/** The Secrets the app mounts under /run/secrets: its own and each backing service's password. */
export function appSecretSources(spec: KubeRun): { name: string; keys: string[] }[] {
  const k = spec.kubernetes;
  return [...(k.appSecret ? [k.appSecret] : []), ...k.backing.map((b) => b.passwordSecret)];
}

export function deployment(spec: KubeRun): Manifest {
  const k = spec.kubernetes;
  const n = new Notes();
  const T = ['spec', 'template'];
  const P = [...T, 'spec'];
  const C = [...P, 'containers', 0];
  const sel = selector(spec, 'app');

  // ---------------------------------------------------------------- environment
  const env: IEnvVar[] = [];
  for (const [name, value] of Object.entries(spec.environment)) env.push({ name, value: kubeLiteral(value) });
  for (const s of spec.services)
    for (const [name, value] of Object.entries(SERVICE_DEFS[s].appEnv)) env.push({ name, value });
  for (const f of k.secretFiles) env.push({ name: f.envVar, value: f.path });

  // ---------------------------------------------------------------- volumes
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  for (const path of k.scratch) {
    const name = volumeName(path);
    volumes.push(scratchVolume(name, path === '/tmp' ? '64Mi' : '16Mi'));
    mounts.push({ name, mountPath: path });
  }
  for (const c of k.claims) {
    volumes.push({ name: c.name, persistentVolumeClaim: { claimName: c.name } });
    mounts.push({ name: c.name, mountPath: c.mountPath });
  }
  const sources = appSecretSources(spec);
  if (sources.length > 0) {
    volumes.push({
      name: 'secrets',
      projected: {
        defaultMode: SECRET_FILE_MODE,
        sources: sources.map((s) => ({ secret: { name: s.name, items: s.keys.map((key) => ({ key, path: key })) } })),
      },
    });
    mounts.push({ name: 'secrets', mountPath: SECRETS_DIR, readOnly: true });
    n.add(
      [...P, 'volumes', volumes.length - 1, 'projected', 'defaultMode'],
      `P4: 0400 (256 in decimal); the kubelet gives the files to fsGroup ${spec.user.gid} and adds group read: 0440 root:${spec.user.gid}`,
    );
  }

  // ---------------------------------------------------------------- the container
  const handler =
    k.probe.type === 'http'
      ? { httpGet: { path: k.probe.path, port: 'http' } }
      : { exec: { command: k.probe.command } };
  const container: IContainer = {
    name: spec.name,
    image: `${k.image.name}:${k.image.tag}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
    ...(env.length > 0 ? { env } : {}),
    securityContext: containerSecurity(n, [...C, 'securityContext']),
    resources: resources(k.resources),
    ...probes(handler, spec.healthcheck),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  n.add(
    [...C, 'image'],
    'P7: the tag is set by kustomization.yaml `images:` (CI: the git SHA, or a digest to pin it); never latest',
  ).add([...C, 'ports'], 'P9: the one app port (unprivileged: no capability needed to bind it)');
  if (env.length > 0)
    n.add([...C, 'env'], 'P4: settings and secret *paths* only (<NAME>_FILE, as in compose.yaml); no secret value');
  n.add(
    [...C, 'resources'],
    'P9: memory is reserved as much as it is limited (never overcommitted); CPU is requested at a quarter\n of its limit. Kubernetes has no per-pod process limit: the node sets it (kubelet podPidsLimit)',
  ).add(
    [...C, 'startupProbe'],
    k.probe.type === 'http'
      ? `P8: probes ask the health route ${k.probe.path}: up to 150 s to start, then readiness (traffic) and liveness (restart)`
      : `P8: probes run the image HEALTHCHECK command (${k.probe.why}); up to 150 s to start,\n then readiness (traffic) and liveness (restart)`,
  );
  if (mounts.length > 0) {
    const lines = [`P8: writable paths only: in-memory scratch (${k.scratch.join(', ')})`];
    if (k.claims.length > 0)
      lines.push(` a PersistentVolumeClaim per data directory (${k.claims.map((c) => c.mountPath).join(', ')})`);
    if (sources.length > 0) lines.push(` P4: secrets as read-only files ${SECRETS_DIR}/<name>`);
    n.add([...C, 'volumeMounts'], lines.join('\n'));
  }

  // ---------------------------------------------------------------- the pod
  const pod: IPodSpec = {
    serviceAccountName: spec.name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    shareProcessNamespace: true,
    securityContext: podSecurity(n, [...P, 'securityContext'], spec.user, 'the same as USER in the Dockerfile'),
    terminationGracePeriodSeconds: 30,
    ...(k.replicas > 1
      ? {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              nodeTaintsPolicy: 'Honor',
              labelSelector: { matchLabels: sel },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: sel },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
        }
      : k.claims.length > 0
        ? {
            affinity: {
              podAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: sel }, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            },
          }
        : {}),
    containers: [container],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
  n.add([...P, 'automountServiceAccountToken'], 'P5: the app never talks to the Kubernetes API: no token in the pod')
    .add(
      [...P, 'enableServiceLinks'],
      'no <SERVICE>_PORT variables injected: the environment is only what is listed below',
    )
    .add(
      [...P, 'shareProcessNamespace'],
      "P1: the pod's pause process is PID 1 (compose's `init: true`): it reaps zombies, and the app\n gets the default signal handling, so SIGTERM stops it at once",
    );
  if (k.replicas > 1)
    n.add(
      [...P, 'topologySpreadConstraints'],
      'P8: the replicas run on different nodes (and zones, where there are any): one node failing never takes all of them',
    );
  else if (k.claims.length > 0)
    n.add(
      [...P, 'affinity'],
      'P8: a ReadWriteOnce volume is attached to one node: during a rolling update the new pod starts on the\n node of the old one (the first pod may go anywhere), so both can mount it and the update never stalls',
    );

  const obj: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, labels: labels(spec, 'app') },
    spec: {
      replicas: k.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: sel },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: { metadata: { labels: labels(spec, 'app') }, spec: pod },
    },
  };
  n.add(['spec', 'replicas'], `P8: ${k.replicasWhy}`).add(
    ['spec', 'strategy'],
    'P8: a new pod must be ready before an old one stops: updates never lower capacity',
  );
  return { obj, notes: n.list };
}

export function service(spec: KubeRun): Manifest {
  const n = new Notes().add(['spec', 'type'], 'P9: reachable inside the cluster only; see ingress.yaml to expose it');
  const obj: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, labels: labels(spec, 'app') },
    spec: {
      type: 'ClusterIP',
      selector: selector(spec, 'app'),
      ports: [{ name: 'http', port: spec.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return { obj, notes: n.list };
}

export function disruptionBudget(spec: KubeRun): Manifest {
  const k = spec.kubernetes;
  const n = new Notes()
    .add(
      ['spec', 'maxUnavailable'],
      k.replicas > 1
        ? 'P8: a node drain evicts one replica at a time; the others keep serving'
        : k.claims.length > 0
          ? 'P8: one replica (its data volume is ReadWriteOnce): a drain may evict it, which this says\n plainly instead of blocking the drain forever'
          : 'P8: one replica: a drain may evict it, which this says plainly instead of blocking the drain forever',
    )
    .add(['spec', 'unhealthyPodEvictionPolicy'], 'a pod that is not ready anyway never blocks a drain');
  const obj: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: spec.name, labels: labels(spec, 'app') },
    spec: {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: selector(spec, 'app') },
    },
  };
  return { obj, notes: n.list };
}

export function claims(spec: KubeRun): Manifest[] {
  return spec.kubernetes.claims.map((c) => {
    const n = new Notes()
      .add(
        ['spec', 'accessModes'],
        `P8: ${c.mountPath} survives restarts and updates; ReadWriteOnce: one node mounts it (hence one replica)`,
      )
      .add(['spec', 'resources'], 'the cluster default StorageClass provisions it; set storageClassName to choose one');
    const obj: IPersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c.name, labels: labels(spec, 'app') },
      spec: { accessModes: [c.accessMode], resources: { requests: { storage: c.size } } },
    };
    return { obj, notes: n.list };
  });
}

/** Pods of the cluster DNS (CoreDNS keeps the kube-dns label on kubeadm, EKS, GKE, AKS, kind, k3s). */
const DNS_PEER: INetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

export function networkPolicies(spec: KubeRun): Manifest[] {
  const out: Manifest[] = [];
  const deny: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', labels: { 'app.kubernetes.io/part-of': spec.name } },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
  out.push({
    obj: deny,
    notes: new Notes().add(
      ['spec'],
      'P9: every pod of the namespace: no traffic in or out unless a policy below allows it\n (needs a CNI that enforces NetworkPolicy: Calico, Cilium, the cloud providers’ own)',
    ).list,
  });

  const egress: NonNullable<INetworkPolicy['spec']>['egress'] = [
    {
      to: [DNS_PEER],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    },
  ];
  for (const b of spec.kubernetes.backing)
    egress.push({
      to: [{ podSelector: { matchLabels: selector(spec, b.id) } }],
      ports: [{ port: b.port, protocol: 'TCP' }],
    });
  const app: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: spec.name, labels: labels(spec, 'app') },
    spec: {
      podSelector: { matchLabels: selector(spec, 'app') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: spec.port, protocol: 'TCP' }] }],
      egress,
    },
  };
  const n = new Notes()
    .add(['spec', 'ingress'], 'P9: in: the app port only (from the ingress controller or other pods)')
    .add(
      ['spec', 'egress'],
      spec.kubernetes.backing.length > 0
        ? `P9: out: cluster DNS and ${spec.kubernetes.backing.map((b) => b.id).join(', ')} only; add a rule for each API the app calls`
        : 'P9: out: cluster DNS only; add a rule for each API or database the app calls',
    );
  out.push({ obj: app, notes: n.list });

  for (const b of spec.kubernetes.backing) {
    const pol: INetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: b.id, labels: labels(spec, b.id) },
      spec: {
        podSelector: { matchLabels: selector(spec, b.id) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: selector(spec, 'app') } }],
            ports: [{ port: b.port, protocol: 'TCP' }],
          },
        ],
      },
    };
    out.push({
      obj: pol,
      notes: new Notes().add(['spec', 'ingress'], `P9: ${b.id} admits the app alone, on its port; it sends nothing out`)
        .list,
    });
  }
  return out;
}
