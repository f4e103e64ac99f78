// --pin-digests and `secure-container pin` against a real registry (issue 16 item 2): Debian's
// docker-registry runs locally as the team's mirror (test/e2e/registry.ts), the stand-in base images
// are pushed to it, the example is generated with `--registry <mirror> --pin-digests`, every FROM
// digest is compared with the one the registry reports, and the pinned Dockerfile is built in an
// isolated podman store that can only pull from the mirror (so the pull by digest really happens).
// Then a tag moves in the registry: `pin --check` exits 1, `pin` rewrites, the new digest is the
// registry's. E2E_APPS=pin runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';
import { isolatedStore, startRegistry, type IsolatedStore, type Registry } from './registry.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('pin');
const PREFIX = 'mirror';
const EXAMPLE = path.join(h.REPO, 'examples', 'node-app');

let reg: Registry;
let store: IsolatedStore;
const dirs: string[] = [];
let built = '';

function copyExample(name: string): string {
  const base = path.join(h.E2E_ROOT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `pin-${name}-`));
  dirs.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** `<host>/<repo>:<tag>@<digest>` -> its parts (the host is the mirror's 127.0.0.1:<port>). */
function parts(ref: string): { repo: string; tag: string; digest: string | null } {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const rest = name.slice(reg.host.length + 1);
  const colon = rest.lastIndexOf(':');
  return { repo: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
}

function pin(dir: string, args: string[]): h.RunResult {
  return h.run(process.execPath, [h.BIN, 'pin', ...args], { cwd: dir, timeoutMs: 120_000 });
}

(enabled ? describe : describe.skip)('digest pinning against a local docker-registry', () => {
  beforeAll(async () => {
    h.checkTools();
    reg = await startRegistry();
    store = isolatedStore(reg.host);
  }, 120_000);

  afterAll(async () => {
    if (built) h.run('podman', ['rmi', '-f', built], { env: store.env });
    await store.destroy();
    await reg.stop();
    if (process.env.E2E_KEEP !== '1') for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }, 300_000);

  it('generates FROM name:tag@<the registry’s digest>, builds from the mirror by digest, and pin keeps up', async () => {
    const mirror = `${reg.host}/${PREFIX}`;
    // 1. unpinned: which bases the example needs; push their stand-ins to the mirror
    const plain = copyExample('plain');
    h.generate(plain, ['--registry', mirror, '--name', 'e2e-pin']);
    const bases = h.readDockerfile(fs.readFileSync(path.join(plain, 'Dockerfile'), 'utf8')).baseImages;
    expect(bases.length).toBeGreaterThan(0);
    const upstreams = [...new Set(bases.map((b) => b.slice(mirror.length + 1).replace(/^docker\.io\/library\//, '')))];
    h.ensureImages(upstreams, 'pin.test.ts');
    for (const u of upstreams) reg.mirror(u, PREFIX);
    // the `# syntax=` frontend is pinned too (BuildKit runs it before any FROM); podman ignores the
    // directive, so any image stands in for docker/dockerfile:1 in the mirror
    const frontend = `${PREFIX}/docker.io/docker/dockerfile:1`;
    reg.push(h.qualify(upstreams[0]), frontend);

    // 2. pinned: every FROM carries the digest the registry reports for its tag
    const dir = copyExample('pinned');
    h.generate(dir, ['--registry', mirror, '--name', 'e2e-pin', '--pin-digests']);
    const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    expect(df.baseImages.length).toBe(bases.length);
    for (const ref of df.baseImages) {
      const p = parts(ref);
      expect(p.digest).toBe(await reg.digest(p.repo, p.tag));
    }
    const syntax = /^# syntax=(\S+)$/m.exec(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'))?.[1] ?? '';
    expect(syntax).toBe(`${reg.host}/${frontend}@${await reg.digest(frontend.replace(/:1$/, ''), '1')}`);
    const yo = JSON.parse(fs.readFileSync(path.join(dir, '.yo-rc.json'), 'utf8')) as Record<
      string,
      { digests?: Record<string, string> }
    >;
    expect(Object.keys(yo['generator-secure-container'].digests ?? {}).sort()).toEqual(
      [...new Set([...bases, `${reg.host}/${frontend}`])].sort(),
    );

    // 3. the pinned Dockerfile builds where the mirror is the only image source
    built = 'localhost/e2e-pin:pinned';
    h.must(
      'podman',
      ['build', '--pull=missing', '--format', 'docker', '--layers=false', '-t', built, ...h.buildArgs(df.args), '.'],
      { cwd: dir, timeoutMs: 900_000, env: store.env },
      'podman build of the pinned Dockerfile (isolated store, mirror only) failed',
    );
    expect(pin(dir, ['--check']).code).toBe(0);

    // 4. a tag moves: another image is pushed under the final base's tag
    const final = parts(df.baseImages.at(-1) ?? '');
    const other = upstreams.find((u) => !`${final.repo}:${final.tag}`.endsWith(u)) ?? upstreams[0];
    reg.push(h.qualify(other), `${final.repo}:${final.tag}`);
    const moved = await reg.digest(final.repo, final.tag);
    expect(moved).not.toBe(final.digest);
    const check = pin(dir, ['--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/stale or unpinned:\n {2}Dockerfile:\d+: .* pinned to sha256:/);
    const r = pin(dir, []);
    expect(r.code).toBe(0);
    const after = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).baseImages;
    expect(after.filter((b) => b.endsWith(`@${moved}`)).length).toBeGreaterThan(0);
    expect(pin(dir, ['--check']).code).toBe(0);
    // the state moved with the files: no drift
    expect(h.run(process.execPath, [h.BIN, 'upgrade', '--check'], { cwd: dir, timeoutMs: 120_000 }).code).toBe(0);
  }, 1_200_000);
});
