// What the reports say about automatic fixes: the text report marks the findings that have none
// ("no automatic fix", with the reason after --fix), and --list-rules says which rules are fixable.
import type { Finding } from '../../core/types.js';
import { TextChunks, type ReportWriter } from '../format.js';
import type { AuditReport, FileReport, Summary } from '../run.js';
import { FIXERS, isFixable } from './index.js';
import type { FixPlan } from './apply.js';

const NO_FIX = 'no automatic fix';

function annotate(f: Finding, note: string): Finding {
  return { ...f, fix: f.fix ? `${f.fix} [${note}]` : `[${note}]` };
}

/**
 * The report as the text format should show it: findings of rules without a fixer say
 * "[no automatic fix]"; after --fix (`plan` given) every finding left says why it was not fixed.
 * Findings of fixable rules are left as they are before --fix (fixTextFooter counts them).
 */
export function annotateForText(report: AuditReport, plan?: FixPlan): AuditReport {
  // per file, per "rule:line", the reasons in order (two findings on one line: `ports: ["80:80", "443:443"]`)
  const reasons = new Map<string, Map<string, string[]>>();
  if (plan) {
    for (const f of [...plan.changed, ...plan.unchanged]) {
      const m = new Map<string, string[]>();
      for (const s of f.outcome.skipped) {
        const k = `${s.rule}:${s.line}`;
        m.set(k, [...(m.get(k) ?? []), s.reason]);
      }
      reasons.set(f.path, m);
    }
    for (const r of plan.refused) reasons.set(r.path, new Map([['*', [r.reason]]]));
  } else return { ...report, files: report.files.map(annotateFile) };
  return {
    ...report,
    files: report.files.map((file) => {
      const why = reasons.get(file.path);
      return {
        ...file,
        findings: file.findings.map((x) => {
          if (!isFixable(x.rule)) return annotate(x, NO_FIX);
          const list = why?.get(`${x.rule}:${x.line}`);
          const reason = (list && list.length > 1 ? list.shift() : list?.[0]) ?? why?.get('*')?.[0];
          return annotate(x, reason ? `${NO_FIX}: ${reason}` : NO_FIX);
        }),
      };
    }),
  };
}

/** After a text report (without --fix): how many findings an automatic fix may handle ('' for none). */
export function fixTextFooter(report: AuditReport): string {
  let n = 0;
  for (const f of report.files) n += fixableCount(f);
  return fixFooter(n);
}

/** The findings of a file an automatic fix may handle. */
export function fixableCount(file: FileReport): number {
  let n = 0;
  for (const x of file.findings) if (isFixable(x.rule)) n++;
  return n;
}

/**
 * The text report without --fix, a file at a time (annotateForText and fixTextFooter as the files
 * come): findings of rules without a fixer say so, and the footer counts the fixable ones.
 */
export class TextWithFixes implements ReportWriter {
  private fixable = 0;
  private readonly text = new TextChunks();

  file(f: FileReport): string {
    this.fixable += fixableCount(f);
    return this.text.file(annotateFile(f));
  }

  end(summary: () => Summary): string {
    return this.text.end(summary) + fixFooter(this.fixable);
  }
}

function annotateFile(file: FileReport): FileReport {
  return { ...file, findings: file.findings.map((x) => (isFixable(x.rule) ? x : annotate(x, NO_FIX))) };
}

function fixFooter(n: number): string {
  if (n === 0) return '';
  return `${n} ${n === 1 ? 'finding is' : 'findings are'} of rules with an automatic fix where it is safe: \`secure-container audit --fix --dry-run\` shows the changes.\n`;
}

/** --list-rules with a `fixable` flag (JSON: `fixable` and `autofix`, what the fix does; text: `[fixable]`). */
export function withFixable(list: string, format: 'text' | 'json'): string {
  if (format === 'json') {
    const rules = JSON.parse(list) as Record<string, unknown>[];
    return (
      JSON.stringify(
        rules.map((r) => {
          if ('fixable' in r) return r;
          const fixer = FIXERS.get(String(r.id));
          return { ...r, fixable: fixer !== undefined, ...(fixer ? { autofix: fixer.what } : {}) };
        }),
        null,
        2,
      ) + '\n'
    );
  }
  return list
    .split('\n')
    .map((line) => {
      const id = /^(SC\d{4})\s/.exec(line)?.[1];
      return id && isFixable(id) && !line.includes('[fixable]') ? `${line}  [fixable]` : line;
    })
    .join('\n');
}
