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
    sameAs: ['KICS:Privileged Containers Enabled'],
    related: ['CIS-5.5'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (s.value.privileged === true)
        report({ line: s.lineOf('privileged'), message: `Service "${s.name}" runs privileged` });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'privileged: false',
      from: ['KICS:Privileged Containers Enabled'],
      code: `services:\n  webapp:\n    build:\n      context: ./dir\n      dockerfile: Dockerfile-alternate\n    ports:\n      - "8080:8080"\n    privileged: false\n`,
    },
    { code: `services:\n  app:\n    image: nginx:1.27\n    privileged: false\n` },
  ],
  invalid: [
    {
      name: 'a built service',
      from: ['KICS:Privileged Containers Enabled'],
      code: `services:\n  webapp:\n    build:\n      context: ./dir\n      dockerfile: Dockerfile-alternate\n      args:\n        buildno: 1\n    privileged: true\n`,
      errors: [{ rule: 'SC2001', line: 8 }],
    },
    {
      name: 'with host networking',
      from: ['KICS:Privileged Containers Enabled'],
      code: `services:\n  mongo:\n    image: mongo:7.0\n    network_mode: "host"\n    privileged: true\n`,
      errors: [{ rule: 'SC2001', line: 5 }],
    },

    { code: `services:\n  app:\n    image: nginx:1.27\n    privileged: true\n`, errors: [{ rule: 'SC2001', line: 4 }] },
  ],
};
