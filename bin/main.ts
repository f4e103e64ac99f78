// The bin's source. `npm run build` compiles it to dist/bin/main.js and bundles that into
// dist/bin/secure-container.js (the package's bin; see scripts/bundle.mjs).
// secure-container: the package's own bin (runs without `yo`: in CI, with npx, as root).
// Subcommands load lazily so each pays only for what it uses.
import { processIo } from '../lib/cli/io.js';
import { GENERATOR_VERSION } from '../lib/core/version.js';

const HELP = `Usage: secure-container <command> [options]

Commands:
  init [options]         detect the app and write secure container files (--help for every option)
  audit [paths...]       check Dockerfiles and compose files against the principles (--help)
  upgrade [options]      re-render with the stored answers and merge into your edits (--help)

  --version              print the version
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const io = processIo();
  switch (cmd) {
    case 'init':
      return (await import('../lib/cli/init.js')).runInit(rest, io);
    case 'audit':
      return (await import('../lib/audit/cli.js')).runAudit(rest, io);
    case 'upgrade':
      return (await import('../lib/cli/upgrade.js')).runUpgradeCli(rest, io);
    case '--version':
    case '-v':
      io.stdout(`${GENERATOR_VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`secure-container: unknown command ${JSON.stringify(cmd)}: allowed: init, audit, upgrade\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`secure-container: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
