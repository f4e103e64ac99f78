// The generation flow shared by `secure-container init` (fast, no Yeoman) and the Yeoman
// generator: detect -> answers -> layout -> files -> self-check -> state. Pure apart from
// `gatherContext` (reads the repo) — writing is the caller's job (lib/write.ts or Yeoman's fs).
import { basename, resolve as resolvePath } from 'node:path';
import { walkQuestions, type AnswerInputs, type Proposal, type RawAnswers, type Resolved } from './core/answers/resolve.js';
import { QUESTIONS, type Question } from './core/answers/schema.js';
import { layoutFromFacts } from './core/layout.js';
import type { Answers, Finding, GeneratedFile, ProjectLayout } from './core/types.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from './core/version.js';
import { describeFacts, detectRepo } from './detect/index.js';
import type { DetectedFacts } from './detect/model.js';
import { buildFiles, type BuildOptions } from './pipeline.js';
import { buildState, parseState, type State } from './state/index.js';
import { readText } from './write.js';

export interface RepoContext {
  root: string;
  facts: DetectedFacts;
  state: State | null;
  yoRcText?: string;
  /** requirements file pins hashes (read here so the rest stays pure) */
  hashes: boolean;
  yarnBerry: boolean;
}

/** The only I/O before rendering: detection plus the recorded state. */
export async function gatherContext(root: string): Promise<RepoContext> {
  const abs = resolvePath(root);
  const facts = await detectRepo(abs);
  const read = (p: string): string | undefined => readText(abs, p);
  const state = parseState(read, { lenient: true });
  const yoRcText = read('.yo-rc.json');
  const req = facts.manifest?.value;
  const hashes = !!(req && req.endsWith('.txt') && /--hash[= ]sha256:/.test(read(req) ?? ''));
  const yarnBerry = read('.yarnrc.yml') !== undefined || (facts.packageManager?.value === 'yarn' && /^[2-9]/.test(facts.packageManagerVersion?.value ?? ''));
  return { root: abs, facts, state, ...(yoRcText !== undefined ? { yoRcText } : {}), hashes, yarnBerry };
}

export interface PresetInput {
  name: string;
  /** the reference as given to --preset, stored in .yo-rc.json */
  ref: string;
  locked: RawAnswers;
  defaults: RawAnswers;
  build: BuildOptions;
}

export function answerInputs(ctx: RepoContext, cli: RawAnswers, preset?: PresetInput): AnswerInputs {
  return {
    facts: ctx.facts,
    layout: { manifests: [] },
    dirName: basename(ctx.root),
    cli,
    ...(ctx.state ? { stored: ctx.state.answers as RawAnswers } : {}),
    ...(preset ? { locked: preset.locked, presetDefaults: preset.defaults, presetName: preset.name } : {}),
  };
}

export type Asker = (q: Question, proposal: Proposal, partial: Partial<Answers>) => Promise<unknown>;

/**
 * Walk the questions in table order. Settled answers (flag, preset lock, .yo-rc.json) are taken
 * as they are; the rest go to `ask` (interactive) or take their proposal (`ask` undefined: --yes).
 */
export async function collectAnswers(inputs: AnswerInputs, ask?: Asker): Promise<Resolved> {
  const walk = walkQuestions(inputs);
  let step = walk.next();
  // interactive: the prompt validates with the same parser, so what comes back is accepted
  while (!step.done) step = walk.next(ask ? await ask(step.value.question, step.value.proposal, step.value.partial) : undefined);
  return step.value;
}

export interface Generation {
  answers: Answers;
  sources: Record<string, string>;
  layout: ProjectLayout;
  /** generated files (without state) */
  files: GeneratedFile[];
  /** state files: .yo-rc.json and .secure-container/ */
  stateFiles: GeneratedFile[];
  /** self-check findings: warnings caused by explicit choices; errors abort */
  findings: Finding[];
  factLines: string[];
}

/** Self-check findings that stem from an explicit user choice are warnings; anything else at error level is a bug. */
export class SelfCheckError extends Error {
  constructor(public readonly findings: Finding[]) {
    super(
      'internal error: the generated files fail the audit (please report this):\n' +
        findings.map((f) => `  ${f.file}:${f.line} ${f.rule} ${f.message}`).join('\n'),
    );
  }
}

/** Rules that an explicit answer may trigger: shown in the plan as warnings, never a self-check failure. */
const CHOICE_RULES: Record<string, (a: Answers) => boolean> = {
  // --bind 0.0.0.0 / :: publishes the app port on every host interface (P9, CIS 5.14)
  SC2009: (a) => a.bind !== '127.0.0.1' && a.bind !== '::1',
};

export function generate(ctx: RepoContext, answers: Answers, sources: Record<string, string>, preset?: PresetInput): Generation {
  const layout = layoutFromFacts(ctx.facts, answers, { hashes: ctx.hashes, yarnBerry: ctx.yarnBerry });
  const { files, findings } = buildFiles(answers, layout, preset?.build ?? {});
  const byChoice = (f: Finding): boolean => CHOICE_RULES[f.rule]?.(answers) === true;
  const bugs = findings.filter((f) => f.severity === 'error' && !byChoice(f));
  if (bugs.length) throw new SelfCheckError(bugs);
  const warnings = findings.filter((f) => f.severity !== 'info').map((f) => (f.severity === 'error' ? { ...f, severity: 'warning' as const } : f));
  // the layout is recorded next to the answers, so a reader of .yo-rc.json sees what the files were made from
  const existing = withLayout(ctx.yoRcText, layout);
  const stateFiles = buildState(answers, GENERATOR_VERSION, files, preset?.ref, { existingYoRc: existing });
  return { answers, sources, layout, files, stateFiles, findings: warnings, factLines: describeFacts(ctx.facts) };
}

function withLayout(yoRcText: string | undefined, layout: ProjectLayout): string {
  let obj: Record<string, unknown> = {};
  try {
    const parsed: unknown = yoRcText ? JSON.parse(yoRcText) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) obj = parsed as Record<string, unknown>;
  } catch {
    obj = {};
  }
  const ours = (obj[GENERATOR_NAME] && typeof obj[GENERATOR_NAME] === 'object' ? obj[GENERATOR_NAME] : {}) as Record<string, unknown>;
  return JSON.stringify({ ...obj, [GENERATOR_NAME]: { ...ours, layout } });
}

/** The plan printed before writing: every fact with its source, every answer with its source. */
export function renderPlan(g: Generation, actions: { path: string; action: string; reason: string }[]): string {
  const lines: string[] = [`${GENERATOR_NAME} ${GENERATOR_VERSION}`, '', 'Detected:'];
  lines.push(...(g.factLines.length ? g.factLines.map((l) => `  ${l}`) : ['  nothing (no package.json, pyproject.toml, requirements.txt or go.mod)']));
  lines.push('', 'Answers:');
  const w = Math.max(...QUESTIONS.map((q) => q.flag.length));
  for (const q of QUESTIONS) {
    const src = g.sources[q.key];
    if (!src) continue;
    lines.push(`  --${q.flag.padEnd(w)}  ${JSON.stringify(g.answers[q.key])}  (${src})`);
  }
  lines.push('', 'Files:');
  for (const a of actions) lines.push(`  ${a.action.padEnd(9)} ${a.path}${a.action === 'identical' ? '' : `  (${a.reason})`}`);
  if (g.answers.bind !== '127.0.0.1' && g.answers.bind !== '::1') {
    lines.push('', `WARNING: the app port is published on ${g.answers.bind}, not only on loopback (P9, CIS 5.14)`);
  }
  if (g.findings.length) {
    lines.push('', 'Warnings from the self-check:');
    for (const f of g.findings) lines.push(`  ${f.rule} ${f.file}:${f.line} ${f.message}`);
  }
  return lines.join('\n') + '\n';
}
