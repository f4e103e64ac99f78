// A corrupt .yo-rc.json or .secure-container/manifest.json: `init --yes` (in-process and the
// bundled bin) and the Yeoman generator refuse with one clear line naming the file and what to do,
// exit 2 like `upgrade`, no stack trace, nothing written.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { runInit } from '../../lib/cli/init.js';
import { runGeneratorInteractive } from '../../lib/cli/interactive.js';
import { runUpgradeCli } from '../../lib/cli/upgrade.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(repo, 'examples/node-app');
const bin = join(repo, 'dist/bin/secure-container.js');
const generator = join(repo, 'dist/generators/app/index.js');
const ORIGINAL_CWD = process.cwd();

const dirs: string[] = [];
afterEach(() => {
  process.chdir(ORIGINAL_CWD);
  process.exitCode = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-state-'));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  return dir;
}

async function init(dir: string, argv: string[]) {
  let out = '';
  let err = '';
  const code = await runInit(argv, {
    cwd: dir,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
  });
  return { code, out, err };
}

/** Every file under dir with its contents (to show nothing was written). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length + 1)] = readFileSync(p, 'utf8');
  }
  return out;
}

type Corruption = [name: string, file: RegExp, make: (dir: string) => Promise<void>];

const CORRUPTIONS: Corruption[] = [
  [
    '.yo-rc.json that is not JSON',
    /^secure-container: \.yo-rc\.json: is not valid JSON .*restore it from version control$/m,
    (dir) => {
      writeFileSync(join(dir, '.yo-rc.json'), '{bad');
      return Promise.resolve();
    },
  ],
  [
    'a manifest that is not JSON',
    /^secure-container: \.secure-container\/manifest\.json: is not valid JSON .*restore it from version control$/m,
    async (dir) => {
      expect((await init(dir, ['--yes'])).code).toBe(0);
      writeFileSync(join(dir, '.secure-container/manifest.json'), '{"version": 1');
    },
  ],
  [
    'a manifest with a bad field',
    /^secure-container: \.secure-container\/manifest\.json: "answersHash" must be a sha256 hex digest: fix it, or restore it from version control$/m,
    async (dir) => {
      expect((await init(dir, ['--yes'])).code).toBe(0);
      const p = join(dir, '.secure-container/manifest.json');
      writeFileSync(p, JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), answersHash: 'x' }));
    },
  ],
];

describe('corrupt generation state', () => {
  it.each(CORRUPTIONS)(
    'init --yes on %s: exit 2, one line naming the file and what to do, nothing written',
    async (_name, line, make) => {
      const dir = app();
      await make(dir);
      const before = snapshot(dir);
      const r = await init(dir, ['--yes']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(line);
      expect(r.err).toMatch(/\nNothing was written\.\n$/);
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(r.out).toBe('');
      expect(snapshot(dir)).toEqual(before);
      // upgrade refuses the same file the same way
      let uerr = '';
      expect(await runUpgradeCli([], { cwd: dir, stdout: () => undefined, stderr: (s) => (uerr += s) })).toBe(2);
      expect(uerr).toMatch(/(\.yo-rc\.json|manifest\.json): /);
    },
  );

  it.each(CORRUPTIONS)('the bundled bin on %s: exit 2, no stack trace', async (_name, line, make) => {
    expect(existsSync(bin)).toBe(true);
    const dir = app();
    await make(dir);
    const before = snapshot(dir);
    const r = spawnSync(process.execPath, [bin, 'init', '--yes'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr.trim().split('\n')).toHaveLength(2); // the line, then "Nothing was written."
    expect(snapshot(dir)).toEqual(before);
  });

  it.each(CORRUPTIONS)(
    'the Yeoman generator on %s: fails with the same message, no stack trace, nothing written',
    async (_name, line, make) => {
      const dir = app();
      await make(dir);
      const before = snapshot(dir);
      let error: Error | undefined;
      try {
        const options: Record<string, unknown> = { yes: true, skipInstall: true };
        await helpers.run(generator, { autoCleanup: false, cwd: dir }).withOptions(options);
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeDefined();
      expect(error!.name).toBe('StateError');
      expect(`secure-container: ${error!.message}`).toMatch(new RegExp(line.source.replace(/\$$/, ''), 'm'));
      expect(error!.message).toMatch(/Nothing was written\.$/);
      // what `yo` prints for a failed generator is the error's stack: here only the message
      expect(error!.stack).toBe(`secure-container: ${error!.message}`);
      expect(process.exitCode).toBe(2);
      process.chdir(ORIGINAL_CWD);
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it.each(CORRUPTIONS)(
    'interactive init (the generator through yeoman-environment) on %s: exit 2, the same line',
    async (_name, line, make) => {
      const dir = app();
      await make(dir);
      const before = snapshot(dir);
      let err = '';
      const code = await runGeneratorInteractive([], {
        cwd: dir,
        stdout: () => undefined,
        stderr: (s) => (err += s),
        interactive: true,
      });
      expect(code).toBe(2);
      expect(err).toMatch(new RegExp(line.source.replace(/\$$/, ''), 'm'));
      expect(err).not.toMatch(/^\s+at /m);
      process.chdir(ORIGINAL_CWD);
      expect(snapshot(dir)).toEqual(before);
    },
  );
});
