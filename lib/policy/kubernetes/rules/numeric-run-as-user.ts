import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { effective, effectiveLine } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3005',
    name: 'numeric-run-as-user',
    principle: 'P5',
    severity: 'info',
    message: 'runAsNonRoot without runAsUser: the image must have a numeric USER',
    description:
      'With `runAsNonRoot: true` and no `runAsUser`, the kubelet can verify the image\\\'s own USER only when it is numeric: a named user (`USER appuser`, as `docker init` writes) fails with "image has non-numeric user \u2026 cannot verify user is non-root" and the pod never starts. A numeric `runAsUser`/`runAsGroup` (the image\\\'s UID:GID) starts either way and makes file ownership on volumes predictable.',
    fix: "Set `securityContext.runAsUser` (and `runAsGroup`) to the numeric UID:GID of the image's USER.",
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const nonRoot = effective(c, 'runAsNonRoot');
      if (nonRoot.value !== true) continue;
      const user = effective(c, 'runAsUser');
      if (user.value === undefined)
        report({
          line: effectiveLine(c, 'runAsNonRoot', nonRoot.from),
          message: `${c.label}: runAsNonRoot without runAsUser (works only if the image USER is numeric)`,
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
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
  containers:
    - name: app
      image: app:1.0
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
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: app:1.0
`,
      errors: [{ rule: 'SC3005', line: 7 }],
    },
  ],
};
