import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { longRunning } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3018',
    name: 'liveness-probe',
    principle: 'P8',
    severity: 'warning',
    message: 'Container has no livenessProbe',
    description:
      "Without a liveness probe a container that hangs (a deadlock, an exhausted pool) keeps running and keeps its traffic until someone notices: the kubelet restarts only what exits. The probe is the cluster's HEALTHCHECK (compose: `healthcheck`). Jobs and CronJobs, which run to completion, and init containers are not checked.",
    fix: 'Add a `livenessProbe` (httpGet on the health route, or exec of the image HEALTHCHECK command) to every container.',
    sameAs: ['CKV_K8S_8'],
    related: ['kube-linter:no-liveness-probe'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      if (c.group !== 'containers' || !longRunning(c.pod)) continue;
      if (c.value.livenessProbe === undefined || c.value.livenessProbe === null)
        report({ line: c.line, message: `${c.label} has no livenessProbe` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'both probes',
      from: ['CKV_K8S_8'],
      code: `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: k8s.gcr.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
    readinessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`,
    },
    {
      name: 'a Job',
      from: ['CKV_K8S_8'],
      code: `apiVersion: batch/v1
kind: Job
metadata:
  name: countdown
spec:
  template:
    spec:
      containers:
      - name: counter
        image: centos:7
        command: ["bin/bash", "-c", "for i in 3 2 1 ; do echo $i ; done"]
      restartPolicy: Never
`,
    },
  ],
  invalid: [
    {
      name: 'the second container has none',
      from: ['CKV_K8S_8'],
      code: `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: k8s.gcr.io/busybox
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
    readinessProbe:
      exec:
        command: [cat, /tmp/healthy]
  - name: noliveness
    image: k8s.gcr.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600
`,
      errors: [{ rule: 'SC3018', line: 17 }],
    },
  ],
};
