// The generation flow shared by `secure-container init` (fast, no Yeoman) and the Yeoman
// generator: detect -> answers -> layout -> files -> self-check -> state. Pure apart from
// `gatherContext` (reads the repo) — writing is the caller's job: both front ends write through
// lib/write.ts (the Yeoman generator hands only files the user changed to Yeoman's conflict prompt).
import { basename, resolve as resolvePath } from 'node:path';
import {
  walkQuestions,
  type AnswerInputs,
  type Proposal,
  type RawAnswers,
  type Resolved,
} from './core/answers/resolve.js';
import { isLoopback } from './core/answers/parse.js';
import { QUESTIONS, type Question } from './core/answers/schema.js';
import { profileFor, profiles } from './runtimes/index.js';
import type { Answers, ContainerSpec, Finding, GeneratedFile, ProjectLayout } from './core/types.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from './core/version.js';
import { SERVICE_DEFS } from './render/providers/catalog.js';
import { secretsPlan } from './render/providers/plan.js';
import { describeFacts, detectRepo } from './detect/index.js';
import type { DetectedFacts } from './detect/model.js';
import { buildFiles, type BuildOptions } from './pipeline.js';
import { buildState, isStatePath, parseState, STATE_DIR, YO_RC, type State } from './state/index.js';
import { walkTree } from './fs/walk.js';
import {
  contextPruner,
  dockerignoreAfterWrite,
  scanBuildContext,
  SecretInContextError,
  type ContextListing,
} from './policy/context.js';
import { escapeControl } from './text/escape.js';
import { entryKind, readTextLenient, readTextStrict } from './fs/safe.js';

export interface RepoContext {
  root: string;
  facts: DetectedFacts;
  state: State | null;
  yoRcText?: string;
  /** what the runtimes' layouts need from the files (requirements pin hashes, yarn berry): read here so the rest stays pure */
  layoutHints: Partial<ProjectLayout>;
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
  // every runtime's hints, not only the detected one's: --runtime may choose another
  const peek = {
    readText: (p: string) => readTextLenient(abs, p),
    exists: (p: string) => entryKind(abs, p) !== 'absent',
  };
  const layoutHints = Object.assign(
    {},
    ...profiles().map((p) => p.layoutHints?.(facts, peek) ?? {}),
  ) as Partial<ProjectLayout>;
  const dockerignore = readTextLenient(abs, '.dockerignore');
  const buildContext: ContextListing = {
    ...walkTree(abs, { prune: contextPruner() }),
    ...(dockerignore !== undefined ? { dockerignore } : {}),
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
  while (!step.done)
    step = walk.next(ask ? await ask(step.value.question, step.value.proposal, step.value.partial) : undefined);
  return step.value;
}

/**
 * `init --format json`: what the plan text shows, as data for users and tools that check detection
 * (every fact with its source: "file:line: excerpt" where detection read a line). Values are
 * JSON-escaped by JSON itself; nothing here is a secret value (answers hold secret names only).
 */
export function planJson(g: Generation, facts: DetectedFacts, actions: PlanAction[], written: boolean): string {
  const { notes, ...rest } = facts;
  const answers = Object.fromEntries(
    QUESTIONS.filter((q) => g.sources[q.key] !== undefined).map((q) => [
      q.key,
      { flag: `--${q.flag}`, value: g.answers[q.key], source: g.sources[q.key] },
    ]),
  );
  return (
    JSON.stringify(
      {
        generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
        facts: rest,
        notes: notes ?? [],
        answers,
        layout: g.layout,
        files: actions.map((a) => ({ path: a.path, action: a.action, reason: a.reason })),
        warnings: g.findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, message: f.message })),
        written,
      },
      null,
      2,
    ) + '\n'
  );
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
): Generation {
  const layout = profileFor(answers.runtime).layout(ctx.facts, answers, ctx.layoutHints);
  const { spec, files, findings } = buildFiles(answers, layout, preset?.build ?? {});
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
  const existing = withLayout(ctx.yoRcText, layout);
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

export interface PlanAction {
  path: string;
  action: string;
  reason: string;
}

export interface PlanOptions {
  /** terminal width: long lines wrap at word boundaries (never inside a word); undefined = no wrapping */
  width?: number;
}

/**
 * Wrap one line at spaces to `width` columns, continuation lines indented by `indent`. A word
 * longer than the width stays whole on its own line (a terminal would break it anywhere).
 */
export function wrapWords(line: string, width: number | undefined, indent: string): string[] {
  if (!width || width < 20 || line.length <= width) return [line];
  const lead = line.slice(0, line.length - line.trimStart().length);
  const words = line.slice(lead.length).split(' ');
  const out: string[] = [];
  let cur = lead;
  let fresh = true;
  for (const w of words) {
    if (!fresh && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = indent + w;
    } else {
      cur = fresh ? cur + w : `${cur} ${w}`;
    }
    fresh = false;
  }
  out.push(cur);
  return out;
}

/** The generator's own bookkeeping (.yo-rc.json, .secure-container/) as one plan line. */
function stateLine(state: PlanAction[]): string | undefined {
  if (state.length === 0) return undefined;
  const inDir = state.filter((a) => a.path !== YO_RC).length;
  const names = [
    ...(state.some((a) => a.path === YO_RC) ? [YO_RC] : []),
    ...(inDir ? [`${STATE_DIR}/ (${inDir} file${inDir === 1 ? '' : 's'})`] : []),
  ];
  const actions = new Set(state.map((a) => a.action));
  const action = actions.size === 1 ? (state[0]?.action ?? 'update') : 'update';
  return `  ${action.padEnd(9)} generator state: ${names.join(', ')}`;
}

/**
 * The plan printed before writing: every fact with its source, every answer with its source, each
 * user-facing file once (create / identical / update / conflict) and the generator's state as one line.
 */
export function renderInitPlan(g: Generation, actions: PlanAction[], opts: PlanOptions = {}): string {
  // every value below can come from the repository or the user: control characters are shown, not sent (lib/text/escape.ts)
  const e = escapeControl;
  const lines: string[] = [`${GENERATOR_NAME} ${GENERATOR_VERSION}`, '', 'Detected:'];
  const push = (line: string, indent: string): void => {
    lines.push(...wrapWords(line, opts.width, indent));
  };
  if (g.factLines.length) for (const l of g.factLines) push(`  ${e(l)}`, '      ');
  else lines.push('  nothing (no package.json, pyproject.toml, requirements.txt or go.mod)');
  lines.push('', 'Answers:');
  const w = Math.max(...QUESTIONS.map((q) => q.flag.length));
  for (const q of QUESTIONS) {
    const src = g.sources[q.key];
    if (!src) continue;
    // JSON.stringify gives undefined for undefined (its declared type says string)
    const shown = JSON.stringify(g.answers[q.key]) as string | undefined;
    push(`  --${q.flag.padEnd(w)}  ${e(shown ?? 'undefined')}  (${e(src)})`, ' '.repeat(w + 6));
  }
  lines.push('', 'Files:');
  for (const a of actions.filter((x) => !isStatePath(x.path))) {
    push(
      `  ${e(a.action).padEnd(9)} ${e(a.path)}${a.action === 'identical' ? '' : `  (${e(a.reason)})`}`,
      '            ',
    );
  }
  const state = stateLine(actions.filter((x) => isStatePath(x.path)));
  if (state) push(state, '            ');
  if (!isLoopback(g.answers.bind)) {
    push(`WARNING: the app port is published on ${e(g.answers.bind)}, not only on loopback (P9, CIS 5.14)`, '  ');
  }
  if (g.findings.length) {
    lines.push('', 'Warnings from the self-check:');
    for (const f of g.findings)
      push(`  ${e(f.rule)} ${e(f.file)}${f.line > 0 ? `:${f.line}` : ''} ${e(f.message)}`, '    ');
  }
  return lines.join('\n') + '\n';
}

/**
 * What to run once the files are written: create the local secret files (only when there are
 * some), build tagged with the git commit (as README.Docker.md, which has the full command with
 * the provenance labels), start. The same text after `yo secure-container` and `init --yes`.
 */
export function renderNextSteps(g: Generation): string {
  const spec = g.spec;
  const plan = secretsPlan(spec);
  // each step: its title, then lines shown under it (commands indented two more)
  const steps: { title: string; lines: string[] }[] = [];
  const cmd = (c: string): string => `  ${c}`;
  if (plan.files.length > 0) {
    const servicePasswords = new Set(spec.services.map((s) => SERVICE_DEFS[s].passwordSecret));
    const typed = plan.files.filter((f) => !servicePasswords.has(f.name));
    const random = plan.files.filter((f) => servicePasswords.has(f.name));
    steps.push({
      title: 'Create the secret files (each value is typed, never echoed; secrets/README.md explains):',
      lines: [
        cmd('umask 077'),
        ...typed.map((f) => cmd(`( IFS= read -rs v && printf '%s' "$v" > secrets/${f.name} )`)),
        ...random.map((f) => cmd(`openssl rand -hex 32 | tr -d '\\n' > secrets/${f.name}`)),
        'Let the container user read them (Linux with ACLs; other hosts: secrets/README.md):',
        ...plan.files.map((f) => cmd(`setfacl -m ${f.readers.map((r) => `u:${r.uid}:r`).join(',')} secrets/${f.name}`)),
      ],
    });
  }
  if (plan.fetched.length > 0) {
    const where = plan.provider === 'vault' ? 'Vault' : 'AWS Secrets Manager';
    steps.push({
      title: `Store the values of ${plan.fetched.map((f) => f.name).join(', ')} in ${where} (README.Docker.md, "Secrets").`,
      lines: [],
    });
  }
  // the same tags as README.Docker.md's build command (the commit's short SHA, and the image compose runs)
  const tags = `-t ${spec.name}:"$(git rev-parse --short HEAD)" -t ${spec.image} .`;
  steps.push({
    title: 'Build, tagged with the git commit:',
    lines: [
      ...(plan.build.length
        ? [
            cmd('docker build \\'),
            ...plan.build.map((b) => cmd(`  --secret id=${b.name},env=${b.hostEnv} \\`)),
            cmd(`  ${tags}`),
          ]
        : [cmd(`docker build ${tags}`)]),
      '(README.Docker.md has the same command with the OCI provenance labels)',
    ],
  });
  steps.push({ title: 'Start:', lines: [cmd('docker compose up -d')] });
  const out = ['Next steps:'];
  steps.forEach((s, i) => out.push(`  ${i + 1}. ${s.title}`, ...s.lines.map((l) => `     ${l}`)));
  return out.join('\n') + '\n';
}
