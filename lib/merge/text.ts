// Line handling shared by the merge and the diff: line endings, trailing newline.
// Pure; no I/O.

export type Eol = '\n' | '\r\n';

/** A text split into lines with its line-ending style and trailing-newline bit recorded separately. */
export interface SplitText {
  /** lines without their terminators */
  lines: string[];
  /** dominant line ending, or null when the text has no line break at all */
  eol: Eol | null;
  /** true when the text ends with a line break */
  finalNewline: boolean;
}

/**
 * Dominant line ending of a text: CRLF when at least half of the line breaks are CRLF, LF when
 * there is any other line break, null when there is none. Mixed files are normalised to their
 * dominant style by the merge (documented in docs/upgrade.md).
 */
export function detectEol(text: string): Eol | null {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  if (crlf === 0 && lf === 0) return null;
  return crlf >= lf ? '\r\n' : '\n';
}

export function splitText(text: string): SplitText {
  const eol = detectEol(text);
  const normalized = text.replace(/\r\n/g, '\n');
  if (normalized === '') return { lines: [], eol, finalNewline: false };
  const finalNewline = normalized.endsWith('\n');
  const body = finalNewline ? normalized.slice(0, -1) : normalized;
  return { lines: body.split('\n'), eol, finalNewline };
}

export function joinText(lines: readonly string[], eol: Eol, finalNewline: boolean): string {
  if (lines.length === 0) return '';
  return lines.join(eol) + (finalNewline ? eol : '');
}

/**
 * Split keeping each line's terminator ("a\n", "b\r\n", last line possibly without one), so that
 * a missing final newline or a changed line ending is a visible difference (used by the diff).
 */
export function splitKeepEnds(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

const MARKER_START = /^<{7}(?: |$)/;
const MARKER_END = /^>{7}(?: |$)/;
const MARKER_MID = /^={7}$/;

/** Number of complete conflict blocks (<<<<<<< … ======= … >>>>>>>) left in a text. */
export function countConflictMarkers(text: string): number {
  let n = 0;
  let state = 0; // 0 outside, 1 after <<<<<<<, 2 after =======
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (state === 0 && MARKER_START.test(line)) state = 1;
    else if (state === 1 && MARKER_MID.test(line)) state = 2;
    else if (state === 2 && MARKER_END.test(line)) {
      n++;
      state = 0;
    }
  }
  return n;
}
