// `secure-container upgrade`: re-render with the stored answers (plus any changed by flags) and
// three-way merge into the user's files (lib/upgrade/run.ts).
import type { MergeStrategy } from '../merge/merge3.js';
import { runUpgrade } from '../upgrade/run.js';
import { parseInitArgs, renderHelp, UPGRADE_FLAGS, UsageError } from './args.js';
import type { Io } from './io.js';
import { escapeControl } from '../text/escape.js';

export const UPGRADE_HELP_INTRO =
  'Re-renders with the answers stored in .yo-rc.json (flags change them, e.g. --port 9090) and the\n' +
  'templates of this version, then three-way merges into your files: untouched files are replaced,\n' +
  'your edits are kept, true conflicts get conflict markers and a non-zero exit. Nothing is ever\n' +
  'overwritten silently.';

export async function runUpgradeCli(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseInitArgs(argv, UPGRADE_FLAGS);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`secure-container upgrade: ${escapeControl(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(renderHelp('secure-container upgrade [options]', UPGRADE_HELP_INTRO, UPGRADE_FLAGS));
    return 0;
  }
  return runUpgrade({
    root: io.cwd,
    argvAnswers: args.answers,
    dryRun: args.dryRun,
    check: args.check,
    ...(args.strategy ? { strategy: args.strategy as MergeStrategy } : {}),
    yes: false,
    ...(args.preset ? { preset: args.preset } : {}),
    trustPreset: args.trustPreset,
    io,
  });
}
