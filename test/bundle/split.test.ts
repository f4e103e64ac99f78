// The bundled bin is split at its lazy imports (scripts/bundle.mjs): each command loads only its own
// code, so start-up is paid for what the command uses. Checked on the built files as Node loads them
// (a module-load hook logs every file: URL), not on the build's own report.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JOBS_ENV, PARALLEL_MIN_FILES } from '../../lib/audit/parallel.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const binDir = join(repo, 'dist/bin');
const bin = join(binDir, 'secure-container.js');
const chunkDir = join(binDir, 'chunks');
const tmp = mkdtempSync(join(tmpdir(), 'sc-split-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

// a module-load hook (node:module register) that appends every file: URL Node loads to $SC_LOAD_LOG;
// --import carries it into worker threads too
writeFileSync(
  join(tmp, 'hook.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.SC_LOAD_LOG, url + '\\n');
  return next(url, context);
}
`,
);
writeFileSync(
  join(tmp, 'register.mjs'),
  `import { register } from 'node:module';\nregister('./hook.mjs', import.meta.url);\n`,
);
// and every CommonJS file require() loads (the ESM hook does not see them), with --require; and
// every file compiled by node:vm (the audit's bundle, loaded with its code cache: its cache file
// is logged too when V8 took it)
writeFileSync(
  join(tmp, 'require-hook.cjs'),
  `const Module = require('node:module');
const vm = require('node:vm');
const { isMainThread } = require('node:worker_threads');
const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.apply(this, arguments);
  try {
    appendFileSync(process.env.SC_LOAD_LOG, pathToFileURL(Module._resolveFilename(request, parent, isMain)).href + '\\n');
  } catch {}
  return exports;
};
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    if (options && options.filename) {
      appendFileSync(process.env.SC_LOAD_LOG, pathToFileURL(options.filename).href + '\\n');
      if (options.cachedData && !this.cachedDataRejected)
        appendFileSync(process.env.SC_LOAD_LOG, pathToFileURL(options.filename + (isMainThread ? '#cache-taken' : '#cache-taken-in-worker')).href + '\\n');
    }
  }
};
`,
);

let runs = 0;
/**
 * Runs the bin (by default the ES-module dispatcher; `entry` the package's bin); returns its exit
 * code and the files it loaded from dist/bin (paths relative to it).
 */
function loaded(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  entry = bin,
): { code: number | null; files: string[]; cached: string[] } {
  const log = join(tmp, `load-${++runs}.log`);
  writeFileSync(log, '');
  const hooks = ['--import', pathToFileURL(join(tmp, 'register.mjs')).href, '--require', join(tmp, 'require-hook.cjs')];
  const r = spawnSync(process.execPath, [...hooks, entry, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, SC_LOAD_LOG: log },
  });
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u !== '')
    .map((u) => fileURLToPath(u))
    .filter((f) => f.startsWith(binDir + '/'))
    .map((f) => f.slice(binDir.length + 1));
  const all = [...new Set(files)];
  // "<file>#cache-taken…": V8 took the code cache of a file compiled by node:vm (the hook's mark)
  return { code: r.status, files: all.filter((f) => !f.includes('#')), cached: all.filter((f) => f.includes('#')) };
}

const bytes = (files: string[]): number => files.reduce((n, f) => n + statSync(join(binDir, f)).size, 0);
const chunks = readdirSync(chunkDir).filter((f) => f.endsWith('.js'));
const allChunkBytes = bytes(chunks.map((f) => `chunks/${f}`));

describe('the split bin (scripts/bundle.mjs)', () => {
  it('is a small dispatcher with the hashbang; every chunk gets a require() for CommonJS deps', () => {
    const entry = readFileSync(bin, 'utf8');
    expect(entry.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(entry.length).toBeLessThan(16_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const f of chunks.map((c) => `chunks/${c}`)) {
      const head = readFileSync(join(binDir, f), 'utf8').slice(0, 200);
      expect([f, head.includes('const require = __scCreateRequire(import.meta.url);')]).toEqual([f, true]);
    }
  });

  it("the package's bin is a small CommonJS launcher; the audit is one CommonJS file with no import()", () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({
      'secure-container': 'dist/bin/secure-container.cjs',
      'generator-secure-container': 'dist/bin/secure-container.cjs',
    });
    const launcher = readFileSync(join(binDir, 'secure-container.cjs'), 'utf8');
    expect(launcher.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(launcher.length).toBeLessThan(8_000);
    expect(statSync(join(binDir, 'secure-container.cjs')).mode & 0o111).not.toBe(0);
    // code compiled by node:vm cannot import(): the bundle turns every import() into a require()
    expect(readFileSync(join(binDir, 'audit.cjs'), 'utf8')).not.toMatch(/\bimport\(/);
  });

  it("the package's bin: audit loads the audit bundle with its code cache, nothing else of dist/bin", () => {
    const dir = mkdtempSync(join(tmp, 'cjs-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCMD ["node", "server.js"]\n');
    const audit = loaded(['audit', '.', '--format', 'json'], dir, {}, join(binDir, 'secure-container.cjs'));
    expect(audit.code).toBe(1);
    expect(audit.files.sort()).toEqual(['audit.cjs', 'secure-container.cjs']);
    expect(audit.cached).toEqual(['audit.cjs#cache-taken']);
    // any other command: the ES-module dispatcher
    const version = loaded(['--version'], dir, {}, join(binDir, 'secure-container.cjs'));
    expect(version.code).toBe(0);
    expect(version.files).toContain('secure-container.js');
    expect(version.files).not.toContain('audit.cjs');
  });

  it('--version loads the dispatcher and a few KB of shared code, no command', () => {
    const { code, files } = loaded(['--version'], tmp);
    expect(code).toBe(0);
    expect(files).toContain('secure-container.js');
    expect(bytes(files)).toBeLessThan(32_000);
  });

  it('audit of one Dockerfile loads well under half of the chunks (no init, upgrade, verify code)', () => {
    const dir = mkdtempSync(join(tmp, 'one-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCMD ["node", "server.js"]\n');
    const audit = loaded(['audit', '.', '--format', 'json'], dir);
    expect(audit.code).toBe(1); // findings: root user, moving tag…
    const init = loaded(['init', '--help'], dir);
    expect(init.code).toBe(0);
    const auditBytes = bytes(audit.files);
    expect(auditBytes).toBeLessThan(allChunkBytes * 0.5);
    expect(auditBytes).toBeLessThan(bytes(init.files) * 0.7);
    expect(audit.files).not.toContain('audit-worker.cjs'); // one file: no thread
  });

  it('dockerfile-ast is loaded only for a Dockerfile the fast reader leaves to it, as one bundled file', () => {
    const dir = mkdtempSync(join(tmp, 'ast-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCMD ["node", "server.js"]\n');
    const plain = loaded(['audit', '.', '--format', 'json'], dir);
    expect(plain.code).toBe(1);
    expect(plain.files).not.toContain('chunks/dockerfile-ast.cjs');
    for (const f of plain.files)
      expect([f, readFileSync(join(binDir, f), 'utf8').includes('getHeredocs')]).toEqual([f, false]);
    // a heredoc: read by dockerfile-ast
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nRUN <<EOF\nnpm ci\nEOF\nCMD ["node", "server.js"]\n');
    const heredoc = loaded(['audit', '.', '--format', 'json'], dir);
    expect(heredoc.code).toBe(1);
    expect(heredoc.files).toContain('chunks/dockerfile-ast.cjs');
  });

  it('yaml is loaded only when a YAML file is read (a compose file, a policy), as one bundled file', () => {
    const dir = mkdtempSync(join(tmp, 'yaml-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCMD ["node", "server.js"]\n');
    const dockerfileOnly = loaded(['audit', '.', '--format', 'json'], dir);
    expect(dockerfileOnly.code).toBe(1);
    expect(dockerfileOnly.files).not.toContain('chunks/yaml.cjs');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n');
    const withCompose = loaded(['audit', '.', '--format', 'json'], dir);
    expect(withCompose.code).toBe(1);
    expect(withCompose.files).toContain('chunks/yaml.cjs');
  });

  it('a parallel audit starts its threads from the bundled worker beside the bin (one file, no chunk)', () => {
    // enough work that the worker has batches left once it has loaded (the main thread does not wait
    // for a worker when it has audited everything itself)
    const dir = mkdtempSync(join(tmp, 'many-'));
    const body = Array.from({ length: 40 }, (_, k) => `RUN apt-get install -y pkg${k} && echo "${k}"`).join('\n');
    expect(1000).toBeGreaterThan(PARALLEL_MIN_FILES);
    for (let i = 0; i < 1000; i++)
      writeFileSync(
        join(dir, `${String(i).padStart(4, '0')}.Dockerfile`),
        `FROM alpine:3.20\nLABEL n="${i}"\n${body}\n`,
      );
    // the report to a file: it is larger than what spawnSync takes from a pipe
    const out = join(tmp, 'many.json');
    const { code, files, cached } = loaded(['audit', '.', '--format', 'json', '--output', out], dir, {
      [JOBS_ENV]: '2',
    });
    expect((JSON.parse(readFileSync(out, 'utf8')) as { files: unknown[] }).files).toHaveLength(1000);
    expect(code).toBe(1);
    // the worker: the launcher, the audit's bundle, and its cache for the batch's V8 flags
    expect(files).toContain('audit-worker.cjs');
    expect(cached).toContain('audit.cjs#cache-taken-in-worker');
    expect(readFileSync(join(binDir, 'audit-worker.cjs'), 'utf8')).not.toMatch(/chunks\//);
  });
});
