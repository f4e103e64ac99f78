import type { MetaRule, RuleCases } from '../../types.js';
import { engineMeta } from '../meta-helpers.js';

export const rule: MetaRule = {
  meta: engineMeta({
    id: 'SC0003',
    name: 'suppression-without-reason',
    principle: 'P6',
    severity: 'warning',
    message: 'Suppression without a reason',
    description:
      'An inline `# secure-container-ignore SC1234` must say why (`# secure-container-ignore SC1234: reason`), so reviewers can judge the exception later. A suppression without a reason is ignored (the finding stays) and reported.',
    fix: 'Add `: <reason>` after the rule id(s).',
  }),
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM alpine:3.20\n# secure-container-ignore SC1001: runs as root to bind a raw socket, reviewed\nUSER root\n`,
    },
  ],
  invalid: [
    { code: `FROM alpine:3.20\n# secure-container-ignore SC1001\nUSER root\n`, errors: [{ rule: 'SC0003', line: 2 }] },
  ],
};
