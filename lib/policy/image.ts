// Image references ("node:22", "gcr.io/distroless/static-debian12:nonroot@sha256:…") split into
// registry / repository / tag / digest, with Docker Hub normalisation (docker.io/library/<name>).

export interface ParsedImage {
  /** as written (after ARG substitution) */
  ref: string;
  /** registry host, normalised: Docker Hub is "docker.io" */
  registry: string;
  /** repository path without registry; Docker Hub official images get "library/" */
  repository: string;
  /** "<registry>/<repository>", e.g. "docker.io/library/node" */
  full: string;
  tag: string | null;
  digest: string | null;
  scratch: boolean;
  /** the reference still contains an unresolved variable ($X) */
  unresolved: boolean;
}

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * Docker's rule for the first path component of a reference: it names a registry host when it
 * contains "." or ":" or is "localhost" ("gcr.io/x", "mirror:5000/x"); otherwise it is a Docker
 * Hub namespace ("hashicorp/vault").
 */
export function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** The lexical parts of an image reference, nothing normalised. */
export interface ImageRefParts {
  /** registry host as written, or null when the reference names none (Docker Hub) */
  host: string | null;
  /** repository path after the host, as written ("node", "distroless/static-debian12") */
  path: string;
  tag: string | null;
  digest: string | null;
}

/** The one image-reference parser: "[host/]path[:tag][@digest]" split into its parts. */
export function splitImageRef(ref: string): ImageRefParts {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1) || null;
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1) || null;
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0 && isRegistryHost(rest.slice(0, slash))) {
    return { host: rest.slice(0, slash), path: rest.slice(slash + 1), tag, digest };
  }
  return { host: null, path: rest, tag, digest };
}

export function parseImage(ref: string): ParsedImage {
  const { host, path, tag, digest } = splitImageRef(ref);
  let registry = host === null ? 'docker.io' : host.toLowerCase();
  if (HUB_ALIASES.has(registry)) registry = 'docker.io';
  const parts = path.split('/');
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  return {
    ref,
    registry,
    repository,
    full: `${registry}/${repository}`,
    tag,
    digest,
    scratch: ref.trim().toLowerCase() === 'scratch',
    unresolved: ref.includes('$'),
  };
}

/**
 * Registry allow-list entries are prefixes of "<registry>/<repository>" matched on path segments:
 * "docker.io/library" allows every official image, "gcr.io/distroless" every distroless image,
 * "mcr.microsoft.com" the whole registry, "*" anything.
 */
export function compileAllowList(entries: readonly string[]): (img: ParsedImage) => boolean {
  const prefixes = entries.map((e) => {
    let p = e.trim().replace(/\/+$/, '').toLowerCase();
    // a bare Docker Hub namespace ("hashicorp") or a Hub alias is normalised
    const first = p.split('/')[0];
    if (HUB_ALIASES.has(first)) p = 'docker.io' + p.slice(first.length);
    else if (p !== '*' && !isRegistryHost(first)) p = `docker.io/${p}`;
    return p;
  });
  if (prefixes.includes('*')) return () => true;
  const known = memo();
  return (img) => {
    const full = img.full.toLowerCase();
    return known(full, () => prefixes.some((p) => full === p || full.startsWith(p + '/')));
  };
}

/**
 * A bounded memo for the image tests: a batch asks about the same few images (node:22, python:3.12,
 * …) thousands of times. Cleared when it holds MEMO_MAX answers (a file may name 100k images).
 */
const MEMO_MAX = 4096;
function memo(): (key: string, compute: () => boolean) => boolean {
  const answers = new Map<string, boolean>();
  return (key, compute) => {
    let v = answers.get(key);
    if (v === undefined) {
      v = compute();
      if (answers.size >= MEMO_MAX) answers.clear();
      answers.set(key, v);
    }
    return v;
  };
}

/** Substitute ${X}, $X, ${X:-default}, ${X-default}, ${X:+alt} with values from `vars`. */
export function substitute(text: string, vars: ReadonlyMap<string, string | null>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (m, braced, op, word, bare) => {
      const name = (braced ?? bare) as string;
      const v = vars.get(name);
      const set = v !== undefined && v !== null;
      const nonEmpty = set && v !== '';
      switch (op) {
        case ':-':
          return nonEmpty ? v : (word as string);
        case '-':
          return set ? v : (word as string);
        case ':+':
          return nonEmpty ? (word as string) : '';
        case '+':
          return set ? (word as string) : '';
        default:
          return set ? v : m;
      }
    },
  );
}

/** Images whose default user is not root (documented in docs/audit.md). Glob: '*' = any run of chars. */
export const DEFAULT_NON_ROOT_IMAGES = [
  'gcr.io/distroless/*:nonroot',
  'gcr.io/distroless/*:*-nonroot',
  'gcr.io/distroless/*:nonroot-*',
];

export function compileGlobs(globs: readonly string[]): (s: string) => boolean {
  const res = globs.map(
    (g) =>
      new RegExp(
        '^' +
          g
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*') +
          '$',
        'i',
      ),
  );
  const known = memo();
  return (s) => known(s, () => res.some((r) => r.test(s)));
}
