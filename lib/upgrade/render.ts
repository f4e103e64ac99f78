// Text shown to people: the per-file plan and the --dry-run diffs.
import { unifiedDiff } from '../merge/diff.js';
import { OUTCOMES, type UpgradePlan } from './plan.js';

export interface RenderPlanOptions {
  /** append a unified diff for every file the plan writes (for --dry-run) */
  diffs?: boolean;
}

export function renderPlan(plan: UpgradePlan, opts: RenderPlanOptions = {}): string {
  const out: string[] = [];
  const from = plan.fromVersion ?? 'nothing recorded';
  out.push(plan.fromVersion === plan.toVersion ? `secure-container upgrade: ${plan.toVersion} (same version)` : `secure-container upgrade: ${from} -> ${plan.toVersion}`);
  const width = Math.max(12, ...plan.files.map((f) => f.path.length));
  for (const f of plan.files) {
    out.push(`  ${f.outcome.padEnd(12)} ${f.path.padEnd(width)}  ${f.note}`);
  }
  const parts = OUTCOMES.filter((o) => plan.counts[o] > 0).map((o) => `${plan.counts[o]} ${o}`);
  out.push(`summary: ${parts.length ? parts.join(', ') : 'no generated files'}`);
  if (plan.stateWrites.length || plan.stateDeletes.length) {
    out.push(`state: ${plan.stateWrites.length} file(s) of .yo-rc.json/.secure-container/ updated${plan.stateDeletes.length ? `, ${plan.stateDeletes.length} pristine cop${plan.stateDeletes.length === 1 ? 'y' : 'ies'} removed` : ''}`);
  }
  if (plan.conflicts > 0) {
    out.push(`${plan.conflicts} conflict${plan.conflicts === 1 ? '' : 's'} to resolve: edit the files above, or rerun with --strategy ours|theirs`);
  }
  if (opts.diffs) {
    for (const f of plan.files) {
      if (f.contents === undefined) continue;
      const d = unifiedDiff(f.path, f.current, f.contents);
      if (d) out.push('', d.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}
