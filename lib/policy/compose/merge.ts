// Several compose files as Compose merges them (`docker compose -f base.yml -f other.yml`, or a base
// file and its `*.override.yml`, which Compose reads by default), with a source map: every line a
// rule reads from the merged model points into the file that set the value.
//
// Merge rules (Compose Specification, https://docs.docker.com/reference/compose-file/merge/):
// - mappings are merged key by key, the later file wins on a conflict (recursively);
// - sequences are appended, except:
//   - `command`, `entrypoint` and `healthcheck.test` are replaced by the later file;
//   - unique resources: `ports` by {ip, target, published, protocol}, `volumes` by target,
//     `secrets` and `configs` by target, `expose` by value: an entry with the key of an earlier one
//     replaces it (at its place), others are appended;
//   - `environment` and `labels` are merged by variable/label name (list or mapping syntax).
//
// Lines: a merged model covers several files, so its lines are "global": file k's line l is
// (k + 1) * LINE_STRIDE + l (see globalLine / localLine; below LINE_STRIDE: no file, a line the
// engine reported itself). The engine maps findings back to (file, line).
import { parseImage } from '../image.js';
import { parsePorts, parseVolume, yamlText, type ComposeModel, type ComposeService } from './model.js';

/** Lines per file in the global line space: more than a 1 MiB file can have. */
export const LINE_STRIDE = 1 << 22;

export const globalLine = (file: number, line: number): number => (file + 1) * LINE_STRIDE + line;
export const localLine = (global: number): { file: number; line: number } => ({
  file: Math.floor(global / LINE_STRIDE) - 1,
  line: global % LINE_STRIDE,
});

type Plain = Record<string, unknown>;
const isPlainMap = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where an item of a merged sequence came from: the file (index in the merge) and its index there. */
interface Origin {
  file: number;
  index: number;
}

/** Structural equality of two plain YAML values (small: entries of one service). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => k in b && sameValue((a as Plain)[k], (b as Plain)[k]));
}

function valueAt(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

const REPLACED = new Set(['command', 'entrypoint']);
/** Keys merged by variable name: `KEY=value` list items or mapping keys. */
const BY_NAME = new Set(['environment', 'labels']);

function uniqueKey(key: string, item: unknown): string | null {
  switch (key) {
    case 'ports': {
      const p = parsePorts([item]).at(0);
      if (!p) return null;
      const proto = isPlainMap(item)
        ? yamlText(item.protocol ?? 'tcp')
        : (/\/(tcp|udp|sctp)$/i.exec(String(item))?.[1] ?? 'tcp');
      return JSON.stringify([p.hostIp ?? '', p.target, p.published ?? '', proto.toLowerCase()]);
    }
    case 'volumes': {
      const v = parseVolume(item);
      return v ? v.target : null;
    }
    case 'secrets':
    case 'configs':
      if (isPlainMap(item)) return yamlText(item.target ?? item.source ?? '');
      return String(item);
    case 'expose':
      return String(item);
    default:
      return null;
  }
}

const nameOf = (item: unknown): string => {
  const s = String(item);
  const eq = s.indexOf('=');
  return eq < 0 ? s : s.slice(0, eq);
};

/** A list-or-map field as a mapping (`KEY=value` → KEY: value, `KEY` → KEY: null). */
function asMap(v: unknown): Plain {
  if (isPlainMap(v)) return { ...v };
  const out: Plain = {};
  if (Array.isArray(v))
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      out[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? null : s.slice(eq + 1);
    }
  return out;
}

/** Merge a sequence of the later file into the earlier one's, with the origin of every item. */
function mergeSeq(
  key: string,
  a: unknown[],
  aOrigin: Origin[],
  b: unknown[],
  file: number,
): { value: unknown[]; origin: Origin[] } {
  const value = [...a];
  const origin = [...aOrigin];
  const unique = key === 'ports' || key === 'volumes' || key === 'secrets' || key === 'configs' || key === 'expose';
  const byName = BY_NAME.has(key);
  const index = new Map<string, number>();
  if (unique || byName)
    value.forEach((item, i) => {
      const k = byName ? nameOf(item) : uniqueKey(key, item);
      if (k !== null) index.set(k, i);
    });
  b.forEach((item, i) => {
    const k = unique ? uniqueKey(key, item) : byName ? nameOf(item) : null;
    const at = k === null ? undefined : index.get(k);
    if (at !== undefined) {
      // an identical entry restated keeps its first origin: the setting is reported once, where it was first made
      if (!sameValue(value[at], item)) origin[at] = { file, index: i };
      value[at] = item;
    } else {
      if (k !== null) index.set(k, value.length);
      value.push(item);
      origin.push({ file, index: i });
    }
  });
  return { value, origin };
}

/** Deep merge of two plain values (mappings merged, sequences appended, scalars replaced). */
function mergeDeep(a: unknown, b: unknown, path: string): unknown {
  if (isPlainMap(a) && isPlainMap(b)) {
    const out: Plain = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? mergeDeep(a[k], v, `${path}.${k}`) : v;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && path !== 'healthcheck.test')
    return [...(a as unknown[]), ...(b as unknown[])];
  return b;
}

/** One service as the merge of its definitions in `parts` (file index and service, in merge order). */
function mergeService(parts: { file: number; svc: ComposeService }[]): ComposeService {
  const first = parts[0];
  let value: Plain = { ...first.svc.value };
  /** origins of the items of merged sequences, by top-level key */
  const origins = new Map<string, Origin[]>();
  for (const [k, v] of Object.entries(value))
    if (Array.isArray(v))
      origins.set(
        k,
        v.map((_, index) => ({ file: first.file, index })),
      );
  for (const { file, svc } of parts.slice(1)) {
    const next: Plain = { ...value };
    for (const [k, v] of Object.entries(svc.value)) {
      const prev = value[k];
      if (!(k in value) || REPLACED.has(k)) {
        next[k] = v;
        if (Array.isArray(v))
          origins.set(
            k,
            v.map((_, index) => ({ file, index })),
          );
        else origins.delete(k);
      } else if (Array.isArray(prev) && Array.isArray(v)) {
        const m = mergeSeq(k, prev, origins.get(k) ?? [], v, file);
        next[k] = m.value;
        origins.set(k, m.origin);
      } else if (BY_NAME.has(k) && (Array.isArray(prev) || Array.isArray(v))) {
        // list and mapping syntax mixed: merged as mappings (lines then point at the key)
        next[k] = { ...asMap(prev), ...asMap(v) };
        origins.delete(k);
      } else {
        next[k] = mergeDeep(prev, v, k);
        origins.delete(k);
      }
    }
    value = next;
  }
  const has = (...p: (string | number)[]): boolean => {
    let cur: unknown = value;
    for (const k of p) {
      if (cur === null || typeof cur !== 'object' || !(k in cur)) return false;
      cur = (cur as Record<string | number, unknown>)[k];
    }
    return true;
  };
  const last = parts[parts.length - 1];
  const img = value.image;
  return {
    name: first.svc.name,
    line: globalLine(first.file, first.svc.line),
    value,
    // rules read values and lines, never nodes; the node of the last definition
    node: last.svc.node,
    image: typeof img === 'string' && img.trim() !== '' ? parseImage(img.trim()) : null,
    has,
    lineOf: (...p) => {
      const [head, idx, ...rest] = p;
      const o = typeof head === 'string' && typeof idx === 'number' ? origins.get(head)?.[idx] : undefined;
      if (o) {
        const part = parts.find((x) => x.file === o.file);
        if (part) return globalLine(o.file, part.svc.lineOf(head, o.index, ...rest));
      }
      // the last file that has the path set it (an earlier file with the same value: that one, the
      // value was only restated); else the deepest prefix some file has
      for (let n = p.length; n > 0; n--) {
        const prefix = p.slice(0, n);
        for (let k = parts.length - 1; k >= 0; k--)
          if (parts[k].svc.has(...prefix)) {
            const v = valueAt(parts[k].svc.value, prefix);
            let j = k;
            while (j > 0 && parts[j - 1].svc.has(...prefix) && sameValue(valueAt(parts[j - 1].svc.value, prefix), v))
              j--;
            return globalLine(parts[j].file, parts[j].svc.lineOf(...prefix));
          }
      }
      return globalLine(first.file, first.svc.line);
    },
  };
}

/** A service of one file, its lines made global. */
function inFile(file: number, s: ComposeService): ComposeService {
  return { ...s, line: globalLine(file, s.line), lineOf: (...p) => globalLine(file, s.lineOf(...p)) };
}

/**
 * The model of `models` merged in order (as `-f models[0] -f models[1] …`), lines global. Services
 * keep the order of their first definition.
 */
export function mergeComposeModels(models: readonly ComposeModel[]): ComposeModel {
  const byName = new Map<string, { file: number; svc: ComposeService }[]>();
  models.forEach((m, file) => {
    for (const svc of m.services) {
      const list = byName.get(svc.name);
      if (list) list.push({ file, svc });
      else byName.set(svc.name, [{ file, svc }]);
    }
  });
  const services: ComposeService[] = [];
  for (const parts of byName.values())
    services.push(parts.length === 1 ? inFile(parts[0].file, parts[0].svc) : mergeService(parts));
  const last = models[models.length - 1];
  return { path: last.path, doc: last.doc, services, problems: [], lineOfOffset: (o) => last.lineOfOffset(o) };
}
