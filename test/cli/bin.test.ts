// The package's bin (package.json "bin": dist/bin/secure-container.cjs, which runs `audit` from the
// audit's bundle and every other command through the ES-module dispatcher, dist/bin/secure-container.js)
// as a user runs it: one argument parser and one message style for every command, the exit codes the
// README documents, no help dumps on errors.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROL_FLAGS, UPGRADE_FLAGS } from '../../lib/cli/args.js';
import { QUESTIONS } from '../../lib/core/answers/schema.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
};
const bin = join(repo, pkg.bin['secure-container']);
const dispatcher = join(repo, 'dist/bin/secure-container.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function temp(from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bin-'));
  dirs.push(dir);
  if (from) cpSync(from, dir, { recursive: true });
  return dir;
}

function sc(args: string[], cwd = repo, entry = bin) {
  const r = spawnSync(process.execPath, [entry, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('secure-container (the bin)', () => {
  it('a broken audit bundle is one internal-error message and exit 70, not a stack dump at load', () => {
    // a copy of the built package with its audit bundle cut short
    const pkgDir = temp();
    cpSync(join(repo, 'dist/bin'), join(pkgDir, 'dist/bin'), { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: pkg.name, type: 'module' }));
    const auditBundle = join(pkgDir, 'dist/bin/audit.cjs');
    writeFileSync(auditBundle, readFileSync(auditBundle, 'utf8').slice(0, 5000));
    const r = sc(['audit', '.'], temp(), join(pkgDir, pkg.bin['secure-container']));
    expect(r.code).toBe(70);
    expect(r.err).toMatch(/^secure-container: .*audit\.cjs/);
    expect(r.err).toMatch(/SyntaxError/);
    expect(r.out).toBe('');
  });
  it('audit through the package bin (the bundle) prints and exits as through the dispatcher (the modules)', () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node\nUSER root\nRUN apt-get install -y curl\n');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    build: .\n    ports: ["8080:8080"]\n');
    writeFileSync(join(dir, 'broken.Dockerfile'), 'FROM\n');
    for (const args of [
      ['audit', '.'],
      ['audit', '.', '--format', 'json'],
      ['audit', '.', '--format', 'sarif'],
      ['audit', '.', '--fix', '--dry-run'],
      ['audit', 'missing'],
      ['audit', '--format', 'xml'],
      ['audit', '--help'],
      ['audit', '--list-rules', '--format', 'json'],
    ]) {
      const viaBundle = sc(args, dir);
      expect([args, viaBundle]).toEqual([args, sc(args, dir, dispatcher)]);
    }
    expect(sc(['audit', '.'], dir).code).toBe(1);
    expect(sc(['audit', '--format', 'xml'], dir).code).toBe(2);
  });

  it('stops quietly when the reader of its output goes away (`… | head`), no EPIPE stack trace', () => {
    // a reader that takes one line and exits, then the bin keeps writing a long report into the pipe
    const dir = temp();
    for (let i = 0; i < 400; i++)
      writeFileSync(join(dir, `${i}.Dockerfile`), 'FROM node\nRUN apt-get install -y curl\n');
    const script = `"${process.execPath}" "${bin}" audit . --format json | head -c 10 > /dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(r.stderr).toMatch(/rc=0/);
  });

  it('an unknown option is one line in the same style as every command, exit 2', () => {
    for (const [args, prefix] of [
      [['--bogus'], 'secure-container'],
      [['init', '--bogus'], 'secure-container'],
      [['audit', '--bogus'], 'secure-container audit'],
      [['upgrade', '--bogus'], 'secure-container upgrade'],
    ] as const) {
      const r = sc([...args], temp());
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err.split('\n')[0]).toBe(`${prefix}: Unknown option '--bogus'; see --help`);
      expect(r.err).not.toMatch(/Usage:|To specify a positional/);
      expect(r.out).toBe('');
    }
  });

  it('a near miss is suggested', () => {
    expect(sc(['init', '--yes', '--prot', '8080'], temp()).err).toMatch(
      /^secure-container: Unknown option '--prot' \(did you mean --port\?\); see --help$/m,
    );
    expect(sc(['audit', '--fromat', 'json'], temp()).err).toBe(
      "secure-container audit: Unknown option '--fromat' (did you mean --format?); see --help\n",
    );
  });

  it('an unknown command is one line naming the commands, exit 2', () => {
    const r = sc(['deploy']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'secure-container: unknown command "deploy": allowed: init, audit, upgrade, verify, pin, preset; see --help\n',
    );
  });

  it('no arguments is a usage error: the help on stderr, exit 2; help and --help exit 0 on stdout', () => {
    const none = sc([]);
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/^Usage: secure-container <command>/);
    for (const h of ['help', '--help', '-h']) {
      const r = sc([h]);
      expect([h, r.code, r.err]).toEqual([h, 0, '']);
      expect(r.out).toMatch(/^Usage: secure-container <command>/);
      expect(r.out).toMatch(/npx generator-secure-container <command>/);
    }
    expect(sc(['--version']).out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('audit of a missing path: the error and exit 2, no "No findings in 0 files."', () => {
    const r = sc(['audit', '/nonexistent-sc-path'], temp());
    expect(r.code).toBe(2);
    expect(r.err).toBe('secure-container audit: /nonexistent-sc-path: no such file or directory\n');
    expect(r.out).toBe('');
  });

  it('audit: a bad value is one line, no help dump', () => {
    const r = sc(['audit', '--format', 'xml'], temp());
    expect(r.code).toBe(2);
    expect(r.err).toBe('secure-container audit: --format: "xml" is not one of text, json, sarif\n');
    const m = sc(['audit', '--format'], temp());
    expect(m.err).toBe('secure-container audit: --format needs a value; see --help\n');
  });

  it("upgrade --help lists exactly upgrade's flags, each once", () => {
    const r = sc(['upgrade', '--help']);
    expect(r.code).toBe(0);
    for (const c of UPGRADE_FLAGS) expect(r.out.match(new RegExp(`--${c.flag}\\b(?![-\\w])`, 'g'))).toHaveLength(1);
    for (const only of ['--yes', '--force', '--advanced']) expect(r.out).not.toContain(only);
    for (const q of QUESTIONS) expect(r.out).toContain(`--${q.flag}`);
    // and upgrade refuses init's flags
    expect(sc(['upgrade', '--force'], temp()).err).toBe(
      "secure-container upgrade: Unknown option '--force'; see --help\n",
    );
  });

  it('init --help explains that scratch is for static binaries only', () => {
    const r = sc(['init', '--help']);
    expect(r.out).toMatch(
      /--flavor <distroless\|alpine\|scratch[^>]*>.*\n(.*\n){0,4} +scratch: empty image: static binaries only \(Go, Rust\)/,
    );
    for (const c of CONTROL_FLAGS) expect(r.out).toContain(`--${c.flag}`);
  });

  it('init in a folder with no recognisable app refuses, naming what it looked for; --runtime generates anyway', () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const r = sc(['init', '--yes'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^secure-container: no app found: looked for package\.json, pyproject\.toml, requirements\.txt, go\.mod, .*\(pass --runtime to generate anyway\)\nNothing was written\.\n$/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const anyway = sc(['init', '--yes', '--runtime', 'node', '--start', 'node server.js'], dir);
    expect(anyway.code).toBe(0);
    expect(readdirSync(dir)).toContain('Dockerfile');
  });

  it('init --yes ends with the next steps', () => {
    const dir = temp(join(repo, 'examples/node-app'));
    const r = sc(['init', '--yes', '--secret', 'db_password'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Next steps:\n {2}1\. Create the secret files[^\n]*\n {7}umask 077\n/);
    expect(r.out).toContain(
      'docker build -t example-node-app:"$(git rev-parse --short HEAD)" -t example-node-app:local .',
    );
    expect(r.out).toMatch(/3\. Start:\n +docker compose up -d\n$/);
  });
});
