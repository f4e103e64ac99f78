// The table of runtimes (create-vite style): a runtime is a folder lib/runtimes/<runtime>/ with a
// profile (lib/runtimes/profile.ts says what it provides) and a row here. Nothing outside
// lib/runtimes/ compares runtime names; it asks the profile.
import type { Runtime } from '../core/types.js';
import { dotnet } from './dotnet/profile.js';
import { bun } from './bun/profile.js';
import { deno } from './deno/profile.js';
import { go } from './go/profile.js';
import { java } from './java/profile.js';
import { node } from './node/profile.js';
import { php } from './php/profile.js';
import type { RuntimeProfile } from './profile.js';
import { python } from './python/profile.js';
import { ruby } from './ruby/profile.js';
import { rust } from './rust/profile.js';
import { staticSite } from './static/profile.js';

const TABLE = new Map<Runtime, RuntimeProfile>([
  ['node', node],
  ['python', python],
  ['go', go],
  ['static', staticSite],
  ['java', java],
  ['dotnet', dotnet],
  ['rust', rust],
  ['bun', bun],
  ['deno', deno],
  ['ruby', ruby],
  ['php', php],
]);

/** Every runtime, in table order (the order of `--runtime` choices). */
export function profiles(): RuntimeProfile[] {
  return [...TABLE.values()];
}

/** Runtime names, in table order. */
export function runtimeNames(): Runtime[] {
  return [...TABLE.keys()];
}

export function profileFor(runtime: Runtime): RuntimeProfile {
  const p = TABLE.get(runtime);
  if (!p) throw new Error(`unknown runtime ${JSON.stringify(runtime)}: allowed: ${runtimeNames().join(', ')}`);
  return p;
}

/**
 * Add a row to the table at run time (an out-of-tree runtime, or a test's toy profile). Returns
 * the function that removes it again. A built-in runtime cannot be replaced.
 */
export function registerRuntime(profile: RuntimeProfile): () => void {
  if (TABLE.has(profile.runtime)) throw new Error(`runtime ${JSON.stringify(profile.runtime)} is already registered`);
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(profile.runtime)) {
    throw new Error(`runtime name ${JSON.stringify(profile.runtime)}: must be lowercase letters, digits and -`);
  }
  TABLE.set(profile.runtime, profile);
  return () => {
    TABLE.delete(profile.runtime);
  };
}

/** The built-in profiles by name (read-only view; the table above is the source). */
export const PROFILES: Readonly<Record<string, RuntimeProfile>> = Object.fromEntries(TABLE);

export { withRegistry, canonicalImage } from '../core/registry.js';
export type { RuntimeProfile } from './profile.js';
