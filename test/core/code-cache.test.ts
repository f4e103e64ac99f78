// lib/core/code-cache.ts: a bundled CommonJS file loaded with V8's saved code, which is used only when
// it was made from this exact source (and V8 accepts it), and never changes what the file does.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileFor, codeCacheOf, loadBundle } from '../../lib/core/code-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-code-cache-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const source = (answer: number): string =>
  `'use strict';\nconst path = require('node:path');\nexports.answer = () => ${answer};\nexports.base = path.basename(__filename);\nexports.self = this === module.exports;\n`;

describe('loadBundle', () => {
  it('loads a CommonJS file as require() would: exports, require, __filename, this', () => {
    const file = join(dir, 'plain.cjs');
    writeFileSync(file, source(1));
    const l = loadBundle(file);
    expect(l.cached).toBe(false); // no cache file
    expect(l.exports).toMatchObject({ base: 'plain.cjs', self: true });
    expect((l.exports as { answer: () => number }).answer()).toBe(1);
  });

  it('uses a cache made from the same source, and never one made from another (same length)', () => {
    const file = join(dir, 'b.cjs');
    writeFileSync(file, source(2));
    const first = loadBundle(file);
    (first.exports as { answer: () => number }).answer(); // compiled: part of the cache
    writeFileSync(cacheFileFor(file), codeCacheOf(first));
    const again = loadBundle(file);
    expect(again.cached).toBe(true);
    expect((again.exports as { answer: () => number }).answer()).toBe(2);
    // the file changes, the cache does not: V8 only checks the length; the header's hash does not match
    writeFileSync(file, source(3));
    const changed = loadBundle(file);
    expect(changed.cached).toBe(false);
    expect((changed.exports as { answer: () => number }).answer()).toBe(3);
  });

  it('a damaged or foreign cache file is not used', () => {
    const file = join(dir, 'c.cjs');
    writeFileSync(file, source(4));
    for (const junk of [Buffer.alloc(0), Buffer.from('not a cache'), Buffer.alloc(4096, 7)]) {
      writeFileSync(cacheFileFor(file), junk);
      const l = loadBundle(file);
      expect(l.cached).toBe(false);
      expect((l.exports as { answer: () => number }).answer()).toBe(4);
    }
    // the right header with damaged data: V8 rejects it and compiles the file
    const good = codeCacheOf(loadBundle(file));
    const bad = Buffer.from(good);
    bad.fill(0, bad.length - 64);
    writeFileSync(cacheFileFor(file), bad);
    const l = loadBundle(file);
    expect(l.cached).toBe(false);
    expect((l.exports as { answer: () => number }).answer()).toBe(4);
  });

  it('names one cache for V8 defaults and one for the batch JIT settings', () => {
    expect(cacheFileFor('/x/audit.cjs')).toBe('/x/audit.cjs.cache');
    expect(cacheFileFor('/x/audit.cjs', 'default')).toBe('/x/audit.cjs.cache');
    expect(cacheFileFor('/x/audit.cjs', 'batch')).toBe('/x/audit.cjs.batch.cache');
  });
});
