#!/usr/bin/env node
// Write the V8 code caches of the audit bundle (dist/bin/audit.cjs; lib/core/code-cache.ts). Run by
// scripts/bundle.mjs after bundling, in a fresh Node. A cache holds what a run has compiled, so this
// runs a warm-up audit first, serial, of the repository's examples and test fixtures in every format
// (the code paths of Dockerfiles, compose files, Kubernetes manifests and workflows), output
// discarded. V8 takes a cache only under the flags it was made with: both caches are made under the
// audit process's inlining limit (the bin sets it before it loads the bundle), one with V8's default
// interrupt budget (the main thread loads the bundle before an audit changes it), one with the batch
// budget (the workers of a parallel audit start under it; lib/audit/jit.ts). Without the bundle or
// the compiled loader there is nothing to do.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

const BUNDLE = resolve('dist/bin/audit.cjs');
const LOADER = resolve('dist/lib/core/code-cache.js');
const JIT = resolve('dist/lib/audit/jit.js');
if (!existsSync(BUNDLE) || !existsSync(LOADER) || !existsSync(JIT)) process.exit(0);

const { loadBundle, codeCacheOf, cacheFileFor } = await import(LOADER);
const { batchJitFlags, JIT_MIN_FILES, AUDIT_INLINING_FLAG } = await import(JIT);
// the flag the bin sets before it loads the bundle (lib/audit/jit.ts startAuditProcessJit)
setFlagsFromString(AUDIT_INLINING_FLAG);
// compiled afresh (no cache file by that name): the caches hold what this run compiles
const loaded = loadBundle(BUNDLE, `${BUNDLE}.none`);
process.env.SECURE_CONTAINER_AUDIT_JOBS = '1'; // the main thread compiles everything
const inputs = ['examples', 'test'].filter((d) => existsSync(d));
const quiet = { cwd: process.cwd(), stdout: () => undefined, stderr: () => undefined };
for (const format of ['json', 'text', 'sarif'])
  await loaded.exports.runAudit([...inputs, '--format', format, '--fail-on', 'none', '--no-repo-policy'], quiet);
writeFileSync(cacheFileFor(BUNDLE, 'default'), codeCacheOf(loaded));
// the same code, saved under the flags of a batch (V8 records them in the cache)
const flags = batchJitFlags(JIT_MIN_FILES, {});
if (flags) {
  setFlagsFromString(flags.set);
  writeFileSync(cacheFileFor(BUNDLE, 'batch'), codeCacheOf(loaded));
  setFlagsFromString(flags.restore);
}
