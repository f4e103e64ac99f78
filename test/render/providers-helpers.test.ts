// The optional readSecret helpers: really executed (Node, Python) or compiled (Go) when the toolchain
// is present, against the contract: <NAME>_FILE else /run/secrets/<name>, one trailing newline
// trimmed, errors naming the secret but never the value.
import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderSecretsHelper } from '../../lib/outputs/secrets-helper.js';
import type { Runtime } from '../../lib/core/types.js';
import { makeSpec } from './fixtures.js';

const VALUE = 'Hunter2-value-do-not-print';

function withHelper(runtime: Runtime, fn: (dir: string, file: string) => void): void {
  const f = renderSecretsHelper(makeSpec({ answers: { runtime, secretsHelper: true } }))!;
  const dir = mkdtempSync(join(tmpdir(), `sc-helper-${runtime}-`));
  try {
    const file = join(dir, f.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, f.contents);
    writeFileSync(join(dir, 'value'), `${VALUE}\n`);
    writeFileSync(join(dir, 'crlf'), `${VALUE}\r\n`);
    writeFileSync(join(dir, 'two'), `${VALUE}\n\n`);
    fn(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const has = (bin: string): boolean =>
  spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0 ||
  spawnSync(bin, ['version'], { stdio: 'ignore' }).status === 0;

describe('renderSecretsHelper', () => {
  it('returns null unless the user asked for it', () => {
    expect(renderSecretsHelper(makeSpec())).toBeNull();
  });

  it('picks one path per language', () => {
    expect(renderSecretsHelper(makeSpec({ answers: { runtime: 'node', secretsHelper: true } }))!.path).toBe(
      'secrets.cjs',
    );
    expect(renderSecretsHelper(makeSpec({ answers: { runtime: 'python', secretsHelper: true } }))!.path).toBe(
      'secrets_helper.py',
    );
    expect(renderSecretsHelper(makeSpec({ answers: { runtime: 'go', secretsHelper: true } }))!.path).toBe(
      'internal/secrets/secrets.go',
    );
  });

  it('node: works from CommonJS and ESM, follows the contract', () => {
    withHelper('node', (dir, file) => {
      const script = `
        const { readSecret } = require(${JSON.stringify(file)});
        const out = [];
        process.env.DB_PASSWORD_FILE = ${JSON.stringify(join(dir, 'value'))}; out.push(readSecret('db_password'));
        process.env.DB_PASSWORD_FILE = ${JSON.stringify(join(dir, 'crlf'))}; out.push(readSecret('db_password'));
        process.env.DB_PASSWORD_FILE = ${JSON.stringify(join(dir, 'two'))}; out.push(readSecret('db_password'));
        delete process.env.DB_PASSWORD_FILE;
        try { readSecret('db_password'); } catch (e) { out.push(e.message); }
        try { readSecret('Bad-Name'); } catch (e) { out.push(e.message); }
        console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as string[];
      expect(out.slice(0, 3)).toEqual([VALUE, VALUE, `${VALUE}\n`]);
      expect(out[3]).toBe('secret "db_password" is not readable at /run/secrets/db_password (ENOENT)');
      expect(out[4]).toMatch(/invalid secret name "Bad-Name"/);
      const esm = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { readSecret } from ${JSON.stringify(file)}; console.log(readSecret('x'))`,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, X_FILE: join(dir, 'value') },
        },
      );
      expect(esm.stdout).toBe(`${VALUE}\n`);
    });
  });

  it('node: errors never contain the value', () => {
    withHelper('node', (dir, file) => {
      writeFileSync(join(dir, 'empty'), '\n');
      const r = spawnSync(
        process.execPath,
        ['-e', `const { readSecret } = require(${JSON.stringify(file)}); readSecret('x')`],
        {
          encoding: 'utf8',
          env: { ...process.env, X_FILE: join(dir, 'empty') },
        },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('secret "x" at');
      expect(r.stderr).toContain('is empty');
    });
  });

  const py = has('python3') ? it : it.skip;
  py('python: follows the contract', () => {
    withHelper('python', (dir) => {
      const script = [
        'import json, os, sys',
        `sys.path.insert(0, ${JSON.stringify(dir)})`,
        'from secrets_helper import read_secret, SecretError',
        'out = []',
        `os.environ["DB_PASSWORD_FILE"] = ${JSON.stringify(join(dir, 'value'))}; out.append(read_secret("db_password"))`,
        `os.environ["DB_PASSWORD_FILE"] = ${JSON.stringify(join(dir, 'crlf'))}; out.append(read_secret("db_password"))`,
        'del os.environ["DB_PASSWORD_FILE"]',
        'try:\n    read_secret("db_password")\nexcept SecretError as e:\n    out.append(str(e))',
        'print(json.dumps(out))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as string[];
      expect(out.slice(0, 2)).toEqual([VALUE, VALUE]);
      expect(out[2]).toMatch(/^secret "db_password" is not readable at \/run\/secrets\/db_password/);
    });
  });

  const go = has('go') ? it : it.skip;
  go('go: compiles and follows the contract', () => {
    withHelper('go', (dir) => {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.19\n');
      writeFileSync(
        join(dir, 'main.go'),
        `package main\n\nimport (\n\t"fmt"\n\t"example.com/app/internal/secrets"\n)\n\nfunc main() {\n\tv, err := secrets.Read("db_password")\n\tfmt.Printf("%q %v\\n", v, err)\n\t_, err = secrets.Read("missing")\n\tfmt.Println(err)\n}\n`,
      );
      const r = spawnSync('go', ['run', '.'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          DB_PASSWORD_FILE: join(dir, 'crlf'),
          GOFLAGS: '-mod=mod',
          GOCACHE: join(dir, '.cache'),
          GOPATH: join(dir, '.gopath'),
          GOTOOLCHAIN: 'local',
        },
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        `"${VALUE}" <nil>\nsecret "missing" is not readable at /run/secrets/missing: no such file or directory\n`,
      );
    });
  });
});
