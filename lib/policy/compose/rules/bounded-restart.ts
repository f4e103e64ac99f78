import type { ComposeRule, RuleCases } from '../../types.js';
import { yamlText } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2016',
    name: 'bounded-restart',
    principle: 'P8',
    severity: 'warning',
    message: 'Restart policy is unbounded',
    description:
      '`restart: always`, `unless-stopped` or `on-failure` without a maximum keeps restarting a crashing container forever: a crash loop hides the failure, burns CPU and can amplify an attack (each restart re-reads secrets, re-opens connections). Bound the retries.',
    fix: 'Use `restart: on-failure:5` (or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`).',
    refs: ['CIS-5.15', 'KICS:Restart Policy On Failure Not Set To 5'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const r = s.value.restart;
      if (typeof r === 'string' && (r === 'always' || r === 'unless-stopped' || r === 'on-failure'))
        report({ line: s.lineOf('restart'), message: `Service "${s.name}" restarts without bound (restart: ${r})` });
      const rp = (s.value.deploy as Record<string, unknown> | undefined)?.restart_policy as
        Record<string, unknown> | undefined;
      if (rp && typeof rp === 'object') {
        const cond = yamlText(rp.condition ?? 'any');
        if (
          cond !== 'none' &&
          (rp.max_attempts === undefined || rp.max_attempts === null || Number(rp.max_attempts) <= 0)
        )
          report({
            line: s.lineOf('deploy', 'restart_policy'),
            message: `Service "${s.name}" restarts without bound (restart_policy without max_attempts)`,
          });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  a:\n    image: x:1\n    restart: on-failure:5\n  b:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 3\n  c:\n    image: x:1\n`,
    },
  ],
  invalid: [
    { code: `services:\n  a:\n    image: x:1\n    restart: unless-stopped\n`, errors: [{ rule: 'SC2016', line: 4 }] },
    {
      code: `services:\n  a:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: any\n`,
      errors: [{ rule: 'SC2016', line: 5 }],
    },
  ],
};
