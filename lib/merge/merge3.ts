// Three-way, line-based merge of generated files (node-diff3 underneath).
//   base   = the file exactly as the previous version generated it (the pristine copy)
//   ours   = the user's current file (their edits)
//   theirs = the new rendering (new templates and/or new answers)
// Pure; no I/O. See docs/upgrade.md for the rules.
import { diff3Merge, diffComm } from 'node-diff3';
import { joinText, splitText, type Eol, type SplitText } from './text.js';

export type MergeStrategy = 'ours' | 'theirs';

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface Merge3Options {
  /** text after the markers; defaults: "yours (your edits)", "generated (previous version)", "generated (new version)" */
  labels?: Partial<MergeLabels>;
  /** resolve every conflict at once: 'ours' keeps the user's side, 'theirs' takes the new rendering */
  strategy?: MergeStrategy;
  /** 'diff3' (default) also shows the previously generated text between ||||||| and =======; 'merge' omits it */
  style?: 'diff3' | 'merge';
}

export interface Merge3Result {
  /** the merged text, with conflict markers when conflicts > 0 */
  text: string;
  /** conflict blocks written into text (0 when a strategy resolved them) */
  conflicts: number;
  /** conflicts settled by opts.strategy */
  resolved: number;
  /** true when text has no conflict markers */
  clean: boolean;
}

export const DEFAULT_LABELS: MergeLabels = {
  ours: 'yours (your edits)',
  base: 'generated (previous version)',
  theirs: 'generated (new version)',
};

type Region = { ok: string[] } | { conflict: { a: string[]; o: string[]; b: string[] } };

/** Lines equal once runs of whitespace are collapsed and ends trimmed. */
function sameIgnoringWhitespace(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: string) => l.replace(/\s+/g, ' ').trim();
  if (a.length !== b.length) return false;
  return a.every((line, i) => norm(line) === norm(b[i]));
}

function oneLine(label: string): string {
  return label.replace(/[\r\n]+/g, ' ');
}

/** Three-way attribute merge: the user's value when they changed it, else the new one. */
function pick<T>(base: T, ours: T, theirs: T): T {
  return ours !== base ? ours : theirs;
}

function regionsOf(base: SplitText | null, ours: SplitText, theirs: SplitText): Region[] {
  if (base === null) {
    // No common ancestor (a file the user wrote before the generator did): a two-way merge where
    // shared lines are kept and every difference is a conflict.
    return diffComm(ours.lines, theirs.lines).map((c) =>
      c.common ? { ok: c.common } : { conflict: { a: c.buffer1, o: [], b: c.buffer2 } },
    );
  }
  // node-diff3 types a region as { ok?, conflict? }: it has exactly one of them
  return diff3Merge(ours.lines, base.lines, theirs.lines, { excludeFalseConflicts: true }).map((r): Region => {
    if (r.ok) return { ok: r.ok };
    if (!r.conflict) throw new Error('node-diff3: merge region with neither ok nor conflict');
    return { conflict: { a: r.conflict.a, o: r.conflict.o, b: r.conflict.b } };
  });
}

/**
 * Merge `ours` and `theirs` relative to `base` (null = no common ancestor: two-way).
 * Lines are compared after normalising CRLF to LF; the result uses the user's line-ending style
 * and trailing-newline choice when they changed it from the base, the new rendering's otherwise.
 */
export function merge3(base: string | null, ours: string, theirs: string, opts: Merge3Options = {}): Merge3Result {
  const labels = { ...DEFAULT_LABELS, ...opts.labels };
  const style = opts.style ?? 'diff3';
  const b = base === null ? null : splitText(base);
  const a = splitText(ours);
  const t = splitText(theirs);

  const eol: Eol = (b ? pick(b.eol, a.eol, t.eol) : a.eol) ?? a.eol ?? t.eol ?? '\n';
  const finalNewline = b
    ? pick(b.finalNewline, a.finalNewline, t.finalNewline)
    : a.lines.length
      ? a.finalNewline
      : t.finalNewline;

  const out: string[] = [];
  let conflicts = 0;
  let resolved = 0;
  for (const region of regionsOf(b, a, t)) {
    if ('ok' in region) {
      out.push(...region.ok);
      continue;
    }
    const c = region.conflict;
    if (sameIgnoringWhitespace(c.a, c.b)) {
      // Both sides made the same change, differing only in whitespace: keep the user's spelling.
      out.push(...c.a);
      continue;
    }
    if (opts.strategy === 'ours') {
      out.push(...c.a);
      resolved++;
      continue;
    }
    if (opts.strategy === 'theirs') {
      out.push(...c.b);
      resolved++;
      continue;
    }
    conflicts++;
    out.push(`<<<<<<< ${oneLine(labels.ours)}`, ...c.a);
    if (style === 'diff3' && b !== null) out.push(`||||||| ${oneLine(labels.base)}`, ...c.o);
    out.push('=======', ...c.b, `>>>>>>> ${oneLine(labels.theirs)}`);
  }
  // A conflict block always ends with a marker line: terminate it even if neither side had a final newline.
  const text = joinText(out, eol, finalNewline || conflicts > 0);
  return { text, conflicts, resolved, clean: conflicts === 0 };
}
