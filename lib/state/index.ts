// The generation state recorded with the repository at every generation, so an upgrade can
// re-render with the same answers and three-way merge against exactly what was generated:
//   .yo-rc.json                               {"generator-secure-container": {answers, version, preset?}}
//   .secure-container/manifest.json           {generator, version, answersHash, files: {path: {sha256, mode?}}}
//   .secure-container/pristine/<path>         exact contents of each generated file as generated
//   .secure-container/.gitattributes          keeps git from rewriting line endings of the copies
// Pure functions; the caller does the reading and writing. See docs/upgrade.md.
import { createHash } from 'node:crypto';
import type { Answers, GeneratedFile } from '../core/types.js';
import { GENERATOR_NAME } from '../core/version.js';
import { jsonSyntaxError } from '../text/parse-error.js';

export const YO_RC = '.yo-rc.json';
export const STATE_DIR = '.secure-container';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const PRISTINE_DIR = `${STATE_DIR}/pristine`;
export const GITATTRIBUTES_PATH = `${STATE_DIR}/.gitattributes`;

export const GITATTRIBUTES = [
  '# Written by generator-secure-container. pristine/ holds exact copies of the generated files:',
  '# the base of the three-way merge on `secure-container upgrade`. Do not edit them; keep their',
  '# line endings byte-exact (no autocrlf conversion).',
  '* -text linguist-generated=true',
  '',
].join('\n');

export interface ManifestEntry {
  sha256: string;
  mode?: number;
}

export interface Manifest {
  generator: string;
  version: string;
  /** sha256 of the canonical JSON of the answers the files were generated from */
  answersHash: string;
  /** generated file path (POSIX, relative to the root) -> hash of its pristine copy */
  files: Record<string, ManifestEntry>;
}

/** What `.yo-rc.json` holds under "generator-secure-container". */
export interface YoRcEntry {
  answers: Answers;
  version: string;
  /** the preset as given to --preset: a path relative to the project root, or an npm package name */
  preset?: string;
}

export interface State {
  /** generator version that wrote the files (manifest.version) */
  version: string;
  /** answers as stored in .yo-rc.json (validated by the answers schema, not here) */
  answers: Partial<Answers>;
  preset?: string;
  manifest: Manifest;
  /** path -> exact contents as generated; a path of the manifest is missing here only in lenient mode */
  pristine: Map<string, string>;
  /** .yo-rc.json answers differ from those the files were generated from (someone edited them) */
  answersChanged: boolean;
  /** what lenient mode tolerated (empty in strict mode) */
  problems: string[];
}

/** Corrupt or inconsistent state: names the file and says how to recover. */
export class StateError extends Error {
  constructor(
    public readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'StateError';
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown, indent?: number): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sort(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, indent);
}

export function answersHash(answers: unknown): string {
  return sha256(canonicalJson(answers));
}

export function pristinePath(path: string): string {
  return `${PRISTINE_DIR}/${path}`;
}

/** Is this one of the state files (never a generated artefact)? */
export function isStatePath(path: string): boolean {
  return path === YO_RC || path === STATE_DIR || path.startsWith(`${STATE_DIR}/`);
}

/** Relative POSIX path inside the project: no absolute paths, no "..", no backslashes, no empty segments. */
export function checkRelativePath(path: string): string | null {
  if (path === '') return 'is empty';
  if (path.includes('\\')) return 'contains a backslash (use / separators)';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute (must be relative to the project root)';
  if (path.includes('\0')) return 'contains a NUL byte';
  for (const seg of path.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // never the parser's message: it quotes the text (lib/text/parse-error.ts)
    throw new StateError(file, `is not valid JSON (${jsonSyntaxError(e)}); restore it from version control`);
  }
}

export interface BuildStateOptions {
  /** current text of .yo-rc.json: other generators' keys and other keys of ours are preserved */
  existingYoRc?: string;
}

/**
 * The state files to write alongside the generated `files` (which must not include state files).
 * Deterministic: the same inputs give byte-identical output.
 */
export function buildState(
  answers: Answers,
  version: string,
  files: readonly GeneratedFile[],
  preset?: string,
  opts: BuildStateOptions = {},
): GeneratedFile[] {
  const entries: Record<string, ManifestEntry> = {};
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const bad = checkRelativePath(f.path);
    if (bad) throw new StateError(f.path, `generated file path ${bad}`);
    if (isStatePath(f.path)) throw new StateError(f.path, 'a generated file cannot be a state file');
    if (entries[f.path] as ManifestEntry | undefined) throw new StateError(f.path, 'generated twice');
    entries[f.path] =
      f.mode === undefined ? { sha256: sha256(f.contents) } : { sha256: sha256(f.contents), mode: f.mode };
  }
  const manifest: Manifest = { generator: GENERATOR_NAME, version, answersHash: answersHash(answers), files: entries };

  let yoRc: Record<string, unknown> = {};
  if (opts.existingYoRc !== undefined && opts.existingYoRc.trim() !== '') {
    const parsed = parseJson(YO_RC, opts.existingYoRc);
    if (!isObject(parsed)) throw new StateError(YO_RC, 'must contain a JSON object');
    yoRc = parsed;
  }
  const entry = yoRc[GENERATOR_NAME];
  const previous = isObject(entry) ? entry : {};
  const ours: Record<string, unknown> = { ...previous, answers: JSON.parse(canonicalJson(answers)), version };
  if (preset === undefined) delete ours.preset;
  else ours.preset = preset;
  yoRc = { ...yoRc, [GENERATOR_NAME]: ours };

  return [
    { path: YO_RC, contents: JSON.stringify(yoRc, null, 2) + '\n' },
    { path: MANIFEST_PATH, contents: JSON.stringify(manifest, null, 2) + '\n' },
    { path: GITATTRIBUTES_PATH, contents: GITATTRIBUTES },
    ...sorted.map((f) => ({ path: pristinePath(f.path), contents: f.contents })),
  ];
}

export interface ParseStateOptions {
  /**
   * Tolerate a missing manifest, missing or modified pristine copies and a version mismatch:
   * the affected files then have no base (two-way merge) and `problems` says why. Default false:
   * any of these throws a StateError.
   */
  lenient?: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Read the recorded state through `readFile` (path relative to the project root -> text, or
 * undefined when absent). Returns null when the project has no state at all (never generated).
 */
export function parseState(readFile: (path: string) => string | undefined, opts: ParseStateOptions = {}): State | null {
  const problems: string[] = [];
  const tolerate = (file: string, message: string): void => {
    if (!opts.lenient) throw new StateError(file, message);
    problems.push(`${file}: ${message}`);
  };

  const yoRcText = readFile(YO_RC);
  const manifestText = readFile(MANIFEST_PATH);
  let entry: Record<string, unknown> | undefined;
  if (yoRcText !== undefined && yoRcText.trim() !== '') {
    const yoRc = parseJson(YO_RC, yoRcText);
    if (!isObject(yoRc)) throw new StateError(YO_RC, 'must contain a JSON object');
    const e = yoRc[GENERATOR_NAME];
    if (e !== undefined) {
      if (!isObject(e)) throw new StateError(YO_RC, `"${GENERATOR_NAME}" must be an object`);
      entry = e;
    }
  }
  if (entry === undefined && manifestText === undefined) return null;
  if (entry === undefined) {
    throw new StateError(
      YO_RC,
      `has no "${GENERATOR_NAME}" entry but ${MANIFEST_PATH} exists: the stored answers are missing; restore .yo-rc.json from version control`,
    );
  }
  if (!isObject(entry.answers)) throw new StateError(YO_RC, `"${GENERATOR_NAME}.answers" must be an object`);
  if (typeof entry.version !== 'string' || entry.version === '') {
    throw new StateError(YO_RC, `"${GENERATOR_NAME}.version" must be a non-empty string`);
  }
  if (entry.preset !== undefined && (typeof entry.preset !== 'string' || entry.preset === '')) {
    throw new StateError(YO_RC, `"${GENERATOR_NAME}.preset" must be a non-empty string`);
  }
  const answers = entry.answers as Partial<Answers>;
  const yoVersion = entry.version;

  let manifest: Manifest;
  if (manifestText === undefined) {
    tolerate(
      MANIFEST_PATH,
      'is missing: there is no record of what was generated, so every file would be merged without a base',
    );
    manifest = { generator: GENERATOR_NAME, version: yoVersion, answersHash: answersHash(answers), files: {} };
  } else {
    const m = parseJson(MANIFEST_PATH, manifestText);
    if (!isObject(m)) throw new StateError(MANIFEST_PATH, 'must contain a JSON object');
    if (typeof m.version !== 'string' || m.version === '')
      throw new StateError(MANIFEST_PATH, '"version" must be a non-empty string');
    if (typeof m.answersHash !== 'string' || !HEX64.test(m.answersHash)) {
      throw new StateError(MANIFEST_PATH, '"answersHash" must be a sha256 hex digest');
    }
    if (!isObject(m.files)) throw new StateError(MANIFEST_PATH, '"files" must be an object');
    // no prototype: a "__proto__" path in a hostile manifest is an entry, not a prototype change
    const files = Object.create(null) as Record<string, ManifestEntry>;
    for (const [path, v] of Object.entries(m.files)) {
      const bad = checkRelativePath(path);
      if (bad) throw new StateError(MANIFEST_PATH, `files["${path}"]: path ${bad}`);
      if (isStatePath(path))
        throw new StateError(MANIFEST_PATH, `files["${path}"]: a state file cannot be listed as generated`);
      if (!isObject(v) || typeof v.sha256 !== 'string' || !HEX64.test(v.sha256)) {
        throw new StateError(MANIFEST_PATH, `files["${path}"].sha256 must be a sha256 hex digest`);
      }
      if (
        v.mode !== undefined &&
        (typeof v.mode !== 'number' || !Number.isInteger(v.mode) || v.mode < 0 || v.mode > 0o7777)
      ) {
        throw new StateError(MANIFEST_PATH, `files["${path}"].mode must be a file mode (integer 0..0o7777)`);
      }
      files[path] = v.mode === undefined ? { sha256: v.sha256 } : { sha256: v.sha256, mode: v.mode };
    }
    manifest = {
      generator: typeof m.generator === 'string' ? m.generator : GENERATOR_NAME,
      version: m.version,
      answersHash: m.answersHash,
      files,
    };
    if (manifest.version !== yoVersion) {
      tolerate(
        MANIFEST_PATH,
        `version ${manifest.version} does not match ${YO_RC} version ${yoVersion}: one of them was edited by hand`,
      );
    }
  }

  const pristine = new Map<string, string>();
  for (const [path, { sha256: want }] of Object.entries(manifest.files)) {
    const file = pristinePath(path);
    const text = readFile(file);
    if (text === undefined) {
      tolerate(file, `is missing; restore it from version control (git checkout -- ${file})`);
      continue;
    }
    if (sha256(text) === want) {
      pristine.set(path, text);
      continue;
    }
    // git with core.autocrlf may have converted the copy on checkout: accept the LF original.
    const lf = text.replace(/\r\n/g, '\n');
    if (lf !== text && sha256(lf) === want) {
      pristine.set(path, lf);
      continue;
    }
    tolerate(
      file,
      `does not match the sha256 recorded in ${MANIFEST_PATH} (edited or re-encoded); restore it from version control`,
    );
  }

  const state: State = {
    version: manifest.version,
    answers,
    manifest,
    pristine,
    answersChanged: answersHash(answers) !== manifest.answersHash,
    problems,
  };
  if (typeof entry.preset === 'string') state.preset = entry.preset;
  return state;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * .yo-rc.json text with one key of our entry set to `value` (removed when undefined): the digests
 * --pin-digests recorded, the preset release. Text that is not a JSON object comes back unchanged.
 */
export function withYoRcEntry(yoRcText: string, key: string, value: unknown): string {
  let obj: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    obj = isPlainObject(parsed) ? parsed : {};
  } catch {
    return yoRcText;
  }
  const entry = obj[GENERATOR_NAME];
  const rest = Object.entries(isPlainObject(entry) ? entry : {}).filter(([k]) => k !== key);
  const ours = Object.fromEntries(value === undefined ? rest : [...rest, [key, value]]);
  return JSON.stringify({ ...obj, [GENERATOR_NAME]: ours });
}

/** One key of our entry in a .yo-rc.json text, if it is a JSON object (a hostile file yields undefined, never throws). */
export function readYoRcEntry(yoRcText: string | undefined, key: string): Record<string, unknown> | undefined {
  if (yoRcText === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    const ours = isPlainObject(parsed) ? parsed[GENERATOR_NAME] : undefined;
    const v = isPlainObject(ours) ? ours[key] : undefined;
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
