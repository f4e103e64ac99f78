// The preset release a repository was generated with ({ name, version } under `presetRelease` in
// .yo-rc.json): written by generate(), read back by `upgrade` (the plan shows a version change)
// and by `upgrade --check --format json` (the fleet report).
import { readYoRcEntry, withYoRcEntry } from '../state/index.js';
import type { PresetContribution } from './extend-types.js';

export const PRESET_RELEASE_KEY = 'presetRelease';

export interface PresetRelease {
  name: string;
  version?: string;
}

/** .yo-rc.json text with our entry's presetRelease set from the contribution (removed when there is none). */
export function withPresetRelease(yoRcText: string, c: PresetContribution | undefined): string {
  return withYoRcEntry(
    yoRcText,
    PRESET_RELEASE_KEY,
    c ? { name: c.name, ...(c.version ? { version: c.version } : {}) } : undefined,
  );
}

/** The preset release recorded in a .yo-rc.json text, if any (a hostile file yields undefined, never throws). */
export function readPresetRelease(yoRcText: string | undefined): PresetRelease | undefined {
  const r = readYoRcEntry(yoRcText, PRESET_RELEASE_KEY);
  if (r === undefined || typeof r.name !== 'string') return undefined;
  return {
    name: r.name.slice(0, 200),
    ...(typeof r.version === 'string' ? { version: r.version.slice(0, 64) } : {}),
  };
}
