// How far the rules agree with the checks of other tools they name. A rule's `sameAs` ids claim
// "same check"; its case table holds cases modelled on those tools' documented examples, each
// tagged with the ids it comes from (`from`: the tool gives the case's verdict, `differs`: the
// opposite one). Over the cases of an id: precision = TP / (TP + FP), recall = TP / (TP + FN), where
// the tool's verdict is the truth and the rule's actual findings are the prediction.
// `node dist/lib/policy/rules/agreement.js` prints the figures per id and per tool.
import { pathToFileURL } from 'node:url';
import { auditCompose, auditDockerfile, auditText } from '../engine.js';
import { kubernetesKind } from '../kinds.js';
import { toolOf } from '../tools.js';
import { ruleModules } from './index.js';
import type { RuleModule, ValidCase } from '../types.js';

export interface Agreement {
  /** id of the other tool's check ("DL3009", "KICS:Privileged Containers Enabled") */
  ref: string;
  tool: string;
  /** the rule that names it */
  rule: string;
  kind: 'sameAs' | 'related';
  /** cases tagged with the id */
  cases: number;
  /** the tool fires and the rule fires */
  tp: number;
  /** the rule fires where the tool is quiet */
  fp: number;
  /** the rule is quiet where the tool fires */
  fn: number;
  /** both quiet */
  tn: number;
  /** TP / (TP + FP); 1 when the rule never fires on the cases */
  precision: number;
  /** TP / (TP + FN); 1 when the tool never fires on the cases */
  recall: number;
}

function fires(mod: RuleModule, c: ValidCase): boolean {
  const { meta } = mod.rule;
  const findings =
    meta.kind === 'compose'
      ? auditCompose(c.code, 'compose.yaml', c.config)
      : meta.kind === 'kubernetes'
        ? auditText(kubernetesKind, c.code, 'deploy/kubernetes/app.yaml', c.config)
        : auditDockerfile(c.code, 'Dockerfile', c.config);
  return findings.some((f) => f.rule === meta.id);
}

/** Agreement figures for every id a rule names (sameAs first, then related), in rule order. */
export function agreements(modules: readonly RuleModule[] = ruleModules): Agreement[] {
  const out: Agreement[] = [];
  for (const mod of modules) {
    const { meta } = mod.rule;
    const tagged: { c: ValidCase; invalid: boolean }[] = [
      ...mod.cases.valid.map((c) => ({ c, invalid: false })),
      ...mod.cases.invalid.map((c) => ({ c, invalid: true })),
    ].filter(({ c }) => (c.from?.length ?? 0) + (c.differs?.length ?? 0) > 0);
    const verdicts = new Map(tagged.map(({ c }) => [c, fires(mod, c)]));
    for (const [kind, refs] of [
      ['sameAs', meta.sameAs],
      ['related', meta.related],
    ] as const) {
      for (const ref of refs) {
        const a: Agreement = {
          ref,
          tool: toolOf(ref),
          rule: meta.id,
          kind,
          cases: 0,
          tp: 0,
          fp: 0,
          fn: 0,
          tn: 0,
          precision: 1,
          recall: 1,
        };
        for (const { c, invalid } of tagged) {
          const agrees = c.from?.includes(ref) === true;
          const differs = c.differs?.includes(ref) === true;
          if (!agrees && !differs) continue;
          a.cases++;
          const tool = differs ? !invalid : invalid;
          const ours = verdicts.get(c) === true;
          if (tool && ours) a.tp++;
          else if (!tool && ours) a.fp++;
          else if (tool && !ours) a.fn++;
          else a.tn++;
        }
        a.precision = a.tp + a.fp === 0 ? 1 : a.tp / (a.tp + a.fp);
        a.recall = a.tp + a.fn === 0 ? 1 : a.tp / (a.tp + a.fn);
        out.push(a);
      }
    }
  }
  return out;
}

export interface ToolSummary {
  tool: string;
  /** sameAs ids of the tool */
  ids: number;
  cases: number;
  /** pooled over the cases of every sameAs id of the tool */
  precision: number;
  recall: number;
  /** the lowest per-id figures */
  minPrecision: number;
  minRecall: number;
}

/** Per tool: the number of sameAs ids and the precision/recall over their cases. */
export function toolSummaries(list: readonly Agreement[] = agreements()): ToolSummary[] {
  const tools = [...new Set(list.filter((a) => a.kind === 'sameAs').map((a) => a.tool))];
  return tools.map((tool) => {
    const l = list.filter((a) => a.kind === 'sameAs' && a.tool === tool);
    const sum = (k: 'tp' | 'fp' | 'fn' | 'cases'): number => l.reduce((n, a) => n + a[k], 0);
    const tp = sum('tp');
    return {
      tool,
      ids: l.length,
      cases: sum('cases'),
      precision: tp + sum('fp') === 0 ? 1 : tp / (tp + sum('fp')),
      recall: tp + sum('fn') === 0 ? 1 : tp / (tp + sum('fn')),
      minPrecision: Math.min(...l.map((a) => a.precision)),
      minRecall: Math.min(...l.map((a) => a.recall)),
    };
  });
}

/** The report printed by `node dist/lib/policy/rules/agreement.js` (markdown). */
export function renderAgreement(list: readonly Agreement[] = agreements()): string {
  const f = (x: number): string => x.toFixed(2);
  const out = [
    '| Tool | sameAs ids | Cases | Precision | Recall | Lowest precision of an id | Lowest recall of an id |',
    '|---|---|---|---|---|---|---|',
    ...toolSummaries(list).map(
      (t) =>
        `| ${t.tool} | ${t.ids} | ${t.cases} | ${f(t.precision)} | ${f(t.recall)} | ${f(t.minPrecision)} | ${f(t.minRecall)} |`,
    ),
    '',
    '| Rule | Id | Kind | Cases | TP | FP | FN | TN | Precision | Recall |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...list
      .filter((a) => a.cases > 0 || a.kind === 'sameAs')
      .map(
        (a) =>
          `| ${a.rule} | ${a.ref.replace(/\|/g, '\\|')} | ${a.kind} | ${a.cases} | ${a.tp} | ${a.fp} | ${a.fn} | ${a.tn} | ${f(a.precision)} | ${f(a.recall)} |`,
      ),
  ];
  return out.join('\n') + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(renderAgreement());
