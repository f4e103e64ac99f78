// What the verify rules read, derived once: the image config from docker's or podman's inspect
// JSON, the flavour the image promises, and the final filesystem (layers applied with whiteouts).
import { FLAVORS, type Flavor } from '../core/types.js';
import type {
  FlavorFact,
  ImageConfig,
  ImageFacts,
  ImageFiles,
  LayerEntry,
  FakeImage,
  VerifyThresholds,
} from './types.js';

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;

/**
 * One element of `<engine> image inspect` output. Docker keeps the health check in
 * Config.Healthcheck; podman also (and only, for docker-format images it built) at the top level.
 */
export function parseInspect(raw: unknown): ImageConfig {
  const top = obj(raw);
  const config = obj(top['Config']);
  const hc = obj(config['Healthcheck'] ?? top['Healthcheck']);
  const test = strings(hc['Test']);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(config['Labels'] ?? top['Labels']))) if (typeof v === 'string') labels[k] = v;
  const size = typeof top['Size'] === 'number' ? top['Size'] : 0;
  return {
    user: str(config['User'] ?? top['User']),
    ...(test && test.length ? { healthcheck: test } : {}),
    labels,
    size,
    layers: strings(obj(top['RootFS'])['Layers'])?.length ?? 0,
    exposed: Object.keys(obj(config['ExposedPorts'])),
  };
}

/** The labels that can name the base image (OCI annotation, and the label BuildKit/kaniko users set). */
export const BASE_NAME_LABELS = ['org.opencontainers.image.base.name'];

/**
 * The flavour the image promises: --flavor when given; otherwise inferred from a base-name label
 * (`org.opencontainers.image.base.name`) that names a distroless image, `scratch`, an alpine or a
 * slim tag. No flavour: the shell and package-manager rules have nothing to hold the image to.
 */
export function inferFlavor(labels: Record<string, string>, flag?: Flavor): FlavorFact | null {
  if (flag) return { value: flag, source: 'flag' };
  for (const label of BASE_NAME_LABELS) {
    if (!Object.hasOwn(labels, label)) continue;
    const v = (labels[label] ?? '').toLowerCase();
    if (!v) continue;
    const name = v.split('@')[0] ?? v;
    const value: Flavor | undefined =
      name === 'scratch'
        ? 'scratch'
        : /(?:^|[/:-])distroless(?:[/:-]|$)|-chiseled(?:-|$)|(?:^|\/)chainguard\/|cgr\.dev\//.test(name)
          ? 'distroless'
          : /alpine/.test(name)
            ? 'alpine'
            : /slim/.test(name)
              ? 'slim'
              : undefined;
    if (value) return { value, source: 'label', label };
  }
  return null;
}

export const isFlavor = (s: string): s is Flavor => (FLAVORS as readonly string[]).includes(s);

/** "./usr/bin/" -> "usr/bin" */
export function normalizePath(p: string): string {
  return p.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
}

export interface FinalEntry extends LayerEntry {
  /** index of the layer the entry comes from (0 = bottom) */
  layer: number;
}

/**
 * The image's final filesystem: the layers applied bottom-up with OCI whiteouts (`.wh.<name>`
 * deletes <name> below, `.wh..wh..opq` hides everything below in its directory). Computed top-down
 * in one pass: each entry costs one lookup per path component.
 */
export function finalFiles(files: ImageFiles): Map<string, FinalEntry> {
  const out = new Map<string, FinalEntry>();
  const deleted = new Set<string>();
  const opaque = new Set<string>();
  const hidden = (p: string): boolean => {
    if (deleted.has(p)) return true;
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const dir = p.slice(0, i);
      if (deleted.has(dir) || opaque.has(dir)) return true;
    }
    return opaque.has('');
  };
  for (let layer = files.layers.length - 1; layer >= 0; layer--) {
    const del: string[] = [];
    const opq: string[] = [];
    for (const e of files.layers[layer] ?? []) {
      const slash = e.path.lastIndexOf('/');
      const dir = slash < 0 ? '' : e.path.slice(0, slash);
      const base = e.path.slice(slash + 1);
      if (base === '.wh..wh..opq') opq.push(dir);
      else if (base.startsWith('.wh.')) del.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
      else if (!out.has(e.path) && !hidden(e.path)) out.set(e.path, { ...e, layer });
    }
    // a layer's whiteouts apply to the layers below it, not to its own entries
    for (const d of del) deleted.add(d);
    for (const d of opq) opaque.add(d);
  }
  return out;
}

/** Directories an executable is looked up in (PATH of every common base image, and venvs under /opt). */
const BIN_DIR = /^(?:usr\/(?:local\/)?)?s?bin$|^opt\/[^/]+\/bin$|(?:^|\/)\.?venv\/bin$/;

/** Final-filesystem executables whose name is in `names` (or matches), sorted by path. */
export function executables(final: Map<string, FinalEntry>, match: (name: string) => boolean): FinalEntry[] {
  const found: FinalEntry[] = [];
  for (const e of final.values()) {
    if (e.type === 'directory' || e.type === 'other') continue;
    const slash = e.path.lastIndexOf('/');
    if (slash < 0 || !BIN_DIR.test(e.path.slice(0, slash))) continue;
    if (match(e.path.slice(slash + 1))) found.push(e);
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const finalCache = new WeakMap<ImageFiles, Map<string, FinalEntry>>();
/** finalFiles, computed once per scan (several rules read it) */
export function finalOf(files: ImageFiles): Map<string, FinalEntry> {
  let f = finalCache.get(files);
  if (!f) finalCache.set(files, (f = finalFiles(files)));
  return f;
}

export const DEFAULT_THRESHOLDS: VerifyThresholds = { maxSizeMb: 500, maxLayers: 30 };

/** The facts of a test image (the rule tables): the same parsing as a real run. */
export function factsOf(img: FakeImage): ImageFacts {
  const config = parseInspect(img.inspect);
  return {
    image: img.name,
    config,
    flavor: inferFlavor(config.labels, img.flavor),
    ...(img.layers ? { files: { layers: img.layers, incomplete: img.incomplete ?? [] } } : {}),
    ...(img.smoke ? { smoke: img.smoke } : {}),
    thresholds: { ...DEFAULT_THRESHOLDS, ...img.thresholds },
    allowPaths: img.allowPaths ?? [],
  };
}

/** A layer listing for tests: "path" is a file, "path/" a directory, "path -> target" a symlink. */
export function listing(...paths: string[]): LayerEntry[] {
  return paths.map((p) => {
    const [path = '', target = ''] = p.split(' -> ');
    if (p.includes(' -> ')) return { path: normalizePath(path), type: 'symlink', size: 0, linkname: target };
    if (path.endsWith('/')) return { path: normalizePath(path), type: 'directory', size: 0 };
    return { path: normalizePath(path), type: 'file', size: 1 };
  });
}
