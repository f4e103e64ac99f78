import type { MetaRule, RuleCases } from '../../types.js';
import { engineMeta } from '../meta-helpers.js';

export const rule: MetaRule = {
  meta: engineMeta({
    id: 'SC0002',
    name: 'unreadable-file',
    principle: 'P6',
    severity: 'error',
    message: 'The file cannot be read as UTF-8 text',
    description: 'Binary, non-UTF-8, empty or huge (> 1 MiB) files named like Dockerfiles or compose files are reported instead of being audited: nothing in them can be checked. (Reported by `secure-container audit`, which reads files; the in-memory API receives text.)',
    fix: 'Convert the file to UTF-8, or rename it if it is not a Dockerfile/compose file.',
    refs: [],
  }),
};

/** SC0002 is raised by lib/audit when reading files; its cases live in test/audit. */
export const cases: RuleCases = { valid: [{ code: `FROM alpine:3.20\n` }], invalid: [] };
