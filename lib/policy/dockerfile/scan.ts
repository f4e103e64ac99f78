// The audit's fast Dockerfile reader: one linear pass over the text that gives exactly what the
// model reads from dockerfile-ast (keyword, lines, argument text and words, flags, ENV/ARG/LABEL
// properties, exec-form arrays, comments) without building a TextDocument, Range objects or a
// class per instruction. dockerfile-ast stays the reference: on any construct whose reading in
// dockerfile-ast is intricate (CR line ends, a byte-order mark, the backtick escape directive,
// comment or blank lines inside a continuation, a backslash followed by blanks, heredocs, ONBUILD,
// quoted or escaped ENV/ARG/LABEL values, exec forms beyond plain string arrays, escaped flags)
// scanDockerfile returns null and the model is built from dockerfile-ast, as before.
//
// Why: on a batch of Dockerfiles, dockerfile-ast's parse was 40% of the audit's time (issue 12,
// batch speed). test/policy/scan.test.ts checks that, wherever this reader answers, it answers what
// dockerfile-ast answers, on every Dockerfile of the repository's fixtures and goldens and on
// generated variants.

export interface ScannedProperty {
  name: string;
  value: string | null;
  line: number;
}

export interface ScannedInstruction {
  /** the instruction word as written (`run`, `Run`, …) */
  instruction: string;
  /** upper-cased instruction word */
  keyword: string;
  /** 1-based first and last line */
  line: number;
  endLine: number;
  /** every argument word (flags included), escapes resolved as dockerfile-ast's getArguments does */
  words: string[];
  /** the number of leading words that are flags (RUN/COPY/ADD/FROM/HEALTHCHECK) */
  flagCount: number;
  /** dockerfile-ast's getArgumentsContent(): the arguments with continuations joined (null: none) */
  args: string | null;
  /** dockerfile-ast's getRawArgumentsContent(): the argument text as written (null: none) */
  raw: string | null;
  /** 1-based line of the first argument (the instruction's line when there is none) */
  rawLine: number;
  /** exec-form array, or null */
  json: string[] | null;
  flags: Map<string, string[]> | null;
  properties: ScannedProperty[];
}

export interface ScannedDockerfile {
  instructions: ScannedInstruction[];
  comments: { line: number; text: string }[];
}

/** Instructions dockerfile-ast reads as JSON instructions (exec form possible). */
const JSON_KEYWORDS = new Set(['ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME']);
/** Instructions whose leading `--` words are flags (dockerfile-ast's ModifiableInstruction). */
const FLAG_KEYWORDS = new Set(['ADD', 'COPY', 'FROM', 'RUN', 'HEALTHCHECK']);
const PROPERTY_KEYWORDS = new Set(['ARG', 'ENV', 'LABEL']);
const HEREDOC_KEYWORDS = new Set(['ADD', 'COPY', 'RUN']);
/** A plain exec-form array: strings without escapes other than \" and \\, on one line. */
const PLAIN_JSON = /^\[[ \t]*(?:"(?:[^"\\\n]|\\["\\])*"[ \t]*(?:,[ \t]*"(?:[^"\\\n]|\\["\\])*"[ \t]*)*)?\]$/;

const SPACE = 32;
const TAB = 9;
const LF = 10;
const HASH = 35;
const BACKSLASH = 92;

const isBlank = (c: number): boolean => c === SPACE || c === TAB;
/** A run of characters between blanks and line ends (sticky: from lastIndex). */
const WORD = /[^ \t\n]+/y;
/** Without leading and trailing blanks (a loop: a regex `[ \t]+$` is quadratic on long blank runs). */
function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/**
 * The number of parser-directive lines at the top (dockerfile-ast's getParserDirectives: `# name=value`
 * lines, read until a line that is not one), or -1 when one of them sets an escape character other
 * than the backslash.
 */
function directiveLines(text: string): number {
  let count = 0;
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== HASH) return count;
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    const line = text.slice(i + 1, eol);
    const eq = line.indexOf('=');
    if (eq < 0) return count;
    const name = line.slice(0, eq).trim();
    if (name === '') return count;
    // name: up to the first blank after it starts (dockerfile-ast's directiveEnd)
    const directive = name.split(/[ \t]/)[0].toLowerCase();
    const rest = line.slice(eq + 1);
    const value = /^[ \t]*(\S*)/.exec(rest)?.[1] ?? '';
    if (directive === 'escape' && value !== '\\' && value !== '' && value === '`') return -1;
    count++;
    // after a directive, dockerfile-ast continues right after its value: trailing blanks stop the reading
    const afterValue = rest.replace(/^[ \t]*\S*/, '');
    if (afterValue !== '' || eol >= n) return count;
    i = eol + 1;
  }
}

/** The offset where line `k` (0-based) starts, or the text's length. */
function lineOffset(text: string, k: number): number {
  let at = 0;
  for (let j = 0; j < k; j++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at;
}

/**
 * The next index of `needle` at or after a position, for positions that only grow: a search resumes
 * from where the last one stopped. `text.indexOf(needle, pos)` from every instruction would scan to
 * the end of the file each time the needle is rare (no backslash in 16,000 ARG lines: quadratic).
 */
class NextIndex {
  private at = -2; // -2: not searched yet; -1: none left
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}
  /** `pos` must not be less than the one asked before. */
  from(pos: number): number {
    if (this.at !== -1 && this.at < pos) this.at = this.text.indexOf(this.needle, pos);
    return this.at;
  }
}

interface Cursors {
  backslash: NextIndex;
  heredoc: NextIndex;
}

/** Thrown inside the scan when the file leaves the subset this reader handles. */
const BAIL = new Error('outside the fast reader'); // one object: a bail allocates nothing
/** Why the last scanDockerfile returned null (for tests and `npm run bench:audit`). */
export let lastBail = '';
function bail(why: string): never {
  lastBail = why;
  throw BAIL;
}

/**
 * Read a Dockerfile the way dockerfile-ast does, or null when the text uses a construct this
 * reader leaves to dockerfile-ast (see the file's header).
 */
export function scanDockerfile(text: string): ScannedDockerfile | null {
  lastBail = '';
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) {
    lastBail = 'CR or byte-order mark';
    return null;
  }
  const directives = directiveLines(text);
  if (directives < 0) {
    lastBail = 'escape directive';
    return null;
  }
  try {
    return scan(text, lineOffset(text, directives), directives + 1);
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}

function scan(text: string, start: number, firstLine: number): ScannedDockerfile {
  const n = text.length;
  const instructions: ScannedInstruction[] = [];
  const comments: ScannedDockerfile['comments'] = [];
  const cursors: Cursors = { backslash: new NextIndex(text, '\\'), heredoc: new NextIndex(text, '<<') };
  let line = firstLine; // 1-based line of offset i
  let lineStart = start;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (isBlank(c)) continue;
    if (c === HASH) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      comments.push({ line, text: trimBlanks(text.slice(i + 1, end)) });
      i = end - 1;
      continue;
    }
    // an instruction: its word runs to the first blank or line end
    let w = i;
    while (w < n) {
      const d = text.charCodeAt(w);
      if (d === SPACE || d === TAB || d === LF) break;
      if (d === BACKSLASH) bail('escaped instruction word');
      w++;
    }
    const word = text.slice(i, w);
    const keyword = word.toUpperCase();
    if (keyword === 'ONBUILD') bail('ONBUILD');
    if (w >= n || text.charCodeAt(w) === LF) {
      instructions.push(bare(word, keyword, line));
      i = w - 1;
      continue;
    }
    // arguments: to the line end that is not escaped (lines without a backslash are skipped whole)
    let end = w;
    let endLine = line;
    let continued = false;
    let skipped = false; // blank or comment lines inside the continuation
    // asked before the loop below moves the cursor on (its positions only grow)
    const firstBackslash = cursors.backslash.from(w);
    for (;;) {
      let lf = text.indexOf('\n', end);
      if (lf < 0) lf = n;
      let bs = cursors.backslash.from(end);
      if (bs < 0 || bs >= lf) {
        end = lf;
        break;
      }
      let next = -1;
      for (; bs >= 0 && bs < lf; bs = cursors.backslash.from(bs + 1)) {
        // dockerfile-ast does not skip the character after a backslash: `\\` then a line end continues
        next = text.charCodeAt(bs + 1);
        if (next === LF) break;
        if (next === SPACE || next === TAB) bail('blank after an escape');
        if (next !== next) bail('escape at the end'); // NaN: the backslash ends the file
      }
      if (next !== LF || bs + 1 !== lf) {
        end = lf;
        break;
      }
      // a continuation: blank and comment lines after it are skipped (the comments are the file's
      // comments, as in dockerfile-ast); then a line with arguments must follow
      let at = lf + 1;
      endLine++;
      for (;;) {
        let k = at;
        while (k < n && isBlank(text.charCodeAt(k))) k++;
        if (k >= n) bail('continuation at the end');
        const first = text.charCodeAt(k);
        // a line starting with escapes (`\t\\` alone, `\\(` in a find expression) is read as any other,
        // but escapes then `#` are a comment to dockerfile-ast's parser, not to its argument reader
        if (first === BACKSLASH) {
          let m = k;
          while (text.charCodeAt(m) === BACKSLASH) m++;
          if (text.charCodeAt(m) === HASH) bail('escape starting a continuation line');
        }
        if (first !== LF && first !== HASH) break;
        let eol = text.indexOf('\n', k);
        if (eol < 0) eol = n;
        if (first === HASH) {
          // dockerfile-ast reads escapes inside such a comment as part of the arguments
          const bsIn = cursors.backslash.from(k);
          if (bsIn >= 0 && bsIn < eol) bail('escape in a comment inside a continuation');
          comments.push({ line: endLine, text: trimBlanks(text.slice(k + 1, eol)) });
        }
        if (eol >= n) bail('continuation at the end');
        at = eol + 1;
        endLine++;
        skipped = true;
      }
      continued = true;
      end = at;
    }
    const ins = instruction(text, cursors, firstBackslash, word, keyword, line, endLine, w, end, lineStart, continued);
    if (skipped && (PROPERTY_KEYWORDS.has(keyword) || ins.json !== null)) bail('comment in a property');
    instructions.push(ins);
    line = endLine;
    // `end` is the line end (or the text's end); the loop's LF handling counts that line
    i = end - 1;
  }
  return { instructions, comments };
}

/** Every instruction object is made here, with its fields in one order (one shape for V8). */
function make(
  instruction: string,
  keyword: string,
  line: number,
  endLine: number,
  words: string[],
  flagCount: number,
  args: string | null,
  raw: string | null,
  rawLine: number,
  json: string[] | null,
  flags: Map<string, string[]> | null,
  properties: ScannedProperty[],
): ScannedInstruction {
  return { instruction, keyword, line, endLine, words, flagCount, args, raw, rawLine, json, flags, properties };
}

/** Characters splitWords' escape-aware loop treats alike when they follow an ordinary one: none of blank, line end, backslash. */
const ORDINARY_RUN = /[^ \t\n\\]+/y;
/** Characters propertiesOf treats alike when they follow an ordinary one: none of backslash, quotes, line end, `#`, blank, `$`. */
const PROPERTY_RUN = /[^\\"'\n# \t$]+/y;

const NONE: string[] = [];
const NO_PROPERTIES: ScannedProperty[] = [];

function bare(word: string, keyword: string, line: number): ScannedInstruction {
  return make(word, keyword, line, line, NONE, 0, null, null, line, null, null, NO_PROPERTIES);
}

/**
 * Where splitWords' last words start and end: word k at wordStarts[k]..wordEnds[k], for k below the
 * length of the array it returned. Shared and overwritten by every call (written by index: no array
 * a call), read before the next one.
 */
const wordStarts: number[] = [];
const wordEnds: number[] = [];

/** Argument words (their offsets in wordStarts/wordEnds), as dockerfile-ast's getRawArguments splits them. */
function splitWords(text: string, from: number, to: number, bs: number): string[] {
  const values: string[] = [];
  const starts = wordStarts;
  const ends = wordEnds;
  if (bs < 0 || bs >= to) {
    // no backslash: words are the runs between blanks, as written (a regular expression: native
    // code from the first file on, where a loop over characters runs in V8's interpreter at first)
    // (a sticky test and lastIndex, not exec: no match array a word)
    let i = from;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB || c === LF) {
        i++;
        continue;
      }
      WORD.lastIndex = i;
      WORD.test(text);
      const next = WORD.lastIndex;
      const end = next < to ? next : to;
      starts[values.length] = i;
      ends[values.length] = end;
      values.push(text.slice(i, end));
      i = next;
    }
    return values;
  }
  let found = -1;
  let escapeMarker = -1;
  let escapedWhitespace = false;
  let escaping = false;
  // a line after a continuation whose first text is `#` is a comment (skipped)
  let start = false;
  let comment = false;
  let value = '';
  const push = (endAt: number): void => {
    starts[values.length] = found;
    ends[values.length] = endAt;
    values.push(value);
    value = '';
    found = -1;
  };
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF) {
      if (escaping) {
        escapedWhitespace = c !== LF;
        if (c === LF && comment) {
          comment = false;
          start = true;
        }
        continue;
      }
      if (found !== -1) {
        push(escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
      }
      continue;
    }
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === LF) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i++;
        continue;
      }
      if (escapedWhitespace && escapeMarker !== -1) push(escapeMarker);
      escapeMarker = -1;
      escapedWhitespace = false;
      escaping = false;
      if (i + 1 >= to) break;
      value += next === 36 /* $ */ ? '\\$' : text[i + 1];
      if (found === -1) found = i;
      i++;
      continue;
    }
    if (comment) continue;
    if (start && c === HASH) {
      comment = true;
      start = false;
      continue;
    }
    start = false;
    if (escapedWhitespace && escapeMarker !== -1) push(escapeMarker);
    escapedWhitespace = false;
    escaping = false;
    escapeMarker = -1;
    if (found === -1) found = i;
    // this character and the ordinary ones after it (each would take this branch again, with the
    // state just set): one slice, not a string a character
    ORDINARY_RUN.lastIndex = i + 1;
    const j = ORDINARY_RUN.test(text) ? Math.min(ORDINARY_RUN.lastIndex, to) : i + 1;
    value += text.slice(i, j);
    i = j - 1;
  }
  if (found !== -1) push(escapeMarker === -1 ? to : escapeMarker);
  return values;
}

/**
 * dockerfile-ast's getArgumentsContent for arguments spanning lines (no comment or blank line among
 * them): each line's text up to its continuation, the first from the first argument, the others from
 * their column 0 (a one-character line at column 0 is dropped, as there).
 */
function joinedContent(text: string, first: number, last: number, lineStartOfFirst: number): string {
  let out = '';
  let startPos = first; // -1: not set (dockerfile-ast's startPosition === null)
  let end = -1;
  let comment = false;
  let lineStart = lineStartOfFirst;
  for (let i = first; i < last; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === LF) {
        if (startPos !== -1) out += text.slice(startPos, end + 1);
        startPos = -1;
        comment = false;
        i++;
        lineStart = i + 1;
      } else i++;
      continue;
    }
    if (c === LF) {
      if (comment) {
        startPos = -1;
        comment = false;
      }
      lineStart = i + 1;
      continue;
    }
    if (comment) continue;
    if (startPos === -1) {
      // a `#` before the line's text has started (at column 0 or 1) starts a comment there
      if (c === HASH) {
        comment = true;
        continue;
      }
      if (i - lineStart !== 0) startPos = lineStart;
    }
    end = i;
  }
  out += startPos === -1 ? text.slice(end, end + 1) : text.slice(startPos, end + 1);
  return out;
}

function instruction(
  text: string,
  cursors: Cursors,
  firstBackslash: number,
  word: string,
  keyword: string,
  line: number,
  endLine: number,
  from: number,
  to: number,
  lineStart: number,
  continued: boolean,
): ScannedInstruction {
  const values = splitWords(text, from, to, firstBackslash);
  const starts = wordStarts;
  const ends = wordEnds;
  if (values.length === 0)
    return make(word, keyword, line, endLine, NONE, 0, null, null, line, null, null, NO_PROPERTIES);
  if (HEREDOC_KEYWORDS.has(keyword)) {
    const h = cursors.heredoc.from(from);
    if (h >= 0 && h < to) bail('heredoc');
  }

  let flagCount = 0;
  let flags: Map<string, string[]> | null = null;
  if (FLAG_KEYWORDS.has(keyword)) {
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (keyword === 'HEALTHCHECK') {
        const u = v.toUpperCase();
        if (u === 'CMD' || u === 'NONE') break;
      } else if (!v.includes('--')) break;
      if (!v.startsWith('--')) continue;
      // the flag's text as written must be the value (no escapes, no continuation inside)
      if (text.slice(starts[k], ends[k]) !== v) bail('escaped flag');
      flagCount++;
      flags ??= new Map();
      const eq = v.indexOf('=');
      const name = (eq < 0 ? v.slice(2) : v.slice(2, eq)).toLowerCase();
      const value = eq < 0 ? '' : v.slice(eq + 1);
      const list = flags.get(name);
      if (list) list.push(value);
      else flags.set(name, [value]);
    }
  }
  // dockerfile-ast's argument text, range and exec form start after the flags
  if (flagCount >= values.length)
    return make(word, keyword, line, endLine, values, flagCount, null, null, line, null, flags, NO_PROPERTIES);
  const first = starts[flagCount];
  const last = ends[values.length - 1];
  const raw = text.slice(first, last);
  let rawLine = line;
  if (continued) for (let k = text.indexOf('\n', from); k >= 0 && k < first; k = text.indexOf('\n', k + 1)) rawLine++;
  // arguments on more than one line: joined as dockerfile-ast's getArgumentsRanges joins them
  const multiline = continued && raw.includes('\n');
  const args = multiline ? joinedContent(text, first, last, lineStart) : raw;

  let json: string[] | null = null;
  // dockerfile-ast looks for the opening bracket past any leading `]`
  const lead = values[flagCount].charCodeAt(0);
  if ((lead === 91 /* [ */ || lead === 93) /* ] */ && JSON_KEYWORDS.has(keyword)) {
    if (multiline || flagCount > 0 || !PLAIN_JSON.test(raw)) bail('exec form');
    json = JSON.parse(raw) as string[];
  }

  const properties = PROPERTY_KEYWORDS.has(keyword) ? propertiesOf(raw, rawLine, line) : NO_PROPERTIES;
  return make(word, keyword, line, endLine, values, flagCount, args, raw, rawLine, json, flags, properties);
}

/**
 * ENV/ARG/LABEL pairs as dockerfile-ast's PropertyInstruction reads them, when no argument holds an
 * escape or a continuation: arguments split at blanks outside quotes and `${…}` (a continuation
 * between two arguments is a blank), `NAME=value`, `NAME value…`, enclosing quotes removed.
 */
function propertiesOf(raw: string, rawLine: number, line: number): ScannedProperty[] {
  const starts: number[] = [];
  const ends: number[] = [];
  const len = raw.length;
  // arguments starting on a continuation line begin "escaped", as in dockerfile-ast
  let escaped = rawLine !== line;
  let argStart = escaped ? -1 : 0;
  let spaced = false;
  let mark = -1;
  const push = (from: number, to: number): void => {
    if (to < from) bail('escaped property'); // an argument split before any continuation
    starts.push(from);
    ends.push(to);
  };
  scan: for (let i = 0; i < len; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH) {
      // only a continuation reaches here (an escape inside an argument is refused below)
      if (raw.charCodeAt(i + 1) !== LF) bail('escaped property');
      if (!escaped) mark = i;
      escaped = true;
      i++;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      if (spaced) {
        if (argStart !== -1) push(argStart, mark);
        argStart = i;
        spaced = false;
      }
      if (argStart === -1) argStart = i;
      const j = raw.indexOf(raw[i], i + 1);
      if (j < 0) bail('unterminated quote in a property');
      const quoted = raw.slice(i, j);
      if (quoted.includes('\\') || quoted.includes('\n')) bail('escaped property');
      i = j;
      if (j + 1 < len && raw.charCodeAt(j + 1) !== SPACE) continue;
      push(argStart, j + 1);
      argStart = -1;
    } else if (c === LF) {
      bail('blank line in a property'); // a line end not escaped: a blank or comment line was skipped
    } else if (c === HASH) {
      // after a continuation (even past a quoted argument), dockerfile-ast reads `#` as a comment
      if (escaped) bail('comment in a property');
      if (argStart === -1) argStart = i;
    } else if (c === SPACE || c === TAB) {
      if (escaped) {
        if (argStart !== -1) spaced = true;
      } else if (argStart !== -1) {
        push(argStart, i);
        argStart = -1;
      }
    } else {
      if (spaced) {
        if (argStart !== -1) push(argStart, mark);
        argStart = i;
        spaced = false;
      }
      escaped = false;
      if (argStart === -1) argStart = i;
      if (c === 36 /* $ */ && raw.charCodeAt(i + 1) === 123 /* { */) {
        // dockerfile-ast's variable scan: blanks inside quotes within ${…} do not end the argument
        let single = false;
        let double = false;
        for (let j = i + 1; j < len; j++) {
          const d = raw.charCodeAt(j);
          if (d === BACKSLASH) bail('escaped property');
          else if (d === 39) single = !single;
          else if (d === 34) double = !double;
          else if (d === SPACE || d === TAB) {
            if (single || double) continue;
            i = j - 1;
            continue scan;
          } else if (d === 125 /* } */) {
            i = j;
            continue scan;
          }
        }
        break;
      }
      // the ordinary characters after this one would each take this branch again, with the state
      // just set: skipped at once
      PROPERTY_RUN.lastIndex = i + 1;
      if (PROPERTY_RUN.test(raw)) i = PROPERTY_RUN.lastIndex - 1;
    }
  }
  if (argStart !== -1 && argStart !== len) push(argStart, len);
  for (let k = 0; k < starts.length; k++) if (raw.slice(starts[k], ends[k]).includes('\\')) bail('escaped property');
  // the line of an argument, counted on from the previous one (arguments come in order; the next
  // line end is kept, so many arguments on one line do not rescan it)
  let nextLf = raw.indexOf('\n');
  let lineAt = rawLine;
  const lineOf = (at: number): number => {
    while (nextLf >= 0 && nextLf < at) {
      lineAt++;
      nextLf = raw.indexOf('\n', nextLf + 1);
    }
    return lineAt;
  };
  const arg = (k: number): string => raw.slice(starts[k], ends[k]);
  const nameEnd = (v: string): number => {
    const eq = v.indexOf('=');
    if (eq < 0) return -1;
    const initial = v[0];
    const before = v[eq - 1];
    return (initial === '"' && before === '"') ||
      (initial === "'" && before === "'") ||
      (initial !== '"' && initial !== "'")
      ? eq
      : -1;
  };
  const one = (k: number): ScannedProperty => {
    const v = arg(k);
    const eq = nameEnd(v);
    if (eq < 0) return { name: unquote(v), value: null, line: lineOf(starts[k]) };
    return { name: unquote(v.slice(0, eq)), value: unquote(v.slice(v.indexOf('=') + 1)), line: lineOf(starts[k]) };
  };
  const count = starts.length;
  if (count === 0) return [];
  if (count === 1) return [one(0)];
  const first = arg(0);
  if (!first.includes('=')) {
    const value = count === 2 ? arg(1) : raw.slice(starts[1], ends[count - 1]);
    if (value.includes('\\')) bail('escaped property');
    const eq = nameEnd(first);
    return [{ name: unquote(eq < 0 ? first : first.slice(0, eq)), value: unquote(value), line: lineOf(starts[0]) }];
  }
  const out: ScannedProperty[] = [];
  for (let k = 0; k < count; k++) out.push(one(k));
  return out;
}

/** dockerfile-ast's Property.getValue without escapes: enclosing quotes removed. */
function unquote(v: string): string {
  // leading blanks are skipped (only blanks: kept as they are)
  let k = 0;
  while (k < v.length && (v[k] === ' ' || v[k] === '\t')) k++;
  if (k === v.length) return v;
  if (k > 0) {
    if (v[k] === '#') bail('comment in a property');
    v = v.slice(k);
  }
  const first = v[0];
  // a lone quote stays (dockerfile-ast's substring(1, 0) is substring(0, 1))
  if (first === "'" && v.length > 1 && v[v.length - 1] === "'") return v.slice(1, -1);
  if (first === '"' && v.length > 1 && v[v.length - 1] === '"') return v.slice(1, -1);
  return v;
}
