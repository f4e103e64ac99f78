import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { capabilityList, containerContext, isRecord } from '../model.js';

/** The one capability the restricted Pod Security Standard lets a container add back. */
const ALLOWED = new Set(['NET_BIND_SERVICE']);

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3007',
    name: 'no-added-capabilities',
    principle: 'P5',
    severity: 'error',
    message: 'Container adds a Linux capability other than NET_BIND_SERVICE',
    description:
      'Each added capability is a piece of root: SYS_ADMIN is nearly all of it, NET_ADMIN rewrites the network, SYS_PTRACE reads other processes. The restricted Pod Security Standard allows adding NET_BIND_SERVICE only (to bind a port below 1024).',
    fix: 'Remove the capability from `securityContext.capabilities.add`; listen on a port above 1024 instead of adding NET_BIND_SERVICE where you can.',
    related: ['CKV_K8S_25', 'CKV_K8S_39'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const caps = containerContext(c).capabilities;
      if (!isRecord(caps)) continue;
      const bad = capabilityList(caps.add).filter((x) => !ALLOWED.has(x));
      if (bad.length > 0)
        report({
          line: c.lineOf('securityContext', 'capabilities', 'add'),
          message: `${c.label} adds ${bad.join(', ')}`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'NET_BIND_SERVICE is allowed',
      differs: ['CKV_K8S_25'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]
`,
    },
    {
      from: ['CKV_K8S_25', 'CKV_K8S_39'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: web
      image: nginx:1.27
`,
    },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN',
      from: ['CKV_K8S_25', 'CKV_K8S_39'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: tool
      image: tool:1.0
      securityContext:
        capabilities:
          add: ["SYS_ADMIN", "NET_BIND_SERVICE"]
`,
      errors: [{ rule: 'SC3007', line: 11 }],
    },
  ],
};
