// The yaml package, loaded on first use (see lazy-require.ts): an audit of Dockerfiles only never
// loads it. Modules on the audit's path call yaml() instead of importing it; `import type` is free.
import type * as YamlModule from 'yaml';
import { lazyPackage } from './lazy-require.js';

export type Yaml = typeof YamlModule;

/** The yaml package (loaded on the first call). */
export const yaml: () => Yaml = lazyPackage<Yaml>('yaml');
