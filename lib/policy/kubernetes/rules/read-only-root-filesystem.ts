import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { containerContext, contextLine } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3014',
    name: 'read-only-root-filesystem',
    principle: 'P8',
    severity: 'warning',
    message: 'Container root filesystem is writable (readOnlyRootFilesystem is not true)',
    description:
      "A writable root lets an intruder drop tools and change the image\\'s own files, and lets the app keep state where a restart silently loses it. With `readOnlyRootFilesystem: true` every writable path is a declared volume: an emptyDir for scratch, a PersistentVolumeClaim for data (compose: `read_only` + tmpfs).",
    fix: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the process writes (/tmp, caches).',
    sameAs: ['CKV_K8S_22'],
    related: ['kube-linter:no-read-only-root-fs'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      if (c.group === 'ephemeralContainers') continue; // debugging containers, added by kubectl debug
      if (containerContext(c).readOnlyRootFilesystem !== true)
        report({
          line: contextLine(c, 'readOnlyRootFilesystem'),
          message: `${c.label}: the root filesystem is writable`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      from: ['CKV_K8S_22'],
      code: `apiVersion: v1
kind: Pod
metadata:
  labels:
    run: readonly-container
  name: readonly-container
spec:
  containers:
  - image: ubuntu
    name: readonly-container
    command: ["/bin/sh", "-c", "sleep infinity"]
    securityContext:
      readOnlyRootFilesystem: true
  restartPolicy: Never
`,
    },
  ],
  invalid: [
    {
      name: 'false',
      from: ['CKV_K8S_22'],
      code: `apiVersion: v1
kind: Pod
metadata:
  labels:
    run: readonly-container
  name: readonly-container
spec:
  containers:
  - image: ubuntu
    name: readonly-container
    command: ["/bin/sh", "-c", "sleep infinity"]
    securityContext:
      readOnlyRootFilesystem: false
  restartPolicy: Never
`,
      errors: [{ rule: 'SC3014', line: 13 }],
    },
    {
      name: 'not set, in a ReplicaSet',
      from: ['CKV_K8S_22'],
      code: `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: gcr.io/google_samples/gb-frontend:v3
`,
      errors: [{ rule: 'SC3014', line: 16 }],
    },
  ],
};
