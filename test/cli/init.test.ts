import { FLAVORS } from '../../lib/core/types.js';
// `secure-container init` in-process: exit codes, --dry-run, --help, the safe-write rules and the
// plan's warnings for explicit choices.
import { runtimeNames } from '../../lib/runtimes/index.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../lib/cli/init.js';

const example = fileURLToPath(new URL('../../../examples/node-app', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-init-'));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  return dir;
}

async function init(dir: string, argv: string[], interactive = false, columns?: number) {
  let out = '';
  let err = '';
  const code = await runInit(argv, {
    cwd: dir,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive,
    ...(columns ? { columns } : {}),
  });
  return { code, out, err };
}

describe('secure-container init', () => {
  it('prints every detected fact and answer with its source, then writes', async () => {
    const dir = app();
    const r = await init(dir, ['--yes']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/runtime: node \(from package\.json\)/);
    expect(r.out).toMatch(/--port +3000 +\(detected from server\.js:\d+/);
    expect(r.out).toMatch(/create +Dockerfile/);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(
      /^ENTRYPOINT \["\/nodejs\/bin\/node", "server\.js"\]$/m,
    );
  });

  it('lists each file once and the generator state as one line; ends with the next steps', async () => {
    const dir = app();
    const r = await init(dir, ['--yes']);
    expect(r.out.match(/^ {2}create +Dockerfile /gm)).toHaveLength(1);
    expect(r.out).toMatch(/^ {2}create +generator state: \.yo-rc\.json, \.secure-container\/ \(6 files\)$/m);
    expect(r.out).not.toMatch(/pristine|manifest\.json/);
    expect(r.out).toMatch(/Wrote 4 file\(s\)\.\n\nNext steps:\n {2}1\. Build, tagged with the git commit:\n/);
    expect(r.out).not.toMatch(/Create the secret files/);
    const again = await init(dir, ['--yes']);
    expect(again.out).toMatch(/^ {2}identical generator state: /m);
    expect(again.out).not.toMatch(/Next steps/);
  });

  it('on a narrow terminal, long plan lines wrap between words, never inside one', async () => {
    const dir = app();
    const wide = await init(dir, ['--yes', '--dry-run']);
    const narrow = await init(dir, ['--yes', '--dry-run'], false, 60);
    const long = wide.out.split('\n').filter((l) => l.length > 60);
    expect(long.length).toBeGreaterThan(0);
    // every line fits, unless it is one word that cannot be split
    for (const l of narrow.out.split('\n')) if (l.length > 60) expect(l.trim()).not.toMatch(/ /);
    // the same words in the same order: wrapping only turned spaces into line breaks
    const words = (t: string) => t.split(/\s+/).filter(Boolean);
    expect(words(narrow.out)).toEqual(words(wide.out));
  });

  it('--dry-run writes nothing', async () => {
    const dir = app();
    const before = readdirSync(dir).sort();
    const r = await init(dir, ['--yes', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nothing written/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('asks for --yes when there is no terminal, and writes nothing', async () => {
    const dir = app();
    const r = await init(dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/pass --yes/);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });

  it('exits 2 naming the flag on bad input, and 2 on an unknown flag', async () => {
    const dir = app();
    expect((await init(dir, ['--yes', '--port', '22'])).err).toMatch(/--port: must be an integer from 1024 to 65535/);
    const unknown = await init(dir, ['--yes', '--prot', '8080']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--prot/);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });

  it('exits 1 and writes nothing when a file it would overwrite was changed, --force overwrites', async () => {
    const dir = app();
    await init(dir, ['--yes']);
    writeFileSync(join(dir, 'compose.yaml'), '# mine\n');
    const readmeBefore = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
    const r = await init(dir, ['--yes', '--port', '4000']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Nothing was written: compose\.yaml has changes of yours/);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('# mine\n');
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).toBe(readmeBefore);
    expect((await init(dir, ['--yes', '--port', '4000', '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toMatch(/127\.0\.0\.1:4000:4000/);
  });

  it('reports "Nothing changed" on a re-run with the same answers', async () => {
    const dir = app();
    await init(dir, ['--yes', '--data-dir', '/data']);
    const r = await init(dir, ['--yes']);
    expect(r.out).toMatch(/identical Dockerfile/);
    expect(r.out).toMatch(/Nothing changed\./);
  });

  it('shows an explicit --bind 0.0.0.0 as a warning with the rule id, even when a preset makes that rule an error', async () => {
    const dir = app();
    writeFileSync(join(dir, 'team.yaml'), 'name: strict\naudit:\n  severity:\n    SC2009: error\n');
    const r = await init(dir, ['--yes', '--bind', '0.0.0.0', '--preset', './team.yaml']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WARNING: the app port is published on 0\.0\.0\.0/);
    expect(r.out).toMatch(/SC2009 compose\.yaml:\d+/);
  });

  it('--help lists every option with its default', async () => {
    const r = await init(app(), ['--help']);
    expect(r.code).toBe(0);
    for (const f of [
      `--runtime <${runtimeNames().join('|')}>`,
      `--flavor <${FLAVORS.join('|')}>`,
      '--secret-provider <file|vault|aws>',
      '--no-build',
      '--yes',
      '--force',
    ])
      expect(r.out).toContain(f);
    expect(r.out).toMatch(/--port <integer> +.*Default: detected from code\/config, else node 3000/);
  });
});
