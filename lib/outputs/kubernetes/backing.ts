// Backing services (postgres, redis) in the cluster: a StatefulSet each, under the same restricted
// context as the app (their images' own non-root users), with a PersistentVolumeClaim per replica,
// a headless Service and their own ServiceAccount. What each image runs (environment or command,
// health check) comes from the same catalog as compose.yaml (lib/spec/services.ts).
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IService } from 'kubernetes-models/v1/Service';
import { SECRETS_DIR } from '../../spec/secrets.js';
import { SERVICE_DEFS } from '../../spec/services.js';
import type { KubernetesBacking } from '../../spec/kubernetes.js';
import { SECRET_FILE_MODE, serviceAccount } from './app.js';
import {
  containerSecurity,
  fromCompose,
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

/** Where postgres keeps its cluster: a subdirectory of the volume (initdb needs an empty directory it owns; a volume's root may hold lost+found). */
export const PGDATA_SUBDIR = 'pgdata';

/** A compose healthcheck `test` as an exec probe command. */
function probeCommand(test: unknown): string[] {
  const t = Array.isArray(test) ? test.map(String) : [];
  if (t[0] === 'CMD-SHELL') return ['/bin/sh', '-c', fromCompose(t.slice(1).join(' '))];
  if (t[0] === 'CMD') return t.slice(1).map(fromCompose);
  return t.map(fromCompose);
}

/** Scratch paths of a service on its read-only root (the compose file's tmpfs). */
function scratchOf(b: KubernetesBacking): string[] {
  // compose mounts all of /run for postgres (a Podman quirk, see lib/spec/services.ts); the pod
  // needs only the socket directory
  return SERVICE_DEFS[b.id].tmpfs.map((p) => (p === '/run' && b.id === 'postgres' ? '/var/run/postgresql' : p));
}

function serviceContainer(b: KubernetesBacking, n: Notes, C: (string | number)[]): IContainer {
  const def = SERVICE_DEFS[b.id];
  const own = def.compose().settings as {
    environment?: Record<string, string>;
    command?: string[];
    healthcheck?: Record<string, unknown>;
  };
  const env: IEnvVar[] = Object.entries(own.environment ?? {}).map(([name, value]) => ({
    name,
    value: kubeLiteral(fromCompose(value)),
  }));
  if (b.id === 'postgres') env.push({ name: 'PGDATA', value: `${b.dataTarget}/${PGDATA_SUBDIR}` });
  const hc = own.healthcheck ?? {};
  const scratch = scratchOf(b);
  const container: IContainer = {
    name: b.id,
    image: b.image,
    imagePullPolicy: 'IfNotPresent',
    ...(own.command ? { command: own.command.map((a) => kubeLiteral(fromCompose(a))) } : {}),
    ports: [{ name: b.id, containerPort: b.port, protocol: 'TCP' }],
    ...(env.length > 0 ? { env } : {}),
    securityContext: containerSecurity(n, [...C, 'securityContext']),
    resources: resources(b.resources),
    ...probes(
      { exec: { command: probeCommand(hc.test) } },
      {
        interval: typeof hc.interval === 'string' ? hc.interval : '10s',
        timeout: typeof hc.timeout === 'string' ? hc.timeout : '5s',
        retries: typeof hc.retries === 'number' ? hc.retries : 5,
      },
    ),
    volumeMounts: [
      { name: 'data', mountPath: b.dataTarget },
      ...scratch.map((p) => ({ name: volumeName(p), mountPath: p })),
      { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true },
    ],
  };
  n.add([...C, 'image'], 'P3/P7: official image, explicit version tag (pin a digest in kustomization.yaml `images:`)');
  if (own.command)
    n.add(
      [...C, 'command'],
      'P4: requirepass from the secret file via a config file on the in-memory /tmp (never argv or env)',
    );
  if (b.id === 'postgres')
    n.add(
      [...C, 'env'],
      `P4: the password only as a file; PGDATA in a subdirectory of the volume (initdb creates it, owned by ${b.user.uid}, mode 0700)`,
    );
  n.add([...C, 'volumeMounts'], 'P8: data on the claim, scratch in memory, the password read-only');
  return container;
}

export function backingManifests(spec: KubeRun, b: KubernetesBacking): Manifest[] {
  const sel = selector(spec, b.id);
  const lbl = labels(spec, b.id);
  const svc: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: b.id, labels: lbl },
    spec: {
      clusterIP: 'None',
      selector: sel,
      ports: [{ name: b.id, port: b.port, targetPort: b.id, protocol: 'TCP' }],
    },
  };
  const svcNotes = new Notes().add(
    ['spec', 'clusterIP'],
    `headless: "${b.id}" resolves to the pod itself (the app's ${Object.keys(SERVICE_DEFS[b.id].appEnv)[0]}); P9: inside the cluster only`,
  );

  const n = new Notes();
  const P = ['spec', 'template', 'spec'];
  const container = serviceContainer(b, n, [...P, 'containers', 0]);
  const scratch = scratchOf(b);
  const sts: IStatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: b.id, labels: lbl },
    spec: {
      serviceName: b.id,
      replicas: 1,
      selector: { matchLabels: sel },
      template: {
        metadata: { labels: lbl },
        spec: {
          serviceAccountName: b.id,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(
            n,
            [...P, 'securityContext'],
            b.user,
            `the image's own ${b.id} user, owner of its data directory`,
          ),
          terminationGracePeriodSeconds: 30,
          containers: [container],
          volumes: [
            ...scratch.map((p) => scratchVolume(volumeName(p), p === '/tmp' ? '64Mi' : '16Mi')),
            {
              name: 'secrets',
              projected: {
                defaultMode: SECRET_FILE_MODE,
                sources: [
                  {
                    secret: {
                      name: b.passwordSecret.name,
                      items: b.passwordSecret.keys.map((key) => ({ key, path: key })),
                    },
                  },
                ],
              },
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: lbl },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: b.size } } },
        },
      ],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
  };
  const vols = sts.spec?.template.spec?.volumes ?? [];
  n.add(
    [...P, 'volumes', vols.length - 1, 'projected', 'defaultMode'],
    `P4: 0400 (256 in decimal); the kubelet gives the file to fsGroup ${b.user.gid} and adds group read: 0440 root:${b.user.gid}`,
  );
  n.add(
    ['spec', 'replicas'],
    `one ${b.id} server (not a replicated cluster: use a managed service or an operator for that)`,
  )
    .add([...P, 'automountServiceAccountToken'], `P5: ${b.id} never talks to the Kubernetes API`)
    .add(
      ['spec', 'volumeClaimTemplates'],
      'P8: its own ReadWriteOnce claim (data-' + b.id + '-0), kept when the StatefulSet is deleted',
    );
  const sa = serviceAccount(b.id, lbl, `P5: ${b.id}'s own identity, without an API token`);
  return [sa, { obj: svc, notes: svcNotes.list }, { obj: sts, notes: n.list }];
}
