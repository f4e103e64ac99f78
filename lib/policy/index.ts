// Public API of the policy engine (used by `secure-container audit` and the generator's self-check).
export { allRules, ruleById, ruleModules, dockerfileRules, composeRules } from './rules/index.js';
export {
  auditDockerfile,
  auditCompose,
  auditGenerated,
  PARSE_ERROR,
  UNREADABLE,
  SUPPRESSION_WITHOUT_REASON,
} from './engine.js';
export {
  loadPolicyConfig,
  loadPolicyConfigFile,
  mergePolicyConfig,
  parsePolicyConfig,
  validatePolicyConfig,
  resolvePolicyConfig,
  PolicyConfigError,
  DEFAULT_ALLOWED_REGISTRIES,
  CONFIG_FILE_NAMES,
  type PolicyConfig,
  type RuleSetting,
  type FailOn,
} from './config.js';
export { detectKind } from './kinds.js';
export { renderRulesTable, renderRuleDoc } from './docs.js';
export type { Rule, RuleMeta, FileKind, Principle, RuleCases } from './types.js';
