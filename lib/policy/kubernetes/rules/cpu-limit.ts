import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { get } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3016',
    name: 'cpu-limit',
    principle: 'P9',
    severity: 'warning',
    message: 'Container has no CPU limit (resources.limits.cpu)',
    description:
      'Without a CPU limit a busy or abused container (a crypto miner, a request flood) takes every core of the node from its neighbours. A limit throttles it instead (compose: `cpus`).',
    fix: 'Set `resources.limits.cpu` (and the matching request) on every container.',
    sameAs: ['CKV_K8S_11'],
    related: ['kube-linter:unset-cpu-requirements'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      if (c.group === 'ephemeralContainers') continue; // the API gives them no resources
      const v = get(c.value, ['resources', 'limits', 'cpu']);
      if (v === undefined || v === null || v === '') report({ line: c.line, message: `${c.label} has no CPU limit` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'requests and limits',
      from: ['CKV_K8S_11'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: frontend
spec:
  containers:
  - name: app
    image: images.my-company.example/app:v4
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
      limits:
        memory: "128Mi"
        cpu: "500m"
`,
    },
  ],
  invalid: [
    {
      name: 'one container of two without limits',
      from: ['CKV_K8S_11'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: frontend
spec:
  containers:
  - name: app
    image: images.my-company.example/app:v4
    resources:
      limits:
        memory: "128Mi"
        cpu: "500m"
  - name: log-aggregator
    image: images.my-company.example/log-aggregator:v6
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
`,
      errors: [{ rule: 'SC3016', line: 13 }],
    },
    {
      name: 'a CronJob',
      from: ['CKV_K8S_11'],
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
          containers:
          - name: hello
            image: busybox:1.36
            args: ["date"]
          restartPolicy: OnFailure
`,
      errors: [{ rule: 'SC3016', line: 12 }],
    },
  ],
};
