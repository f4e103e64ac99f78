// The upgrade planner: previous state + the user's files + a new rendering -> one outcome per file.
// Pure: `current` is how it reads the user's files; nothing is written here (see planUpgradeWrites).
import type { Answers, GeneratedFile } from '../core/types.js';
import { merge3, type MergeStrategy } from '../merge/merge3.js';
import { countConflictMarkers } from '../merge/text.js';
import { buildState, checkRelativePath, isStatePath, pristinePath, YO_RC, type State } from '../state/index.js';
import { compareVersions } from './version.js';
import { readPresetRelease, type PresetRelease } from '../preset/release.js';

export const OUTCOMES = [
  'create',
  'update',
  'merged',
  'conflict',
  'unchanged',
  'user-only',
  'kept-deleted',
  'orphaned',
] as const;
/**
 * - create: newly generated file, absent on disk
 * - unchanged: the file on disk already is the new rendering
 * - update: not edited by the user -> replaced by the new rendering
 * - merged: user edits kept and template changes applied (also: conflicts settled by --strategy)
 * - conflict: conflict markers written (or left from an earlier upgrade and not yet resolved)
 * - user-only: edited by the user, template output unchanged -> nothing to do
 * - kept-deleted: the user deleted it -> stays deleted
 * - orphaned: no longer generated -> reported, left in place
 */
export type Outcome = (typeof OUTCOMES)[number];

export interface FilePlan {
  path: string;
  outcome: Outcome;
  /** new contents to write; undefined = leave the file as it is */
  contents?: string;
  /** file mode hint for created/replaced files */
  mode?: number;
  /** the file's current contents (undefined = absent), for diffs */
  current?: string;
  /** conflict blocks in the file after the plan is applied */
  conflicts: number;
  /** conflicts settled by the strategy */
  resolved: number;
  /** one-line explanation for the summary */
  note: string;
}

export interface UpgradePlan {
  fromVersion: string | null;
  toVersion: string;
  strategy?: MergeStrategy;
  /** sorted by path */
  files: FilePlan[];
  /** state files (.yo-rc.json, manifest, pristine copies) whose contents change */
  stateWrites: GeneratedFile[];
  /** pristine copies of files no longer generated (only ever under .secure-container/pristine/) */
  stateDeletes: string[];
  /** conflict blocks left in files after applying (new and unresolved old ones) */
  conflicts: number;
  counts: Record<Outcome, number>;
  /** the team preset release before and after (from .yo-rc.json presetRelease), when either has one */
  preset?: PresetChange;
}

/** A preset release change: `from` undefined = the preset is new; `to` undefined = it was removed. */
export interface PresetChange {
  from?: PresetRelease;
  to?: PresetRelease;
  /** name or version differ */
  changed: boolean;
}

export interface PlanInput {
  /** previous state (parseState); null = nothing recorded: every file is new */
  state: State | null;
  /** the user's current file (path relative to the root) or undefined when absent */
  current: (path: string) => string | undefined;
  /** the new rendering, without state files */
  rendered: readonly GeneratedFile[];
  /** the answers the new rendering was made from (recorded in the new state) */
  answers: Answers;
  newVersion: string;
  /** preset reference to record (undefined = none) */
  preset?: string;
  strategy?: MergeStrategy;
  /** .yo-rc.json text to build on (default: the current file); other keys in it are preserved */
  existingYoRc?: string;
}

function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function planUpgrade(input: PlanInput): UpgradePlan {
  const { state, current, rendered, strategy } = input;
  const fromVersion = state ? state.version : null;
  const sameVersion = fromVersion !== null && compareVersions(fromVersion, input.newVersion) === 0;
  const labels = {
    ours: 'yours (your edits)',
    base: `generated ${fromVersion ?? '(unknown)'}${sameVersion ? ' (previous answers)' : ''}`,
    theirs: `generated ${input.newVersion}${sameVersion ? ' (new answers)' : ''}`,
  };

  const seen = new Set<string>();
  const files: FilePlan[] = [];
  /** what becomes the pristine copy (the next merge base) of each generated file */
  const nextPristine: GeneratedFile[] = [];

  for (const r of rendered) {
    const bad = checkRelativePath(r.path);
    if (bad) throw new Error(`rendered file "${r.path}": path ${bad}`);
    if (isStatePath(r.path)) throw new Error(`rendered file "${r.path}" collides with the generator's state files`);
    if (seen.has(r.path)) throw new Error(`rendered file "${r.path}" appears twice`);
    seen.add(r.path);

    const cur = current(r.path);
    const tracked = state !== null && Object.hasOwn(state.manifest.files, r.path);
    const base = state?.pristine.get(r.path);
    let plan: FilePlan;
    let pristine = r.contents;
    const mk = (outcome: Outcome, note: string, extra: Partial<FilePlan> = {}): FilePlan => {
      const p: FilePlan = { path: r.path, outcome, conflicts: 0, resolved: 0, note, ...extra };
      if (cur !== undefined) p.current = cur;
      return p;
    };

    if (cur === undefined) {
      plan = tracked
        ? mk('kept-deleted', 'you deleted it: it stays deleted')
        : mk('create', 'new file', { contents: r.contents, ...(r.mode !== undefined ? { mode: r.mode } : {}) });
    } else if (cur === r.contents) {
      plan = mk('unchanged', 'up to date');
    } else if (countConflictMarkers(cur) > 0) {
      // Never merge over markers the user has not resolved yet; keep the old base so the template
      // changes are applied by the next upgrade, after the markers are gone.
      const n = countConflictMarkers(cur);
      plan = mk(
        'conflict',
        `${plural(n, 'unresolved conflict')} from an earlier upgrade: resolve the <<<<<<< markers, then run upgrade again`,
        { conflicts: n },
      );
      if (base !== undefined) pristine = base;
    } else if (base !== undefined && cur === base) {
      plan = mk('update', 'not edited by you: replaced by the new version', {
        contents: r.contents,
        ...(r.mode !== undefined ? { mode: r.mode } : {}),
      });
    } else if (base !== undefined && r.contents === base) {
      plan = mk('user-only', 'your edits kept; the generated content did not change');
    } else {
      // Edited by the user and changed by the template: three-way merge. Without a base (a file the
      // user wrote before this version generated it, or a lost pristine copy) it is a two-way merge.
      const m = merge3(base ?? null, cur, r.contents, { labels, ...(strategy ? { strategy } : {}) });
      const origin =
        base === undefined
          ? tracked
            ? 'pristine copy missing, merged without a base'
            : 'existed before the generator wrote it'
          : '';
      const why = (s: string) => (origin ? `${s} (${origin})` : s);
      if (m.conflicts > 0) {
        plan = mk('conflict', why(`${plural(m.conflicts, 'conflict')}: edit the file to resolve the <<<<<<< markers`), {
          contents: m.text,
          conflicts: m.conflicts,
        });
      } else {
        const settled = m.resolved > 0 ? `; ${plural(m.resolved, 'conflict')} settled with --strategy ${strategy}` : '';
        plan = mk('merged', why(`your edits kept, template changes applied${settled}`), { resolved: m.resolved });
        if (m.text !== cur) plan.contents = m.text;
        else plan.note = why(`your file already contains the template changes${settled}`);
      }
    }
    files.push(plan);
    nextPristine.push(
      r.mode === undefined ? { path: r.path, contents: pristine } : { path: r.path, contents: pristine, mode: r.mode },
    );
  }

  const stateDeletes: string[] = [];
  if (state) {
    for (const path of Object.keys(state.manifest.files)) {
      if (seen.has(path)) continue;
      const cur = current(path);
      const base = state.pristine.get(path);
      const note =
        cur === undefined
          ? `no longer generated by ${input.newVersion} (already deleted)`
          : cur === base
            ? `no longer generated by ${input.newVersion}: left in place; you never edited it, delete it if unused`
            : `no longer generated by ${input.newVersion}: left in place with your edits`;
      const p: FilePlan = { path, outcome: 'orphaned', conflicts: 0, resolved: 0, note };
      if (cur !== undefined) p.current = cur;
      files.push(p);
      if (current(pristinePath(path)) !== undefined) stateDeletes.push(pristinePath(path));
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const existingYoRc = input.existingYoRc ?? current(YO_RC);
  const newState = buildState(
    input.answers,
    input.newVersion,
    nextPristine,
    input.preset,
    existingYoRc !== undefined ? { existingYoRc } : {},
  );
  const stateWrites = newState.filter((f) => current(f.path) !== f.contents);

  const counts = emptyCounts();
  let conflicts = 0;
  for (const f of files) {
    counts[f.outcome]++;
    conflicts += f.conflicts;
  }
  const plan: UpgradePlan = {
    fromVersion,
    toVersion: input.newVersion,
    files,
    stateWrites,
    stateDeletes: stateDeletes.sort(),
    conflicts,
    counts,
  };
  if (strategy) plan.strategy = strategy;
  const before = readPresetRelease(current(YO_RC));
  const after = readPresetRelease(existingYoRc);
  if (before || after)
    plan.preset = {
      ...(before ? { from: before } : {}),
      ...(after ? { to: after } : {}),
      changed: before?.name !== after?.name || before?.version !== after?.version,
    };
  return plan;
}

/** Everything applying the plan writes and deletes, generated files first. */
export function planUpgradeWrites(plan: UpgradePlan): { writes: GeneratedFile[]; deletes: string[] } {
  const writes: GeneratedFile[] = [];
  for (const f of plan.files) {
    if (f.contents === undefined) continue;
    writes.push(
      f.mode === undefined
        ? { path: f.path, contents: f.contents }
        : { path: f.path, contents: f.contents, mode: f.mode },
    );
  }
  return { writes: [...writes, ...plan.stateWrites], deletes: [...plan.stateDeletes] };
}

/** True when applying the plan would change nothing on disk. */
export function isNoop(plan: UpgradePlan): boolean {
  const { writes, deletes } = planUpgradeWrites(plan);
  return writes.length === 0 && deletes.length === 0;
}
