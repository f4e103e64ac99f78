// Audit a set of discovered files: read each once, run the matching engine, collect a report.
import type { Finding, Severity } from '../core/types.js';
import { resolvePolicyConfig, type FailOn, type PolicyConfig } from '../policy/config.js';
import { auditText, engineFinding, UNREADABLE } from '../policy/engine.js';
import { kindById } from '../policy/kinds.js';
import type { FileKind } from '../policy/types.js';
import type { AuditTarget } from './discover.js';
import { unreadableFix } from '../policy/rules/meta/unreadable-file.js';
import { auditComposeFile } from './compose-set.js';
import { readAuditFile } from './read.js';

export interface FileReport {
  path: string;
  kind: FileKind;
  findings: Finding[];
}

export interface AuditReport {
  files: FileReport[];
  failOn: FailOn;
  /** some input could not be read at all (→ exit 2) */
  unreadable: boolean;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function atOrAbove(sev: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && RANK[sev] >= RANK[failOn];
}

export function auditTargets(targets: readonly AuditTarget[], config: PolicyConfig): AuditReport {
  const cfg = resolvePolicyConfig(config);
  let unreadable = false;
  const files: FileReport[] = [];
  for (const t of targets) {
    const r = t.refused ? ({ ok: false, fatal: false, reason: t.refused } as const) : readAuditFile(t.abs);
    let findings: Finding[];
    if (r.ok)
      findings =
        t.kind === 'compose'
          ? auditComposeFile(t.abs, t.rel, r.text, config) // with the files Compose merges it with
          : auditText(kindById[t.kind], r.text, t.rel, config);
    else {
      if (r.fatal) unreadable = true;
      const f = engineFinding(UNREADABLE, t.rel, 1, r.reason, config);
      if (f) f.fix = unreadableFix(r.reason); // the fix that fits the reason (size, binary, encoding, link…)
      findings = f ? [f] : [];
    }
    files.push({ path: t.rel, kind: t.kind, findings });
  }
  return { files, failOn: cfg.failOn, unreadable };
}

export interface Summary {
  files: number;
  findings: number;
  error: number;
  warning: number;
  info: number;
  failOn: FailOn;
  failed: boolean;
}

export function summarize(report: AuditReport): Summary {
  const s: Summary = {
    files: report.files.length,
    findings: 0,
    error: 0,
    warning: 0,
    info: 0,
    failOn: report.failOn,
    failed: false,
  };
  for (const f of report.files)
    for (const x of f.findings) {
      s.findings++;
      s[x.severity]++;
      if (atOrAbove(x.severity, report.failOn)) s.failed = true;
    }
  return s;
}

/** 0: nothing at/above failOn; 1: findings at/above failOn; 2: unreadable input. */
export function exitCodeOf(report: AuditReport): number {
  if (report.unreadable) return 2;
  return summarize(report).failed ? 1 : 0;
}
