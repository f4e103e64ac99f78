import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine, isRecord } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3029',
    name: 'no-host-process',
    principle: 'P5',
    severity: 'error',
    message: 'Windows container runs as a host process (hostProcess: true)',
    description:
      "A Windows HostProcess container runs directly on the node, with the node's network and file system and, usually, as SYSTEM: it is the node. The baseline Pod Security Standard (and so the restricted one) forbids it.",
    fix: 'Remove `windowsOptions.hostProcess: true`.',
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const w = effective(c, 'windowsOptions');
      if (isRecord(w.value) && w.value.hostProcess === true)
        report({
          line: effectiveLine(c, 'windowsOptions', w.from),
          message: `${c.label} runs as a Windows host process`,
        });
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
      image: mcr.microsoft.com/windows/nanoserver:ltsc2022
      securityContext:
        windowsOptions:
          runAsUserName: ContainerUser
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
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\\\SYSTEM"
  containers:
    - name: app
      image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`,
      errors: [{ rule: 'SC3029', line: 8 }],
    },
  ],
};
