import type { ComposeRule, RuleCases } from '../../types.js';
import { limit } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { thirdPartyReport } from '../images.js';

const THIRD_PARTY_MEM =
  'Set `deploy.resources.limits.memory` above what the image needs under load (databases: their cache size plus connections), so that it cannot starve the host.';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2014',
    name: 'memory-limit',
    principle: 'P9',
    severity: 'warning',
    message: 'Service has no memory limit',
    description:
      "Without a memory limit one leaking or attacked container can exhaust the host's memory and take every other service down with it (the OOM killer picks victims host-wide). Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image's documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).",
    fix: 'Set `deploy.resources.limits.memory: 512M` (or `mem_limit`).',
    related: ['KICS:Memory Not Limited', 'CIS-5.11'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (s.value.mem_limit === undefined && limit(s.value, 'memory') === undefined) {
        const t = thirdPartyReport(s, () => null, THIRD_PARTY_MEM);
        report({
          line: s.line,
          message: `Service "${s.name}" has no memory limit${t?.note ?? ''}`,
          ...(t ? { severity: t.severity, fix: t.fix } : {}),
        });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  a:\n    image: x:1\n    mem_limit: 256m\n  b:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n`,
    },
  ],
  invalid: [{ code: `services:\n  a:\n    image: x:1\n`, errors: [{ rule: 'SC2014', line: 2 }] }],
};
