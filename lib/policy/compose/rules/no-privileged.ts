import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2001',
    name: 'no-privileged',
    principle: 'P5',
    severity: 'error',
    message: 'Service runs privileged',
    description:
      '`privileged: true` gives the container every capability and every host device and disables seccomp/AppArmor: root in it is root on the host.',
    fix: 'Remove `privileged: true`; add only the specific capability or device the service needs.',
    refs: ['CIS-5.5', 'KICS:Privileged Containers Enabled'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (s.value.privileged === true)
        report({ line: s.lineOf('privileged'), message: `Service "${s.name}" runs privileged` });
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: nginx:1.27\n    privileged: false\n` }],
  invalid: [
    { code: `services:\n  app:\n    image: nginx:1.27\n    privileged: true\n`, errors: [{ rule: 'SC2001', line: 4 }] },
  ],
};
