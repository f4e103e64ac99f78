import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord, scalarText } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3013',
    name: 'no-host-port',
    principle: 'P9',
    severity: 'error',
    message: 'Container publishes a port on the node (hostPort)',
    description:
      "A hostPort opens the port on the node's own addresses, outside Services and NetworkPolicies, and ties the pod to nodes where the port is free. The baseline Pod Security Standard (and so the restricted one) disallows host ports.",
    fix: 'Remove `hostPort`; expose the container through a Service (and an Ingress or a LoadBalancer Service from outside).',
    sameAs: ['CKV_K8S_26'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const ports = c.value.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        if (isRecord(p) && p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0)
          report({
            line: c.lineOf('ports', i, 'hostPort'),
            message: `${c.label} publishes host port ${scalarText(p.hostPort)}`,
          });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'container ports only',
      from: ['CKV_K8S_26'],
      code: `apiVersion: v1
kind: Service
metadata:
  name: my-nginx-svc
  labels:
    app: nginx
spec:
  type: LoadBalancer
  ports:
    - port: 80
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
  labels:
    app: nginx
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
  ],
  invalid: [
    {
      name: 'hostPort 443',
      from: ['CKV_K8S_26'],
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
  labels:
    app: nginx
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
            - containerPort: 443
              hostPort: 443
              name: https
`,
      errors: [{ rule: 'SC3013', line: 23 }],
    },
    {
      name: 'a node exporter DaemonSet',
      from: ['CKV_K8S_26'],
      code: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      containers:
        - name: node-exporter
          image: prom/node-exporter:v1.8.2
          ports:
            - containerPort: 9100
              hostPort: 9100
              name: scrape
`,
      errors: [{ rule: 'SC3013', line: 19 }],
    },
  ],
};
