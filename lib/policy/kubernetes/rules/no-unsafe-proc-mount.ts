import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { containerContext, scalarText } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3026',
    name: 'no-unsafe-proc-mount',
    principle: 'P5',
    severity: 'error',
    message: 'Container unmasks /proc (procMount is not Default)',
    description:
      '`procMount: Unmasked` removes the masks the runtime puts over sensitive /proc paths (kcore, keys, timer lists, sysrq-trigger): the container can read kernel memory information or act on the node. The baseline Pod Security Standard (and so the restricted one) requires the Default proc mount.',
    fix: 'Remove `securityContext.procMount` (or set it to Default).',
    related: ['kube-linter:unsafe-proc-mount'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const pm = containerContext(c).procMount;
      if (pm !== undefined && pm !== null && pm !== 'Default')
        report({ line: c.lineOf('securityContext', 'procMount'), message: `${c.label}: procMount ${scalarText(pm)}` });
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
  containers:
    - name: app
      image: app:1.0
      securityContext:
        procMount: Default
`,
    },
  ],
  invalid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostUsers: false
  containers:
    - name: app
      image: app:1.0
      securityContext:
        procMount: Unmasked
`,
      errors: [{ rule: 'SC3026', line: 11 }],
    },
  ],
};
