import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { get } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3017',
    name: 'resource-requests',
    principle: 'P9',
    severity: 'warning',
    message: 'Container has no CPU or memory request',
    description:
      'Requests are what the scheduler reserves on a node. A container without them (and without limits, which stand in for them) is placed as if it needed nothing: nodes get overcommitted, and the container is the first evicted when the node runs short (BestEffort class).',
    fix: 'Set `resources.requests.cpu` and `resources.requests.memory` (a memory request equal to the limit reserves what the container may use).',
    related: ['CKV_K8S_10', 'CKV_K8S_12'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      if (c.group === 'ephemeralContainers') continue;
      // a limit without a request defaults the request to the limit
      const missing = ['cpu', 'memory'].filter(
        (r) =>
          get(c.value, ['resources', 'requests', r]) === undefined &&
          get(c.value, ['resources', 'limits', r]) === undefined,
      );
      if (missing.length > 0) report({ line: c.line, message: `${c.label} has no ${missing.join(' or ')} request` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'requests',
      from: ['CKV_K8S_10', 'CKV_K8S_12'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1.0
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
`,
    },
    {
      name: 'limits only (the requests default to them)',
      differs: ['CKV_K8S_10', 'CKV_K8S_12'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1.0
    resources:
      limits:
        memory: "64Mi"
        cpu: "250m"
`,
    },
  ],
  invalid: [
    {
      name: 'none',
      from: ['CKV_K8S_10', 'CKV_K8S_12'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: app:1.0
`,
      errors: [{ rule: 'SC3017', line: 7 }],
    },
  ],
};
