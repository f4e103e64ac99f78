import type { ComposeRule, RuleCases } from '../../types.js';
import { yamlText } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

/** The most restart attempts accepted (CIS Docker Benchmark 5.15: on-failure, at most 5). */
const MAX = 5;

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2016',
    name: 'bounded-restart',
    principle: 'P8',
    severity: 'warning',
    message: 'Restart policy is unbounded',
    description:
      '`restart: always`, `unless-stopped` or `on-failure` without a maximum (or with 0) keeps restarting a crashing container forever: a crash loop hides the failure, burns CPU and can amplify an attack (each restart re-reads secrets, re-opens connections). Bound the retries to at most 5 (CIS Docker Benchmark 5.15), in `restart: on-failure:N` or `deploy.restart_policy.max_attempts`.',
    fix: 'Use `restart: on-failure:5` (or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`).',
    related: ['KICS:Restart Policy On Failure Not Set To 5', 'CIS-5.15'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const r = s.value.restart;
      if (typeof r === 'string') {
        const m = /^on-failure(?::(-?\d+))?$/.exec(r.trim());
        const n = m?.[1] === undefined ? 0 : Number(m[1]);
        if (r === 'always' || r === 'unless-stopped' || (m && n <= 0))
          report({ line: s.lineOf('restart'), message: `Service "${s.name}" restarts without bound (restart: ${r})` });
        else if (m && n > MAX)
          report({
            line: s.lineOf('restart'),
            message: `Service "${s.name}" restarts up to ${n} times (more than ${MAX})`,
          });
      }
      const rp = (s.value.deploy as Record<string, unknown> | undefined)?.restart_policy as
        Record<string, unknown> | undefined;
      if (rp && typeof rp === 'object') {
        const cond = yamlText(rp.condition ?? 'any');
        const n = rp.max_attempts === undefined || rp.max_attempts === null ? 0 : Number(rp.max_attempts);
        if (cond !== 'none' && !(n > 0))
          report({
            line: s.lineOf('deploy', 'restart_policy'),
            message: `Service "${s.name}" restarts without bound (restart_policy without max_attempts)`,
          });
        else if (cond !== 'none' && n > MAX)
          report({
            line: s.lineOf('deploy', 'restart_policy'),
            message: `Service "${s.name}" restarts up to ${n} times (more than ${MAX})`,
          });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: '5 attempts, both syntaxes',
      from: ['KICS:Restart Policy On Failure Not Set To 5'],
      code: `services:\n  customer:\n    image: whoa/hello:1.0\n    restart: on-failure:5\n    deploy:\n      restart_policy:\n        condition: on-failure\n        delay: 5s\n        max_attempts: 5\n        window: 120s\n`,
    },
    {
      name: 'fewer than 5 attempts (KICS wants exactly 5)',
      differs: ['KICS:Restart Policy On Failure Not Set To 5'],
      code: `services:\n  name_of_service:\n    image: not_a_real_one:1.0\n    build: ./\n    restart: on-failure:3\n`,
    },

    {
      code: `services:\n  a:\n    image: x:1\n    restart: on-failure:5\n  b:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 3\n  c:\n    image: x:1\n`,
    },
  ],
  invalid: [
    {
      name: '10 attempts, both syntaxes',
      from: ['KICS:Restart Policy On Failure Not Set To 5'],
      code: `services:\n  customer:\n    image: whoa/hello:1.0\n    restart: on-failure:10\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 10\n`,
      errors: [
        { rule: 'SC2016', line: 4 },
        { rule: 'SC2016', line: 6 },
      ],
    },
    {
      name: '10 attempts in restart, 5 in deploy',
      from: ['KICS:Restart Policy On Failure Not Set To 5'],
      code: `services:\n  customer:\n    image: whoa/hello:1.0\n    restart: on-failure:10\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 5\n`,
      errors: [{ rule: 'SC2016', line: 4 }],
    },
    {
      name: 'on-failure:0 is unbounded',
      code: `services:\n  a:\n    image: x:1\n    restart: on-failure:0\n`,
      errors: [{ rule: 'SC2016', line: 4 }],
    },

    { code: `services:\n  a:\n    image: x:1\n    restart: unless-stopped\n`, errors: [{ rule: 'SC2016', line: 4 }] },
    {
      code: `services:\n  a:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: any\n`,
      errors: [{ rule: 'SC2016', line: 5 }],
    },
  ],
};
