// The package's bin (dist/bin/secure-container.cjs, bundled as CommonJS by scripts/bundle.mjs).
// `audit` runs from the audit's own bundle (dist/bin/audit.cjs) with the bytecode saved when the
// package was built (lib/core/code-cache.ts): no ES module loader, no chunks to resolve, next to
// nothing to compile, so an audit starts ~15 ms sooner than through the ES-module dispatcher.
// Every other command (and `audit` when the bundle is missing) goes to that dispatcher
// (dist/bin/secure-container.js, bin/main.ts), which reads the same arguments.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as AuditCli from '../lib/audit/cli.js';
import { startAuditProcessJit } from '../lib/audit/jit.js';
import { loadBundle } from '../lib/core/code-cache.js';
import { processIo } from '../lib/cli/io.js';
import { runAsProcess } from '../lib/cli/process.js';

const argv = process.argv.slice(2);
const bundle = fileURLToPath(new URL('./audit.cjs', import.meta.url));

if (argv[0] === 'audit' && existsSync(bundle)) {
  // V8's flags for the audit process, before any of its code is loaded or optimized (jit.ts)
  startAuditProcessJit(createRequire(import.meta.url));
  runAsProcess('secure-container', async () => {
    const { runAudit } = loadBundle(bundle).exports as typeof AuditCli;
    // the stream behind stdout: a large report is written a file at a time, as the reader takes it
    return runAudit(argv.slice(1), { ...processIo(), stdoutStream: process.stdout });
  });
} else {
  // the dispatcher runs the command when it loads
  void import(new URL('./secure-container.js', import.meta.url).href);
}
