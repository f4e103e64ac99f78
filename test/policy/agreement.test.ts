// `sameAs` means "same check": on the cases modelled on a tool's documented examples (tagged with
// the tool's id), the rule agrees with the tool. Figures per id and per tool: `node
// dist/lib/policy/rules/agreement.js`.
import { describe, expect, it } from '@jest/globals';
import { agreements, renderAgreement, toolSummaries } from '../../lib/policy/rules/agreement.js';
import { ruleModules } from '../../lib/policy/rules/index.js';

const ID = /^(DL\d{4}|CKV2?_DOCKER_\d+|CKV_K8S_\d+|DS-\d{4}|CIS-\d+\.\d+|KICS:.+|kube-linter:[a-z0-9-]+)$/;
const TOOLS = ['hadolint', 'checkov', 'trivy', 'KICS'];
const list = agreements();

describe('sameAs / related references', () => {
  it('are well-formed, not repeated, and benchmark recommendations are never "same check"', () => {
    for (const { rule } of ruleModules) {
      const { sameAs, related, refs } = rule.meta;
      for (const r of [...sameAs, ...related]) expect(r).toMatch(ID);
      expect(new Set([...sameAs, ...related]).size).toBe(sameAs.length + related.length);
      expect(sameAs.filter((r) => r.startsWith('CIS-'))).toEqual([]);
      expect(refs).toEqual([...sameAs, ...related]);
    }
  });

  it('a check is the same check as one rule at most', () => {
    const owner = new Map<string, string>();
    for (const { rule } of ruleModules)
      for (const r of rule.meta.sameAs) {
        expect([r, owner.get(r)]).toEqual([r, undefined]);
        owner.set(r, rule.meta.id);
      }
  });

  it('cases are tagged only with ids their rule names', () => {
    for (const { rule, cases } of ruleModules) {
      const named = new Set([...rule.meta.sameAs, ...rule.meta.related]);
      for (const c of [...cases.valid, ...cases.invalid])
        for (const r of [...(c.from ?? []), ...(c.differs ?? [])])
          expect([rule.meta.id, r, named.has(r)]).toEqual([rule.meta.id, r, true]);
    }
  });

  it('every sameAs id has cases where the tool fires and where it is quiet (or at least two where it fires)', () => {
    for (const { rule, cases } of ruleModules)
      for (const r of rule.meta.sameAs) {
        const tagged = (l: typeof cases.valid) => l.filter((c) => c.from?.includes(r) || c.differs?.includes(r)).length;
        const fires = tagged(cases.invalid);
        const quiet = tagged(cases.valid);
        expect([rule.meta.id, r, fires >= 1 && fires + quiet >= 2]).toEqual([rule.meta.id, r, true]);
      }
  });

  it('precision >= 0.95 and recall >= 0.90 over the cases of every sameAs id', () => {
    const low = list
      .filter((a) => a.kind === 'sameAs' && (a.precision < 0.95 || a.recall < 0.9))
      .map((a) => `${a.rule} ${a.ref}: precision ${a.precision.toFixed(2)}, recall ${a.recall.toFixed(2)}`);
    expect(low).toEqual([]);
  });

  it('at least 50 sameAs ids across hadolint, checkov, trivy and KICS, each tool represented', () => {
    const summaries = toolSummaries(list);
    for (const t of TOOLS) expect(summaries.find((s) => s.tool === t)?.ids ?? 0).toBeGreaterThan(0);
    const total = summaries.filter((s) => TOOLS.includes(s.tool)).reduce((n, s) => n + s.ids, 0);
    expect(total).toBeGreaterThanOrEqual(50);
  });

  it('the report lists every tool and every sameAs id', () => {
    const text = renderAgreement(list);
    for (const t of TOOLS) expect(text).toContain(`| ${t} |`);
    for (const a of list.filter((x) => x.kind === 'sameAs'))
      expect(text).toContain(`| ${a.rule} | ${a.ref.replace(/\|/g, '\\|')} | sameAs |`);
  });
});
