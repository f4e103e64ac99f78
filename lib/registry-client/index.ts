// A small OCI distribution client that does one thing: tell the digest a tag points to (issue 16,
// P3/P7: `--pin-digests` and `secure-container pin`). Node's built-in fetch, nothing else:
//   HEAD /v2/<repository>/manifests/<tag>, Accept: OCI index, Docker manifest list, OCI and Docker
//   single manifests; on 401 the anonymous bearer-token flow of `WWW-Authenticate: Bearer
//   realm=…,service=…,scope=…`; the digest is `Docker-Content-Digest` (of the multi-arch index when
//   the tag names one: the digest every platform pulls through), else GET and sha256 of the exact bytes.
// Every registry is possibly hostile: each request has a timeout, every body read is capped,
// redirects are followed by hand (at most 3, never https -> http), no credential is ever sent.
// https only, except loopback hosts (Docker's own default: 127.0.0.0/8 registries are insecure)
// and hosts the caller names explicitly (`--insecure-registry`): a digest fetched over plain http
// is only as good as the network, which is what the opt-in says.
import { createHash } from 'node:crypto';
import { splitImageRef } from '../policy/image.js';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** Docker Hub's API host: "docker.io" in a reference is served here. */
export const DOCKER_HUB_API = 'registry-1.docker.io';

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
/** containerd's limit for a manifest (4 MiB); a token response is far smaller */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;

export interface RegistryClientOptions {
  /** per request, milliseconds (default 15000) */
  timeoutMs?: number;
  /** cap on a manifest body (default 4 MiB) */
  maxBytes?: number;
  /** registry hosts (host or host:port) that may be reached over plain http besides loopback */
  insecureRegistries?: readonly string[];
  /** injected for tests; defaults to the global fetch */
  fetch?: typeof fetch;
}

/** Resolution failed: one line naming the image and the registry host. */
export class RegistryError extends Error {
  constructor(
    public readonly image: string,
    public readonly registry: string,
    reason: string,
  ) {
    super(`cannot resolve the digest of ${image} from ${registry}: ${reason}`);
    this.name = 'RegistryError';
  }
}

export interface ManifestTarget {
  /** host[:port] the API is reached at */
  host: string;
  /** repository path on that host ("library/node", "hub/docker.io/library/node") */
  repository: string;
  /** the tag (or digest) asked for */
  reference: string;
}

/**
 * Where the manifest of `ref` lives. A mirror prefix (`mirror.corp:5000/hub/docker.io/library/node:22`)
 * is just a registry host with a longer repository path: the pull goes there, so the digest comes from there.
 */
export function manifestTarget(ref: string): ManifestTarget {
  const { host, path, tag } = splitImageRef(ref);
  if (!tag) throw new RegistryError(ref, host ?? 'docker.io', 'the reference has no tag to resolve');
  const hub = host === null || ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host.toLowerCase());
  const repository = hub && !path.includes('/') ? `library/${path}` : path;
  return { host: hub ? DOCKER_HUB_API : host, repository, reference: tag };
}

function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
  return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** http only for loopback and explicitly named hosts; https otherwise. */
export function schemeFor(hostPort: string, insecure: readonly string[] = []): 'http' | 'https' {
  return isLoopbackHost(hostPort) || insecure.includes(hostPort.toLowerCase()) ? 'http' : 'https';
}

interface Ctx {
  image: string;
  host: string;
  opts: Required<Pick<RegistryClientOptions, 'timeoutMs' | 'maxBytes'>> & RegistryClientOptions;
  fetch: typeof fetch;
}

function fail(ctx: Ctx, reason: string): never {
  throw new RegistryError(ctx.image, ctx.host, reason);
}

/** Redirects by hand: at most MAX_REDIRECTS, http(s) only, never from https to http. */
async function request(ctx: Ctx, url: URL, init: RequestInit): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await ctx.fetch(current, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ctx.opts.timeoutMs) });
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        fail(ctx, `no answer within ${ctx.opts.timeoutMs} ms (${current.host})`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      fail(ctx, `unreachable (${cause?.code ?? cause?.message ?? (e as Error).message})`);
    }
    if (res.status < 300 || res.status >= 400 || res.status === 304) return res;
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location) fail(ctx, `HTTP ${res.status} without a Location`);
    if (hop >= MAX_REDIRECTS) fail(ctx, `more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      fail(ctx, `redirect to a ${next.protocol} URL refused`);
    if (current.protocol === 'https:' && next.protocol === 'http:') fail(ctx, 'redirect from https to http refused');
    current = next;
  }
}

/** The body, at most `max` bytes (a larger one is refused, not truncated). */
async function readCapped(ctx: Ctx, res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    fail(ctx, `${what} is larger than ${max} bytes`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      fail(ctx, `${what}: the connection failed or timed out while reading`);
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > max) {
      await reader.cancel();
      fail(ctx, `${what} is larger than ${max} bytes`);
    }
    chunks.push(Buffer.from(step.value));
  }
  return Buffer.concat(chunks);
}

/** `Bearer realm="…",service="…",scope="…"` -> its parameters (RFC 7235 auth-params, quoted or token). */
export function parseBearerChallenge(header: string): Record<string, string> | null {
  const m = /^\s*Bearer\s+(.*)$/is.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g;
  const text = m[1];
  for (let p = re.exec(text); p; p = re.exec(text)) {
    // an unmatched group is undefined at run time (the types say string)
    const quoted = p[2] as string | undefined;
    const bare = p[3] as string | undefined;
    params[p[1].toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    if (p[0] === '') break;
  }
  return params;
}

/** Anonymous pull token from the challenge's realm (no credentials are ever sent). */
async function anonymousToken(ctx: Ctx, challenge: string, repository: string): Promise<string> {
  const params = parseBearerChallenge(challenge);
  if (!params?.['realm']) fail(ctx, `unsupported authentication challenge (${challenge.slice(0, 60)})`);
  let realm: URL;
  try {
    realm = new URL(params['realm']);
  } catch {
    fail(ctx, 'the token realm is not a URL');
  }
  if (
    realm.protocol !== 'https:' &&
    !(realm.protocol === 'http:' && schemeFor(realm.host, ctx.opts.insecureRegistries) === 'http')
  )
    fail(ctx, `the token realm ${realm.host} is not https`);
  if (params['service']) realm.searchParams.set('service', params['service']);
  realm.searchParams.set('scope', params['scope'] ?? `repository:${repository}:pull`);
  const res = await request(ctx, realm, { method: 'GET', headers: { accept: 'application/json' } });
  if (res.status !== 200) {
    await res.body?.cancel();
    fail(
      ctx,
      `the token service answered HTTP ${res.status} (a private image needs \`docker login\`; anonymous pulls only here)`,
    );
  }
  const body = await readCapped(ctx, res, MAX_TOKEN_BYTES, 'the token response');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    fail(ctx, 'the token response is not JSON');
  }
  const obj = (parsed ?? {}) as { token?: unknown; access_token?: unknown };
  const token =
    typeof obj.token === 'string' ? obj.token : typeof obj.access_token === 'string' ? obj.access_token : '';
  // a token goes into one header: no control characters or spaces
  if (!token || !/^[\x21-\x7e]+$/.test(token)) fail(ctx, 'the token response has no usable token');
  return token;
}

function statusReason(status: number): string {
  if (status === 404) return 'the tag is not there (HTTP 404)';
  if (status === 401 || status === 403) return `access denied (HTTP ${status}; anonymous pulls only)`;
  if (status === 429) return 'rate-limited (HTTP 429); try again later or set a mirror with --registry';
  return `HTTP ${status}`;
}

/**
 * The digest `ref` (name:tag, through any mirror prefix) points to: the index digest for a
 * multi-arch image, the manifest digest otherwise. Throws RegistryError with one line.
 */
export async function resolveDigest(ref: string, options: RegistryClientOptions = {}): Promise<string> {
  const target = manifestTarget(ref);
  const ctx: Ctx = {
    image: ref,
    host: target.host,
    opts: { timeoutMs: 15_000, maxBytes: DEFAULT_MAX_MANIFEST_BYTES, ...options },
    fetch: options.fetch ?? fetch,
  };
  const scheme = schemeFor(target.host, options.insecureRegistries);
  const url = new URL(
    `${scheme}://${target.host}/v2/${target.repository}/manifests/${encodeURIComponent(target.reference)}`,
  );
  const headers: Record<string, string> = { accept: MANIFEST_MEDIA_TYPES.join(', ') };

  const send = async (method: 'HEAD' | 'GET'): Promise<Response> => {
    let res = await request(ctx, url, { method, headers });
    const challenge = res.headers.get('www-authenticate');
    if (res.status === 401 && challenge && !headers['authorization']) {
      await res.body?.cancel();
      headers['authorization'] = `Bearer ${await anonymousToken(ctx, challenge, target.repository)}`;
      res = await request(ctx, url, { method, headers });
    }
    return res;
  };

  const head = await send('HEAD');
  await head.body?.cancel();
  if (head.status === 404 || head.status === 401 || head.status === 403 || head.status === 429)
    fail(ctx, statusReason(head.status));
  const headDigest = head.headers.get('docker-content-digest');
  if (head.status === 200 && headDigest && DIGEST_RE.test(headDigest)) return headDigest;

  // no usable digest header (or HEAD not supported): GET the manifest and hash the exact bytes
  const res = await send('GET');
  if (res.status !== 200) {
    await res.body?.cancel();
    fail(ctx, statusReason(res.status));
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const body = await readCapped(ctx, res, ctx.opts.maxBytes, 'the manifest');
  const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  let mediaType = type;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') mediaType = parsed.mediaType;
  } catch {
    fail(ctx, 'the manifest is not JSON');
  }
  if (!(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType))
    fail(ctx, `unexpected manifest type ${JSON.stringify(mediaType.slice(0, 80))}`);
  const declared = res.headers.get('docker-content-digest');
  if (declared && DIGEST_RE.test(declared) && declared !== computed)
    fail(ctx, `the manifest does not match its Docker-Content-Digest (${declared})`);
  return computed;
}

/** Resolve several references, at most `concurrency` at a time; the first failure rejects. */
export async function resolveDigests(
  refs: readonly string[],
  options: RegistryClientOptions & { concurrency?: number } = {},
): Promise<Record<string, string>> {
  const unique = [...new Set(refs)];
  const out: Record<string, string> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const ref = unique[next++];
      out[ref] = await resolveDigest(ref, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, unique.length) }, worker));
  return Object.fromEntries(unique.map((r) => [r, out[r]]));
}
