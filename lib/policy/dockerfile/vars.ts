// Bounded ARG/ENV substitution for the Dockerfile model.
//
// A hostile Dockerfile can make naive substitution explode: 28 lines of
// `ARG A{i}=${A{i-1}}${A{i-1}}` (613 bytes) double a value 28 times (2^29 characters, ~580 MB, and
// V8's string limit one level later). Values are stored already expanded, so one substitution is a
// single pass over its text (no recursion), but its *output* can still be as large as the values it
// inserts. Three limits keep the work and memory linear in the size of the file:
// - MAX_VALUE_CHARS: no expanded value is longer than this;
// - a per-file budget of inserted characters (a fixed multiple of the file size, at least 1 MiB);
// - MAX_DEPTH: a value built from a value built from … at most this many levels.
// When a limit is hit, the text is left unexpanded (it still contains `$`, so rules treat it as
// unresolved, as they do any variable they cannot resolve) and the limit is recorded; the engine
// reports it as SC0004 (analysis-limit). The scan itself is linear: the closing `}` of `${X:-word}`
// is found with a cached forward search, so `${A:-${A:-${A:-…` (no `}`) is not rescanned per `$`.

/** Longest expanded value kept (64 KiB). Real ARG/ENV values are a few hundred bytes at most. */
export const MAX_VALUE_CHARS = 64 * 1024;
/** Longest chain of values built from other values (ARG B=${A}, ARG C=${B}, …). */
export const MAX_DEPTH = 32;
/** Per-file budget of inserted characters: this many times the file size, at least MIN_BUDGET. */
export const BUDGET_FACTOR = 4;
export const MIN_BUDGET = 1024 * 1024;

export interface LimitHit {
  /** 1-based line where the limit was reached */
  line: number;
  message: string;
}

/** Variables in scope: name → expanded value (null: declared without a value). */
export interface Scope {
  values: Map<string, string | null>;
  /** expansion depth of each value (0: literal); missing means 0 */
  depth: Map<string, number>;
}

export function newScope(values: Map<string, string | null> = new Map()): Scope {
  return { values, depth: new Map() };
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** One expander per file: it holds the file's budget and the limits reached so far. */
export class Expander {
  readonly budget: number;
  private spent = 0;
  /** limits reached, at most one per kind (the first), in the order they were hit */
  readonly limits: LimitHit[] = [];
  private readonly hitKinds = new Set<string>();

  constructor(fileSize: number) {
    this.budget = Math.max(MIN_BUDGET, BUDGET_FACTOR * fileSize);
  }

  private hit(kind: string, line: number, message: string): void {
    if (this.hitKinds.has(kind)) return;
    this.hitKinds.add(kind);
    this.limits.push({ line, message });
  }

  /**
   * Substitute ${X}, $X, ${X:-word}, ${X-word}, ${X:+word}, ${X+word} with values from `scope`
   * (same syntax and results as lib/policy/image.ts `substitute`, which is unbounded). Returns the
   * text unchanged when a limit is reached.
   */
  expand(text: string, scope: Scope, line: number): { value: string; depth: number } {
    // the budget also pays for scanning (a 64 KiB default re-read by 100k `ARG X` lines must not
    // cost 6 GB of scanning); file text is scanned once, so this is at most 1x the file size
    if (this.spent + text.length > this.budget) {
      this.hit('budget', line, this.budgetMessage());
      return { value: text, depth: 0 };
    }
    this.spent += text.length;
    if (!text.includes('$')) return { value: text, depth: 0 };
    const vars = scope.values;
    const n = text.length;
    const parts: string[] = [];
    let outLen = 0;
    let inserted = 0;
    let depth = 0;
    let last = 0; // start of the literal text not yet copied
    let close = -2; // cached position of the next '}' at or after the search start (-1: none left)
    let i = text.indexOf('$');
    const insert = (from: number, to: number, v: string, name: string | null): boolean => {
      if (from > last) {
        parts.push(text.slice(last, from));
        outLen += from - last;
      }
      parts.push(v);
      outLen += v.length;
      inserted += v.length;
      last = to;
      if (name !== null) depth = Math.max(depth, (scope.depth.get(name) ?? 0) + 1);
      return outLen <= MAX_VALUE_CHARS && this.spent + inserted <= this.budget;
    };
    while (i >= 0 && i < n) {
      let next = i + 1;
      let ok = true;
      if (text[i + 1] === '{' && NAME_START.test(text[i + 2] ?? '')) {
        let j = i + 3;
        while (j < n && NAME_CHAR.test(text[j])) j++;
        const name = text.slice(i + 2, j);
        let op: string | null = null;
        if (text[j] === ':' && (text[j + 1] === '-' || text[j + 1] === '+')) op = text.slice(j, j + 2);
        else if (text[j] === '-' || text[j] === '+') op = text[j];
        const wordStart = op === null ? j : j + op.length;
        let end: number;
        if (op === null) end = text[j] === '}' ? j : -1;
        else {
          if (close !== -1 && close < wordStart) close = text.indexOf('}', wordStart);
          end = close;
        }
        if (end >= 0) {
          const word = text.slice(wordStart, end);
          const v = vars.get(name);
          const set = v !== undefined && v !== null;
          const nonEmpty = set && v !== '';
          let out: string | null;
          let from: string | null = name; // the variable whose value is inserted (null: the word)
          switch (op) {
            case ':-':
              out = nonEmpty ? v : word;
              if (!nonEmpty) from = null;
              break;
            case '-':
              out = set ? v : word;
              if (!set) from = null;
              break;
            case ':+':
              out = nonEmpty ? word : '';
              from = null;
              break;
            case '+':
              out = set ? word : '';
              from = null;
              break;
            default:
              out = set ? v : null;
          }
          if (out !== null) ok = insert(i, end + 1, out, from);
          next = end + 1;
        }
      } else if (NAME_START.test(text[i + 1] ?? '')) {
        let j = i + 2;
        while (j < n && NAME_CHAR.test(text[j])) j++;
        const name = text.slice(i + 1, j);
        const v = vars.get(name);
        if (v !== undefined && v !== null) ok = insert(i, j, v, name);
        next = j;
      }
      if (!ok) {
        if (outLen > MAX_VALUE_CHARS)
          this.hit(
            'value',
            line,
            `variable expansion stopped: a value would exceed ${MAX_VALUE_CHARS / 1024} KiB; it is left unexpanded`,
          );
        else this.hit('budget', line, this.budgetMessage());
        return { value: text, depth: 0 };
      }
      if (depth > MAX_DEPTH) {
        this.hit(
          'depth',
          line,
          `variable expansion stopped: values nested more than ${MAX_DEPTH} levels deep are left unexpanded`,
        );
        return { value: text, depth: 0 };
      }
      i = text.indexOf('$', next);
    }
    if (parts.length === 0) return { value: text, depth: 0 };
    if (last < n) parts.push(text.slice(last));
    this.spent += inserted;
    return { value: parts.join(''), depth };
  }

  private budgetMessage(): string {
    return `variable expansion stopped: the file's expansion budget (${Math.round(this.budget / 1024)} KiB) is used up; later values are left unexpanded`;
  }

  /**
   * Expand `raw` and store it as `name` in `scope` (null stays null). `baseDepth` is the depth `raw`
   * already has (a global ARG default re-expanded in a stage).
   */
  assign(scope: Scope, name: string, raw: string | null, line: number, baseDepth = 0): void {
    if (raw === null) {
      scope.values.set(name, null);
      scope.depth.delete(name);
      return;
    }
    const r = this.expand(raw, scope, line);
    const depth = Math.max(r.depth, baseDepth);
    scope.values.set(name, r.value);
    if (depth > 0) scope.depth.set(name, depth);
    else scope.depth.delete(name);
  }
}
