// The metadata of a Kubernetes rule: the shared helper's completion (docs path, refs), kind "kubernetes".
import { engineMeta } from '../rules/meta-helpers.js';
import type { RuleMeta } from '../types.js';

type Base = Parameters<typeof engineMeta>[0];

export function kubernetesMeta(m: Base): RuleMeta & { kind: 'kubernetes' } {
  return { ...engineMeta(m), kind: 'kubernetes' };
}
