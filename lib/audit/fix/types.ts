// Vocabulary of `audit --fix`: a fixer turns the findings of one rule into text edits, or says why not.
import type { ResolvedPolicyConfig } from '../../policy/config.js';
import type { FileKind } from '../../policy/types.js';
import type { Edit, Lines } from './text.js';

/** A finding the fixer leaves alone, and why (shown as "no automatic fix: <reason>"). */
export interface Skip {
  /** 1-based line of the finding */
  line: number;
  reason: string;
}

export interface FixContext<M> {
  /** the file's text (without a byte-order mark) */
  text: string;
  lines: Lines;
  /** the file's line end */
  eol: string;
  model: M;
  config: ResolvedPolicyConfig;
  /** 1-based lines of this rule's findings in `text` (suppressed and disabled findings are not there) */
  findingLines: ReadonlySet<number>;
}

export interface FixResult {
  edits: Edit[];
  skipped: Skip[];
}

export interface Fixer<M = unknown> {
  /** the rule whose findings it fixes */
  rule: string;
  kind: FileKind;
  /** what it changes, and when it does not (for --list-rules and docs) */
  what: string;
  fix(ctx: FixContext<M>): FixResult;
}
