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
import { build } from 'esbuild';
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

// the audit's worker thread, bundled beside the bin as ONE file: lib/audit/parallel.ts starts
// ./audit-worker.js next to the bundle when it exists. Not part of the split build on purpose: one
// file to load instead of ~15 chunks (or ~150 compiled modules) starts a worker in ~40 ms, ~5 ms
// sooner than from the chunks (each chunk is one more module to resolve and link).
const worker = await build({
  ...common,
  entryPoints: { 'audit-worker': 'dist/lib/audit/worker.js' },
  outdir: OUT,
  entryNames: '[name]',
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
const written = new Set([bin, worker, ...lazy].flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => resolve(f)));
const chunkDir = join(OUT, CHUNKS);
for (const f of existsSync(chunkDir) ? readdirSync(chunkDir) : []) {
  if (!written.has(resolve(chunkDir, f)) && !written.has(resolve(chunkDir, f.replace(/\.map$/, '')))) {
    rmSync(join(chunkDir, f), { force: true });
  }
}

// The bin's hashbang, on the entry only (a banner would put it in every chunk). One line more at the
// top: one empty line more at the start of its source map's mappings, so stack traces stay right.
const entry = join(OUT, 'secure-container.js');
const code = readFileSync(entry, 'utf8');
if (!code.startsWith('#!')) {
  writeFileSync(entry, `#!/usr/bin/env node\n${code}`);
  const map = JSON.parse(readFileSync(`${entry}.map`, 'utf8'));
  map.mappings = `;${map.mappings}`;
  writeFileSync(`${entry}.map`, JSON.stringify(map));
}
// npm marks bins executable on install; do the same for a run straight from the clone
chmodSync(entry, 0o755);
