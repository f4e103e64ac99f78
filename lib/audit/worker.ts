// Worker thread of the parallel audit (see parallel.ts). It receives every target once (workerData),
// then claims batches itself from a counter shared with the main thread (Atomics.add on a
// SharedArrayBuffer: no message round trip between two batches, so no thread waits for another to
// hand it work), audits each with the same serial code (auditTargets) and posts its file reports.
// It exits when no batch is left. Never throws on bad input: reading and parsing problems are
// findings, as in the serial path.
import { parentPort, workerData } from 'node:worker_threads';
import type { PolicyConfig } from '../policy/config.js';
import type { AuditTarget } from './discover.js';
import { auditTargets, type FileReport } from './run.js';

export interface WorkerInput {
  config: PolicyConfig;
  targets: AuditTarget[];
  batchSize: number;
  /** [0]: the next batch to claim */
  next: Int32Array;
  /** the V8 flags the worker starts under (jit.ts): which code cache of the bundle fits them (bin/worker-launch.ts) */
  jit?: 'batch' | 'default';
}

export interface BatchResult {
  id: number;
  files: FileReport[];
  unreadable: boolean;
}

/** Claim and audit batches until none is left; `post` receives each batch's result. */
export function runBatches(input: WorkerInput, post: (r: BatchResult) => void): void {
  const batches = Math.ceil(input.targets.length / input.batchSize);
  for (;;) {
    const id = Atomics.add(input.next, 0, 1);
    if (id >= batches) return;
    const r = auditTargets(input.targets.slice(id * input.batchSize, (id + 1) * input.batchSize), input.config);
    post({ id, files: r.files, unreadable: r.unreadable });
  }
}

const port = parentPort;
if (port && (workerData as Partial<WorkerInput> | null)?.next instanceof Int32Array) {
  runBatches(workerData as WorkerInput, (r) => {
    port.postMessage(r);
  });
}
