import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { detectFixture } from './helpers.js';

describe('Go fixtures', () => {
  it('root package main, go directive + newer toolchain, /vN module suffix skipped for the name', async () => {
    const f = await detectFixture('go-root');
    expect(f.runtime).toEqual({ value: 'go', source: 'go.mod' });
    expect(f.packageManager).toEqual({ value: 'go', source: 'go.mod' });
    expect(f.lockfiles).toEqual({ value: ['go.sum'], source: 'repository root' });
    expect(f.goModule).toEqual({
      value: 'github.com/acme/hello-svc/v2',
      source: 'go.mod: module github.com/acme/hello-svc/v2',
    });
    expect(f.runtimeVersion).toEqual({
      value: '1.23',
      source: 'go.mod: go 1.22, toolchain go1.23.4 (the toolchain line asks for the newer release)',
    });
    expect(f.name).toEqual({
      value: 'hello-svc',
      source: 'go.mod: module github.com/acme/hello-svc/v2 (last path element)',
    });
    expect(f.goMainPackage).toEqual({ value: '.', source: 'package main in the repository root' });
    expect(f.start?.value).toEqual(['/app/hello-svc']);
    // main_test.go has ":7777": test files are not scanned
    expect(f.port).toEqual({ value: 8080, source: 'main.go:7: http.ListenAndServe(":8080", nil)' });
    expect(f.healthPath?.value).toBe('/healthz');
  });

  it('cmd/<name>: first alphabetically, the source lists all; port from another package', async () => {
    const f = await detectFixture('go-cmd');
    expect(f.runtimeVersion).toEqual({ value: '1.23', source: 'go.mod: go 1.23.0' });
    expect(f.goMainPackage).toEqual({ value: './cmd/api', source: 'cmd/api (first of cmd/api, cmd/worker)' });
    expect(f.start).toEqual({
      value: ['/app/api'],
      source: 'static binary built from ./cmd/api (named after the command directory)',
    });
    expect(f.name?.value).toBe('platform');
    expect(f.lockfiles).toBeUndefined();
    expect(f.port).toEqual({
      value: 9090,
      source: 'internal/server/server.go:9: s := &http.Server{Addr: ":9090", Handler: mux}',
    });
    // Go 1.22 method patterns; livez preferred over readyz for a liveness HEALTHCHECK
    expect(f.healthPath).toEqual({
      value: '/livez',
      source: 'internal/server/server.go:8: mux.HandleFunc("GET /livez", nil)',
    });
  });
});

describe('Go (in memory)', () => {
  it('a non-main root package falls through to cmd/', () => {
    const f = detectFromFiles(
      memoryFiles({
        'go.mod': 'module x.io/lib\ngo 1.24\n',
        'lib.go': 'package lib\n',
        'cmd/tool/main.go': 'package main\n',
      }),
    );
    expect(f.goMainPackage?.value).toBe('./cmd/tool');
    expect(f.runtimeVersion?.value).toBe('1.24');
  });
  it('main.go outside cmd/ is used with a source that says so', () => {
    const f = detectFromFiles(
      memoryFiles({ 'go.mod': 'module x.io/svc\ngo 1.23\n', 'server/main.go': 'package main\n' }),
    );
    expect(f.goMainPackage).toEqual({
      value: './server',
      source: 'server/main.go: package main (not in the root or cmd/)',
    });
    expect(f.start?.value).toEqual(['/app/server']);
  });
  it('no main package: no start, a note', () => {
    const f = detectFromFiles(memoryFiles({ 'go.mod': 'module x.io/lib\n', 'lib.go': 'package lib\n' }));
    expect(f.start).toBeUndefined();
    expect(f.goMainPackage).toBeUndefined();
    expect(f.runtimeVersion).toBeUndefined();
    expect(f.notes).toContain('go.mod found but no package main (root, cmd/<name>, or */main.go)');
  });
  it('binary names are made DNS-label safe', () => {
    const f = detectFromFiles(
      memoryFiles({ 'go.mod': 'module github.com/Acme/My_Service\ngo 1.23\n', 'main.go': 'package main\n' }),
    );
    expect(f.start?.value).toEqual(['/app/my-service']);
    expect(f.name?.value).toBe('my-service');
  });
  it('toolchain older than the go directive does not lower the version', () => {
    const f = detectFromFiles(
      memoryFiles({ 'go.mod': 'module a\ngo 1.23\ntoolchain go1.22.1\n', 'main.go': 'package main\n' }),
    );
    expect(f.runtimeVersion).toEqual({ value: '1.23', source: 'go.mod: go 1.23, toolchain go1.22.1' });
  });
});
