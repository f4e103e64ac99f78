import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3003',
    name: 'run-as-non-root',
    principle: 'P5',
    severity: 'error',
    message: 'Container may run as root (runAsNonRoot is not true)',
    description:
      'Without `runAsNonRoot: true` (on the pod or the container), a container runs as whatever user its image says, root by default: one image change makes the workload root. With it, the kubelet refuses to start a container whose user is 0. The restricted Pod Security Standard requires it for every container.',
    fix: "Set `securityContext.runAsNonRoot: true` on the pod (and `runAsUser` to the image's numeric user, see SC3005); never `false` on a container.",
    related: ['CKV_K8S_23', 'kube-linter:run-as-non-root'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const { value, from } = effective(c, 'runAsNonRoot');
      if (value !== true)
        report({
          line: effectiveLine(c, 'runAsNonRoot', from),
          message:
            value === false
              ? `${c.label}: runAsNonRoot is false`
              : `${c.label}: runAsNonRoot is not set (on the pod or the container)`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'on the pod',
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
    - name: sidecar
      image: sidecar:1.0
`,
    },
    {
      name: 'on each container',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      securityContext:
        runAsNonRoot: true
`,
    },
  ],
  invalid: [
    {
      name: 'not set, runAsUser only (the restricted profile wants runAsNonRoot)',
      differs: ['CKV_K8S_23'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsUser: 1000
  containers:
    - name: app
      image: app:1.0
`,
      errors: [{ rule: 'SC3003', line: 9 }],
    },
    {
      name: 'a container overrides the pod with false',
      from: ['CKV_K8S_23'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: app:1.0
    - name: debug
      image: busybox:1.36
      securityContext:
        runAsNonRoot: false
`,
      errors: [{ rule: 'SC3003', line: 14 }],
    },
  ],
};
