import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3010',
    name: 'no-host-pid',
    principle: 'P9',
    severity: 'error',
    message: 'Pod shares the host process ID namespace (hostPID: true)',
    description:
      '`hostPID: true` shows the pod every process of the node: it can read their environment (secrets included) and, with ptrace, take them over. The baseline Pod Security Standard (and so the restricted one) forbids it.',
    fix: 'Remove `hostPID: true`.',
    sameAs: ['CKV_K8S_17'],
    related: ['kube-linter:host-pid'],
  }),
  check({ model, report }) {
    for (const p of model.pods)
      if (p.spec.hostPID === true)
        report({ line: p.lineOf('hostPID'), message: `${p.object.kind} ${p.object.name || '(unnamed)'} uses hostPID` });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a StatefulSet without host namespaces',
      from: ['CKV_K8S_17'],
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
  hostPID: false
  hostIPC: true
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      name: 'a Pod',
      from: ['CKV_K8S_17'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: busybox
    image: busybox
    stdin: true
  hostPID: true
  restartPolicy: Always
`,
      errors: [{ rule: 'SC3010', line: 10 }],
    },
    {
      name: 'a CronJob',
      from: ['CKV_K8S_17'],
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
          hostPID: true
          containers:
          - name: hello
            image: busybox:1.36
            args: ["date"]
          restartPolicy: OnFailure
`,
      errors: [{ rule: 'SC3010', line: 11 }],
    },
  ],
};
