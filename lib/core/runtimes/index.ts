import { splitImageRef } from '../../policy/image.js';
import type { Runtime } from '../types.js';
import { go } from './go.js';
import { node } from './node.js';
import type { RuntimeProfile } from './profile.js';
import { python } from './python.js';

/** The table of runtimes: adding one is adding a file and a row here. */
export const PROFILES: Readonly<Record<Runtime, RuntimeProfile>> = { node, python, go };

export function profileFor(runtime: Runtime): RuntimeProfile {
  return PROFILES[runtime];
}

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

export type { RuntimeProfile } from './profile.js';
