import { describe, expect, it } from '@jest/globals';
import { isLoopback, parseIp } from '../../lib/core/answers/parse.js';
import { canonicalImage } from '../../lib/runtimes/index.js';
import { isRegistryHost, parseImage, splitImageRef } from '../../lib/policy/image.js';

describe('splitImageRef (the one image-reference parser)', () => {
  it.each([
    ['node', { host: null, path: 'node', tag: null, digest: null }],
    ['node:22', { host: null, path: 'node', tag: '22', digest: null }],
    ['hashicorp/vault:1.21', { host: null, path: 'hashicorp/vault', tag: '1.21', digest: null }],
    [
      'gcr.io/distroless/static-debian12:nonroot@sha256:abc',
      { host: 'gcr.io', path: 'distroless/static-debian12', tag: 'nonroot', digest: 'sha256:abc' },
    ],
    ['localhost:5000/a/b:1', { host: 'localhost:5000', path: 'a/b', tag: '1', digest: null }],
    ['localhost/x', { host: 'localhost', path: 'x', tag: null, digest: null }],
    ['localhost:5000', { host: null, path: 'localhost', tag: '5000', digest: null }],
    [
      'Mirror.Corp:5000/hub/docker.io/library/node:22',
      { host: 'Mirror.Corp:5000', path: 'hub/docker.io/library/node', tag: '22', digest: null },
    ],
  ])('%s', (ref, parts) => {
    expect(splitImageRef(ref)).toEqual(parts);
  });

  it('parseImage and canonicalImage agree on which references name a registry', () => {
    for (const ref of ['node:22', 'hashicorp/vault:1', 'gcr.io/distroless/static', 'localhost:5000/x:1', 'a.b/c']) {
      const explicit = splitImageRef(ref).host !== null;
      expect(canonicalImage(ref) === ref).toBe(explicit);
      expect(parseImage(canonicalImage(ref)).full).toBe(parseImage(ref).full);
    }
  });

  it("isRegistryHost is Docker's rule", () => {
    expect(isRegistryHost('gcr.io')).toBe(true);
    expect(isRegistryHost('mirror:5000')).toBe(true);
    expect(isRegistryHost('localhost')).toBe(true);
    expect(isRegistryHost('hashicorp')).toBe(false);
  });
});

describe('isLoopback (the one loopback check)', () => {
  it('is true for the two loopback addresses only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('::')).toBe(false);
    expect(isLoopback('192.168.1.10')).toBe(false);
  });
  it('never sees "localhost": a published port takes an IP, and --bind refuses host names', () => {
    expect(() => parseIp('localhost')).toThrow(/must be an IP address/);
  });
});
