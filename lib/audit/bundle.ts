// The entry of the audit's CommonJS bundle (dist/bin/audit.cjs, scripts/bundle.mjs): the command
// for the bin (runAudit), and the worker thread of a parallel audit (worker.ts serves batches when
// it is loaded in a worker: dist/bin/audit-worker.cjs loads this bundle there). One file, one V8
// code cache (lib/core/code-cache.ts) for both.
export { runAudit } from './cli.js';
import './worker.js';
