// `secure-container audit [paths…]` (and `yo secure-container:audit`): parse flags, discover, audit, print.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import {
  FAIL_ON_VALUES,
  findPolicyConfig,
  loadPolicyConfig,
  loadPolicyConfigFile,
  mergePolicyConfig,
  PolicyConfigError,
  resolvePolicyConfig,
  type FailOn,
  type PolicyConfig,
} from '../policy/config.js';
import { escapeControl } from '../text/escape.js';
import { discover } from './discover.js';
import {
  FORMATS,
  formatJsonChunks,
  formatTextChunks,
  chunksOf,
  chunksOfBatches,
  JsonChunks,
  formatRuleList,
  formatSarif,
  type Format,
} from './format.js';
import type { FixPlan } from './fix/apply.js';
import { auditBatchesInOrder, auditTargetsAuto, withAuditThreads } from './parallel.js';
import { auditTargetsOneByOne, exitCodeOf, Tally, type AuditReport, type Summary } from './run.js';
import { packagePath } from '../core/paths.js';
import { parseCommandArgs, UsageError } from '../cli/parse.js';

export interface AuditIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /**
   * The stream behind `stdout`, when there is one (the bin passes process.stdout): a text or JSON
   * report is then written one file report at a time, waiting for the reader (`drain`), so the
   * whole text never sits in memory. Without it the report is one `stdout` call.
   */
  stdoutStream?: ReportStream;
}

/** What the audit needs of a writable stream (process.stdout). */
export interface ReportStream {
  write(chunk: string): boolean;
  once(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
}

/** Characters gathered before a write to the report stream (the size of a pipe's buffer). */
const WRITE_BYTES = 64 * 1024;

/**
 * Write `chunks` to `stream` with backpressure: after a write the stream's buffer is full, wait for
 * `drain` before the next one. Stops (without throwing) when the stream fails or closes (the reader
 * went away: `| head`).
 */
async function writeStream(stream: ReportStream, chunks: Chunks): Promise<void> {
  // an object, not a `let`: set by the listeners while the loop awaits
  const state = { broken: false };
  const onBroken = (): void => {
    state.broken = true;
  };
  stream.once('error', onBroken);
  stream.once('close', onBroken);
  // pieces gathered up to WRITE_BYTES: one write (and at most one wait) per 64 KiB, not per file
  let pending = '';
  const flush = async (): Promise<void> => {
    const c = pending;
    pending = '';
    if (state.broken || c === '') return;
    if (!stream.write(c))
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.removeListener('drain', done);
          stream.removeListener('error', done);
          stream.removeListener('close', done);
          resolve();
        };
        stream.once('drain', done);
        stream.once('error', done);
        stream.once('close', done);
      });
  };
  try {
    await eachChunk(chunks, (c) => {
      if (state.broken) return false;
      pending += c;
      return pending.length >= WRITE_BYTES ? flush().then(() => true) : true;
    });
    await flush();
  } finally {
    stream.removeListener('error', onBroken);
    stream.removeListener('close', onBroken);
  }
}

/** Report pieces: made as the audit goes (a generator), or as threads finish batches (an async one). */
type Chunks = Iterable<string> | AsyncIterable<string>;

/**
 * Give each piece to `sink` until it returns false; a plain iterable is read without an `await` a
 * piece unless `sink` waits (a promise).
 */
async function eachChunk(chunks: Chunks, sink: (c: string) => boolean | Promise<boolean>): Promise<void> {
  if (Symbol.asyncIterator in chunks) {
    for await (const c of chunks) if (!(await sink(c))) return;
    return;
  }
  for (const c of chunks) {
    const go = sink(c);
    if (!(go === true || (go !== false && (await go)))) return;
  }
}

export const AUDIT_HELP = `Usage: secure-container audit [paths...] [options]

Checks Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile) and compose files
(compose.y*ml, docker-compose*.y*ml) against the container security principles.
Paths may be files or directories (default: the current directory; node_modules and .git are skipped).

Options:
  --format <text|json|sarif>          output format (default: text)
  --fail-on <error|warning|info|none>  lowest severity that makes the exit code 1 (default: error, or failOn in the policy)
  --policy <file>                     policy file from a trusted place (CI): the repository's own
                                      .secure-container.yaml is then ignored (a note on stderr says so)
  --no-repo-policy                    ignore the repository's .secure-container.yaml: default policy
  --config <file>                     same as --policy
  --output <file>                     write the report to a file instead of stdout
  --list-rules                        print every rule (text, or JSON with --format json), fixable ones marked
  --fix                               fix what can be fixed safely (see below), print the diff, then the
                                      findings left
  --dry-run                           with --fix: print the diff only (a patch: -p1), write nothing
  -h, --help                          show this help

Fixes: USER 10001:10001 when the final stage has none (and its VOLUMEs chowned), --no-install-recommends,
package cache cleanup in the same RUN, apk --no-cache, COPY for a local ADD, exec-form CMD/ENTRYPOINT,
compose ports bound to 127.0.0.1, cap_drop: [ALL], no-new-privileges, read_only with a /tmp tmpfs,
restart on-failure:5. Each only where it is safe (otherwise the finding says why there is no automatic
fix); formatting and comments are kept; only files inside the current directory are written, never
through a symbolic link.

Policy: by default .secure-container.yaml (or .yml) in the current directory, which the audited
repository controls: it can lower severities, turn rules off and set failOn: none. Where the
repository is not trusted (CI on pull requests), pass --policy <file> or --no-repo-policy.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on; 2 usage error or unreadable input.
`;

function pkgInfo(): { version: string; docsBaseUrl?: string } {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
      version?: string;
      homepage?: string;
      repository?: string | { url?: string };
    };
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const m = repo ? /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo) : null;
    return { version: pkg.version ?? '0.0.0', ...(m ? { docsBaseUrl: `https://github.com/${m[1]}/blob/main/` } : {}) };
  } catch {
    return { version: '0.0.0' };
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

function usage(io: AuditIo, msg: string): number {
  // one line, as every command (lib/cli/args.ts); messages quote arguments, paths and file names:
  // control characters are shown, not sent
  io.stderr(`secure-container audit: ${escapeControl(msg)}\n`);
  return 2;
}

/**
 * Write report pieces to `--output`, or to the stdout stream (`stream`: each write waiting for the
 * reader), or as one string to an injected stdout. The whole text never sits in memory: pieces
 * written without waiting would all be queued (10,000 files through a pipe in 1 MB pieces peaked at
 * 400 MB, one string at 275 MB). A usage error's exit code when `--output` cannot be written.
 */
async function writeReport(
  io: AuditIo,
  output: string | undefined,
  chunks: Chunks,
  stream = true,
): Promise<number | null> {
  if (output) {
    let fd: number | undefined;
    try {
      const file = openSync(resolve(io.cwd, output), 'w');
      fd = file;
      // pieces gathered up to WRITE_BYTES: one write call per 64 KiB, not per file (2,000 files:
      // 2,000 write calls were 5% of the audit)
      let pending = '';
      await eachChunk(chunks, (c) => {
        pending += c;
        if (pending.length >= WRITE_BYTES) {
          writeAll(file, pending);
          pending = '';
        }
        return true;
      });
      if (pending !== '') writeAll(file, pending);
    } catch (e) {
      return usage(io, `--output: ${(e as Error).message}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  } else if (io.stdoutStream && stream) await writeStream(io.stdoutStream, chunks);
  else {
    let out = '';
    await eachChunk(chunks, (c) => {
      out += c;
      return true;
    });
    io.stdout(out);
  }
  return null;
}

export async function runAudit(argv: string[], io: AuditIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs(
      argv,
      {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        policy: { type: 'string' },
        'no-repo-policy': { type: 'boolean' },
        output: { type: 'string' },
        'list-rules': { type: 'boolean' },
        fix: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      { positionals: true },
    );
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  const { positionals } = parsed;
  const values = parsed.values as {
    format?: string;
    'fail-on'?: string;
    config?: string;
    policy?: string;
    'no-repo-policy'?: boolean;
    output?: string;
    'list-rules'?: boolean;
    fix?: boolean;
    'dry-run'?: boolean;
    help?: boolean;
  };
  if (values.help) {
    io.stdout(AUDIT_HELP);
    return 0;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) return usage(io, `--format: "${values.format}" is not one of ${FORMATS.join(', ')}`);
  if (values['fail-on'] !== undefined && !FAIL_ON_VALUES.includes(values['fail-on'] as FailOn))
    return usage(io, `--fail-on: "${values['fail-on']}" is not one of ${FAIL_ON_VALUES.join(', ')}`);

  if (values['list-rules']) {
    if (format === 'sarif') return usage(io, '--list-rules: --format must be text or json');
    const { withFixable } = await import('./fix/report.js');
    io.stdout(withFixable(formatRuleList(format), format));
    return 0;
  }
  const fix = values.fix === true;
  const dryRun = values['dry-run'] === true;
  if (dryRun && !fix)
    return usage(io, '--dry-run: only with --fix (--fix --dry-run prints the diff and writes nothing)');
  if (dryRun && (values.output !== undefined || values.format !== undefined))
    return usage(io, '--fix --dry-run prints a unified diff only: --format and --output do not apply');

  // The repository's own .secure-container.yaml can lower severities and set failOn: none. CI that
  // audits untrusted changes passes --policy <trusted file> (or --no-repo-policy) so it cannot.
  if (
    values.policy !== undefined &&
    values.config !== undefined &&
    resolve(io.cwd, values.policy) !== resolve(io.cwd, values.config)
  )
    return usage(io, '--policy and --config name different files (--config is the same option as --policy): pass one');
  const policyFlag = values.policy !== undefined ? '--policy' : '--config';
  const policyFile = values.policy ?? values.config;
  const noRepoPolicy = values['no-repo-policy'] === true;
  let config: PolicyConfig = {};
  try {
    if (policyFile !== undefined) config = loadPolicyConfigFile(resolve(io.cwd, policyFile));
    else if (!noRepoPolicy) config = loadPolicyConfig(io.cwd);
  } catch (e) {
    if (!(e instanceof PolicyConfigError)) throw e;
    if (policyFile !== undefined) return usage(io, `${policyFlag}: ${e.message}`);
    return usage(io, `${e.message} (the repository's policy file; --no-repo-policy or --policy <file> ignores it)`);
  }
  const repoPolicy = policyFile !== undefined || noRepoPolicy ? findPolicyConfig(io.cwd) : undefined;
  if (repoPolicy !== undefined && (policyFile === undefined || resolve(io.cwd, policyFile) !== repoPolicy)) {
    const why =
      policyFile !== undefined ? `policy from ${policyFlag} ${policyFile}` : '--no-repo-policy: default policy';
    io.stderr(
      `secure-container audit: note: ${escapeControl(relative(io.cwd, repoPolicy))} in the repository is ignored (${escapeControl(why)})\n`,
    );
  }
  if (values['fail-on']) config = mergePolicyConfig(config, { failOn: values['fail-on'] as FailOn });

  const found = discover(positionals, io.cwd);
  for (const e of found.errors) io.stderr(`secure-container audit: ${escapeControl(`${e.path}: ${e.message}`)}\n`);
  // nothing could be audited (every path given is missing or unreadable): no "No findings in 0 files." report
  if (found.errors.length && found.files.length === 0) return 2;
  // A JSON or text report is written as the files are audited (without --fix: the fixes annotate the
  // text report from the whole audit): a file's part can go once it is out, so memory stays flat and
  // the garbage collector has less to copy (5,000 Dockerfiles: peak RSS 83 MB instead of 103).
  // Threaded, the batches are written in order as they are done (auditBatchesInOrder). The same bytes
  // and exit code as the report built whole.
  if ((format === 'json' || format === 'text') && !fix) {
    const tally = new Tally(resolvePolicyConfig(config).failOn);
    if (found.errors.length) tally.unreadable = true;
    const writer = format === 'json' ? new JsonChunks() : new (await import('./fix/report.js')).TextWithFixes();
    const summary = (): Summary => tally.summary();
    const written = await withAuditThreads(found.files.length, (jobs) =>
      writeReport(
        io,
        values.output,
        jobs === 1
          ? chunksOf(writer, auditTargetsOneByOne(found.files, config, tally), summary)
          : chunksOfBatches(writer, auditBatchesInOrder(found.files, config, tally, { jobs }), summary),
      ),
    );
    return written ?? tally.exitCode();
  }
  // many files: audited across threads (same report; SECURE_CONTAINER_AUDIT_JOBS=1 keeps it serial)
  let report: AuditReport = await auditTargetsAuto(found.files, config);
  if (found.errors.length) report.unreadable = true;

  let plan: FixPlan | undefined;
  if (fix) {
    // loaded when used: an audit without --fix does not pay for the fixers
    const { fixSummary, planFixes, renderDiffs, reportAfterFixes, writeFixes } = await import('./fix/apply.js');
    plan = planFixes(found.files, report, config, io.cwd);
    for (const r of plan.refused) io.stderr(`secure-container audit: ${escapeControl(`${r.path}: ${r.reason}`)}\n`);
    if (dryRun) {
      io.stdout(renderDiffs(plan.changed));
      io.stderr(
        plan.changed.length
          ? `secure-container audit: --dry-run: would fix ${fixSummary(plan.changed)}; nothing written\n`
          : 'secure-container audit: --fix --dry-run: nothing to change\n',
      );
      return exitCodeOf(report);
    }
    writeFixes(io.cwd, plan.changed);
    const written = plan.changed.filter((f) => f.error === undefined);
    for (const f of plan.changed)
      if (f.error !== undefined) io.stderr(`secure-container audit: ${escapeControl(`${f.path}: ${f.error}`)}\n`);
    // the diff goes where the report does not: stdout, unless a JSON/SARIF report is printed there
    const diffs = renderDiffs(written);
    if (diffs) (format !== 'text' && !values.output ? io.stderr : io.stdout)(diffs + (format === 'text' ? '\n' : ''));
    io.stderr(
      written.length
        ? `secure-container audit: fixed ${fixSummary(written)}\n`
        : 'secure-container audit: --fix: nothing to change\n',
    );
    report = reportAfterFixes(report, written);
    if (written.length !== plan.changed.length) report.unreadable = true;
  }

  const shown = report;
  const forText = format === 'text' ? await import('./fix/report.js') : null;
  // JSON and text (after --fix) a file report at a time; SARIF is one document
  const chunks: Iterable<string> =
    format === 'json'
      ? formatJsonChunks(shown)
      : format === 'sarif'
        ? [formatSarif(shown, pkgInfo())]
        : forText
          ? formatTextChunks(forText.annotateForText(shown, plan))
          : formatTextChunks(shown);
  const written = await writeReport(io, values.output, chunks, format !== 'sarif');
  if (written !== null) return written;
  return exitCodeOf(report);
}
