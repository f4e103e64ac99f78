#!/usr/bin/env node
// Bundle the bin into one ESM file after `tsc` (run by `npm run build`). Same sources as the
// compiled tree, same core, validation and safe-write logic: bundling only removes the cost of
// resolving and loading ~200 small modules at every start (see `npm run bench`).
// yeoman-environment stays external: only the interactive path loads it, lazily.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/bin/main.js'],
  outfile: 'dist/bin/secure-container.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // minified: less to parse at every start; `node --enable-source-maps` maps stack traces back
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  external: ['yeoman-environment', 'yeoman-generator'],
  // CommonJS dependencies (ejs, dockerfile-ast) call require(): give the ESM bundle one
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __scCreateRequire } from 'node:module';\nconst require = __scCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// the audit's worker thread, bundled beside the bin: lib/audit/parallel.ts starts ./audit-worker.js
// next to the bundle when it exists (one file to load instead of ~150 modules: a worker is ready in
// ~45 ms instead of ~95 ms)
await build({
  entryPoints: ['dist/lib/audit/worker.js'],
  outfile: 'dist/bin/audit-worker.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  banner: {
    js: "import { createRequire as __scCreateRequire } from 'node:module';\nconst require = __scCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// npm marks bins executable on install; do the same for a run straight from the clone
const { chmodSync } = await import('node:fs');
chmodSync('dist/bin/secure-container.js', 0o755);
