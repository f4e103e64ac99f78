// `secure-container init`: the fast, non-interactive path (no Yeoman environment is loaded).
// It shares detection, answers, rendering, the self-check and the safe-write rules with the
// Yeoman generator; only prompting differs (interactive runs hand over to the generator).
import { AnswerError } from '../core/types.js';
import { answerInputs, collectAnswers, gatherContext, generate, renderPlan, SelfCheckError } from '../init.js';
import { isStatePath } from '../state/index.js';
import { applyWrites, planWrites } from '../write.js';
import { parseInitArgs, renderHelp, UsageError } from './args.js';
import type { Io } from './io.js';
import { loadPresetInput } from './preset.js';

export const INIT_HELP_INTRO =
  'Detects the app in the current directory, asks what it could not detect (nothing with --yes),\n' +
  'prints a plan and writes Dockerfile, .dockerignore, compose.yaml, secret-provider files and\n' +
  'README.Docker.md. Answers are stored in .yo-rc.json; a re-run with the same answers changes nothing.';

export async function runInit(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseInitArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (args.help) {
    io.stdout(renderHelp('secure-container init [options]', INIT_HELP_INTRO));
    return 0;
  }
  if (!args.yes) {
    if (!io.interactive) return usage(io, 'no terminal to ask questions on: pass --yes to accept the detected answers (and flags for the rest)');
    const { runGeneratorInteractive } = await import('./interactive.js');
    return runGeneratorInteractive(argv, io);
  }
  try {
    const ctx = await gatherContext(io.cwd);
    const preset = args.preset ? await loadPresetInput(args.preset, ctx.root) : ctx.state?.preset ? await loadPresetInput(ctx.state.preset, ctx.root) : undefined;
    const { answers, sources } = await collectAnswers(answerInputs(ctx, args.answers, preset));
    const g = generate(ctx, answers, sources, preset);
    const plan = planWrites(ctx.root, [...g.files, ...g.stateFiles], ctx.state?.pristine ?? new Map(), { force: args.force, owned: isStatePath });
    io.stdout(renderPlan(g, plan.filter((p) => !isStatePath(p.file.path)).map((p) => ({ path: p.file.path, action: p.action, reason: p.reason }))));
    const conflicts = plan.filter((p) => p.action === 'conflict');
    if (conflicts.length) {
      io.stderr(
        `\nNothing was written: ${conflicts.map((c) => c.file.path).join(', ')} ${conflicts.length === 1 ? 'has' : 'have'} changes of yours.\n` +
          'Run `secure-container upgrade` to merge the new output into your edits, or pass --force to overwrite.\n',
      );
      return 1;
    }
    if (args.dryRun) {
      io.stdout('\n--dry-run: nothing written.\n');
      return 0;
    }
    applyWrites(ctx.root, plan);
    const changed = plan.filter((p) => p.action !== 'identical' && !isStatePath(p.file.path)).length;
    io.stdout(changed ? `\nWrote ${changed} file(s).\n` : '\nNothing changed.\n');
    return 0;
  } catch (e) {
    if (e instanceof AnswerError || e instanceof UsageError) return usage(io, e.message);
    if (e instanceof SelfCheckError) {
      io.stderr(`${e.message}\n`);
      return 3;
    }
    if (e instanceof Error && e.name === 'PresetError') return usage(io, e.message);
    throw e;
  }
}

function usage(io: Io, message: string): number {
  io.stderr(`secure-container: ${message}\nNothing was written.\n`);
  return 2;
}
