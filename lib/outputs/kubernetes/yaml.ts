// Manifests as data, emitted with the `yaml` Document API (as compose.yaml is): every object is a
// plain value, every comment is a note on a key path. No string-built YAML.
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';

export type Path = (string | number)[];

export interface Note {
  path: Path;
  /** comment line(s) above the key (each line starts with a space, as `# <text>`) */
  before?: string;
}

/** One YAML document: an object and the comments on its keys. */
export interface Manifest {
  obj: object;
  notes: Note[];
  /** comment after the document's last line */
  trailer?: string;
}

/** A manifest builder: notes are collected next to the values they explain. */
export class Notes {
  readonly list: Note[] = [];
  add(path: Path, before: string): this {
    this.list.push({ path, before: before.startsWith(' ') ? before : ` ${before}` });
    return this;
  }
}

function pairAt(doc: Document, path: Path): Pair<Node, Node> | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  return (parent as YAMLMap<Node, Node>).items.find((p) => isScalar(p.key) && p.key.value === last);
}

/** The item of a sequence at `path` (its last element is the index). */
function itemAt(doc: Document, path: Path): Node | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isSeq(parent) || typeof last !== 'number') return undefined;
  const item = parent.items[last];
  return item && typeof item === 'object' && 'range' in item ? (item as Node) : undefined;
}

/**
 * YAML text of the documents, separated by `---`, the header above the first one. YAML 1.1 rules
 * for plain scalars (as compose.yaml): `"no"`, `"0400"` stay strings for every reader (kubectl's
 * YAML 1.1 parser, kustomize's YAML 1.2 one).
 */
export function emitManifests(header: string, manifests: readonly Manifest[]): string {
  const parts = manifests.map((m, i) => {
    const doc = new Document(m.obj, { version: '1.1', aliasDuplicateObjects: false });
    if (i === 0 && header) doc.commentBefore = header;
    for (const n of m.notes) {
      if (!n.before) continue;
      const pair = pairAt(doc, n.path);
      if (pair && isScalar(pair.key)) {
        pair.key.commentBefore = pair.key.commentBefore ? `${pair.key.commentBefore}\n${n.before}` : n.before;
        continue;
      }
      const item = itemAt(doc, n.path);
      if (item) item.commentBefore = item.commentBefore ? `${item.commentBefore}\n${n.before}` : n.before;
    }
    if (m.trailer) doc.comment = m.trailer;
    return doc.toString({ lineWidth: 0 });
  });
  return parts.join('---\n');
}

/** A file made only of comments (a stub to uncomment): each line of `text` prefixed with `# `. */
export function commentedOut(header: string, intro: string, manifest: object): string {
  const body = new Document(manifest, { version: '1.1', aliasDuplicateObjects: false }).toString({ lineWidth: 0 });
  const lines = [
    ...header.split('\n').map((l) => `#${l}`),
    '#',
    ...intro.split('\n').map((l) => `#${l}`),
    '#',
    ...body
      .trimEnd()
      .split('\n')
      .map((l) => `# ${l}`),
  ];
  return lines.join('\n') + '\n';
}
