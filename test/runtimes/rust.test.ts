// Rust (issue 13): detection from Cargo.toml/Cargo.lock/rust-toolchain, the binary and the build
// that follows --start, the Dockerfile per flavour (dependency fetch with placeholders, cache mounts,
// a static or glibc final image, the std-only probe), and the probe itself compiled with rustc when
// this machine has it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { runInit } from '../../lib/cli/init.js';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { RUST_SUPPORTED } from '../../lib/runtimes/rust/detect.js';
import { rustProbeSource } from '../../lib/runtimes/rust/probe.js';

const NEWEST = RUST_SUPPORTED.at(-1) ?? '';
const detect = (files: Record<string, string>) => detectFromFiles(memoryFiles(files));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gen(files: Record<string, string>, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-rust-'));
  dirs.push(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInit(['--yes', ...args], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  const read = (p: string): string => readFileSync(join(dir, p), 'utf8');
  return { code, out: out.join(''), err: err.join(''), read, dir };
}

const APP = {
  'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\naxum = "0.8"\n',
  'Cargo.lock': 'version = 3\n\n[[package]]\nname = "svc"\nversion = "0.1.0"\n',
  'src/main.rs':
    'use axum::{routing::get, Router};\n#[tokio::main]\nasync fn main() {\n    let app = Router::new().route("/healthz", get(|| async { "ok" }));\n    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}\n',
};

function instructions(dockerfile: string): { kw: string; args: string }[] {
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((i) => ({ kw: i.getKeyword(), args: i.getArgumentsContent() ?? '' }));
}

describe('rust detection', () => {
  it('a package with src/main.rs: binary, build, port and health route from the code, the newest Rust by default', () => {
    const f = detect(APP);
    expect(f.runtime?.value).toBe('rust');
    expect(f.packageManager).toEqual({ value: 'cargo', source: 'Cargo.toml' });
    expect(f.start).toEqual({ value: ['/app/svc'], source: 'src/main.rs (package svc)' });
    expect(f.build?.value).toEqual(['cargo', 'build', '--release', '--locked', '--bin', 'svc']);
    expect(f.framework?.value).toBe('axum');
    expect(f.port).toEqual({
      value: 3000,
      source: expect.stringMatching(/^src\/main\.rs:5: .*"0\.0\.0\.0:3000"/) as unknown,
    });
    expect(f.healthPath?.value).toBe('/healthz');
    expect(f.runtimeVersion).toBeUndefined();
  });

  it('rust-version is a minimum (the newest supported); a toolchain file pins; stable is the newest; nightly is a note', () => {
    const min = detect({
      ...APP,
      'Cargo.toml': APP['Cargo.toml'].replace('edition', 'rust-version = "1.70"\nedition'),
    });
    expect(min.runtimeVersion?.value).toBe(NEWEST);
    expect(min.runtimeVersion?.source).toMatch(/^Cargo\.toml: rust-version = "1\.70" \(a minimum/);
    const pinned = detect({ ...APP, 'rust-toolchain.toml': '[toolchain]\nchannel = "1.82.0"\n' });
    expect(pinned.runtimeVersion).toEqual({
      value: '1.82',
      source: 'rust-toolchain.toml: channel = "1.82.0" (a pin: the builder image has exactly this release)',
    });
    const legacy = detect({ ...APP, 'rust-toolchain': '1.80\n' });
    expect(legacy.runtimeVersion?.value).toBe('1.80');
    const stable = detect({ ...APP, 'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\n' });
    expect(stable.runtimeVersion?.value).toBe(NEWEST);
    const nightly = detect({ ...APP, 'rust-toolchain.toml': '[toolchain]\nchannel = "nightly-2025-01-01"\n' });
    expect(nightly.runtimeVersion).toBeUndefined();
    expect(nightly.notes?.join('\n')).toMatch(/a nightly toolchain; the image builds with stable Rust/);
  });

  it('no Cargo.lock: no --locked, and a note', () => {
    const f = detect({ 'Cargo.toml': APP['Cargo.toml'], 'src/main.rs': APP['src/main.rs'] });
    expect(f.build?.value).toEqual(['cargo', 'build', '--release', '--bin', 'svc']);
    expect(f.lockfiles).toBeUndefined();
    expect(f.notes?.join('\n')).toMatch(/no Cargo\.lock: .*commit Cargo\.lock/);
  });

  it('a workspace: the server-like binary, -p for its package, xtask ranked last; placeholders for every explicit target', () => {
    const f = detect({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*", "xtask"]\n',
      'Cargo.lock': 'version = 4\n',
      'crates/core/Cargo.toml': '[package]\nname = "core"\nversion = "0.1.0"\n',
      'crates/core/src/lib.rs': '',
      'crates/gateway/Cargo.toml':
        '[package]\nname = "gateway"\nversion = "0.1.0"\n\n[[bin]]\nname = "gateway-server"\n\n[[bench]]\nname = "load"\nharness = false\n\n[[example]]\nname = "demo"\npath = "examples/demo/main.rs"\n',
      'crates/gateway/src/bin/gateway-server.rs':
        'fn main() { let _ = std::net::TcpListener::bind(("0.0.0.0", 9000)); }\n',
      'xtask/Cargo.toml': '[package]\nname = "xtask"\nversion = "0.1.0"\n',
      'xtask/src/main.rs': 'fn main() {}\n',
    });
    expect(f.start?.value).toEqual(['/app/gateway-server']);
    expect(f.build?.value).toEqual([
      'cargo',
      'build',
      '--release',
      '--locked',
      '-p',
      'gateway',
      '--bin',
      'gateway-server',
    ]);
    expect(f.name?.value).toBe('gateway');
    expect(f.port?.value).toBe(9000);
    const s = f.settings?.value ?? {};
    expect(s.manifests).toEqual([
      'Cargo.toml',
      'Cargo.lock',
      'crates/core/Cargo.toml',
      'crates/gateway/Cargo.toml',
      'xtask/Cargo.toml',
    ]);
    expect(s.placeholders).toEqual(
      expect.arrayContaining([
        'crates/gateway/src/bin/gateway-server.rs',
        'crates/gateway/benches/load.rs',
        'crates/gateway/examples/demo/main.rs',
        'crates/core/src/lib.rs',
        'xtask/src/main.rs',
      ]),
    );
  });

  it('a library workspace has no binary: a note naming --start and --build, no start', () => {
    const f = detect({
      'Cargo.toml': '[workspace]\nmembers = ["lib-a"]\n',
      'lib-a/Cargo.toml': '[package]\nname = "lib-a"\n',
      'lib-a/src/lib.rs': '',
    });
    expect(f.start).toBeUndefined();
    expect(f.notes?.join('\n')).toMatch(/no binary target .*pass --start "\/app\/<binary>" and --build/);
  });

  it('two equally plausible binaries: the start is a guess (--yes refuses it)', () => {
    const f = detect({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n',
      'a/Cargo.toml': '[package]\nname = "alpha"\n',
      'a/src/main.rs': 'fn main() {}\n',
      'b/Cargo.toml': '[package]\nname = "beta"\n',
      'b/src/main.rs': 'fn main() {}\n',
    });
    expect(f.start?.guess).toMatch(/2 binaries/);
  });

  it('a loopback listen address is a note; warp and Rocket ports; health_check and match-arm routes', () => {
    const warp = detect({
      ...APP,
      'src/main.rs':
        'fn main() {\n    warp::serve(routes).run(([127, 0, 0, 1], 3030));\n}\nconst R: &str = "127.0.0.1:3030";\n',
    });
    expect(warp.port?.value).toBe(3030);
    expect(warp.notes?.join('\n')).toMatch(/listens on loopback only/);
    const rocket = detect({
      'Cargo.toml': '[package]\nname = "r"\n[dependencies]\nrocket = "0.5"\n',
      'src/main.rs': '#[get("/health_check")]\nfn h() {}\n',
    });
    expect(rocket.port).toEqual({ value: 8000, source: expect.stringMatching(/Rocket's default port/) as unknown });
    expect(rocket.healthPath?.value).toBe('/health_check');
    const std = detect({
      ...APP,
      'src/main.rs': 'fn route(p: &str) -> u16 { match p { "/livez" => 200, _ => 404 } }\n',
    });
    expect(std.healthPath?.value).toBe('/livez');
  });
});

describe('rust profile', () => {
  const p = profileFor('rust');
  it('versions, start validation, probe argv', () => {
    expect(p.normalizeVersion('1.83.0')).toBe('1.83');
    expect(() => p.normalizeVersion('stable')).toThrow(/Rust release/);
    expect(p.checkStart(['/app/my_server'], { name: 'x' })).toBeUndefined();
    expect(p.checkStart(['cargo', 'run'], { name: 'x' })).toMatch(/compiled binary/);
    expect(p.healthcheck('distroless', 8080, '/')).toEqual([
      '/app/healthcheck',
      '--any-status',
      'http://127.0.0.1:8080/',
    ]);
    expect(p.healthcheck('scratch', 8080, '/healthz')).toEqual(['/app/healthcheck', 'http://127.0.0.1:8080/healthz']);
    expect(p.images('1.88', 'distroless')).toEqual({
      builder: 'rust:1.88-bookworm',
      final: 'gcr.io/distroless/cc-debian12:nonroot',
    });
    expect(p.images('1.88', 'scratch')).toEqual({ builder: 'rust:1.88-alpine', final: 'scratch' });
    expect(p.defaultUser('distroless')).toBe(65532);
    expect(p.defaultUser('alpine')).toBe(10001);
  });
});

describe('rust generation', () => {
  it('distroless: fetch layer with placeholders, cache mounts, glibc final, exec-form probe and entrypoint, self-check clean', async () => {
    const r = await gen(APP);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const df = r.read('Dockerfile');
    const ins = instructions(df);
    expect(ins.filter((i) => i.kw === 'FROM').map((i) => i.args)).toEqual([
      `rust:${profileFor('rust').defaultVersion}-bookworm AS build`,
      'gcr.io/distroless/cc-debian12:nonroot AS runtime',
    ]);
    const runs = ins.filter((i) => i.kw === 'RUN').map((i) => i.args);
    // (the parser leaves the --mount flags out of the arguments: they are read from the text)
    expect(df).toMatch(
      /^RUN --mount=type=cache,target=\/usr\/local\/cargo\/registry --mount=type=cache,target=\/usr\/local\/cargo\/git \\$/m,
    );
    expect(runs[0]).toMatch(
      /touch src\/main\.rs src\/lib\.rs\s+&& cargo fetch --locked\s+&& rm -f src\/main\.rs src\/lib\.rs/,
    );
    expect(df).toMatch(/--mount=type=cache,id=cargo-target-svc-gnu,target=\/src\/target \\$/m);
    expect(runs[1]).toMatch(/cp target\/release\/svc \/out\/svc/);
    // the manifests are copied before the fetch, the sources after it
    const order = ins.map((i) => `${i.kw} ${i.args}`);
    expect(order.findIndex((x) => x.startsWith('COPY Cargo.toml Cargo.lock'))).toBeLessThan(
      order.findIndex((x) => x.startsWith('RUN')),
    );
    expect(ins.filter((i) => i.kw === 'ENTRYPOINT').map((i) => i.args)).toEqual(['["/app/svc"]']);
    expect(df).toMatch(/^USER 65532:65532$/m);
    expect(df).toMatch(/^ {2}CMD \["\/app\/healthcheck", "http:\/\/127\.0\.0\.1:3000\/healthz"\]$/m);
    expect(r.read('deploy/healthcheck/healthcheck.rs')).toContain('fn main()');
    const files = ['Dockerfile', 'compose.yaml'].map((path) => ({ path, contents: r.read(path) }));
    expect(auditGenerated(files).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('scratch: a musl build on the alpine image, CA bundle copied; alpine: package manager removed', async () => {
    const s = await gen(APP, ['--flavor', 'scratch']);
    expect(s.code).toBe(0);
    const df = s.read('Dockerfile');
    expect(df).toMatch(/^FROM rust:[\d.]+-alpine AS build$/m);
    expect(df).toMatch(/^RUN apk add --no-cache musl-dev$/m);
    expect(df).toMatch(/id=cargo-target-svc-musl/);
    expect(df).toMatch(/^FROM scratch AS runtime$/m);
    expect(df).toMatch(/^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt/m);
    expect(df).toMatch(/^USER 10001:10001$/m);
    const a = await gen(APP, ['--flavor', 'alpine']);
    expect(a.read('Dockerfile')).toMatch(/^RUN rm -rf \/sbin\/apk /m);
  });

  it('--start naming another binary: the detected build follows it; a build of your own for another binary is refused', async () => {
    const ws = {
      'Cargo.toml': '[workspace]\nmembers = ["api", "worker"]\n',
      'Cargo.lock': 'version = 3\n',
      'api/Cargo.toml': '[package]\nname = "api"\n',
      'api/src/main.rs': 'fn main() {}\n',
      'worker/Cargo.toml': '[package]\nname = "worker"\n',
      'worker/src/main.rs': 'fn main() {}\n',
    };
    const ok = await gen(ws, ['--start', '/app/worker']);
    expect(ok.err).toBe('');
    expect(ok.read('Dockerfile')).toMatch(/cargo build --release --locked -p worker --bin worker/);
    expect(ok.read('Dockerfile')).toMatch(/^ENTRYPOINT \["\/app\/worker"\]$/m);
    const bad = await gen(ws, ['--start', '/app/worker', '--build', 'cargo build --release --bin api']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /--build: builds the binary api but --start runs \/app\/worker: pass --build "cargo build --release --locked -p worker --bin worker"/,
    );
  });

  it('sqlx sets SQLX_OFFLINE in the build stage only; configuration read at run time is copied; Rocket gets its address', async () => {
    const r = await gen({
      'Cargo.toml': '[package]\nname = "news"\n[dependencies]\nrocket = "0.5"\nsqlx = "0.8"\n',
      'Cargo.lock': 'version = 3\n',
      'Rocket.toml': '[default]\nport = 8001\n',
      'configuration/base.yaml': 'port: 1\n',
      'src/main.rs': 'fn main() { let _ = config::File::with_name("configuration/base"); }\n',
    });
    expect(r.code).toBe(0);
    const df = r.read('Dockerfile');
    const runtime = df.slice(df.indexOf('AS runtime'));
    expect(df.slice(0, df.indexOf('AS runtime'))).toMatch(/^ENV SQLX_OFFLINE=true$/m);
    expect(runtime).not.toMatch(/SQLX_OFFLINE/);
    expect(runtime).toMatch(/^ENV ROCKET_ADDRESS=0\.0\.0\.0$/m);
    expect(runtime).toMatch(/^ENV ROCKET_PORT=8001$/m);
    expect(runtime).toMatch(/^COPY --from=build \/src\/configuration\/ \/app\/configuration\/$/m);
    expect(runtime).toMatch(/^COPY --from=build \/src\/Rocket\.toml \/app\/Rocket\.toml$/m);
  });

  it('--secrets-helper writes src/secrets.rs', async () => {
    const r = await gen(APP, ['--secret', 'db_password', '--secrets-helper']);
    expect(r.code).toBe(0);
    expect(r.read('src/secrets.rs')).toMatch(/pub fn read\(name: &str\) -> Result<String, SecretError>/);
  });
});

const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
const haveRustc = rustc.status === 0;

(haveRustc ? describe : describe.skip)(
  `the Rust probe, compiled with ${haveRustc ? rustc.stdout.trim() : 'rustc (not installed here: skipped)'}`,
  () => {
    it('healthy on 2xx, unhealthy on 5xx and when nothing listens; --any-status accepts any answer', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sc-rust-probe-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'healthcheck.rs'), rustProbeSource('test'));
      const c = spawnSync(
        'rustc',
        ['--edition', '2021', '-C', 'opt-level=0', '-o', join(dir, 'healthcheck'), join(dir, 'healthcheck.rs')],
        {
          encoding: 'utf8',
        },
      );
      expect(c.stderr).toBe('');
      const server = createServer((q, s) => {
        s.statusCode = q.url === '/healthz' ? 200 : 503;
        s.end('x');
      });
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
      const port = (server.address() as AddressInfo).port;
      // asynchronously: the server answering the probe runs in this process's event loop
      const run = (args: string[]): Promise<number | null> =>
        new Promise((res) => {
          const ch = spawn(join(dir, 'healthcheck'), args);
          ch.on('exit', (code) => {
            res(code);
          });
        });
      try {
        expect(await run([`http://127.0.0.1:${port}/healthz`])).toBe(0);
        expect(await run([`http://127.0.0.1:${port}/broken`])).toBe(1);
        expect(await run(['--any-status', `http://127.0.0.1:${port}/broken`])).toBe(0);
        expect(await run(['http://127.0.0.1:1/'])).toBe(1);
        expect(await run([])).toBe(2);
      } finally {
        server.close();
      }
    }, 120_000);
  },
);
