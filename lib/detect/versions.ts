// Version-range arithmetic, just enough to answer "which runtime release line does this range
// allow, at the lowest?". Versions are encoded as integers (major*1e6 + minor*1e3 + patch) and a
// range as a union of half-open intervals [lo, hi). Pure; no I/O.

interface Interval {
  lo: number;
  hi: number;
}
/** A union of intersections: undefined = unparseable. */
type Range = Interval[];

const INF = Number.POSITIVE_INFINITY;
const ALL: Interval = { lo: 0, hi: INF };
const EMPTY: Interval = { lo: 0, hi: 0 };

const enc = (a: number, b = 0, c = 0): number => a * 1e6 + Math.min(b, 999) * 1e3 + Math.min(c, 999);

/** "v20.1.x" -> [20, 1]; "*" -> []; "20.1.2-rc.1+b" -> [20, 1, 2]; undefined when not a version. */
export function parsePartial(raw: string): number[] | undefined {
  const s = raw
    .trim()
    .replace(/^[vV=]/, '')
    .replace(/[-+].*$/, '');
  if (s === '' || s === '*' || s === 'x' || s === 'X') return [];
  const parts: number[] = [];
  for (const seg of s.split('.')) {
    if (seg === 'x' || seg === 'X' || seg === '*') break;
    if (!/^\d+$/.test(seg)) return undefined;
    parts.push(Number(seg));
  }
  return parts.length <= 3 ? parts : parts.slice(0, 3);
}

function fill(p: number[]): number {
  return enc(p[0] ?? 0, p[1] ?? 0, p[2] ?? 0);
}

/** Upper bound just above a partial: 20 -> 21.0.0, 20.1 -> 20.2.0, 20.1.2 -> 20.1.3. */
function above(p: number[]): number {
  if (p.length === 0) return INF;
  if (p.length === 1) return enc(p[0] + 1);
  if (p.length === 2) return enc(p[0], p[1] + 1);
  return fill(p) + 1;
}

function intersect(a: Interval, b: Interval): Interval {
  return { lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) };
}

type Dialect = 'npm' | 'pep440';

function comparator(op: string, ver: string, dialect: Dialect): Interval | undefined {
  const p = parsePartial(ver);
  if (!p) return undefined;
  switch (op) {
    case '':
    case '=':
    case '==':
    case '===':
      if (dialect === 'pep440' && (op === '==' || op === '===') && !/\*$/.test(ver.trim())) {
        // PEP 440 `==3.12` means exactly 3.12(.0); treat as that release line's start.
        return p.length === 0 ? ALL : { lo: fill(p), hi: fill(p) + 1 };
      }
      return p.length === 0 ? ALL : { lo: fill(p), hi: above(p) };
    case '>=':
      return { lo: fill(p), hi: INF };
    case '>':
      if (p.length === 0) return EMPTY;
      return { lo: dialect === 'npm' ? above(p) : fill(p) + 1, hi: INF };
    case '<':
      return p.length === 0 ? EMPTY : { lo: 0, hi: fill(p) };
    case '<=':
      return { lo: 0, hi: dialect === 'npm' ? above(p) : fill(p) + 1 };
    case '!=':
      return ALL;
    case '^': {
      if (p.length === 0) return ALL;
      if (p[0] > 0 || p.length === 1) return { lo: fill(p), hi: enc(p[0] + 1) };
      if (p.length === 2 || (p[1] ?? 0) > 0) return { lo: fill(p), hi: enc(0, (p[1] ?? 0) + 1) };
      return { lo: fill(p), hi: fill(p) + 1 };
    }
    case '~':
      if (p.length === 0) return ALL;
      if (p.length === 1) return { lo: fill(p), hi: enc(p[0] + 1) };
      return { lo: fill(p), hi: enc(p[0], p[1] + 1) };
    case '~=':
      // PEP 440 compatible release: ~=3.12 -> >=3.12,<4 ; ~=3.12.1 -> >=3.12.1,<3.13
      if (p.length < 2) return undefined;
      if (p.length === 2) return { lo: fill(p), hi: enc(p[0] + 1) };
      return { lo: fill(p), hi: enc(p[0], p[1] + 1) };
    default:
      return undefined;
  }
}

const OP = /^(===|==|~=|!=|>=|<=|>|<|=|\^|~)?(.*)$/;

function parseRange(range: string, dialect: Dialect): Range | undefined {
  const out: Interval[] = [];
  for (const alt of range.split(/\|\|?/)) {
    const norm = alt.trim().replace(/(===|==|~=|!=|>=|<=|>|<|=|\^|~)\s+/g, '$1');
    const tokens = norm.split(dialect === 'pep440' ? /[\s,]+/ : /\s+/).filter((t) => t.length > 0);
    let acc: Interval = ALL;
    for (let i = 0; i < tokens.length; i++) {
      if (dialect === 'npm' && tokens[i + 1] === '-' && i + 2 < tokens.length) {
        const a = parsePartial(tokens[i]);
        const b = parsePartial(tokens[i + 2]);
        if (!a || !b) return undefined;
        acc = intersect(acc, { lo: fill(a), hi: above(b) });
        i += 2;
        continue;
      }
      const m = OP.exec(tokens[i]);
      if (!m) return undefined;
      const groups: readonly (string | undefined)[] = m; // the operator group is optional
      const c = comparator(groups[1] ?? '', m[2], dialect);
      if (!c) return undefined;
      acc = intersect(acc, c);
    }
    out.push(acc);
  }
  return out;
}

function allows(range: Range, lo: number, hi: number): boolean {
  return range.some((iv) => Math.max(iv.lo, lo) < Math.min(iv.hi, hi));
}

/** Node release lines we propose (even majors: the LTS lines). */
export const NODE_LINES = [18, 20, 22, 24] as const;

/**
 * The lowest LTS major allowed by an npm semver range: ">=20" -> "20", "^22.3.0" -> "22",
 * ">=18 <19 || >=21" -> "18". undefined when the range cannot be read or allows none of NODE_LINES.
 */
export function lowestNodeMajor(range: string): string | undefined {
  const r = parseRange(range, 'npm');
  if (!r) return undefined;
  for (const m of NODE_LINES) if (allows(r, enc(m), enc(m + 1))) return String(m);
  return undefined;
}

/** Does the npm range allow some version of the given partial version ("20" or "20.11.1")? */
export function npmRangeAllows(range: string, version: string): boolean | undefined {
  const r = parseRange(range, 'npm');
  const p = parsePartial(version);
  if (!r || !p || p.length === 0) return undefined;
  return allows(r, fill(p), above(p));
}

/** Python minor lines we propose. */
export const PYTHON_LINES = [8, 9, 10, 11, 12, 13, 14] as const;

/**
 * The lowest Python 3 minor allowed by a PEP 440 specifier or a Poetry constraint:
 * ">=3.11" -> "3.11", "~=3.12" -> "3.12", "^3.12" -> "3.12", ">=3.9,<3.13" -> "3.9".
 */
export function lowestPythonMinor(spec: string): string | undefined {
  const r = parseRange(spec, 'pep440');
  if (!r) return undefined;
  for (const m of PYTHON_LINES) if (allows(r, enc(3, m), enc(3, m + 1))) return `3.${m}`;
  return undefined;
}

export function pythonSpecAllows(spec: string, version: string): boolean | undefined {
  const r = parseRange(spec, 'pep440');
  const p = parsePartial(version);
  if (!r || !p || p.length === 0) return undefined;
  return allows(r, fill(p), above(p));
}

/** Node LTS code names (for `.nvmrc` values like "lts/iron"). */
const NODE_CODENAMES: Partial<Record<string, number>> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/**
 * A pinned Node version from .nvmrc / .node-version: "v20.11.1" -> "20", "22" -> "22",
 * "lts/iron" -> "20". "lts/*", "node", "stable" and anything else -> undefined (not a pin).
 */
export function nodePinMajor(raw: string): { major: string; full: string } | undefined {
  const line = raw
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .find((l) => l.length > 0);
  if (!line) return undefined;
  const code = /^lts\/([a-z]+)$/i.exec(line);
  if (code) {
    // own keys only: "lts/constructor" must not find Object.prototype.constructor
    const name = code[1].toLowerCase();
    const m = Object.hasOwn(NODE_CODENAMES, name) ? NODE_CODENAMES[name] : undefined;
    return m === undefined ? undefined : { major: String(m), full: line };
  }
  const m = /^v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(line);
  if (!m) return undefined;
  return { major: String(Number(m[1])), full: line.replace(/^v/, '') };
}

/**
 * A pinned Python version from .python-version / runtime.txt: "3.12.4" -> "3.12",
 * "cpython-3.11" -> "3.11", "python-3.12.1" -> "3.12". PyPy, "system" and a bare "3" -> undefined.
 */
export function pythonPinMinor(raw: string): { minor: string; full: string } | undefined {
  const line = raw
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .find((l) => l.length > 0);
  if (!line) return undefined;
  const m = /^(?:c?python-?)?(3)\.(\d+)(?:\.\d+)?(?:[a-z]+\d*)?$/i.exec(line);
  if (!m) return undefined;
  return { minor: `3.${Number(m[2])}`, full: line };
}
