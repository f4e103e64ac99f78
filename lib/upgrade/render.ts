// Text shown to people: the per-file plan and the --dry-run diffs.
import { unifiedDiff } from '../merge/diff.js';
import { escapeControl, escapeText } from '../text/escape.js';
import { OUTCOMES, type PresetChange, type UpgradePlan } from './plan.js';

export interface RenderPlanOptions {
  /** append a unified diff for every file the plan writes (for --dry-run) */
  diffs?: boolean;
}

export function renderUpgradePlan(plan: UpgradePlan, opts: RenderPlanOptions = {}): string {
  const out: string[] = [];
  const from = plan.fromVersion == null ? 'nothing recorded' : escapeControl(plan.fromVersion);
  out.push(
    plan.fromVersion === plan.toVersion
      ? `secure-container upgrade: ${escapeControl(plan.toVersion)} (same version)`
      : `secure-container upgrade: ${from} -> ${plan.toVersion}`,
  );
  if (plan.preset?.changed) out.push(`  ${presetChangeLine(plan.preset)}`);
  // paths, notes and file contents come from the repository: control characters are shown, not sent
  const paths = plan.files.map((f) => escapeControl(f.path));
  const width = Math.max(12, ...paths.map((p) => p.length));
  plan.files.forEach((f, i) => {
    out.push(`  ${f.outcome.padEnd(12)} ${paths[i].padEnd(width)}  ${escapeControl(f.note)}`);
  });
  const parts = OUTCOMES.filter((o) => plan.counts[o] > 0).map((o) => `${plan.counts[o]} ${o}`);
  out.push(`summary: ${parts.length ? parts.join(', ') : 'no generated files'}`);
  if (plan.stateWrites.length || plan.stateDeletes.length) {
    out.push(
      `state: ${plan.stateWrites.length} file(s) of .yo-rc.json/.secure-container/ updated${plan.stateDeletes.length ? `, ${plan.stateDeletes.length} pristine cop${plan.stateDeletes.length === 1 ? 'y' : 'ies'} removed` : ''}`,
    );
  }
  if (plan.conflicts > 0) {
    out.push(
      `${plan.conflicts} conflict${plan.conflicts === 1 ? '' : 's'} to resolve: edit the files above, or rerun with --strategy ours|theirs`,
    );
  }
  if (opts.diffs) {
    for (const f of plan.files) {
      if (f.contents === undefined) continue;
      const d = unifiedDiff(escapeControl(f.path), f.current, f.contents);
      // each diff line is one line of the output: its content (and the path in the header) is escaped,
      // newlines inside a line cannot exist (the diff splits on them); tabs stay
      if (d) out.push('', d.trimEnd().split('\n').map(escapeText).join('\n'));
    }
  }
  return out.join('\n') + '\n';
}

/** `preset acme 1.2.0 -> 1.3.0` (or `preset acme 1.3.0 (new)`, `preset acme 1.2.0 (removed)`). */
export function presetChangeLine(c: PresetChange): string {
  const show = (r: { name: string; version?: string }) =>
    `${escapeControl(r.name)}${r.version ? ` ${escapeControl(r.version)}` : ''}`;
  if (!c.from && c.to) return `preset ${show(c.to)} (new)`;
  if (c.from && !c.to) return `preset ${show(c.from)} (removed)`;
  if (c.from && c.to && c.from.name !== c.to.name) return `preset ${show(c.from)} -> ${show(c.to)}`;
  return `preset ${escapeControl(c.to?.name ?? '')} ${escapeControl(c.from?.version ?? '(no version)')} -> ${escapeControl(c.to?.version ?? '(no version)')}`;
}

/** A compose file secret of the new answers and what is on disk at `secrets/<name>`. */
export interface SecretFileState {
  name: string;
  /** missing: no such path; directory: a directory (Podman creates one when the file was missing) */
  state: 'missing' | 'directory';
}

/** "next:" lines for the file secrets that have no file yet (`up` would mount an empty directory). */
export function renderSecretFileSteps(files: readonly SecretFileState[]): string {
  return files
    .map((f) =>
      f.state === 'directory'
        ? `next: secrets/${escapeControl(f.name)} is a directory (Podman makes one for a missing file): rmdir it, then create the file as secrets/README.md explains, before docker compose up\n`
        : `next: create secrets/${escapeControl(f.name)} as secrets/README.md explains, before docker compose up (Podman mounts a missing file as an empty directory)\n`,
    )
    .join('');
}
