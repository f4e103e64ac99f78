import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { GO_SUPPORTED } from '../../lib/runtimes/go/detect.js';
import { detectFixture } from './helpers.js';

const NEWEST = GO_SUPPORTED[GO_SUPPORTED.length - 1];
const go = (files: Record<string, string>) => detectFromFiles(memoryFiles(files));

describe('Go fixtures', () => {
  it('root package main, go directive + newer toolchain (a pin), /vN module suffix skipped for the name', async () => {
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
      source: 'go.mod: go 1.22, toolchain go1.23.4 (the toolchain line pins the newer release)',
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
    expect(f.goCgo).toBeUndefined();
  });

  it('cmd/<name>: a server-like name wins, the source lists the others; port from another package', async () => {
    const f = await detectFixture('go-cmd');
    // the go directive is a minimum: the newest supported Go builds it
    expect(f.runtimeVersion).toEqual({
      value: NEWEST,
      source: `go.mod: go 1.23.0 (a minimum: any newer Go builds it, so the newest supported, of ${GO_SUPPORTED.join(', ')})`,
    });
    expect(f.goMainPackage).toEqual({
      value: './cmd/api',
      source: 'cmd/api: package main; chosen of 2 (a server-like name); alternatives: cmd/worker',
      guess: '2 main packages (cmd/api, cmd/worker); cmd/api has a server-like name',
    });
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

describe('Go versions: the go directive is a minimum (issue 10 item 1)', () => {
  it.each(['1.15', '1.19', '1.21', '1.23.0'])('go %s -> the newest supported', (v) => {
    const f = go({ 'go.mod': `module x.io/a\n\ngo ${v}\n`, 'main.go': 'package main\n' });
    expect(f.runtimeVersion?.value).toBe(NEWEST);
    expect(f.runtimeVersion?.source).toMatch(
      new RegExp(`^go\\.mod: go ${v.replace(/\./g, '\\.')} \\(a minimum: any newer Go builds it`),
    );
  });
  it('a go directive newer than every supported Go is proposed as it is, with a note naming the flag', () => {
    const f = go({ 'go.mod': 'module x.io/a\n\ngo 1.99\n', 'main.go': 'package main\n' });
    expect(f.runtimeVersion).toEqual({
      value: '1.99',
      source: `go.mod: go 1.99 (a minimum newer than every supported Go: ${GO_SUPPORTED.join(', ')})`,
    });
    expect(f.notes?.join('\n')).toMatch(/needs Go 1\.99 or newer.*--runtime-version/);
  });
  it('a toolchain line older than the go directive is ignored (the directive is the minimum)', () => {
    const f = go({ 'go.mod': 'module a\ngo 1.23\ntoolchain go1.22.1\n', 'main.go': 'package main\n' });
    expect(f.runtimeVersion?.value).toBe(NEWEST);
    expect(f.runtimeVersion?.source).toMatch(/^go\.mod: go 1\.23, toolchain go1\.22\.1 \(not newer: ignored\)/);
  });
  it('no go directive: Go 1.16 semantics, any current Go', () => {
    const f = go({ 'go.mod': 'module a\n', 'main.go': 'package main\n' });
    expect(f.runtimeVersion?.value).toBe(NEWEST);
    expect(f.runtimeVersion?.source).toMatch(/no go directive/);
  });
});

describe('Go main package search', () => {
  it('a non-main root package falls through to cmd/', () => {
    const f = go({
      'go.mod': 'module x.io/lib\ngo 1.24\n',
      'lib.go': 'package lib\n',
      'cmd/tool/main.go': 'package main\n',
    });
    expect(f.goMainPackage).toEqual({ value: './cmd/tool', source: 'cmd/tool: package main' });
  });
  it('main.go outside cmd/ is used with a source that says so', () => {
    const f = go({ 'go.mod': 'module x.io/svc\ngo 1.23\n', 'server/main.go': 'package main\n' });
    expect(f.goMainPackage).toEqual({ value: './server', source: 'server: package main (not in the root or cmd/)' });
    expect(f.start?.value).toEqual(['/app/server']);
  });
  it('app/services/<name>/ (ardanlabs/service layout): found, services before tooling, the others named', () => {
    const f = go({
      'go.mod': 'module github.com/acme/service\ngo 1.22\n',
      'app/services/metrics/main.go': 'package main\n',
      'app/services/sales-api/main.go': 'package main\n',
      'app/services/sales-api/handlers/handlers.go': 'package handlers\n',
      'app/tooling/admin/main.go': 'package main\n',
      'business/data/db.go': 'package db\n',
    });
    expect(f.goMainPackage?.value).toBe('./app/services/sales-api');
    expect(f.goMainPackage?.source).toBe(
      'app/services/sales-api: package main (not in the root or cmd/); chosen of 3 (a server-like name); alternatives: app/services/metrics, app/tooling/admin',
    );
    expect(f.goMainPackage?.guess).toMatch(/^3 main packages/);
    expect(f.start?.value).toEqual(['/app/sales-api']);
    expect(f.notes?.join('\n')).toMatch(
      /several main packages: \.\/app\/services\/sales-api is built; for another, pass --build/,
    );
  });
  it('cmd/<module>d (the daemon) wins over cmd/<module> (the client), not a guess', () => {
    const f = go({
      'go.mod': 'module github.com/acme/wtf\ngo 1.16\n',
      'cmd/wtf/main.go': 'package main\n',
      'cmd/wtfd/main.go': 'package main\n',
    });
    expect(f.goMainPackage?.value).toBe('./cmd/wtfd');
    expect(f.goMainPackage?.guess).toBeUndefined();
  });
  it('a `//go:build ignore` generator script is not a main package (nor is the generated probe)', () => {
    const f = go({
      'go.mod': 'module x.io/lib\ngo 1.23\n',
      'lib.go': 'package lib\n',
      'gen.go': '//go:build ignore\n\npackage main\n',
      'deploy/healthcheck/main.go': '// Code generated\n\n//go:build ignore\n\npackage main\n',
    });
    expect(f.goMainPackage).toBeUndefined();
    expect(f.notes).toContain('go.mod found but no package main (root, cmd/<name>, or any directory below)');
  });
  it('no main package: no start, a note', () => {
    const f = go({ 'go.mod': 'module x.io/lib\n', 'lib.go': 'package lib\n' });
    expect(f.start).toBeUndefined();
    expect(f.goMainPackage).toBeUndefined();
  });
  it('binary names are made DNS-label safe', () => {
    const f = go({ 'go.mod': 'module github.com/Acme/My_Service\ngo 1.23\n', 'main.go': 'package main\n' });
    expect(f.start?.value).toEqual(['/app/my-service']);
    expect(f.name?.value).toBe('my-service');
  });
  it('is bounded and linear: 3000 library packages and a deep main', () => {
    const files: Record<string, string> = { 'go.mod': 'module x.io/big\ngo 1.23\n' };
    for (let i = 0; i < 3000; i++) files[`pkg/p${i}/p.go`] = `package p${i}\n`;
    files['app/services/api/main.go'] = 'package main\n';
    const t0 = performance.now();
    const f = go(files);
    expect(performance.now() - t0).toBeLessThan(2000);
    // 2000 directories at most are looked at: the listing is sorted, app/ comes before pkg/
    expect(f.goMainPackage?.value).toBe('./app/services/api');
  });
});

describe('cgo (issue 10 item 5)', () => {
  it('mattn/go-sqlite3 in go.mod: cgo, the reason and the image in the source and a note', () => {
    const f = go({
      'go.mod': 'module x.io/a\ngo 1.21\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n',
      'main.go': 'package main\n',
    });
    expect(f.goCgo?.value).toBe(true);
    expect(f.goCgo?.source).toMatch(
      /^go\.mod: requires github\.com\/mattn\/go-sqlite3 v1\.14\.22: SQLite.*CGO_ENABLED=1.*distroless\/base.*scratch cannot run/,
    );
    expect(f.notes?.join('\n')).toMatch(/gcr\.io\/distroless\/base-debian12.*modernc\.org\/sqlite/);
    expect(f.start?.source).toMatch(/^binary \(cgo\) built from \./);
  });
  it('indirect requirement (gorm sqlite dialect) counts', () => {
    const f = go({
      'go.mod': 'module a\ngo 1.17\nrequire github.com/mattn/go-sqlite3 v1.14.15 // indirect\n',
      'main.go': 'package main\n',
    });
    expect(f.goCgo?.source).toMatch(/\(indirect\)/);
  });
  it('go.sum is read only for go < 1.17 (whose go.mod lists direct requirements only), and only zip hashes', () => {
    const sum = 'github.com/mattn/go-sqlite3 v1.14.4 h1:abc=\ngithub.com/mattn/go-sqlite3 v1.14.4/go.mod h1:def=\n';
    expect(go({ 'go.mod': 'module a\ngo 1.15\n', 'go.sum': sum, 'main.go': 'package main\n' }).goCgo?.source).toMatch(
      /^go\.sum: github\.com\/mattn\/go-sqlite3 v1\.14\.4/,
    );
    expect(go({ 'go.mod': 'module a\ngo 1.21\n', 'go.sum': sum, 'main.go': 'package main\n' }).goCgo).toBeUndefined();
    const modOnly = 'github.com/mattn/go-sqlite3 v1.14.4/go.mod h1:def=\n';
    expect(
      go({ 'go.mod': 'module a\ngo 1.15\n', 'go.sum': modOnly, 'main.go': 'package main\n' }).goCgo,
    ).toBeUndefined();
  });
  it('import "C" in non-test code; not in tests, other OSes or files with a !cgo fallback', () => {
    const cgo = 'package main\n\n// #include <stdlib.h>\nimport "C"\n';
    expect(
      go({ 'go.mod': 'module a\ngo 1.22\n', 'main.go': 'package main\n', 'native.go': cgo }).goCgo?.source,
    ).toMatch(/^native\.go:4: import "C": cgo code/);
    expect(
      go({ 'go.mod': 'module a\ngo 1.22\n', 'main.go': 'package main\n', 'native_test.go': cgo }).goCgo,
    ).toBeUndefined();
    expect(
      go({ 'go.mod': 'module a\ngo 1.22\n', 'main.go': 'package main\n', 'native_darwin.go': cgo }).goCgo,
    ).toBeUndefined();
    expect(
      go({ 'go.mod': 'module a\ngo 1.22\n', 'main.go': 'package main\n', 'native.go': `//go:build cgo\n\n${cgo}` })
        .goCgo,
    ).toBeUndefined();
  });
  it('a module whose shared library distroless/base lacks is named', () => {
    const f = go({
      'go.mod': 'module a\ngo 1.22\nrequire github.com/h2non/bimg v1.1.9\n',
      'main.go': 'package main\n',
    });
    expect(f.notes?.join('\n')).toMatch(/github\.com\/h2non\/bimg needs libvips at run time/);
  });
  it('a pure-Go SQLite driver is not cgo', () => {
    const f = go({ 'go.mod': 'module a\ngo 1.22\nrequire modernc.org/sqlite v1.29.0\n', 'main.go': 'package main\n' });
    expect(f.goCgo).toBeUndefined();
  });
});

describe('vendored dependencies', () => {
  it('vendor/modules.txt (when listed) is a fact', () => {
    const f = go({ 'go.mod': 'module a\ngo 1.22\n', 'main.go': 'package main\n', 'vendor/modules.txt': '# x\n' });
    expect(f.goVendor?.value).toBe(true);
    expect(f.goVendor?.source).toMatch(/^vendor\/modules\.txt: .*-mod=vendor/);
  });
});

describe('database files on the read-only root (data directory)', () => {
  it('a -db flag default next to the binary: /app/data proposed, the start passes the flag', () => {
    const f = go({
      'go.mod': 'module x.io/notes\ngo 1.22\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
      'main.go':
        'package main\n\nimport "flag"\n\nvar dbPath = flag.String("db", "./notes.db", "SQLite file")\n\nfunc main() { flag.Parse() }\n',
    });
    expect(f.dataDirs?.value).toEqual(['/app/data']);
    expect(f.dataDirs?.source).toMatch(/^main\.go:5: .*the start command passes --db=\/app\/data\/notes\.db/);
    expect(f.start?.value).toEqual(['/app/notes', '--db=/app/data/notes.db']);
  });
  it('a hard-coded sql.Open path in the working directory: /app/data proposed, a note says what to change', () => {
    const f = go({
      'go.mod': 'module x.io/todo\ngo 1.22\n',
      'main.go': 'package main\n',
      'store/store.go': 'package store\n\nfunc Open() { db, _ := sql.Open("sqlite3", "./todo.db?_fk=1") }\n',
    });
    expect(f.dataDirs?.value).toEqual(['/app/data']);
    expect(f.start?.value).toEqual(['/app/todo']);
    expect(f.notes?.join('\n')).toMatch(
      /store\/store\.go:3: .*opens \.\/todo\.db\?_fk=1, which is \/app\/todo\.db in the image.*Open \/app\/data\/todo\.db instead/,
    );
  });
  it('a path in its own directory is that directory; /tmp and :memory: are not data', () => {
    expect(
      go({
        'go.mod': 'module a\ngo 1.22\n',
        'main.go': 'package main\n\nvar _ = bolt.Open("/var/lib/app/app.db", 0600, nil)\n',
      }).dataDirs?.value,
    ).toEqual(['/var/lib/app']);
    const tmp = go({
      'go.mod': 'module a\ngo 1.22\n',
      'main.go': 'package main\n\nvar _, _ = sql.Open("sqlite", "/tmp/x.db")\n',
    });
    expect(tmp.dataDirs).toBeUndefined();
    expect(tmp.notes?.join('\n')).toMatch(/under \/tmp, a tmpfs/);
    const mem = go({
      'go.mod': 'module a\ngo 1.22\n',
      'main.go': 'package main\n\nvar _, _ = sql.Open("sqlite3", ":memory:")\n',
    });
    expect(mem.dataDirs).toBeUndefined();
  });
});

describe('health probe fallback', () => {
  it('no health route: a note says the probe counts any HTTP answer as alive', () => {
    const f = go({
      'go.mod': 'module a\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
    });
    expect(f.healthPath).toBeUndefined();
    expect(f.notes?.join('\n')).toMatch(
      /no health route found in the Go code: .*counts any HTTP answer \(even a 404\) as alive/,
    );
  });
});
