// The parsed view of a Kubernetes manifest file every SC3xxx rule reads: the YAML documents (one
// `yaml` parse with a LineCounter; `---`-separated, as `kubectl apply -f`, `kustomize build` and
// `helm template` write them), the objects in them (`apiVersion` + `kind`, `List` items included),
// the pod templates of the workloads and their containers, each with a way to find the line of any
// path. Documents without apiVersion/kind are not Kubernetes objects and are ignored.
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { yaml } from '../../core/yaml.js';
import { parseImage, type ParsedImage } from '../image.js';

export type Path = (string | number)[];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  /** metadata.name ("" when absent) */
  name: string;
  value: Record<string, unknown>;
  /** 1-based line of the object's first key */
  line: number;
  /** 1-based line of the node at `path` inside the object (the key's line; the closest existing parent's otherwise) */
  lineOf(...path: Path): number;
}

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface PodView {
  object: K8sObject;
  /** path of the pod spec inside the object: ["spec"], ["spec","template","spec"]… */
  at: Path;
  spec: Record<string, unknown>;
  /** annotations of the pod (or its template): AppArmor profiles before Kubernetes 1.30 */
  annotations: Record<string, unknown>;
  /** a Job's or CronJob's pod: it runs to completion (probes do not apply) */
  batch: boolean;
  containers: ContainerView[];
  /** line of a path relative to the pod spec */
  lineOf(...path: Path): number;
}

export interface ContainerView {
  pod: PodView;
  group: ContainerGroup;
  index: number;
  name: string;
  value: Record<string, unknown>;
  image: ParsedImage | null;
  /** line of the container's list item (`- name: …`) */
  line: number;
  /** line of a path relative to the container */
  lineOf(...path: Path): number;
  /** whether the container has `path` (relative to it) */
  has(...path: Path): boolean;
  /** what `kind name/container` to put in messages */
  label: string;
}

/**
 * One entry of a Kustomization's `images:` (kustomize's image transformer): every container image
 * named `name` in the resources runs `newName` (else the same name) with `newTag` or `digest` (else
 * the tag it had).
 */
export interface KustomizeImageView {
  object: K8sObject;
  index: number;
  name: string;
  newName: string | null;
  newTag: string | null;
  digest: string | null;
  /** line of the list item */
  line: number;
  /** line of one of the entry's keys (the item's line when absent) */
  lineOf(key: string): number;
  /** what to put in messages: `kustomization images "name"` */
  label: string;
}

export interface KubernetesModel {
  path: string;
  docs: Document[];
  objects: K8sObject[];
  pods: PodView[];
  containers: ContainerView[];
  /** the `images:` entries of the Kustomizations in the file */
  kustomizeImages: KustomizeImageView[];
  problems: { line: number; message: string }[];
  limits: { line: number; message: string }[];
  /** the text is a Helm/Go template, not YAML a cluster reads: not analysed */
  template: boolean;
}

/** kustomization.yaml, kustomization.yml, Kustomization: the names kustomize reads in a folder. */
const KUSTOMIZATION_FILE = /(?:^|[\\/])(?:kustomization\.ya?ml|Kustomization)$/;
const KUSTOMIZE_API = 'kustomize.config.k8s.io/v1beta1';

/** More objects than this in one file: the rest are not analysed (SC0004). */
export const MAX_OBJECTS = 5000;

/** Workload kinds whose pod template is at spec.template.spec. */
const TEMPLATE_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
  'DeploymentConfig',
]);
const BATCH_KINDS = new Set(['Job', 'CronJob']);
const GROUPS: readonly ContainerGroup[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** `{{ … }}` actions outside comments: an unrendered Helm chart template. */
const GO_TEMPLATE = /^[^#\n]*\{\{-?[\s\S]*?-?\}\}/m;

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Duplicate keys of every mapping (linear: one Set per mapping). kubectl refuses them. */
function duplicateKeys(doc: Document, lineOfOffset: (o: number) => number): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  yaml().visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!yaml().isScalar(k)) continue;
        const v = k.value;
        if (typeof v === 'number' && Number.isNaN(v)) continue;
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
      if (!m.has(k)) m.set(k, it);
    }
    index.set(map, m);
  }
  return m.get(key);
}

/** The node at `path` under `root` (YAML aliases are not followed). */
function nodeAt(index: WeakMap<YAMLMap, Map<unknown, Pair>>, root: Node, path: Path): Node | undefined {
  let cur: unknown = root;
  for (const k of path) {
    if (yaml().isMap(cur)) cur = pairOf(index, cur, k)?.value;
    else if (yaml().isSeq(cur) && typeof k === 'number') cur = cur.items[k];
    else return undefined;
  }
  return yaml().isNode(cur) ? cur : undefined;
}

/** Line of `path` under `root`: the key of a mapping entry, the item of a sequence, else the closest parent. */
function lineIn(
  index: WeakMap<YAMLMap, Map<unknown, Pair>>,
  root: Node,
  path: Path,
  lineOfOffset: (o: number) => number,
  fallback: number,
): number {
  for (let k = path.length; k > 0; k--) {
    const parent = k > 1 ? nodeAt(index, root, path.slice(0, k - 1)) : root;
    const last = path[k - 1];
    if (yaml().isMap(parent)) {
      const pair = pairOf(index, parent, last);
      if (pair && yaml().isNode(pair.key) && pair.key.range) return lineOfOffset(pair.key.range[0]);
    } else if (yaml().isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      if (yaml().isNode(item) && item.range) return lineOfOffset(item.range[0]);
    }
  }
  return fallback;
}

/** Where the pod spec of an object is, or null for objects that run no pod. */
export function podSpecPath(kind: string): Path | null {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'PodTemplate') return ['template', 'spec'];
  if (TEMPLATE_KINDS.has(kind)) return ['spec', 'template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return null;
}

function get(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

export function buildKubernetesModel(text: string, path: string): KubernetesModel {
  const lc = new (yaml().LineCounter)();
  const model: KubernetesModel = {
    path,
    docs: [],
    objects: [],
    pods: [],
    containers: [],
    kustomizeImages: [],
    problems: [],
    limits: [],
    template: false,
  };
  if (GO_TEMPLATE.test(text)) {
    model.template = true;
    return model;
  }
  const docs = yaml().parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const lineOfOffset = (o: number): number => lc.linePos(o).line;
  // an empty stream (only comments) has no document, and no object
  model.docs = [...docs];
  const index = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  for (const doc of docs) {
    const errs = doc.errors.map((e) => ({
      line: e.linePos?.[0]?.line ?? lineOfOffset(e.pos[0]),
      message: e.message.split('\n')[0],
    }));
    if (doc.contents !== null) errs.push(...duplicateKeys(doc, lineOfOffset));
    if (errs.length > 0) {
      model.problems.push(...errs);
      continue;
    }
    const root = doc.contents;
    if (!yaml().isMap(root)) continue;
    let value: unknown;
    try {
      value = root.toJS(doc, { maxAliasCount: 100 });
    } catch (e) {
      model.problems.push({ line: lineOfOffset(root.range[0]), message: (e as Error).message });
      continue;
    }
    if (!isRecord(value)) continue;
    // a kustomization file may leave out apiVersion and kind (kustomize defaults them)
    if (KUSTOMIZATION_FILE.test(path) && value.kind === undefined && value.apiVersion === undefined) {
      value.apiVersion = KUSTOMIZE_API;
      value.kind = 'Kustomization';
    }
    const add = (v: unknown, node: Node): void => {
      if (!isRecord(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return;
      if (model.objects.length >= MAX_OBJECTS) {
        if (model.limits.length === 0)
          model.limits.push({
            line: node.range ? lineOfOffset(node.range[0]) : 1,
            message: `more than ${MAX_OBJECTS} Kubernetes objects in one file: the rest are not analysed`,
          });
        return;
      }
      const first = node.range ? lineOfOffset(node.range[0]) : 1;
      const meta = isRecord(v.metadata) ? v.metadata : {};
      model.objects.push({
        apiVersion: v.apiVersion,
        kind: v.kind,
        name: typeof meta.name === 'string' ? meta.name : '',
        value: v,
        line: first,
        lineOf: (...p) => lineIn(index, node, p, lineOfOffset, first),
      });
    };
    // `kind: List` (kubectl get -o yaml) and `*List` kinds hold their objects in items
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      const items = nodeAt(index, root, ['items']);
      value.items.forEach((item, i) => {
        const n = yaml().isSeq(items) ? items.items[i] : undefined;
        if (yaml().isNode(n)) add(item, n);
      });
    } else add(value, root);
  }
  for (const o of model.objects) {
    if (o.kind !== 'Kustomization' || !o.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    const images = o.value.images;
    if (!Array.isArray(images)) continue;
    images.forEach((e, i) => {
      if (!isRecord(e) || typeof e.name !== 'string') return;
      const text = (k: string): string | null => {
        const v = e[k];
        return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
      };
      model.kustomizeImages.push({
        object: o,
        index: i,
        name: e.name,
        newName: text('newName'),
        newTag: text('newTag'),
        digest: text('digest'),
        line: o.lineOf('images', i),
        lineOf: (k) => o.lineOf('images', i, k),
        label: `kustomization images "${e.name}"`,
      });
    });
  }
  for (const o of model.objects) {
    const at = podSpecPath(o.kind);
    if (!at) continue;
    const spec = get(o.value, at);
    if (!isRecord(spec)) continue;
    const metaPath = [...at.slice(0, -1), 'metadata'];
    const meta = get(o.value, metaPath);
    const pod: PodView = {
      object: o,
      at,
      spec,
      annotations: isRecord(meta) && isRecord(meta.annotations) ? meta.annotations : {},
      batch: BATCH_KINDS.has(o.kind),
      containers: [],
      lineOf: (...p) => o.lineOf(...at, ...p),
    };
    model.pods.push(pod);
    for (const group of GROUPS) {
      const list = spec[group];
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (!isRecord(c)) return;
        const img = c.image;
        const name = typeof c.name === 'string' ? c.name : `#${i + 1}`;
        const base: Path = [...at, group, i];
        const view: ContainerView = {
          pod,
          group,
          index: i,
          name,
          value: c,
          image: typeof img === 'string' && img.trim() !== '' ? parseImage(img.trim()) : null,
          line: o.lineOf(...base),
          lineOf: (...p) => o.lineOf(...base, ...p),
          has: (...p) => get(c, p) !== undefined,
          label: `${o.kind} ${o.name || '(unnamed)'}, container "${name}"`,
        };
        pod.containers.push(view);
        model.containers.push(view);
      });
    }
  }
  return model;
}

// ---- helpers shared by rules (rules take them from here, never from another rule) ----------

export { isRecord, get };

/** The container's securityContext (an empty object when absent or not a mapping). */
export function containerContext(c: ContainerView): Record<string, unknown> {
  return isRecord(c.value.securityContext) ? c.value.securityContext : {};
}

/** The pod's securityContext. */
export function podContext(p: PodView): Record<string, unknown> {
  return isRecord(p.spec.securityContext) ? p.spec.securityContext : {};
}

/**
 * A setting that the container's securityContext overrides from the pod's (runAsNonRoot,
 * runAsUser, runAsGroup, seccompProfile, seLinuxOptions, appArmorProfile, windowsOptions), with
 * where it was found.
 */
export function effective(c: ContainerView, key: string): { value: unknown; from: 'container' | 'pod' | null } {
  const own = containerContext(c);
  if (own[key] !== undefined && own[key] !== null) return { value: own[key], from: 'container' };
  const pod = podContext(c.pod);
  if (pod[key] !== undefined && pod[key] !== null) return { value: pod[key], from: 'pod' };
  return { value: undefined, from: null };
}

/** Line of a container's securityContext key, else of its securityContext, else of the container. */
export function contextLine(c: ContainerView, key: string): number {
  if (isRecord(c.value.securityContext) && c.value.securityContext[key] !== undefined)
    return c.lineOf('securityContext', key);
  return c.line;
}

/** Line where a pod-or-container setting was found (or the container when nowhere). */
export function effectiveLine(c: ContainerView, key: string, from: 'container' | 'pod' | null): number {
  if (from === 'container') return c.lineOf('securityContext', key);
  if (from === 'pod') return c.pod.lineOf('securityContext', key);
  return c.line;
}

/** Capabilities as written, upper-cased, without a CAP_ prefix. */
export function capabilityList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x).toUpperCase().replace(/^CAP_/, '')) : [];
}

/** Kinds whose pods run for as long as the workload exists (probes make sense for them). */
export function longRunning(p: PodView): boolean {
  return !p.batch;
}

/** A value of an untrusted manifest as text for a message (a mapping or list is shown as JSON). */
export function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** The line of a pod-level key (or the pod spec). */
export function podLine(p: PodView, key: string): number {
  return p.lineOf(key);
}
