// `audit --fix` on disk: read each file that has a finding of a fixable rule (through
// lib/fs/safe.ts, never through a symbolic link, inside the working directory only), fix its text,
// write it back (a temporary sibling renamed into place: a planted link is replaced, never written
// through), and show the change as a unified diff.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readInside, UnsafePathError, writeFilesInside } from '../../fs/safe.js';
import { unifiedDiff } from '../../merge/diff.js';
import type { PolicyConfig } from '../../policy/config.js';
import type { FileKind } from '../../policy/types.js';
import { escapeControl, escapeText } from '../../text/escape.js';
import type { AuditTarget } from '../discover.js';
import { decodeAuditBytes, MAX_BYTES } from '../read.js';
import type { AuditReport, FileReport } from '../run.js';
import { fixText, isFixable, type FixOutcome } from './index.js';
import { auditComposeFile } from '../compose-set.js';

export interface FileFix {
  /** relative to the working directory, `/` separators */
  path: string;
  kind: FileKind;
  before: string;
  after: string;
  /** the byte-order mark(s) the file starts with ('' for none), written back as they were */
  bom: string;
  outcome: FixOutcome;
  /** set by writeFixes: why it was not written */
  error?: string;
}

export interface FixPlan {
  /** files whose text the fixers changed */
  changed: FileFix[];
  /** files with fixable findings left untouched by every fixer (their reasons are in `outcome.skipped`) */
  unchanged: FileFix[];
  /** files that could not be fixed at all, and why */
  refused: { path: string; reason: string }[];
}

/** A path relative to the working directory that stays inside it (the only place --fix writes). */
function insideCwd(rel: string): boolean {
  return rel !== '' && !rel.startsWith('../') && rel !== '..' && !rel.startsWith('/') && !/^[A-Za-z]:/.test(rel);
}

/** Read one file for fixing, or say why it cannot be. */
function readForFix(cwd: string, rel: string): { text: string; bom: string } | string {
  if (!insideCwd(rel)) return 'outside the working directory: not fixed (run --fix from a directory that holds it)';
  let r;
  try {
    r = readInside(cwd, rel, { maxBytes: MAX_BYTES });
  } catch (e) {
    if (e instanceof UnsafePathError) return `${e.message.replace(/; replace it.*$/, '')}: not fixed`;
    throw e;
  }
  if (!r.ok)
    return r.why === 'symlink'
      ? 'is a symbolic link: not fixed (a link is never written through; fix the file it points to)'
      : `${r.message}: not fixed`;
  const d = decodeAuditBytes(r.bytes);
  return d.ok ? { text: d.text, bom: d.bom } : `${d.reason}: not fixed`;
}

/** Work out the fixes of every file of `report` with a finding of a fixable rule. Reads, never writes. */
export function planFixes(
  targets: readonly AuditTarget[],
  report: AuditReport,
  config: PolicyConfig,
  cwd: string,
): FixPlan {
  const plan: FixPlan = { changed: [], unchanged: [], refused: [] };
  const byPath = new Map(targets.map((t) => [t.rel, t]));
  for (const f of report.files) {
    if (!f.findings.some((x) => isFixable(x.rule))) continue;
    const t = byPath.get(f.path);
    if (!t || t.refused) continue;
    const read = readForFix(cwd, f.path);
    if (typeof read === 'string') {
      plan.refused.push({ path: f.path, reason: read });
      continue;
    }
    // a compose file is fixed for the findings it has as part of what Compose merges (its own lines)
    const outcome =
      f.kind === 'compose'
        ? fixText(f.kind, read.text, f.path, config, (text) => auditComposeFile(t.abs, f.path, text, config))
        : fixText(f.kind, read.text, f.path, config);
    const fix: FileFix = { path: f.path, kind: f.kind, before: read.text, after: outcome.text, bom: read.bom, outcome };
    if (outcome.refused) plan.refused.push({ path: f.path, reason: outcome.refused });
    (outcome.text !== read.text ? plan.changed : plan.unchanged).push(fix);
  }
  return plan;
}

/**
 * Write the changed files, each on its own (one refused file does not stop the others). A file
 * that changed on disk since it was read is not overwritten. Sets `error` on the files not written.
 */
export function writeFixes(cwd: string, files: readonly FileFix[]): void {
  for (const f of files) {
    const now = readForFix(cwd, f.path);
    if (typeof now === 'string') {
      f.error = now;
      continue;
    }
    if (now.text !== f.before || now.bom !== f.bom) {
      f.error = 'changed on disk while it was being fixed: not written';
      continue;
    }
    try {
      const mode = lstatSync(join(cwd, f.path)).mode & 0o7777;
      writeFilesInside(cwd, [{ path: f.path, contents: f.bom + f.after, mode }]);
    } catch (e) {
      f.error =
        e instanceof UnsafePathError
          ? e.message
          : `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
  }
}

/** The unified diffs of the files, escaped for a terminal (as `upgrade --dry-run` prints them). */
export function renderDiffs(files: readonly FileFix[]): string {
  const out: string[] = [];
  for (const f of files) {
    const d = unifiedDiff(escapeControl(f.path), f.before, f.after);
    if (d) out.push(d.trimEnd().split('\n').map(escapeText).join('\n') + '\n');
  }
  return out.join('');
}

/** The report with the findings of the fixed texts in place of the files' old ones. */
export function reportAfterFixes(report: AuditReport, fixed: readonly FileFix[]): AuditReport {
  const byPath = new Map(fixed.map((f) => [f.path, f.outcome.findings]));
  const files: FileReport[] = report.files.map((f) => {
    const findings = byPath.get(f.path);
    return findings ? { ...f, findings } : f;
  });
  return { ...report, files };
}

/** "fixed 5 findings (SC1014 ×2, SC2009 ×3) in 2 files" */
export function fixSummary(files: readonly FileFix[]): string {
  const per = new Map<string, number>();
  for (const f of files) for (const a of f.outcome.applied) per.set(a.rule, (per.get(a.rule) ?? 0) + a.fixed);
  const total = [...per.values()].reduce((a, b) => a + b, 0);
  const rules = [...per]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([r, n]) => `${r} ×${n}`)
    .join(', ');
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(total, 'finding')}${rules ? ` (${rules})` : ''} in ${plural(files.length, 'file')}`;
}
