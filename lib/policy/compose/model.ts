// The parsed view of a compose file every SC2xxx rule reads: a `yaml` Document (parsed once, with
// a LineCounter) and, per service, the plain JS value plus a way to find the line of any path.
import type { Document, Pair, YAMLMap } from 'yaml';
import { yaml } from '../../core/yaml.js';
import { parseImage, type ParsedImage } from '../image.js';

export interface ComposeService {
  name: string;
  /** 1-based line of the service key */
  line: number;
  /** plain JS value of the service mapping */
  value: Record<string, unknown>;
  node: YAMLMap;
  /** parsed `image:` when it is a string */
  image: ParsedImage | null;
  /** 1-based line of the node at `path` under the service (falls back to the service line) */
  lineOf(...path: (string | number)[]): number;
  /** the key line of `path` when present (for "key exists but value is wrong" reports) */
  has(...path: (string | number)[]): boolean;
}

export interface ComposeModel {
  path: string;
  doc: Document;
  services: ComposeService[];
  problems: { line: number; message: string }[];
  /** comments ("# …") by 1-based line, for suppressions */
  lineOfOffset(offset: number): number;
}

/**
 * Duplicate keys of every mapping, one Set per mapping. yaml's own check (`uniqueKeys: true`)
 * compares each key with every earlier key of its mapping: a service or environment map with
 * 10k/20k/40k keys took 0.8/2/9.7 s to parse. Same verdict as yaml's default check: scalar keys are
 * equal when their values are === (merge keys `<<` resolve to distinct symbols, never equal), other
 * keys only to themselves. Aliases are not followed.
 */
function duplicateKeys(doc: Document, lineOfOffset: (o: number) => number): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  yaml().visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!yaml().isScalar(k)) continue;
        const v = k.value;
        if (typeof v === 'number' && Number.isNaN(v)) continue; // NaN !== NaN for yaml, equal in a Set
        if (seen.has(v)) out.push({ line: k.range ? lineOfOffset(k.range[0]) : 1, message: 'Map keys must be unique' });
        else seen.add(v);
      }
    },
  });
  return out;
}

/** The pair of `key` in a mapping, through a per-mapping index (YAMLMap lookups scan its items). */
function pairOf(index: WeakMap<YAMLMap, Map<unknown, Pair>>, map: YAMLMap, key: unknown): Pair | undefined {
  let m = index.get(map);
  if (!m) {
    m = new Map();
    for (const it of map.items) {
      const k = yaml().isScalar(it.key) ? it.key.value : it.key;
      if (!m.has(k)) m.set(k, it); // the first, as items.find
    }
    index.set(map, m);
  }
  return m.get(key);
}

export function buildComposeModel(text: string, path: string): ComposeModel {
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const lineOfOffset = (o: number): number => lc.linePos(o).line;
  const problems: ComposeModel['problems'] = [];
  for (const e of doc.errors)
    problems.push({ line: e.linePos?.[0]?.line ?? lineOfOffset(e.pos[0]), message: e.message.split('\n')[0] });
  // duplicate keys are checked here, in linear time (see duplicateKeys); yaml reported them among its errors
  if (doc.contents !== null) problems.push(...duplicateKeys(doc, lineOfOffset));
  const pairIndex = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  const services: ComposeService[] = [];
  const model: ComposeModel = { path, doc, services, problems, lineOfOffset };
  if (problems.length) return model;
  const root = doc.contents;
  if (root === null || (yaml().isScalar(root) && (root.value === null || root.value === ''))) {
    problems.push({ line: 1, message: 'empty compose file' });
    return model;
  }
  if (!yaml().isMap(root)) {
    problems.push({ line: lineOfOffset(root.range[0]), message: 'compose file is not a mapping' });
    return model;
  }
  // unknown: yaml types get(key, true) as a Scalar, but it returns whatever node the key holds
  const svcs: unknown = root.get('services', true);
  if (svcs === undefined || svcs === null) return model;
  if (!yaml().isMap(svcs)) {
    problems.push({
      line: yaml().isNode(svcs) && svcs.range ? lineOfOffset(svcs.range[0]) : 1,
      message: '"services" is not a mapping',
    });
    return model;
  }
  for (const pair of svcs.items) {
    const keyNode = pair.key;
    const name = yaml().isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const keyLine = yaml().isNode(keyNode) && keyNode.range ? lineOfOffset(keyNode.range[0]) : 1;
    const node = pair.value;
    if (!yaml().isMap(node)) {
      if (node !== null && !(yaml().isScalar(node) && node.value === null))
        problems.push({ line: keyLine, message: `service "${name}" is not a mapping` });
      continue;
    }
    let value: Record<string, unknown>;
    try {
      value = (node.toJS(doc, { maxAliasCount: 100 }) ?? {}) as Record<string, unknown>;
    } catch (e) {
      problems.push({ line: keyLine, message: `service "${name}": ${(e as Error).message}` });
      continue;
    }
    const img = value.image;
    services.push({
      name,
      line: keyLine,
      value,
      node,
      image: typeof img === 'string' && img.trim() !== '' ? parseImage(img.trim()) : null,
      lineOf: (...p) => {
        // the key's line for a mapping entry, the item's line for a sequence entry
        const parent = p.length > 1 ? node.getIn(p.slice(0, -1), true) : node;
        const last = p[p.length - 1];
        if (yaml().isMap(parent)) {
          const pair = pairOf(pairIndex, parent, last);
          if (pair && yaml().isNode(pair.key) && pair.key.range) return lineOfOffset(pair.key.range[0]);
        } else if (yaml().isSeq(parent) && typeof last === 'number') {
          const item = parent.items[last];
          if (yaml().isNode(item) && item.range) return lineOfOffset(item.range[0]);
        }
        const n = node.getIn(p, true);
        if (yaml().isNode(n) && n.range) return lineOfOffset(n.range[0]);
        // merge keys (<<) or aliases: fall back to the closest existing parent
        for (let k = p.length - 1; k > 0; k--) {
          const parent = node.getIn(p.slice(0, k), true);
          if (yaml().isNode(parent) && parent.range) return lineOfOffset(parent.range[0]);
        }
        return keyLine;
      },
      has: (...p) => {
        // on the JS value, so that keys brought in by `<<: *anchor` merges count
        let cur: unknown = value;
        for (const k of p) {
          if (cur === null || typeof cur !== 'object' || !(k in cur)) return false;
          cur = (cur as Record<string | number, unknown>)[k];
        }
        return true;
      },
    });
  }
  return model;
}

// ---- helpers shared by rules -------------------------------------------------------------

/**
 * A YAML value as a string, as String() makes it: compose files are untrusted, so a field may hold
 * any value; a map or list where a scalar belongs becomes "[object Object]" or "a,b", which is
 * intended (it matches no rule pattern and reads back in a message).
 */
export function yamlText(x: unknown): string {
  return String(x);
}

/** A list-or-map field (environment, labels, sysctls) as [key, value|null, index|key] entries. */
export function entries(v: unknown): { key: string; value: string | null; path: string | number }[] {
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      const s = String(x);
      const eq = s.indexOf('=');
      return eq < 0 ? { key: s, value: null, path: i } : { key: s.slice(0, eq), value: s.slice(eq + 1), path: i };
    });
  }
  if (v && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => ({
      key: k,
      value: x === null || x === undefined ? null : yamlText(x),
      path: k,
    }));
  }
  return [];
}

export function asStringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'string') return [v];
  return [];
}

export interface PortMapping {
  hostIp: string | null;
  published: string | null;
  target: string;
  /** index in the ports list */
  index: number;
}

/** An IPv4 or bracketed IPv6 address, optionally followed by `:<port or range>`. */
const PUBLISHED_WITH_IP = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]*\])(?::(.*))?$/;

/** Parse compose `ports:` entries (short "[ip:][host:]container[/proto]" and long syntax). */
export function parsePorts(v: unknown): PortMapping[] {
  if (!Array.isArray(v)) return [];
  const out: PortMapping[] = [];
  v.forEach((p, index) => {
    if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      let hostIp = o.host_ip === undefined ? null : yamlText(o.host_ip);
      let published = o.published === undefined || o.published === null ? null : yamlText(o.published);
      // `published: "127.0.0.1:8080"` (or just an address): the address is the host ip, leniently
      const ip = hostIp === null && published !== null ? PUBLISHED_WITH_IP.exec(published) : null;
      if (ip) {
        hostIp = ip[1].replace(/^\[|\]$/g, '');
        published = ip[2] || null;
      }
      out.push({ hostIp, published, target: yamlText(o.target ?? ''), index });
      return;
    }
    let s = String(p).trim();
    s = s.replace(/\/(tcp|udp|sctp)$/i, '');
    let hostIp: string | null = null;
    // IPv6 host ip: "[::1]:8080:80"
    const v6 = /^\[([^\]]*)\]:(.*)$/.exec(s);
    if (v6) {
      hostIp = v6[1];
      s = v6[2];
    }
    const parts = s.split(':');
    if (!v6 && parts.length === 3) {
      hostIp = parts.shift() ?? null;
    }
    if (parts.length === 2) out.push({ hostIp, published: parts[0] || null, target: parts[1], index });
    else out.push({ hostIp, published: null, target: parts[0], index });
  });
  return out;
}

/** A volume entry as { source, target, type }, short "src:dst[:mode]" or long syntax. */
export function parseVolume(v: unknown): { type: string; source: string | null; target: string } | null {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return {
      type: yamlText(o.type ?? 'volume'),
      source: o.source == null ? null : yamlText(o.source),
      target: yamlText(o.target ?? ''),
    };
  }
  if (typeof v !== 'string') return null;
  const parts = v.split(':');
  if (parts.length === 1) return { type: 'volume', source: null, target: parts[0] };
  const source = parts[0];
  const type =
    source.startsWith('/') || source.startsWith('.') || source.startsWith('~') || source.startsWith('$')
      ? 'bind'
      : 'volume';
  return { type, source, target: parts[1] ?? '' };
}

// Helpers shared by compose rules (rules take them from here, never from another rule).

/** `user:` has the Dockerfile USER syntax (user[:group]): one notion of root for both kinds. */
export { isRootUser } from '../dockerfile/model.js';

/** Whether a cap_drop list drops ALL capabilities. */
export function dropsAll(v: unknown): boolean {
  return asStringList(v).some((c) => c.toUpperCase() === 'ALL');
}

/** A container runtime's API socket as a host path. */
export const SOCKET = /(?:^|\/)(?:docker|containerd|podman|crio|cri-dockerd)\.sock$/;

/** `deploy.resources.limits.<key>` of a service. */
export function limit(v: Record<string, unknown>, key: string): unknown {
  const deploy = v.deploy as Record<string, unknown> | undefined;
  const res = deploy?.resources as Record<string, unknown> | undefined;
  const lim = res?.limits as Record<string, unknown> | undefined;
  return lim?.[key];
}
