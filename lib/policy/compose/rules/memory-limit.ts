import type { ComposeRule, RuleCases } from '../../types.js';
import { limit } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2014',
    name: 'memory-limit',
    principle: 'P9',
    severity: 'warning',
    message: 'Service has no memory limit',
    description:
      "Without a memory limit one leaking or attacked container can exhaust the host's memory and take every other service down with it (the OOM killer picks victims host-wide).",
    fix: 'Set `deploy.resources.limits.memory: 512M` (or `mem_limit`).',
    related: ['KICS:Memory Not Limited', 'CIS-5.11'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (s.value.mem_limit === undefined && limit(s.value, 'memory') === undefined)
        report({ line: s.line, message: `Service "${s.name}" has no memory limit` });
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
