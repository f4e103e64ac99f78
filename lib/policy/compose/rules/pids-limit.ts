import type { ComposeRule, RuleCases } from '../../types.js';
import { limit } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { thirdPartyReport } from '../images.js';

const THIRD_PARTY_PIDS =
  'Set `pids_limit` above what the image starts (a database: one process per connection plus its workers), e.g. 512.';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2015',
    name: 'pids-limit',
    principle: 'P9',
    severity: 'warning',
    message: 'Service has no PIDs limit',
    description:
      "Without a PIDs limit a fork bomb (or a runaway worker pool) in one container exhausts the host's process table. Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image's documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).",
    fix: 'Set `pids_limit: 200` (or `deploy.resources.limits.pids`).',
    related: ['KICS:Pids Limit Not Set', 'CIS-5.29'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const v = s.value.pids_limit ?? limit(s.value, 'pids');
      if (v === undefined || v === null || Number(v) <= 0) {
        const t = thirdPartyReport(s, () => null, THIRD_PARTY_PIDS);
        report({
          line: s.has('pids_limit') ? s.lineOf('pids_limit') : s.line,
          message: `Service "${s.name}" has no PIDs limit${t?.note ?? ''}`,
          ...(t ? { severity: t.severity, fix: t.fix } : {}),
        });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  a:\n    image: x:1\n    pids_limit: 100\n` }],
  invalid: [
    { code: `services:\n  a:\n    image: x:1\n`, errors: [{ rule: 'SC2015', line: 2 }] },
    {
      name: '-1 is unlimited',
      code: `services:\n  a:\n    image: x:1\n    pids_limit: -1\n`,
      errors: [{ rule: 'SC2015', line: 4 }],
    },
  ],
};
