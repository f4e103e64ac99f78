// The Bun releases this runtime can build, per flavour: oven/bun publishes <major>.<minor> tags of
// every variant (debian, -slim, -alpine, -distroless; dockerhub/publish-images.sh in oven-sh/bun).
import type { Flavor } from '../../core/types.js';

const MINORS = ['1.2', '1.3', '1.4'] as const;

export const BUN_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  distroless: MINORS,
  alpine: MINORS,
};

export const BUN_SUPPORTED: readonly string[] = MINORS;
export const BUN_DEFAULT = '1.4';
