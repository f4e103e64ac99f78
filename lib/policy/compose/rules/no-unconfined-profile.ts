import type { ComposeRule, RuleCases } from '../../types.js';
import { asStringList } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2005',
    name: 'no-unconfined-profile',
    principle: 'P5',
    severity: 'error',
    message: 'seccomp/AppArmor/SELinux confinement is disabled',
    description:
      '`seccomp:unconfined` re-enables ~300 syscalls Docker blocks by default (including several used by container escapes); `apparmor:unconfined` and `label:disable` remove the MAC policy. Keep the defaults, or ship a tailored profile.',
    fix: 'Remove the option, or point `seccomp:` at a custom profile file.',
    refs: [
      'CIS-5.2',
      'CIS-5.3',
      'CIS-5.22',
      'KICS:Default Seccomp Profile Disabled',
      'KICS:Seccomp Profile Is Not Configured',
    ],
  }),
  check({ model, report }) {
    for (const s of model.services)
      asStringList(s.value.security_opt).forEach((o, i) => {
        const v = o.replace(/\s/g, '').toLowerCase().replace('=', ':');
        if (
          v === 'seccomp:unconfined' ||
          v === 'apparmor:unconfined' ||
          v === 'label:disable' ||
          v === 'label:type:unconfined_t'
        )
          report({ line: s.lineOf('security_opt', i), message: `Service "${s.name}" disables confinement (${o})` });
      });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  app:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:true", "seccomp:./seccomp.json"]\n`,
    },
  ],
  invalid: [
    {
      code: `services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n      - seccomp:unconfined\n      - apparmor=unconfined\n`,
      errors: [
        { rule: 'SC2005', line: 6 },
        { rule: 'SC2005', line: 7 },
      ],
    },
  ],
};
