// `yo secure-container`: a thin Yeoman shell. Options and prompts come from the question table
// (lib/core/answers/schema.ts); detection, rendering, the self-check and the safe-write rules come
// from the core. No container knowledge lives here.
import Generator from 'yeoman-generator';
import { describeChoices, QUESTIONS, type Question } from '../../lib/core/answers/schema.js';
import type { RawAnswers } from '../../lib/core/answers/resolve.js';
import { AnswerError, type Answers } from '../../lib/core/types.js';
import { CONTROL_FLAGS } from '../../lib/cli/args.js';
import { loadRunPreset } from '../../lib/cli/preset.js';
import {
  answerInputs,
  collectAnswers,
  gatherContext,
  generate,
  type Asker,
  type Generation,
  type PresetInput,
  type RepoContext,
} from '../../lib/flow/generate.js';
import { digestsFor } from '../../lib/registry-client/flow.js';
import { renderInitPlan, renderNextSteps, wrapWords } from '../../lib/flow/plan-text.js';
import { EXIT_INTERRUPTED, isPromptAbort } from '../../lib/cli/interactive.js';
import { isStatePath, parseState, StateError, YO_RC } from '../../lib/state/index.js';
import { stateMessage } from '../../lib/cli/init.js';
import { escapeControl, escapeText } from '../../lib/text/escape.js';
import { isNoop, type UpgradePlan } from '../../lib/upgrade/plan.js';
import { renderUpgradePlan } from '../../lib/upgrade/render.js';
import { GENERATOR_VERSION } from '../../lib/core/version.js';
import {
  applyUpgrade,
  applyWrites,
  BACKUP_DIR,
  planRun,
  type PlannedWrite,
  type RunPlan,
} from '../../lib/flow/write.js';
import { readTextStrict, UnsafePathError } from '../../lib/fs/safe.js';
import { basename } from 'node:path';

/** Option values reach us as minimist gives them (string, string[], boolean); the question table parses them. */
const raw = (v: unknown): unknown => v;

/**
 * Yeoman's default determineAppname reads package.json through mem-fs (uncapped, through links);
 * our name comes from detection. Kept on a base class: Yeoman runs every own method of the
 * generator's class as a task.
 */
class RepoSafeGenerator extends Generator {
  override determineAppname(): string {
    return basename(this.destinationRoot());
  }
}

export default class SecureContainerGenerator extends RepoSafeGenerator {
  private ctx!: RepoContext;
  private preset: PresetInput | undefined;
  private generation!: Generation;
  /** first run: what to write (decided, shown and confirmed in prompting) */
  private firstRun: PlannedWrite[] | undefined;
  /** upgrade: the merge plan (shown and confirmed in prompting) */
  private upgrade: UpgradePlan | undefined;
  /** nothing more to do after prompting: declined, --dry-run, nothing changed, or Ctrl-C */
  private done = false;
  /** files the user changed, handed to Yeoman's conflict prompt (interactive runs only) */
  private handedToYeoman = 0;

  constructor(args: string[], options: Record<string, unknown>) {
    // the Yeoman base class types its options loosely; ours are validated by the question table
    // Yeoman's constructor reads .yo-rc.json through mem-fs (uncapped, through links): check it
    // first with our own rules, so a link to /dev/zero or to a file outside is refused, not read
    // (and parses it, with a stack trace on bad JSON): check it first
    const env = (options as { env?: { cwd?: string } }).env;
    const root = (options as { destinationRoot?: string }).destinationRoot ?? env?.cwd ?? process.cwd();
    preflightYoRc(root);
    super(args, options as ConstructorParameters<typeof Generator>[1]);
    this.setFeatures({
      // we install nothing: no "No change to package.json was detected" from the environment
      customInstallTask: true,
      // our files are written by lib/flow/write.ts (as `secure-container init`), not logged file by file
      customCommitTask: () => this._commit(),
    });
    for (const q of QUESTIONS) {
      const choices = q.choiceHelp
        ? ` (${Object.entries(q.choiceHelp)
            .map(([v, h]) => `${v}: ${h}`)
            .join('; ')})`
        : '';
      this.option(q.flag, { type: raw, description: `${q.message}${choices}. Default: ${q.defaultHelp}` });
    }
    for (const c of CONTROL_FLAGS) {
      if (c.flag === 'help' || c.flag === 'force') continue; // Yeoman defines --help and --force itself
      if (c.flag === 'format') continue; // the bin's machine-readable plan (init --yes); Yeoman runs are for people
      this.option(c.flag, {
        type: 'value' in c ? String : Boolean,
        description: c.help,
        ...('short' in c ? { alias: c.short } : {}),
      });
    }
    this.option('strategy', {
      type: String,
      description: 'upgrade: resolve every conflict with ours (your edits) or theirs (the new output)',
    });
  }

  // Helper methods start with "_": Yeoman runs every other method of a generator as a task.
  /** option values are untyped in Yeoman's BaseOptions; the question table validates them */
  private _opt(name: string): unknown {
    return (this.options as unknown as Record<string, unknown>)[name];
  }

  private _cliAnswers(): RawAnswers {
    const out: RawAnswers = {};
    for (const q of QUESTIONS) {
      const v = this._opt(q.flag);
      if (v !== undefined && v !== '')
        (out as Record<string, unknown>)[q.key] = v === false && q.key === 'build' ? null : v;
    }
    return out;
  }

  async initializing(): Promise<void> {
    try {
      this.ctx = await gatherContext(this.destinationRoot());
    } catch (e) {
      // corrupt .yo-rc.json or .secure-container/manifest.json: the same one line as `secure-container init`, no stack trace
      if (e instanceof StateError) throw stateFailure(e);
      // a linked directory or state file, a FIFO… (lib/fs/safe.ts): refused, one line, exit 2
      if (e instanceof UnsafePathError) throw cleanFailure(e.message, e.name);
      throw e;
    }
    // --preset is the user's choice; the recorded one is the repository's (untrusted: lib/preset/load.ts)
    try {
      this.preset = await loadRunPreset(
        this._opt('preset') as string | undefined,
        this.ctx.state?.preset,
        this.ctx.root,
        {
          trustPreset: this._opt('trust-preset') === true,
          warn: (w) => this.log(`warning: ${escapeControl(w)}`),
        },
      );
    } catch (e) {
      if (e instanceof Error && e.name === 'PresetError') throw cleanFailure(e.message, e.name, { multiline: true });
      throw e;
    }
  }

  /** The questions, then the plan, then "Write these files?" (--yes skips it). Nothing is written here. */
  async prompting(): Promise<void> {
    try {
      await this._ask();
    } catch (e) {
      // Ctrl-C at a question: one line, nothing written, 130 (never 1: that means "a changed file
      // would be overwritten"). The prompt adapter has already aborted the whole Yeoman run, and
      // `yo` would print the error again and exit 1: end here, as a shell does on SIGINT.
      if (isPromptAbort(e)) interrupted('aborted: nothing was written');
      // bad or missing answer (no app found, a flag out of range): one line, exit 2, nothing written,
      // exactly as `secure-container init`; not thrown, so Yeoman adds no "An error occured" banner
      if (e instanceof AnswerError) {
        process.stderr.write(`secure-container: ${escapeControl(e.message)}\nNothing was written.\n`);
        process.exitCode = 2;
        this.done = true;
        return;
      }
      throw e;
    }
  }

  private async _ask(): Promise<void> {
    const yes = this._opt('yes') === true;
    const advanced = this._opt('advanced') === true;
    const ask: Asker = async (q, proposal, partial) => {
      if (q.advanced && !advanced && proposal.raw !== undefined) return proposal.raw;
      // toPrompt builds an inquirer question object; Yeoman's PromptQuestion type is narrower than what inquirer accepts
      const answer = await this.prompt<Record<string, unknown>>([
        toPrompt(q, proposal.raw, partial, proposal.source),
      ] as never);
      return fromPrompt(q, answer[q.key]);
    };
    const { answers, sources } = await collectAnswers(
      answerInputs(this.ctx, this._cliAnswers(), this.preset),
      yes ? undefined : ask,
    );
    this.generation = generate(
      this.ctx,
      answers,
      sources,
      this.preset,
      await digestsFor(this.ctx, answers, this.preset),
    );
    const strategy = this._opt('strategy');
    const run = planRun(this.ctx.root, this.ctx.state, this.generation, {
      force: this._opt('force') === true,
      merge: true,
      version: GENERATOR_VERSION,
      ...(this.preset ? { preset: this.preset.ref } : {}),
      ...(strategy === 'ours' || strategy === 'theirs' ? { strategy } : {}),
    });
    const proceed = run.kind === 'upgrade' ? this._planUpgrade(run.upgrade) : this._planFirstRun(run);
    if (!proceed) {
      this.done = true;
      return;
    }
    if (yes) return;
    const message = this.ctx.state ? 'Apply these changes?' : 'Write these files?';
    const { confirmWrite } = await this.prompt<{ confirmWrite?: boolean }>([
      { type: 'confirm', name: 'confirmWrite', message, default: true },
    ]);
    if (confirmWrite === false) {
      this.log('Nothing was written.');
      this.done = true;
    }
  }

  /** First run: print the plan; false when there is nothing to write (or --dry-run). Throws when it must stop. */
  private _planFirstRun(run: RunPlan & { kind: 'init' }): boolean {
    const g = this.generation;
    const plan = run.writes;
    this.log(
      renderInitPlan(
        g,
        plan.map((p) => ({ path: p.file.path, action: p.action, reason: p.reason })),
        terminalWidth(),
      ).trimEnd(),
    );
    // a symlinked file is never handed to Yeoman: its conflict prompt would diff (show) the link's
    // target and its commit would write through the link (lib/fs/safe.ts has the rules)
    const links = plan.filter((p) => p.symlink && p.action === 'conflict');
    if (links.length) {
      throw new Error(
        `Nothing was written: ${links.map((c) => c.file.path).join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'} (not followed). ` +
          'Replace with a regular file (or remove), or pass --force to replace the link itself.',
      );
    }
    const conflicts = plan.filter((p) => p.action === 'conflict');
    if (conflicts.length && this._opt('yes') === true) {
      // non-interactive: never overwrite the user's changes; stop before anything is written
      throw new Error(
        `Nothing was written: ${conflicts.map((c) => escapeControl(c.file.path)).join(', ')} changed since generated (or not generated by us). ` +
          `Pass --force to write ours and keep yours under ${BACKUP_DIR}/ (nothing is lost), or move them away first.`,
      );
    }
    if (this._opt('dry-run') === true) {
      this.log('\n--dry-run: nothing written.');
      return false;
    }
    if (plan.every((p) => p.action === 'identical')) {
      this.log('\nNothing changed.');
      return false;
    }
    if (conflicts.length)
      this.log(
        `\n${conflicts.map((c) => escapeControl(c.file.path)).join(', ')}: changed by you; you will be asked about each (with a diff).`,
      );
    this.firstRun = plan;
    return true;
  }

  /**
   * A repository that already has generation state is upgraded, not overwritten: the new output is
   * three-way merged into the user's files (lib/upgrade), exactly as `secure-container upgrade`.
   */
  private _planUpgrade(plan: UpgradePlan): boolean {
    this.log(renderUpgradePlan(plan, { diffs: this._opt('dry-run') === true }).trimEnd());
    if (this._opt('dry-run') === true || isNoop(plan)) return false;
    this.upgrade = plan;
    return true;
  }

  writing(): void {
    if (this.done) return;
    if (this.upgrade) {
      // the merge already kept the user's edits (conflicts are marked in the file): written as the bin does
      applyUpgrade(this.ctx.root, this.upgrade);
      if (this.upgrade.conflicts > 0 && this._opt('yes') === true) {
        process.exitCode = 1;
        this.log(`${this.upgrade.conflicts} conflict(s) marked in the files above: resolve them, then run again.`);
      }
      return;
    }
    const plan = this.firstRun ?? [];
    // new files, files unchanged since we generated them, our state, --force: written all or nothing,
    // with the same safe-write rules as `secure-container init` (and not logged a second time)
    applyWrites(
      this.ctx.root,
      plan.filter((p) => p.action !== 'conflict'),
    );
    // a file the user changed goes through Yeoman's conflict prompt (with a diff); interactive only
    for (const p of plan.filter((x) => x.action === 'conflict')) {
      this.fs.write(this.destinationPath(p.file.path), p.file.contents);
      this.handedToYeoman++;
    }
  }

  end(): void {
    if (this.done || !this.firstRun) return;
    const written = this.firstRun.filter(
      (p) => !isStatePath(p.file.path) && (p.action === 'create' || p.action === 'update' || p.action === 'overwrite'),
    ).length;
    this.log(
      `\nWrote ${written} file(s)${this.handedToYeoman ? ` (and the ${this.handedToYeoman} you were asked about, as you chose)` : ''}.\n`,
    );
    this.log(renderNextSteps(this.generation).trimEnd());
  }

  /**
   * The environment's commit step: everything of ours is already on disk (writing()); only the
   * files the user changed are in Yeoman's memory fs, committed through its conflicter (which asks,
   * with a diff). Ctrl-C there ends the run like Ctrl-C at a question.
   */
  private async _commit(): Promise<void> {
    const store = this.env.sharedFs as unknown as { all(): { state?: string }[] };
    if (!store.all().some((f) => f.state === 'modified' || f.state === 'deleted')) return;
    const { commitSharedFsTask } = await import('yeoman-environment');
    try {
      await commitSharedFsTask(this.env);
    } catch (e) {
      if (!isPromptAbort(e)) throw e;
      interrupted('aborted: the files not answered for yet were left as they were');
    }
  }
}

/**
 * The error a corrupt state file ends the run with: one clear line (which file, what to do), exit
 * code 2 like `secure-container init`/`upgrade`, and no stack trace where `yo` prints the error's stack.
 */
function stateFailure(e: StateError): Error {
  return cleanFailure(stateMessage(e), 'StateError');
}

/** One line (or our own multi-line list, values escaped where it was built), exit 2, no stack trace. */
function cleanFailure(text: string, name: string, opts: { multiline?: boolean } = {}): Error {
  const message = `${opts.multiline ? escapeText(text) : escapeControl(text)}. Nothing was written.`;
  const clean = new Error(message);
  clean.name = name;
  clean.stack = `secure-container: ${message}`;
  // `yo` exits with error.code (else 1); `secure-container init` reads it too
  Object.assign(clean, { code: 2 });
  process.exitCode = 2;
  return clean;
}

/** Ctrl-C at a prompt: say so on one line and end the process with 130 (see prompting()). */
function interrupted(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(EXIT_INTERRUPTED);
}

/** The terminal's width, for wrapping the plan and the prompts at word boundaries (none when not a terminal). */
function terminalWidth(): { width?: number } {
  return process.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {};
}

/** .yo-rc.json as `secure-container init` checks it (valid JSON, our entry well-formed): a StateError becomes stateFailure. */
function preflightYoRc(root: string): void {
  try {
    parseState((p) => (p === YO_RC ? readTextStrict(root, p) : undefined), { lenient: true });
  } catch (e) {
    if (e instanceof StateError) throw stateFailure(e);
    if (e instanceof UnsafePathError) throw cleanFailure(e.message, e.name);
    throw e;
  }
}

function toPrompt(q: Question, def: unknown, partial: Partial<Answers>, source: string): Record<string, unknown> {
  // the source quotes repository content: control characters are shown, not sent to the terminal.
  // inquirer breaks lines longer than the terminal anywhere, even inside a word: wrap at spaces first,
  // keeping room on the last line for the default it shows after the message
  const shown = displayDefault(q, def) ?? '';
  const width = (process.stdout.isTTY && process.stdout.columns) || 80;
  const text = `${q.message}${source === 'default' ? '' : ` [${escapeControl(source)}]`}`;
  const message = wrapWords(text, Math.max(20, width - 4 - Math.min(30, shown.length + 3)), '').join('\n');
  const validate = (input: unknown): true | string => {
    try {
      q.parse(fromPrompt(q, input), partial);
      return true;
    } catch (e) {
      return `--${q.flag}: ${(e as Error).message}`;
    }
  };
  // each choice with its one-line explanation (scratch: static binaries only); the answer shows the value
  const picked = Array.isArray(def) ? (def as unknown[]) : [];
  const choices = (values: readonly string[]) =>
    describeChoices(q, values).map((c) => ({
      name: c.label,
      value: c.value,
      short: c.value,
      ...(q.kind === 'list' ? { checked: picked.includes(c.value) } : {}),
    }));
  if (q.kind === 'choice' && q.choices) {
    return { type: 'select', name: q.key, message, choices: choices(q.choices(partial)), default: def };
  }
  if (q.kind === 'boolean') return { type: 'confirm', name: q.key, message, default: def === true };
  if (q.key === 'services') {
    return { type: 'checkbox', name: q.key, message, choices: choices(q.choices?.(partial) ?? []), default: def };
  }
  return { type: 'input', name: q.key, message, default: displayDefault(q, def), validate };
}

function displayDefault(q: Question, def: unknown): string | undefined {
  if (def === undefined) return undefined;
  if (def === null) return '';
  if (Array.isArray(def)) {
    return q.kind === 'list'
      ? def.join(',')
      : def.map((t) => (/\s/.test(String(t)) ? `"${String(t)}"` : String(t))).join(' ');
  }
  if (typeof def === 'object')
    return Object.entries(def as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- unknown narrowed to {}: only scalars (JSON/YAML/CLI data) get here
  return String(def);
}

function fromPrompt(q: Question, v: unknown): unknown {
  if (q.kind === 'argv-or-none' && (v === '' || v === undefined)) return null;
  if ((q.kind === 'list' || q.kind === 'map') && v === '') return [];
  return v;
}
