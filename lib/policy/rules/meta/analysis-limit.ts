import type { MetaRule, RuleCases } from '../../types.js';
import { engineMeta } from '../meta-helpers.js';

/** `levels` lines of `ARG A{i}=${A{i-1}}${A{i-1}}`: A{i} is 2^(i+1) characters, A16 would be 128 KiB (the limit is 64 KiB). */
function doubling(levels: number): string {
  let t = 'ARG A0=xx\n';
  for (let i = 1; i < levels; i++) t += `ARG A${i}=\${A${i - 1}}\${A${i - 1}}\n`;
  return t;
}

export const rule: MetaRule = {
  meta: engineMeta({
    id: 'SC0004',
    name: 'analysis-limit',
    principle: 'P6',
    severity: 'error',
    message: 'The file was only partly analysed: an analysis limit was reached',
    description:
      'The audit bounds the work it does on a file so that a hostile file cannot exhaust memory or time: ARG/ENV substitution stops when a value would exceed 64 KiB, when values are nested more than 32 levels deep, or when the file has used up its expansion budget (4 times its size, at least 1 MiB). What lies beyond the limit is left unexpanded and may hide a problem (an image or user taken from such a variable is treated as unknown), so the limit is reported instead of passing silently. Real Dockerfiles are nowhere near these limits.',
    fix: 'Simplify the ARG/ENV definitions at the reported line (a value built by doubling another value is a decompression bomb, not a build setting).',
  }),
};

export const cases: RuleCases = {
  valid: [
    { code: `ARG BASE=alpine\nARG TAG=3.20\nFROM \${BASE}:\${TAG}\nENV A=x B=\${A}\${A} C=\${B}\${B}\n` },
    { name: 'fifteen doublings (64 KiB) are fine', code: `${doubling(16)}FROM alpine:3.20\n` },
  ],
  invalid: [
    {
      name: 'doubling ARGs (a 128 KiB value)',
      code: `${doubling(17)}FROM alpine:3.20\n`,
      errors: [{ rule: 'SC0004', line: 17 }],
    },
    {
      name: 'doubling ENVs in a stage',
      code: `FROM alpine:3.20\n${doubling(20).replace(/^ARG/gm, 'ENV')}`,
      errors: [{ rule: 'SC0004', line: 18 }],
    },
    {
      name: 'values nested more than 32 levels',
      code: `FROM alpine:3.20\nENV V0=x\n${Array.from({ length: 33 }, (_, i) => `ENV V${i + 1}=\${V${i}}`).join('\n')}\n`,
      errors: [{ rule: 'SC0004', line: 35 }],
    },
  ],
};
