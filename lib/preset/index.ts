export { loadPreset, readPresetSource, findPackageDir, isPathRef, DATA_ONLY_MESSAGE } from './load.js';
export type { LoadPresetOptions } from './load.js';
export { resolvePresetChain, mergePresetDocs, MAX_EXTENDS_DEPTH, MAX_PRESET_DOCUMENTS } from './chain.js';
export type { PresetReader, PresetSource } from './chain.js';
export { applyPreset, presetPolicy, presetLabels, presetFixed, checkPreset, formatValue, FLAG_FOR } from './apply.js';
export type { ApplyPresetInput, AppliedPreset } from './apply.js';
export { validatePresetDoc, formatSchemaErrors, PRESET_SCHEMA_URL } from './schema.js';
export { trustStoreDir, documentsDigest, lookupTrust, recordTrust, TRUST_FILE } from './trust.js';
export type { TrustEntry, TrustedDocument } from './trust.js';
export { PresetError } from './types.js';
export {
  checkPresetContent,
  contributionOf,
  extendCompose,
  extendFiles,
  renderInstruction,
  renderPresetTemplate,
  templateProblem,
  DOCKERFILE_POINTS,
} from './extend.js';
export type * from './extend-types.js';
export { readPresetRelease, withPresetRelease } from './release.js';
export type { PresetRelease } from './release.js';
export { testPreset, renderPresetTest } from './check.js';
export type { PresetTestResult, PresetTestRow } from './check.js';
export { scaffoldPreset } from './scaffold.js';
export type { PresetDoc, PresetErrorKind, PresetTrustOptions, ResolvedPreset, RuleSeverity } from './types.js';
