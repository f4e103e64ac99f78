// The Go profile (issue 10 items 5 and 6): cgo builds on a libc base, vendored builds without a
// download, the probe's "any HTTP answer" mode when no health route was found.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerError, type Flavor, type ProjectLayout } from '../../lib/core/types.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderDockerfile } from '../../lib/outputs/dockerfile.js';
import { runInit } from '../../lib/cli/init.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { GO_PROBE_ANY_STATUS, goProbeSource } from '../../lib/runtimes/go/probe.js';
import { answersFor } from '../helpers/answers.js';
import { dockerfileViolations } from '../helpers/dockerfile.js';

const go = profileFor('go');
const BASE: ProjectLayout = { manifests: ['go.mod', 'go.sum'], goMain: './cmd/api' };

function dockerfile(layout: ProjectLayout, flavor: Flavor = 'distroless', cli: Record<string, string> = {}): string {
  const answers = answersFor('go', { flavor, ...cli });
  return renderDockerfile(buildSpec(answers, layout));
}

describe('Go layout from facts and hints', () => {
  it('cgo from the fact, vendor from the hint (detection does not list vendor/) or the fact', () => {
    const a = answersFor('go', {});
    expect(go.layout({ goCgo: { value: true, source: 'x' } }, a, {})).toMatchObject({ goCgo: true });
    expect(go.layout({}, a, { goVendor: true })).toMatchObject({ goVendor: true });
    expect(go.layout({ goVendor: { value: true, source: 'x' } }, a, {})).toMatchObject({ goVendor: true });
    expect(go.layout({}, a, {})).not.toHaveProperty('goCgo');
    const peek = (present: string[]) => ({ readText: () => undefined, exists: (p: string) => present.includes(p) });
    expect(go.layoutHints?.({}, peek(['vendor/modules.txt']))).toEqual({ goVendor: true });
    expect(go.layoutHints?.({}, peek([]))).toEqual({});
  });
});

describe('cgo', () => {
  it('distroless: CGO_ENABLED=1 on the Debian builder, distroless/base (glibc), a static probe', () => {
    const text = dockerfile({ ...BASE, goCgo: true });
    expect(text).toMatch(/^ENV CGO_ENABLED=1$/m);
    expect(text).toMatch(/^FROM golang:1\.\d+-bookworm AS build$/m);
    expect(text).toMatch(/^FROM gcr\.io\/distroless\/base-debian12:nonroot AS runtime$/m);
    expect(text).toMatch(/&& CGO_ENABLED=0 go build .* -o \/out\/healthcheck /);
    expect(text).not.toMatch(/static-debian12/);
    expect(dockerfileViolations(text, { uid: 65532, gid: 65532, port: 8080, dataDirs: [] })).toEqual([]);
  });
  it('alpine: built against musl on the alpine golang image with gcc, run on alpine', () => {
    const text = dockerfile({ ...BASE, goCgo: true }, 'alpine');
    expect(text).toMatch(/^FROM golang:1\.\d+-alpine3\.22 AS build$/m);
    expect(text).toMatch(/^RUN apk add --no-cache gcc musl-dev$/m);
    expect(text).toMatch(/^FROM alpine:3\.22 AS runtime$/m);
  });
  it('scratch: refused, naming --flavor and why', () => {
    expect(() => dockerfile({ ...BASE, goCgo: true }, 'scratch')).toThrow(AnswerError);
    expect(() => dockerfile({ ...BASE, goCgo: true }, 'scratch')).toThrow(
      /^--flavor: scratch cannot run this app: it needs cgo/,
    );
  });
  it('without cgo nothing changes: static binary on distroless/static', () => {
    const text = dockerfile(BASE);
    expect(text).toMatch(/^ENV CGO_ENABLED=0$/m);
    expect(text).toMatch(/^FROM gcr\.io\/distroless\/static-debian12:nonroot AS runtime$/m);
  });
  it('init on a cgo app with --flavor scratch exits 2 with the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-go-cgo-'));
    try {
      writeFileSync(
        join(dir, 'go.mod'),
        'module x.io/notes\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
      );
      writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n');
      const err: string[] = [];
      const code = await runInit(['--yes', '--flavor', 'scratch'], {
        cwd: dir,
        stdout: () => undefined,
        stderr: (s) => err.push(s),
      });
      expect(code).toBe(2);
      expect(err.join('')).toMatch(/--flavor: scratch cannot run this app: it needs cgo/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vendored dependencies', () => {
  it('no module download, -mod=vendor for the app and the probe, vendor/ copied with the sources', () => {
    const text = dockerfile({ ...BASE, goVendor: true });
    expect(text).not.toMatch(/go mod download/);
    expect(text).not.toMatch(/^COPY go\.mod/m);
    expect(text).toMatch(
      /go build -mod=vendor -trimpath '-ldflags=-s -w' -o \/out\/demo \.\/cmd\/api && CGO_ENABLED=0 go build -mod=vendor /,
    );
    expect(text).not.toMatch(/target=\/go\/pkg\/mod/);
    expect(text).toMatch(/^COPY \. \.$/m);
    expect(go.dockerignore(BASE, answersFor('go', {}))).not.toContain('vendor');
  });
});

describe('health probe', () => {
  it('"/" (no health route found): any HTTP answer counts; a real route: 2xx/3xx only', () => {
    expect(go.healthcheck('distroless', 8080, '/')).toEqual([
      '/app/healthcheck',
      GO_PROBE_ANY_STATUS,
      'http://127.0.0.1:8080/',
    ]);
    expect(go.healthcheck('distroless', 8080, '/healthz')).toEqual([
      '/app/healthcheck',
      'http://127.0.0.1:8080/healthz',
    ]);
  });

  // the probe is real Go: compile it when a Go toolchain is here and check both modes against a 404
  const hasGo = spawnSync('go', ['version']).status === 0;
  (hasGo ? it : it.skip)(
    'the generated probe exits 0 on a 404 with -any-status, 1 without, 1 when nothing answers',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sc-go-probe-'));
      const server = createServer((_req, res) => {
        res.statusCode = 404;
        res.end();
      });
      try {
        writeFileSync(join(dir, 'main.go'), goProbeSource('test'));
        const bin = join(dir, 'probe');
        execFileSync('go', ['build', '-o', bin, join(dir, 'main.go')], {
          env: {
            ...process.env,
            CGO_ENABLED: '0',
            GOFLAGS: '-mod=mod',
            GOPROXY: 'off',
            GO111MODULE: 'off',
            HOME: dir,
            GOCACHE: join(dir, 'cache'),
          },
        });
        await new Promise<void>((r) =>
          server.listen(0, '127.0.0.1', () => {
            r();
          }),
        );
        const port = (server.address() as { port: number }).port;
        const run = (args: string[]): Promise<number | null> =>
          new Promise((resolve, reject) => {
            // async: the test's own HTTP server must keep answering while the probe runs
            const p = spawn(bin, args, { stdio: 'ignore' });
            p.on('error', reject);
            p.on('exit', (code) => {
              resolve(code);
            });
          });
        expect(await run([GO_PROBE_ANY_STATUS, `http://127.0.0.1:${port}/`])).toBe(0);
        expect(await run([`http://127.0.0.1:${port}/`])).toBe(1);
        server.close();
        expect(await run([GO_PROBE_ANY_STATUS, `http://127.0.0.1:${port}/`])).toBe(1);
        expect(await run([])).toBe(2);
      } finally {
        server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
