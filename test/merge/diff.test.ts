import { describe, it, expect } from '@jest/globals';
import { unifiedDiff } from '../../lib/merge/diff.js';
import { patch, diffPatch } from 'node-diff3';

/** Apply a unified diff produced by unifiedDiff to `a` (tiny patch(1) for LF texts). */
function applyUnified(a: string, diff: string): string {
  const src = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let pos = 0;
  const lines = diff.replace(/\n$/, '').split('\n').slice(2);
  for (const l of lines) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(l);
    if (h) {
      const start = Number(h[1]);
      const len = (h[2] as string | undefined) === undefined ? 1 : Number(h[2]);
      const idx = len === 0 ? start : start - 1;
      while (pos < idx) out.push(src[pos++]);
      continue;
    }
    if (l.startsWith(' ')) {
      expect(src[pos]).toBe(l.slice(1));
      out.push(src[pos++]);
    } else if (l.startsWith('-')) {
      expect(src[pos]).toBe(l.slice(1));
      pos++;
    } else if (l.startsWith('+')) out.push(l.slice(1));
  }
  while (pos < src.length) out.push(src[pos++]);
  return out.length ? out.join('\n') + '\n' : '';
}

describe('unifiedDiff', () => {
  const a = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

  it('is empty for identical texts', () => {
    expect(unifiedDiff('x', a, a)).toBe('');
  });

  it('prints headers, hunk ranges and context like diff -u', () => {
    const b = a.replace('line 5\n', 'line five\n');
    const d = unifiedDiff('Dockerfile', a, b);
    expect(d.split('\n').slice(0, 3)).toEqual(['--- a/Dockerfile', '+++ b/Dockerfile', '@@ -2,7 +2,7 @@']);
    expect(d).toContain('\n-line 5\n+line five\n');
    expect(applyUnified(a, d)).toBe(b);
  });

  it('splits distant changes into separate hunks and joins near ones', () => {
    const b = a.replace('line 2\n', 'two\n').replace('line 25\n', '').replace('line 28\n', 'line 28\nnew\n');
    const d = unifiedDiff('f', a, b);
    expect(d.match(/^@@ /gm)).toHaveLength(2);
    expect(applyUnified(a, d)).toBe(b);
  });

  it('handles created and deleted files', () => {
    expect(unifiedDiff('n', undefined, 'a\nb\n')).toBe('--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('n', 'a\n', undefined)).toBe('--- a/n\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n');
  });

  it('marks a missing final newline', () => {
    const d = unifiedDiff('f', 'a\nb\n', 'a\nb');
    expect(d).toContain('-b\n+b\n\\ No newline at end of file\n');
  });

  it('agrees with node-diff3 on random edits', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 50; n++) {
      const src = a.replace(/\n$/, '').split('\n');
      const dst = src.filter(() => rnd() > 0.15).map((l) => (rnd() > 0.85 ? l + ' edited' : l));
      if (rnd() > 0.5) dst.splice(Math.floor(rnd() * dst.length), 0, 'inserted');
      const b = dst.join('\n') + '\n';
      expect(applyUnified(a, unifiedDiff('f', a, b, { context: n % 4 }))).toBe(b);
      expect(patch(src, diffPatch(src, dst))).toEqual(dst);
    }
  });
});
