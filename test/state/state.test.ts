import { describe, it, expect } from '@jest/globals';
import {
  buildState,
  parseState,
  sha256,
  canonicalJson,
  StateError,
  MANIFEST_PATH,
  YO_RC,
  GITATTRIBUTES_PATH,
  pristinePath,
  readYoRcEntry,
  withYoRcEntry,
} from '../../lib/state/index.js';
import { GENERATOR_NAME } from '../../lib/core/version.js';
import { ANSWERS, MemFs } from '../upgrade/helpers.js';

const files = [
  { path: 'Dockerfile', contents: 'FROM scratch\n' },
  { path: 'deploy/run.sh', contents: '#!/bin/sh\necho hi\n', mode: 0o755 },
];

function fsFor(extra: Record<string, string> = {}): MemFs {
  const fs = new MemFs();
  for (const f of buildState(ANSWERS, '0.1.0', files, 'presets/aws.yaml')) fs.files.set(f.path, f.contents);
  for (const [k, v] of Object.entries(extra)) fs.files.set(k, v);
  return fs;
}

describe('sha256 / canonicalJson', () => {
  it('hashes utf-8 text', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('buildState', () => {
  const out = buildState(ANSWERS, '0.1.0', files, 'presets/aws.yaml');
  const byPath = new Map(out.map((f) => [f.path, f.contents]));

  it('writes .yo-rc.json, the manifest, .gitattributes and one pristine copy per file', () => {
    expect([...byPath.keys()].sort()).toEqual(
      [YO_RC, MANIFEST_PATH, GITATTRIBUTES_PATH, pristinePath('Dockerfile'), pristinePath('deploy/run.sh')].sort(),
    );
    expect(byPath.get(pristinePath('deploy/run.sh'))).toBe(files[1].contents);
    expect(byPath.get(GITATTRIBUTES_PATH)).toMatch(/^\* -text/m);
  });

  it('records answers, version and preset under the generator key', () => {
    const yo = JSON.parse(byPath.get(YO_RC)!);
    expect(yo[GENERATOR_NAME]).toEqual({ answers: ANSWERS, version: '0.1.0', preset: 'presets/aws.yaml' });
  });

  it('records hashes and modes in the manifest', () => {
    const m = JSON.parse(byPath.get(MANIFEST_PATH)!);
    expect(m.version).toBe('0.1.0');
    expect(m.files.Dockerfile).toEqual({ sha256: sha256('FROM scratch\n') });
    expect(m.files['deploy/run.sh']).toEqual({ sha256: sha256(files[1].contents), mode: 0o755 });
    expect(m.answersHash).toBe(sha256(canonicalJson(ANSWERS)));
  });

  it('is deterministic whatever the key order of the answers', () => {
    const reversed = Object.fromEntries(Object.entries(ANSWERS).reverse()) as typeof ANSWERS;
    expect(buildState(reversed, '0.1.0', [...files].reverse(), 'presets/aws.yaml')).toEqual(out);
  });

  it('keeps other generators and other keys in an existing .yo-rc.json, and drops a removed preset', () => {
    const existing = JSON.stringify({
      'generator-other': { x: 1 },
      [GENERATOR_NAME]: { promptValues: { a: 1 }, preset: 'old.yaml' },
    });
    const yo = JSON.parse(buildState(ANSWERS, '0.2.0', files, undefined, { existingYoRc: existing })[0].contents);
    expect(yo['generator-other']).toEqual({ x: 1 });
    expect(yo[GENERATOR_NAME].promptValues).toEqual({ a: 1 });
    expect(yo[GENERATOR_NAME].version).toBe('0.2.0');
    expect(yo[GENERATOR_NAME]).not.toHaveProperty('preset');
  });

  it('rejects unsafe or colliding paths', () => {
    expect(() => buildState(ANSWERS, '1', [{ path: '../x', contents: '' }])).toThrow(/"\.\." segment/);
    expect(() => buildState(ANSWERS, '1', [{ path: '/etc/passwd', contents: '' }])).toThrow(/absolute/);
    expect(() => buildState(ANSWERS, '1', [{ path: '.yo-rc.json', contents: '' }])).toThrow(/state file/);
    expect(() =>
      buildState(ANSWERS, '1', [
        { path: 'a', contents: '' },
        { path: 'a', contents: '' },
      ]),
    ).toThrow(/twice/);
  });

  it('refuses to clobber a corrupt .yo-rc.json', () => {
    expect(() => buildState(ANSWERS, '1', files, undefined, { existingYoRc: '{oops' })).toThrow(StateError);
  });
});

describe('parseState', () => {
  it('returns null when nothing was ever generated', () => {
    expect(parseState(new MemFs().read)).toBeNull();
    expect(parseState(new MemFs({ [YO_RC]: '{"generator-other": {}}' }).read)).toBeNull();
  });

  it('round-trips buildState', () => {
    const s = parseState(fsFor().read)!;
    expect(s.version).toBe('0.1.0');
    expect(s.answers).toEqual(ANSWERS);
    expect(s.preset).toBe('presets/aws.yaml');
    expect([...s.pristine.entries()]).toEqual([
      ['Dockerfile', 'FROM scratch\n'],
      ['deploy/run.sh', files[1].contents],
    ]);
    expect(s.answersChanged).toBe(false);
    expect(s.problems).toEqual([]);
  });

  it('notices answers edited in .yo-rc.json after generation', () => {
    const fs = fsFor();
    fs.edit(YO_RC, (t) => t.replace('"port": 3000', '"port": 9090'));
    expect(parseState(fs.read)!.answersChanged).toBe(true);
  });

  it('accepts pristine copies converted to CRLF by git autocrlf', () => {
    const fs = fsFor();
    fs.edit(pristinePath('deploy/run.sh'), (t) => t.replace(/\n/g, '\r\n'));
    expect(parseState(fs.read)!.pristine.get('deploy/run.sh')).toBe(files[1].contents);
  });

  it.each([
    ['invalid JSON in .yo-rc.json', { [YO_RC]: '{' }, /^\.yo-rc\.json: is not valid JSON/],
    [
      'answers not an object',
      { [YO_RC]: JSON.stringify({ [GENERATOR_NAME]: { answers: [], version: '1' } }) },
      /answers" must be an object/,
    ],
    [
      'missing version',
      { [YO_RC]: JSON.stringify({ [GENERATOR_NAME]: { answers: {} } }) },
      /version" must be a non-empty string/,
    ],
    ['manifest without answers', { [YO_RC]: '{}' }, /the stored answers are missing/],
    ['manifest not JSON', { [MANIFEST_PATH]: 'nope' }, /manifest\.json: is not valid JSON/],
    ['bad hash', { [MANIFEST_PATH]: JSON.stringify({ version: '0.1.0', answersHash: 'x', files: {} }) }, /answersHash/],
    [
      'path traversal in manifest',
      {
        [MANIFEST_PATH]: JSON.stringify({
          version: '0.1.0',
          answersHash: sha256('x'),
          files: { '../../etc/passwd': { sha256: sha256('') } },
        }),
      },
      /files\["\.\.\/\.\.\/etc\/passwd"\]: path has a "\.\." segment/,
    ],
  ])('rejects corrupt state: %s', (_name, extra, message) => {
    expect(() => parseState(fsFor(extra as Record<string, string>).read)).toThrow(message);
  });

  it('rejects a modified or missing pristine copy, naming it and the fix', () => {
    const edited = fsFor();
    edited.edit(pristinePath('Dockerfile'), () => 'FROM busybox\n');
    expect(() => parseState(edited.read)).toThrow(
      /\.secure-container\/pristine\/Dockerfile: does not match the sha256/,
    );
    const missing = fsFor();
    missing.files.delete(pristinePath('Dockerfile'));
    expect(() => parseState(missing.read)).toThrow(/pristine\/Dockerfile: is missing; restore it .*git checkout/);
  });

  it('lenient mode drops the bad copy and says why', () => {
    const fs = fsFor();
    fs.edit(pristinePath('Dockerfile'), () => 'FROM busybox\n');
    const s = parseState(fs.read, { lenient: true })!;
    expect(s.pristine.has('Dockerfile')).toBe(false);
    expect(s.pristine.has('deploy/run.sh')).toBe(true);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatch(/pristine\/Dockerfile/);
  });
});

describe('one key of our .yo-rc.json entry (digests, preset release)', () => {
  const yo = JSON.stringify({ other: { keep: 1 }, 'generator-secure-container': { answers: { port: 3000 } } });
  it('sets and removes a key, keeping the rest of the file', () => {
    const set = withYoRcEntry(yo, 'digests', { 'node:22': 'sha256:' + 'a'.repeat(64) });
    expect(JSON.parse(set)).toEqual({
      other: { keep: 1 },
      'generator-secure-container': { answers: { port: 3000 }, digests: { 'node:22': 'sha256:' + 'a'.repeat(64) } },
    });
    expect(readYoRcEntry(set, 'digests')).toEqual({ 'node:22': 'sha256:' + 'a'.repeat(64) });
    expect(JSON.parse(withYoRcEntry(set, 'digests', undefined))).toEqual(JSON.parse(yo));
  });
  it('hostile or odd files: never throws, reads nothing, leaves text that is not JSON as it is', () => {
    for (const bad of [
      '',
      'not json',
      '[]',
      'null',
      '{"generator-secure-container": []}',
      '{"generator-secure-container": {"digests": "x"}}',
    ])
      expect(readYoRcEntry(bad, 'digests')).toBeUndefined();
    expect(readYoRcEntry(undefined, 'digests')).toBeUndefined();
    expect(withYoRcEntry('not json', 'digests', {})).toBe('not json');
  });
});
