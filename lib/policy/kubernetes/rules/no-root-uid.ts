import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3004',
    name: 'no-root-uid',
    principle: 'P5',
    severity: 'error',
    message: 'Container runs as UID 0 (runAsUser: 0)',
    description:
      '`runAsUser: 0` runs the process as root whatever the image says, and defeats `runAsNonRoot` (the kubelet refuses to start it, or, without runAsNonRoot, runs it as root). The restricted Pod Security Standard forbids it on the pod and on every container.',
    fix: 'Set `runAsUser` to the numeric non-root user of the image (10000 or more keeps it apart from host users), or remove it.',
    related: ['CKV_K8S_40', 'kube-linter:run-as-non-root'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const { value, from } = effective(c, 'runAsUser');
      if (value === 0)
        report({ line: effectiveLine(c, 'runAsUser', from), message: `${c.label} runs as UID 0 (root)` });
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
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: app
      image: app:1.0
`,
    },
  ],
  invalid: [
    {
      name: 'on the pod',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsUser: 0
  containers:
    - name: app
      image: app:1.0
`,
      errors: [{ rule: 'SC3004', line: 7 }],
    },
    {
      name: 'a container overrides a non-root pod',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsUser: 10001
  containers:
    - name: app
      image: app:1.0
      securityContext:
        runAsUser: 0
`,
      errors: [{ rule: 'SC3004', line: 12 }],
    },
  ],
};
