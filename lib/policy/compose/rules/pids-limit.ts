import type { ComposeRule, RuleCases } from '../../types.js';
import { limit } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2015',
    name: 'pids-limit',
    principle: 'P9',
    severity: 'warning',
    message: 'Service has no PIDs limit',
    description:
      "Without a PIDs limit a fork bomb (or a runaway worker pool) in one container exhausts the host's process table.",
    fix: 'Set `pids_limit: 200` (or `deploy.resources.limits.pids`).',
    related: ['KICS:Pids Limit Not Set', 'CIS-5.29'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const v = s.value.pids_limit ?? limit(s.value, 'pids');
      if (v === undefined || v === null || Number(v) <= 0)
        report({
          line: s.has('pids_limit') ? s.lineOf('pids_limit') : s.line,
          message: `Service "${s.name}" has no PIDs limit`,
        });
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
