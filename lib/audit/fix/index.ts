// `audit --fix`: the fixers (one per rule id, kept here rather than in the rule files) and the loop
// that applies them to one file's text. Every change is verified before it is kept: the fixed text
// is audited again, and a fixer's edits stay only when the file still parses, that rule has fewer
// findings and no other rule has more. A fixer that declines says why.
import type { Finding } from '../../core/types.js';
import { resolvePolicyConfig, type PolicyConfig } from '../../policy/config.js';
import { auditText, PARSE_ERROR } from '../../policy/engine.js';
import { kindById } from '../../policy/kinds.js';
import type { FileKind } from '../../policy/types.js';
import { composeFixers } from './compose.js';
import { dockerfileFixers } from './dockerfile.js';
import { applyEdits, eolOf, hasLoneCr, Lines } from './text.js';
import type { Fixer, FixResult, Skip } from './types.js';

export type { Fixer, Skip } from './types.js';

/** Every fixer, by rule id. Rules not in this table have no automatic fix. */
export const FIXERS: ReadonlyMap<string, Fixer> = new Map(
  [...dockerfileFixers, ...composeFixers].map((f) => [f.rule, f as Fixer]),
);

export function isFixable(ruleId: string): boolean {
  return FIXERS.has(ruleId);
}

/** A fix kept: the rule and how many of its findings it removed. */
export interface Applied {
  rule: string;
  fixed: number;
}

export interface FixOutcome {
  /** the fixed text (=== the input when nothing was fixed) */
  text: string;
  applied: Applied[];
  /** findings of fixable rules left as they are, and why (lines of the fixed text) */
  skipped: (Skip & { rule: string })[];
  /** the findings of the fixed text */
  findings: Finding[];
  /** why the whole file was left alone (parse errors, line ends) */
  refused?: string;
}

/** Rounds of fixing: a fix can make another possible (a RUN rewritten by two rules). */
const MAX_ROUNDS = 3;

function counts(findings: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/** No rule has more findings in `after` than in `before`, and `rule` has fewer. */
function improves(before: readonly Finding[], after: readonly Finding[], rule: string): boolean {
  const b = counts(before);
  const a = counts(after);
  if ((a.get(rule) ?? 0) >= (b.get(rule) ?? 0)) return false;
  for (const [id, n] of a) if (n > (b.get(id) ?? 0)) return false;
  return true;
}

/**
 * Fix what can be fixed safely in one file's text (no byte-order mark). `path` labels findings and
 * is what the kind's parser is told. Pure: no I/O. Never throws for a fixer's mistake (its edits
 * are dropped and the finding is reported as not fixed).
 */
export function fixText(
  kind: FileKind,
  text: string,
  path: string,
  config: PolicyConfig = {},
  /** how a text of this file is audited (default: alone; a compose file: with the files Compose merges it with) */
  audit: (text: string) => Finding[] = (t) => auditText(kindById[kind], t, path, config),
): FixOutcome {
  const k = kindById[kind];
  const cfg = resolvePolicyConfig(config);
  let cur = text;
  let findings = audit(cur);
  const applied = new Map<string, number>();
  const outcome = (skipped: FixOutcome['skipped'], refused?: string): FixOutcome => ({
    text: cur,
    applied: [...applied].map(([rule, fixed]) => ({ rule, fixed })),
    skipped,
    findings,
    ...(refused ? { refused } : {}),
  });
  if (findings.some((f) => f.rule === PARSE_ERROR)) return outcome([], 'the file has parse errors: not fixed');
  if (hasLoneCr(cur)) return outcome([], 'the file has CR line ends without LF: not fixed');
  const eol = eolOf(cur);
  const fixers = [...FIXERS.values()].filter((f) => f.kind === kind);
  /** rules whose edits were dropped: the change did not pass the re-audit */
  const rejected = new Set<string>();
  const run = (fixer: Fixer, mine: readonly Finding[]): FixResult => {
    try {
      const parsed = k.parse(cur, path, cfg);
      if (!parsed.usable) return { edits: [], skipped: [] };
      return fixer.fix({
        text: cur,
        lines: new Lines(cur),
        eol,
        model: parsed.model,
        config: cfg,
        findingLines: new Set(mine.map((f) => f.line)),
      });
    } catch (e) {
      return { edits: [], skipped: [{ line: mine[0].line, reason: `internal error: ${(e as Error).message}` }] };
    }
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progress = false;
    for (const fixer of fixers) {
      if (rejected.has(fixer.rule)) continue;
      const mine = findings.filter((f) => f.rule === fixer.rule);
      if (mine.length === 0) continue;
      const { edits } = run(fixer, mine);
      if (edits.length === 0) continue;
      const next = applyEdits(cur, edits);
      const after = next === null ? null : audit(next);
      if (next === null || after === null || !improves(findings, after, fixer.rule)) {
        rejected.add(fixer.rule);
        continue;
      }
      const left = after.filter((f) => f.rule === fixer.rule).length;
      applied.set(fixer.rule, (applied.get(fixer.rule) ?? 0) + mine.length - left);
      cur = next;
      findings = after;
      progress = true;
    }
    if (!progress) break;
  }
  // why the findings of fixable rules that are left were not fixed (on the final text, so lines match)
  const skipped: FixOutcome['skipped'] = [];
  for (const fixer of fixers) {
    const mine = findings.filter((f) => f.rule === fixer.rule);
    if (mine.length === 0) continue;
    const r = run(fixer, mine);
    const explained = new Set<number>();
    for (const s of r.skipped) {
      skipped.push({ ...s, rule: fixer.rule });
      explained.add(s.line);
    }
    for (const f of mine)
      if (!explained.has(f.line))
        skipped.push({
          rule: fixer.rule,
          line: f.line,
          reason: rejected.has(fixer.rule)
            ? 'the change did not pass the re-audit: not applied'
            : 'this case has no automatic fix',
        });
  }
  return outcome(skipped);
}
