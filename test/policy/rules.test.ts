// ESLint RuleTester style: every rule's valid/invalid table, run through the public API.
import { describe, expect, it } from '@jest/globals';
import { auditCompose, auditDockerfile } from '../../lib/policy/index.js';
import { auditText } from '../../lib/policy/engine.js';
import { kubernetesKind, workflowKind } from '../../lib/policy/kinds.js';
import { ruleModules } from '../../lib/policy/rules/index.js';
import { allRules } from '../../lib/policy/rules/registry.js';

for (const mod of ruleModules) {
  const { meta } = mod.rule;
  const audit = (code: string, config?: Parameters<typeof auditDockerfile>[2]) =>
    meta.kind === 'compose'
      ? auditCompose(code, 'compose.yaml', config)
      : meta.kind === 'kubernetes'
        ? auditText(kubernetesKind, code, 'deploy/kubernetes/app.yaml', config)
        : meta.kind === 'workflow'
          ? auditText(workflowKind, code, '.github/workflows/ci.yml', config)
          : auditDockerfile(code, 'Dockerfile', config);
  describe(`${meta.id} ${meta.name}`, () => {
    it('has complete metadata', () => {
      expect(meta.id).toMatch(
        meta.kind === 'compose'
          ? /^SC2\d{3}$/
          : meta.kind === 'dockerfile'
            ? /^SC1\d{3}$/
            : meta.kind === 'kubernetes'
              ? /^SC3\d{3}$/
              : meta.kind === 'workflow'
                ? /^SC4\d{3}$/
                : /^SC0\d{3}$/,
      );
      expect(meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(meta.principle).toMatch(/^P[1-9]$/);
      expect(meta.message.length).toBeGreaterThan(5);
      expect(meta.message).not.toMatch(/\n/);
      expect(meta.description.length).toBeGreaterThan(40);
      expect(meta.fix.length).toBeGreaterThan(5);
      expect(meta.docs).toBe(`docs/rules/${meta.id}.md`);
      for (const r of meta.refs)
        expect(r).toMatch(
          /^(DL\d{4}|CKV2?_DOCKER_\d+|CKV_K8S_\d+|DS-\d{4}|CIS-\d+\.\d+|KICS:.+|kube-linter:[a-z0-9-]+)$/,
        );
      expect(mod.cases.valid.length).toBeGreaterThan(0);
      if (meta.id !== 'SC0002') expect(mod.cases.invalid.length).toBeGreaterThan(0);
    });
    mod.cases.valid.forEach((c, i) => {
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const got = audit(c.code, c.config).filter((f) => f.rule === meta.id);
        expect(got).toEqual([]);
      });
    });
    mod.cases.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const ids = new Set(c.errors.map((e) => e.rule));
        const got = audit(c.code, c.config)
          .filter((f) => ids.has(f.rule))
          .map((f) => ({ rule: f.rule, line: f.line }));
        expect(got).toEqual(c.errors);
      });
    });
  });
}

describe('rule registry', () => {
  it('runs the rules of ruleModules, the same objects in the same order (rules/registry.ts, without the case tables)', () => {
    expect(allRules).toHaveLength(ruleModules.length);
    ruleModules.forEach((m, i) => {
      expect([m.rule.meta.id, allRules[i] === m.rule]).toEqual([m.rule.meta.id, true]);
    });
  });

  it('ids are unique and sorted', () => {
    const ids = ruleModules.map((m) => m.rule.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
  it('names are unique per kind', () => {
    const keys = ruleModules.map((m) => `${m.rule.meta.kind}:${m.rule.meta.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
