// The I/O edge of presets: find a preset file or npm package, read and validate it, follow `extends`.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Answers } from '../core/types.js';
import { checkPreset } from './apply.js';
import { resolvePresetChain, type PresetSource } from './chain.js';
import { validatePresetDoc } from './schema.js';
import { PresetError, type ResolvedPreset } from './types.js';

const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const PRESET_FILES = ['preset.yaml', 'preset.yml', 'preset.json'];

/** A path (./x.yaml, ../x, /abs, x.yaml, C:\x) rather than an npm package name. */
export function isPathRef(ref: string): boolean {
  return ref.startsWith('.') || isAbsolute(ref) || /^[A-Za-z]:[\\/]/.test(ref) || /\.(ya?ml|json)$/i.test(ref) || ref.includes('\\');
}

function parseText(file: string, text: string, display: string): unknown {
  try {
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const kind = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
    throw new PresetError(`preset ${display}: is not valid ${kind}: ${(e as Error).message.split('\n')[0]}`);
  }
}

function readDoc(file: string, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PresetError(`preset ${display}: cannot read ${file}${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`);
  }
  return parseText(file, text, display);
}

/** Directory of an installed package, looked up from `fromDir` like Node does. */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  try {
    return dirname(createRequire(join(fromDir, 'noop.js')).resolve(`${name}/package.json`));
  } catch {
    // packages whose "exports" hide package.json: walk node_modules ourselves
    for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', ...name.split('/'));
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) return undefined;
    }
  }
}

async function readPackage(name: string, fromDir: string): Promise<PresetSource> {
  const display = name;
  if (!PACKAGE_NAME.test(name)) {
    throw new PresetError(`preset ${name}: not a file path or an npm package name (paths start with ./ or end in .yaml, .yml or .json)`);
  }
  const dir = findPackageDir(name, fromDir);
  if (!dir) throw new PresetError(`preset ${name}: package not found from ${fromDir} (install it: npm install --save-dev ${name})`);
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new PresetError(`preset ${name}: unreadable package.json: ${(e as Error).message}`);
  }
  const inside = (rel: string): string => {
    const abs = resolve(dir, rel);
    if (relative(dir, abs).startsWith('..')) throw new PresetError(`preset ${name}: ${rel} points outside the package`);
    return abs;
  };
  const field = pkg['secure-container-preset'];
  let file: string | undefined;
  if (field !== undefined) {
    if (typeof field !== 'string') throw new PresetError(`preset ${name}: package.json "secure-container-preset" must be a path`);
    file = inside(field);
  } else {
    file = PRESET_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
    if (!file && typeof pkg.main === 'string') file = inside(pkg.main);
  }
  if (!file) {
    throw new PresetError(`preset ${name}: the package has no "secure-container-preset" field, no ${PRESET_FILES.join('/')} and no main`);
  }
  let value: unknown;
  if (/\.(c|m)?js$/i.test(file)) {
    // a package exporting the preset object from JavaScript (default export or `preset`)
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; preset?: unknown };
    value = mod.preset ?? mod.default;
  } else {
    value = readDoc(file, display);
  }
  return { id: file, display, dir: dirname(file), doc: validatePresetDoc(value, display) };
}

/** "<package>/<path>" for a file inside an installed package, else undefined. */
function packageDisplay(file: string): string | undefined {
  const i = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (i === -1) return undefined;
  const parts = file.slice(i + 14).split(sep);
  const n = parts[0]!.startsWith('@') ? 2 : 1;
  return parts.length > n ? `${parts.slice(0, n).join('/')}/${parts.slice(n).join('/')}` : undefined;
}

/** The fs reader: files relative to `fromDir`, or packages resolved from `fromDir`. */
export async function readPresetSource(ref: string, fromDir: string, root: string = fromDir): Promise<PresetSource> {
  if (!isPathRef(ref)) return readPackage(ref, fromDir);
  const file = resolve(fromDir, ref);
  const rel = relative(root, file);
  const display = packageDisplay(file) ?? (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file);
  return { id: file, display, dir: dirname(file), doc: validatePresetDoc(readDoc(file, display), display) };
}

export interface LoadPresetOptions {
  /** answer-value check from the answers schema: error text or null (see presetValueValidator) */
  validateValue?: (key: keyof Answers, value: unknown, fixed: Partial<Answers>) => string | null;
}

/**
 * Load a preset (`--preset` value or the one recorded in .yo-rc.json), follow `extends`, merge and
 * check it. `fromDir` is the project root: relative paths resolve against it and are recorded
 * relative to it. Throws PresetError naming the preset and the field.
 */
export async function loadPreset(ref: string, fromDir: string, opts: LoadPresetOptions = {}): Promise<ResolvedPreset> {
  const root = resolve(fromDir);
  const resolved = await resolvePresetChain(ref, root, (r, dir) => readPresetSource(r, dir, root));
  let record = ref;
  if (isPathRef(ref)) {
    const rel = relative(root, resolve(root, ref));
    record = !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : resolve(root, ref);
  }
  const out: ResolvedPreset = { ...resolved, record };
  checkPreset(out, opts.validateValue);
  return out;
}
