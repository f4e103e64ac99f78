// One rule runner for every file kind: a kind is match + parse + model + rules + where suppressions
// apply (lib/policy/kinds.ts). A toy kind, defined here and run through the engine's runner
// unchanged, gets parse errors, rule findings, config overrides and suppressions like the real ones.
import { describe, expect, it } from '@jest/globals';
import { auditCompose, auditDockerfile, auditText } from '../../lib/policy/engine.js';
import { composeKind, detectKind, dockerfileKind, KINDS, kindOf, type Kind } from '../../lib/policy/kinds.js';
import type { KindRule } from '../../lib/policy/types.js';

/** A `.toy` file: its model is its lines. */
interface ToyModel {
  lines: string[];
}

const noBadWord: KindRule<ToyModel> = {
  meta: {
    id: 'SC9001',
    name: 'no-bad-word',
    principle: 'P1',
    severity: 'warning',
    kind: 'toy',
    message: 'Line says "bad"',
    description: 'A toy rule for the toy kind: reports every line containing the word "bad".',
    fix: 'Say something else.',
    sameAs: [],
    related: [],
    refs: [],
    docs: 'docs/rules/SC9001.md',
  },
  check({ model, report }) {
    model.lines.forEach((l, i) => {
      if (/\bbad\b/.test(l)) report({ line: i + 1 });
    });
  },
};

const toyKind: Kind<ToyModel, 'toy'> = {
  id: 'toy',
  title: 'toy file',
  match: (path) => path.endsWith('.toy'),
  parse(text) {
    if (text.startsWith('!crash')) throw new Error('toy parser gave up');
    const lines = text.split('\n');
    const problems = lines.flatMap((l, i) =>
      l.includes('\t') ? [{ line: i + 1, message: 'toy parse error: tab' }] : [],
    );
    return { model: { lines }, problems, limits: [], usable: problems.length === 0 };
  },
  rules: [noBadWord],
  // a comment line applies to the next line
  comments: (model) =>
    model.lines.flatMap((text, i) => (text.trimStart().startsWith('#') ? [{ line: i + 1, text }] : [])),
  scope: () => ({ target: (line) => line + 1, owner: (line) => line }),
};

const audit = (text: string, config?: Parameters<typeof auditText>[3]) =>
  auditText(toyKind, text, 'a.toy', config).map((f) => `${f.line} ${f.rule} ${f.severity} ${f.message}`);

describe('a new kind through the one runner', () => {
  it('runs the kind’s rules over its model, findings sorted by line', () => {
    expect(audit('good\nbad\nfine\nbad again\n')).toEqual([
      '2 SC9001 warning Line says "bad"',
      '4 SC9001 warning Line says "bad"',
    ]);
    const f = auditText(toyKind, 'bad', 'x/a.toy')[0];
    expect(f).toMatchObject({ rule: 'SC9001', name: 'no-bad-word', principle: 'P1', file: 'x/a.toy', line: 1 });
    expect(f.fix).toBe('Say something else.');
  });

  it('applies config overrides', () => {
    expect(audit('bad\n', { rules: { SC9001: 'error' } })).toEqual(['1 SC9001 error Line says "bad"']);
    expect(audit('bad\n', { rules: { SC9001: 'off' } })).toEqual([]);
  });

  it('applies suppressions with a reason where the kind says, and reports one without a reason', () => {
    expect(audit('# secure-container-ignore SC9001: it is a toy\nbad\nbad\n')).toEqual([
      '3 SC9001 warning Line says "bad"',
    ]);
    const noReason = audit('# secure-container-ignore SC9001\nbad\n');
    expect(noReason).toEqual([expect.stringMatching(/^1 SC0003 /), '2 SC9001 warning Line says "bad"']);
    // a suppression of another id does not apply
    expect(audit('# secure-container-ignore SC1001: wrong id\nbad\n')).toEqual(['2 SC9001 warning Line says "bad"']);
  });

  it('reports parse problems as SC0001 and skips the rules when the model is not usable', () => {
    expect(audit('bad\n\tx\n')).toEqual(['2 SC0001 error toy parse error: tab']);
    expect(audit('!crash\nbad\n')).toEqual(['1 SC0001 error cannot parse toy file: toy parser gave up']);
  });

  it('a crashing rule becomes a SC0001 finding, the other rules still run', () => {
    const crashing: KindRule<ToyModel> = {
      meta: { ...noBadWord.meta, id: 'SC9002', name: 'crash' },
      check() {
        throw new Error('boom');
      },
    };
    const f = auditText({ ...toyKind, rules: [crashing, noBadWord] }, 'bad\n', 'a.toy');
    expect(f.map((x) => `${x.line} ${x.rule} ${x.message}`)).toEqual([
      '1 SC0001 internal error in rule SC9002: boom',
      '1 SC9001 Line says "bad"',
    ]);
  });
});

describe('the built-in kinds', () => {
  it('are the table KINDS, found by name', () => {
    expect(KINDS.map((k) => k.id)).toEqual(['dockerfile', 'compose', 'kubernetes', 'workflow']);
    expect(kindOf('app/Dockerfile')).toBe(dockerfileKind);
    expect(kindOf('docker-compose.yml')).toBe(composeKind);
    expect(kindOf('Dockerfile.ejs')).toBeNull();
    expect(kindOf('a.toy')).toBeNull();
    expect(detectKind('compose.prod.yaml')).toBe('compose');
  });

  it('auditDockerfile / auditCompose are the runner with their kind', () => {
    const df = 'FROM alpine:3.20\n# secure-container-ignore SC1001: test\nUSER root\nUSER root\n';
    expect(auditDockerfile(df, 'Dockerfile')).toEqual(auditText(dockerfileKind, df, 'Dockerfile'));
    const yml = 'services:\n  app:\n    image: nginx:latest # secure-container-ignore SC2018: test\n';
    expect(auditCompose(yml, 'compose.yaml')).toEqual(auditText(composeKind, yml, 'compose.yaml'));
  });

  it('no rule of a kind belongs to another kind', () => {
    for (const k of KINDS) for (const r of k.rules) expect(r.meta.kind).toBe(k.id);
  });
});
