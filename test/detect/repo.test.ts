import { describe, it, expect } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeFacts,
  detectFromFiles,
  detectRepo,
  listRepo,
  memoryFiles,
  type RepoFiles,
} from '../../lib/detect/index.js';
import { MAX_FILE_BYTES } from '../../lib/detect/files.js';
import { detectFixture, fixture, fixtureCopy } from './helpers.js';

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'detect-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function put(dir: string, files: Record<string, string>): Promise<void> {
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
}

/** Wraps a RepoFiles and records every path a detector asks to read. */
function spy(files: RepoFiles): { files: RepoFiles; reads: string[] } {
  const reads: string[] = [];
  return { reads, files: { list: files.list, read: (p) => (reads.push(p), files.read(p)) } };
}

const SECRET = 'fake-secret-token-DO-NOT-LEAK-4242';

describe('empty and unknown repositories', () => {
  it('an empty repo gives {} (no guesses, no notes)', async () => {
    expect(await detectFixture('empty')).toEqual({});
    expect(detectFromFiles(memoryFiles({}))).toEqual({});
    expect(detectFromFiles(memoryFiles({ 'README.md': '# hi', 'notes.txt': 'x' }))).toEqual({});
  });
  it('detectRepo refuses a path that is not a directory', async () => {
    await expect(detectRepo(join(fixture('node-npm'), 'package.json'))).rejects.toThrow(/not a directory/);
  });
});

describe('.env is never read', () => {
  it('values from .env and .env.local appear in no fact; .env.example is used instead', async () => {
    const dir = await fixtureCopy('node-env');
    try {
      await put(dir, {
        '.env': `PORT=9999\nAPI_TOKEN=${SECRET}\nDATA_DIR=/secret/leaked/path\n`,
        '.env.local': 'PORT=9998\n',
        '.env.production': 'PORT=9997\n',
      });
      const f = await detectRepo(dir);
      const all = JSON.stringify(f) + describeFacts(f).join('\n');
      expect(all).not.toContain(SECRET);
      expect(all).not.toMatch(/999[789]/);
      expect(all).not.toContain('/secret/leaked');
      expect(f.port).toEqual({ value: 3000, source: '.env.example:2: PORT=3000' });
      expect(f.dataDirs).toEqual({ value: ['/var/lib/env-app'], source: '.env.example:4: DATA_DIR' });
      expect(f.start?.value).toEqual(['node', 'server.js']);
      expect(f.start?.source).toContain('dropped -r dotenv/config');

      // the RepoFiles is never asked for them, and the on-disk reader refuses them anyway
      const listed = await listRepo(dir);
      expect(listed.list).toEqual(expect.arrayContaining(['.env', '.env.local', '.env.example']));
      const s = spy(listed);
      detectFromFiles(s.files);
      expect(s.reads).toContain('.env.example');
      expect(s.reads.filter((p) => /(^|\/)\.env($|\.(local|production))/.test(p))).toEqual([]);
      expect(listed.read('.env')).toBeUndefined();
      expect(listed.read('.env.local')).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bounded listing', () => {
  it('never walks node_modules, .git, vendor, virtualenvs or build output', async () => {
    const dir = await fixtureCopy('node-npm');
    try {
      await put(dir, {
        'node_modules/express/index.js': 'app.listen(1111); app.get("/ready", h)',
        'node_modules/express/package.json': '{"name":"express"}',
        '.git/config': '[core]',
        'vendor/x/main.go': 'package main',
        '.venv/lib/site.py': 'x',
        'dist/server.js': 'app.listen(2222)',
      });
      const listed = await listRepo(dir);
      expect(listed.list.filter((p) => /^(node_modules|\.git|vendor|\.venv|dist)\//.test(p))).toEqual([]);
      expect(listed.list).toEqual(expect.arrayContaining(['package.json', 'server.js', 'test/server.test.js']));
      const f = await detectRepo(dir);
      expect(f.port?.value).toBe(8080);
      expect(f.healthPath?.value).toBe('/healthz');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists at most six levels deep, sorted', async () => {
    await withTmp(async (dir) => {
      await put(dir, { 'a/b/c/d/e/f.js': '', 'a/b/c/d/e/f/g.js': '', 'z.js': '', 'b.js': '' });
      const { list } = await listRepo(dir);
      expect(list).toEqual(['a/b/c/d/e/f.js', 'b.js', 'z.js']);
    });
  });

  it('ignores files over 1 MiB', async () => {
    await withTmp(async (dir) => {
      const big = `app.listen(3999);\n${'x'.repeat(MAX_FILE_BYTES)}`;
      await put(dir, {
        'package.json': JSON.stringify({ name: 'big', main: 'server.js', dependencies: { a: '1' } }),
        'server.js': big,
      });
      const listed = await listRepo(dir);
      expect(listed.read('server.js')).toBeUndefined();
      const f = await detectRepo(dir);
      expect(f.start?.value).toEqual(['node', 'server.js']);
      expect(f.port).toBeUndefined();
      // in-memory inputs get the same limit
      expect(detectFromFiles(memoryFiles({ 'package.json': '{"main":"s.js"}', 's.js': big })).port).toBeUndefined();
    });
  });

  it('does not follow symlinks out of the repository', async () => {
    await withTmp(async (dir) => {
      await put(dir, { 'package.json': '{"name":"l","main":"a.js"}', 'a.js': '' });
      await symlink('/etc/hostname', join(dir, 'secret.txt'));
      await symlink('/etc', join(dir, 'etcdir'));
      const { list } = await listRepo(dir);
      expect(list).toEqual(['a.js', 'package.json']);
    });
  });

  it('uses the directory name when no manifest names the app, and says so', async () => {
    const f = await detectFixture('py-requirements-plain');
    expect(f.name).toEqual({
      value: 'py-requirements-plain',
      source: 'directory name "py-requirements-plain" (no name in the manifest)',
    });
  });
});

describe('runtime precedence', () => {
  it('node app + go.mod: node, with go.mod named as the alternative', async () => {
    const f = await detectFixture('node-and-go');
    expect(f.runtime).toEqual({ value: 'node', source: 'package.json (also found: go.mod)' });
    expect(f.goModule).toBeUndefined();
    expect(f.start?.value).toEqual(['node', 'index.js']);
  });
  it('tooling-only package.json + requirements.txt: python', async () => {
    const f = await detectFixture('py-with-tooling-pkg');
    expect(f.runtime).toEqual({
      value: 'python',
      source: 'requirements.txt (also found: package.json (no dependencies, start script or main))',
    });
    expect(f.start?.value).toEqual(['python', 'main.py']);
  });
  it('python + go: python; go alone: go; tooling package.json alone: node', () => {
    expect(detectFromFiles(memoryFiles({ 'pyproject.toml': '', 'go.mod': 'module a\n' })).runtime).toEqual({
      value: 'python',
      source: 'pyproject.toml (also found: go.mod)',
    });
    expect(
      detectFromFiles(memoryFiles({ 'go.mod': 'module a\n', 'package.json': '{"devDependencies":{"x":"1"}}' })).runtime,
    ).toEqual({
      value: 'go',
      source: 'go.mod (also found: package.json (no dependencies, start script or main))',
    });
    expect(detectFromFiles(memoryFiles({ 'package.json': '{"devDependencies":{"x":"1"}}' })).runtime?.value).toBe(
      'node',
    );
  });
});

describe('describeFacts', () => {
  it('one line per fact, in a fixed order, with its source; notes last', async () => {
    const f = await detectFixture('node-port-privileged');
    expect(describeFacts(f)).toEqual([
      'runtime: node (from package.json)',
      'packageManager: npm (from package-lock.json)',
      'name: priv (from package.json: name)',
      'lockfiles: ["package-lock.json"] (from repository root)',
      'typescript: false (from no tsconfig.json and no typescript dependency)',
      'build: none (from package.json: no "build" script)',
      'start: ["node","server.js"] (from package.json: scripts.start "node server.js")',
      'note: port 80 found (server.js:2: app.listen(80);) is not proposed: below 1024 (a privileged port; the app must listen on an unprivileged one)',
      'note: no health route found in the Node code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
    ]);
  });
  it('every fact of every fixture has a non-empty source', async () => {
    for (const name of ['node-npm', 'node-ts', 'py-django', 'py-fastapi-uv', 'go-root', 'go-cmd']) {
      const f = await detectFixture(name);
      const facts = Object.entries(f).filter(([k]) => k !== 'notes');
      expect(facts.length).toBeGreaterThan(4);
      for (const [, v] of facts) expect((v as { source: string }).source.length).toBeGreaterThan(0);
      expect(describeFacts(f)).toHaveLength(facts.length + (f.notes?.length ?? 0));
    }
  });
  it('escapes control characters from hostile repositories', () => {
    const lines = describeFacts({ name: { value: 'a\u001b[2Jb', source: 'x\ny' } });
    expect(lines).toEqual(['name: a\\u001b[2Jb (from x\\u000ay)']);
    // eslint-disable-next-line no-control-regex -- the assertion is exactly that no control character is left
    expect(lines.join('')).not.toMatch(/[\u0000-\u001f]/);
  });
  it('prints Fact-shaped fields it does not know yet, after the known ones', () => {
    const f = { runtime: { value: 'go', source: 'go.mod' }, zeta: { value: 1, source: 's' } } as unknown as Parameters<
      typeof describeFacts
    >[0];
    expect(describeFacts(f)).toEqual(['runtime: go (from go.mod)', 'zeta: 1 (from s)']);
  });
});
