// Output formats of `secure-container audit`: text (people), json (stable contract v1), sarif (2.1.0).
import type { Log, ReportingDescriptor, ReportingDescriptorRelationship, Result } from 'sarif';
import type { Severity } from '../core/types.js';
import { allRules } from '../policy/rules/registry.js';
import { toolOf } from '../policy/tools.js';
import { escapeControl } from '../text/escape.js';
import type { RuleMeta } from '../policy/types.js';
import { summarize, type AuditReport, type FileReport, type Summary } from './run.js';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

export function formatText(report: AuditReport): string {
  let out = '';
  for (const c of formatTextChunks(report)) out += c;
  return out;
}

/**
 * formatText's text in pieces, one a file with findings, then the summary line:
 * `[...formatTextChunks(r)].join('') === formatText(r)` (every line ends with a newline).
 */
export function* formatTextChunks(report: AuditReport): Generator<string> {
  yield* chunksOf(new TextChunks(), report.files, () => summarize(report));
}

/** A report written a file at a time: its text up to and including a file, then the rest. */
export interface ReportWriter {
  /** this file's part ('' when it adds nothing) */
  file(f: FileReport): string;
  /** the rest of the report, once every file is written (`summary` is asked for then) */
  end(summary: () => Summary): string;
}

/** A report's pieces, for file reports made one at a time (an audit written as it goes). */
export function* chunksOf(
  writer: ReportWriter,
  files: Iterable<FileReport>,
  summary: () => Summary,
): Generator<string> {
  for (const f of files) yield writer.file(f);
  yield writer.end(summary);
}

/** chunksOf for batches of file reports that arrive in order (the threaded audit, parallel.ts). */
export async function* chunksOfBatches(
  writer: ReportWriter,
  batches: AsyncIterable<readonly FileReport[]>,
  summary: () => Summary,
): AsyncGenerator<string> {
  for await (const batch of batches) for (const f of batch) yield writer.file(f);
  yield writer.end(summary);
}

/** The text report: a block a file with findings, then the summary line. */
export class TextChunks implements ReportWriter {
  private withFindings = 0;

  file(f: FileReport): string {
    if (!f.findings.length) return '';
    this.withFindings++;
    // file names, service and instruction names, snippets in messages come from the audited
    // repository: control characters are shown, never sent to the terminal (a file name cannot
    // print a line of its own, e.g. a fake "No findings")
    const out: string[] = [escapeControl(f.path)];
    const w = Math.max(...f.findings.map((x) => String(x.line).length));
    for (const x of f.findings) {
      out.push(
        `  ${String(x.line).padStart(w)}  ${x.severity.padEnd(7)}  ${escapeControl(x.rule)}  ${escapeControl(x.principle)}  ${escapeControl(x.message)}`,
      );
      if (x.fix) out.push(`  ${' '.repeat(w)}  ${' '.repeat(7)}  fix: ${escapeControl(x.fix)}`);
    }
    out.push('');
    return out.join('\n') + '\n';
  }

  end(summary: () => Summary): string {
    const s = summary();
    if (s.findings === 0) return `No findings in ${plural(s.files, 'file')}.\n`;
    return (
      `${plural(s.findings, 'finding')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) in ${this.withFindings} of ${plural(s.files, 'file')}` +
      (s.failOn === 'none' ? '.' : `; failing on ${s.failOn}${s.failed ? '' : ' (none)'}.`) +
      '\n'
    );
  }
}

function jsonFile(f: FileReport): object {
  return {
    path: f.path,
    kind: f.kind,
    findings: f.findings.map((x) => ({
      rule: x.rule,
      name: x.name,
      principle: x.principle,
      severity: x.severity,
      line: x.line,
      message: x.message,
      refs: [...x.refs],
    })),
  };
}

const q = (s: string): string => JSON.stringify(s);
const isStrings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');

/**
 * One file of formatJsonChunks written directly: the bytes of
 * `JSON.stringify(jsonFile(f), null, 2)` re-indented by four spaces (tested byte for byte), without
 * building the object, stringifying it and re-indenting the result. The part of a finding that
 * depends only on its rule (rule, name, principle, severity; refs) is written once a rule and
 * reused. Null when a value is not what the contract says (then the generic path writes it).
 */
class JsonParts {
  private readonly heads = new Map<string, { name: string; principle: string; severity: string; head: string }>();
  private readonly refs = new Map<string, { refs: readonly string[]; json: string }>();
  private readonly messages = new Map<string, { message: string; json: string }>();

  private head(x: FileReport['findings'][number]): string {
    const h = this.heads.get(x.rule);
    if (h && h.name === x.name && h.principle === x.principle && h.severity === x.severity) return h.head;
    const head =
      `{\n          "rule": ${q(x.rule)},\n          "name": ${q(x.name)},\n          "principle": ${q(x.principle)},` +
      `\n          "severity": ${q(x.severity)},\n          "line": `;
    this.heads.set(x.rule, { name: x.name, principle: x.principle, severity: x.severity, head });
    return head;
  }

  /** The refs' JSON (written once a rule), or null when they are not all strings. */
  private refsJson(rule: string, refs: readonly string[]): string | null {
    const r = this.refs.get(rule);
    // the rule's own array (every finding of a rule shares it), or equal to it: strings, checked once
    if (r && (r.refs === refs || (r.refs.length === refs.length && r.refs.every((x, i) => x === refs[i]))))
      return r.json;
    if (!isStrings(refs)) return null;
    const json = refs.length === 0 ? '[]' : `[\n            ${refs.map(q).join(',\n            ')}\n          ]`;
    this.refs.set(rule, { refs, json });
    return json;
  }

  /** A message's JSON: the last one of each rule is kept (most findings of a rule say the same). */
  private message(rule: string, message: string): string {
    const m = this.messages.get(rule);
    if (m && m.message === message) return m.json;
    const json = q(message);
    this.messages.set(rule, { message, json });
    return json;
  }

  file(f: FileReport): string | null {
    if (typeof f.path !== 'string' || typeof f.kind !== 'string' || !Array.isArray(f.findings)) return null;
    let out = `{\n      "path": ${q(f.path)},\n      "kind": ${q(f.kind)},\n      "findings": `;
    const findings = f.findings;
    if (findings.length === 0) return out + '[]\n    }';
    out += '[';
    let sep = '\n        ';
    // an index loop: a batch writes this mostly in V8's interpreter (a for…of allocates a result a step)
    for (let k = 0; k < findings.length; k++) {
      const x = findings[k];
      if (
        typeof x.rule !== 'string' ||
        typeof x.name !== 'string' ||
        typeof x.principle !== 'string' ||
        typeof x.severity !== 'string' ||
        typeof x.line !== 'number' ||
        !Number.isFinite(x.line) ||
        typeof x.message !== 'string' ||
        !Array.isArray(x.refs)
      )
        return null;
      const refs = this.refsJson(x.rule, x.refs);
      if (refs === null) return null;
      out +=
        sep +
        this.head(x) +
        String(x.line) +
        `,\n          "message": ${this.message(x.rule, x.message)},\n          "refs": ${refs}\n        }`;
      sep = ',\n        ';
    }
    return out + '\n      ]\n    }';
  }
}

/** The documented JSON contract (docs/audit.md). Field order and names are stable within version 1. */
export function formatJson(report: AuditReport): string {
  const doc = {
    version: 1,
    files: report.files.map(jsonFile),
    summary: summarize(report),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * formatJson's text in pieces (one a file), for writing a large report without holding all of it
 * in memory twice: `[...formatJsonChunks(r)].join('') === formatJson(r)`.
 */
export function* formatJsonChunks(report: AuditReport): Generator<string> {
  yield* jsonChunksOf(report.files, () => summarize(report));
}

/**
 * formatJsonChunks over file reports made one at a time (an audit written as it goes): `summary` is
 * asked for after the last file.
 */
export function jsonChunksOf(files: Iterable<FileReport>, summary: () => Summary): Generator<string> {
  return chunksOf(new JsonChunks(), files, summary);
}

/**
 * The JSON report, a file at a time. JSON.stringify never puts a raw newline inside a value, so
 * re-indenting a nested value is a plain newline replacement.
 */
export class JsonChunks implements ReportWriter {
  private sep: string | null = null;
  private readonly parts = new JsonParts();

  file(f: FileReport): string {
    const head = this.sep ?? '{\n  "version": 1,\n  "files": [\n    ';
    this.sep = ',\n    ';
    return head + (this.parts.file(f) ?? indent(JSON.stringify(jsonFile(f), null, 2), '    '));
  }

  end(summary: () => Summary): string {
    return (
      (this.sep === null ? '{\n  "version": 1,\n  "files": []' : '\n  ]') +
      ',\n  "summary": ' +
      indent(JSON.stringify(summary(), null, 2), '  ') +
      '\n}\n'
    );
  }
}

const indent = (json: string, pad: string): string => json.replaceAll('\n', '\n' + pad);

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  version: string;
  /** base URL the rule docs live under (e.g. "https://github.com/org/repo/blob/main/"); helpUri omitted when absent */
  docsBaseUrl?: string;
}

/** How a SARIF relationship names a check of another tool: its tool, and its id there. */
function sarifTarget(ref: string): ReportingDescriptorRelationship['target'] {
  return { id: ref.replace(/^KICS:|^CIS-/, ''), toolComponent: { name: toolOf(ref) } };
}

/** `sameAs` as "equal" relationships, `related` as "relevant" ones (SARIF 2.1.0 §3.53). */
function sarifRelationships(m: RuleMeta): ReportingDescriptorRelationship[] {
  return [
    ...m.sameAs.map((r) => ({ target: sarifTarget(r), kinds: ['equal'] })),
    ...m.related.map((r) => ({ target: sarifTarget(r), kinds: ['relevant'] })),
  ];
}

/** "Same check as: …. Related: …." (empty when the rule has neither) */
function refsText(m: RuleMeta, bold: boolean): string {
  const b = (s: string): string => (bold ? `**${s}**` : s);
  const parts: string[] = [];
  if (m.sameAs.length) parts.push(`${b('Same check as:')} ${m.sameAs.join(', ')}`);
  if (m.related.length) parts.push(`${b('Related:')} ${m.related.join(', ')}`);
  return parts.length ? `\n\n${parts.join('\n\n')}` : '';
}

function sarifRule(m: RuleMeta, opts: SarifOptions): ReportingDescriptor {
  const r: ReportingDescriptor = {
    id: m.id,
    name: m.name,
    shortDescription: { text: m.message },
    fullDescription: { text: m.description },
    help: {
      text: `${m.description}\n\nFix: ${m.fix}${refsText(m, false)}`,
      markdown: `${m.description}\n\n**Fix:** ${m.fix}${refsText(m, true)}`,
    },
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: ['security', 'container', m.principle, m.kind === 'any' ? 'engine' : m.kind],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[m.severity],
    },
  };
  const relationships = sarifRelationships(m);
  if (relationships.length) r.relationships = relationships;
  if (opts.docsBaseUrl) r.helpUri = opts.docsBaseUrl.replace(/\/?$/, '/') + m.docs;
  return r;
}

export function formatSarif(report: AuditReport, opts: SarifOptions): string {
  const rules = allRules.map((r) => sarifRule(r.meta, opts));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const f of report.files)
    for (const x of f.findings)
      results.push({
        ruleId: x.rule,
        ruleIndex: index.get(x.rule),
        level: LEVEL[x.severity],
        message: { text: x.fix ? `${x.message}. Fix: ${x.fix}` : x.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
              region: { startLine: Math.max(1, x.line) },
            },
          },
        ],
        properties: { principle: x.principle, refs: x.refs },
      });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-container',
            semanticVersion: opts.version,
            version: opts.version,
            informationUri: opts.docsBaseUrl,
            rules,
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  if (!opts.docsBaseUrl) delete log.runs[0].tool.driver.informationUri;
  return JSON.stringify(log, null, 2) + '\n';
}

/** "  [same as: …; related: …]" for the text rule list ('' when the rule has neither) */
function listRefs(m: RuleMeta): string {
  const parts = [
    ...(m.sameAs.length ? [`same as: ${m.sameAs.join(', ')}`] : []),
    ...(m.related.length ? [`related: ${m.related.join(', ')}`] : []),
  ];
  return parts.length ? `  [${parts.join('; ')}]` : '';
}

/** `--list-rules` (json: `refs` is `[...sameAs, ...related]`, kept for version-1 readers) */
export function formatRuleList(format: 'text' | 'json'): string {
  if (format === 'json')
    return (
      JSON.stringify(
        allRules.map(({ meta: m }) => ({
          id: m.id,
          name: m.name,
          principle: m.principle,
          severity: m.severity,
          kind: m.kind,
          sameAs: m.sameAs,
          related: m.related,
          refs: m.refs,
          description: m.description,
        })),
        null,
        2,
      ) + '\n'
    );
  const w = Math.max(...allRules.map((r) => r.meta.name.length));
  return (
    allRules
      .map(
        ({ meta: m }) =>
          `${m.id}  ${m.name.padEnd(w)}  ${m.principle}  ${m.severity.padEnd(7)}  ${m.message}${listRefs(m)}`,
      )
      .join('\n') + '\n'
  );
}
