// Test helper: build saved-image archives (docker-archive layout) in memory with tar-stream.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export type TarItem = {
  name: string;
  body?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
};

export async function tarOf(items: TarItem[]): Promise<Buffer> {
  const p = pack();
  const out: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) out.push(Buffer.from(c as Uint8Array));
  })();
  for (const it of items) {
    if (it.type === 'directory') p.entry({ name: it.name, type: 'directory' });
    else if (it.type === 'symlink') p.entry({ name: it.name, type: 'symlink', linkname: it.linkname ?? '' });
    else p.entry({ name: it.name }, it.body ?? '');
  }
  p.finalize();
  await done;
  return Buffer.concat(out);
}

/** A docker-archive: layers named L<i>.tar (gzip when asked), manifest.json listing them, first or last. */
export async function imageArchive(
  layers: TarItem[][],
  o: { gzip?: number[]; manifestFirst?: boolean; noManifest?: boolean } = {},
): Promise<Buffer> {
  const names = layers.map((_, i) => `L${i}.tar`);
  const blobs: TarItem[] = [];
  for (let i = 0; i < layers.length; i++) {
    const t = await tarOf(layers[i] ?? []);
    blobs.push({ name: names[i] ?? '', body: o.gzip?.includes(i) ? gzipSync(t) : t });
  }
  const manifest: TarItem = { name: 'manifest.json', body: JSON.stringify([{ Config: 'c.json', Layers: names }]) };
  const config: TarItem = { name: 'c.json', body: '{}' };
  const items = o.noManifest
    ? [config, ...blobs]
    : o.manifestFirst
      ? [manifest, config, ...blobs]
      : [config, ...blobs.reverse(), manifest];
  return tarOf(items);
}

/** The bytes as a stream of `size`-byte chunks (what a pipe from the engine delivers). */
export function chunks(b: Buffer, size = 1000): AsyncIterable<Uint8Array> {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts, { objectMode: false });
}
