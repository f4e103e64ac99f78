// Types shared by the detectors.
import type { Fact, Facts } from '../core/types.js';
import type { RepoFiles } from './files.js';

/**
 * Facts plus two detection-only extras (optional, so a DetectedFacts is a Facts):
 * - packageManagerVersion: the exact package-manager version from package.json `packageManager`
 *   (e.g. "9.12.0" for "pnpm@9.12.0+sha512…"), for `corepack` pinning;
 * - notes: things detection saw but deliberately did not propose (a port < 1024, a dev-server
 *   start script, an unreadable manifest), shown next to the facts so nothing is dropped silently.
 */
export interface DetectedFacts extends Facts {
  packageManagerVersion?: Fact<string>;
  notes?: string[];
}

/** What every detector gets: the files plus a place to leave notes. */
export interface Ctx {
  files: RepoFiles;
  has(path: string): boolean;
  /** text of a file (undefined if absent, unreadable, secret or > 1 MiB) */
  read(path: string): string | undefined;
  note(text: string): void;
}

export function fact<T>(value: T, source: string): Fact<T> {
  return { value, source };
}
