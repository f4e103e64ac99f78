import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { containerContext, contextLine } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3002',
    name: 'no-privilege-escalation',
    principle: 'P5',
    severity: 'error',
    message: 'Container may gain privileges (allowPrivilegeEscalation is not false)',
    description:
      'Unless `allowPrivilegeEscalation` is `false`, a setuid binary (su, sudo, ping on some images) or a file capability can give a process more privileges than its parent: the kernel default lets it. `false` sets no_new_privs, what compose calls `no-new-privileges`. The restricted Pod Security Standard requires it on every container.',
    fix: 'Set `securityContext.allowPrivilegeEscalation: false` on every container (init and ephemeral ones included).',
    sameAs: ['CKV_K8S_20'],
    related: ['kube-linter:privilege-escalation-container'],
  }),
  check({ model, report }) {
    for (const c of model.containers)
      if (containerContext(c).allowPrivilegeEscalation !== false)
        report({
          line: contextLine(c, 'allowPrivilegeEscalation'),
          message: `${c.label}: allowPrivilegeEscalation is not false`,
        });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'the security-context example of the Kubernetes docs',
      from: ['CKV_K8S_20'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: security-context-demo
spec:
  securityContext:
    runAsUser: 1000
    runAsGroup: 3000
    fsGroup: 2000
  volumes:
  - name: sec-ctx-vol
    emptyDir: {}
  containers:
  - name: sec-ctx-demo
    image: busybox
    command: [ "sh", "-c", "sleep 1h" ]
    volumeMounts:
    - name: sec-ctx-vol
      mountPath: /data/demo
    securityContext:
      allowPrivilegeEscalation: false
`,
    },
  ],
  invalid: [
    {
      name: 'allowPrivilegeEscalation: true',
      from: ['CKV_K8S_20'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: attacker-pod
spec:
  hostPID: true
  containers:
  - image: ubuntu
    name: attacker-pod
    command: ["/bin/sh", "-c", "sleep infinity"]
    securityContext:
      privileged: true
      allowPrivilegeEscalation: true
  restartPolicy: Never
`,
      errors: [{ rule: 'SC3002', line: 13 }],
    },
    {
      name: 'not set (the default allows escalation)',
      from: ['CKV_K8S_20'],
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
      errors: [{ rule: 'SC3002', line: 15 }],
    },
  ],
};
