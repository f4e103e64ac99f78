// The worker thread of a parallel audit (dist/bin/audit-worker.cjs, bundled as CommonJS by
// scripts/bundle.mjs; lib/audit/parallel.ts starts it): loads the audit's bundle with the code cache
// that fits the V8 flags the audit runs under (lib/core/code-cache.ts); the bundle's worker module
// (lib/audit/worker.ts) then serves the batches.
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import type { WorkerInput } from '../lib/audit/worker.js';
import { cacheFileFor, loadBundle } from '../lib/core/code-cache.js';

const bundle = fileURLToPath(new URL('./audit.cjs', import.meta.url));
loadBundle(bundle, cacheFileFor(bundle, (workerData as Partial<WorkerInput> | null)?.jit));
