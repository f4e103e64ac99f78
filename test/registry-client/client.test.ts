// The registry client against a local OCI distribution server (test/registry-client/fake-registry.ts):
// the token flow, each manifest type, and the failures (401, 404, timeouts, oversized, redirects).
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  manifestTarget,
  parseBearerChallenge,
  RegistryError,
  resolveDigest,
  resolveDigests,
  schemeFor,
} from '../../lib/registry-client/index.js';
import {
  digestOf,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  manifestOf,
  OCI_INDEX,
  OCI_MANIFEST,
  startFakeRegistry,
  type FakeRegistry,
  type FakeRegistryOptions,
} from './fake-registry.js';

const index = manifestOf(OCI_INDEX);
const list = manifestOf(DOCKER_LIST);
const single = manifestOf(OCI_MANIFEST);
const dockerSingle = manifestOf(DOCKER_MANIFEST);
const MANIFESTS = {
  'library/node': { '22-bookworm-slim': index, '20': list },
  'distroless/static-debian12': { nonroot: single, v2: dockerSingle },
  'hub/docker.io/library/node': { '22-bookworm-slim': index },
};

let server: FakeRegistry | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function start(o: Partial<FakeRegistryOptions> = {}): Promise<FakeRegistry> {
  server = await startFakeRegistry({ manifests: MANIFESTS, ...o });
  return server;
}

describe('manifestTarget', () => {
  it('maps Docker Hub names to registry-1.docker.io with library/ for official images', () => {
    expect(manifestTarget('node:22')).toEqual({
      host: 'registry-1.docker.io',
      repository: 'library/node',
      reference: '22',
    });
    expect(manifestTarget('docker.io/hashicorp/vault:1.18')).toMatchObject({ repository: 'hashicorp/vault' });
    expect(manifestTarget('gcr.io/distroless/static-debian12:nonroot@sha256:' + 'a'.repeat(64))).toEqual({
      host: 'gcr.io',
      repository: 'distroless/static-debian12',
      reference: 'nonroot',
    });
  });
  it('keeps a mirror prefix as host + longer repository path', () => {
    expect(manifestTarget('mirror.corp:5000/hub/docker.io/library/node:22')).toEqual({
      host: 'mirror.corp:5000',
      repository: 'hub/docker.io/library/node',
      reference: '22',
    });
  });
  it('refuses a reference without a tag', () => {
    expect(() => manifestTarget('node')).toThrow(/node from docker.io: the reference has no tag/);
  });
});

describe('schemeFor', () => {
  it('is https except for loopback and named insecure hosts', () => {
    expect(schemeFor('registry-1.docker.io')).toBe('https');
    expect(schemeFor('mirror.corp:5000')).toBe('https');
    expect(schemeFor('localhost:5000')).toBe('http');
    expect(schemeFor('127.0.0.1:5000')).toBe('http');
    expect(schemeFor('[::1]:5000')).toBe('http');
    expect(schemeFor('localhost.evil.com')).toBe('https');
    expect(schemeFor('mirror.corp:5000', ['mirror.corp:5000'])).toBe('http');
  });
});

describe('parseBearerChallenge', () => {
  it('reads quoted and bare parameters', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"',
      ),
    ).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/node:pull',
    });
    expect(parseBearerChallenge('Bearer realm=https://x/t, service=y')).toEqual({ realm: 'https://x/t', service: 'y' });
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
  });
});

describe('resolveDigest', () => {
  it('takes the OCI index digest from the HEAD answer after the anonymous token flow', async () => {
    const s = await start({ auth: true });
    await expect(resolveDigest(`${s.host}/library/node:22-bookworm-slim`)).resolves.toBe(digestOf(index.body));
    // HEAD (401), token, HEAD with the token; never a GET, never a credential other than the token
    expect(s.requests.map((r) => `${r.method} ${r.url.split('?')[0] ?? ''}`)).toEqual([
      'HEAD /v2/library/node/manifests/22-bookworm-slim',
      'GET /token',
      'HEAD /v2/library/node/manifests/22-bookworm-slim',
    ]);
    const token = s.requests[1]?.url ?? '';
    expect(new URL(token, 'http://x').searchParams.get('scope')).toBe('repository:library/node:pull');
    expect(new URL(token, 'http://x').searchParams.get('service')).toBe('fake.registry');
    expect(s.requests[0]?.auth).toBeUndefined();
    expect(s.requests[2]?.auth).toBe('Bearer anon-token-123');
    for (const t of [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST]) expect(s.requests[0]?.accept).toContain(t);
  });

  it.each([
    ['a Docker manifest list', 'library/node:20', list],
    ['a single OCI manifest', 'distroless/static-debian12:nonroot', single],
    ['a single Docker manifest', 'distroless/static-debian12:v2', dockerSingle],
  ])('resolves %s', async (_name, path, manifest) => {
    const s = await start();
    await expect(resolveDigest(`${s.host}/${path}`)).resolves.toBe(digestOf(manifest.body));
  });

  it('hashes the exact bytes of a GET when no digest header is sent', async () => {
    const s = await start({ noDigestHeader: true, auth: true });
    await expect(resolveDigest(`${s.host}/library/node:22-bookworm-slim`)).resolves.toBe(digestOf(index.body));
    expect(s.requests.filter((r) => r.method === 'GET' && r.url.includes('/manifests/'))).toHaveLength(1);
  });

  it('falls back to GET when HEAD is not supported', async () => {
    const s = await start({ noHead: true });
    await expect(resolveDigest(`${s.host}/library/node:20`)).resolves.toBe(digestOf(list.body));
  });

  it('resolves through a mirror prefix at the mirror', async () => {
    const s = await start();
    await expect(resolveDigest(`${s.host}/hub/docker.io/library/node:22-bookworm-slim`)).resolves.toBe(
      digestOf(index.body),
    );
  });

  it('refuses a GET body whose digest header lies', async () => {
    const s = await start({ noHead: true, lyingDigest: `sha256:${'f'.repeat(64)}` });
    await expect(resolveDigest(`${s.host}/library/node:20`)).rejects.toThrow(
      /does not match its Docker-Content-Digest/,
    );
  });

  it('fails with one line naming the image and the registry on 404', async () => {
    const s = await start();
    const ref = `${s.host}/library/node:99`;
    const err = await resolveDigest(ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toBe(
      `cannot resolve the digest of ${ref} from ${s.host}: the tag is not there (HTTP 404)`,
    );
  });

  it('fails on 401 when the token service refuses', async () => {
    const s = await start({ auth: true, tokenStatus: 401 });
    await expect(resolveDigest(`${s.host}/library/node:20`)).rejects.toThrow(/token service answered HTTP 401/);
  });

  it('times out', async () => {
    const s = await start({ delayMs: 2000 });
    await expect(resolveDigest(`${s.host}/library/node:20`, { timeoutMs: 200 })).rejects.toThrow(
      /no answer within 200 ms/,
    );
  });

  it('refuses an oversized manifest without reading it all', async () => {
    const s = await start({ noHead: true, oversized: 8 * 1024 * 1024 });
    await expect(resolveDigest(`${s.host}/library/node:20`, { maxBytes: 256 * 1024 })).rejects.toThrow(
      /the manifest is larger than 262144 bytes/,
    );
  });

  it('follows a redirect within the rules', async () => {
    const target = await startFakeRegistry({ manifests: MANIFESTS });
    try {
      const s = await start({ redirectTo: `http://${target.host}` });
      await expect(resolveDigest(`${s.host}/library/node:20`)).resolves.toBe(digestOf(list.body));
    } finally {
      await target.close();
    }
  });

  it('says unreachable when nothing listens', async () => {
    const s = await start();
    const host = s.host;
    await s.close();
    server = undefined;
    await expect(resolveDigest(`${host}/library/node:20`, { timeoutMs: 2000 })).rejects.toThrow(
      new RegExp(`from ${host.replace(/\./g, '\\.')}: (unreachable|no answer)`),
    );
  });

  it('resolves several references once each', async () => {
    const s = await start();
    const a = `${s.host}/library/node:20`;
    const b = `${s.host}/distroless/static-debian12:nonroot`;
    await expect(resolveDigests([a, b, a])).resolves.toEqual({ [a]: digestOf(list.body), [b]: digestOf(single.body) });
    expect(s.requests.filter((r) => r.method === 'HEAD')).toHaveLength(2);
  });
});
