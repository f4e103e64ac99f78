import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { capabilityList, containerContext, contextLine, isRecord } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3006',
    name: 'drop-all-capabilities',
    principle: 'P5',
    severity: 'error',
    message: 'Container keeps the default Linux capabilities (capabilities.drop lacks ALL)',
    description:
      "A container starts with the runtime's default capabilities (CHOWN, DAC_OVERRIDE, FOWNER, NET_RAW, SETUID, SETGID…): enough to spoof packets or, as root, to take over files. The restricted Pod Security Standard requires `drop: [ALL]` on every container; add back only what one needs (NET_BIND_SERVICE).",
    fix: 'Set `securityContext.capabilities.drop: [ALL]` on every container.',
    sameAs: ['CKV_K8S_37'],
    related: ['CKV_K8S_28', 'kube-linter:drop-net-raw-capability'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const caps = containerContext(c).capabilities;
      const drop = isRecord(caps) ? capabilityList(caps.drop) : [];
      if (!drop.includes('ALL'))
        report({
          line:
            isRecord(caps) && caps.drop !== undefined
              ? c.lineOf('securityContext', 'capabilities', 'drop')
              : contextLine(c, 'capabilities'),
          message: `${c.label} does not drop ALL capabilities`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'drop ALL',
      from: ['CKV_K8S_37', 'CKV_K8S_28'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod-drop-all-capability
spec:
  containers:
    - name: main
      image: fedora
      command: ["/bin/sleep", "999999"]
      securityContext:
        capabilities:
          drop:
            - ALL
`,
    },
    {
      name: 'drop ALL, add NET_BIND_SERVICE back',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: main
      image: nginx:1.27
      securityContext:
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]
`,
    },
  ],
  invalid: [
    {
      name: 'no security context',
      from: ['CKV_K8S_37', 'CKV_K8S_28'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod-drop-none
spec:
  containers:
    - name: main
      image: fedora
      command: ["/bin/sleep", "999999"]
`,
      errors: [{ rule: 'SC3006', line: 7 }],
    },
    {
      name: 'drops NET_RAW only',
      from: ['CKV_K8S_37'],
      differs: ['CKV_K8S_28'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod-drop-net-raw
spec:
  containers:
    - name: main
      image: fedora
      command: ["/bin/sleep", "999999"]
      securityContext:
        capabilities:
          drop:
            - NET_RAW
`,
      errors: [{ rule: 'SC3006', line: 12 }],
    },
  ],
};
