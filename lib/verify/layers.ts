// The layer scan: `<engine> image save` writes the image as a tar (docker-archive: <layer>.tar files
// and manifest.json; Docker 25+: an OCI layout with blobs/sha256/<digest> and manifest.json). Each
// layer is itself a tar, possibly gzip-compressed. Both are read as streams (tar-stream), nothing
// is written to disk, and only the entry list (and the first bytes of a few files, see secrets.ts)
// is kept. Linear in the archive's size; bounded by the caps below.
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { normalizePath } from './model.js';
import { HEAD_BYTES, needsContent } from './secrets.js';
import type { ImageFiles, LayerEntry } from './types.js';

export interface ScanLimits {
  /** entries over all layers (default 2,000,000) */
  maxEntries: number;
  /** bytes of the saved archive read (default 20 GB) */
  maxBytes: number;
  /** bytes of file heads kept over all layers (default 16 MiB) */
  maxHeadBytes: number;
  /** manifest.json bytes (default 1 MiB) */
  maxManifestBytes: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  maxEntries: 2_000_000,
  maxBytes: 20e9,
  maxHeadBytes: 16 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
};

class CapReached extends Error {}

type Chunks = AsyncIterable<Uint8Array>;

/** Read an async iterable into a tar extractor while consuming its entries (backpressure both ways). */
async function eachEntry(
  source: Chunks,
  onEntry: (name: string, header: import('tar-stream').Header, body: Chunks) => Promise<void>,
): Promise<void> {
  const ex = extract();
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        // stop reading when the extractor failed or was abandoned (a cap): the source's own
        // cleanup runs (the engine process is stopped)
        if (ex.destroyed) break;
        if (!ex.write(chunk)) await writable(ex);
      }
      // streamx's typings want the optional final chunk argument
      ex.end(undefined);
    } catch (e) {
      ex.destroy(e as Error);
    }
  })();
  try {
    // tar-stream types an entry's chunks as unknown; they are Buffers
    for await (const entry of ex) await onEntry(entry.header.name, entry.header, entry as AsyncIterable<Uint8Array>);
  } finally {
    await feed;
  }
}

/** Resolves when a stream can take more data, or will never again (closed, failed). */
function writable(w: {
  destroyed: boolean;
  once(ev: string, f: () => void): unknown;
  off(ev: string, f: () => void): unknown;
}): Promise<void> {
  return new Promise<void>((resolve) => {
    if (w.destroyed) {
      resolve();
      return;
    }
    const done = (): void => {
      w.off('drain', done);
      w.off('close', done);
      w.off('error', done);
      resolve();
    };
    w.once('drain', done);
    w.once('close', done);
    w.once('error', done);
  });
}

/** Drain a body (an entry's bytes must be consumed before the next entry is read). */
async function drain(body: Chunks): Promise<void> {
  const it = body[Symbol.asyncIterator]();
  while (!(await it.next()).done) {
    // discard
  }
}

/** Up to `max` bytes of a body, then drain the rest. */
async function head(body: Chunks, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    if (n < max) {
      const b = Buffer.from(chunk);
      parts.push(b.subarray(0, max - n));
      n += b.length;
    }
  }
  return Buffer.concat(parts);
}

/** The first bytes of a body and an iterable of the whole (those bytes included), for sniffing. */
async function peek(body: Chunks, want: number): Promise<{ first: Buffer; all: Chunks }> {
  const it = body[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let n = 0;
  let done = false;
  while (n < want) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.from(r.value);
    got.push(b);
    n += b.length;
  }
  const first = Buffer.concat(got);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { first, all: all() };
}

const isGzip = (b: Buffer): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZstd = (b: Buffer): boolean => b.length > 4 && b.readUInt32LE(0) === 0xfd2fb528;
const isTar = (b: Buffer): boolean => b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';

const isEmptyTar = (b: Buffer): boolean => b.length >= 512 && b.subarray(0, 512).every((x) => x === 0);

const ENTRY_TYPE: Record<string, LayerEntry['type']> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'link',
  symlink: 'symlink',
  directory: 'directory',
};

/**
 * Scan a saved image (the bytes of `<engine> image save`). Never throws for a malformed archive:
 * what could not be read is named in `incomplete`.
 */
export async function scanImageArchive(source: Chunks, limits: ScanLimits = DEFAULT_LIMITS): Promise<ImageFiles> {
  const byName = new Map<string, LayerEntry[]>();
  const order: string[] = [];
  const incomplete: string[] = [];
  let manifestLayers: string[] | undefined;
  let entries = 0;
  let bytes = 0;
  let headBytes = 0;

  async function* counted(src: Chunks): AsyncGenerator<Uint8Array> {
    for await (const chunk of src) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) throw new CapReached(`the archive is larger than ${limits.maxBytes} bytes`);
      yield chunk;
    }
  }

  async function scanLayer(name: string, body: Chunks): Promise<void> {
    const list: LayerEntry[] = [];
    byName.set(name, list);
    order.push(name);
    await eachEntry(body, async (entryName, h, entryBody) => {
      if (++entries > limits.maxEntries) throw new CapReached(`more than ${limits.maxEntries} entries`);
      const path = normalizePath(entryName);
      const type = ENTRY_TYPE[h.type] ?? 'other';
      const e: LayerEntry = { path, type, size: h.size };
      if (h.linkname) e.linkname = h.linkname;
      if (type === 'file' && h.size > 0 && needsContent(path) && headBytes < limits.maxHeadBytes) {
        const b = await head(entryBody, Math.min(HEAD_BYTES, limits.maxHeadBytes - headBytes));
        headBytes += b.length;
        e.head = b.toString('latin1');
      } else await drain(entryBody);
      if (path) list.push(e);
    });
  }

  try {
    await eachEntry(counted(source), async (rawName, h, body) => {
      const name = normalizePath(rawName);
      if (h.type !== 'file' && h.type !== 'contiguous-file') return drain(body);
      if (name === 'manifest.json') {
        const text = (await head(body, limits.maxManifestBytes)).toString('utf8');
        try {
          const m = JSON.parse(text) as { Layers?: unknown }[];
          const layers = Array.isArray(m) ? m[0]?.Layers : undefined;
          if (Array.isArray(layers) && layers.every((l) => typeof l === 'string'))
            manifestLayers = layers.map(normalizePath);
        } catch {
          incomplete.push('manifest.json is not valid JSON (or larger than the cap): layer order unknown');
        }
        return;
      }
      if (h.size < 20 || /\.json$|^repositories$|(?:^|\/)(?:VERSION|json|oci-layout)$/.test(name)) return drain(body);
      // a layer is a tar, plain or gzip-compressed; blobs/ also holds configs and manifests (JSON)
      const { first, all } = await peek(body, 512);
      if (isGzip(first)) {
        const gunzip = createGunzip();
        const piping = (async () => {
          try {
            // read the whole layer even when its reader stopped (destroyed): the outer archive
            // must be consumed up to the next entry
            for await (const c of all) if (!gunzip.destroyed && !gunzip.write(c)) await writable(gunzip);
            if (!gunzip.destroyed) gunzip.end();
          } catch (e) {
            gunzip.destroy(e as Error);
          }
        })();
        try {
          await scanLayer(name, gunzip);
        } finally {
          // a reader that stopped early (a cap) reads no more: unblock the writer
          gunzip.destroy();
          await piping;
        }
      } else if (isTar(first)) await scanLayer(name, all);
      else if (isEmptyTar(first)) {
        // an empty layer (a build step that changed nothing): the end-of-archive blocks only
        byName.set(name, []);
        order.push(name);
        await drain(all);
      } else {
        if (isZstd(first)) incomplete.push(`layer ${name} is zstd-compressed: not scanned`);
        await drain(all);
      }
    });
  } catch (e) {
    if (e instanceof CapReached) incomplete.push(`scan stopped: ${e.message}`);
    else incomplete.push(`the saved image could not be read to the end: ${(e as Error).message}`);
  }

  let layers: LayerEntry[][];
  if (manifestLayers) {
    layers = manifestLayers.map((l) => byName.get(l) ?? []);
    const missing = manifestLayers.filter((l) => !byName.has(l));
    if (missing.length && !incomplete.length)
      incomplete.push(`layer(s) named in manifest.json but not found in the archive: ${missing.join(', ')}`);
  } else {
    layers = order.map((l) => byName.get(l) ?? []);
    incomplete.push(
      order.length
        ? 'no manifest.json: layers taken in archive order'
        : 'the saved image holds no manifest.json and no layer',
    );
  }
  return { layers, incomplete };
}
