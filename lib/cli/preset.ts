// --preset <path|package> -> the pieces the answers layer and the renderers need.
// Loaded lazily: the preset loader pulls in ajv (~40 ms), which a run without a preset never needs.
import type { PresetInput } from '../flow/generate.js';

/**
 * The preset of a run: `--preset` (the user's explicit choice) wins; else the one recorded in
 * .yo-rc.json, which comes from the repository and is loaded as untrusted (a plain file inside the
 * repository, or a package confirmed once with --trust-preset). Undefined when there is none.
 */
export async function loadRunPreset(
  given: string | undefined,
  recorded: string | undefined,
  root: string,
  opts: { trustPreset?: boolean; warn?: (message: string) => void } = {},
): Promise<PresetInput | undefined> {
  const explicit = given !== undefined && given !== '';
  const ref = explicit ? given : recorded;
  if (ref === undefined || ref === '') return undefined;
  const { loadPresetInput } = await import('../preset/bridge.js');
  return loadPresetInput(ref, root, {
    origin: explicit ? 'explicit' : 'recorded',
    trust: opts.trustPreset === true,
    ...(opts.warn ? { warn: opts.warn } : {}),
  });
}
