// Python requirements files with their includes, and the dependencies that compile native code or
// need shared libraries at run time (issue 10 item 3). Pure: reads through the function it is given.
import { dirname, isSafeRelPath } from '../../detect/text.js';

/** `dir` + a relative path as pip resolves it (`..` allowed while it stays inside the repository). */
export function joinInside(dir: string, rel: string): string | undefined {
  if (rel.startsWith('/') || rel.includes('\\')) return undefined;
  const parts = dir === '.' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  const out = parts.join('/');
  return out !== '' && isSafeRelPath(out) ? out : undefined;
}

/** PEP 503 normalised distribution name: "Flask_Login" -> "flask-login". */
export function normalizeDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** One requirement: normalised name, extras (lowercase) and where it was declared. */
export interface Requirement {
  name: string;
  extras: string[];
  /** the file (and line, for requirements files) it was declared in */
  source: string;
}

/** Name and extras at the start of a PEP 508 requirement: "uvicorn[standard]>=0.30" -> uvicorn, [standard]. */
export function parseRequirement(req: string): { name: string; extras: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(req);
  if (!m) return undefined;
  const g: readonly (string | undefined)[] = m;
  const extras = (g[2] ?? '')
    .split(',')
    .map((e) => normalizeDist(e.trim()))
    .filter((e) => e !== '');
  return { name: normalizeDist(m[1]), extras };
}

/** What a requirements file and everything it includes hold. */
export interface RequirementsTree {
  /** the file itself and every file it includes with -r/-c (inside the repository), in the order met */
  files: string[];
  /** the requirements (not the constraints), first declaration wins */
  requirements: Requirement[];
  /** a line installs a local path (`-e .`, `.`, `./pkg`): pip needs the sources before the install */
  localPaths: string[];
  /** some line pins a hash (pip then runs with --require-hashes) */
  hashes: boolean;
  /** includes that could not be followed (outside the repository, a URL, missing, or too deep), with why */
  skipped: string[];
}

/** At most this many files are followed from one requirements file (includes of includes …). */
export const MAX_REQUIREMENT_FILES = 16;
const MAX_INCLUDE_DEPTH = 5;

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(\S+)$/;
/** pip options that take no package (skipped without a note) */
const OPTION = /^-/;

/**
 * Read a requirements file and follow its `-r`/`--requirement` and `-c`/`--constraint` includes
 * (relative to the including file, as pip does), inside the repository only and bounded. Every
 * file met is listed so the Dockerfile copies it into the install stage.
 */
export function readRequirementsTree(read: (path: string) => string | undefined, file: string): RequirementsTree {
  const out: RequirementsTree = { files: [], requirements: [], localPaths: [], hashes: false, skipped: [] };
  const seen = new Set<string>();
  const names = new Set<string>();
  const walk = (f: string, constraint: boolean, depth: number, from: string | undefined): void => {
    if (seen.has(f)) return;
    if (seen.size >= MAX_REQUIREMENT_FILES || depth > MAX_INCLUDE_DEPTH) {
      out.skipped.push(
        `${f} (included from ${from ?? '?'}): more than ${MAX_REQUIREMENT_FILES} files or ${MAX_INCLUDE_DEPTH} levels of includes`,
      );
      return;
    }
    const text = read(f);
    if (text === undefined) {
      if (from !== undefined) out.skipped.push(`${f} (included from ${from}): not found in the repository`);
      return;
    }
    seen.add(f);
    out.files.push(f);
    const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    lines.forEach((rawLine, i) => {
      const line = rawLine.replace(/(?:^|\s)#.*$/, '').trim();
      if (line === '') return;
      if (/--hash[= ]\s*sha256:/.test(line)) out.hashes = true;
      const inc = INCLUDE.exec(line);
      if (inc) {
        const target = inc[2];
        const isConstraint = inc[1] === '-c' || inc[1] === '--constraint';
        if (/^[a-z+]+:\/\//i.test(target)) {
          out.skipped.push(`${f}:${i + 1}: ${line} (a URL: pip fetches it at build time)`);
          return;
        }
        const rel = joinInside(dirname(f), target);
        if (rel === undefined) {
          out.skipped.push(`${f}:${i + 1}: ${line} (outside the repository: not copied, the install will fail)`);
          return;
        }
        walk(rel, constraint || isConstraint, depth + 1, `${f}:${i + 1}`);
        return;
      }
      const editable = /^(?:-e|--editable)\s+(\S+)/.exec(line);
      const target = editable ? editable[1] : line;
      if (/^(?:\.{1,2}(?:\/|$)|file:)/.test(target)) {
        if (!constraint) out.localPaths.push(`${f}:${i + 1}: ${line}`);
        return;
      }
      if (editable || OPTION.test(line) || /^[a-z+]+:\/\//i.test(line) || line.startsWith('/')) return;
      if (constraint) return;
      const r = parseRequirement(line);
      if (r && !names.has(r.name)) {
        names.add(r.name);
        out.requirements.push({ ...r, source: `${f}:${i + 1}` });
      }
    });
  };
  walk(file, false, 0, undefined);
  return out;
}

/** A dependency that compiles C code at install time or loads a shared library at run time. */
export interface NativeNeed {
  /** the requirement as named ("psycopg2", "psycopg[c]") */
  dep: string;
  source: string;
  /** why, in a few words */
  why: string;
  /** Debian builder packages (python:*-slim) */
  debianBuild: string[];
  /** alpine builder packages (python:*-alpine) */
  alpineBuild: string[];
  /** alpine final-image packages (the shared libraries loaded at run time) */
  alpineRuntime: string[];
  /** the shared library the app loads at run time, absent from distroless python3 (undefined: none) */
  runtimeLib?: string;
  /** a package with binary wheels that needs neither (psycopg2-binary) */
  binaryAlternative?: string;
}

type NativeRow = Omit<NativeNeed, 'dep' | 'source'>;

const LIBPQ_BUILD: NativeRow = {
  why: 'compiles against libpq and loads it at run time',
  debianBuild: ['build-essential', 'libpq-dev'],
  alpineBuild: ['build-base', 'libpq-dev'],
  alpineRuntime: ['libpq'],
  runtimeLib: 'libpq',
};

/**
 * Known native dependencies (the common ones: database drivers, uWSGI, pycurl). Packages with
 * binary wheels for glibc and musl (lxml, Pillow, cryptography, psycopg2-binary, psycopg[binary],
 * uvloop …) need nothing and are not listed.
 */
function nativeRow(r: Requirement): NativeRow | undefined {
  switch (r.name) {
    case 'psycopg2':
      return {
        ...LIBPQ_BUILD,
        why: 'psycopg2 (not psycopg2-binary) compiles against libpq and loads it at run time',
        binaryAlternative: 'psycopg2-binary',
      };
    case 'psycopg':
      if (r.extras.includes('binary')) return undefined;
      if (r.extras.includes('c'))
        return {
          ...LIBPQ_BUILD,
          why: 'psycopg[c] compiles against libpq and loads it at run time',
          binaryAlternative: 'psycopg[binary]',
        };
      return {
        why: 'psycopg without the [binary] extra loads the system libpq at run time',
        debianBuild: [],
        alpineBuild: [],
        alpineRuntime: ['libpq'],
        runtimeLib: 'libpq',
        binaryAlternative: 'psycopg[binary]',
      };
    case 'mysqlclient':
      return {
        why: 'mysqlclient compiles against the MySQL/MariaDB client library and loads it at run time',
        debianBuild: ['build-essential', 'default-libmysqlclient-dev', 'pkg-config'],
        alpineBuild: ['build-base', 'mariadb-connector-c-dev', 'pkgconf'],
        alpineRuntime: ['mariadb-connector-c'],
        runtimeLib: 'libmariadb (the MySQL/MariaDB client library)',
      };
    case 'uwsgi':
      return {
        why: 'uWSGI has no wheels: it is compiled at install time',
        debianBuild: ['build-essential'],
        alpineBuild: ['build-base', 'linux-headers'],
        alpineRuntime: [],
      };
    case 'pycurl':
      return {
        why: 'pycurl compiles against libcurl and loads it at run time',
        debianBuild: ['build-essential', 'libcurl4-openssl-dev', 'libssl-dev'],
        alpineBuild: ['build-base', 'curl-dev'],
        alpineRuntime: ['libcurl'],
        runtimeLib: 'libcurl',
      };
    case 'python-ldap':
      return {
        why: 'python-ldap compiles against OpenLDAP and loads it at run time',
        debianBuild: ['build-essential', 'libldap2-dev', 'libsasl2-dev'],
        alpineBuild: ['build-base', 'openldap-dev'],
        alpineRuntime: ['libldap'],
        runtimeLib: 'libldap',
      };
    default:
      return undefined;
  }
}

/** The native needs of a dependency list, in declaration order. */
export function nativeNeeds(reqs: readonly Requirement[]): NativeNeed[] {
  const out: NativeNeed[] = [];
  for (const r of reqs) {
    const row = nativeRow(r);
    if (row) out.push({ dep: r.extras.length ? `${r.name}[${r.extras.join(',')}]` : r.name, source: r.source, ...row });
  }
  return out;
}

/** The native needs by dependency label ("psycopg2", "psycopg[c]"), for the layout recorded in .yo-rc.json. */
export function nativeNeedsByDep(deps: readonly string[]): NativeNeed[] {
  return nativeNeeds(
    deps.flatMap((d) => {
      const r = parseRequirement(d);
      return r ? [{ ...r, source: '' }] : [];
    }),
  );
}

/** Packages without duplicates, sorted (stable RUN lines). */
export function packageList(
  needs: readonly NativeNeed[],
  key: 'debianBuild' | 'alpineBuild' | 'alpineRuntime',
): string[] {
  return [...new Set(needs.flatMap((n) => n[key]))].sort();
}
