// --preset <path|package> -> the pieces the answers layer and the renderers need.
export { loadPresetInput } from '../preset/bridge.js';
