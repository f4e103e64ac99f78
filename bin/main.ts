// The CLI's dispatcher. `npm run build` compiles it to dist/bin/main.js and bundles that into
// dist/bin/secure-container.js (see scripts/bundle.mjs); the package's bin, dist/bin/secure-container.cjs
// (bin/launch.ts), runs `audit` itself and every other command through this file.
// secure-container: the package's own bin (runs without `yo`: in CI, with npx, as root).
// Subcommands load lazily so each pays only for what it uses.
import type * as AuditCli from '../lib/audit/cli.js';
import { processIo } from '../lib/cli/io.js';
import { runAsProcess } from '../lib/cli/process.js';
import { parseCommandArgs, UsageError } from '../lib/cli/parse.js';
import { CLI_COMMAND, GENERATOR_VERSION } from '../lib/core/version.js';
import { escapeControl } from '../lib/text/escape.js';

const HELP = `Usage: secure-container <command> [options]
       ${CLI_COMMAND} <command> [options]   (without installing it)

Commands:
  init [options]         detect the app and write secure container files (--help for every option)
  audit [paths...]       check Dockerfiles and compose files against the principles (--help)
  upgrade [options]      re-render with the stored answers and merge into your edits (--help)
  preset new|test        scaffold a team preset package, or test one on every runtime (--help)
  pin [paths...]         pin FROM and compose image: references to their current digests (--check, --help)
  verify <image>         check a built image (user, shell, secrets in layers, labels) and smoke-run it (--help)

Options:
  -h, --help             show this help
  -v, --version          print the version

Exit codes: 0 success; 1 a changed file would be overwritten (init), findings (audit) or conflicts
left (upgrade), stale pins (pin --check); 2 usage error or invalid input (nothing written); 3 the
generated files fail the self-check (a bug), or no container engine (verify); 130 interrupted (Ctrl-C) during the questions.
`;

const COMMANDS = ['init', 'audit', 'upgrade', 'verify', 'pin', 'preset'];

/** The audit's code: the bundle beside the bin with its code cache (lib/audit/bundled.ts), else the compiled modules. */
async function auditCli(): Promise<typeof AuditCli> {
  const { bundledAuditPath, loadBundledAudit } = await import('../lib/audit/bundled.js');
  const bundle = bundledAuditPath(new URL('./', import.meta.url));
  return bundle ? loadBundledAudit(bundle) : import('../lib/audit/cli.js');
}

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  if (argv.length === 0) {
    // no command: a usage error (the help goes to stderr, so a script does not take it for output)
    io.stderr(HELP);
    return 2;
  }
  const [cmd = '', ...rest] = argv;
  switch (cmd) {
    case 'init':
      return (await import('../lib/cli/init.js')).runInit(rest, io);
    case 'audit':
      // the stream behind stdout: a large report is written a file at a time, as the reader takes it
      return (await auditCli()).runAudit(rest, { ...io, stdoutStream: process.stdout });
    case 'upgrade':
      return (await import('../lib/cli/upgrade.js')).runUpgradeCli(rest, io);
    case 'preset':
      return (await import('../lib/cli/preset.js')).runPresetCli(rest, io);
    case 'pin':
      return (await import('../lib/cli/pin.js')).runPin(rest, io);
    case 'verify':
      return (await import('../lib/cli/verify.js')).runVerify(rest, io);
    case 'help':
      io.stdout(HELP);
      return 0;
    default:
      break;
  }
  if (!cmd.startsWith('-')) {
    io.stderr(
      `secure-container: unknown command ${escapeControl(JSON.stringify(cmd))}: allowed: ${COMMANDS.join(', ')}; see --help\n`,
    );
    return 2;
  }
  // options before (or instead of) a command: the same parser and message style as every command
  let values;
  try {
    ({ values } = parseCommandArgs(
      argv,
      { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      { positionals: true },
    ));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`secure-container: ${escapeControl(e.message)}\n`);
    return 2;
  }
  if (values['version'] === true && argv.length === 1) {
    io.stdout(`${GENERATOR_VERSION}\n`);
    return 0;
  }
  if (values['help'] === true && argv.length === 1) {
    io.stdout(HELP);
    return 0;
  }
  io.stderr(`secure-container: put the command first (${COMMANDS.join(', ')}), then its options; see --help\n`);
  return 2;
}

runAsProcess('secure-container', () => main(process.argv.slice(2)));
