// Issue 18, item 1 (and the preset part of item 4): a repository that records a preset in
// .yo-rc.json must not get code run, files outside it read, or its content echoed. A preset is
// data (YAML/JSON, read, never imported); a recorded npm package (or a chain leaving the
// repository) is confirmed once per checkout with --trust-preset, and again when it changes; a
// recorded path must be a plain file inside the repository.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit } from '../../lib/cli/init.js';
import { runUpgradeCli } from '../../lib/cli/upgrade.js';
import { TRUST_FILE } from '../../lib/preset/trust.js';
import helpers from 'yeoman-test';
import { capture, REPO_ROOT, sandbox, treeChecksum, type Sandbox } from './sandbox.js';

const STATE_ENV = 'SECURE_CONTAINER_STATE_DIR';
let state: string;
let savedEnv: string | undefined;
beforeAll(() => {
  savedEnv = process.env[STATE_ENV];
});
afterAll(() => {
  if (savedEnv === undefined) Reflect.deleteProperty(process.env, STATE_ENV);
  else process.env[STATE_ENV] = savedEnv;
});
beforeEach(() => {
  // the trust store lives outside the sandbox (a repository must not be able to pre-trust itself)
  state = mkdtempSync(join(tmpdir(), 'sc-trust-'));
  process.env[STATE_ENV] = state;
});
const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.cleanup();
  rmSync(state, { recursive: true, force: true });
});

type Run = { code: number; out: string; err: string; all: string };
async function init(b: Sandbox, argv: string[]): Promise<Run> {
  const c = capture(b.repo);
  const code = await runInit(argv, c.io);
  return { code, out: c.out(), err: c.err(), all: c.all() };
}
async function upgrade(b: Sandbox, argv: string[] = []): Promise<Run> {
  const c = capture(b.repo);
  const code = await runUpgradeCli(argv, c.io);
  return { code, out: c.out(), err: c.err(), all: c.all() };
}

/** A generated node app (state written by a plain init) whose .yo-rc.json then records `preset`. */
async function repoRecording(preset: string): Promise<Sandbox> {
  const b = sandbox('node');
  boxes.push(b);
  expect((await init(b, ['--yes'])).code).toBe(0);
  recordPreset(b, preset);
  return b;
}
function recordPreset(b: Sandbox, preset: string): void {
  const file = join(b.repo, '.yo-rc.json');
  const yo = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  yo['generator-secure-container'].preset = preset;
  writeFileSync(file, JSON.stringify(yo, null, 2) + '\n');
}
function trustStore(): { repositories: Record<string, { ref: string; sha256: string }> } | undefined {
  const f = join(state, TRUST_FILE);
  return existsSync(f)
    ? (JSON.parse(readFileSync(f, 'utf8')) as { repositories: Record<string, { ref: string; sha256: string }> })
    : undefined;
}

/** node_modules/<name>: a package whose JavaScript would create `marker` when imported. */
function plantEvil(b: Sandbox, name: string, pkgJson: Record<string, unknown>): string {
  const marker = join(b.outside, `pwned-${name}`);
  const code = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'pwned');\nmodule.exports = { uid: 30001 };\nexport default { uid: 30001 };\n`;
  b.file(`repo/node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', ...pkgJson }));
  b.file(`repo/node_modules/${name}/index.js`, code.replace('export default { uid: 30001 };\n', ''));
  b.file(
    `repo/node_modules/${name}/index.mjs`,
    code
      .replace(
        /^require.*\n/,
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'pwned');\n`,
      )
      .replace('module.exports = { uid: 30001 };\n', ''),
  );
  return marker;
}

const UNTRUSTED = (ref: string) =>
  `the recorded preset "${ref}" is an npm package in this repository's node_modules: check it, then confirm once with --trust-preset (or pass --preset ${ref})`;

describe('a recorded npm package preset is never executed, and not read before confirmation', () => {
  const commands: [string, (b: Sandbox) => Promise<Run>][] = [
    ['init --yes', (b) => init(b, ['--yes'])],
    ['upgrade', (b) => upgrade(b)],
    ['upgrade --dry-run', (b) => upgrade(b, ['--dry-run'])],
    ['upgrade --check', (b) => upgrade(b, ['--check'])],
  ];

  for (const [label, run] of commands) {
    it(`${label}: exit 2, one line naming the preset and --trust-preset; no code run, nothing written`, async () => {
      const b = await repoRecording('evil');
      const marker = plantEvil(b, 'evil', { main: 'index.js' });
      const before = treeChecksum(b.dir);
      const r = await run(b);
      expect(r.code).toBe(2);
      expect(r.err).toContain(UNTRUSTED('evil'));
      expect(existsSync(marker)).toBe(false);
      expect(treeChecksum(b.dir)).toBe(before);
      expect(trustStore()).toBeUndefined();
    });
  }

  it('the same for a package that names its JavaScript in "secure-container-preset", an ESM main, or a symlinked (file:) dependency', async () => {
    const b = await repoRecording('evil-field');
    const markers = [
      plantEvil(b, 'evil-field', { 'secure-container-preset': 'index.js' }),
      plantEvil(b, 'evil-esm', { type: 'module', main: 'index.mjs', exports: { '.': './index.mjs' } }),
    ];
    // `npm install --ignore-scripts` of a file: dependency links node_modules/<name> to the source
    b.file(
      'repo/vendor/evil-linked/package.json',
      JSON.stringify({ name: 'evil-linked', version: '1.0.0', main: 'index.js' }),
    );
    b.file(
      'repo/vendor/evil-linked/index.js',
      `require('node:fs').writeFileSync(${JSON.stringify(join(b.outside, 'pwned-linked'))}, 'x');\n`,
    );
    b.link('repo/node_modules/evil-linked', '../vendor/evil-linked');
    markers.push(join(b.outside, 'pwned-linked'));
    const before = treeChecksum(b.dir);
    for (const ref of ['evil-field', 'evil-esm', 'evil-linked']) {
      recordPreset(b, ref);
      const snapshot = treeChecksum(b.dir);
      for (const argv of [['--check'], ['--dry-run'], []]) {
        const r = await upgrade(b, argv);
        expect(r.code).toBe(2);
        expect(r.err).toContain(UNTRUSTED(ref));
      }
      expect((await init(b, ['--yes'])).code).toBe(2);
      expect(treeChecksum(b.dir)).toBe(snapshot);
    }
    for (const m of markers) expect(existsSync(m)).toBe(false);
    expect(before).toBeDefined();
  });

  it('even confirmed (--trust-preset) or chosen with --preset, a JavaScript preset is refused with one clear error, never imported', async () => {
    const b = await repoRecording('evil');
    const marker = plantEvil(b, 'evil', { main: 'index.js' });
    const before = treeChecksum(b.dir);
    for (const r of [
      await upgrade(b, ['--trust-preset']),
      await upgrade(b, ['--check', '--trust-preset']),
      await init(b, ['--yes', '--preset', 'evil']),
    ]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /preset evil: presets are data: declare a YAML or JSON file in package\.json "secure-container-preset"/,
      );
    }
    expect(existsSync(marker)).toBe(false);
    expect(treeChecksum(b.dir)).toBe(before);
    expect(trustStore()).toBeUndefined();
  });

  it('a recorded path whose extends reaches a package asks for confirmation too', async () => {
    const b = await repoRecording('team.yaml');
    b.file('repo/team.yaml', 'extends: evil\n');
    const marker = plantEvil(b, 'evil', { main: 'index.js' });
    const r = await upgrade(b, ['--check']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'the recorded preset "team.yaml" extends the npm package "evil": check it, then confirm once with --trust-preset (or pass --preset team.yaml)',
    );
    expect(existsSync(marker)).toBe(false);
  });
});

describe('yo secure-container with a recorded package preset', () => {
  const generator = join(REPO_ROOT, 'dist/generators/app/index.js');
  const cwd = process.cwd();
  afterEach(() => {
    process.chdir(cwd); // yeoman-test chdirs into the run directory
    process.exitCode = undefined;
  });
  const yo = (b: Sandbox, options: Record<string, unknown>) =>
    helpers.run(generator, { autoCleanup: false, cwd: b.repo }).withOptions({ skipInstall: true, ...options });

  it('refuses it in initializing, runs no code and writes nothing; --trust-preset still never imports JavaScript', async () => {
    const b = await repoRecording('evil');
    const marker = plantEvil(b, 'evil', { main: 'index.js' });
    const before = treeChecksum(b.dir);
    await expect(yo(b, { yes: true })).rejects.toThrow(UNTRUSTED('evil'));
    await expect(yo(b, { yes: true, 'trust-preset': true })).rejects.toThrow(/presets are data/);
    expect(existsSync(marker)).toBe(false);
    expect(treeChecksum(b.dir)).toBe(before);
  });
});

describe('confirming a recorded YAML package preset (--trust-preset), like direnv allow', () => {
  function plantTeam(b: Sandbox, uid: number): void {
    b.file(
      'repo/node_modules/@acme/team/package.json',
      JSON.stringify({ name: '@acme/team', version: '1.0.0', 'secure-container-preset': 'presets/team.yaml' }),
    );
    b.file(
      'repo/node_modules/@acme/team/presets/team.yaml',
      `name: acme-team\nextends: ./common.yaml\nuid: ${uid}\ngid: ${uid}\n`,
    );
    b.file('repo/node_modules/@acme/team/presets/common.yaml', 'labels:\n  org.opencontainers.image.vendor: ACME\n');
  }

  it('is refused until confirmed, then works and is recorded outside the repository; a changed package asks again', async () => {
    const b = await repoRecording('@acme/team');
    plantTeam(b, 30001);
    expect((await upgrade(b, ['--check'])).err).toContain(UNTRUSTED('@acme/team'));
    expect((await upgrade(b)).code).toBe(2);

    const before = treeChecksum(b.dir);
    const check = await upgrade(b, ['--check', '--trust-preset']);
    expect(check.code).toBe(1); // confirmed: the preset now changes the uid, so the files are out of date
    expect(check.out).toMatch(/out of date/);
    expect(treeChecksum(b.dir)).toBe(before); // --check writes nothing in the repository
    const store = trustStore()!;
    const entry = store.repositories[realpathSync(b.repo)];
    expect(entry.ref).toBe('@acme/team');
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);

    // confirmed once for this checkout: later runs need no flag
    const up = await upgrade(b, ['--strategy', 'theirs']);
    expect(up.code).toBe(0);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^USER 30001:30001$/m);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toContain('org.opencontainers.image.vendor="ACME"');
    expect((await upgrade(b, ['--check'])).code).toBe(0);
    expect((await init(b, ['--yes', '--dry-run'])).code).toBe(0);

    // someone updates the package: confirm again
    plantTeam(b, 30002);
    const changed = await upgrade(b, ['--check']);
    expect(changed.code).toBe(2);
    expect(changed.err).toContain('the recorded preset "@acme/team" changed since it was confirmed for this checkout');
    expect(changed.err).toContain('--trust-preset');
    expect((await upgrade(b)).code).toBe(2);
    expect((await upgrade(b, ['--trust-preset', '--strategy', 'theirs'])).code).toBe(0);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^USER 30002:30002$/m);
    expect(trustStore()!.repositories[realpathSync(b.repo)].sha256).not.toBe(entry.sha256);
    expect((await upgrade(b, ['--check'])).code).toBe(0);
  });

  it('a trust store inside the repository is not used (the repository cannot pre-trust itself)', async () => {
    const b = await repoRecording('@acme/team');
    plantTeam(b, 30001);
    process.env[STATE_ENV] = join(b.repo, '.trust');
    const r = await upgrade(b, ['--check', '--trust-preset']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/warning: the preset trust store .* is inside this repository: not used/);
    expect(existsSync(join(b.repo, '.trust'))).toBe(false);
    expect((await upgrade(b, ['--check'])).err).toContain(UNTRUSTED('@acme/team'));
  });

  it('an unwritable trust store only warns', async () => {
    const b = await repoRecording('@acme/team');
    plantTeam(b, 30001);
    const file = join(state, 'not-a-dir');
    writeFileSync(file, '');
    process.env[STATE_ENV] = join(file, 'sub'); // mkdir fails (ENOTDIR), like a read-only home
    const r = await upgrade(b, ['--check', '--trust-preset']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/warning: could not record the confirmed preset in .*: it will be asked again next time/);
  });

  it("--preset <package> is the user's explicit choice: loaded without --trust-preset, and remembered for the recorded one", async () => {
    const b = sandbox('node');
    boxes.push(b);
    plantTeam(b, 30001);
    const r = await init(b, ['--yes', '--preset', '@acme/team']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^USER 30001:30001$/m);
    expect((await upgrade(b, ['--check'])).code).toBe(0);
  });
});

describe('a recorded preset path must be a plain file inside the repository', () => {
  const refused = (ref: string) =>
    new RegExp(
      `the recorded preset "${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not a plain file inside this repository \\(.*\\): refused, not read; pass --preset `,
    );

  async function hostile(refOf: string | ((b: Sandbox) => string), plant: (b: Sandbox) => void): Promise<void> {
    const b = await repoRecording('placeholder.yaml');
    const ref = typeof refOf === 'string' ? refOf : refOf(b);
    recordPreset(b, ref);
    b.file('outside/p.yaml', `name: outside\nlabels:\n  com.example.secret: ${b.secret}\nfixed:\n  ${b.secret}: 1\n`);
    plant(b);
    const before = treeChecksum(b.dir);
    for (const r of [
      await init(b, ['--yes']),
      await upgrade(b),
      await upgrade(b, ['--dry-run']),
      await upgrade(b, ['--check']),
      await upgrade(b, ['--check', '--trust-preset']),
    ]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(refused(ref));
      expect(r.all).not.toContain(b.secret);
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('secure-container')),
      ).toHaveLength(1);
    }
    expect(treeChecksum(b.dir)).toBe(before);
  }

  it('../outside/p.yaml is refused without reading it', () => hostile('../outside/p.yaml', () => undefined));
  it('an absolute path outside is refused', () =>
    hostile(
      (b) => join(b.outside, 'p.yaml'),
      () => undefined,
    ));
  it('a symlink leaving the repository is refused', () =>
    hostile('p.yaml', (b) => {
      b.link('repo/p.yaml', '../outside/p.yaml');
    }));
  it('a symlinked directory on the way is refused', () =>
    hostile('presets/p.yaml', (b) => {
      b.link('repo/presets', '../outside');
    }));
  it('a FIFO in the repository is refused without opening it', () =>
    hostile('fifo.yaml', (b) => {
      execFileSync('mkfifo', [join(b.repo, 'fifo.yaml')]);
    }));

  it('an extends chain from a repository file to a file outside asks for confirmation, without reading it', async () => {
    const b = await repoRecording('team.yaml');
    b.file('repo/team.yaml', 'extends: ../outside/p.yaml\n');
    b.file('outside/p.yaml', `labels:\n  com.example.x: ${b.secret}\n  Bad Key: ${b.secret}\n`);
    const r = await upgrade(b, ['--check']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'the recorded preset "team.yaml" extends "../outside/p.yaml", a file outside this repository: check it, then confirm once with --trust-preset',
    );
    expect(r.all).not.toContain(b.secret);
    // confirmed: read as data; its invalid key is named, its values are not echoed
    const t = await upgrade(b, ['--check', '--trust-preset']);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/labels\["Bad Key"\]: invalid name/);
    expect(t.all).not.toContain(b.secret);
  });

  it('a plain file inside the repository is used as before', async () => {
    const b = await repoRecording('presets/team.yaml');
    b.file('repo/presets/team.yaml', 'uid: 30003\ngid: 30003\n');
    const r = await upgrade(b, ['--strategy', 'theirs']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^USER 30003:30003$/m);
    expect(trustStore()).toBeUndefined();
  });
});

describe("--preset <path> is the user's choice: anywhere, still data only and capped", () => {
  it('a path outside the repository works', async () => {
    const b = sandbox('node');
    boxes.push(b);
    b.file('outside/team.yaml', 'uid: 30004\ngid: 30004\n');
    const r = await init(b, ['--yes', '--preset', '../outside/team.yaml']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^USER 30004:30004$/m);
    // recorded as an absolute path: a later run without --preset refuses it (not inside the repository)
    const again = await upgrade(b, ['--check']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/is not a plain file inside this repository \(it is outside the repository\)/);
    expect((await upgrade(b, ['--check', '--preset', '../outside/team.yaml'])).code).toBe(0);
  });

  it('/dev/zero, a FIFO and a file over 1 MiB are refused quickly with a clear message', async () => {
    const b = sandbox('node');
    boxes.push(b);
    execFileSync('mkfifo', [join(b.outside, 'fifo.yaml')]);
    b.file('outside/big.yaml', `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const before = treeChecksum(b.dir);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /preset \/dev\/zero: cannot read: is a device \(only regular files are read\)/],
      ['../outside/fifo.yaml', /preset .*fifo\.yaml: cannot read: is a named pipe \(only regular files are read\)/],
      ['../outside/big.yaml', /preset .*big\.yaml: cannot read: is larger than 1 MiB/],
    ];
    for (const [ref, message] of cases) {
      const t0 = Date.now();
      const r = await init(b, ['--yes', '--preset', ref]);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(treeChecksum(b.dir)).toBe(before);
  });
});

describe('errors about an invalid preset never echo its values', () => {
  const SECRET = 'ghp_Zx9SECRETvalue0123456789abcdefABCDEF';
  const cases: [string, string, RegExp][] = [
    ['unknown.yaml', `fixed:\n  port: 8080\n  tokn: ${SECRET}\n`, /fixed: unknown field "tokn"/],
    ['unknown-top.yaml', `apiToken: ${SECRET}\n`, /\(top level\): unknown field "apiToken"|unknown field "apiToken"/],
    ['bad-yaml.yaml', `fixed:\n  port: [${SECRET}\n`, /is not valid YAML \([A-Z_]+ at line \d+, column \d+\)/],
    ['bad-json.json', `{"fixed": {"port": ${SECRET}}}`, /is not valid JSON/],
    ['bad-value.yaml', `fixed:\n  vaultAddr: "https://user:${SECRET}@vault.example.com"\n`, /fixed\.vaultAddr: /],
    [
      'bad-label.yaml',
      `labels:\n  com.example.token: "${SECRET}\\"quoted"\n`,
      /labels\["com\.example\.token"\]: must match/,
    ],
    [
      'registry.yaml',
      `registry: mirror.example.com/${SECRET.toLowerCase()}\nallowedRegistries: [registry.internal.example]\n`,
      /registry: is not covered by allowedRegistries/,
    ],
    [
      'contradiction.yaml',
      `uid: 30001\nfixed:\n  uid: 30002\n  healthPath: "/${SECRET} x"\n`,
      /uid: contradicts fixed\.uid/,
    ],
  ];
  for (const [file, text, message] of cases) {
    it(`${file}: names the field, not the value`, async () => {
      const b = sandbox('node');
      boxes.push(b);
      b.file(`outside/${file}`, text);
      b.file(`repo/${file}`, text);
      for (const ref of [`../outside/${file}`, file]) {
        const r = await init(b, ['--yes', '--preset', ref]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(message);
        expect(r.all).not.toContain(SECRET);
        expect(r.all.toLowerCase()).not.toContain(SECRET.toLowerCase());
        expect(r.all).not.toContain('SECRETvalue');
      }
    });
  }
});
