// Fixtures modelled on real repositories (test/fixtures/real/, issue 10) that can build on this
// machine (npm-only Node apps, vendored or dependency-free Go, dependency-free Python) carry an
// `e2e` entry: generate with `init --yes` (plus the fixture's args), build with podman, run the
// image read-only as its own USER, get an answer on the expected path, and run the image's own
// HEALTHCHECK probe inside it. E2E_APPS=real runs only this file; E2E_REAL=<name,…> single fixtures.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness.js';

interface Expected {
  args?: string[];
  exit?: number;
  e2e?: { probe: string };
}

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const only = (process.env.E2E_REAL ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('real') || only.length > 0;
const REAL = path.join(h.REPO, 'test', 'fixtures', 'real');

const fixtures = fs.existsSync(REAL)
  ? fs
      .readdirSync(REAL, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => ({
        name: e.name,
        expected: JSON.parse(fs.readFileSync(path.join(REAL, e.name, 'expected.json'), 'utf8')) as Expected,
      }))
      .filter((f) => f.expected.e2e && (f.expected.exit ?? 0) === 0 && (only.length === 0 || only.includes(f.name)))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
  : [];

const dirs: string[] = [];
const cleanup: (() => void)[] = [];

beforeAll(() => {
  if (enabled && fixtures.length) h.checkTools();
});

afterAll(() => {
  for (const c of cleanup) c();
  if (process.env.E2E_KEEP !== '1') for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Poll the fixture's own probe path (not /healthz: each app has its own) until it answers 2xx/3xx or 60 s pass. */
async function answerOn(port: number, path: string): Promise<number | undefined> {
  const end = Date.now() + 60_000;
  let last: number | undefined;
  while (Date.now() < end) {
    try {
      last = (await h.httpGet('127.0.0.1', port, path, 1000)).status;
      if (last < 400) return last;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/** The exec-form probe of a `HEALTHCHECK … CMD ["a", "b"]` line. */
function probeArgv(line: string | undefined): string[] {
  const m = /CMD\s+(\[.*\])\s*$/s.exec(line ?? '');
  if (!m) throw new Error(`no exec-form HEALTHCHECK in the generated Dockerfile: ${line ?? '(none)'}`);
  return JSON.parse(m[1]) as string[];
}

(enabled && fixtures.length ? describe : describe.skip)('fixtures modelled on real repositories build and run', () => {
  it.each(fixtures.map((f, i) => [f.name, f, 18200 + i] as const))(
    '%s',
    async (name, f, hostPort) => {
      const base = path.join(h.E2E_ROOT, 'runs');
      fs.mkdirSync(base, { recursive: true });
      const dir = fs.mkdtempSync(path.join(base, `real-${name}-`));
      dirs.push(dir);
      fs.cpSync(path.join(REAL, name), dir, { recursive: true, filter: (s) => !s.endsWith('expected.json') });
      h.generate(dir, f.expected.args ?? []);
      const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
      h.ensureImages(df.baseImages, `test/fixtures/real/${name}`);
      const tag = `localhost/e2e-real-${name}:local`;
      const container = `e2e-real-${name}`;
      const remove = (): void => {
        h.run('podman', ['rm', '-f', container]);
        h.run('podman', ['rmi', '-f', tag]);
      };
      cleanup.push(remove);
      // a run stopped before its cleanup (Ctrl-C, a killed job) leaves its container, and the name is taken
      h.run('podman', ['rm', '-f', container]);
      h.build(dir, tag, df);
      const port = Number(df.expose[0]);
      // the app's named volumes and tmpfs mounts, as compose.yaml declares them (data directories are
      // writable only there: the root filesystem is read-only)
      const compose = h.readCompose(dir) as { services: Record<string, { volumes?: string[]; tmpfs?: string[] }> };
      const app = Object.values(compose.services)[0] ?? {};
      const mounts = [
        ...(app.volumes ?? [])
          .filter((v) => !v.startsWith('.') && !v.includes('/run/secrets'))
          .flatMap((v, i) => ['-v', `${container}-${i}:${v.slice(v.indexOf(':') + 1)}`]),
        ...(app.tmpfs ?? []).flatMap((t) => ['--tmpfs', t]),
      ];
      const volumes = mounts.filter((m, i) => mounts[i - 1] === '-v').map((m) => m.slice(0, m.indexOf(':')));
      cleanup.push(() => {
        for (const v of volumes) h.run('podman', ['volume', 'rm', '-f', v]);
      });
      h.must('podman', [
        'run',
        '-d',
        '--name',
        container,
        '--read-only',
        ...mounts,
        '-p',
        `127.0.0.1:${hostPort}:${port}`,
        tag,
      ]);
      const status = await answerOn(hostPort, f.expected.e2e?.probe ?? '/');
      if (status === undefined || status >= 400) {
        const logs = h.run('podman', ['logs', '--tail', '30', container]);
        throw new Error(
          `${name}: ${f.expected.e2e?.probe ?? '/'} answered ${String(status)}\n${logs.stdout}${logs.stderr}`,
        );
      }
      // the image's own probe passes inside the running container (no shell, no curl needed)
      const probe = await h.healthyByHand(container, ['CMD', ...probeArgv(df.healthcheck)], 30_000);
      expect(probe.code).toBe(0);
      expect(df.finalUser).toMatch(/^\d+:\d+$/);
      // one container at a time: the next fixture's build does not compete with this one
      remove();
    },
    600_000,
  );
});
