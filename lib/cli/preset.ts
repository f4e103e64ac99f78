// --preset <path|package> -> the pieces the answers layer and the renderers need.
// Loaded lazily: the preset loader pulls in ajv (~40 ms), which a run without a preset never needs.
import type { PresetInput } from '../init.js';

export async function loadPresetInput(ref: string, root: string): Promise<PresetInput> {
  return (await import('../preset/bridge.js')).loadPresetInput(ref, root);
}
