// The package's bin (dist/bin/secure-container.cjs, bundled as CommonJS by scripts/bundle.mjs).
// `audit` runs from the audit's own bundle (dist/bin/audit.cjs) with the bytecode saved when the
// package was built (lib/core/code-cache.ts): no ES module loader, no chunks to resolve, next to
// nothing to compile, so an audit starts ~15 ms sooner than through the ES-module dispatcher.
// Every other command (and `audit` when the bundle is missing) goes to that dispatcher
// (dist/bin/secure-container.js, bin/main.ts), which reads the same arguments.
import { bundledAuditPath, loadBundledAudit } from '../lib/audit/bundled.js';
import { processIo } from '../lib/cli/io.js';
import { runAsProcess } from '../lib/cli/process.js';

const argv = process.argv.slice(2);
const bundle = argv[0] === 'audit' ? bundledAuditPath(new URL('./', import.meta.url)) : null;

if (bundle) {
  runAsProcess('secure-container', () =>
    // the stream behind stdout: a large report is written a file at a time, as the reader takes it
    loadBundledAudit(bundle).runAudit(argv.slice(1), { ...processIo(), stdoutStream: process.stdout }),
  );
} else {
  // the dispatcher runs the command when it loads
  void import(new URL('./secure-container.js', import.meta.url).href);
}
