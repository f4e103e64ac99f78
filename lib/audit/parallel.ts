// The audit of many files across threads (node:worker_threads). Output is identical to the serial
// auditTargets(): targets are cut into contiguous batches of the (already path-sorted) list, every batch
// is audited by the same serial code, and the reports are put back in batch order.
//
// Scheduling: `jobs` threads audit in all, the main thread being one of them (it is idle otherwise),
// so jobs - 1 workers are started. Batches are handed out on demand (each worker holds at most two, so
// it never waits for the main thread to hand it the next one); the main thread takes one batch at a
// time and yields between batches so worker results are collected as they come. A worker that fails
// to start or dies hands its batches back to the queue; if every worker fails the main thread audits
// the rest alone. Findings coming back from a worker share their rule's `refs` array again, as in
// the serial path, so a large report costs no more memory than a serial one.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { resolvePolicyConfig, type PolicyConfig } from '../policy/config.js';
import { ruleById } from '../policy/rules/index.js';
import type { AuditTarget } from './discover.js';
import { auditTargets, type AuditReport, type FileReport } from './run.js';
import type { BatchRequest, BatchResult } from './worker.js';

/** Below this many files the audit stays on one thread (starting workers costs more than it saves). */
export const PARALLEL_MIN_FILES = 200;
/** Environment variable that sets the number of threads (1: serial); default: defaultJobs(). */
export const JOBS_ENV = 'SECURE_CONTAINER_AUDIT_JOBS';

export interface ParallelOptions {
  /** threads auditing in all, the main thread included (default: defaultJobs()) */
  jobs?: number;
  /** files per batch (default: from the number of files and jobs, 8–64) */
  batchSize?: number;
  /** files below which the audit stays serial (default PARALLEL_MIN_FILES) */
  minFiles?: number;
}

/**
 * Threads to audit with: $SECURE_CONTAINER_AUDIT_JOBS when set, else os.availableParallelism() less the
 * CPUs other processes keep busy (1-minute load average, as `make -l` does): on a saturated machine
 * extra threads only time-slice against each other and cost their start-up, so the audit stays serial.
 */
export function defaultJobs(
  env: NodeJS.ProcessEnv = process.env,
  cpus = availableParallelism(),
  load = loadavg()[0],
): number {
  const v = Number(env[JOBS_ENV]);
  if (env[JOBS_ENV] !== undefined && env[JOBS_ENV] !== '' && Number.isInteger(v) && v >= 1) return v;
  const idle = Number.isFinite(load) && load > 0 ? Math.floor(cpus - load + 1) : cpus;
  return Math.max(1, Math.min(cpus, idle));
}

/**
 * The worker script: dist/lib/audit/worker.js beside this module, or, when this code runs from the
 * bundled bin (dist/bin/secure-container.js, where import.meta.url is the bundle), the same compiled
 * file under dist/lib. null when neither exists (the audit then stays serial).
 */
function workerScript(): URL | null {
  for (const rel of ['./worker.js', '../lib/audit/worker.js']) {
    const url = new URL(rel, import.meta.url);
    try {
      if (existsSync(fileURLToPath(url))) return url;
    } catch {
      /* not a file: URL */
    }
  }
  return null;
}

const yieldToEvents = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Serial for small sets, threads for large ones; the report is the same either way. */
export async function auditTargetsAuto(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  opts: ParallelOptions = {},
): Promise<AuditReport> {
  const jobs = Math.min(opts.jobs ?? defaultJobs(), 64);
  if (jobs < 2 || targets.length < (opts.minFiles ?? PARALLEL_MIN_FILES)) return auditTargets(targets, config);
  return auditTargetsParallel(targets, config, { ...opts, jobs });
}

export async function auditTargetsParallel(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  opts: ParallelOptions = {},
): Promise<AuditReport> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? defaultJobs(), 64));
  const script = jobs > 1 && targets.length > 1 ? workerScript() : null;
  if (!script) return auditTargets(targets, config);

  const size = opts.batchSize ?? Math.max(8, Math.min(64, Math.ceil(targets.length / (jobs * 8))));
  const batches: AuditTarget[][] = [];
  for (let i = 0; i < targets.length; i += size) batches.push(targets.slice(i, i + size));
  const results: (FileReport[] | undefined)[] = new Array<FileReport[] | undefined>(batches.length);
  const queue: number[] = batches.map((_, i) => i);
  let unreadable = false;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };

  const { Worker } = await import('node:worker_threads');
  interface Slot {
    worker: Worker;
    held: Set<number>;
    dead: boolean;
  }
  const slots: Slot[] = [];
  const feed = (s: Slot): void => {
    while (!s.dead && s.held.size < 2) {
      const id = queue.shift();
      if (id === undefined) break;
      s.held.add(id);
      inFlight++;
      const req: BatchRequest = { id, targets: batches[id] };
      s.worker.postMessage(req);
    }
  };
  const retire = (s: Slot): void => {
    if (s.dead) return;
    s.dead = true;
    // hand its batches back (front of the queue: they are the oldest)
    const back = [...s.held].sort((a, b) => a - b);
    inFlight -= back.length;
    s.held.clear();
    queue.unshift(...back);
    void s.worker.terminate().catch(() => undefined);
    notify();
  };
  for (let k = 0; k < jobs - 1; k++) {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { config } });
    } catch {
      break; // e.g. config not cloneable, thread limit: the threads started so far (or the main thread) do the work
    }
    const slot: Slot = { worker, held: new Set(), dead: false };
    worker.on('message', (res: BatchResult) => {
      if (slot.dead || !slot.held.delete(res.id)) return;
      inFlight--;
      results[res.id] = res.files;
      if (res.unreadable) unreadable = true;
      feed(slot);
      notify();
    });
    worker.on('error', () => {
      retire(slot);
    });
    worker.on('exit', () => {
      retire(slot);
    });
    slots.push(slot);
    feed(slot);
  }

  try {
    for (;;) {
      const id = queue.shift();
      if (id !== undefined) {
        const r = auditTargets(batches[id], config);
        results[id] = r.files;
        if (r.unreadable) unreadable = true;
        await yieldToEvents();
        continue;
      }
      if (inFlight === 0) break;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    for (const s of slots) {
      if (s.dead) continue;
      s.dead = true;
      s.worker.removeAllListeners();
      s.worker.on('error', () => undefined);
      void s.worker.terminate().catch(() => undefined);
    }
  }

  const files: FileReport[] = [];
  for (const part of results) {
    for (const f of part ?? []) {
      for (const x of f.findings) {
        // the worker sent a copy of the rule's refs; share the rule's array again, as the serial path does
        const meta = ruleById.get(x.rule)?.meta;
        if (meta && meta.refs.length === x.refs.length && meta.refs.every((r, i) => r === x.refs[i]))
          x.refs = meta.refs;
      }
      files.push(f);
    }
  }
  return { files, failOn: resolvePolicyConfig(config).failOn, unreadable };
}
