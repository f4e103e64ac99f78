// `extends` chains: parents first, the child wins. Objects merge key by key at every depth;
// arrays and scalars are replaced. A cycle is an error naming the chain. Pure given `read`.
import { PresetError, type PresetDoc, type ResolvedPreset } from './types.js';

/** One preset document as found by a reader. */
export interface PresetSource {
  /** identity used for cycle detection (absolute file path) */
  id: string;
  /** short name for messages: the path as referenced, or the package name */
  display: string;
  /** directory that relative `extends` entries of this preset resolve against */
  dir: string;
  /** validated document */
  doc: PresetDoc;
}

/**
 * Finds and validates one preset. `fromDir` is the directory of the referencing preset (or the
 * project root); `parent` is the referencing preset (undefined for the entry).
 */
export type PresetReader = (
  ref: string,
  fromDir: string,
  parent?: PresetSource,
) => PresetSource | Promise<PresetSource>;

/** Bounds on an `extends` graph (a hostile chain must not make us read or merge without end). */
export const MAX_EXTENDS_DEPTH = 16;
export const MAX_PRESET_DOCUMENTS = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** child over parent: objects merged recursively, everything else (arrays included) replaced. */
export function mergePresetDocs<T extends Record<string, unknown>>(parent: T, child: T): T {
  const out: Record<string, unknown> = { ...parent };
  for (const [k, v] of Object.entries(child)) {
    if (v === undefined) continue;
    const p = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    // defineProperty: a "__proto__" key of a JSON document stays a plain key, never a prototype
    Object.defineProperty(out, k, {
      value: isPlainObject(p) && isPlainObject(v) ? mergePresetDocs(p, v) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}

function extendsList(doc: PresetDoc): string[] {
  return doc.extends === undefined ? [] : Array.isArray(doc.extends) ? doc.extends : [doc.extends];
}

/**
 * Load `ref` and everything it extends (depth-first, parents in the order listed), then merge.
 * Diamonds are fine (a shared parent is applied where it appears); a preset that extends itself
 * directly or indirectly is a PresetError: "extends cycle: a.yaml -> b.yaml -> a.yaml".
 */
export async function resolvePresetChain(
  ref: string,
  fromDir: string,
  read: PresetReader,
): Promise<Omit<ResolvedPreset, 'record'>> {
  const chain: string[] = [];
  const stack: PresetSource[] = [];
  let entry: PresetSource | undefined;
  let documents = 0;

  async function visit(r: string, dir: string, parent?: PresetSource): Promise<PresetDoc> {
    if (stack.length >= MAX_EXTENDS_DEPTH) {
      throw new PresetError(`preset ${stack[0].display}: extends is nested deeper than ${MAX_EXTENDS_DEPTH} levels`);
    }
    if (++documents > MAX_PRESET_DOCUMENTS) {
      throw new PresetError(
        `preset ${stack[0].display}: extends reaches more than ${MAX_PRESET_DOCUMENTS} preset documents`,
      );
    }
    const src = await read(r, dir, parent);
    const at = stack.findIndex((s) => s.id === src.id);
    if (at !== -1) {
      const names = [...stack.slice(at).map((s) => s.display), src.display];
      throw new PresetError(`preset ${stack[0].display}: extends cycle: ${names.join(' -> ')}`);
    }
    entry ??= src;
    stack.push(src);
    let merged: PresetDoc = {};
    for (const parent of extendsList(src.doc)) {
      merged = mergePresetDocs(
        merged as Record<string, unknown>,
        (await visit(parent, src.dir, src)) as Record<string, unknown>,
      );
    }
    stack.pop();
    const own: PresetDoc = { ...src.doc };
    delete own.extends;
    delete own.$schema;
    delete own.name;
    delete own.description;
    delete own.version;
    chain.push(src.display);
    return mergePresetDocs(merged as Record<string, unknown>, own as Record<string, unknown>);
  }

  const preset = await visit(ref, fromDir);
  // visit() sets it from the first document it reads, before anything can fail
  if (entry === undefined) throw new Error('internal error: no preset document was read');
  const name = entry.doc.name ?? entry.display;
  const out: Omit<ResolvedPreset, 'record'> = { name, ref, chain, preset: { ...preset } };
  if (entry.doc.description !== undefined) out.preset.description = entry.doc.description;
  // the version is the entry's own (a parent's version is not this preset's)
  if (entry.doc.version !== undefined) out.preset.version = entry.doc.version;
  out.preset.name = name;
  return out;
}
