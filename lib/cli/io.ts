/** Where a command prints; injected so tests run commands in-process. */
export interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** true when a person can answer prompts */
  interactive?: boolean;
  /** terminal width when stdout is a terminal (long plan lines wrap at word boundaries) */
  columns?: number;
}

/** @types/node types isTTY as boolean, but it is undefined when the stream is not a terminal */
const isTty = (s: { isTTY?: boolean }): boolean => s.isTTY === true;

export const processIo = (): Io => ({
  cwd: process.cwd(),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  interactive: isTty(process.stdin) && isTty(process.stdout),
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
});
