// The metadata of a GitHub Actions workflow rule: the shared helper's completion (docs path, refs), kind "workflow".
import { engineMeta } from '../rules/meta-helpers.js';
import type { RuleMeta } from '../types.js';

type Base = Parameters<typeof engineMeta>[0];

export function workflowMeta(m: Base): RuleMeta & { kind: 'workflow' } {
  return { ...engineMeta(m), kind: 'workflow' };
}
