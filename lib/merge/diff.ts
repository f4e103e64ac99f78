// A small unified diff (as `diff -u` / `git diff` print it) for `upgrade --dry-run`.
// Uses node-diff3's LCS (Hunt–McIlroy) on lines that keep their terminators, so a changed line
// ending or a missing final newline shows up. Pure; no I/O.
import { diffIndices } from 'node-diff3';
import { splitKeepEnds } from './text.js';

export interface UnifiedDiffOptions {
  /** lines of context around each change (default 3) */
  context?: number;
}

function show(line: string, prefix: string, out: string[]): void {
  if (line.endsWith('\n')) {
    out.push(prefix + line.slice(0, -1)); // a CR of a CRLF line stays, as diff -u prints it
  } else {
    out.push(prefix + line, '\\ No newline at end of file');
  }
}

function range(start: number, len: number): string {
  // diff -u numbering: 1-based start, or the line before when the range is empty
  const s = len === 0 ? start : start + 1;
  return len === 1 ? `${s}` : `${s},${len}`;
}

/**
 * Unified diff from `a` (undefined = file absent) to `b` (undefined = file removed).
 * Returns "" when the texts are identical.
 */
export function unifiedDiff(
  path: string,
  a: string | undefined,
  b: string | undefined,
  opts: UnifiedDiffOptions = {},
): string {
  if (a === b) return '';
  const ctx = Math.max(0, opts.context ?? 3);
  const x = splitKeepEnds(a ?? '');
  const y = splitKeepEnds(b ?? '');
  const chunks = diffIndices(x, y);
  if (chunks.length === 0) return '';

  const out: string[] = [
    a === undefined ? '--- /dev/null' : `--- a/${path}`,
    b === undefined ? '+++ /dev/null' : `+++ b/${path}`,
  ];
  let i = 0;
  while (i < chunks.length) {
    // group chunks whose unchanged gap is at most 2*ctx lines
    let j = i;
    while (j + 1 < chunks.length) {
      const cur = chunks[j];
      const next = chunks[j + 1];
      if (next.buffer1[0] - (cur.buffer1[0] + cur.buffer1[1]) > 2 * ctx) break;
      j++;
    }
    const first = chunks[i];
    const last = chunks[j];
    const aStart = Math.max(0, first.buffer1[0] - ctx);
    const aEnd = Math.min(x.length, last.buffer1[0] + last.buffer1[1] + ctx);
    const bStart = Math.max(0, first.buffer2[0] - ctx);
    const bEnd = Math.min(y.length, last.buffer2[0] + last.buffer2[1] + ctx);
    const body: string[] = [];
    let ai = aStart;
    for (let k = i; k <= j; k++) {
      const c = chunks[k];
      for (; ai < c.buffer1[0]; ai++) show(x[ai], ' ', body);
      for (const l of c.buffer1Content) show(l, '-', body);
      for (const l of c.buffer2Content) show(l, '+', body);
      ai = c.buffer1[0] + c.buffer1[1];
    }
    for (; ai < aEnd; ai++) show(x[ai], ' ', body);
    out.push(`@@ -${range(aStart, aEnd - aStart)} +${range(bStart, bEnd - bStart)} @@`, ...body);
    i = j + 1;
  }
  return out.join('\n') + '\n';
}
