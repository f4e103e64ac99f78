import type { Io } from './io.js';

export async function runUpgradeCli(argv: string[], io: Io): Promise<number> {
  void argv;
  io.stderr('secure-container upgrade: not available yet\n');
  return 2;
}
