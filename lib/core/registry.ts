// Registry prefixes and mirrors for image references (P3). Shared by the Dockerfile and compose
// outputs; not specific to a runtime.
import { splitImageRef } from '../policy/image.js';

/**
 * Apply the team's registry prefix/mirror (P3) to an upstream image reference.
 * "" keeps upstream names. A prefix "mirror.corp:5000/hub" maps
 *   node:22-bookworm-slim                     -> mirror.corp:5000/hub/docker.io/library/node:22-bookworm-slim
 *   gcr.io/distroless/static-debian12:nonroot -> mirror.corp:5000/hub/gcr.io/distroless/static-debian12:nonroot
 * (the common layout of pull-through caches that proxy several upstream registries).
 */
export function withRegistry(ref: string, registry: string): string {
  if (!registry || ref === 'scratch') return ref;
  return `${registry.replace(/\/+$/, '')}/${canonicalImage(ref)}`;
}

/** Fully-qualified form of an image reference: docker.io/library/node:22 for node:22. */
export function canonicalImage(ref: string): string {
  const { host, path } = splitImageRef(ref);
  if (host !== null) return ref;
  return path.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** The digest map of --pin-digests: image reference as rendered (no digest) -> "sha256:…". */
export type DigestMap = Readonly<Record<string, string>>;

/**
 * `ref@digest` when the map has a digest for `ref` (issue 16, P3/P7: the bytes cannot change under
 * the tag; the tag stays for the reader and for the update bot). A reference that already carries
 * a digest, `scratch` and unknown references are returned as they are.
 */
export function pinImage(ref: string, digests: DigestMap | undefined): string {
  if (!digests || ref === 'scratch' || ref.includes('@')) return ref;
  const d = digests[ref];
  return d ? `${ref}@${d}` : ref;
}
