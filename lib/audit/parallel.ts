// The audit of many files across threads (node:worker_threads). Output is identical to the serial
// auditTargets(): targets are cut into contiguous batches of the (already path-sorted) list, every batch
// is audited by the same serial code, and the reports are put back in batch order.
//
// Scheduling: `jobs` threads audit in all, the main thread being one of them (it is idle otherwise),
// so jobs - 1 workers are started. Every thread claims the next batch from one counter in shared
// memory (Atomics.add): a thread never waits for another to hand it work, and whoever is free takes
// the next batch, so threads that start late (a worker takes ~20-90 ms to load) or run slower (a
// busy core) simply take fewer batches. The main thread starts auditing at once, takes the workers'
// results in between two of its batches, and hands the batches on in path order as soon as every
// earlier one is done (a JSON report is written as they come). A batch that a worker claimed but
// never returned (it failed to start, crashed or was stopped) is audited by the main thread once the
// workers have ended, so the report is complete whatever happens to the workers. When the main thread
// has audited every batch itself, it stops the workers rather than wait for them to start. Findings
// coming back from a worker share their rule's strings and `refs` array again, as in the serial path,
// so a large report costs no more memory than a serial one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { resolvePolicyConfig, type PolicyConfig } from '../policy/config.js';
import { ruleById } from '../policy/rules/registry.js';
import type { AuditTarget } from './discover.js';
import { batchJitActive, batchJitFlags, withBatchJit } from './jit.js';
import { auditTargets, auditTargetsOneByOne, Tally, type AuditReport, type FileReport } from './run.js';
import type { BatchResult, WorkerInput } from './worker.js';

/** Below this many files the audit stays on one thread (starting workers costs more than it saves). */
export const PARALLEL_MIN_FILES = 200;
/**
 * Files each thread needs before a thread pays for itself when the number of threads is not set:
 * every thread runs its own copy of the code, unoptimized at first (on 5,000 Dockerfiles the first
 * ~2,000 files of a thread ran 2-7x slower than the rest), so a thread with fewer files mostly adds
 * its own warm-up.
 */
export const FILES_PER_THREAD = 1000;
/**
 * Files each thread needs when the batch runs with the raised interrupt budget (jit.ts: 50 to 3,000
 * files). TurboFan then hardly compiles, so no CPU is kept for it: on 2 CPUs a second thread was
 * as fast as one at 600 Dockerfiles and 7-13% faster from 1,000 to 3,000 (docs/audit.md, Speed).
 */
export const FILES_PER_THREAD_TUNED = 400;
/** Files up to which threads run with the raised budget (their shares within jit.ts's range). */
export const TUNED_MAX_FILES = 4000;
/** Environment variable that sets the number of threads (1: serial); default: defaultJobs(). */
export const JOBS_ENV = 'SECURE_CONTAINER_AUDIT_JOBS';

export interface ParallelOptions {
  /** threads auditing in all, the main thread included (default: defaultJobs()) */
  jobs?: number;
  /** files per batch (default: from the number of files and jobs, 8–64) */
  batchSize?: number;
  /** files below which the audit stays serial (default PARALLEL_MIN_FILES) */
  minFiles?: number;
  /** the worker script (default: workerScript()); tests pass one that fails */
  workerScript?: URL;
}

/**
 * How busy the CPUs are now, in runnable threads, this one included: on Linux the kernel's count of
 * runnable threads at this instant (/proc/loadavg, 4th field) less this process's other threads that
 * are runnable (V8's compiler and garbage collector threads, busy at start-up), the least of three
 * looks (one look made an idle 2-CPU machine look busy one run in four), looked at again up to three
 * times 1 ms apart while it looks busy; elsewhere the 1-minute load average. The average lags:
 * a build or a benchmark that ran in the last minute still counts, and a 2-CPU CI runner that has
 * just finished `npm ci` looks busy when it is idle.
 */
export function busyNow(): number {
  let least = runnableNow();
  // a moment's look: a thread that runs for a millisecond (ours, or another process's) made an idle
  // 2-CPU machine look busy in one audit of 2,000 files in four, which then went serial (15% slower).
  // Looks 1 ms apart: a busy CPU stays busy, a passing thread does not (at most 3 ms, and only when
  // the machine looks busy)
  for (let k = 0; k < BUSY_RELOOKS && least > 1 && Number.isFinite(least); k++) {
    Atomics.wait(PAUSE, 0, 0, 1);
    least = Math.min(least, runnableNow());
  }
  return Number.isFinite(least) ? least : loadavg()[0];
}

/** Looks again after a pause while the machine looks busy (see busyNow). */
const BUSY_RELOOKS = 3;
/** What a 1 ms pause waits on (nothing ever wakes it). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** The least of three looks at the runnable threads (busyNow); Infinity where /proc/loadavg is not. */
function runnableNow(): number {
  // the least of three looks: a thread that wakes up for a moment (ours or another process's) is
  // not a busy CPU
  let least = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 3; k++) {
    try {
      const running = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[3]?.split('/')[0]);
      if (!Number.isInteger(running) || running < 1) break;
      least = Math.min(least, Math.max(1, running - ownRunnableThreads() + 1));
    } catch {
      break; // not Linux
    }
  }
  return least;
}

/** This process's runnable threads (state R in /proc/self/task/<tid>/stat), this one included. */
function ownRunnableThreads(): number {
  let n = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // the state follows the command name, which is in parentheses and may hold any character
      if (stat.charAt(stat.lastIndexOf(')') + 2) === 'R') n++;
    } catch {
      /* the thread ended since it was listed: not running */
    }
  }
  return Math.max(1, n);
}

/**
 * Threads to audit `files` files with: $SECURE_CONTAINER_AUDIT_JOBS when set, else the idle CPUs
 * (os.availableParallelism() less the CPUs other processes keep busy: `load`, runnable threads, this
 * one included; see busyNow), and at most one a FILES_PER_THREAD_TUNED files while each thread's share
 * runs with the raised interrupt budget (jit.ts: up to 3,000 files a thread). Larger batches use V8's
 * default budget: then one idle CPU
 * is left to V8's optimizing compiler, which compiles on another thread while the audit runs (on 2
 * idle CPUs a second audit thread made 5,000 Dockerfiles 40% slower, not faster), with at most one
 * thread a FILES_PER_THREAD files (docs/audit.md, Speed). On a saturated machine extra threads only
 * time-slice against each other and cost their start-up: the audit stays serial.
 */
export function defaultJobs(
  env: NodeJS.ProcessEnv = process.env,
  cpus = availableParallelism(),
  load = busyNow(),
  files = Number.POSITIVE_INFINITY,
): number {
  const v = Number(env[JOBS_ENV]);
  if (env[JOBS_ENV] !== undefined && env[JOBS_ENV] !== '' && Number.isInteger(v) && v >= 1) return v;
  const idle = Math.min(cpus, Number.isFinite(load) && load > 0 ? Math.floor(cpus - load + 1) : cpus);
  // the raised budget applies to each thread's share (jitFiles): 4,000 Dockerfiles on 2 threads of
  // 2,000 took 383 ms, serial with V8's default 411; at 5,000 and 6,000 the two were even, and the
  // second thread costs ~35 MB: TUNED_MAX_FILES
  const tuned = Math.max(1, Math.min(idle, Math.floor(files / FILES_PER_THREAD_TUNED)));
  if (files <= TUNED_MAX_FILES && batchJitFlags(jitFiles(files, tuned), env) !== null) return tuned;
  return Math.max(1, Math.min(idle - 1, Math.floor(files / FILES_PER_THREAD)));
}

/** The files each of `jobs` threads audits (what the batch JIT settings are chosen for, jit.ts). */
export function jitFiles(files: number, jobs: number): number {
  return Math.ceil(files / Math.max(1, jobs));
}

/**
 * The worker script: when this code runs from the bundled bin (dist/bin/audit.cjs, or a chunk in
 * dist/bin/chunks/; see scripts/bundle.mjs), the bundled worker in dist/bin (dist/bin/audit-worker.cjs:
 * the audit's one-file bundle, with its code cache), else the compiled worker.js beside this module
 * or under dist/lib. null when none exists (the audit then stays serial).
 */
function workerScript(): URL | null {
  for (const rel of ['../audit-worker.cjs', './audit-worker.cjs', './worker.js', '../lib/audit/worker.js']) {
    const url = new URL(rel, import.meta.url);
    try {
      if (existsSync(fileURLToPath(url))) return url;
    } catch {
      /* not a file: URL */
    }
  }
  return null;
}

/** The threads auditTargetsAuto uses for `files` files: 1 (serial) for small sets. */
export function chooseJobs(files: number, opts: ParallelOptions = {}): number {
  // a small set stays serial whatever the machine: no look at how busy it is (busyNow may pause)
  if (files < (opts.minFiles ?? PARALLEL_MIN_FILES)) return 1;
  const jobs = Math.min(opts.jobs ?? defaultJobs(process.env, availableParallelism(), busyNow(), files), 64);
  return jobs < 2 ? 1 : jobs;
}

/** Serial for small sets, threads for large ones; the report is the same either way. */
export async function auditTargetsAuto(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  opts: ParallelOptions = {},
): Promise<AuditReport> {
  return withAuditThreads(
    targets.length,
    (jobs) => (jobs < 2 ? auditTargets(targets, config) : auditTargetsParallel(targets, config, { ...opts, jobs })),
    opts,
  );
}

/**
 * Run `f` with the threads an audit of `files` files uses (chooseJobs) and the JIT settings for each
 * thread's share (withBatchJit, jitFiles): the one place both are chosen.
 */
export function withAuditThreads<T>(
  files: number,
  f: (jobs: number) => T | Promise<T>,
  opts: ParallelOptions = {},
): Promise<T> {
  const jobs = chooseJobs(files, opts);
  return withBatchJit(jitFiles(files, jobs), () => f(jobs));
}

/** The whole report of the threaded audit (auditBatchesInOrder, collected). */
export async function auditTargetsParallel(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  opts: ParallelOptions = {},
): Promise<AuditReport> {
  const tally = new Tally(resolvePolicyConfig(config).failOn);
  const files: FileReport[] = [];
  for await (const batch of auditBatchesInOrder(targets, config, tally, opts)) for (const f of batch) files.push(f);
  return { files, failOn: tally.failOn, unreadable: tally.unreadable };
}

/** A batch's result once it is out (its reports may be collected). */
const OUT: BatchResult = { id: -1, files: [], unreadable: false };

/**
 * The audit of `targets` across threads, in path order a batch at a time: a batch is yielded once
 * every earlier one has been, while the threads go on with the next ones, so a report written as it
 * comes (JSON) does not wait for the last file, and what is written can be collected: memory does not
 * grow with the number of files. The reports are those of the serial audit; `tally` counts them as
 * they are yielded. The main thread audits batches like any worker, and lets the workers' results in
 * between two of its batches (they arrive as messages, between macrotasks).
 */
export async function* auditBatchesInOrder(
  targets: readonly AuditTarget[],
  config: PolicyConfig,
  tally: Tally,
  opts: ParallelOptions = {},
): AsyncGenerator<FileReport[]> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? defaultJobs(), 64));
  const script = jobs > 1 && targets.length > 1 ? (opts.workerScript ?? workerScript()) : null;
  if (!script) {
    yield [...auditTargetsOneByOne(targets, config, tally)];
    return;
  }

  const batchSize = opts.batchSize ?? Math.max(4, Math.min(32, Math.ceil(targets.length / (jobs * 16))));
  const batches = Math.ceil(targets.length / batchSize);
  const results: (BatchResult | undefined)[] = new Array<BatchResult | undefined>(batches);
  // resolves the main thread's wait for the next batch in order (a result came, or a worker ended)
  let wake: (() => void) | null = null;
  const take = (r: BatchResult): void => {
    if (r.id < 0 || r.id >= batches || results[r.id] !== undefined) return;
    results[r.id] = r;
    wake?.();
  };
  const input: WorkerInput = {
    config,
    targets: targets as AuditTarget[],
    batchSize,
    next: new Int32Array(new SharedArrayBuffer(4)),
    jit: batchJitActive() ? 'batch' : 'default',
  };
  const auditHere = (id: number): BatchResult => {
    const r = auditTargets(targets.slice(id * batchSize, (id + 1) * batchSize), config);
    return { id, files: r.files, unreadable: r.unreadable };
  };

  const { Worker } = await import('node:worker_threads');
  const workers: Worker[] = [];
  let running = 0;
  for (let k = 0; k < jobs - 1; k++) {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: input });
    } catch {
      break; // e.g. config not cloneable, thread limit: the threads started so far (or the main thread) do the work
    }
    workers.push(worker);
    running++;
    worker.on('message', take);
    // its messages are delivered before 'exit'; 'error' (it failed) is followed by 'exit'
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      running--;
      wake?.();
    });
  }

  let next = 0; // the next batch to yield
  /** The batch `next`, its reports counted and made to share their rule's strings again; then released. */
  const emit = (): FileReport[] => {
    const r = results[next] as BatchResult;
    results[next++] = OUT;
    if (r.unreadable) tally.unreadable = true;
    for (const f of r.files) {
      shareRuleValues(f);
      tally.add(f);
    }
    return r.files;
  };
  try {
    // the main thread claims batches like any worker
    for (;;) {
      const id = Atomics.add(input.next, 0, 1);
      if (id >= batches) break;
      take(auditHere(id));
      while (next < batches && results[next] !== undefined) yield emit();
      // the workers' results are messages: let them in
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    // then the batches still with the workers, in order; a batch claimed by a worker that failed is
    // audited here once every worker has ended
    while (next < batches) {
      if (results[next] !== undefined) yield emit();
      else if (running === 0) take(auditHere(next));
      else
        await new Promise<void>((resolve) => {
          wake = () => {
            wake = null;
            resolve();
          };
        });
    }
  } finally {
    for (const w of workers) {
      w.removeAllListeners('message');
      void w.terminate().catch(() => undefined);
    }
  }
}

/**
 * A worker's findings arrive as copies: every string and the refs array of each one. Share the
 * rule's own values again (and the file's path), as in the serial path, so a large report costs no
 * more memory than a serial one (and a finding's strings are those the rule gave).
 */
function shareRuleValues(f: FileReport): void {
  for (const x of f.findings) {
    x.file = x.file === f.path ? f.path : x.file;
    const meta = ruleById.get(x.rule)?.meta;
    if (!meta) continue;
    x.rule = meta.id;
    if (x.name === meta.name) x.name = meta.name;
    if (x.principle === meta.principle) x.principle = meta.principle;
    if (x.message === meta.message) x.message = meta.message;
    if (x.fix === meta.fix) x.fix = meta.fix;
    if (meta.refs.length === x.refs.length && meta.refs.every((r, i) => r === x.refs[i])) x.refs = meta.refs;
  }
}
