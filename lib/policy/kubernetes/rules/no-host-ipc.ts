import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3011',
    name: 'no-host-ipc',
    principle: 'P9',
    severity: 'error',
    message: 'Pod shares the host IPC namespace (hostIPC: true)',
    description:
      "`hostIPC: true` shares the node's System V IPC and POSIX shared memory: the pod can read or corrupt the shared memory of every process on the node. The baseline Pod Security Standard (and so the restricted one) forbids it.",
    fix: 'Remove `hostIPC: true`.',
    sameAs: ['CKV_K8S_18'],
    related: ['kube-linter:host-ipc'],
  }),
  check({ model, report }) {
    for (const p of model.pods)
      if (p.spec.hostIPC === true)
        report({ line: p.lineOf('hostIPC'), message: `${p.object.kind} ${p.object.name || '(unnamed)'} uses hostIPC` });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a StatefulSet without host namespaces',
      from: ['CKV_K8S_18'],
      code: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: memcached
spec:
  serviceName: memcached
  selector:
    matchLabels:
      app: memcached
  template:
    metadata:
      labels:
        app: memcached
    spec:
      containers:
        - name: memcached
          image: memcached:1.6
          ports:
            - containerPort: 11211
`,
    },
    {
      name: 'another host namespace is another rule',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostIPC: false
  hostNetwork: true
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      name: 'a Pod',
      from: ['CKV_K8S_18'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: busybox
    image: busybox
    stdin: true
  hostIPC: true
  restartPolicy: Always
`,
      errors: [{ rule: 'SC3011', line: 10 }],
    },
    {
      name: 'a CronJob',
      from: ['CKV_K8S_18'],
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostIPC: true
          containers:
          - name: hello
            image: busybox:1.36
            args: ["date"]
          restartPolicy: OnFailure
`,
      errors: [{ rule: 'SC3011', line: 11 }],
    },
  ],
};
