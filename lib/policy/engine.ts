// The engine: parse once, run every enabled rule over the model, apply config overrides and inline
// suppressions, return findings sorted by line. Never throws (a crash becomes a SC0001 finding).
import type { Finding, GeneratedFile, Severity } from '../core/types.js';
import { resolvePolicyConfig, type PolicyConfig, type ResolvedPolicyConfig } from './config.js';
import { buildComposeModel } from './compose/model.js';
import { buildDockerfileModel } from './dockerfile/model.js';
import { detectKind } from './kinds.js';
import { composeRules, dockerfileRules, ruleById } from './rules/index.js';
import type { ComposeRule, DockerfileRule, RuleMeta } from './types.js';

export const PARSE_ERROR = 'SC0001';
export const UNREADABLE = 'SC0002';
export const SUPPRESSION_WITHOUT_REASON = 'SC0003';
export const ANALYSIS_LIMIT = 'SC0004';

const DIRECTIVE = 'secure-container-ignore';
const SPACE = /\s/;
const FOUR_DIGITS = /^\d{4}$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

interface Suppression {
  line: number;
  ids: string[];
  reason: string;
  /** compose: trailing comment on the line it suppresses */
  own?: boolean;
}

function makeFinding(meta: RuleMeta, severity: Severity, file: string, line: number, message?: string): Finding {
  return {
    rule: meta.id,
    name: meta.name,
    principle: meta.principle,
    severity,
    file,
    line: Math.max(1, line),
    message: message ?? meta.message,
    refs: meta.refs,
    fix: meta.fix,
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

/** Index of the last element of the ascending array `a` that is <= x (-1 if none). Binary search. */
function lastAtMost(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function finish(
  findings: Finding[],
  file: string,
  suppressions: Suppression[],
  isSuppressed: (f: Finding) => boolean,
  cfg: ResolvedPolicyConfig,
): Finding[] {
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
  const seen = new Set<string>();
  for (const f of findings) {
    if (isSuppressed(f)) continue;
    const key = `${f.rule}:${f.line}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

function runRules(
  rules: readonly (DockerfileRule | ComposeRule)[],
  model: unknown,
  file: string,
  cfg: ResolvedPolicyConfig,
  findings: Finding[],
): void {
  // one context for every rule of the file; `report` reads the rule being run
  let meta: RuleMeta = rules[0]?.meta;
  let setting: Severity = 'error';
  const ctx = {
    model,
    config: cfg,
    report: (r: { line: number; message?: string }) => {
      findings.push(makeFinding(meta, setting, file, r.line, r.message));
    },
  };
  for (const rule of rules) {
    const s = cfg.rules[rule.meta.id] ?? rule.meta.severity;
    if (s === 'off') continue;
    meta = rule.meta;
    setting = s;
    try {
      (rule as { check(ctx: unknown): void }).check(ctx);
    } catch (e) {
      const f = engineFinding(PARSE_ERROR, file, 1, `internal error in rule ${rule.meta.id}: ${(e as Error).message}`);
      if (f) findings.push(f);
    }
  }
}

/** Audit one Dockerfile's text. `path` is only used to label findings. Never throws. */
export function auditDockerfile(text: string, path: string, config?: PolicyConfig): Finding[] {
  const cfg = resolvePolicyConfig(config);
  const findings: Finding[] = [];
  let model;
  try {
    model = buildDockerfileModel(text, path, cfg);
  } catch (e) {
    const f = engineFinding(PARSE_ERROR, path, 1, `cannot parse Dockerfile: ${(e as Error).message}`, config);
    return f ? [f] : [];
  }
  for (const p of model.problems) {
    const f = engineFinding(PARSE_ERROR, path, p.line, `Dockerfile parse error: ${p.message}`, config);
    if (f) findings.push(f);
  }
  for (const l of model.limits) {
    const f = engineFinding(ANALYSIS_LIMIT, path, l.line, l.message, config);
    if (f) findings.push(f);
  }
  if (model.stages.length > 0) runRules(dockerfileRules, model, path, cfg, findings);
  const suppressions: Suppression[] = [];
  for (const c of model.comments) {
    const s = parseSuppression(c.line, c.text);
    if (s) suppressions.push(s);
  }
  if (suppressions.length === 0) return finish(findings, path, suppressions, () => false, cfg);
  // a suppression applies to the first instruction that starts after it, all of its lines.
  // Instructions are in line order and do not overlap: binary searches, not scans per suppression.
  const starts = model.instructions.map((i) => i.line);
  const ends = model.instructions.map((i) => i.endLine);
  const byStart = suppressedIds(suppressions, (s) => {
    const k = lastAtMost(starts, s.line) + 1;
    return k < starts.length ? starts[k] : -1;
  });
  return finish(
    findings,
    path,
    suppressions,
    (f) => {
      // the instruction containing the finding's line: the last one starting at or before it
      const k = lastAtMost(starts, f.line);
      return k >= 0 && f.line <= Math.max(ends[k], starts[k]) && byStart.get(starts[k])?.has(f.rule) === true;
    },
    cfg,
  );
}

/** Audit one compose file's text. Never throws. */
export function auditCompose(text: string, path: string, config?: PolicyConfig): Finding[] {
  const cfg = resolvePolicyConfig(config);
  const findings: Finding[] = [];
  let model;
  try {
    model = buildComposeModel(text, path);
  } catch (e) {
    const f = engineFinding(PARSE_ERROR, path, 1, `cannot parse compose file: ${(e as Error).message}`, config);
    return f ? [f] : [];
  }
  for (const p of model.problems) {
    const f = engineFinding(PARSE_ERROR, path, p.line, `compose parse error: ${p.message}`, config);
    if (f) findings.push(f);
  }
  if (model.problems.length === 0) runRules(composeRules, model, path, cfg, findings);
  const suppressions: Suppression[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    if (hash < 0 || !lines[i].includes('secure-container-ignore')) continue;
    const s = parseSuppression(i + 1, lines[i].slice(hash));
    if (!s) continue;
    // a trailing comment applies to its own line; a comment line to the next line
    const own = lines[i].slice(0, hash).trim() !== '';
    suppressions.push({ ...s, own });
  }
  const byLine = suppressedIds(suppressions, (s) => (s.own ? s.line : s.line + 1));
  return finish(findings, path, suppressions, (f) => byLine.get(f.line)?.has(f.rule) === true, cfg);
}

/**
 * Audit what the generator is about to write: Dockerfiles and compose files are detected by name,
 * other files are ignored. Pure (no I/O), never throws.
 */
export function auditGenerated(files: readonly GeneratedFile[], config?: PolicyConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    try {
      const kind = detectKind(f.path);
      if (kind === 'dockerfile') out.push(...auditDockerfile(f.contents, f.path, config));
      else if (kind === 'compose') out.push(...auditCompose(f.contents, f.path, config));
    } catch (e) {
      const x = engineFinding(PARSE_ERROR, f.path, 1, `internal error: ${(e as Error).message}`);
      if (x) out.push(x);
    }
  }
  return out;
}
