// Bounded ARG/ENV expansion (lib/policy/dockerfile/vars.ts): same results as the unbounded
// `substitute` below its limits, and the limits themselves.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { substitute } from '../../lib/policy/image.js';
import { Expander, MAX_DEPTH, MAX_VALUE_CHARS, MIN_BUDGET, newScope } from '../../lib/policy/dockerfile/vars.js';

const TOKENS = [
  '$',
  '{',
  '}',
  ':',
  '-',
  '+',
  'A',
  'B',
  'X',
  '_',
  '1',
  ' ',
  'x',
  '${A}',
  '$B',
  '${A:-d}',
  '${B-e}',
  '${A:+f}',
  '${X+g}',
  '${',
  '$$',
  '\n',
  '"',
];

describe('Expander.expand', () => {
  it('gives the same text as substitute() below the limits (property)', () => {
    const values = fc.constantFrom<string | null>(null, '', 'v', '$A', '${B}', 'a b');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), values, values, (parts, a, b) => {
        const vars = new Map<string, string | null>([
          ['A', a],
          ['B', b],
        ]);
        const text = parts.join('');
        const e = new Expander(text.length);
        expect(e.expand(text, newScope(vars), 1).value).toBe(substitute(text, vars));
        expect(e.limits).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a value that would exceed 64 KiB unexpanded and records the limit once', () => {
    const e = new Expander(100);
    const scope = newScope(new Map([['A', 'x'.repeat(MAX_VALUE_CHARS / 2 + 1)]]));
    expect(e.expand('${A}${A}', scope, 7).value).toBe('${A}${A}');
    expect(e.expand('$A$A', scope, 8).value).toBe('$A$A');
    expect(e.limits).toEqual([{ line: 7, message: expect.stringMatching(/64 KiB/) as unknown as string }]);
  });

  it('stops when the per-file budget is used up', () => {
    const e = new Expander(10);
    expect(e.budget).toBe(MIN_BUDGET);
    const scope = newScope(new Map([['A', 'x'.repeat(60 * 1024)]]));
    let i = 0;
    while (e.limits.length === 0 && i < 100) e.expand('${A}', scope, ++i);
    expect(i).toBe(Math.floor(MIN_BUDGET / (60 * 1024 + 4)) + 1);
    expect(e.limits[0].message).toMatch(/budget/);
  });

  it('tracks the depth of chained values and stops past MAX_DEPTH', () => {
    const e = new Expander(1000);
    const scope = newScope();
    e.assign(scope, 'V0', 'x', 1);
    for (let k = 1; k <= MAX_DEPTH; k++) e.assign(scope, `V${k}`, `\${V${k - 1}}`, k + 1);
    expect(scope.values.get(`V${MAX_DEPTH}`)).toBe('x');
    expect(e.limits).toEqual([]);
    e.assign(scope, 'W', `\${V${MAX_DEPTH}}`, 99);
    expect(scope.values.get('W')).toBe(`\${V${MAX_DEPTH}}`);
    expect(e.limits.map((l) => l.line)).toEqual([99]);
  });
});
