import type { ComposeRule, RuleCases } from '../../types.js';
import { isRootUser, yamlText } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2013',
    name: 'no-root-user',
    principle: 'P5',
    severity: 'error',
    message: 'Service runs as root',
    description:
      '`user: root` or `user: "0"` overrides a non-root image and runs the service as UID 0: root on the host kernel if anything goes wrong.',
    fix: 'Use a numeric non-root user, e.g. `user: "10001:10001"`.',
    related: ['CIS-4.1', 'CIS-5.24'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const u = s.value.user;
      if (u === undefined || u === null) continue;
      const v = yamlText(u);
      if (!v.includes('$') && isRootUser(v))
        report({ line: s.lineOf('user'), message: `Service "${s.name}" runs as root (user: ${v})` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `services:\n  app:\n    image: x:1\n    user: "10001:10001"\n  b:\n    image: x:1\n    user: \${UID}\n` },
  ],
  invalid: [
    {
      code: `services:\n  app:\n    image: x:1\n    user: root\n  b:\n    image: x:1\n    user: 0:0\n`,
      errors: [
        { rule: 'SC2013', line: 4 },
        { rule: 'SC2013', line: 7 },
      ],
    },
  ],
};
