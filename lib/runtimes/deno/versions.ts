// The Deno releases this runtime can build: denoland/deno publishes full-version tags only
// (`2.9.1`, `distroless-2.9.1`, `alpine-2.9.1`; .github/workflows/ci.yml in denoland/deno_docker),
// so each supported minor maps to its newest patch release with images.
import type { Flavor } from '../../core/types.js';

export const DENO_RELEASES: Readonly<Record<string, string>> = {
  '2.5': '2.5.7',
  '2.6': '2.6.10',
  '2.7': '2.7.14',
  '2.8': '2.8.3',
  '2.9': '2.9.1',
};

export const DENO_MINORS: readonly string[] = Object.keys(DENO_RELEASES);
export const DENO_DEFAULT = '2.9';

export const DENO_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: DENO_MINORS,
  alpine: DENO_MINORS,
};
