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

/** Audit one discovered file: its report, and whether it could not be read at all (exit 2). */
export function auditTarget(t: AuditTarget, config: PolicyConfig): { file: FileReport; fatal: boolean } {
  const r = t.refused ? ({ ok: false, fatal: false, reason: t.refused } as const) : readAuditFile(t.abs);
  let findings: Finding[];
  let fatal = false;
  if (r.ok)
    findings =
      t.kind === 'compose'
        ? auditComposeFile(t.abs, t.rel, r.text, config) // with the files Compose merges it with
        : auditText(kindById[t.kind], r.text, t.rel, config);
  else {
    if (r.fatal) fatal = true;
    const f = engineFinding(UNREADABLE, t.rel, 1, r.reason, config);
    if (f) f.fix = unreadableFix(r.reason); // the fix that fits the reason (size, binary, encoding, link…)
    findings = f ? [f] : [];
  }
  return { file: { path: t.rel, kind: t.kind, findings }, fatal };
}

export function auditTargets(targets: readonly AuditTarget[], config: PolicyConfig): AuditReport {
  const tally = new Tally(resolvePolicyConfig(config).failOn);
  const files = [...auditTargetsOneByOne(targets, config, tally)];
  return { files, failOn: tally.failOn, unreadable: tally.unreadable };
}

/**
 * The audit of `targets` one file at a time, as the report is written: each file's findings can go
 * as soon as its part of the report is out, so memory does not grow with the findings. `tally`
 * counts what summarize() and exitCodeOf() would read from the whole report.
 */
export function* auditTargetsOneByOne(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  tally: Tally,
): Generator<FileReport> {
  // index loops here and in Tally.add: every file of a batch goes through them, mostly in V8's
  // interpreter, where a for…of allocates an iterator result a step
  for (let k = 0; k < targets.length; k++) {
    const { file, fatal } = auditTarget(targets[k], config);
    if (fatal) tally.unreadable = true;
    tally.add(file);
    yield file;
  }
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

/** The summary, counted file by file (summarize() over a whole report, or a report written as it is made). */
export class Tally {
  files = 0;
  findings = 0;
  error = 0;
  warning = 0;
  info = 0;
  failed = false;
  /** some input could not be read at all (→ exit 2) */
  unreadable = false;

  constructor(readonly failOn: FailOn) {}

  add(f: FileReport): void {
    this.files++;
    const findings = f.findings;
    for (let k = 0; k < findings.length; k++) {
      const severity = findings[k].severity;
      this.findings++;
      this[severity]++;
      if (atOrAbove(severity, this.failOn)) this.failed = true;
    }
  }

  summary(): Summary {
    // the JSON contract's field order
    return {
      files: this.files,
      findings: this.findings,
      error: this.error,
      warning: this.warning,
      info: this.info,
      failOn: this.failOn,
      failed: this.failed,
    };
  }

  exitCode(): number {
    if (this.unreadable) return 2;
    return this.failed ? 1 : 0;
  }
}

export function summarize(report: AuditReport): Summary {
  const t = new Tally(report.failOn);
  for (const f of report.files) t.add(f);
  return t.summary();
}

/** 0: nothing at/above failOn; 1: findings at/above failOn; 2: unreadable input. */
export function exitCodeOf(report: AuditReport): number {
  if (report.unreadable) return 2;
  return summarize(report).failed ? 1 : 0;
}
