// `secure-container init`: the fast, non-interactive path (no Yeoman environment is loaded).
// It shares detection, answers, rendering, the self-check and the safe-write rules with the
// Yeoman generator; only prompting differs (interactive runs hand over to the generator).
import { AnswerError } from '../core/types.js';
import { CLI_COMMAND, GENERATOR_VERSION } from '../core/version.js';
import { UnsafePathError } from '../fs/safe.js';
import { answerInputs, collectAnswers, gatherContext, generate, SelfCheckError } from '../flow/generate.js';
import { digestsFor } from '../registry-client/flow.js';
import { planJson, renderInitPlan, renderNextSteps } from '../flow/plan-text.js';
import { isStatePath, StateError } from '../state/index.js';
import { escapeControl, escapeText } from '../text/escape.js';
import { applyWrites, BACKUP_DIR, planRun } from '../flow/write.js';
import { parseInitArgs, renderHelp, UsageError } from './args.js';
import type { Io } from './io.js';
import { loadRunPreset } from './preset.js';

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
  if (!args.yes && args.format === 'json')
    return usage(io, '--format json never asks: pass --yes (and flags for the rest)');
  if (!args.yes) {
    if (!io.interactive)
      return usage(
        io,
        'no terminal to ask questions on: pass --yes to accept the detected answers (and flags for the rest)',
      );
    const { runGeneratorInteractive } = await import('./interactive.js');
    return runGeneratorInteractive(argv, io);
  }
  // detection's notes explain a missing answer (e.g. why no start command was proposed)
  let detectNotes: readonly string[] = [];
  try {
    const ctx = await gatherContext(io.cwd);
    detectNotes = ctx.facts.notes ?? [];
    // --preset is the user's choice; the recorded one is the repository's (untrusted: lib/preset/load.ts)
    const preset = await loadRunPreset(args.preset, ctx.state?.preset, ctx.root, {
      trustPreset: args.trustPreset,
      warn: (w) => {
        io.stderr(`warning: ${escapeControl(w)}\n`);
      },
    });
    const { answers, sources } = await collectAnswers(answerInputs(ctx, args.answers, preset));
    const g = generate(ctx, answers, sources, preset, await digestsFor(ctx, answers, preset));
    const run = planRun(ctx.root, ctx.state, g, { force: args.force, merge: false, version: GENERATOR_VERSION });
    const plan = run.kind === 'init' ? run.writes : [];
    const actions = plan.map((p) => ({ path: p.file.path, action: p.action, reason: p.reason }));
    const json = args.format === 'json';
    if (!json) io.stdout(renderInitPlan(g, actions, io.columns ? { width: io.columns } : {}));
    const links = plan.filter((p) => p.action === 'conflict' && p.symlink);
    if (json && (links.length || plan.some((p) => p.action === 'conflict')))
      io.stdout(planJson(g, ctx.facts, actions, false));
    if (links.length) {
      io.stderr(
        `\nNothing was written: ${links.map((c) => c.file.path).join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}, never followed.\n` +
          'Replace with a regular file (or remove), or pass --force to replace the link itself (its target is left untouched).\n',
      );
      return 1;
    }
    const conflicts = plan.filter((p) => p.action === 'conflict');
    if (conflicts.length) {
      io.stderr(
        `\nNothing was written: ${conflicts.map((c) => escapeControl(c.file.path)).join(', ')} ${conflicts.length === 1 ? 'has' : 'have'} changes of yours.\n` +
          (ctx.state
            ? `Run \`${CLI_COMMAND} upgrade\` to merge the new output into your edits, or pass --force to overwrite (yours are kept under ${BACKUP_DIR}/).\n`
            : `Pass --force to write ours and keep yours under ${BACKUP_DIR}/ (nothing is lost; compare with \`diff -ru ${BACKUP_DIR} .\`), or move them away first.\n`),
      );
      return 1;
    }
    if (args.dryRun) {
      io.stdout(json ? planJson(g, ctx.facts, actions, false) : '\n--dry-run: nothing written.\n');
      return 0;
    }
    applyWrites(ctx.root, plan);
    if (json) {
      io.stdout(planJson(g, ctx.facts, actions, true));
      return 0;
    }
    const changed = plan.filter((p) => p.action !== 'identical' && !isStatePath(p.file.path)).length;
    io.stdout(changed ? `\nWrote ${changed} file(s).\n\n${renderNextSteps(g)}` : '\nNothing changed.\n');
    return 0;
  } catch (e) {
    if (e instanceof AnswerError) return usage(io, e.message, /is required/.test(e.message) ? detectNotes : []);
    if (e instanceof UsageError) return usage(io, e.message);
    if (e instanceof SelfCheckError) {
      io.stderr(`${escapeText(e.message)}\n`);
      return 3;
    }
    // a preset error lists one problem a line; its values are escaped where it is built (lib/preset)
    if (e instanceof Error && e.name === 'PresetError') return usage(io, e.message, [], { multiline: true });
    // corrupt .yo-rc.json or .secure-container/manifest.json: one line naming the file, exit 2 (as upgrade)
    if (e instanceof StateError) return usage(io, stateMessage(e));
    // a linked directory, a symlinked state file, a FIFO…: refused before anything is written (lib/fs/safe.ts)
    if (e instanceof UnsafePathError) return usage(io, e.message);
    throw e;
  }
}

function usage(io: Io, message: string, notes: readonly string[] = [], opts: { multiline?: boolean } = {}): number {
  // messages quote flags' values and repository content: control characters are shown, not sent
  const shown = opts.multiline ? escapeText(message) : escapeControl(message);
  io.stderr(
    `secure-container: ${shown}\n${notes.map((n) => `  note: ${escapeControl(n)}\n`).join('')}Nothing was written.\n`,
  );
  return 2;
}

/** A StateError's message (it names the file) with what to do when it does not already say. */
export function stateMessage(e: StateError): string {
  return /restore|run /.test(e.message) ? e.message : `${e.message}: fix it, or restore it from version control`;
}
