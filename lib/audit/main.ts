#!/usr/bin/env node
// Stand-alone entry (used by the bench): node dist/lib/audit/main.js [audit flags…]
import { runAudit } from './cli.js';

runAudit(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutStream: process.stdout,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`secure-container audit: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
