import type { RuleMeta } from '../types.js';

/** What a rule writes: everything but the derived fields; `sameAs`/`related` default to none. */
type Base = Omit<RuleMeta, 'kind' | 'docs' | 'refs' | 'sameAs' | 'related'> & { sameAs?: string[]; related?: string[] };

function complete(m: Base): Omit<RuleMeta, 'kind'> {
  const { sameAs = [], related = [], ...rest } = m;
  return { ...rest, sameAs, related, refs: [...sameAs, ...related], docs: `docs/rules/${m.id}.md` };
}

export function dockerfileMeta(m: Base): RuleMeta & { kind: 'dockerfile' } {
  return { ...complete(m), kind: 'dockerfile' };
}
export function composeMeta(m: Base): RuleMeta & { kind: 'compose' } {
  return { ...complete(m), kind: 'compose' };
}
export function engineMeta(m: Base): RuleMeta & { kind: 'any' } {
  return { ...complete(m), kind: 'any' };
}
