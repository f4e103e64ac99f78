// Shared by the benchmarks: run a command many times, measure wall time and peak RSS, report medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const probeDir = mkdtempSync(join(tmpdir(), 'sc-bench-probe-'));
const probe = join(probeDir, 'maxrss.mjs');
// a preload that records the Node process's own peak RSS (KiB) when it exits
writeFileSync(
  probe,
  "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.SC_MAXRSS_FILE) writeFileSync(process.env.SC_MAXRSS_FILE, String(process.resourceUsage().maxRSS)); });\n",
);

export interface Sample {
  ms: number;
  rssMiB: number;
}

/** Run a Node script once; returns wall time and the child's peak RSS. Throws on a non-zero exit. */
export function runNode(args: string[], cwd: string, env: Record<string, string> = {}): Sample {
  const rssFile = join(probeDir, `rss-${process.hrtime.bigint()}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`,
      SC_MAXRSS_FILE: rssFile,
      CI: '1',
      NO_UPDATE_NOTIFIER: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  let rssMiB = NaN;
  try {
    rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    rmSync(rssFile);
  } catch {
    /* the process did not reach its exit handler */
  }
  return { ms, rssMiB };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}
