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

export const processIo = (): Io => ({
  cwd: process.cwd(),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
});
