// GitHub Actions workflows as an audit file kind (SC4xxx, issue 16): every rule's valid/invalid
// table through the one runner, how the kind is recognised (and that compose and Kubernetes names
// inside .github/workflows/ are workflows), discovery of .github/workflows/, suppressions, parse errors.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../lib/audit/discover.js';
import { auditText } from '../../lib/policy/engine.js';
import { detectKind, kindById, kindOf, workflowKind } from '../../lib/policy/kinds.js';
import { ruleModules } from '../../lib/policy/rules/index.js';
import { buildWorkflowModel, expressions, parseUses } from '../../lib/policy/workflow/model.js';

const PATH = '.github/workflows/ci.yml';
const audit = (code: string, config?: Parameters<typeof auditText>[3]) => auditText(workflowKind, code, PATH, config);

const modules = ruleModules.filter((m) => m.rule.meta.kind === 'workflow');

describe('the workflow rules', () => {
  it('are SC4001-SC4006, one a file, with complete metadata', () => {
    expect(modules.map((m) => m.rule.meta.id)).toEqual(['SC4001', 'SC4002', 'SC4003', 'SC4004', 'SC4005', 'SC4006']);
    expect(kindById.workflow.rules.map((r) => r.meta.id)).toEqual(modules.map((m) => m.rule.meta.id));
    for (const { rule, cases } of modules) {
      const m = rule.meta;
      expect(m.id).toMatch(/^SC4\d{3}$/);
      expect(m.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.principle).toMatch(/^P[1-9]$/);
      expect(m.message).not.toMatch(/\n/);
      expect(m.description.length).toBeGreaterThan(40);
      expect(m.fix.length).toBeGreaterThan(5);
      expect(m.docs).toBe(`docs/rules/${m.id}.md`);
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    }
  });

  for (const { rule, cases } of modules) {
    const id = rule.meta.id;
    describe(`${id} ${rule.meta.name}`, () => {
      cases.valid.forEach((c, i) => {
        it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
          const got = audit(c.code, c.config);
          expect(got.filter((f) => f.rule === 'SC0001')).toEqual([]);
          expect(got.filter((f) => f.rule === id)).toEqual([]);
        });
      });
      cases.invalid.forEach((c, i) => {
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
});

describe('the workflow kind', () => {
  it('is recognised by its folder, before compose and Kubernetes names', () => {
    for (const p of [
      '.github/workflows/ci.yml',
      '.github/workflows/release.yaml',
      '.github/workflows/compose.yml',
      '.github/workflows/deployment.yaml',
      'sub/project/.github/workflows/ci.yml',
    ])
      expect([p, detectKind(p)]).toEqual([p, 'workflow']);
    expect(kindOf('.github/workflows/compose.yml')).toBe(workflowKind);
    expect(detectKind('compose.yaml')).toBe('compose');
    expect(detectKind('deploy/kubernetes/deployment.yaml')).toBe('kubernetes');
    // not a workflow: an action's metadata, a nested folder, another file type
    expect(detectKind('.github/dependabot.yml')).toBeNull();
    expect(detectKind('.github/workflows/scripts/x.yml')).toBeNull();
    expect(detectKind('.github/workflows/README.md')).toBeNull();
  });

  it('reports YAML errors as SC0001 and does not run rules on them', () => {
    const f = audit('on: push\njobs:\n  a: [\n');
    expect(f.map((x) => x.rule)).toEqual(['SC0001']);
    expect(f[0].message).toMatch(/^workflow parse error: /);
  });

  it('applies suppressions with a reason, and reports one without', () => {
    const text = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      # secure-container-ignore SC4001: our own action, same organisation
      - uses: octo-org/setup@v1
      - uses: octo-org/other@v1 # secure-container-ignore SC4001: also ours
      - uses: octo-org/third@v1 # secure-container-ignore SC4001
`;
    expect(audit(text).map((f) => `${f.line} ${f.rule}`)).toEqual(['12 SC0003', '12 SC4001']);
  });

  it('is audited clean when it follows the hardening guide', () => {
    const text = `name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
`;
    expect(audit(text)).toEqual([]);
  });

  it('reads `on` as the trigger key, in every form', () => {
    expect([...buildWorkflowModel('on: push\njobs: {}\n', PATH).triggers]).toEqual(['push']);
    expect([...buildWorkflowModel('on: [push, pull_request_target]\njobs: {}\n', PATH).triggers]).toEqual([
      'push',
      'pull_request_target',
    ]);
    expect([...buildWorkflowModel('on:\n  workflow_dispatch:\n  push:\n    tags: [v*]\n', PATH).triggers]).toEqual([
      'workflow_dispatch',
      'push',
    ]);
  });

  it('helpers: uses and expressions', () => {
    expect(parseUses('actions/checkout@v4')).toEqual({ action: 'actions/checkout', ref: 'v4' });
    expect(parseUses('github/codeql-action/upload-sarif@abc')).toEqual({
      action: 'github/codeql-action/upload-sarif',
      ref: 'abc',
    });
    expect(parseUses('./.github/actions/x')).toBeNull();
    expect(expressions('a ${{ x }} b ${{y.z}} ${{ unclosed')).toEqual(['x', 'y.z']);
    // linear on a hostile string
    const t0 = Date.now();
    expressions('${{'.repeat(200_000));
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('discovery', () => {
  it('walks .github/workflows/ and labels its files as workflows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-wf-'));
    try {
      mkdirSync(join(dir, '.github/workflows'), { recursive: true });
      writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\njobs: {}\n');
      writeFileSync(join(dir, '.github/workflows/compose.yaml'), 'on: push\njobs: {}\n');
      writeFileSync(join(dir, '.github/dependabot.yml'), 'version: 2\n');
      writeFileSync(join(dir, 'compose.yaml'), 'services: {}\n');
      const { files, errors } = discover([], dir);
      expect(errors).toEqual([]);
      expect(files.map((f) => `${f.rel} ${f.kind}`)).toEqual([
        '.github/workflows/ci.yml workflow',
        '.github/workflows/compose.yaml workflow',
        'compose.yaml compose',
      ]);
      // named on the command line
      expect(discover(['.github/workflows/ci.yml'], dir).files.map((f) => f.kind)).toEqual(['workflow']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
