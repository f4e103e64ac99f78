// The Ruby versions this runtime can build, per flavour: docker-library/ruby publishes
// <minor>-slim-bookworm and <minor>-alpine3.22 for each maintained minor (versions.json there).
import type { Flavor } from '../../core/types.js';

export const RUBY_MINORS: readonly string[] = ['3.3', '3.4', '4.0'];
export const RUBY_DEFAULT = '3.4';

export const RUBY_VERSIONS: Readonly<Partial<Record<Flavor, readonly string[]>>> = {
  slim: RUBY_MINORS,
  alpine: RUBY_MINORS,
};
