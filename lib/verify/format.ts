// Output of `secure-container verify`: text (people), json (contract version 1, docs/verify.md),
// sarif 2.1.0 (code scanning). Shaped like `audit`'s formats (lib/audit/format.ts): same severities,
// levels and security-severity, the same summary fields; the location is the Dockerfile that built
// the image (--dockerfile) or, without one, the image reference, as image scanners do.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../core/types.js';
import { escapeControl } from '../text/escape.js';
import { verifyRules } from './rules/index.js';
import type { VerifyResult } from './run.js';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export function formatText(r: VerifyResult): string {
  const f = r.facts;
  const out: string[] = [];
  const flavor = f.flavor
    ? `${f.flavor.value} (${f.flavor.source === 'flag' ? '--flavor' : `label ${f.flavor.label ?? ''}`})`
    : 'unknown (pass --flavor to check for shells and package managers)';
  out.push(`${escapeControl(r.image)}  (${r.engine}${r.id ? `, ${r.id.replace(/^sha256:/, '').slice(0, 12)}` : ''})`);
  out.push(`  user        ${escapeControl(f.config.user || '(none: root)')}`);
  out.push(`  flavour     ${escapeControl(flavor)}`);
  out.push(`  size        ${mb(f.config.size)} in ${plural(f.config.layers, 'layer')}`);
  out.push(`  healthcheck ${f.config.healthcheck ? escapeControl(JSON.stringify(f.config.healthcheck)) : '(none)'}`);
  if (r.files !== undefined) out.push(`  files       ${r.files} in the final filesystem`);
  out.push(
    `  smoke run   ${
      f.smoke
        ? `${f.smoke.outcome} as user ${escapeControl(f.smoke.user)} after ${f.smoke.seconds} s`
        : 'skipped (--no-run)'
    }`,
  );
  out.push('');
  for (const x of r.findings) {
    out.push(`  ${x.severity.padEnd(7)}  ${x.rule}  ${x.principle}  ${escapeControl(x.message)}`);
    out.push(`  ${' '.repeat(7)}  fix: ${escapeControl(x.fix)}`);
  }
  if (r.findings.length) out.push('');
  const s = r.summary;
  if (s.findings === 0) out.push(`No findings in ${escapeControl(r.image)}.`);
  else
    out.push(
      `${plural(s.findings, 'finding')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) in ${escapeControl(r.image)}` +
        (s.failOn === 'none' ? '.' : `; failing on ${s.failOn}${s.failed ? '' : ' (none)'}.`),
    );
  return out.join('\n') + '\n';
}

/** The documented JSON contract (docs/verify.md). Field order and names are stable within version 1. */
export function formatJson(r: VerifyResult): string {
  const f = r.facts;
  const doc = {
    version: 1,
    image: r.image,
    engine: r.engine,
    id: r.id,
    config: {
      user: f.config.user,
      healthcheck: f.config.healthcheck ?? null,
      labels: f.config.labels,
      size: f.config.size,
      layers: f.config.layers,
    },
    flavor: f.flavor,
    files: r.files ?? null,
    smoke: f.smoke ?? null,
    findings: r.findings.map((x) => ({
      rule: x.rule,
      name: x.name,
      principle: x.principle,
      severity: x.severity,
      message: x.message,
      fix: x.fix,
      refs: x.refs,
    })),
    summary: r.summary,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  version: string;
  docsBaseUrl?: string;
  /** the Dockerfile that built the image (repository-relative), as the results' location */
  dockerfile?: string;
}

export function formatSarif(r: VerifyResult, opts: SarifOptions): string {
  const rules: ReportingDescriptor[] = verifyRules.map(({ meta: m }) => ({
    id: m.id,
    name: m.name,
    shortDescription: { text: m.message },
    fullDescription: { text: m.description },
    help: { text: `${m.description}\n\nFix: ${m.fix}`, markdown: `${m.description}\n\n**Fix:** ${m.fix}` },
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: ['security', 'container', 'image', m.principle],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[m.severity],
    },
    ...(opts.docsBaseUrl
      ? { helpUri: `${opts.docsBaseUrl.replace(/\/?$/, '/')}docs/verify.md#${m.id.toLowerCase()}` }
      : {}),
  }));
  const index = new Map(rules.map((x, i) => [x.id, i]));
  const uri = opts.dockerfile ?? r.image;
  const results: Result[] = r.findings.map((x) => ({
    ruleId: x.rule,
    ruleIndex: index.get(x.rule),
    level: LEVEL[x.severity],
    message: { text: `${x.message}. Fix: ${x.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(uri), ...(opts.dockerfile ? { uriBaseId: '%SRCROOT%' } : {}) },
          region: { startLine: 1 },
        },
        logicalLocations: [{ name: r.image, kind: 'image' }],
      },
    ],
    properties: { principle: x.principle, refs: x.refs, image: r.image },
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-container verify',
            semanticVersion: opts.version,
            version: opts.version,
            ...(opts.docsBaseUrl ? { informationUri: opts.docsBaseUrl } : {}),
            rules,
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** --list-rules */
export function formatRuleList(format: 'text' | 'json'): string {
  if (format === 'json')
    return (
      JSON.stringify(
        verifyRules.map((r) => r.meta),
        null,
        2,
      ) + '\n'
    );
  const w = Math.max(...verifyRules.map((r) => r.meta.name.length));
  return (
    verifyRules
      .map(({ meta: m }) => `${m.id}  ${m.name.padEnd(w)}  ${m.principle}  ${m.severity.padEnd(7)}  ${m.message}`)
      .join('\n') + '\n'
  );
}
