export { planUpgrade, planWrites, isNoop, OUTCOMES } from './plan.js';
export type { Outcome, FilePlan, UpgradePlan, PlanInput } from './plan.js';
export { checkDrift, driftExitCode } from './drift.js';
export type { DriftInput, DriftReport } from './drift.js';
export { renderPlan } from './render.js';
export type { RenderPlanOptions } from './render.js';
export { compareVersions } from './version.js';
export { unifiedDiff } from '../merge/diff.js';
