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
    sameAs: ['KICS:Default Seccomp Profile Disabled'],
    related: ['KICS:Seccomp Profile Is Not Configured', 'CIS-5.2', 'CIS-5.3', 'CIS-5.22'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      asStringList(s.value.security_opt).forEach((o, i) => {
        const v = o.replace(/\s/g, '').toLowerCase().replace('=', ':');
        if (
          v.endsWith('seccomp:unconfined') ||
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
      name: 'no security_opt',
      from: ['KICS:Default Seccomp Profile Disabled'],
      code: `services:\n  webapp:\n    build:\n      context: ./\n      dockerfile: Dockerfile-alternate\n`,
    },

    {
      code: `services:\n  app:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:true", "seccomp:./seccomp.json"]\n`,
    },
  ],
  invalid: [
    {
      name: 'seccomp:unconfined',
      from: ['KICS:Default Seccomp Profile Disabled'],
      code: `services:\n  example:\n    build: .\n    security_opt:\n      - seccomp:unconfined\n    ports:\n      - "5002:5002"\n`,
      errors: [{ rule: 'SC2005', line: 5 }],
    },
    {
      name: 'label:seccomp:unconfined',
      from: ['KICS:Default Seccomp Profile Disabled'],
      code: `services:\n  demo:\n    image: not/a/real/image:1.0\n    cap_add:\n      - SYS_PTRACE\n    security_opt:\n      - label:seccomp:unconfined\n`,
      errors: [{ rule: 'SC2005', line: 7 }],
    },

    {
      code: `services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n      - seccomp:unconfined\n      - apparmor=unconfined\n`,
      errors: [
        { rule: 'SC2005', line: 6 },
        { rule: 'SC2005', line: 7 },
      ],
    },
  ],
};
