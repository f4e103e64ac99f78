// `upgrade --check --format json`: one machine-readable report per repository, for a platform team
// that collects it from every repository's CI (which services lag behind the generator or the
// preset, which files were edited, what the audit finds in the files as they are). Pure.
import type { Finding, GeneratedFile } from '../core/types.js';
import { GENERATOR_NAME } from '../core/version.js';
import { countConflictMarkers } from '../merge/text.js';
import type { PresetRelease } from '../preset/release.js';
import { sha256, type ManifestEntry, type State } from '../state/index.js';
import type { DriftReport } from './drift.js';
import { compareVersions } from './version.js';

/** Report format id; bumped when a field changes meaning. */
export const FLEET_REPORT_SCHEMA = 'generator-secure-container/fleet-report@1';

/**
 * - unchanged: as generated, and this version renders the same
 * - edited: changed by the user, this version renders the same (an upgrade keeps the edits)
 * - stale: this version (or the preset) renders it differently: an upgrade would change it
 * - missing: generated before, absent now (or never written)
 * - conflict: unresolved conflict markers from an earlier upgrade
 * - orphaned: recorded, no longer generated
 */
export type FileStatus = 'unchanged' | 'edited' | 'stale' | 'missing' | 'conflict' | 'orphaned';

export interface FleetReport {
  schema: typeof FLEET_REPORT_SCHEMA;
  status: 'up-to-date' | 'out-of-date';
  generator: { name: string; version: string; recorded: string; outdated: boolean };
  preset: null | {
    ref: string | null;
    name: string | null;
    /** the version the current preset has */
    version: string | null;
    /** the version the files were generated with */
    recorded: string | null;
    outdated: boolean;
  };
  files: { path: string; status: FileStatus; edited: boolean }[];
  audit: { error: number; warning: number; info: number; rules: Record<string, number> };
  reasons: string[];
}

export interface FleetInput {
  state: State;
  current: (path: string) => string | undefined;
  rendered: readonly GeneratedFile[];
  currentVersion: string;
  drift: DriftReport;
  /** the preset reference recorded (or --preset) */
  presetRef?: string;
  /** recorded in .yo-rc.json (the files' preset release) */
  recordedPreset?: PresetRelease;
  /** the preset as loaded now */
  currentPreset?: PresetRelease;
  /** the audit of the files as they are on disk */
  findings: readonly Finding[];
}

export function fleetReport(input: FleetInput): FleetReport {
  const { state, current, rendered, drift } = input;
  const files: FleetReport['files'] = [];
  const renderedPaths = new Set<string>();
  for (const r of rendered) {
    renderedPaths.add(r.path);
    const cur = current(r.path);
    const entry = state.manifest.files[r.path] as ManifestEntry | undefined;
    const base = state.pristine.get(r.path);
    const edited = cur !== undefined && base !== undefined && cur !== base;
    let status: FileStatus;
    if (cur === undefined) status = 'missing';
    else if (countConflictMarkers(cur) > 0) status = 'conflict';
    else if (!entry || entry.sha256 !== sha256(r.contents)) status = cur === r.contents ? 'unchanged' : 'stale';
    else status = edited ? 'edited' : 'unchanged';
    files.push({ path: r.path, status, edited });
  }
  for (const path of Object.keys(state.manifest.files))
    if (!renderedPaths.has(path)) files.push({ path, status: 'orphaned', edited: false });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const audit: FleetReport['audit'] = { error: 0, warning: 0, info: 0, rules: {} };
  for (const f of input.findings) {
    audit[f.severity]++;
    audit.rules[f.rule] = (audit.rules[f.rule] ?? 0) + 1;
  }
  const rec = input.recordedPreset;
  const now = input.currentPreset;
  const presetOutdated =
    (rec?.name ?? null) !== (now?.name ?? null) ||
    (rec?.version !== undefined && now?.version !== undefined && compareVersions(rec.version, now.version) !== 0) ||
    (rec?.version === undefined) !== (now?.version === undefined);
  const outdated = drift.outdated || drift.drifted.length > 0 || (input.presetRef !== undefined && presetOutdated);
  return {
    schema: FLEET_REPORT_SCHEMA,
    status: outdated ? 'out-of-date' : 'up-to-date',
    generator: {
      name: GENERATOR_NAME,
      version: input.currentVersion,
      recorded: state.version,
      outdated: compareVersions(state.version, input.currentVersion) !== 0,
    },
    preset:
      input.presetRef === undefined && !rec
        ? null
        : {
            ref: input.presetRef ?? null,
            name: now?.name ?? rec?.name ?? null,
            version: now?.version ?? null,
            recorded: rec?.version ?? null,
            outdated: presetOutdated,
          },
    files,
    audit,
    reasons: drift.reasons,
  };
}
