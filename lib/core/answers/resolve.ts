// Combines every source of answers in one place, question by question, in table order:
//   preset (locked) > CLI flag > prompt > .yo-rc.json > preset default > detected fact > default
// Pure: the generator's prompt loop and the non-interactive bin both go through propose()/accept().
import { profileFor } from '../../runtimes/index.js';
import { AnswerError, type Answers, type Facts, type ProjectLayout } from '../types.js';
import { answerError, applies, isRelevant, neutralValue, QUESTIONS, type Question } from './schema.js';

export type RawAnswers = Partial<Record<keyof Answers, unknown>>;

export interface AnswerInputs {
  facts: Facts;
  layout: ProjectLayout;
  dirName: string;
  cli?: RawAnswers;
  stored?: RawAnswers;
  /** answers a preset fixes (locked: never asked, a conflicting flag is an error) */
  locked?: RawAnswers;
  /** answers a preset pre-fills (asked, overridable) */
  presetDefaults?: RawAnswers;
  /** name of the preset, for messages */
  presetName?: string;
}

export type AnswerSourceKind =
  'preset-locked' | 'flag' | 'prompt' | 'stored' | 'preset-default' | 'detected' | 'default';

export interface Proposal {
  question: Question;
  /** raw value proposed (undefined = nothing known: required) */
  raw: unknown;
  kind: AnswerSourceKind;
  /** human text: "flag --port", "detected from package.json", "default" */
  source: string;
  /** true when the user should not be asked (flag, locked, stored) */
  settled: boolean;
  /** a detected value that is a guess (why): shown as such, and `--yes` does not take it silently */
  guess?: string;
}

const FACT_FOR: Partial<Record<keyof Answers, keyof Facts>> = {
  runtime: 'runtime',
  runtimeVersion: 'runtimeVersion',
  packageManager: 'packageManager',
  workspace: 'workspaceDefault',
  name: 'name',
  port: 'port',
  start: 'start',
  build: 'build',
  dataDirs: 'dataDirs',
  healthPath: 'healthPath',
  flavor: 'flavor',
  // the run-time ENV carried from the repository's own Dockerfile (lib/detect/dockerfile-env.ts)
  env: 'env',
};

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether a prompt answer is the proposal itself (a prompt returns "3000" for the proposed 3000):
 * accepting a detected value keeps its source ("detected from server.js:4"), it is not "prompt".
 */
function sameAnswer(qn: Question, asked: unknown, proposed: unknown, partial: Partial<Answers>): boolean {
  if (sameValue(asked, proposed)) return true;
  if (proposed === undefined) return false;
  try {
    return sameValue(qn.parse(asked, partial), qn.parse(proposed, partial));
  } catch {
    return false;
  }
}

/** The error for a question with `missing` set that nothing answers: its own message, no flag prefix. */
export function missingAnswer(qn: Question): AnswerError {
  const e = answerError(qn, qn.missing ?? 'is required and could not be detected');
  e.message = qn.missing ?? e.message;
  return e;
}

/** The facts of the workspace member chosen so far (its start, build and name), else the root's. */
export function memberFacts(facts: Facts, partial: Partial<Answers>): Facts {
  if (!partial.workspace || partial.runtime === undefined) return facts;
  return profileFor(partial.runtime).memberFacts?.(facts, partial.workspace, partial.packageManager) ?? facts;
}

/** What to propose for one question given everything known so far. */
export function propose(qn: Question, inputs: AnswerInputs, partial: Partial<Answers>): Proposal {
  const k = qn.key;
  const has = (r: RawAnswers | undefined): r is RawAnswers => r !== undefined && r[k] !== undefined;
  if (has(inputs.locked)) {
    if (has(inputs.cli)) {
      let cliParsed: unknown = inputs.cli[k];
      let lockedParsed: unknown = inputs.locked[k];
      try {
        cliParsed = qn.parse(inputs.cli[k], partial);
        lockedParsed = qn.parse(inputs.locked[k], partial);
      } catch {
        /* compared raw below */
      }
      if (!sameValue(cliParsed, lockedParsed)) {
        throw answerError(
          qn,
          `${JSON.stringify(inputs.cli[k])} conflicts with preset ${inputs.presetName ?? ''} which fixes ${qn.key} to ${JSON.stringify(inputs.locked[k])}`.replace(
            '  ',
            ' ',
          ),
        );
      }
    }
    return {
      question: qn,
      raw: inputs.locked[k],
      kind: 'preset-locked',
      source: `preset ${inputs.presetName ?? ''} (locked)`.replace('  ', ' '),
      settled: true,
    };
  }
  if (has(inputs.cli))
    return { question: qn, raw: inputs.cli[k], kind: 'flag', source: `flag --${qn.flag}`, settled: true };
  if (has(inputs.stored))
    return { question: qn, raw: inputs.stored[k], kind: 'stored', source: '.yo-rc.json', settled: true };
  if (has(inputs.presetDefaults)) {
    return {
      question: qn,
      raw: inputs.presetDefaults[k],
      kind: 'preset-default',
      source: `preset ${inputs.presetName ?? ''} default`.replace('  ', ' '),
      settled: false,
    };
  }
  const facts = memberFacts(inputs.facts, partial);
  const factKey = FACT_FOR[k];
  const fact = factKey ? (facts[factKey] as { value: unknown; source: string; guess?: string } | undefined) : undefined;
  const value = qn.default({ facts, layout: inputs.layout, partial, dirName: inputs.dirName });
  if (fact && value !== undefined && sameValue(value, fact.value)) {
    return fact.guess
      ? {
          question: qn,
          raw: value,
          kind: 'detected',
          source: `a guess from ${fact.source} (${fact.guess})`,
          settled: false,
          guess: fact.guess,
        }
      : { question: qn, raw: value, kind: 'detected', source: `detected from ${fact.source}`, settled: false };
  }
  return { question: qn, raw: value, kind: 'default', source: 'default', settled: false };
}

/** Parse one raw value for a question; errors name the flag and what is allowed. */
export function accept(qn: Question, raw: unknown, partial: Partial<Answers>): void {
  if (raw === undefined) {
    throw answerError(qn, `is required and could not be detected: pass --${qn.flag}${hintFor(qn, partial)}`);
  }
  try {
    (partial as Record<string, unknown>)[qn.key] = qn.parse(raw, partial);
  } catch (e) {
    if (e instanceof AnswerError) throw e;
    throw answerError(qn, (e as Error).message);
  }
}

function hintFor(qn: Question, partial: Partial<Answers>): string {
  if (qn.choices) return ` ${qn.choices(partial).join('|')}`;
  if (qn.key === 'start' && partial.runtime)
    return ` ${profileFor(partial.runtime).startExample(partial.name ?? 'app')}`;
  return '';
}

/**
 * Take a proposal (or a prompt answer) for one question. A start command that was not typed for
 * this run (detected, stored, default) follows the app name for compiled runtimes: Go's binary is
 * /app/<name>, so `--name api` must not leave a detected `/app/<module>` behind.
 */
export function settle(qn: Question, prop: Proposal, raw: unknown, partial: Partial<Answers>): void {
  let value = raw;
  if (
    qn.key === 'start' &&
    prop.kind !== 'flag' &&
    prop.kind !== 'preset-locked' &&
    partial.runtime &&
    partial.name &&
    Array.isArray(raw)
  ) {
    value = profileFor(partial.runtime).rebaseStart?.(raw as string[], partial.name) ?? raw;
  }
  accept(qn, value, partial);
}

/** Cross-field checks and fill-ins once every question has a value. */
export function finalize(partial: Partial<Answers>): Answers {
  const a = partial as Answers;
  const p = profileFor(a.runtime);
  const allowed = p.versions[a.flavor] ?? [];
  if (!allowed.includes(a.runtimeVersion)) {
    throw new AnswerError(
      'runtimeVersion',
      '--runtime-version',
      `${a.runtime} ${a.runtimeVersion} has no ${a.flavor} base image: allowed with --flavor ${a.flavor}: ${allowed.join(', ')}` +
        (p.flavors
          .filter((f) => f !== a.flavor && (p.versions[f] ?? []).includes(a.runtimeVersion))
          .map((f) => ` (or use --flavor ${f})`)
          .join('') || ''),
    );
  }
  const startErr = p.checkStart(a.start, a);
  if (startErr) throw new AnswerError('start', '--start', startErr);
  if (a.secretProvider === 'vault') {
    a.vaultPaths = { ...Object.fromEntries(a.secrets.map((s) => [s, `${a.name}/${s}`])), ...a.vaultPaths };
  }
  if (a.secretProvider === 'aws') {
    a.awsSecretIds = { ...Object.fromEntries(a.secrets.map((s) => [s, `${a.name}/${s}`])), ...a.awsSecretIds };
  }
  const clash = a.buildSecrets.find((s) => a.secrets.includes(s));
  if (clash)
    throw new AnswerError(
      'buildSecrets',
      '--build-secret',
      `${JSON.stringify(clash)} is also a runtime --secret: use distinct names so a build secret never reaches the running container`,
    );
  return a;
}

export interface QuestionStep {
  question: Question;
  proposal: Proposal;
  partial: Partial<Answers>;
}

export type Resolved = { answers: Answers; sources: Record<string, string> };

/**
 * The one walk over the question table, shared by every driver (prompts, --yes, upgrades, tests).
 * Yields each question that is not settled by a flag, a preset lock or .yo-rc.json, and takes the
 * raw answer sent back (undefined = take the proposal). Returns the validated answers and, for
 * each, where it came from.
 */
export function* walkQuestions(inputs: AnswerInputs): Generator<QuestionStep, Resolved, unknown> {
  const partial: Partial<Answers> = {};
  const sources: Record<string, string> = {};
  for (const qn of QUESTIONS) {
    if (!isRelevant(qn, partial, inputs.facts)) {
      const given = [inputs.locked, inputs.cli].find((r) => r?.[qn.key] !== undefined);
      if (qn.irrelevant !== undefined && given !== undefined) throw answerError(qn, qn.irrelevant);
      const neutral = neutralValue(qn.key);
      if (neutral !== undefined) (partial as Record<string, unknown>)[qn.key] = neutral;
      continue;
    }
    const prop = propose(qn, inputs, partial);
    let raw = prop.raw;
    let source = prop.source;
    if (!prop.settled && !applies(qn, partial)) {
      // not worth asking (e.g. the secret provider when no secret is named): its proposal, or its
      // neutral value when it has none; nobody chose it, so the plan does not list it
      if (raw === undefined) (partial as Record<string, unknown>)[qn.key] = neutralValue(qn.key);
      else settle(qn, prop, raw, partial);
      continue;
    }
    // nothing to build from (no manifest found, no flag): refuse before asking anything
    if (prop.raw === undefined && !prop.settled && qn.missing) throw missingAnswer(qn);
    if (!prop.settled) {
      const asked = yield { question: qn, proposal: prop, partial };
      if (asked !== undefined && !sameAnswer(qn, asked, prop.raw, partial)) {
        raw = asked;
        source = 'prompt';
      }
    }
    settle(qn, prop, raw, partial);
    const problem = qn.check?.(partial, inputs.facts);
    if (problem !== undefined) throw answerError(qn, problem);
    sources[qn.key] = source;
  }
  return { answers: finalize(partial), sources };
}

/**
 * Non-interactive resolution (the bin, `--yes`, upgrades, tests): every unsettled question takes
 * `asked[key]` or its proposal. Throws AnswerError naming the flag on the first invalid or missing answer.
 */
export function resolveAnswers(inputs: AnswerInputs, asked: RawAnswers = {}): Resolved {
  const walk = walkQuestions(inputs);
  let step = walk.next();
  while (!step.done) step = walk.next(asked[step.value.question.key]);
  return step.value;
}
