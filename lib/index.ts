// The package's programmatic API and its one public surface (package.json "exports" maps the
// package name here and nowhere deeper; docs/*.md import from 'generator-secure-container', which
// test/docs/imports.test.ts checks). The CLI and the Yeoman generators are built on the same pieces.
export * from './core/types.js';
export { QUESTIONS, QUESTION_BY_KEY, QUESTION_BY_FLAG, type Question } from './core/answers/schema.js';
export { resolveAnswers, walkQuestions, type AnswerInputs, type RawAnswers } from './core/answers/resolve.js';
export { buildSpec } from './spec/build.js';
export { PROFILES, profileFor, profiles, registerRuntime, runtimeNames, withRegistry } from './runtimes/index.js';
export type { RuntimeProfile, RuntimeClaim, RuntimeDetection } from './runtimes/profile.js';
export { detectRepo, detectFromFiles, describeFacts } from './detect/index.js';
export { buildFiles, type BuildOptions, type BuildResult } from './flow/generate.js';
export { renderFiles, OUTPUTS, registerOutput, type Output } from './outputs/index.js';
export {
  auditDockerfile,
  auditCompose,
  auditGenerated,
  allRules,
  loadPolicyConfig,
  mergePolicyConfig,
  type PolicyConfig,
} from './policy/index.js';
export { merge3 } from './merge/merge3.js';
export { unifiedDiff } from './merge/diff.js';
export { buildState, parseState, sha256, StateError, type State } from './state/index.js';
export { planUpgrade, planUpgradeWrites, type UpgradePlan } from './upgrade/plan.js';
export { renderUpgradePlan } from './upgrade/render.js';
export { checkDrift } from './upgrade/drift.js';
export {
  loadPreset,
  applyPreset,
  presetPolicy,
  presetLabels,
  resolvePresetChain,
  PresetError,
  type ResolvedPreset,
} from './preset/index.js';
// supply chain (issue 16): image references by digest, and the built image checked against the promises
export { resolveDigest, resolveDigests, RegistryError, type RegistryClientOptions } from './registry-client/index.js';
export {
  imagesIn,
  applyDigests,
  dockerfileImages,
  composeImages,
  gitlabImages,
  type ImageOccurrence,
} from './registry-client/refs.js';
export { verifyImage, checkFacts, ImageNotFound, type VerifyOptions, type VerifyResult } from './verify/run.js';
export { processRunner, type Runner } from './verify/engine.js';
// team starters (issue 17): a preset's self-test and the fleet report of `upgrade --check --format json`
export { testPreset, renderPresetTest, type PresetTestResult } from './preset/check.js';
export { fleetReport, FLEET_REPORT_SCHEMA, type FleetReport } from './upgrade/fleet.js';
