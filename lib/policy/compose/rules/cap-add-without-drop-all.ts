import type { ComposeRule, RuleCases } from '../../types.js';
import { asStringList, dropsAll } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2002',
    name: 'cap-add-without-drop-all',
    principle: 'P5',
    severity: 'error',
    message: 'cap_add without cap_drop: [ALL]',
    description:
      "Adding a capability on top of Docker's default set leaves all the defaults (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW…) in place too. Drop everything, then add back exactly what the service needs.",
    fix: 'Add `cap_drop: [ALL]` and keep only the needed `cap_add` entries.',
    related: ['KICS:Container Capabilities Unrestricted', 'CIS-5.4'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (asStringList(s.value.cap_add).length > 0 && !dropsAll(s.value.cap_drop))
        report({ line: s.lineOf('cap_add'), message: `Service "${s.name}" adds capabilities without cap_drop: [ALL]` });
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n` }],
  invalid: [
    {
      code: `services:\n  app:\n    image: nginx:1.27\n    cap_add:\n      - NET_ADMIN\n`,
      errors: [{ rule: 'SC2002', line: 4 }],
    },
  ],
};
