import type { MetaRule, RuleCases } from '../../types.js';
import { engineMeta } from '../meta-helpers.js';

export const rule: MetaRule = {
  meta: engineMeta({
    id: 'SC0001',
    name: 'parse-error',
    principle: 'P6',
    severity: 'error',
    message: 'The file cannot be parsed',
    description:
      'A Dockerfile or compose file that does not parse (invalid YAML, unknown instruction, no FROM, binary content) cannot be audited, and usually cannot be built either. The audit reports it instead of crashing and goes on with the other files.',
    fix: 'Fix the syntax error at the reported line.',
  }),
};

export const cases: RuleCases = {
  valid: [{ code: `FROM alpine:3.20\n` }],
  invalid: [
    { name: 'unknown instruction', code: `FROM alpine:3.20\nRUNN echo\n`, errors: [{ rule: 'SC0001', line: 2 }] },
    { name: 'no FROM', code: `RUN echo hi\n`, errors: [{ rule: 'SC0001', line: 1 }] },
  ],
};
