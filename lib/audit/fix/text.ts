// Text edits for `audit --fix`: a fix is a set of replacements of offset ranges of the file's own
// text, so every byte the fix does not touch (formatting, comments, quoting, line ends) stays as it was.

/** Replace text[start, end) with `text` (start === end: an insertion). Offsets are UTF-16 indices. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Apply edits that do not overlap (insertions at the same offset are applied in the given order).
 * Returns null when two edits overlap (the fixer is wrong: nothing is applied).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string | null {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) return null;
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The file's line end: CRLF when its first line ends so, else LF. */
export function eolOf(text: string): '\r\n' | '\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** A lone CR (not followed by LF) counts as a line break for some parsers but not for others: such files are not fixed. */
export function hasLoneCr(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text[i + 1] !== '\n') return true;
  return false;
}

/** Line starts of a text (lines end at LF; a CR before it belongs to the line's end). */
export class Lines {
  readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Offset of a 0-based line and character (as dockerfile-ast positions give them). */
  offset(line: number, character: number): number {
    return (this.starts[line] ?? this.text.length) + character;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** End of a 0-based line's content (before its CR LF / LF). */
  contentEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1];
    return this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }

  /** A 0-based line's content, without its line end. */
  line(line: number): string {
    return this.text.slice(this.starts[line] ?? this.text.length, this.contentEnd(line));
  }

  /** The leading blanks of a 0-based line. */
  indent(line: number): string {
    return /^[ \t]*/.exec(this.line(line))?.[0] ?? '';
  }
}

/** Whole new lines after 0-based `line` (when it is the last line and has no line end, neither has the new last line). */
export function insertLinesAfter(lines: Lines, line: number, added: readonly string[], eol: string): Edit {
  if (line + 1 < lines.starts.length) {
    const next = lines.starts[line + 1];
    return { start: next, end: next, text: added.map((l) => l + eol).join('') };
  }
  const end = lines.text.length;
  return { start: end, end, text: added.map((l) => eol + l).join('') };
}

/** Whole new lines before 0-based `line`. */
export function insertLinesBefore(lines: Lines, line: number, added: readonly string[], eol: string): Edit {
  const at = lines.starts[line];
  return { start: at, end: at, text: added.map((l) => l + eol).join('') };
}
