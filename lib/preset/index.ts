export { loadPreset, readPresetSource, findPackageDir, isPathRef } from './load.js';
export type { LoadPresetOptions } from './load.js';
export { resolvePresetChain, mergePresetDocs } from './chain.js';
export type { PresetReader, PresetSource } from './chain.js';
export { applyPreset, presetPolicy, presetLabels, presetFixed, checkPreset, formatValue, FLAG_FOR } from './apply.js';
export type { ApplyPresetInput, AppliedPreset } from './apply.js';
export { validatePresetDoc, formatSchemaErrors, PRESET_SCHEMA_URL } from './schema.js';
export { PresetError } from './types.js';
export type { PresetDoc, ResolvedPreset, RuleSeverity } from './types.js';
