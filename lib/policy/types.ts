// Vocabulary of the policy engine: rules (ESLint style: meta + check), the contexts they read,
// and the valid/invalid case tables that sit beside every rule.
import type { Severity } from '../core/types.js';
import type { DockerfileModel } from './dockerfile/model.js';
import type { ComposeModel } from './compose/model.js';
import type { KubernetesModel } from './kubernetes/model.js';
import type { WorkflowModel } from './workflow/model.js';
import type { ResolvedPolicyConfig } from './config.js';

export type FileKind = 'dockerfile' | 'compose' | 'kubernetes' | 'workflow';
export type Principle = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7' | 'P8' | 'P9';

export interface RuleMeta {
  /** Stable id: SC0xxx engine/meta, SC1xxx Dockerfile, SC2xxx compose. Never reused. */
  id: string;
  /** kebab-case slug */
  name: string;
  principle: Principle;
  severity: Severity;
  /** Which artefact the rule reads; 'any' for engine-level rules (parse errors, suppressions). */
  kind: FileKind | 'any';
  /** Default one-line message (a report may give a more specific one). */
  message: string;
  /** Rationale: why this matters (one paragraph). */
  description: string;
  /** One-line fix hint. */
  fix: string;
  /**
   * Checks of other tools this rule reproduces: on that tool's documented examples (its docs and
   * test fixtures, in a normal multi-line Dockerfile or compose file) the rule fires where the tool
   * fires and stays quiet where it is quiet. hadolint DLxxxx, checkov CKV_DOCKER_x/CKV2_DOCKER_x,
   * trivy DS-00xx, KICS "KICS:<query name>". Each id is claimed by at most one rule, and the rule's
   * case table holds cases modelled on the tool's examples, tagged with the id (`from`/`differs`).
   */
  sameAs: string[];
  /**
   * Same concern, different scope: checks of other tools that overlap this rule without agreeing
   * with it on every documented example, and CIS-x.y recommendations (Docker Benchmark 1.6.0).
   */
  related: string[];
  /** `[...sameAs, ...related]`, computed by the meta helpers (what a finding carries as `refs`). */
  refs: string[];
  /** Path of the rule doc relative to the package root. */
  docs: string;
}

export interface Report {
  /** 1-based line */
  line: number;
  /** overrides meta.message */
  message?: string;
  /** overrides meta.fix: a fix hint with this finding's own values (its real port, its real path) */
  fix?: string;
  /** a lower severity for this case (e.g. a third-party image); a severity set in the policy wins */
  severity?: Severity;
}

export interface RuleContext<M> {
  model: M;
  config: ResolvedPolicyConfig;
  report: (r: Report) => void;
}

/**
 * What the engine runs: a rule over the model `M` of its file kind (see kinds.ts). A kind's own
 * rules (DockerfileRule, ComposeRule) narrow `meta.kind`; the runner does not read it.
 */
export interface KindRule<M> {
  meta: Omit<RuleMeta, 'kind'> & { kind: string };
  check(ctx: RuleContext<M>): void;
}

export interface DockerfileRule {
  meta: RuleMeta & { kind: 'dockerfile' };
  check(ctx: RuleContext<DockerfileModel>): void;
}

export interface ComposeRule {
  meta: RuleMeta & { kind: 'compose' };
  check(ctx: RuleContext<ComposeModel>): void;
}

/** Engine-level rule: reported by the engine itself (parse errors, unreadable files, bad suppressions). */
export interface MetaRule {
  meta: RuleMeta & { kind: 'any' };
}

/** A rule over Kubernetes manifests (SC3xxx). */
export interface KubernetesRule {
  meta: RuleMeta & { kind: 'kubernetes' };
  check(ctx: RuleContext<KubernetesModel>): void;
}

/** A rule over GitHub Actions workflows (SC4xxx). */
export interface WorkflowRule {
  meta: RuleMeta & { kind: 'workflow' };
  check(ctx: RuleContext<WorkflowModel>): void;
}

export type Rule = DockerfileRule | ComposeRule | KubernetesRule | WorkflowRule | MetaRule;

/** A valid case: the rule must not report. */
export interface ValidCase {
  name?: string;
  code: string;
  /** partial config (e.g. allowedRegistries) for this case */
  config?: import('./config.js').PolicyConfig;
  /**
   * Ids (from the rule's sameAs/related) of the checks whose documented examples this case is
   * modelled on, and that give the same verdict: they fire on an invalid case, stay quiet on a valid one.
   */
  from?: string[];
  /** Ids of checks this case is modelled on that give the opposite verdict (a known disagreement). */
  differs?: string[];
}

/** An invalid case: the rule must report exactly these lines (in order). */
export interface InvalidCase extends ValidCase {
  errors: { rule: string; line: number }[];
}

export interface RuleCases {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** What every rule module exports. */
export interface RuleModule<R extends Rule = Rule> {
  rule: R;
  cases: RuleCases;
}
