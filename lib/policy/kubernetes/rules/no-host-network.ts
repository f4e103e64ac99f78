import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3009',
    name: 'no-host-network',
    principle: 'P9',
    severity: 'error',
    message: 'Pod shares the host network namespace (hostNetwork: true)',
    description:
      "`hostNetwork: true` puts the pod on the node's own network stack: it can bind any node port, reach services listening on localhost and bypass NetworkPolicies. The baseline Pod Security Standard (and so the restricted one) forbids it.",
    fix: 'Remove `hostNetwork: true`.',
    sameAs: ['CKV_K8S_19'],
    related: ['kube-linter:host-network'],
  }),
  check({ model, report }) {
    for (const p of model.pods)
      if (p.spec.hostNetwork === true)
        report({
          line: p.lineOf('hostNetwork'),
          message: `${p.object.kind} ${p.object.name || '(unnamed)'} uses hostNetwork`,
        });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a StatefulSet without host namespaces',
      from: ['CKV_K8S_19'],
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
  hostNetwork: false
  hostPID: true
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      name: 'a Pod',
      from: ['CKV_K8S_19'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: busybox
    image: busybox
    stdin: true
  hostNetwork: true
  restartPolicy: Always
`,
      errors: [{ rule: 'SC3009', line: 10 }],
    },
    {
      name: 'a CronJob',
      from: ['CKV_K8S_19'],
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
          hostNetwork: true
          containers:
          - name: hello
            image: busybox:1.36
            args: ["date"]
          restartPolicy: OnFailure
`,
      errors: [{ rule: 'SC3009', line: 11 }],
    },
  ],
};
