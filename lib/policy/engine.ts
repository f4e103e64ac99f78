// The engine: one rule runner for every file kind (kinds.ts). Parse once, run every enabled rule of
// the kind over its model, apply config overrides and inline suppressions, return findings sorted
// by line. Never throws (a crash becomes a SC0001 finding).
import type { Finding, GeneratedFile, Severity } from '../core/types.js';
import { resolvePolicyConfig, type PolicyConfig, type ResolvedPolicyConfig } from './config.js';
import {
  composeKind,
  dockerfileKind,
  kindOf,
  SUPPRESSION_DIRECTIVE,
  type Kind,
  type KindComment,
  type Parsed,
} from './kinds.js';
import { LINE_STRIDE, localLine, mergeComposeModels } from './compose/merge.js';
import { ruleById } from './rules/registry.js';
import type { KindRule, RuleContext, RuleMeta } from './types.js';

export const PARSE_ERROR = 'SC0001';
export const UNREADABLE = 'SC0002';
export const SUPPRESSION_WITHOUT_REASON = 'SC0003';
export const ANALYSIS_LIMIT = 'SC0004';

const DIRECTIVE = SUPPRESSION_DIRECTIVE;
const SPACE = /\s/;
const FOUR_DIGITS = /^\d{4}$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

interface Suppression {
  line: number;
  ids: string[];
  reason: string;
  /** a trailing comment on a line with content (see KindComment) */
  own?: boolean;
}

/** The parts of a rule's metadata a finding carries. */
type FindingMeta = Pick<RuleMeta, 'id' | 'name' | 'principle' | 'message' | 'refs' | 'fix'>;

function makeFinding(
  meta: FindingMeta,
  severity: Severity,
  file: string,
  line: number,
  message?: string,
  fix?: string,
): Finding {
  return {
    rule: meta.id,
    name: meta.name,
    principle: meta.principle,
    severity,
    file,
    line: Math.max(1, line),
    message: message ?? meta.message,
    refs: meta.refs,
    fix: fix ?? meta.fix,
  };
}

/** A finding for an engine-level rule (SC0001 parse error, SC0002 unreadable, SC0003 suppression, SC0004 analysis limit). */
export function engineFinding(
  id: string,
  file: string,
  line: number,
  message: string,
  config?: PolicyConfig,
): Finding | null {
  const meta = ruleById.get(id)?.meta;
  if (!meta) throw new Error(`unknown engine rule ${id}`);
  const setting = resolvePolicyConfig(config).rules[id] ?? meta.severity;
  if (setting === 'off') return null;
  return makeFinding(meta, setting, file, line, message);
}

/**
 * `# secure-container-ignore SC1234, SC5678: reason`. Parsed by hand, in one pass: it used to be
 * /^\s*#?\s*secure-container-ignore\s+((?:SC\d{4}\s*,?\s*)+)(?::\s*(.*))?$/, whose nested
 * quantifiers backtrack exponentially when the match fails (18 ids separated by two spaces and a
 * trailing `!`: 15 s, each more id x3), and `^\s*#?\s*` quadratically on a long run of blanks.
 * Accepts exactly what that regex accepted, with the same ids and reason.
 */
function parseSuppression(line: number, text: string): Suppression | null {
  let s = text.trimStart(); // trimStart removes exactly the characters \s matches
  if (s[0] === '#') s = s.slice(1).trimStart();
  const skipSpace = (k: number): number => {
    while (k < s.length && SPACE.test(s[k])) k++;
    return k;
  };
  if (!s.startsWith(DIRECTIVE)) return null;
  let i = skipSpace(DIRECTIVE.length);
  if (i === DIRECTIVE.length) return null;
  const idsStart = i;
  // (SC\d{4} \s* ,? \s*)+ : greedy, and only a ':' or the end may follow, so greedy is the only match
  while (s.startsWith('SC', i) && FOUR_DIGITS.test(s.slice(i + 2, i + 6))) {
    i = skipSpace(i + 6);
    if (s[i] === ',') i++;
    i = skipSpace(i);
  }
  if (i === idsStart) return null;
  const ids = s
    .slice(idsStart, i)
    .split(/[\s,]+/)
    .filter(Boolean);
  if (i === s.length) return { line, ids, reason: '' };
  if (s[i] !== ':') return null;
  // ':' \s* (.*) $ : the reason is the rest of the text and must be a single line
  const reason = s.slice(skipSpace(i + 1));
  if (LINE_BREAK.test(reason)) return null;
  return { line, ids, reason: reason.trim() };
}

/**
 * Rule ids suppressed (with a reason) per key line. Built once per file so that looking a finding up
 * is O(1), not O(suppressions): a hostile file can have 100k suppressions and 100k findings.
 */
function suppressedIds(suppressions: Suppression[], keyLine: (s: Suppression) => number): Map<number, Set<string>> {
  const byLine = new Map<number, Set<string>>();
  for (const s of suppressions) {
    if (s.reason === '') continue;
    const line = keyLine(s);
    if (line < 0) continue;
    let set = byLine.get(line);
    if (!set) byLine.set(line, (set = new Set()));
    for (const id of s.ids) set.add(id);
  }
  return byLine;
}

function finish(
  findings: Finding[],
  file: string,
  suppressions: Suppression[],
  isSuppressed: (f: Finding) => boolean,
  cfg: ResolvedPolicyConfig,
): Finding[] {
  // the common case: nothing suppressed, every line a number: the findings sorted and de-duplicated
  // where they are, without copies
  if (suppressions.length === 0 && allFiniteLines(findings)) return dedupeSorted(sortByLineThenRule(findings));
  const out: Finding[] = [];
  for (const s of suppressions) {
    if (s.reason === '') {
      const meta = ruleById.get(SUPPRESSION_WITHOUT_REASON)?.meta;
      if (!meta) throw new Error(`unknown engine rule ${SUPPRESSION_WITHOUT_REASON}`);
      const sev = cfg.rules[meta.id] ?? meta.severity;
      if (sev !== 'off')
        out.push(
          makeFinding(
            meta,
            sev,
            file,
            s.line,
            `suppression of ${s.ids.join(', ')} has no reason ("# secure-container-ignore ${s.ids[0]}: <reason>")`,
          ),
        );
    }
  }
  // SC0003 findings are never de-duplicated, and a NaN line does not sort: the general path, one key a finding
  if (out.length > 0 || !allFiniteLines(findings)) {
    const seen = new Set<string>();
    for (const f of findings) {
      if (isSuppressed(f)) continue;
      const key = `${f.rule}:${f.line}:${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
    return out.sort(byLineThenRule);
  }
  for (let k = 0; k < findings.length; k++) if (!isSuppressed(findings[k])) out.push(findings[k]);
  return dedupeSorted(sortByLineThenRule(out));
}

function allFiniteLines(findings: Finding[]): boolean {
  for (let k = 0; k < findings.length; k++) if (!Number.isFinite(findings[k].line)) return false;
  return true;
}

const byLineThenRule = (a: Finding, b: Finding): number =>
  a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);

/** Findings a sort call is worth for: a file's findings are usually fewer (8 a Dockerfile on average). */
const SMALL_SORT = 16;

/**
 * `findings.sort(byLineThenRule)`, in place: the same stable order. A short list is sorted by
 * insertion (no comparator calls through the built-in sort, no work array a file).
 */
export function sortByLineThenRule(findings: Finding[]): Finding[] {
  if (findings.length > SMALL_SORT) return findings.sort(byLineThenRule);
  for (let i = 1; i < findings.length; i++) {
    const f = findings[i];
    let j = i - 1;
    // strictly greater: equal keys keep their order (stable)
    while (j >= 0 && byLineThenRule(findings[j], f) > 0) {
      findings[j + 1] = findings[j];
      j--;
    }
    findings[j + 1] = f;
  }
  return findings;
}

/**
 * `sorted` (stable, by line then rule) without the findings whose rule, line and message an earlier
 * one has: what a `${rule}:${line}:${message}` key set keeps, without building a key a finding.
 * Duplicates share line and rule, so they sit in one run of the sorted list, in their original
 * order: the first of each message is kept. A long run (a hostile file: 100k findings of one rule
 * on one line) is looked up in a set, not rescanned. Exported for tests.
 */
export function dedupeSorted(sorted: Finding[]): Finding[] {
  const res: Finding[] = [];
  let start = 0;
  let messages: Set<string> | null = null;
  for (let k = 0; k < sorted.length; k++) {
    const f = sorted[k];
    const last = res.length > 0 ? res[res.length - 1] : undefined;
    if (!last || last.rule !== f.rule || last.line !== f.line) {
      start = res.length;
      messages = null;
      res.push(f);
      continue;
    }
    if (messages === null && res.length - start >= 8) messages = new Set(res.slice(start).map((x) => x.message));
    if (messages !== null) {
      if (messages.has(f.message)) continue;
      messages.add(f.message);
    } else {
      let dup = false;
      for (let j = start; j < res.length && !dup; j++) dup = res[j].message === f.message;
      if (dup) continue;
    }
    res.push(f);
  }
  return res;
}

/** A rule that runs under a config, with the severity its findings get. */
interface EnabledRule<M> {
  rule: KindRule<M>;
  setting: Severity;
  /** the policy sets the rule's severity (it wins over a severity the rule reports) */
  explicit: boolean;
}

// the enabled rules of each kind, per resolved config: worked out once, not for every file (two
// lookups in the policy's rules a rule a file, mostly in V8's interpreter). A resolved config is
// never changed once built (config.ts), so the list stays right for as long as it lives.
type EnabledByKind = Map<readonly KindRule<never>[], EnabledRule<never>[]>;
const enabledByConfig = new WeakMap<ResolvedPolicyConfig, EnabledByKind>();

function enabledRules<M>(rules: readonly KindRule<M>[], cfg: ResolvedPolicyConfig): EnabledRule<M>[] {
  let byKind = enabledByConfig.get(cfg);
  if (!byKind) {
    byKind = new Map() as EnabledByKind;
    enabledByConfig.set(cfg, byKind);
  }
  // the list stored under a kind's rules holds that kind's rules
  let enabled = byKind.get(rules) as EnabledRule<M>[] | undefined;
  if (!enabled) {
    enabled = [];
    for (const rule of rules) {
      const setting = cfg.rules[rule.meta.id] ?? rule.meta.severity;
      if (setting !== 'off') enabled.push({ rule, setting, explicit: rule.meta.id in cfg.rules });
    }
    byKind.set(rules, enabled);
  }
  return enabled;
}

/** Run the enabled rules over `model`. */
function runRules<M>(
  rules: readonly KindRule<M>[],
  model: M,
  file: string,
  cfg: ResolvedPolicyConfig,
  findings: Finding[],
): void {
  // one context for every rule of the file; `report` reads the rule being run
  let meta: FindingMeta | undefined;
  let setting: Severity = 'error';
  let explicit = false;
  const ctx: RuleContext<M> = {
    model,
    config: cfg,
    report: (r) => {
      // a rule may report a lower severity for a case (a third-party image); a severity set in the
      // policy for the rule wins
      if (meta)
        findings.push(
          makeFinding(meta, r.severity && !explicit ? r.severity : setting, file, r.line, r.message, r.fix),
        );
    },
  };
  const enabled = enabledRules(rules, cfg);
  // an index loop: 34 rules a Dockerfile, mostly in V8's interpreter (a for…of allocates a result a step)
  for (let k = 0; k < enabled.length; k++) {
    const e = enabled[k];
    meta = e.rule.meta;
    setting = e.setting;
    explicit = e.explicit;
    try {
      e.rule.check(ctx);
    } catch (err) {
      const f = engineFinding(PARSE_ERROR, file, 1, `internal error in rule ${meta.id}: ${(err as Error).message}`);
      if (f) findings.push(f);
    }
  }
}

/**
 * Audit one file's text as a file of `kind`: parse, report problems (SC0001) and analysis limits
 * (SC0004), run the kind's enabled rules when the model is usable, apply inline suppressions.
 * `path` is only used to label findings. Never throws.
 */
export function auditText<M>(kind: Kind<M>, text: string, path: string, config?: PolicyConfig): Finding[] {
  const cfg = resolvePolicyConfig(config);
  const findings: Finding[] = [];
  let parsed: Parsed<M>;
  try {
    parsed = kind.parse(text, path, cfg);
  } catch (e) {
    const f = engineFinding(PARSE_ERROR, path, 1, `cannot parse ${kind.title}: ${(e as Error).message}`, config);
    return f ? [f] : [];
  }
  for (let k = 0; k < parsed.problems.length; k++) {
    const p = parsed.problems[k];
    const f = engineFinding(PARSE_ERROR, path, p.line, p.message, config);
    if (f) findings.push(f);
  }
  for (let k = 0; k < parsed.limits.length; k++) {
    const l = parsed.limits[k];
    const f = engineFinding(ANALYSIS_LIMIT, path, l.line, l.message, config);
    if (f) findings.push(f);
  }
  if (parsed.usable) runRules(kind.rules, parsed.model, path, cfg, findings);
  return suppressAndFinish(kind, parsed.model, text, path, findings, cfg);
}

/** Apply the file's inline suppressions to `findings` (lines of `text`), add SC0003, sort. */
function suppressAndFinish<M>(
  kind: Kind<M>,
  model: M,
  text: string,
  path: string,
  findings: Finding[],
  cfg: ResolvedPolicyConfig,
): Finding[] {
  const suppressions: Suppression[] = [];
  const comments = kind.comments(model, text);
  const take = (c: KindComment): void => {
    // most comments hold no directive: one search, not a parse a comment
    if (!c.text.includes(DIRECTIVE)) return;
    const s = parseSuppression(c.line, c.text);
    if (s) suppressions.push(c.own === undefined ? s : { ...s, own: c.own });
  };
  // an array (a Dockerfile's comments) by index: a for…of allocates a result a step in V8's interpreter
  if (Array.isArray(comments)) for (let k = 0; k < comments.length; k++) take(comments[k] as KindComment);
  else for (const c of comments) take(c);
  if (suppressions.length === 0) return finish(findings, path, suppressions, () => false, cfg);
  const scope = kind.scope(model);
  const byKey = suppressedIds(suppressions, (s) => scope.target(s.line, s.own === true));
  return finish(
    findings,
    path,
    suppressions,
    (f) => {
      const key = scope.owner(f.line);
      return key >= 0 && byKey.get(key)?.has(f.rule) === true;
    },
    cfg,
  );
}

/** Audit one Dockerfile's text. `path` is only used to label findings. Never throws. */
export function auditDockerfile(text: string, path: string, config?: PolicyConfig): Finding[] {
  return auditText(dockerfileKind, text, path, config);
}

/** Audit one compose file's text. Never throws. */
export function auditCompose(text: string, path: string, config?: PolicyConfig): Finding[] {
  return auditText(composeKind, text, path, config);
}

/**
 * Audit the compose file `files[index]` as part of the model Compose builds from `files` (merged in
 * order, see compose/merge.ts): rules run on the merged model, and the findings located in
 * `files[index]` (the line of the file that set the value) are returned; findings located in the
 * other files are theirs. When a file of the set cannot be parsed, `files[index]` is audited alone.
 * Never throws.
 */
export function auditComposeSet(
  files: readonly { path: string; text: string }[],
  index: number,
  config?: PolicyConfig,
): Finding[] {
  const own = files[index];
  if (files.length < 2) return auditText(composeKind, own.text, own.path, config);
  const cfg = resolvePolicyConfig(config);
  try {
    const parsed = files.map((f) => composeKind.parse(f.text, f.path, cfg));
    if (!parsed.every((p) => p.usable && p.problems.length === 0))
      return auditText(composeKind, own.text, own.path, config);
    const merged = mergeComposeModels(parsed.map((p) => p.model));
    const all: Finding[] = [];
    runRules(composeKind.rules, merged, own.path, cfg, all);
    const findings: Finding[] = [];
    for (const f of all) {
      const at = localLine(f.line);
      // engine findings (SC0001 internal error) are the file's own
      if (f.line < LINE_STRIDE) findings.push(f);
      else if (at.file === index) findings.push({ ...f, line: Math.max(1, at.line) });
    }
    return suppressAndFinish(composeKind, parsed[index].model, own.text, own.path, findings, cfg);
  } catch (e) {
    const f = engineFinding(PARSE_ERROR, own.path, 1, `internal error: ${(e as Error).message}`, config);
    return f ? [f] : [];
  }
}

/**
 * Audit what the generator is about to write: Dockerfiles and compose files are detected by name,
 * other files are ignored. Pure (no I/O), never throws.
 */
export function auditGenerated(files: readonly GeneratedFile[], config?: PolicyConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    try {
      const kind = kindOf(f.path);
      if (kind) out.push(...auditText(kind, f.contents, f.path, config));
    } catch (e) {
      const x = engineFinding(PARSE_ERROR, f.path, 1, `internal error: ${(e as Error).message}`);
      if (x) out.push(x);
    }
  }
  return out;
}
