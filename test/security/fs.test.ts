// Issue 18, items 2, 3, 4 and 6: hostile repositories that point generated paths, state files or
// directories on the way at files outside the repository, or at /dev/zero and FIFOs. Each case
// runs the real command in-process and asserts the safe outcome: outside/ unchanged (tree
// checksum), no output containing the planted secret, a clear one-line refusal.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit } from '../../lib/audit/cli.js';
import { runInit } from '../../lib/cli/init.js';
import {
  entryKind,
  readInside,
  readRegularBytes,
  readRegularFile,
  readTextStrict,
  removeInside,
  UnsafePathError,
  writeFilesInside,
} from '../../lib/fs/safe.js';
import { runUpgrade } from '../../lib/upgrade/run.js';
import { parseState } from '../../lib/state/index.js';
import helpers from 'yeoman-test';
import { capture, REPO_ROOT, sandbox, treeChecksum, type Sandbox } from './sandbox.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.cleanup();
});
function box(app?: 'node'): Sandbox {
  const b = sandbox(app);
  boxes.push(b);
  return b;
}

async function init(b: Sandbox, argv: string[]) {
  const c = capture(b.repo);
  const code = await runInit(argv, c.io);
  return { code, out: c.out(), err: c.err(), all: c.all() };
}
async function upgrade(b: Sandbox, o: { dryRun?: boolean; check?: boolean } = {}) {
  const c = capture(b.repo);
  const code = await runUpgrade({
    root: b.repo,
    argvAnswers: {},
    dryRun: o.dryRun ?? false,
    check: o.check ?? false,
    yes: true,
    io: c.io,
  });
  return { code, out: c.out(), err: c.err(), all: c.all() };
}
async function audit(b: Sandbox, argv: string[]) {
  const c = capture(b.repo);
  const code = await runAudit(argv, c.io);
  return { code, out: c.out(), err: c.err(), all: c.all() };
}
const mkfifo = (p: string): void => void execFileSync('mkfifo', [p]);
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('lib/fs/safe.ts', () => {
  it('reads regular files only, capped, never through a final symlink or a linked directory', () => {
    const b = box();
    b.file('repo/a.txt', 'hello');
    b.file('repo/big.txt', Buffer.alloc(2048, 0x61));
    b.file('outside/s.txt', b.secret);
    b.link('repo/link.txt', '../outside/s.txt');
    b.link('repo/dir', '../outside');
    b.link('repo/zero', '/dev/zero');
    mkfifo(join(b.repo, 'fifo'));
    expect(readInside(b.repo, 'a.txt')).toMatchObject({ ok: true, text: 'hello' });
    expect(readInside(b.repo, 'big.txt', { maxBytes: 1024 })).toMatchObject({ ok: false, why: 'too-large' });
    expect(readInside(b.repo, 'link.txt')).toMatchObject({ ok: false, why: 'symlink' });
    expect(readInside(b.repo, 'zero')).toMatchObject({ ok: false, why: 'symlink' });
    expect(readInside(b.repo, 'fifo')).toMatchObject({ ok: false, why: 'not-regular' }); // and it does not hang
    expect(readRegularFile('/dev/zero')).toMatchObject({ ok: false, why: 'not-regular' });
    // the audit's read (bytes, decoded by the caller) refuses what readRegularFile refuses
    expect(readRegularBytes(join(b.repo, 'a.txt'))).toEqual({ ok: true, bytes: Buffer.from('hello') });
    for (const name of ['big.txt', 'link.txt', 'zero', 'fifo', 'missing'])
      expect(readRegularBytes(join(b.repo, name), { maxBytes: 1024 })).toEqual(
        readRegularFile(join(b.repo, name), { maxBytes: 1024 }),
      );
    expect(readRegularBytes('/dev/zero')).toMatchObject({ ok: false, why: 'not-regular' });
    expect(readInside(b.repo, 'missing')).toMatchObject({ ok: false, why: 'absent' });
    expect(() => readInside(b.repo, 'dir/s.txt')).toThrow(/^dir is a symbolic link .*refused/);
    expect(() => readTextStrict(b.repo, 'link.txt')).toThrow(UnsafePathError);
    expect(() => readInside(b.repo, '../outside/s.txt')).toThrow(/has a "\.\." segment/);
    expect(entryKind(b.repo, 'link.txt')).toBe('symlink');
    expect(entryKind(b.repo, 'fifo')).toBe('other');
  });

  it('writes all or nothing, never through links; replaces a link only with consent', () => {
    const b = box();
    b.file('outside/target', 'theirs');
    b.link('repo/linked', '../outside/target');
    b.link('repo/d', '../outside');
    const before = treeChecksum(b.outside);
    expect(() => {
      writeFilesInside(b.repo, [
        { path: 'ok.txt', contents: 'x' },
        { path: 'd/evil', contents: 'x' },
      ]);
    }).toThrow(/^d is a symbolic link/);
    expect(existsSync(join(b.repo, 'ok.txt'))).toBe(false); // nothing written
    expect(() => {
      writeFilesInside(b.repo, [{ path: 'linked', contents: 'x' }]);
    }).toThrow(/pass --force to replace the link itself/);
    writeFilesInside(
      b.repo,
      [
        { path: 'linked', contents: 'mine' },
        { path: 'new/dir/f', contents: 'f' },
      ],
      { replaceSymlinks: new Set(['linked']) },
    );
    expect(lstatSync(join(b.repo, 'linked')).isFile()).toBe(true);
    expect(readFileSync(join(b.repo, 'linked'), 'utf8')).toBe('mine');
    expect(readFileSync(join(b.repo, 'new/dir/f'), 'utf8')).toBe('f');
    expect(treeChecksum(b.outside)).toBe(before);
  });

  it('removes a file or a link itself, never through a linked directory', () => {
    const b = box();
    b.file('outside/.bashrc', 'keep me');
    b.link('repo/p', '../outside');
    b.link('repo/l', '../outside/.bashrc');
    expect(() => removeInside(b.repo, 'p/.bashrc')).toThrow(/^p is a symbolic link/);
    expect(removeInside(b.repo, 'l')).toBe(true);
    expect(readFileSync(join(b.outside, '.bashrc'), 'utf8')).toBe('keep me');
  });
});

describe('init and upgrade on hostile repositories', () => {
  it('item 2: an orphan clean-up never deletes through a linked pristine directory', async () => {
    const b = box('node');
    expect((await init(b, ['--yes'])).code).toBe(0);
    // plant: the manifest lists x/.bashrc, and pristine/x links to a directory outside
    b.file('outside/dir/.bashrc', 'export PATH=precious\n');
    const mPath = join(b.repo, '.secure-container/manifest.json');
    const m = JSON.parse(readFileSync(mPath, 'utf8')) as { files: Record<string, { sha256: string }> };
    m.files['x/.bashrc'] = { sha256: sha('export PATH=precious\n') };
    writeFileSync(mPath, JSON.stringify(m, null, 2));
    b.link('repo/.secure-container/pristine/x', '../../../outside/dir');
    const before = treeChecksum(b.outside);
    const r = await upgrade(b);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.secure-container\/pristine\/x is a symbolic link .*refused/);
    expect(r.all).not.toMatch(/pristine copies? removed/);
    expect(treeChecksum(b.outside)).toBe(before);
  });

  it.each([
    ['.secure-container', ['--yes']],
    ['secrets', ['--yes', '--secret', 'db_password']],
    [
      'deploy',
      ['--yes', '--secret', 'db_password', '--secret-provider', 'vault', '--vault-addr', 'https://vault.example:8200'],
    ],
  ])('item 3: init --yes refuses a linked %s directory and writes nothing anywhere', async (dir, argv) => {
    const b = box('node');
    b.file('outside/.gitattributes', 'mine\n');
    b.file('outside/README.md', 'mine\n');
    b.file('outside/vault/agent.hcl', 'mine\n');
    b.link(`repo/${dir}`, '../outside');
    const outside = treeChecksum(b.outside);
    const repo = treeChecksum(b.repo);
    const r = await init(b, argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^secure-container: ${dir.replace('.', '\\.')} is a symbolic link \\(to "\\.\\./outside"\\): refused`,
        'm',
      ),
    );
    expect(r.err).toMatch(/Nothing was written/);
    expect(treeChecksum(b.outside)).toBe(outside);
    expect(treeChecksum(b.repo)).toBe(repo);
  });

  it('item 3: a symlinked generated file is never written through; --force replaces the link itself', async () => {
    const b = box('node');
    b.file('outside/Dockerfile', 'FROM theirs\n');
    b.link('repo/Dockerfile', '../outside/Dockerfile');
    const outside = treeChecksum(b.outside);
    const r = await init(b, ['--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Dockerfile is a symbolic link, never followed/);
    expect(existsSync(join(b.repo, 'compose.yaml'))).toBe(false);
    const f = await init(b, ['--yes', '--force']);
    expect(f.code).toBe(0);
    expect(lstatSync(join(b.repo, 'Dockerfile')).isFile()).toBe(true);
    expect(readFileSync(join(b.repo, 'Dockerfile'), 'utf8')).toMatch(/^ENTRYPOINT/m);
    expect(treeChecksum(b.outside)).toBe(outside);
  });

  it('items 3 and 4: upgrade neither writes conflict markers into nor prints a linked file', async () => {
    const b = box('node');
    expect((await init(b, ['--yes'])).code).toBe(0);
    b.file('outside/README.md', `${b.secret}\n`);
    b.file('outside/id_ed25519', `-----BEGIN OPENSSH PRIVATE KEY-----\n${b.secret}\n`);
    execFileSync('rm', [join(b.repo, 'README.Docker.md'), join(b.repo, 'compose.yaml')]);
    b.link('repo/README.Docker.md', '../outside/README.md');
    b.link('repo/compose.yaml', '../outside/id_ed25519');
    const outside = treeChecksum(b.outside);
    const repo = treeChecksum(b.repo);
    for (const o of [{ dryRun: true }, {}, { check: true }]) {
      const r = await upgrade(b, o);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is a symbolic link .*refused/);
      expect(r.all).not.toContain(b.secret);
    }
    expect(treeChecksum(b.outside)).toBe(outside);
    expect(treeChecksum(b.repo)).toBe(repo);
  });

  it('item 4: a .yo-rc.json linked to a file outside is refused without showing it', async () => {
    const b = box('node');
    b.file('outside/passwd', `root:x:0:0:${b.secret}:/root:/bin/bash\n`);
    b.link('repo/.yo-rc.json', '../outside/passwd');
    for (const r of [await init(b, ['--yes']), await upgrade(b)]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/\.yo-rc\.json is a symbolic link/);
      expect(r.all).not.toContain(b.secret);
    }
  });

  it('item 4: a corrupt state file is named, its content never echoed', async () => {
    const b = box('node');
    b.file('repo/.yo-rc.json', `root:x:0:0:${b.secret}:/root:/bin/bash\n`);
    for (const r of [await init(b, ['--yes']), await upgrade(b)]) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/\.yo-rc\.json: is not valid JSON \(syntax error/);
      expect(r.all).not.toContain(b.secret);
    }
  });

  it('item 6: links to /dev/zero and FIFOs are neither read nor waited on', async () => {
    const b = box('node');
    b.link('repo/.yarnrc.yml', '/dev/zero');
    mkfifo(join(b.repo, '.nvmrc'));
    const r = await init(b, ['--yes', '--dry-run']);
    expect(r.code).toBe(0);
    const c = box('node');
    c.link('repo/.yo-rc.json', '/dev/zero');
    const u = await upgrade(c);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/\.yo-rc\.json is a symbolic link/);
    const d = box('node');
    mkfifo(join(d.repo, '.yo-rc.json'));
    const v = await init(d, ['--yes']);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/\.yo-rc\.json is a named pipe/);
    const e = box('node');
    e.file('repo/.yo-rc.json', Buffer.alloc(2 * 1024 * 1024, 0x20));
    const w = await init(e, ['--yes']);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/\.yo-rc\.json is larger than 1 MiB/);
  });
});

describe('state parsing of a hostile manifest', () => {
  it('a "__proto__" path is an entry like any other, not a prototype change', () => {
    const content = 'x\n';
    const answers = { runtime: 'node' };
    const manifest = `{"generator":"generator-secure-container","version":"0.1.0","answersHash":"${sha(JSON.stringify(answers))}","files":{"__proto__":{"sha256":"${sha(content)}"}}}`;
    const files: Record<string, string> = {
      '.yo-rc.json': JSON.stringify({ 'generator-secure-container': { answers, version: '0.1.0' } }),
      '.secure-container/manifest.json': manifest,
      '.secure-container/pristine/__proto__': content,
    };
    const state = parseState((p) => files[p]);
    expect(Object.keys(state!.manifest.files)).toEqual(['__proto__']);
    expect(state!.pristine.get('__proto__')).toBe(content);
    expect(Object.getPrototypeOf(state!.manifest.files)).toBeNull();
  });
});

describe('audit on hostile repositories (item 4)', () => {
  it.each(['text', 'json', 'sarif'])(
    'does not follow a Dockerfile linked outside the repository (%s)',
    async (format) => {
      const b = box();
      b.file('outside/id_rsa', `-----BEGIN RSA PRIVATE KEY-----\nRUN ${b.secret}\n`);
      b.link('repo/Dockerfile', '../outside/id_rsa');
      b.link('repo/svc/compose.yaml', '../../outside/id_rsa');
      const r = await audit(b, ['--format', format]);
      expect(r.all).not.toContain(b.secret);
      expect(r.all).toMatch(/symbolic link to a file outside the audited directory/);
      expect(r.code).toBe(1); // SC0002 is an error finding, not a crash
    },
  );

  it('follows a link that stays inside the repository', async () => {
    const b = box();
    b.file('repo/docker/app.dockerfile.txt', 'FROM node:22-alpine\nUSER root\n');
    b.link('repo/Dockerfile', 'docker/app.dockerfile.txt');
    const r = await audit(b, ['--format', 'json']);
    const doc = JSON.parse(r.out) as { files: { path: string; findings: { rule: string }[] }[] };
    expect(doc.files.map((f) => f.path)).toEqual(['Dockerfile']);
    expect(doc.files[0].findings.map((f) => f.rule)).toContain('SC1001');
  });

  it('reports a FIFO or a device named like a Dockerfile instead of hanging on it', async () => {
    const b = box();
    mkfifo(join(b.repo, 'Dockerfile'));
    b.link('repo/Containerfile', '/dev/zero');
    const r = await audit(b, ['--format', 'json', '.', 'Dockerfile']);
    const doc = JSON.parse(r.out) as { files: { path: string; findings: { rule: string; message: string }[] }[] };
    expect(doc.files.map((f) => [f.path, f.findings[0]?.rule])).toEqual([
      ['Containerfile', 'SC0002'],
      ['Dockerfile', 'SC0002'],
    ]);
    expect(doc.files[1].findings[0].message).toMatch(/named pipe/);
  });
});

describe('yo secure-container on hostile repositories', () => {
  const generator = join(REPO_ROOT, 'dist/generators/app/index.js');
  const cwd = process.cwd();
  afterEach(() => {
    process.chdir(cwd); // yeoman-test chdirs into the run directory
    process.exitCode = undefined;
  });
  const yo = (b: Sandbox, options: Record<string, unknown>) =>
    helpers.run(generator, { autoCleanup: false, cwd: b.repo }).withOptions({ skipInstall: true, ...options });

  it('refuses a linked directory on the way, writing nothing', async () => {
    const b = box('node');
    b.file('outside/README.md', 'mine\n');
    b.link('repo/secrets', '../outside');
    const before = treeChecksum(b.dir);
    await expect(yo(b, { yes: true, force: false, secret: 'db_password' })).rejects.toThrow(
      /secrets is a symbolic link .*refused/,
    );
    expect(treeChecksum(b.dir)).toBe(before);
  });

  it('checks .yo-rc.json before Yeoman reads it (a link to /dev/zero would exhaust memory)', async () => {
    const b = box('node');
    b.link('repo/.yo-rc.json', '/dev/zero');
    rmSync(join(b.repo, 'package.json'));
    b.link('repo/package.json', '/dev/zero');
    await expect(yo(b, { yes: true, force: false })).rejects.toThrow(/\.yo-rc\.json is a symbolic link/);
  });

  it('never hands a symlinked file to Yeoman (whose conflict prompt would show its target); --force replaces the link', async () => {
    const b = box('node');
    b.file('outside/compose.yaml', `${b.secret}\n`);
    b.link('repo/compose.yaml', '../outside/compose.yaml');
    const before = treeChecksum(b.outside);
    await expect(yo(b, { yes: true, force: false })).rejects.toThrow(/compose\.yaml .*symbolic link/);
    expect(existsSync(join(b.repo, 'Dockerfile'))).toBe(false);
    await yo(b, { yes: true, force: true });
    expect(lstatSync(join(b.repo, 'compose.yaml')).isFile()).toBe(true);
    expect(treeChecksum(b.outside)).toBe(before);
  });
});
