import { describe, it, expect } from '@jest/globals';
import {
  lowestNodeMajor,
  lowestPythonMinor,
  nodePinMajor,
  npmRangeAllows,
  pythonPinMinor,
  pythonSpecAllows,
} from '../../lib/detect/versions.js';
import {
  dnsLabel,
  excerpt,
  isSafeRelPath,
  isTestPath,
  normalizeRelDir,
  parseJsonc,
  shellSplit,
} from '../../lib/detect/text.js';
import { moduleBaseName, parseGoMod } from '../../lib/runtimes/go/detect.js';
import {
  moduleOf,
  normalizeDist,
  parseRequirements,
  rebindPort,
  requirementName,
} from '../../lib/runtimes/python/detect.js';
import { isSecretEnvFile, memoryFiles } from '../../lib/detect/files.js';
import { parseToml, tomlGet } from '../../lib/detect/toml.js';
import type { Ctx } from '../../lib/detect/model.js';

describe('lowestNodeMajor (npm semver range -> lowest LTS major in 18/20/22/24)', () => {
  const table: [string, string | undefined][] = [
    ['>=20', '20'],
    ['>=20.17', '20'],
    ['>=18.17.0', '18'],
    ['^22.3.0', '22'],
    ['~20.11', '20'],
    ['20.x', '20'],
    ['22', '22'],
    ['v20', '20'],
    ['>=18 <19 || >=21', '18'],
    ['>18', '20'],
    ['>19.9.9', '20'],
    ['>=21', '22'],
    ['19 - 22', '20'],
    ['>= 20 < 23', '20'],
    ['^19.0.0', undefined],
    ['*', '18'],
    ['<18', undefined],
    ['>=25', undefined],
    ['latest', undefined],
    ['>=20 <20', undefined],
  ];
  it.each(table)('%s -> %s', (range, want) => {
    expect(lowestNodeMajor(range)).toBe(want);
  });
  it('checks a pin against a range', () => {
    expect(npmRangeAllows('>=20', '18.19.0')).toBe(false);
    expect(npmRangeAllows('>=20', '22')).toBe(true);
    expect(npmRangeAllows('^20.10.0', '20.11.1')).toBe(true);
    expect(npmRangeAllows('nonsense!', '20')).toBeUndefined();
  });
});

describe('lowestPythonMinor (PEP 440 / Poetry constraint -> lowest 3.x)', () => {
  const table: [string, string | undefined][] = [
    ['>=3.11', '3.11'],
    ['~=3.12', '3.12'],
    ['~=3.12.1', '3.12'],
    ['^3.12', '3.12'],
    ['~3.11', '3.11'],
    ['>=3.9,<3.13', '3.9'],
    ['>=3.9, <3.13', '3.9'],
    ['3.12', '3.12'],
    ['3.12.*', '3.12'],
    ['==3.11.*', '3.11'],
    ['>3.10', '3.10'],
    ['>=3.8,<3.9 || >=3.12', '3.8'],
    ['>=3.6', '3.8'],
    ['<3.8', undefined],
    ['>=4', undefined],
    ['*', '3.8'],
  ];
  it.each(table)('%s -> %s', (spec, want) => {
    expect(lowestPythonMinor(spec)).toBe(want);
  });
  it('checks a pin against a specifier', () => {
    expect(pythonSpecAllows('>=3.11', '3.10.4')).toBe(false);
    expect(pythonSpecAllows('>=3.11', '3.12.4')).toBe(true);
    expect(pythonSpecAllows('^3.12', '3.12')).toBe(true);
  });
});

describe('version pins', () => {
  const node: [string, string | undefined][] = [
    ['v20.11.1\n', '20'],
    ['22', '22'],
    ['20.x', '20'],
    ['lts/iron', '20'],
    ['lts/jod', '22'],
    ['lts/*', undefined],
    ['node', undefined],
    ['stable', undefined],
    ['# comment\n18.20.0', '18'],
    ['', undefined],
  ];
  it.each(node)('.nvmrc %j -> %s', (text, want) => {
    expect(nodePinMajor(text)?.major).toBe(want);
  });
  const py: [string, string | undefined][] = [
    ['3.12.4\n', '3.12'],
    ['3.11', '3.11'],
    ['cpython-3.13', '3.13'],
    ['python-3.12.1', '3.12'],
    ['3.13.0rc1', '3.13'],
    ['pypy3.10', undefined],
    ['system', undefined],
    ['3', undefined],
  ];
  it.each(py)('.python-version %j -> %s', (text, want) => {
    expect(pythonPinMinor(text)?.minor).toBe(want);
  });
});

describe('text helpers', () => {
  it.each([
    ['@acme/My API', 'my-api'],
    ['flask_shop', 'flask-shop'],
    ['Orders Service', 'orders-service'],
    ['--weird..name--', 'weird-name'],
    ['ÄÖÜ', undefined],
    ['a'.repeat(80), 'a'.repeat(63)],
  ] as const)('dnsLabel(%j) = %j', (raw, want) => {
    const got = dnsLabel(raw);
    expect(got).toBe(want);
    if (got !== undefined) expect(got).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('parses tsconfig-style JSON with comments and trailing commas, but not strings that look like comments', () => {
    const v = parseJsonc('\uFEFF{\n // c\n "a": "http://x/*y*/", /* b */ "b": [1, 2,],\n}') as Record<string, unknown>;
    expect(v).toEqual({ a: 'http://x/*y*/', b: [1, 2] });
    expect(parseJsonc('{ nope')).toBeUndefined();
  });

  it.each([
    ['node server.js', ['node', 'server.js']],
    ['NODE_ENV=production node "dist/my server.js"', ['NODE_ENV=production', 'node', 'dist/my server.js']],
    ["node 'a b.js' --x", ['node', 'a b.js', '--x']],
    ['node a.js && node b.js', null],
    ['node $(whoami).js', null],
    ['node "$HOME/x.js"', null],
    ['node a.js > log', null],
    ['node `x`', null],
    ['node "unterminated', null],
  ] as const)('shellSplit(%j)', (script, want) => {
    expect(shellSplit(script)).toEqual(want);
  });

  it('normalises relative directories and rejects escapes', () => {
    expect(normalizeRelDir('./dist/')).toBe('dist');
    expect(normalizeRelDir('.')).toBe('.');
    expect(normalizeRelDir('../out')).toBeUndefined();
    expect(normalizeRelDir('/abs')).toBeUndefined();
    expect(isSafeRelPath('src/a.js')).toBe(true);
    expect(isSafeRelPath('src/../a.js')).toBe(false);
    expect(isSafeRelPath('a b.js')).toBe(false);
  });

  it('classifies test paths', () => {
    expect(isTestPath('test/a.js')).toBe(true);
    expect(isTestPath('src/a.spec.ts')).toBe(true);
    expect(isTestPath('pkg/x_test.go')).toBe(true);
    expect(isTestPath('tests/test_x.py')).toBe(true);
    expect(isTestPath('src/server.ts')).toBe(false);
  });

  it('makes excerpts printable', () => {
    expect(excerpt('  a\u001b[31mb  ')).toBe('a?[31mb');
    expect(excerpt('x'.repeat(100))).toHaveLength(80);
  });
});

describe('go.mod', () => {
  it('reads module, go and toolchain, ignoring comments and blocks', () => {
    const m = parseGoMod(
      '// header\nmodule "example.com/a/b" // c\n\ngo 1.23.0\ntoolchain go1.24.1\nrequire (\n\tgo 1.0 // not a directive line in a block\n)\n',
    );
    expect(m.module).toBe('example.com/a/b');
    expect(m.toolchain).toBe('1.24.1');
    expect(m.go).toBe('1.23.0');
  });
  it.each([
    ['github.com/acme/svc', 'svc'],
    ['github.com/acme/svc/v2', 'svc'],
    ['hello', 'hello'],
  ])('moduleBaseName(%s) = %s', (mod, want) => {
    expect(moduleBaseName(mod)).toBe(want);
  });
});

function ctxOf(files: Record<string, string>): Ctx {
  const f = memoryFiles(files);
  const set = new Set(f.list);
  return { files: f, has: (p) => set.has(p), read: (p) => f.read(p), note: () => undefined };
}

describe('Python helpers', () => {
  it.each([
    ['uvicorn[standard]>=0.30', 'uvicorn'],
    ['Flask_Login==0.6', 'flask-login'],
    ['django ; python_version >= "3.10"', 'django'],
    ['pkg @ git+https://x/y.git', 'pkg'],
  ])('requirementName(%j) = %s', (req, want) => {
    expect(requirementName(req)).toBe(want);
  });
  it('normalises distribution names', () => {
    expect(normalizeDist('Zope.Interface')).toBe('zope-interface');
  });
  it('follows -r includes as text and skips options, URLs and editables', () => {
    const ctx = ctxOf({
      'requirements.txt':
        '# top\n-r requirements/base.txt\n--index-url https://x\n-e .\nhttps://example.com/x.whl\ngunicorn==22 # prod\n',
      'requirements/base.txt': 'FastAPI>=0.110\n-r ../requirements.txt\n',
    });
    const deps = parseRequirements(ctx, 'requirements.txt');
    expect([...deps.keys()].sort()).toEqual(['fastapi', 'gunicorn']);
    expect(deps.get('fastapi')).toBe('requirements/base.txt');
  });
  it.each([
    ['main.py', 'main', undefined],
    ['app/main.py', 'app.main', undefined],
    ['app/__init__.py', 'app', undefined],
    ['src/svc/app.py', 'svc.app', 'src'],
  ])('moduleOf(%s) = %s', (file, mod, appDir) => {
    expect(moduleOf(file)).toEqual({ module: mod, appDir });
  });
  it('rejects non-importable paths', () => {
    expect(moduleOf('my-app/main.py')).toBeUndefined();
  });
  it('rebinds the port of server command lines', () => {
    expect(rebindPort(['python', '-m', 'uvicorn', 'a:app', '--host', '0.0.0.0', '--port', '8000'], 9000)).toEqual([
      'python',
      '-m',
      'uvicorn',
      'a:app',
      '--host',
      '0.0.0.0',
      '--port',
      '9000',
    ]);
    expect(rebindPort(['python', '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'a:app'], 5000)).toEqual([
      'python',
      '-m',
      'gunicorn',
      '--bind',
      '0.0.0.0:5000',
      'a:app',
    ]);
    expect(rebindPort(['node', 'server.js'], 5000)).toEqual(['node', 'server.js']);
  });
});

describe('TOML', () => {
  it('parses the subset we need and reports errors without throwing', () => {
    const { table } = parseToml(
      '[project]\nname = "x"\nscripts = { run = "x.cli:main" }\n[tool.poetry.dependencies]\npython = "^3.12"\n',
    );
    expect(tomlGet(table, 'project', 'name')).toBe('x');
    expect(tomlGet(table, 'project', 'scripts', 'run')).toBe('x.cli:main');
    expect(tomlGet(table, 'tool', 'poetry', 'dependencies', 'python')).toBe('^3.12');
    const bad = parseToml('[project\nname = ');
    expect(bad.table).toEqual({});
    expect(bad.error).toMatch(/^not valid TOML \(line \d+\)$/);
  });
});

describe('secret env files', () => {
  it.each([
    ['.env', true],
    ['.env.local', true],
    ['.env.production', true],
    ['config/.env', true],
    ['prod.env', true],
    ['.env.example', false],
    ['.env.sample', false],
    ['.env.template', false],
    ['.envrc', false],
    ['environment.ts', false],
  ])('%s -> %s', (p, secret) => {
    expect(isSecretEnvFile(p)).toBe(secret);
  });
  it('memoryFiles refuses to hand out .env or key material even when present', () => {
    const f = memoryFiles({ '.env': 'X=1', id_rsa: 'k', 'certs/tls.key': 'k', 'a.js': 'ok' });
    expect(f.read('.env')).toBeUndefined();
    expect(f.read('id_rsa')).toBeUndefined();
    expect(f.read('certs/tls.key')).toBeUndefined();
    expect(f.read('a.js')).toBe('ok');
  });
});
