// Small pure text helpers shared by the detectors. No I/O.

/** Lowercase DNS label (RFC 1123): [a-z0-9-], starts and ends alphanumeric, at most 63 chars. */
export function dnsLabel(raw: string): string | undefined {
  const s = raw
    .replace(/^@[^/]*\//, '') // npm scope
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return s.length > 0 ? s : undefined;
}

/** A short, printable excerpt of one line of a repo file, safe to show in a terminal. */
export function excerpt(line: string, max = 80): string {
  // eslint-disable-next-line no-control-regex -- this pattern exists to find control characters (untrusted text shown in a terminal)
  const clean = line.trim().replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The full line containing a character offset. */
export function lineTextAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end);
}

/** `file:line: excerpt` for a regex match, the standard source text of a fact found in code. */
export function matchSource(file: string, text: string, offset: number): string {
  return `${file}:${lineAt(text, offset)}: ${excerpt(lineTextAt(text, offset))}`;
}

/**
 * Line lookups for many matches in one file. `lineAt` counts newlines from the start of the text
 * and `excerpt(lineTextAt(…))` cleans the whole line, so calling them once per match is quadratic
 * (10k/20k/40k route lines took 2.4/8.5/30.5 s, and one 1 MB line with many matches is as bad).
 * Here the line starts are found once (O(n)), a lookup is a binary search, and per-line results
 * (excerpt, "is a comment") are computed once per line. Same results as lineAt / lineTextAt /
 * matchSource.
 */
export class LineIndex {
  private starts: number[] | undefined;
  private readonly excerpts = new Map<number, string>();
  /** the last line asked about by isCommentLine (matches come in order, often many on one line) */
  private commentLine = -1;
  private commentValue = false;

  constructor(readonly text: string) {}

  /** the start offset of every line, found on first use */
  private lineStarts(): number[] {
    if (this.starts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 0-based index of the line containing `offset` */
  private index(offset: number): number {
    const a = this.lineStarts();
    const x = Math.min(offset, this.text.length);
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line number of a character offset (as lineAt). */
  lineAt(offset: number): number {
    return this.index(offset) + 1;
  }

  /** The full line containing a character offset (as lineTextAt). */
  lineText(offset: number): string {
    const k = this.index(offset);
    const a = this.lineStarts();
    return this.text.slice(a[k], k + 1 < a.length ? a[k + 1] - 1 : this.text.length);
  }

  /** Is the line of `offset` a comment line (`//`, `#` or `*` first)? Not recomputed for the same line. */
  isCommentLine(offset: number): boolean {
    const k = this.index(offset);
    if (k !== this.commentLine) {
      this.commentLine = k;
      this.commentValue = /^\s*(?:\/\/|#|\*)/.test(this.lineText(offset));
    }
    return this.commentValue;
  }

  /** `file:line: excerpt` (as matchSource), the excerpt computed once per line. */
  source(file: string, offset: number): string {
    const k = this.index(offset);
    let e = this.excerpts.get(k);
    if (e === undefined) {
      e = excerpt(this.lineText(offset));
      this.excerpts.set(k, e);
    }
    return `${file}:${k + 1}: ${e}`;
  }
}

/**
 * JSON with comments and trailing commas (tsconfig.json, jsconfig.json). Returns undefined when
 * the text still is not valid JSON.
 */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(out) as unknown;
  } catch {
    return undefined;
  }
}

/** Strict JSON parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Split a package.json script into words, like a POSIX shell would for the simple cases.
 * Returns null when the script uses shell features we will not translate to exec form
 * (operators, redirections, substitutions, globs), so the caller does not use it as-is.
 */
export function shellSplit(script: string): string[] | null {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const s = script.trim();
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return null;
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let buf = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '$' || s[j] === '`') return null;
        if (s[j] === '\\' && j + 1 < s.length) {
          buf += s[j + 1];
          j += 2;
        } else {
          buf += s[j];
          j++;
        }
      }
      if (j >= s.length) return null;
      cur += buf;
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= s.length) return null;
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if ('&|;<>()$`*?{}'.includes(c)) {
      return null;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Relative POSIX path that stays inside the repository and uses only plain characters. */
export function isSafeRelPath(p: string): boolean {
  if (p.length === 0 || p.length > 255) return false;
  if (p.startsWith('/') || p.includes('\\')) return false;
  if (!/^[A-Za-z0-9._@+/-]+$/.test(p)) return false;
  return !p.split('/').some((seg) => seg === '..' || seg === '');
}

/** "./dist/" -> "dist"; "." stays "."; returns undefined for paths leaving the repo. */
export function normalizeRelDir(p: string): string | undefined {
  const parts: string[] = [];
  for (const seg of p.trim().replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return undefined;
    parts.push(seg);
  }
  if (p.trim().startsWith('/')) return undefined;
  const out = parts.length === 0 ? '.' : parts.join('/');
  return out === '.' || isSafeRelPath(out) ? out : undefined;
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '.' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Number of path segments: "a.js" -> 1, "src/a.js" -> 2. */
export function depth(p: string): number {
  return p.split('/').length;
}

/** Is this a test file or inside a test/fixture/example folder? (not scanned for ports/routes) */
export function isTestPath(p: string): boolean {
  const segs = p.split('/');
  if (
    segs
      .slice(0, -1)
      .some((s) => /^(?:tests?|__tests__|spec|specs|fixtures?|examples?|e2e|testdata|mocks?|__mocks__|docs?)$/i.test(s))
  ) {
    return true;
  }
  const b = segs[segs.length - 1];
  return (
    /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(b) ||
    /_test\.go$/.test(b) ||
    /^test_.*\.py$/.test(b) ||
    /_test\.py$/.test(b) ||
    b === 'conftest.py'
  );
}
