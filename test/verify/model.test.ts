import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../lib/core/paths.js';
import { finalFiles, inferFlavor, listing, parseInspect } from '../../lib/verify/model.js';
import { needsContent, secretReason } from '../../lib/verify/secrets.js';
import { secretPatterns } from '../../lib/policy/context.js';

describe('parseInspect', () => {
  it('reads docker inspect (Config.*)', () => {
    const c = parseInspect({
      Id: 'sha256:ab',
      Size: 1234,
      Config: {
        User: '65532',
        Labels: { a: 'b', n: 1 },
        Healthcheck: { Test: ['CMD', 'x'] },
        ExposedPorts: { '3000/tcp': {} },
      },
      RootFS: { Layers: ['sha256:1', 'sha256:2'] },
    });
    expect(c).toEqual({
      user: '65532',
      healthcheck: ['CMD', 'x'],
      labels: { a: 'b' },
      size: 1234,
      layers: 2,
      exposed: ['3000/tcp'],
    });
  });
  it('reads podman inspect (Healthcheck at the top level)', () => {
    const c = parseInspect({
      Config: { User: '10001:10001' },
      Healthcheck: { Test: ['CMD', 'true'] },
      Labels: { x: 'y' },
    });
    expect(c.healthcheck).toEqual(['CMD', 'true']);
    expect(c.labels).toEqual({ x: 'y' });
  });
  it('survives junk', () => {
    for (const j of [null, 1, 'x', [], { Config: 'x', RootFS: { Layers: [1] } }])
      expect(parseInspect(j)).toEqual({ user: '', labels: {}, size: 0, layers: 0, exposed: [] });
  });
});

describe('inferFlavor', () => {
  const L = 'org.opencontainers.image.base.name';
  it.each([
    ['gcr.io/distroless/nodejs22-debian12:nonroot', 'distroless'],
    ['gcr.io/distroless/static-debian12@sha256:abc', 'distroless'],
    ['cgr.dev/chainguard/node:latest', 'distroless'],
    // the base names the generator writes (templates/dockerfile/_final.ejs) for Deno, Bun and .NET
    ['denoland/deno:distroless-2.9.1', 'distroless'],
    ['oven/bun:1.4-distroless', 'distroless'],
    ['mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled', 'distroless'],
    ['mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled-extra', 'distroless'],
    ['registry.example.internal/mirror/gcr.io/distroless/python3-debian12:nonroot', 'distroless'],
    ['nginxinc/nginx-unprivileged:1.30-alpine3.24-slim', 'alpine'],
    ['scratch', 'scratch'],
    ['docker.io/library/node:22-alpine3.20', 'alpine'],
    ['node:22-bookworm-slim', 'slim'],
  ])('%s -> %s', (name, flavor) => {
    expect(inferFlavor({ [L]: name })).toEqual({ value: flavor, source: 'label', label: L });
  });
  it('--flavor wins; no label, no flavour', () => {
    expect(inferFlavor({ [L]: 'scratch' }, 'alpine')).toEqual({ value: 'alpine', source: 'flag' });
    expect(inferFlavor({})).toBeNull();
    expect(inferFlavor({ [L]: 'ubuntu:24.04' })).toBeNull();
  });

  it('every base name the generator writes infers the flavour it was generated for (or none for FrankenPHP)', () => {
    // golden Dockerfiles: one per runtime x flavour the scenarios cover
    const dir = packagePath('test', 'golden');
    for (const scenario of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const text = readFileSync(join(dir, scenario.name, 'Dockerfile'), 'utf8');
      const base = /org\.opencontainers\.image\.base\.name="([^"]+)"/.exec(text)?.[1];
      const yo = JSON.parse(readFileSync(join(dir, scenario.name, '.yo-rc.json'), 'utf8')) as Record<
        string,
        { answers: { flavor: string; runtime: string } }
      >;
      const { flavor, runtime } = Object.values(yo)[0].answers;
      expect({ scenario: scenario.name, base: base !== undefined }).toEqual({ scenario: scenario.name, base: true });
      const inferred = inferFlavor({ [L]: base ?? '' })?.value;
      // slim is not checked by verify (it promises no absence); FrankenPHP's bookworm base names no flavour
      if (runtime === 'php' && flavor === 'slim') expect(inferred).toBeUndefined();
      else expect({ scenario: scenario.name, inferred }).toEqual({ scenario: scenario.name, inferred: flavor });
    }
  });
});

describe('finalFiles', () => {
  it('applies whiteouts and opaque directories to lower layers only', () => {
    const f = finalFiles({
      layers: [
        listing('a/', 'a/x', 'a/y', 'b/', 'b/z', 'c'),
        listing('a/.wh.x', 'b/', 'b/.wh..wh..opq', 'b/new', 'c'),
        listing('a/x'),
      ],
      incomplete: [],
    });
    expect([...f.keys()].sort()).toEqual(['a', 'a/x', 'a/y', 'b', 'b/new', 'c']);
    expect(f.get('a/x')?.layer).toBe(2);
    expect(f.get('c')?.layer).toBe(1);
  });
  it('a deleted directory takes its contents with it', () => {
    const f = finalFiles({ layers: [listing('d/', 'd/e/', 'd/e/f'), listing('.wh.d')], incomplete: [] });
    expect(f.size).toBe(0);
  });
});

describe('secret files: the shared .dockerignore list', () => {
  it('every plain name of the generated .dockerignore secret list is reported in an image', () => {
    // one file a pattern: the same list drives the .dockerignore, the context scan and verify
    const names = secretPatterns('node')
      .filter((p) => !p.startsWith('!'))
      .map((p) =>
        p
          .replace(/^\*\*\//, '')
          .replace(/\*/g, 'x')
          .replace('y*ml', 'yaml'),
      );
    for (const n of names) {
      const path = `app/${n}${/^\.(docker|kube|ssh|aws|azure|gnupg|terraform)$|gcloud$|^secrets$/.test(n) ? '/f' : ''}`;
      const head = needsContent(path) ? '-----BEGIN RSA PRIVATE KEY-----\n' : undefined;
      expect([path, secretReason(path, head)]).toEqual([path, expect.any(String)]);
    }
  });
  it('certificates count only with a key inside', () => {
    expect(needsContent('etc/ssl/certs/ca-certificates.crt')).toBe(true);
    expect(secretReason('etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----')).toBeUndefined();
    expect(secretReason('x/k.pem', '-----BEGIN EC PRIVATE KEY-----')).toMatch(/private key/);
    expect(secretReason('x/k.asc', '-----BEGIN PGP PRIVATE KEY BLOCK-----')).toMatch(/private key/);
    expect(secretReason('x/k.asc', '-----BEGIN PGP PUBLIC KEY BLOCK-----')).toBeUndefined();
  });
});
