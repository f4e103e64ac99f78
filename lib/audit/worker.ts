// Worker thread of the parallel audit (see parallel.ts): receives batches of targets, audits them with
// the same serial code (auditTargets), posts the file reports back. Never throws on bad input: reading
// and parsing problems are findings, as in the serial path.
import { parentPort, workerData } from 'node:worker_threads';
import type { PolicyConfig } from '../policy/config.js';
import type { AuditTarget } from './discover.js';
import { auditTargets } from './run.js';

export interface BatchRequest {
  id: number;
  targets: AuditTarget[];
}

export interface BatchResult {
  id: number;
  files: ReturnType<typeof auditTargets>['files'];
  unreadable: boolean;
}

const config = (workerData as { config: PolicyConfig }).config;
const port = parentPort;
if (port) {
  port.on('message', (req: BatchRequest) => {
    const r = auditTargets(req.targets, config);
    const res: BatchResult = { id: req.id, files: r.files, unreadable: r.unreadable };
    port.postMessage(res);
  });
}
