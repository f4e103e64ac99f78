import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder, found by walking up from this module to the package.json that names
 * this package. Works from the compiled tree (dist/lib/...) and from the bundled bin alike, so
 * templates, schemas and the version are found wherever the code runs from.
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'generator-secure-container')
          return dir;
      } catch {
        /* not ours: keep walking */
      }
    }
    if (dirname(dir) === dir)
      throw new Error(`generator-secure-container: cannot find the package root above ${start}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
