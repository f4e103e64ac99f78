// The preset release a repository was generated with ({ name, version } under `presetRelease` in
// .yo-rc.json): written by generate(), read back by `upgrade` (the plan shows a version change)
// and by `upgrade --check --format json` (the fleet report).
import { GENERATOR_NAME } from '../core/version.js';
import type { PresetContribution } from './extend-types.js';

export const PRESET_RELEASE_KEY = 'presetRelease';

export interface PresetRelease {
  name: string;
  version?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** .yo-rc.json text with our entry's presetRelease set from the contribution (removed when there is none). */
export function withPresetRelease(yoRcText: string, c: PresetContribution | undefined): string {
  let obj: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    obj = isObject(parsed) ? parsed : {};
  } catch {
    return yoRcText;
  }
  const entry = obj[GENERATOR_NAME];
  const ours: Record<string, unknown> = isObject(entry) ? { ...entry } : {};
  if (c) ours[PRESET_RELEASE_KEY] = { name: c.name, ...(c.version ? { version: c.version } : {}) };
  else delete ours.presetRelease;
  return JSON.stringify({ ...obj, [GENERATOR_NAME]: ours });
}

/** The preset release recorded in a .yo-rc.json text, if any (a hostile file yields undefined, never throws). */
export function readPresetRelease(yoRcText: string | undefined): PresetRelease | undefined {
  if (yoRcText === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    const ours = isObject(parsed) ? parsed[GENERATOR_NAME] : undefined;
    const r = isObject(ours) ? ours[PRESET_RELEASE_KEY] : undefined;
    if (!isObject(r) || typeof r.name !== 'string') return undefined;
    return {
      name: r.name.slice(0, 200),
      ...(typeof r.version === 'string' ? { version: r.version.slice(0, 64) } : {}),
    };
  } catch {
    return undefined;
  }
}
