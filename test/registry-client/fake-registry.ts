// A tiny OCI distribution server on 127.0.0.1 for the tests (never the internet): manifests by
// repository and tag, the anonymous bearer-token flow, and knobs for the failures a real registry
// shows (no digest header, HEAD unsupported, slow, oversized, redirects, lying digests).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export interface Manifest {
  mediaType: string;
  body: string;
}

export function manifestOf(mediaType: string, extra: Record<string, unknown> = {}): Manifest {
  const platforms = mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
  const body = JSON.stringify(
    platforms
      ? {
          schemaVersion: 2,
          mediaType,
          manifests: ['amd64', 'arm64'].map((arch, i) => ({
            mediaType: mediaType === OCI_INDEX ? OCI_MANIFEST : DOCKER_MANIFEST,
            digest: `sha256:${String(i).repeat(64)}`,
            size: 1000 + i,
            platform: { architecture: arch, os: 'linux' },
          })),
          ...extra,
        }
      : {
          schemaVersion: 2,
          mediaType,
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: `sha256:${'c'.repeat(64)}`,
            size: 7,
          },
          layers: [],
          ...extra,
        },
    null,
    3,
  );
  return { mediaType, body };
}

export const digestOf = (body: string): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export interface FakeRegistryOptions {
  /** repository -> tag -> manifest */
  manifests: Record<string, Record<string, Manifest>>;
  /** require a bearer token (anonymous token flow) */
  auth?: boolean;
  /** omit Docker-Content-Digest on HEAD and GET */
  noDigestHeader?: boolean;
  /** answer HEAD with 405 */
  noHead?: boolean;
  /** send this digest header instead of the true one */
  lyingDigest?: string;
  /** delay every manifest answer by this many ms */
  delayMs?: number;
  /** the token service answers with this status */
  tokenStatus?: number;
  /** serve a body of this many bytes instead of the manifest, without Content-Length */
  oversized?: number;
  /** redirect manifest requests once to this URL prefix */
  redirectTo?: string;
  /** served for any repository and tag not in `manifests` (may be changed while the server runs) */
  fallback?: Manifest;
  /** listen on this port (a restart of the same registry); 0 = any */
  port?: number;
}

export interface FakeRegistry {
  host: string;
  requests: { method: string; url: string; auth: string | undefined; accept: string | undefined }[];
  close(): Promise<void>;
}

const TOKEN = 'anon-token-123';

export async function startFakeRegistry(o: FakeRegistryOptions): Promise<FakeRegistry> {
  const requests: FakeRegistry['requests'] = [];
  let redirected = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      auth: req.headers.authorization,
      accept: req.headers.accept,
    });
    if (url.pathname === '/token') {
      if (o.tokenStatus && o.tokenStatus !== 200) {
        res.writeHead(o.tokenStatus).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    if (o.redirectTo && !redirected) {
      redirected = true;
      res.writeHead(307, { location: `${o.redirectTo}${url.pathname}` }).end();
      return;
    }
    const address = server.address() as AddressInfo;
    if (o.auth && req.headers.authorization !== `Bearer ${TOKEN}`) {
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://127.0.0.1:${address.port}/token",service="fake.registry",scope="repository:${m[1]}:pull"`,
          'content-type': 'application/json',
        })
        .end(req.method === 'HEAD' ? undefined : '{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const send = (): void => {
      if (o.noHead && req.method === 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      if (o.oversized) {
        res.writeHead(200, { 'content-type': OCI_MANIFEST });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < (o.oversized ?? 0)) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
        return;
      }
      const byTag = o.manifests[m[1]] as Partial<Record<string, Manifest>> | undefined;
      const manifest = byTag?.[decodeURIComponent(m[2])] ?? o.fallback;
      if (!manifest) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
        return;
      }
      const headers: Record<string, string | number> = {
        'content-type': manifest.mediaType,
        'content-length': Buffer.byteLength(manifest.body),
      };
      if (!o.noDigestHeader) headers['docker-content-digest'] = o.lyingDigest ?? digestOf(manifest.body);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : manifest.body);
    };
    if (o.delayMs) setTimeout(send, o.delayMs).unref();
    else send();
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
