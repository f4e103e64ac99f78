import type { ComposeRule, RuleCases } from '../../types.js';
import { asStringList, dropsAll } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { capsAdvice, thirdPartyReport } from '../images.js';

const THIRD_PARTY_CAPS =
  'An image that starts as root and switches user itself needs CHOWN, SETUID and SETGID: set a non-root `user:` it supports first, then `cap_drop: [ALL]` (and `cap_add` only what it still needs).';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2003',
    name: 'cap-drop-all',
    principle: 'P5',
    severity: 'warning',
    message: 'Service does not drop all capabilities',
    description:
      "Docker grants a default set of capabilities most apps never use (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW, …). `cap_drop: [ALL]` removes them; a web app listening on a port >= 1024 needs none. Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image's documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).",
    fix: 'Add `cap_drop: [ALL]` (and `cap_add` only what is needed).',
    related: ['KICS:Container Capabilities Unrestricted', 'CIS-5.4'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      if (asStringList(s.value.cap_add).length > 0) continue; // SC2002 reports that case
      if (!dropsAll(s.value.cap_drop)) {
        const t = thirdPartyReport(s, capsAdvice, THIRD_PARTY_CAPS);
        report({
          line: s.has('cap_drop') ? s.lineOf('cap_drop') : s.line,
          message: `Service "${s.name}" does not drop all capabilities${t?.note ?? ''}`,
          ...(t ? { severity: t.severity, fix: t.fix } : {}),
        });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: nginx:1.27\n    cap_drop:\n      - all\n` }],
  invalid: [
    { code: `services:\n  app:\n    image: nginx:1.27\n`, errors: [{ rule: 'SC2003', line: 2 }] },
    {
      code: `services:\n  app:\n    image: nginx:1.27\n    cap_drop: [NET_RAW]\n`,
      errors: [{ rule: 'SC2003', line: 4 }],
    },
  ],
};
