// The one generation flow, shared by `secure-container init` (fast, no Yeoman), the Yeoman
// generator and `upgrade`: detect -> answers -> layout -> spec -> outputs -> self-check -> state.
// Pure apart from `gatherContext` (reads the repo); writing is lib/flow/write.ts's job.
import { basename, resolve as resolvePath } from 'node:path';
import {
  walkQuestions,
  type AnswerInputs,
  type Proposal,
  type RawAnswers,
  type Resolved,
} from '../core/answers/resolve.js';
import { isLoopback } from '../core/answers/parse.js';
import { type Question } from '../core/answers/schema.js';
import { profileFor } from '../runtimes/index.js';
import {
  AnswerError,
  type Answers,
  type ContainerSpec,
  type Finding,
  type GeneratedFile,
  type ProjectLayout,
  type Runtime,
} from '../core/types.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../core/version.js';
import { describeFacts, detectRepo } from '../detect/index.js';
import type { DetectedFacts } from '../detect/model.js';
import { buildSpec, type SpecOptions } from '../spec/build.js';
import { renderFiles } from '../outputs/index.js';
import { auditGenerated, type PolicyConfig } from '../policy/index.js';
import { buildState, parseState, type State } from '../state/index.js';
import { walkTree } from '../fs/walk.js';
import {
  codeOnlySecretDirs,
  contextPruner,
  dockerignoreAfterWrite,
  scanBuildContext,
  TOKEN_CONFIG_FILES,
  tokensIn,
  SecretInContextError,
  type ContextListing,
} from '../policy/context.js';
import { entryKind, readTextLenient, readTextStrict } from '../fs/safe.js';
import { checkPresetContent } from '../preset/extend.js';
import { withPresetRelease } from '../preset/release.js';
import type { DigestMap } from '../core/registry.js';
import { withDigests } from '../registry-client/state.js';

export interface RepoContext {
  root: string;
  facts: DetectedFacts;
  state: State | null;
  yoRcText?: string;
  /** what the runtimes' layouts need from the files (requirements pin hashes, yarn berry): read here so the rest stays pure */
  /** what a runtime's layout needs from the files (requirements pin hashes, yarn berry, vendored Go): read on first use, once */
  layoutHints(runtime: Runtime): Partial<ProjectLayout>;
  /** the repository's files as the build context sees them, for the self-check's secret scan (P4) */
  buildContext?: ContextListing;
}

/** The only I/O before rendering: detection plus the recorded state. */
export async function gatherContext(root: string): Promise<RepoContext> {
  const abs = resolvePath(root);
  const facts = await detectRepo(abs);
  // state files must be safe to read (a symlink or linked directory is refused: UnsafePathError)
  const read = (p: string): string | undefined => readTextStrict(abs, p);
  const state = parseState(read, { lenient: true });
  const yoRcText = read('.yo-rc.json');
  // the hints of the runtime the answers choose (--runtime may differ from the detected one), once each
  const peek = {
    readText: (p: string) => readTextLenient(abs, p),
    exists: (p: string) => entryKind(abs, p) !== 'absent',
  };
  const hints = new Map<Runtime, Partial<ProjectLayout>>();
  const layoutHints = (runtime: Runtime): Partial<ProjectLayout> => {
    let h = hints.get(runtime);
    if (!h) hints.set(runtime, (h = profileFor(runtime).layoutHints?.(facts, peek) ?? {}));
    return h;
  };
  const dockerignore = readTextLenient(abs, '.dockerignore');
  const listing = walkTree(abs, { prune: contextPruner() });
  // config files an install copies by name, read for literal registry credentials (capped: 50 files)
  const tokens = listing.files
    .filter((f) => Object.hasOwn(TOKEN_CONFIG_FILES, f.slice(f.lastIndexOf('/') + 1)))
    .slice(0, 50)
    .flatMap((f) => tokensIn(f, readTextLenient(abs, f) ?? ''));
  const buildContext: ContextListing = {
    ...listing,
    ...(dockerignore !== undefined ? { dockerignore } : {}),
    ...(tokens.length ? { tokens } : {}),
  };
  return { root: abs, facts, state, ...(yoRcText !== undefined ? { yoRcText } : {}), layoutHints, buildContext };
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
    ...(ctx.state ? { stored: ctx.state.answers } : {}),
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
  while (!step.done) {
    const { question, proposal, partial } = step.value;
    // --yes never takes a guess silently: the flag confirms it (or gives the right value)
    if (!ask && proposal.guess !== undefined) throw guessRefused(question, proposal);
    step = walk.next(ask ? await ask(question, proposal, partial) : undefined);
  }
  return step.value;
}

function guessRefused(q: Question, p: Proposal): AnswerError {
  const shown = Array.isArray(p.raw) ? (p.raw as unknown[]).map(String).join(' ') : JSON.stringify(p.raw);
  return new AnswerError(
    q.key,
    `--${q.flag}`,
    `${JSON.stringify(shown)} is only a guess (${p.guess ?? ''}): pass --${q.flag} to confirm it or to give the right value`,
  );
}

export interface BuildOptions extends SpecOptions {
  policy?: PolicyConfig;
}

export interface BuildResult {
  spec: ContainerSpec;
  files: GeneratedFile[];
  /** the audit's findings on the generated files (the self-check); errors here are bugs */
  findings: Finding[];
}

/** answers + layout -> spec -> outputs -> self-check. Pure. */
export function buildFiles(answers: Answers, layout: ProjectLayout, opts: BuildOptions = {}): BuildResult {
  const spec = buildSpec(answers, layout, opts);
  const files = renderFiles(spec);
  const findings = auditGenerated(files, opts.policy);
  return { spec, files, findings };
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
  /** the spec the files were rendered from (the next steps read the image name and the secrets) */
  spec: ContainerSpec;
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
const CHOICE_RULES: Partial<Record<string, (a: Answers) => boolean>> = {
  // --bind 0.0.0.0 / :: publishes the app port on every host interface (P9, CIS 5.14)
  SC2009: (a) => !isLoopback(a.bind),
};

export function generate(
  ctx: RepoContext,
  answers: Answers,
  sources: Record<string, string>,
  preset?: PresetInput,
  /** --pin-digests: resolved before (lib/registry-client/flow.ts digestsFor); recorded in .yo-rc.json */
  digests?: DigestMap,
): Generation {
  const base = profileFor(answers.runtime).layout(ctx.facts, answers, ctx.layoutHints(answers.runtime));
  // code in a package named secrets/credentials stays in the build context (by its plain path)
  const codeDirs = ctx.buildContext ? codeOnlySecretDirs(ctx.buildContext, answers.runtime) : [];
  const layout: ProjectLayout = codeDirs.length ? { ...base, codeDirs } : base;
  const { spec, files, findings } = buildFiles(answers, layout, {
    ...(preset?.build ?? {}),
    ...(digests ? { digests } : {}),
  });
  // what a team preset added is refused with its field and rule, before any finding counts as a bug
  checkPresetContent(spec, files, preset?.build.policy);
  const byChoice = (f: Finding): boolean => CHOICE_RULES[f.rule]?.(answers) === true;
  const bugs = findings.filter((f) => f.severity === 'error' && !byChoice(f));
  if (bugs.length) throw new SelfCheckError(bugs);
  // P4: no secret-looking file of the repository may pass the .dockerignore that will be on disk
  findings.push(...scanContext(ctx, files, answers));
  const secrets = findings.filter((f) => f.severity === 'error' && !byChoice(f));
  if (secrets.length) throw new SecretInContextError(secrets);
  const warnings = findings
    .filter((f) => f.severity !== 'info')
    .map((f) => (f.severity === 'error' ? { ...f, severity: 'warning' as const } : f));
  // the layout is recorded next to the answers, so a reader of .yo-rc.json sees what the files were made from
  const existing = withDigests(withPresetRelease(withLayout(ctx.yoRcText, layout), spec.preset), spec.digests);
  const stateFiles = buildState(answers, GENERATOR_VERSION, files, preset?.ref, { existingYoRc: existing });
  return { answers, sources, layout, files, stateFiles, findings: warnings, factLines: describeFacts(ctx.facts), spec };
}

function scanContext(ctx: RepoContext, files: readonly GeneratedFile[], answers: Answers): Finding[] {
  const generated = files.find((f) => f.path === '.dockerignore')?.contents;
  if (!ctx.buildContext || generated === undefined) return [];
  const text = dockerignoreAfterWrite(
    generated,
    ctx.buildContext.dockerignore,
    ctx.state?.pristine.get('.dockerignore'),
    ctx.state !== null,
  );
  return scanBuildContext(ctx.buildContext, text, answers.runtime);
}

function withLayout(yoRcText: string | undefined, layout: ProjectLayout): string {
  let obj: Record<string, unknown> = {};
  try {
    const parsed: unknown = yoRcText ? JSON.parse(yoRcText) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) obj = parsed as Record<string, unknown>;
  } catch {
    obj = {};
  }
  const ours = (obj[GENERATOR_NAME] && typeof obj[GENERATOR_NAME] === 'object' ? obj[GENERATOR_NAME] : {}) as Record<
    string,
    unknown
  >;
  return JSON.stringify({ ...obj, [GENERATOR_NAME]: { ...ours, layout } });
}
