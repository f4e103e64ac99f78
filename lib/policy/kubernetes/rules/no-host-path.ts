import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3012',
    name: 'no-host-path',
    principle: 'P9',
    severity: 'error',
    message: 'Pod mounts a directory of the node (hostPath volume)',
    description:
      "A hostPath volume gives the pod the node's own files: the container runtime socket (`/var/run/docker.sock`, containerd's), `/etc`, the kubelet's credentials, other pods' volumes. Read-write, it is a way out of the container; read-only, it still leaks. The baseline Pod Security Standard (and so the restricted one) forbids it.",
    fix: 'Use a PersistentVolumeClaim, an emptyDir, a ConfigMap or a Secret instead; a node agent that truly needs the host belongs in a namespace with a privileged policy.',
    related: ['CKV_K8S_27', 'kube-linter:sensitive-host-mounts', 'kube-linter:docker-sock'],
  }),
  check({ model, report }) {
    for (const p of model.pods) {
      const vols = p.spec.volumes;
      if (!Array.isArray(vols)) continue;
      vols.forEach((v, i) => {
        if (!isRecord(v) || v.hostPath === undefined) return;
        const path = isRecord(v.hostPath) && typeof v.hostPath.path === 'string' ? v.hostPath.path : '?';
        report({
          line: p.lineOf('volumes', i, 'hostPath'),
          message: `${p.object.kind} ${p.object.name || '(unnamed)'} mounts the node's ${path} (hostPath)`,
        });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      volumeMounts:
        - name: cache
          mountPath: /cache
  volumes:
    - name: cache
      emptyDir: {}
`,
    },
  ],
  invalid: [
    {
      name: 'the node root',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: busybox
    image: busybox
    volumeMounts:
    - name: host-root-volume
      mountPath: /host
  volumes:
  - name: host-root-volume
    hostPath:
      path: /
`,
      errors: [{ rule: 'SC3012', line: 14 }],
    },
    {
      name: 'the Docker socket',
      from: ['CKV_K8S_27'],
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ci-agent
spec:
  selector:
    matchLabels:
      app: ci-agent
  template:
    metadata:
      labels:
        app: ci-agent
    spec:
      containers:
        - name: agent
          image: agent:2.1
          volumeMounts:
            - name: docker
              mountPath: /var/run/docker.sock
      volumes:
        - name: docker
          hostPath:
            path: /var/run/docker.sock
            type: Socket
`,
      errors: [{ rule: 'SC3012', line: 22 }],
    },
  ],
};
