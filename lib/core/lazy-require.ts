// A CommonJS package loaded on its first use rather than with the module that needs it, for packages
// most runs do not need: dockerfile-ast (the audit reads most Dockerfiles with its own reader) and
// yaml (a Dockerfile-only audit reads no YAML). Loading them with the audit cost ~10 and ~7 ms of
// every run (docs/audit.md, Speed).
//
// The bin's bundle ships each as one file beside its chunks (dist/bin/chunks/<name>.cjs, written by
// scripts/bundle.mjs): loaded from there without resolving the package's modules one by one. The
// compiled tree (tests, the Yeoman generator) has no such file and loads the package. CommonJS so
// that it loads synchronously, in the middle of an audit.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The packages loaded with lazyPackage(): scripts/bundle.mjs bundles each beside the chunks. */
export const LAZY_PACKAGES = ['dockerfile-ast', 'yaml'];

/** Where the bundled copy is: beside this code in dist/bin/chunks/, or in chunks/ from dist/bin/audit.cjs. */
const BUNDLED_DIRS = ['./', './chunks/'];

/** The file name of a package's bundled copy (scripts/bundle.mjs writes it). */
export function bundledName(pkg: string): string {
  return `${pkg.replace(/[^A-Za-z0-9.-]/g, '_')}.cjs`;
}

/**
 * A loader for `pkg`: the first call loads it (then `init`, once), later calls return it. `T` is the
 * package's type (`typeof import('pkg')`, imported with `import type`, so that nothing loads it early).
 */
export function lazyPackage<T>(pkg: string, init?: (mod: T) => void): () => T {
  let mod: T | undefined;
  return () => {
    if (mod !== undefined) return mod;
    const require = createRequire(import.meta.url);
    let loaded: T | undefined;
    for (const dir of BUNDLED_DIRS) {
      const file = fileURLToPath(new URL(dir + bundledName(pkg), import.meta.url));
      if (existsSync(file)) {
        loaded = require(file) as T;
        break;
      }
    }
    loaded ??= require(pkg) as T;
    init?.(loaded);
    return (mod = loaded);
  };
}
