import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  applyPreset,
  loadPreset,
  mergePresetDocs,
  presetFixed,
  presetLabels,
  presetPolicy,
  PresetError,
  resolvePresetChain,
  validatePresetDoc,
  type PresetDoc,
  type PresetSource,
} from '../../lib/preset/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function error(p: Promise<unknown>): Promise<PresetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PresetError);
    return e as PresetError;
  }
  throw new Error('expected a PresetError');
}

describe('example presets in presets/', () => {
  it('internal-mirror-vault: mirror, allow-list, uid/gid, vault, labels, severity', async () => {
    const p = await loadPreset('presets/internal-mirror-vault.yaml', ROOT);
    expect(p.name).toBe('internal-mirror-vault');
    expect(p.record).toBe('presets/internal-mirror-vault.yaml');
    expect(presetFixed(p)).toEqual({
      registry: 'registry.internal.example/mirror',
      uid: 20001,
      gid: 20001,
      secretProvider: 'vault',
      vaultAddr: 'https://vault.internal.example:8200',
      vaultMount: 'kv',
    });
    expect(presetPolicy(p)).toEqual({
      allowedRegistries: ['registry.internal.example/mirror'],
      rules: { SC1026: 'error' },
      failOn: 'warning',
    });
    expect(presetLabels(p)).toEqual({
      'org.opencontainers.image.vendor': 'Example Corp',
      'com.example.team': 'platform',
      'com.example.cost-center': 'cc-1234',
    });
    expect(applyPreset(p, { cliAnswers: {} }).defaults).toEqual({ flavor: 'distroless' });
  });

  it('aws: extends base.yaml; child wins, objects merge, the chain is recorded', async () => {
    const p = await loadPreset('./presets/aws.yaml', ROOT);
    expect(p.chain).toEqual(['presets/base.yaml', 'presets/aws.yaml']);
    expect(p.record).toBe('presets/aws.yaml');
    expect(presetFixed(p)).toEqual({ secretProvider: 'aws', awsRegion: 'eu-west-1' });
    expect(presetLabels(p)).toEqual({
      'org.opencontainers.image.vendor': 'Example Corp',
      'com.example.platform': 'aws',
    });
    expect(presetPolicy(p)).toEqual({ rules: { SC1026: 'error', SC2015: 'warning' }, failOn: 'error' });
    expect(applyPreset(p, { cliAnswers: {} }).defaults).toEqual({ bind: '127.0.0.1' });
  });

  it('every shipped preset validates against the schema as written', () => {
    for (const f of ['base.yaml', 'aws.yaml', 'internal-mirror-vault.yaml']) {
      expect(() => validatePresetDoc(parseYaml(readFileSync(join(ROOT, 'presets', f), 'utf8')), f)).not.toThrow();
    }
  });
});

describe('validation errors name the preset and the field', () => {
  it('lists every problem of an invalid preset', async () => {
    const e = await error(loadPreset('test/fixtures/preset/invalid.yaml', ROOT));
    const lines = e.message.split('\n');
    const p = 'preset test/fixtures/preset/invalid.yaml: ';
    expect(lines).toEqual(
      expect.arrayContaining([
        `${p}fixed.port: must be integer`,
        `${p}fixed: unknown field "prot"`,
        `${p}fixed.flavor: must be one of "distroless", "alpine", "scratch"`,
        `${p}uid: must be >= 10000`,
        `${p}audit.severity.SC1026: must be one of "off", "info", "warning", "error"`,
      ]),
    );
    expect(lines.some((l) => l.startsWith(`${p}labels["Bad Label"]: invalid name`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${p}audit.severity.DL3000: invalid name`))).toBe(true);
    expect(lines.every((l) => l.startsWith(p))).toBe(true);
  });

  it('reports unparseable YAML, missing files and unknown packages', async () => {
    // the kind of mistake and where, never the text (the parsers' messages quote the document)
    expect((await error(loadPreset('test/fixtures/preset/not-yaml.yaml', ROOT))).message).toMatch(
      /^preset test\/fixtures\/preset\/not-yaml\.yaml: is not valid YAML \([A-Z_]+ at line \d+, column \d+\)$/,
    );
    expect((await error(loadPreset('./nope.yaml', ROOT))).message).toBe('preset nope.yaml: cannot read: no such file');
    expect((await error(loadPreset('@acme/does-not-exist', ROOT, { origin: 'explicit' }))).message).toMatch(
      /^preset @acme\/does-not-exist: package not found/,
    );
    expect((await error(loadPreset('Not A Package', ROOT, { origin: 'explicit' }))).message).toMatch(
      /not a file path or an npm package name/,
    );
  });

  it('checks the mirror against the preset allow-list and shorthands against fixed', async () => {
    expect((await error(loadPreset('test/fixtures/preset/registry-outside-allowlist.yaml', ROOT))).message).toMatch(
      /registry: is not covered by allowedRegistries: the generated images would fail the preset's own audit/,
    );
    expect((await error(loadPreset('test/fixtures/preset/shorthand-contradiction.yaml', ROOT))).message).toMatch(
      /uid: contradicts fixed\.uid/,
    );
  });

  it('checks answer values with the injected answers validator', async () => {
    const seen: string[] = [];
    const e = await error(
      loadPreset('test/fixtures/preset/bad-value.yaml', ROOT, {
        validateValue: (key, value, fixed) => {
          seen.push(key);
          return key === 'runtimeVersion' && fixed.runtime === 'go' && value === '1.0'
            ? 'go 1.0 is not supported: allowed 1.22, 1.23'
            : null;
        },
      }),
    );
    expect(e.message).toBe(
      'preset test/fixtures/preset/bad-value.yaml: fixed.runtimeVersion: go 1.0 is not supported: allowed 1.22, 1.23',
    );
    expect(seen).toEqual(['runtime', 'flavor', 'runtimeVersion']);
  });

  it('rejects a non-object document', () => {
    expect(() => validatePresetDoc(['x'], 'list.yaml')).toThrow(
      'preset list.yaml: must be a mapping (YAML) or an object (JSON)',
    );
  });
});

describe('locked answers', () => {
  it('a conflicting CLI flag is an error naming flag, value, preset and locked value', async () => {
    const p = await loadPreset('test/fixtures/preset/locked-port.json', ROOT);
    const r = applyPreset(p, { cliAnswers: { port: 9090, name: 'shop', dataDirs: ['/data'] } });
    expect(r.errors).toEqual([
      '--port 9090 conflicts with preset locked-port which fixes port to 8080',
      '--data-dir /data conflicts with preset locked-port which fixes dataDirs to /var/lib/app',
    ]);
  });

  it('the same value given as a flag (even as a string) is fine', async () => {
    const p = await loadPreset('test/fixtures/preset/locked-port.json', ROOT);
    expect(applyPreset(p, { cliAnswers: { port: '8080', uid: 20001, dataDirs: ['/var/lib/app'] } }).errors).toEqual([]);
  });

  it('stored answers the preset now overrides become notes; defaults skip locked keys', async () => {
    const p = await loadPreset('test/fixtures/preset/locked-port.json', ROOT);
    const r = applyPreset(p, { cliAnswers: {}, storedAnswers: { uid: 10001, port: 8080 } });
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual(['preset locked-port fixes uid to 20001 (was 10001 in .yo-rc.json)']);
    expect(r.defaults).toEqual({ flavor: 'distroless', healthPath: '/healthz' }); // port is locked, its default dropped
    expect(r.fixed).toMatchObject({ port: 8080, uid: 20001, registry: 'registry.internal.example/mirror' });
  });

  it('uses the given flag names', async () => {
    const p = await loadPreset('presets/aws.yaml', ROOT);
    const r = applyPreset(p, { cliAnswers: { awsRegion: 'us-east-1' }, flagFor: (k) => `x-${k}` });
    expect(r.errors).toEqual(['--x-awsRegion us-east-1 conflicts with preset aws which fixes awsRegion to eu-west-1']);
  });
});

describe('extends', () => {
  it('a JSON preset extends a list of YAML presets: later parents and the child win, arrays are replaced', async () => {
    const p = await loadPreset('test/fixtures/preset/locked-port.json', ROOT);
    expect(p.chain).toEqual([
      'presets/internal-mirror-vault.yaml',
      'test/fixtures/preset/extra-labels.yaml',
      'test/fixtures/preset/locked-port.json',
    ]);
    expect(presetLabels(p)).toEqual({
      'org.opencontainers.image.vendor': 'Example Corp',
      'com.example.team': 'payments',
      'com.example.cost-center': 'cc-1234',
      'com.example.tier': '1',
    });
    expect(presetPolicy(p).allowedRegistries).toEqual([
      'registry.internal.example/mirror',
      'registry.internal.example/team',
    ]);
  });

  it('a cycle is an error naming the chain', async () => {
    const e = await error(loadPreset('test/fixtures/preset/cycle-a.yaml', ROOT));
    expect(e.message).toBe(
      'preset test/fixtures/preset/cycle-a.yaml: extends cycle: test/fixtures/preset/cycle-a.yaml -> test/fixtures/preset/cycle-b.yaml -> test/fixtures/preset/nested/cycle-c.yaml -> test/fixtures/preset/cycle-a.yaml',
    );
    expect((await error(loadPreset('test/fixtures/preset/self.yaml', ROOT))).message).toMatch(
      /extends cycle: .*self\.yaml -> .*self\.yaml$/,
    );
  });

  it('resolvePresetChain is pure over its reader: diamonds are not cycles', async () => {
    const docs: Record<string, PresetDoc> = {
      top: { name: 'top', extends: ['left', 'right'], fixed: { port: 8000 } },
      left: { extends: 'root', labels: { side: 'left' } },
      right: { extends: 'root', labels: { side: 'right' }, allowedRegistries: ['b'] },
      root: { labels: { base: 'yes' }, allowedRegistries: ['a', 'c'], fixed: { port: 7000, name: 'svc' } },
    };
    const read = (ref: string): PresetSource => ({ id: ref, display: ref, dir: '/', doc: docs[ref] });
    const r = await resolvePresetChain('top', '/', read);
    expect(r.chain).toEqual(['root', 'left', 'root', 'right', 'top']);
    expect(r.preset.labels).toEqual({ base: 'yes', side: 'right' });
    expect(r.preset.allowedRegistries).toEqual(['b']);
    expect(r.preset.fixed).toEqual({ port: 8000, name: 'svc' });
    docs.root.extends = 'top';
    await expect(resolvePresetChain('top', '/', read)).rejects.toThrow(
      'preset top: extends cycle: top -> left -> root -> top',
    );
  });

  it('bounds a hostile graph: depth and number of documents (a diamond lattice would otherwise explode)', async () => {
    const deep = (ref: string): PresetSource => ({ id: ref, display: ref, dir: '/', doc: { extends: `${ref}x` } });
    await expect(resolvePresetChain('p', '/', deep)).rejects.toThrow(
      /^preset p: extends is nested deeper than 16 levels$/,
    );
    // each level extends the next twice: 2^n visits without the cap
    let reads = 0;
    const lattice = (ref: string): PresetSource => {
      reads++;
      return { id: ref, display: ref, dir: '/', doc: ref.length < 15 ? { extends: [`${ref}a`, `${ref}a`] } : {} };
    };
    await expect(resolvePresetChain('p', '/', lattice)).rejects.toThrow(/more than 64 preset documents/);
    expect(reads).toBeLessThanOrEqual(64);
  });

  it('mergePresetDocs: a "__proto__" key stays a plain key', () => {
    const child = JSON.parse(
      '{"fixed": {"vaultPaths": {"__proto__": "x"}}, "__proto__": {"polluted": true}}',
    ) as Record<string, unknown>;
    const merged = mergePresetDocs({ fixed: {} }, child);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['fixed', '__proto__']);
  });

  it('mergePresetDocs: objects merge recursively, arrays and scalars are replaced', () => {
    expect(mergePresetDocs({ a: { x: 1, y: [1, 2] }, b: 1 }, { a: { y: [3] }, b: 2 })).toEqual({
      a: { x: 1, y: [3] },
      b: 2,
    });
  });
});

describe('presets from npm packages (data only: read, never imported)', () => {
  let dir: string;
  let state: string;
  const explicit = () => ({ origin: 'explicit' as const, stateDir: state });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-preset-'));
    state = mkdtempSync(join(tmpdir(), 'sc-preset-state-'));
    const pkg = (name: string, files: Record<string, string>) => {
      const d = join(dir, 'node_modules', ...name.split('/'));
      mkdirSync(d, { recursive: true });
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(d, f, '..'), { recursive: true });
        writeFileSync(join(d, f), text);
      }
    };
    pkg('@acme/container-preset', {
      'package.json': JSON.stringify({
        name: '@acme/container-preset',
        version: '1.0.0',
        exports: { '.': './index.js' },
        'secure-container-preset': 'presets/team.yaml',
      }),
      'presets/team.yaml': 'name: acme-team\nextends: ./common.yaml\nuid: 30001\ngid: 30001\n',
      'presets/common.yaml': 'labels:\n  org.opencontainers.image.vendor: ACME\n',
    });
    pkg('plain-preset', {
      'package.json': '{"name":"plain-preset","version":"1.0.0"}',
      'preset.json': '{"secretProvider":"aws","aws":{"region":"eu-central-1"}}',
    });
    pkg('yaml-extends-preset', {
      'package.json': '{"name":"yaml-extends-preset","version":"1.0.0"}',
      'preset.yaml': 'extends: plain-preset\ndefaults: {port: 8443}\n',
    });
    // JavaScript presets are no longer loaded: importing would run the package's code
    pkg('js-preset', {
      'package.json': '{"name":"js-preset","version":"1.0.0","main":"index.mjs"}',
      'index.mjs': 'export default { extends: "plain-preset", defaults: { port: 8443 } };\n',
    });
    pkg('js-field-preset', {
      'package.json': '{"name":"js-field-preset","version":"1.0.0","secure-container-preset":"preset.js"}',
      'preset.js': 'module.exports = {};\n',
    });
    pkg('escaping-preset', {
      'package.json':
        '{"name":"escaping-preset","version":"1.0.0","secure-container-preset":"../plain-preset/preset.json"}',
    });
    pkg('escaping-extends', {
      'package.json': '{"name":"escaping-extends","version":"1.0.0"}',
      'preset.yaml': 'extends: ../plain-preset/preset.json\n',
    });
    pkg('broken-preset', {
      'package.json': '{"name":"broken-preset","version":"1.0.0","secure-container-preset":"p.yaml"}',
      'p.yaml': 'fixed: {port: 80}\n',
    });
    mkdirSync(join(dir, 'app', 'sub'), { recursive: true });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  it('resolves the secure-container-preset field (even when exports hide package.json) and relative extends inside the package', async () => {
    const p = await loadPreset('@acme/container-preset', join(dir, 'app', 'sub'), explicit());
    expect(p.name).toBe('acme-team');
    expect(p.record).toBe('@acme/container-preset');
    expect(p.chain).toEqual(['@acme/container-preset/presets/common.yaml', '@acme/container-preset']);
    expect(presetFixed(p)).toEqual({ uid: 30001, gid: 30001 });
    expect(presetLabels(p)).toEqual({ 'org.opencontainers.image.vendor': 'ACME' });
  });

  it('falls back to preset.json / preset.yaml at the package root; a package extends another', async () => {
    expect(presetFixed(await loadPreset('plain-preset', dir, explicit()))).toEqual({
      secretProvider: 'aws',
      awsRegion: 'eu-central-1',
    });
    const y = await loadPreset('yaml-extends-preset', dir, explicit());
    expect(presetFixed(y)).toEqual({ secretProvider: 'aws', awsRegion: 'eu-central-1' });
    expect(applyPreset(y, { cliAnswers: {} }).defaults).toEqual({ port: 8443 });
  });

  it('a package whose preset is JavaScript gets one clear error (it is never imported)', async () => {
    for (const name of ['js-preset', 'js-field-preset']) {
      const e = await error(loadPreset(name, dir, explicit()));
      expect(e.message).toMatch(
        new RegExp(
          `^preset ${name}: presets are data: declare a YAML or JSON file in package.json "secure-container-preset"`,
        ),
      );
      expect(e.message.split('\n')).toHaveLength(1);
    }
  });

  it('package files must stay inside the package', async () => {
    expect((await error(loadPreset('escaping-preset', dir, explicit()))).message).toMatch(
      /^preset escaping-preset: package\.json "secure-container-preset" points outside the package$/,
    );
    expect((await error(loadPreset('escaping-extends', dir, explicit()))).message).toMatch(
      /^preset escaping-extends: extends "\.\.\/plain-preset\/preset\.json" points outside the package$/,
    );
  });

  it('a recorded package is not read without confirmation', async () => {
    const e = await error(loadPreset('plain-preset', dir, { origin: 'recorded', stateDir: state }));
    expect(e.kind).toBe('untrusted');
    expect(e.message).toBe(
      'the recorded preset "plain-preset" is an npm package in this repository\'s node_modules: check it, then confirm once with --trust-preset (or pass --preset plain-preset)',
    );
  });

  it('validation errors name the package', async () => {
    expect((await error(loadPreset('broken-preset', dir, explicit()))).message).toBe(
      'preset broken-preset: fixed.port: must be >= 1024',
    );
  });
});
