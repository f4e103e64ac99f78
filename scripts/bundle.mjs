#!/usr/bin/env node
// Bundle the bin after `tsc` (run by `npm run build`). Same sources as the compiled tree, same core,
// validation and safe-write logic: bundling only removes the cost of resolving and loading ~200
// small modules at every start (see `npm run bench`).
//
// The bin is split at its lazy imports (esbuild code splitting): dist/bin/secure-container.js is the
// dispatcher (bin/main.ts, ~3 KB), and every subcommand's code sits in dist/bin/chunks/, shared code
// in shared chunks, so a command loads (reads, parses and runs the module-level code of) only what it
// uses: `audit` ~0.5 MB of the 1.35 MB a single bundle held, `--version` ~7 KB. The chunks ship with
// the package (package.json "files" has dist/bin).
// yeoman-environment stays external: only the interactive path loads it, lazily.
// The package's bin is the CommonJS launcher dist/bin/secure-container.cjs (bin/launch.ts): `audit`
// from the audit's one-file CommonJS bundle (dist/bin/audit.cjs) with its V8 code cache, every other
// command from the dispatcher above (see below).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUT = 'dist/bin';
const CHUNKS = 'chunks';
// CommonJS dependencies (ejs, dockerfile-ast, yaml) call require(): give every ESM output one
// (each chunk is its own module; esbuild's require shim in a chunk reads that chunk's binding)
const REQUIRE_BANNER =
  "import { createRequire as __scCreateRequire } from 'node:module';\nconst require = __scCreateRequire(import.meta.url);";
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // minified: less to parse at every start; `node --enable-source-maps` maps stack traces back
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  external: ['yeoman-environment', 'yeoman-generator'],
  banner: { js: REQUIRE_BANNER },
  metafile: true,
  logLevel: 'warning',
};

const bin = await build({
  ...common,
  entryPoints: { 'secure-container': 'dist/bin/main.js' },
  outdir: OUT,
  splitting: true,
  entryNames: '[name]',
  chunkNames: `${CHUNKS}/[name]-[hash]`,
});

// The audit's code as ONE CommonJS file (both bin entries load it for `audit`, with V8's code cache:
// lib/audit/bundled.ts, lib/core/code-cache.ts; the caches are written below by scripts/code-cache.mjs). CommonJS, because only a script
// (not an ES module) can be compiled with saved bytecode on Node 20, and one file: an audit of one
// Dockerfile loaded 17 chunks. No import(): a dynamic import from code compiled by node:vm needs a
// loader callback, so esbuild turns every import() into a require().
const cjs = {
  ...common,
  format: 'cjs',
  // the code reads import.meta.url to find its package and the files beside it
  define: { 'import.meta.url': '__scImportMetaUrl' },
  banner: { js: "var __scImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  entryNames: '[name]',
};
const auditBundle = await build({
  ...cjs,
  supported: { 'dynamic-import': false },
  entryPoints: { audit: 'dist/lib/audit/bundle.js' },
});
// The package's bin (bin/launch.ts: `audit` from the bundle above, every other command from the
// ES-module dispatcher) and the audit's worker thread (bin/worker-launch.ts: the bundle above, in a
// worker): small CommonJS files that load the bundle with its code cache.
const launchers = await build({
  ...cjs,
  entryPoints: { 'secure-container': 'dist/bin/launch.js', 'audit-worker': 'dist/bin/worker-launch.js' },
  // the dispatcher is an ES module: loaded by import(), not bundled
  external: [...common.external, './secure-container.js'],
});

// The packages the code loads on first use (lib/core/lazy-require.ts), each as one CommonJS file
// beside the chunks: loaded from there rather than from the package's modules. CommonJS so that it
// loads synchronously, in the middle of an audit.
const { LAZY_PACKAGES, bundledName } = await import(resolve('dist/lib/core/lazy-require.js'));
const lazy = await Promise.all(
  LAZY_PACKAGES.map((pkg) =>
    build({
      ...common,
      format: 'cjs',
      banner: {},
      stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', loader: 'js' },
      outfile: join(OUT, CHUNKS, bundledName(pkg)),
    }),
  ),
);

// Chunk names carry a content hash: remove the chunks an earlier build left that this one did not
// write (after writing, so a bin already running from the old build finds its chunks meanwhile).
const written = new Set(
  [bin, auditBundle, launchers, ...lazy].flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => resolve(f)),
);
const chunkDir = join(OUT, CHUNKS);
for (const f of existsSync(chunkDir) ? readdirSync(chunkDir) : []) {
  if (!written.has(resolve(chunkDir, f)) && !written.has(resolve(chunkDir, f.replace(/\.map$/, '')))) {
    rmSync(join(chunkDir, f), { force: true });
  }
}

// The hashbang, on the bins only (a banner would put it in every chunk). One line more at the top:
// one empty line more at the start of its source map's mappings, so stack traces stay right.
for (const entry of [join(OUT, 'secure-container.js'), join(OUT, 'secure-container.cjs')]) {
  const code = readFileSync(entry, 'utf8');
  if (!code.startsWith('#!')) {
    writeFileSync(entry, `#!/usr/bin/env node\n${code}`);
    const map = JSON.parse(readFileSync(`${entry}.map`, 'utf8'));
    map.mappings = `;${map.mappings}`;
    writeFileSync(`${entry}.map`, JSON.stringify(map));
  }
  // npm marks bins executable on install; do the same for a run straight from the clone
  chmodSync(entry, 0o755);
}

// The audit bundle's code caches (dist/bin/audit.cjs.cache, .batch.cache), made by a warm-up audit
// in a fresh Node under the flags the bin sets: V8 takes a cache only under the flags it was made with.
const made = spawnSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: 'inherit' });
if (made.status !== 0) throw new Error(`scripts/code-cache.mjs failed (exit ${made.status})`);
