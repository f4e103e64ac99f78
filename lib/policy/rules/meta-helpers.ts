import type { RuleMeta } from '../types.js';

type Base = Omit<RuleMeta, 'kind' | 'docs'>;

export function dockerfileMeta(m: Base): RuleMeta & { kind: 'dockerfile' } {
  return { ...m, kind: 'dockerfile', docs: `docs/rules/${m.id}.md` };
}
export function composeMeta(m: Base): RuleMeta & { kind: 'compose' } {
  return { ...m, kind: 'compose', docs: `docs/rules/${m.id}.md` };
}
export function engineMeta(m: Base): RuleMeta & { kind: 'any' } {
  return { ...m, kind: 'any', docs: `docs/rules/${m.id}.md` };
}
