import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine, isRecord, scalarText } from '../model.js';

const CONFINED = new Set(['RuntimeDefault', 'Localhost']);

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3008',
    name: 'seccomp-profile',
    principle: 'P5',
    severity: 'error',
    message: 'Container runs without a seccomp profile (RuntimeDefault or Localhost)',
    description:
      'Kubernetes runs containers `Unconfined` unless a seccomp profile is set (or the kubelet defaults it): every system call is allowed, including those most kernel exploits need. The restricted Pod Security Standard requires `seccompProfile.type` RuntimeDefault or Localhost, on the pod or on every container, and never Unconfined.',
    fix: 'Set `securityContext.seccompProfile: {type: RuntimeDefault}` on the pod.',
    related: ['CKV_K8S_31', 'kube-linter:unsafe-seccomp-profile'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const { value, from } = effective(c, 'seccompProfile');
      const type = isRecord(value) ? value.type : undefined;
      if (typeof type === 'string' && CONFINED.has(type)) continue;
      report({
        line: effectiveLine(c, 'seccompProfile', from),
        message:
          type === undefined
            ? `${c.label}: no seccompProfile (on the pod or the container)`
            : `${c.label}: seccompProfile ${scalarText(type)}`,
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'RuntimeDefault on the pod',
      from: ['CKV_K8S_31'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: app:1.0
`,
    },
    {
      name: 'Localhost on the container',
      differs: ['CKV_K8S_31'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      securityContext:
        seccompProfile:
          type: Localhost
          localhostProfile: profiles/app.json
`,
    },
  ],
  invalid: [
    {
      name: 'none',
      from: ['CKV_K8S_31'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
`,
      errors: [{ rule: 'SC3008', line: 7 }],
    },
    {
      name: 'a container overrides the pod with Unconfined',
      differs: ['CKV_K8S_31'],
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels:
      app: d
  template:
    metadata:
      labels:
        app: d
    spec:
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: app:1.0
          securityContext:
            seccompProfile:
              type: Unconfined
`,
      errors: [{ rule: 'SC3008', line: 21 }],
    },
  ],
};
