import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3020',
    name: 'service-account-token',
    principle: 'P5',
    severity: 'warning',
    message: 'Pod mounts a Kubernetes API token (automountServiceAccountToken is not false)',
    description:
      'By default every pod gets a token of its ServiceAccount at /var/run/secrets/kubernetes.io/serviceaccount: whoever runs code in the pod can call the API server with its permissions (and, for the `default` account, whatever was granted to it over time). An app that never calls the API should not hold one.',
    fix: 'Set `automountServiceAccountToken: false` on the pod (or on its own ServiceAccount in the same file); mount a projected token only where the API is really used.',
    related: ['CKV_K8S_38'],
  }),
  check({ model, report }) {
    // ServiceAccounts of the same file that never mount their token
    const quiet = new Set(
      model.objects
        .filter((o) => o.kind === 'ServiceAccount' && o.value.automountServiceAccountToken === false)
        .map((o) => o.name),
    );
    for (const p of model.pods) {
      const own = p.spec.automountServiceAccountToken;
      if (own === false) continue;
      const sa = typeof p.spec.serviceAccountName === 'string' ? p.spec.serviceAccountName : 'default';
      if (own === undefined && quiet.has(sa)) continue;
      report({
        line: own === undefined ? p.object.line : p.lineOf('automountServiceAccountToken'),
        message: `${p.object.kind} ${p.object.name || '(unnamed)'} mounts a token of ServiceAccount "${sa}"`,
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'on the pod',
      from: ['CKV_K8S_38'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod-pass
spec:
  automountServiceAccountToken: false
  containers:
    - name: main
      image: alpine
      command: ["/bin/sleep", "999999"]
`,
    },
    {
      name: 'on its own ServiceAccount, in the same file',
      differs: ['CKV_K8S_38'],
      code: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  serviceAccountName: app
  containers:
    - name: main
      image: alpine:3.20
`,
    },
  ],
  invalid: [
    {
      name: 'not set, and set to true',
      from: ['CKV_K8S_38'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod1
spec:
  containers:
    - name: main
      image: alpine
      command: ["/bin/sleep", "999999"]
---
apiVersion: v1
kind: Pod
metadata:
  name: pod2
spec:
  automountServiceAccountToken: true
  containers:
    - name: main
      image: alpine
      command: ["/bin/sleep", "999999"]
`,
      errors: [
        { rule: 'SC3020', line: 1 },
        { rule: 'SC3020', line: 16 },
      ],
    },
  ],
};
