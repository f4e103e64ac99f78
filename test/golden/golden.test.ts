// Every golden scenario regenerates byte-identical to test/golden/<scenario>/; on drift the test
// prints the unified diff and how to accept it (npm run golden:update).
import { describe, expect, it } from '@jest/globals';
import { unifiedDiff } from '../../lib/merge/diff.js';
import { generateScenario, readGolden, SCENARIOS } from './scenarios.js';

describe('golden files', () => {
  it('has at least 12 scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(12);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s regenerates byte-identical', async (_name, s) => {
    const got = await generateScenario(s);
    const want = readGolden(s.name);
    const diffs: string[] = [];
    for (const p of new Set([...got.keys(), ...want.keys()])) {
      const d = unifiedDiff(p, want.get(p), got.get(p));
      if (d) diffs.push(d);
    }
    if (diffs.length) throw new Error(`golden drift in test/golden/${s.name} (accept with: npm run golden:update)\n${diffs.join('\n')}`);
    expect(got.size).toBeGreaterThan(0);
  });
});
