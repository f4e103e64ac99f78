// The notes the Node fixtures modelled on real repositories expect (test/fixtures/real/node-*/
// expected.json "notes": regexes, each matching one note of the detection). test/detect/real.test.ts
// checks the rest of expected.json through `init --yes --format json`.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../lib/core/paths.js';
import { detectRepo } from '../../lib/detect/index.js';

const REAL = packagePath('test', 'fixtures', 'real');
const fixtures = readdirSync(REAL, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name.startsWith('node-'))
  .map((e) => ({
    name: e.name,
    expected: JSON.parse(readFileSync(join(REAL, e.name, 'expected.json'), 'utf8')) as {
      notes?: string[];
      facts?: Record<string, unknown>;
      exit?: number;
    },
  }));

describe('Node fixtures modelled on real repositories: notes', () => {
  it('there are at least 8 Node fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const facts = await detectRepo(join(REAL, f.name));
    const notes = facts.notes ?? [];
    for (const re of f.expected.notes ?? [])
      expect({ note: re, found: notes.some((n) => new RegExp(re).test(n)) }).toEqual({ note: re, found: true });
    // a start command read from the project is never a guess in these fixtures (unless init must refuse it)
    if ((f.expected.exit ?? 0) === 0) expect(facts.start?.guess).toBeUndefined();
  });
});
