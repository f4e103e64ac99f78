// `secure-container upgrade`: re-render with the stored answers (plus any changed by flags) and
// three-way merge into the user's files (lib/upgrade/run.ts).
import type { MergeStrategy } from '../merge/merge3.js';
import { runUpgrade } from '../upgrade/run.js';
import { parseInitArgs, renderHelp, UPGRADE_FLAGS, UsageError, type ControlFlag } from './args.js';
import type { Io } from './io.js';
import { escapeControl } from '../text/escape.js';

export const UPGRADE_HELP_INTRO =
  'Re-renders with the answers stored in .yo-rc.json (flags change them, e.g. --port 9090) and the\n' +
  'templates of this version, then three-way merges into your files: untouched files are replaced,\n' +
  'your edits are kept, true conflicts get conflict markers and a non-zero exit. Nothing is ever\n' +
  'overwritten silently.';

/** --format for --check: json is the fleet report (docs/upgrade.md, "Fleet check"). */
const FORMAT_FLAG: ControlFlag = {
  flag: 'format',
  value: true,
  valueName: '<text|json>',
  valueHelp: 'text or json',
  help: 'json (drift check only): one report with the generator and preset versions, drift per file and audit counts, for a fleet dashboard',
};

export async function runUpgradeCli(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseInitArgs(argv, [...UPGRADE_FLAGS, FORMAT_FLAG]);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`secure-container upgrade: ${escapeControl(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(renderHelp('secure-container upgrade [options]', UPGRADE_HELP_INTRO, [...UPGRADE_FLAGS, FORMAT_FLAG]));
    return 0;
  }
  if (args.format === 'json' && !args.check) {
    io.stderr(
      'secure-container upgrade: --format json needs --check (the fleet report); an upgrade prints its plan as text\n',
    );
    return 2;
  }
  return runUpgrade({
    root: io.cwd,
    argvAnswers: args.answers,
    dryRun: args.dryRun,
    check: args.check,
    format: args.format,
    ...(args.strategy ? { strategy: args.strategy as MergeStrategy } : {}),
    yes: false,
    ...(args.preset ? { preset: args.preset } : {}),
    trustPreset: args.trustPreset,
    io,
  });
}
