import type { MetaRule, RuleCases } from '../../types.js';
import { engineMeta } from '../meta-helpers.js';

/** One fix per reason lib/audit/read.ts (and discovery) gives for not auditing a file. */
const FIXES: readonly [RegExp, string][] = [
  [
    /larger than/,
    'Files over 1 MiB are not audited: a real Dockerfile or compose file is far smaller. If this one is generated or bundled, audit its source instead; if it is not a Dockerfile/compose file, rename it.',
  ],
  [
    /binary|NUL/,
    'The file is binary, not a Dockerfile/compose file: rename or move it (or restore the real file if it was overwritten).',
  ],
  [
    /UTF-8/,
    'Convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or rename it if it is not a Dockerfile/compose file.',
  ],
  [/empty/, 'Write the file, or delete it: an empty file named like a Dockerfile/compose file has nothing to check.'],
  [
    /symbolic link|symlink/,
    'Symbolic links are not followed: audit the file itself (name it on the command line) or replace the link with a regular file.',
  ],
  [
    /regular file|FIFO|fifo|device|socket|directory/,
    'Only regular files are audited: rename or remove the FIFO, device or socket named like a Dockerfile/compose file.',
  ],
  [
    /cannot read|cannot be read|EACCES|EPERM|ENOENT/,
    'Make the file readable by the user running the audit (or remove it if it vanished while the audit ran).',
  ],
];

/** The fix that fits the reason a file was not audited (the finding's message). */
export function unreadableFix(reason: string): string {
  for (const [re, fix] of FIXES) if (re.test(reason)) return fix;
  return rule.meta.fix;
}

export const rule: MetaRule = {
  meta: engineMeta({
    id: 'SC0002',
    name: 'unreadable-file',
    principle: 'P6',
    severity: 'error',
    message: 'The file cannot be audited',
    description:
      'Binary, non-UTF-8, empty or huge (> 1 MiB) files named like Dockerfiles or compose files, and links, FIFOs or devices with such names, are reported instead of being audited: nothing in them can be checked. The message says which; the fix depends on it. (Reported by `secure-container audit`, which reads files; the in-memory API receives text.)',
    fix: 'Depends on the reason in the message: convert a non-UTF-8 file to UTF-8; audit the source of a file over 1 MiB; write or delete an empty file; replace a link, FIFO or device with a regular file; rename a file that is not a Dockerfile/compose file.',
  }),
};

/** SC0002 is raised by lib/audit when reading files; its cases live in test/audit. */
export const cases: RuleCases = { valid: [{ code: `FROM alpine:3.20\n` }], invalid: [] };
