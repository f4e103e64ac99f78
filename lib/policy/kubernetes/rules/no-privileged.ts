import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { containerContext } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3001',
    name: 'no-privileged',
    principle: 'P5',
    severity: 'error',
    message: 'Container runs privileged',
    description:
      '`securityContext.privileged: true` gives the container every capability and every host device and turns off seccomp and AppArmor: root in it is root on the node. The baseline Pod Security Standard (and so the restricted one) forbids it.',
    fix: 'Remove `privileged: true` (or set it to false); add only the specific capability the container needs.',
    sameAs: ['CKV_K8S_16'],
    related: ['kube-linter:privileged-container'],
  }),
  check({ model, report }) {
    for (const c of model.containers)
      if (containerContext(c).privileged === true)
        report({ line: c.lineOf('securityContext', 'privileged'), message: `${c.label} runs privileged` });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a Deployment without a security context',
      from: ['CKV_K8S_16'],
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`,
    },
    {
      name: 'privileged: false',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: false
`,
    },
  ],
  invalid: [
    {
      name: 'a privileged Pod',
      from: ['CKV_K8S_16'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: privileged
spec:
  containers:
  - name: busybox
    image: busybox
    stdin: true
    securityContext:
      privileged: true
  hostNetwork: true
  restartPolicy: Always
`,
      errors: [{ rule: 'SC3001', line: 11 }],
    },
    {
      name: 'an init container of a DaemonSet',
      from: ['CKV_K8S_16'],
      code: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      initContainers:
        - name: setup
          image: busybox:1.36
          securityContext:
            privileged: true
      containers:
        - name: agent
          image: agent:1.0
`,
      errors: [{ rule: 'SC3001', line: 18 }],
    },
  ],
};
