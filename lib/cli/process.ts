// How a bin runs a command as a process: the exit code it returns, an internal error as one message
// (exit 70), and a reader that goes away (`… | head`) as a quiet stop. Shared by the bin's two entries
// (bin/main.ts, bin/launch.ts).

/** Run `command` as the process's work: its result is the exit code. `name` prefixes an error. */
export function runAsProcess(name: string, command: () => Promise<number>): void {
  // the reader of our output went away (`… | head`): stop quietly, as other command-line tools do,
  // rather than die on an unhandled EPIPE with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  // a command that throws before its promise (loading its code) is an internal error too
  new Promise<number>((resolve) => {
    resolve(command());
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
