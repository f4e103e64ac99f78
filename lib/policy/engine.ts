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

const SUPPRESS = /^\s*#?\s*secure-container-ignore\s+((?:SC\d{4}\s*,?\s*)+)(?::\s*(.*))?$/;

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

/** A finding for an engine-level rule (SC0001 parse error, SC0002 unreadable, SC0003 suppression). */
export function engineFinding(id: string, file: string, line: number, message: string, config?: PolicyConfig): Finding | null {
  const meta = ruleById.get(id)!.meta;
  const setting = resolvePolicyConfig(config).rules[id] ?? meta.severity;
  if (setting === 'off') return null;
  return makeFinding(meta, setting, file, line, message);
}

function parseSuppression(line: number, text: string): Suppression | null {
  const m = SUPPRESS.exec(text);
  if (!m) return null;
  return { line, ids: m[1].split(/[\s,]+/).filter(Boolean), reason: (m[2] ?? '').trim() };
}

function finish(
  findings: Finding[],
  file: string,
  suppressions: Suppression[],
  appliesTo: (s: Suppression, line: number) => boolean,
  cfg: ResolvedPolicyConfig,
): Finding[] {
  const out: Finding[] = [];
  const valid = suppressions.filter((s) => s.reason !== '');
  for (const s of suppressions) {
    if (s.reason === '') {
      const meta = ruleById.get(SUPPRESSION_WITHOUT_REASON)!.meta;
      const sev = cfg.rules[meta.id] ?? meta.severity;
      if (sev !== 'off')
        out.push(makeFinding(meta, sev, file, s.line, `suppression of ${s.ids.join(', ')} has no reason ("# secure-container-ignore ${s.ids[0]}: <reason>")`));
    }
  }
  const seen = new Set<string>();
  for (const f of findings) {
    if (valid.some((s) => s.ids.includes(f.rule) && appliesTo(s, f.line))) continue;
    const key = `${f.rule}:${f.line}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

function runRules<M>(
  rules: readonly (DockerfileRule | ComposeRule)[],
  model: M,
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
  if (model.stages.length > 0) runRules(dockerfileRules, model, path, cfg, findings);
  const suppressions: Suppression[] = [];
  for (const c of model.comments) {
    const s = parseSuppression(c.line, c.text);
    if (s) suppressions.push(s);
  }
  if (suppressions.length === 0) return finish(findings, path, suppressions, () => false, cfg);
  // a suppression applies to the first instruction that starts after it
  const starts = model.instructions.map((i) => i.line);
  const target = new Map<number, number>();
  for (const s of suppressions) target.set(s.line, starts.find((l) => l > s.line) ?? -1);
  const endOf = new Map(model.instructions.map((i) => [i.line, i.endLine]));
  return finish(
    findings,
    path,
    suppressions,
    (s, line) => {
      const start = target.get(s.line)!;
      return start > 0 && line >= start && line <= (endOf.get(start) ?? start);
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
  return finish(
    findings,
    path,
    suppressions,
    (s, line) => (s.own ? line === s.line : line === s.line + 1),
    cfg,
  );
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
