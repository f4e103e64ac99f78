// Version constraints -> the runtime version to build with (issue 10 item 1). A constraint is a
// minimum or a range, never an exact version: the detectors pick the NEWEST SUPPORTED version that
// satisfies it, from the supported versions the runtime profile lists (one list: the profile's
// `versions` table, so detection and the base-image tables cannot disagree). npm ranges are read
// with `semver`, PEP 440 specifiers (and Poetry's ^/~ constraints) with `@renovatebot/pep440`.
// Pure; no I/O.
import pep440 from '@renovatebot/pep440';
import semver from 'semver';

/** Every version a profile lists, over all flavours, oldest first ("20" < "22", "3.9" < "3.11"). */
export function supportedVersions(table: Readonly<Partial<Record<string, readonly string[]>>>): string[] {
  const all = new Set<string>();
  for (const list of Object.values(table)) for (const v of list ?? []) all.add(v);
  return [...all].sort(compareDotted);
}

/** Numeric comparison of dotted versions: "1.9" < "1.21", "3.9" < "3.13". */
export function compareDotted(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What a constraint allows among the supported versions.
 * - `satisfying`: the supported versions it allows, oldest first (empty: none)
 * - `version`: the newest of them; when there is none, the version the constraint asks for (the
 *   nearest release line it allows: "^18" -> "18", ">=26" -> "26") so the answers layer can name
 *   it and the supported ones; undefined when the constraint allows no release line at all
 */
export interface ConstraintPick {
  version?: string;
  satisfying: string[];
}

/** The nearest line a constraint allows when no supported one does: below the oldest supported, the newest; else the oldest above. */
function nearest(allowed: (line: number) => boolean, lines: number[], supported: number[]): number | undefined {
  const ok = lines.filter(allowed);
  const min = Math.min(...supported);
  const below = ok.filter((l) => l < min);
  return below.length > 0 ? below[below.length - 1] : ok.at(0);
}

// ---------------------------------------------------------------- Node (npm semver ranges)

/** A valid npm range ("" and "*" allow everything), or undefined when semver cannot read it. */
function npmRange(range: string): string | undefined {
  const r = semver.validRange(range.trim() === '' ? '*' : range.trim(), { loose: true });
  return r ?? undefined;
}

/** Does the npm range allow some release of Node major `m`? */
function allowsMajor(range: string, m: number): boolean {
  try {
    return semver.intersects(range, `>=${m}.0.0 <${m + 1}.0.0-0`, { loose: true });
  } catch {
    return false;
  }
}

/**
 * The newest supported Node major an npm range (`engines.node`) allows: ">=12" -> "24",
 * "^18 || ^20" -> "20", ">=18 <21" -> "20" (supported 20, 22, 24). undefined when semver cannot
 * read the range.
 */
export function nodeMajorFor(range: string, supported: readonly string[]): ConstraintPick | undefined {
  const r = npmRange(range);
  if (r === undefined) return undefined;
  const majors = supported.map(Number).sort((a, b) => a - b);
  const satisfying = majors.filter((m) => allowsMajor(r, m)).map(String);
  if (satisfying.length > 0) return { version: satisfying[satisfying.length - 1], satisfying };
  const top = Math.max(...majors) + 10;
  const n = nearest(
    (m) => allowsMajor(r, m),
    Array.from({ length: top + 1 }, (_, i) => i),
    majors,
  );
  return { ...(n !== undefined ? { version: String(n) } : {}), satisfying: [] };
}

/** Node release lines we proposed before the profiles' tables were the one list (kept for lowestNodeMajor). */
const NODE_LINES = ['18', '20', '22', '24'];

/** The lowest of `lines` an npm range allows: ">=20" -> "20" (a library helper; detection picks the newest). */
export function lowestNodeMajor(range: string, lines: readonly string[] = NODE_LINES): string | undefined {
  return nodeMajorFor(range, lines)?.satisfying.at(0);
}

/** Does the npm range allow some version of the given (partial) version ("20", "20.x", "20.11.1")? undefined when unreadable. */
export function npmRangeAllows(range: string, version: string): boolean | undefined {
  const r = npmRange(range);
  const v = semver.validRange(version.trim().replace(/^v/i, ''), { loose: true });
  if (r === undefined || v === null || !/^\s*v?\d/.test(version)) return undefined;
  try {
    return semver.intersects(r, v, { loose: true });
  } catch {
    return undefined;
  }
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

function firstLine(raw: string): string | undefined {
  return raw
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .find((l) => l.length > 0);
}

/**
 * A pinned Node version from .nvmrc / .node-version: "v20.11.1" -> "20", "22" -> "22",
 * "lts/iron" -> "20". "lts/*", "node", "stable" and anything else -> undefined (not a pin: see
 * nodeAlias).
 */
export function nodePinMajor(raw: string): { major: string; full: string } | undefined {
  const line = firstLine(raw);
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
 * A moving nvm alias in .nvmrc / .node-version: "lts/*" (the newest LTS line) or "node",
 * "stable", "latest", "current" (the newest release). Not a pin: the newest supported version
 * that fits is picked.
 */
export function nodeAlias(raw: string): { kind: 'lts' | 'latest'; full: string } | undefined {
  const line = firstLine(raw);
  if (!line) return undefined;
  if (/^lts\/\*$/i.test(line) || /^lts$/i.test(line)) return { kind: 'lts', full: line };
  if (/^(?:node|stable|latest|current)$/i.test(line)) return { kind: 'latest', full: line };
  return undefined;
}

// ---------------------------------------------------------------- Python (PEP 440, Poetry)

/**
 * A PEP 440 specifier or a Poetry constraint as PEP 440 alternatives (a Poetry "||" gives
 * several): "^3.10" -> [">=3.10,<4"], "~3.11" -> [">=3.11,<3.12"], "3.12" -> ["==3.12.*"],
 * ">=3.8 <4" -> [">=3.8,<4"], "*" -> [""] (anything). undefined when a part cannot be read.
 */
export function toPep440(spec: string): string[] | undefined {
  const out: string[] = [];
  for (const alt of spec.split(/\|\|?/)) {
    const norm = alt.trim().replace(/(===|==|~=|!=|>=|<=|>|<|=|\^|~)\s+/g, '$1');
    const parts: string[] = [];
    for (const tok of norm.split(/[\s,]+/).filter((t) => t.length > 0)) {
      const m = /^(===|==|~=|!=|>=|<=|>|<|=|\^|~)?(.+)$/.exec(tok);
      if (!m) return undefined;
      const op: string = (m as readonly (string | undefined)[])[1] ?? '';
      const ver = m[2].replace(/^v/i, '');
      if (ver === '*' && (op === '' || op === '==' || op === '=')) continue;
      const nums: readonly (string | undefined)[] | null = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ver);
      if (op === '^' || (op === '~' && nums)) {
        if (!nums) return undefined;
        const [maj, min] = [Number(nums[1]), nums[2] === undefined ? undefined : Number(nums[2])];
        const upper =
          op === '^'
            ? maj > 0 || min === undefined
              ? `${maj + 1}`
              : `0.${min + 1}`
            : min === undefined
              ? `${maj + 1}`
              : `${maj}.${min + 1}`;
        parts.push(`>=${ver}`, `<${upper}`);
      } else if (op === '' || op === '=') {
        // a bare version: that release line ("3.12" = 3.12.*, Poetry and Pipfile style)
        if (/^\d+(?:\.\d+)*(?:\.\*)?$/.test(ver)) parts.push(`==${ver.endsWith('.*') || nums?.[3] ? ver : `${ver}.*`}`);
        else return undefined;
      } else parts.push(`${op}${ver}`);
    }
    const s = parts.join(',');
    if (s !== '' && !pep440.validRange(s)) return undefined;
    out.push(s);
  }
  return out.length > 0 ? out : undefined;
}

/** Does a PEP 440 specifier allow some release of Python `3.<minor>`? Checks 3.M.0, 3.M.99 and the patches it names. */
function allowsMinor(alts: string[], major: number, minor: number): boolean {
  return alts.some((alt) => {
    if (alt === '') return true;
    const patches = new Set([0, 99]);
    const lit = new RegExp(String.raw`\b${major}\.${minor}\.(\d+)`, 'g');
    for (const m of alt.matchAll(lit)) {
      const p = Number(m[1]);
      patches.add(p).add(p + 1);
      if (p > 0) patches.add(p - 1);
    }
    return [...patches].some((p) => pep440.satisfies(`${major}.${minor}.${p}`, alt));
  });
}

/**
 * The newest supported Python minor a specifier (requires-python, Poetry `python`, Pipfile
 * `python_version`) allows, preferring one in `preferred` (the minors with a distroless image)
 * when the specifier allows one: ">=3.8" -> "3.13" (distroless), ">=3.12,<3.13" -> "3.12".
 * undefined when the specifier cannot be read.
 */
export function pythonMinorFor(
  spec: string,
  supported: readonly string[],
  preferred: readonly string[] = [],
): (ConstraintPick & { preferred: boolean }) | undefined {
  const alts = toPep440(spec);
  if (alts === undefined) return undefined;
  const minors = supported
    .map((v) => /^3\.(\d+)$/.exec(v))
    .flatMap((m) => (m ? [Number(m[1])] : []))
    .sort((a, b) => a - b);
  const satisfying = minors.filter((m) => allowsMinor(alts, 3, m)).map((m) => `3.${m}`);
  if (satisfying.length > 0) {
    const pref = satisfying.filter((v) => preferred.includes(v));
    return pref.length > 0
      ? { version: pref[pref.length - 1], satisfying, preferred: true }
      : { version: satisfying[satisfying.length - 1], satisfying, preferred: false };
  }
  const top = Math.max(...minors) + 10;
  const n = nearest(
    (m) => allowsMinor(alts, 3, m),
    Array.from({ length: top + 1 }, (_, i) => i),
    minors,
  );
  return { ...(n !== undefined ? { version: `3.${n}` } : {}), satisfying: [], preferred: false };
}

/** Python minor lines we proposed before the profiles' tables were the one list (kept for lowestPythonMinor). */
const PYTHON_LINES = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

/** The lowest of `lines` a specifier allows: ">=3.11" -> "3.11" (a library helper; detection picks the newest). */
export function lowestPythonMinor(spec: string, lines: readonly string[] = PYTHON_LINES): string | undefined {
  return pythonMinorFor(spec, lines)?.satisfying.at(0);
}

/** Does the specifier allow the given version ("3.12", "3.12.4")? undefined when unreadable. */
export function pythonSpecAllows(spec: string, version: string): boolean | undefined {
  const alts = toPep440(spec);
  const m: readonly (string | undefined)[] | null = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (alts === undefined || !m) return undefined;
  const [, major, minor, patch] = m;
  if (patch !== undefined) return alts.some((alt) => alt === '' || pep440.satisfies(`${major}.${minor}.${patch}`, alt));
  return allowsMinor(alts, Number(major), Number(minor));
}

/**
 * A pinned Python version from .python-version / runtime.txt: "3.12.4" -> "3.12",
 * "cpython-3.11" -> "3.11", "python-3.12.1" -> "3.12". PyPy, "system" and a bare "3" -> undefined.
 */
export function pythonPinMinor(raw: string): { minor: string; full: string } | undefined {
  const line = firstLine(raw);
  if (!line) return undefined;
  const m = /^(?:c?python-?)?(3)\.(\d+)(?:\.\d+)?(?:[a-z]+\d*)?$/i.exec(line);
  if (!m) return undefined;
  return { minor: `3.${Number(m[2])}`, full: line };
}

// ---------------------------------------------------------------- Go (the go directive is a minimum)

/**
 * The Go release to build a module with: the `go` directive is a minimum (any newer Go builds the
 * module), so the newest supported release at or above it. undefined `version` cannot happen: when
 * none is supported (the directive is newer than all), `version` is the directive's release.
 */
export function goReleaseFor(minimum: string, supported: readonly string[]): ConstraintPick {
  const satisfying = [...supported].sort(compareDotted).filter((v) => compareDotted(v, minimum) >= 0);
  return satisfying.length > 0
    ? { version: satisfying[satisfying.length - 1], satisfying }
    : { version: minimum, satisfying: [] };
}
