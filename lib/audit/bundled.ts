// The audit as the bin runs it: the one-file CommonJS bundle built beside the bin (dist/bin/audit.cjs,
// scripts/bundle.mjs), loaded with its V8 code cache (lib/core/code-cache.ts) after the audit
// process's V8 flags are set (jit.ts startAuditProcessJit: the caches were made under them). Used by
// both entries of the bin: the package's bin (bin/launch.ts) and the ES-module dispatcher (bin/main.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as AuditCli from './cli.js';
import { startAuditProcessJit } from './jit.js';
import { loadBundle } from '../core/code-cache.js';

/** The file name of the audit's bundle, beside the bin. */
export const AUDIT_BUNDLE = 'audit.cjs';

/** The audit's bundle in `binDir` (a directory URL ending in `/`), or null when it is not there. */
export function bundledAuditPath(binDir: URL): string | null {
  const bundle = fileURLToPath(new URL(AUDIT_BUNDLE, binDir));
  return existsSync(bundle) ? bundle : null;
}

/**
 * The audit's command from its bundle (bundledAuditPath). Call before anything else of the audit is
 * loaded: it sets V8 flags. Throws what loading the bundle throws.
 */
export function loadBundledAudit(bundle: string): typeof AuditCli {
  startAuditProcessJit(createRequire(bundle));
  return loadBundle(bundle).exports as typeof AuditCli;
}
