import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderAllDocs, renderRulesTable } from '../../lib/policy/docs.js';
import { allRules } from '../../lib/policy/index.js';

const root = new URL('../../../', import.meta.url);

describe('rule docs', () => {
  it('the table lists every rule', () => {
    const t = renderRulesTable();
    for (const r of allRules) expect(t).toContain(`[${r.meta.id}](${r.meta.id}.md) | \`${r.meta.name}\``);
  });
  it('docs/rules/* match the metadata (run `npm run docs:rules` after changing a rule)', () => {
    for (const [rel, text] of renderAllDocs()) expect(readFileSync(new URL(rel, root), 'utf8')).toBe(text);
  });
});
