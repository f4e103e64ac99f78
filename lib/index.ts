// The package's programmatic API (the CLI and the Yeoman generators are built on the same pieces).
export * from './core/types.js';
export { QUESTIONS, QUESTION_BY_KEY, QUESTION_BY_FLAG, type Question } from './core/answers/schema.js';
export { resolveAnswers, walkQuestions, type AnswerInputs, type RawAnswers } from './core/answers/resolve.js';
export { buildSpec } from './core/spec.js';
export { PROFILES, profileFor, withRegistry } from './core/runtimes/index.js';
export { detectRepo, detectFromFiles, describeFacts } from './detect/index.js';
export { buildFiles, renderFiles, type BuildOptions, type BuildResult } from './pipeline.js';
export { auditDockerfile, auditCompose, auditGenerated, allRules, type PolicyConfig } from './policy/index.js';
export { merge3 } from './merge/merge3.js';
export { loadPreset } from './preset/index.js';
