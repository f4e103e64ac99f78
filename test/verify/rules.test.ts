// Every verify rule's valid/invalid table (fake inspect JSON + fake layer listings), run through checkFacts.
import { describe, expect, it } from '@jest/globals';
import { factsOf } from '../../lib/verify/model.js';
import { verifyRuleModules } from '../../lib/verify/rules/index.js';
import { checkFacts } from '../../lib/verify/run.js';

const ids = new Set<string>();
for (const mod of verifyRuleModules) {
  const { meta } = mod.rule;
  describe(`${meta.id} ${meta.name}`, () => {
    it('has complete metadata and a unique id', () => {
      expect(meta.id).toMatch(/^SC5\d{3}$/);
      expect(ids.has(meta.id)).toBe(false);
      ids.add(meta.id);
      expect(meta.name).toMatch(/^image(-[a-z0-9]+)+$/);
      expect(meta.principle).toMatch(/^P[1-9]$/);
      expect(meta.message).not.toMatch(/\n/);
      expect(meta.description.length).toBeGreaterThan(40);
      expect(meta.fix.length).toBeGreaterThan(5);
      expect(mod.cases.valid.length).toBeGreaterThan(0);
      expect(mod.cases.invalid.length).toBeGreaterThan(0);
    });
    for (const c of mod.cases.valid)
      it(`valid: ${c.name}`, () => {
        expect(checkFacts(factsOf(c), [mod.rule])).toEqual([]);
      });
    for (const c of mod.cases.invalid)
      it(`invalid: ${c.name}`, () => {
        const found = checkFacts(factsOf(c), [mod.rule]);
        expect(found.map((f) => f.rule)).toEqual(Array(c.count).fill(meta.id));
        if (c.match) expect(found.map((f) => f.message).join('\n')).toMatch(c.match);
        for (const f of found) expect(f.message).not.toMatch(/\n/);
      });
  });
}

describe('the rule ids', () => {
  it('are in id order, SC5001 upwards without gaps', () => {
    expect(verifyRuleModules.map((m) => m.rule.meta.id)).toEqual(verifyRuleModules.map((_, i) => `SC${5001 + i}`));
  });
});
