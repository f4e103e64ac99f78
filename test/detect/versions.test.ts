// Version constraints are minimums or ranges (issue 10 item 1): the newest supported version that
// satisfies them, a pin kept as it is, a note when none is supported.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import {
  compareDotted,
  goReleaseFor,
  nodeAlias,
  nodeMajorFor,
  npmRangeAllows,
  pythonMinorFor,
  pythonSpecAllows,
  supportedVersions,
  toPep440,
} from '../../lib/detect/versions.js';

const NODE = ['20', '22', '24'];
const PY = ['3.10', '3.11', '3.12', '3.13', '3.14'];
const DISTROLESS_PY = ['3.11', '3.13'];

describe('npm ranges (semver): the newest supported major', () => {
  it.each([
    ['>=12', '24'],
    ['>=12.0.0', '24'],
    ['^18 || ^20', '20'],
    ['>=18 <21', '20'],
    ['>=18.0.0 <23', '22'],
    ['^22.3.0', '22'],
    ['~20.11', '20'],
    ['20.x', '20'],
    ['>= 20 < 23', '22'],
    ['19 - 22', '22'],
    ['*', '24'],
    ['', '24'],
    ['>=20.17', '24'],
    ['>=21', '24'],
  ])('%j -> %s', (range, want) => {
    expect(nodeMajorFor(range, NODE)).toMatchObject({ version: want });
  });
  it('no supported major: the one the range asks for, and an empty satisfying list', () => {
    expect(nodeMajorFor('^18', NODE)).toEqual({ version: '18', satisfying: [] });
    expect(nodeMajorFor('<18', NODE)).toEqual({ version: '17', satisfying: [] });
    expect(nodeMajorFor('>=26', NODE)).toEqual({ version: '26', satisfying: [] });
    expect(nodeMajorFor('>=20 <20', NODE)).toEqual({ satisfying: [] });
  });
  it('unreadable ranges', () => {
    expect(nodeMajorFor('latest', NODE)).toBeUndefined();
    expect(nodeMajorFor('lts/*', NODE)).toBeUndefined();
  });
  it('a pin against a range', () => {
    expect(npmRangeAllows('>=20', '18.19.0')).toBe(false);
    expect(npmRangeAllows('>=20', '22')).toBe(true);
    expect(npmRangeAllows('>=20.17', '20')).toBe(true);
    expect(npmRangeAllows('^20.10.0', '20.11.1')).toBe(true);
    expect(npmRangeAllows('nonsense!', '20')).toBeUndefined();
    expect(npmRangeAllows('>=20', 'lts/iron')).toBeUndefined();
  });
  it('nvm aliases', () => {
    expect(nodeAlias('lts/*\n')).toEqual({ kind: 'lts', full: 'lts/*' });
    expect(nodeAlias('node')).toEqual({ kind: 'latest', full: 'node' });
    expect(nodeAlias('stable')).toEqual({ kind: 'latest', full: 'stable' });
    expect(nodeAlias('20')).toBeUndefined();
  });
});

describe('PEP 440 and Poetry constraints: the newest supported minor, distroless first', () => {
  it.each([
    ['>=3.8', '3.13', true],
    ['>=3.8,<4.0', '3.13', true],
    ['>=3.10,<4.0', '3.13', true],
    ['~=3.10', '3.13', true],
    ['^3.10', '3.13', true],
    ['>=3.9,<3.13', '3.11', true],
    ['>=3.12,<3.13', '3.12', false],
    ['==3.12.*', '3.12', false],
    ['3.12', '3.12', false],
    ['~3.11', '3.11', true],
    ['>=3.14', '3.14', false],
    ['>=3.8.1,<4.0', '3.13', true],
    ['>=3.10.2', '3.13', true],
    ['>=3.8,<3.9 || >=3.12', '3.13', true],
    ['*', '3.13', true],
  ])('%j -> %s (distroless: %s)', (spec, want, preferred) => {
    expect(pythonMinorFor(spec, PY, DISTROLESS_PY)).toMatchObject({ version: want, preferred });
  });
  it('no supported minor: the one the specifier asks for', () => {
    expect(pythonMinorFor('>=3.6,<3.9', PY, DISTROLESS_PY)).toMatchObject({ version: '3.8', satisfying: [] });
    expect(pythonMinorFor('>=3.15', PY, DISTROLESS_PY)).toMatchObject({ version: '3.15', satisfying: [] });
  });
  it('Poetry syntax becomes PEP 440', () => {
    expect(toPep440('^3.10')).toEqual(['>=3.10,<4']);
    expect(toPep440('~3.11')).toEqual(['>=3.11,<3.12']);
    expect(toPep440('>=3.8 <4')).toEqual(['>=3.8,<4']);
    expect(toPep440('3.12')).toEqual(['==3.12.*']);
    expect(toPep440('*')).toEqual(['']);
    expect(toPep440('>=3.8,<3.9 || >=3.12')).toEqual(['>=3.8,<3.9', '>=3.12']);
    expect(toPep440('not a spec')).toBeUndefined();
  });
  it('a pin against a specifier', () => {
    expect(pythonSpecAllows('>=3.11', '3.10.4')).toBe(false);
    expect(pythonSpecAllows('>=3.11', '3.12.4')).toBe(true);
    expect(pythonSpecAllows('^3.12', '3.12')).toBe(true);
    expect(pythonSpecAllows('>=3.12.5', '3.12')).toBe(true);
    expect(pythonSpecAllows('???', '3.12')).toBeUndefined();
  });
});

describe('Go and helpers', () => {
  it('the go directive is a minimum', () => {
    expect(goReleaseFor('1.15', ['1.21', '1.22', '1.9'])).toEqual({ version: '1.22', satisfying: ['1.21', '1.22'] });
    expect(goReleaseFor('1.30', ['1.21', '1.22'])).toEqual({ version: '1.30', satisfying: [] });
  });
  it('supported versions: every flavour, numerically ordered', () => {
    expect(supportedVersions({ distroless: ['3.11', '3.13'], alpine: ['3.9', '3.10', '3.11'] })).toEqual([
      '3.9',
      '3.10',
      '3.11',
      '3.13',
    ]);
    expect(compareDotted('1.9', '1.21')).toBeLessThan(0);
  });
});

describe('detection says what it read and what it picked', () => {
  const node = (pkg: object, extra: Record<string, string> = {}) =>
    detectFromFiles(
      memoryFiles({ 'package.json': JSON.stringify({ name: 'x', dependencies: { express: '4' }, ...pkg }), ...extra }),
    );
  const py = (pyproject: string, extra: Record<string, string> = {}) =>
    detectFromFiles(memoryFiles({ 'pyproject.toml': pyproject, 'main.py': 'print(1)\n', ...extra }));

  it('engines.node ">=12" (node-express-boilerplate): 24, the source says why', () => {
    const f = node({ engines: { node: '>=12.0.0' } });
    expect(f.runtimeVersion).toEqual({
      value: '24',
      source:
        'package.json: engines.node ">=12.0.0" (a range: the newest supported Node that satisfies it; supported: 20, 22, 24)',
    });
  });
  it('a pinned .nvmrc keeps its version when engines allows it', () => {
    expect(node({ engines: { node: '>=18' } }, { '.nvmrc': '20.11.1\n' }).runtimeVersion).toEqual({
      value: '20',
      source: '.nvmrc: 20.11.1 (satisfies engines.node ">=18")',
    });
  });
  it('lts/* within engines.node', () => {
    expect(node({ engines: { node: '>=20 <24' } }, { '.nvmrc': 'lts/*' }).runtimeVersion?.value).toBe('22');
  });
  it('engines.node allowing no supported Node: the version it asks for plus a note naming the flag', () => {
    const f = node({ engines: { node: '^18.0.0' } });
    expect(f.runtimeVersion).toEqual({
      value: '18',
      source: 'package.json: engines.node "^18.0.0" (no supported Node satisfies it; supported: 20, 22, 24)',
    });
    expect(f.notes?.join('\n')).toMatch(
      /allows none of the supported Node versions \(20, 22, 24\): it asks for Node 18; pass --runtime-version/,
    );
  });
  it('requires-python ">=3.8": 3.13 (distroless), not the alpine-only 3.14', () => {
    const f = py('[project]\nname = "x"\nrequires-python = ">=3.8"\n');
    expect(f.runtimeVersion).toEqual({
      value: '3.13',
      source:
        'pyproject.toml: requires-python = ">=3.8" (a range: the newest supported Python with a distroless image that satisfies it; 3.14 only on alpine)',
    });
  });
  it('a range with no distroless minor: the newest alpine one, and the source says so', () => {
    const f = py('[project]\nname = "x"\nrequires-python = ">=3.12,<3.13"\n');
    expect(f.runtimeVersion?.value).toBe('3.12');
    expect(f.runtimeVersion?.source).toMatch(/alpine only: distroless has 3\.11, 3\.13/);
  });
  it('.python-version 3.12.4 is a pin and is kept', () => {
    expect(
      py('[project]\nname = "x"\nrequires-python = ">=3.8"\n', { '.python-version': '3.12.4\n' }).runtimeVersion,
    ).toEqual({
      value: '3.12',
      source: '.python-version: 3.12.4 (satisfies >=3.8)',
    });
  });
  it('requires-python allowing no supported minor: a note naming the flag', () => {
    const f = py('[project]\nname = "x"\nrequires-python = ">=3.6,<3.9"\n');
    expect(f.runtimeVersion?.value).toBe('3.8');
    expect(f.notes?.join('\n')).toMatch(
      /allows none of the supported Python versions \(3\.10, 3\.11, 3\.12, 3\.13, 3\.14\): it asks for Python 3\.8; pass --runtime-version/,
    );
  });
});
