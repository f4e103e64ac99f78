// --update-bot: renovate.json is validated against Renovate's own schema (renovate@44.121.2's
// renovate-schema.json, the file renovate-config-validator is generated with) plus the two checks
// the validator adds (known top-level options, real manager names); .github/dependabot.yml against
// SchemaStore's dependabot-2.0 schema. See test/fixtures/schemas/README.md for why not the validator itself.
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import type { Runtime } from '../../lib/core/types.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/schemas/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

// both schemas are draft-07 (ajv's default); their "$schema" URL is dropped so ajv does not look it up
// ajv-formats is CommonJS; its module.exports is the plugin function (Renovate's schema uses "regex")
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;
function compile(name: string) {
  const { $schema: _draft, ...schema } = fixture(name);
  return addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema);
}
const renovateSchema = fixture('renovate-schema.json') as { properties: Record<string, unknown> };
const validateRenovate = compile('renovate-schema.json');
const validateDependabot = compile('dependabot-2.0.json');
const MANAGERS = new Set((fixture('renovate-managers.json') as { managers: string[] }).managers);

const errors = (v: ReturnType<typeof compile>): string[] =>
  (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

const RUNTIMES = Object.keys(LAYOUTS);

function files(runtime: Runtime, bot: string, extra: Record<string, string | boolean> = {}) {
  const r = buildFiles(answersFor(runtime, { updateBot: bot, ...extra }), LAYOUTS[runtime]);
  return { files: new Map(r.files.map((f) => [f.path, f.contents])), findings: r.findings };
}

describe('--update-bot renovate', () => {
  it.each(RUNTIMES)('%s: renovate.json passes Renovate’s schema and names only real options and managers', (rt) => {
    const text = files(rt, 'renovate').files.get('renovate.json');
    expect(text).toBeDefined();
    const config = JSON.parse(text ?? '') as Record<string, unknown>;
    expect(validateRenovate(config) ? [] : errors(validateRenovate)).toEqual([]);
    // renovate-config-validator's "Invalid configuration option": a key the schema does not know
    for (const key of Object.keys(config))
      if (key !== '$schema') expect(renovateSchema.properties).toHaveProperty([key]);
    const managers = config['enabledManagers'] as string[];
    expect(managers.sort()).toEqual(['docker-compose', 'dockerfile', 'github-actions']);
    for (const m of managers) expect(MANAGERS.has(m)).toBe(true);
    expect(config['pinDigests']).toBe(true);
    expect(config['extends']).toEqual(['config:recommended']);
  });

  it('with --ci gitlab, the gitlabci manager keeps the pipeline’s pinned job images fresh, grouped with the bases', () => {
    const config = JSON.parse(files('node', 'renovate', { ci: 'gitlab' }).files.get('renovate.json') ?? '') as {
      enabledManagers: string[];
      packageRules: { matchManagers: string[]; groupName?: string }[];
    };
    expect(validateRenovate(config) ? [] : errors(validateRenovate)).toEqual([]);
    expect([...config.enabledManagers].sort()).toEqual(['docker-compose', 'dockerfile', 'github-actions', 'gitlabci']);
    for (const m of config.enabledManagers) expect(MANAGERS.has(m)).toBe(true);
    expect(config.packageRules.find((r) => r.groupName === 'container base images')?.matchManagers).toContain(
      'gitlabci',
    );
  });

  it('groups the non-major base-image updates into one PR and keeps majors apart', () => {
    const config = JSON.parse(files('node', 'renovate').files.get('renovate.json') ?? '') as {
      packageRules: { matchManagers: string[]; matchUpdateTypes?: string[]; groupName?: string }[];
    };
    const group = config.packageRules.find((r) => r.groupName === 'container base images');
    expect(group?.matchManagers.sort()).toEqual(['docker-compose', 'dockerfile']);
    expect(group?.matchUpdateTypes).toEqual(expect.arrayContaining(['digest', 'minor', 'patch']));
    expect(group?.matchUpdateTypes).not.toContain('major');
    // each rule's keys are options Renovate knows
    const ruleProps = Object.keys(
      (
        (renovateSchema as unknown as { definitions: { packageRules: { items: { allOf: { properties: object }[] } } } })
          .definitions.packageRules.items.allOf[0] ?? { properties: {} }
      ).properties,
    );
    // (a rule takes its matchers plus any option allowed inside packageRules, all known options)
    const known = new Set([...ruleProps, ...Object.keys(renovateSchema.properties)]);
    for (const rule of config.packageRules) for (const k of Object.keys(rule)) expect(known.has(k)).toBe(true);
    expect(ruleProps).toContain('matchUpdateTypes');
  });

  it('a broken config fails the same validation (the test can fail)', () => {
    expect(validateRenovate({ pinDigests: 'yes' })).toBe(false);
    expect(validateRenovate({ enabledManagers: 'dockerfile' })).toBe(false);
    expect(MANAGERS.has('docker')).toBe(false);
  });

  it('says what made it', () => {
    const config = JSON.parse(files('go', 'renovate').files.get('renovate.json') ?? '') as { description: string[] };
    expect(config.description[0]).toMatch(
      /^Generated by generator-secure-container .* Regenerate with `npx generator-secure-container upgrade`/,
    );
  });
});

describe('--update-bot dependabot', () => {
  it.each(RUNTIMES)('%s: .github/dependabot.yml passes the SchemaStore dependabot-2.0 schema', (rt) => {
    const text = files(rt, 'dependabot').files.get('.github/dependabot.yml');
    expect(text).toBeDefined();
    expect(text).toMatch(/^# Generated by generator-secure-container/);
    const doc = parse(text ?? '') as { version: number; updates: { 'package-ecosystem': string; directory: string }[] };
    expect(validateDependabot(doc) ? [] : errors(validateDependabot)).toEqual([]);
    expect(doc.version).toBe(2);
    expect(doc.updates.map((u) => u['package-ecosystem'])).toEqual(['docker', 'docker-compose', 'github-actions']);
    expect(doc.updates.every((u) => u.directory === '/')).toBe(true);
  });

  it('a broken config fails the same schema', () => {
    expect(
      validateDependabot({
        version: 2,
        updates: [{ 'package-ecosystem': 'dockerfile', directory: '/', schedule: { interval: 'weekly' } }],
      }),
    ).toBe(false);
  });
});

describe('--update-bot none', () => {
  it('writes no bot config, and the audit stays clean with either bot', () => {
    const none = files('node', 'none').files;
    expect([...none.keys()].filter((p) => /renovate|dependabot/.test(p))).toEqual([]);
    for (const bot of ['renovate', 'dependabot'])
      expect(files('python', bot).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('refuses an unknown bot with the allowed values', () => {
    expect(() => answersFor('node', { updateBot: 'greenkeeper' })).toThrow(/--update-bot.*none, renovate, dependabot/);
  });
});
