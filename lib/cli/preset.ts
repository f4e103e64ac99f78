// --preset <path|package> -> the pieces the answers layer and the renderers need.
import type { PresetInput } from '../init.js';

export async function loadPresetInput(ref: string, root: string): Promise<PresetInput> {
  void root;
  throw Object.assign(new Error(`--preset ${ref}: presets are not available yet`), { name: 'PresetError' });
}
