import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS, scanImageArchive } from '../../lib/verify/layers.js';
import { chunks, imageArchive } from './archive.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('scanImageArchive', () => {
  it('lists every layer in manifest order, plain and gzip, and keeps heads of content-decided files only', async () => {
    const a = await imageArchive(
      [
        [
          { name: 'bin/', type: 'directory' },
          { name: 'bin/busybox', body: 'x'.repeat(5000) },
          { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
        ],
        [
          { name: './app/tls/server.pem', body: KEY },
          { name: './app/index.js', body: 'console.log(1)' },
        ],
      ],
      { gzip: [1] },
    );
    const files = await scanImageArchive(chunks(a, 333));
    expect(files.incomplete).toEqual([]);
    expect(files.layers.map((l) => l.map((e) => `${e.type}:${e.path}`))).toEqual([
      ['directory:bin', 'file:bin/busybox', 'symlink:bin/sh'],
      ['file:app/tls/server.pem', 'file:app/index.js'],
    ]);
    expect(files.layers[0]?.[2]?.linkname).toBe('/bin/busybox');
    expect(files.layers[1]?.[0]?.head).toBe(KEY);
    expect(files.layers[1]?.[1]?.head).toBeUndefined();
    expect(files.layers[0]?.[1]?.size).toBe(5000);
  });
  it('manifest.json first or last: the same order', async () => {
    const layers = [[{ name: 'a' }], [{ name: 'b' }], [{ name: 'c' }]];
    const first = await scanImageArchive(chunks(await imageArchive(layers, { manifestFirst: true })));
    const last = await scanImageArchive(chunks(await imageArchive(layers)));
    expect(first.layers.map((l) => l[0]?.path)).toEqual(['a', 'b', 'c']);
    expect(last.layers.map((l) => l[0]?.path)).toEqual(['a', 'b', 'c']);
  });
  it('names what it could not read: no manifest, a truncated archive, a cap', async () => {
    const noManifest = await scanImageArchive(chunks(await imageArchive([[{ name: 'a' }]], { noManifest: true })));
    expect(noManifest.incomplete).toEqual(['no manifest.json: layers taken in archive order']);
    const whole = await imageArchive([[{ name: 'a', body: 'y'.repeat(20000) }]]);
    const cut = await scanImageArchive(chunks(whole.subarray(0, 9000)));
    expect(cut.incomplete.join(' ')).toMatch(/could not be read to the end|not found in the archive|no manifest/);
    const capped = await scanImageArchive(chunks(whole), { ...DEFAULT_LIMITS, maxEntries: 0 });
    expect(capped.incomplete.join(' ')).toMatch(/scan stopped: more than 0 entries/);
    const bytes = await scanImageArchive(chunks(whole), { ...DEFAULT_LIMITS, maxBytes: 4096 });
    expect(bytes.incomplete.join(' ')).toMatch(/larger than 4096 bytes/);
  });
  it('reads nothing but a tar: junk input is incomplete, not an exception', async () => {
    const r = await scanImageArchive(chunks(Buffer.from('not a tar at all'.repeat(100))));
    expect(r.layers).toEqual([]);
    expect(r.incomplete.length).toBeGreaterThan(0);
  });
});

describe('empty layers', () => {
  it('a layer with no entries (two zero blocks) is a layer, not a missing one', async () => {
    const a = await imageArchive([[{ name: 'a' }], []]);
    const r = await scanImageArchive(chunks(a));
    expect(r.incomplete).toEqual([]);
    expect(r.layers.map((l) => l.length)).toEqual([1, 0]);
  });
});

describe('nothing to scan', () => {
  it('an empty stream is incomplete (an image that could not be saved must not pass)', async () => {
    const r = await scanImageArchive(chunks(Buffer.alloc(0)));
    expect(r.layers).toEqual([]);
    expect(r.incomplete).toEqual(['the saved image holds no manifest.json and no layer']);
  });
});

describe('caps on compressed layers', () => {
  it('stops at the entry cap inside a gzip layer without hanging', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ name: `f${i}`, body: 'x'.repeat(i % 700) }));
    const a = await imageArchive([many, [{ name: 'later' }]], { gzip: [0] });
    const r = await scanImageArchive(chunks(a, 4096), { ...DEFAULT_LIMITS, maxEntries: 10 });
    expect(r.incomplete[0]).toBe('scan stopped: more than 10 entries');
    const ok = await scanImageArchive(chunks(a, 4096));
    expect(ok.incomplete).toEqual([]);
    expect(ok.layers.map((l) => l.length)).toEqual([3000, 1]);
  });
});
