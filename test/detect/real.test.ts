// Every fixture under test/fixtures/real/ (modelled on the shapes of real public repositories,
// issue 10) is run through `init --yes --format json` in a scratch copy, and its expected.json is
// checked: detected facts and their sources, answers, exit code, messages and the written files.
import { describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit } from '../../lib/cli/init.js';
import { packagePath } from '../../lib/core/paths.js';

export interface RealExpectation {
  about: string;
  args?: string[];
  exit?: number;
  facts?: Record<string, unknown>;
  sources?: Record<string, string>;
  answers?: Record<string, unknown>;
  stderr?: string;
  /** regexes: each must match one note of the plan */
  notes?: string[];
  contains?: Record<string, string[]>;
  absent?: Record<string, string[]>;
  e2e?: { probe: string };
}

export const REAL_DIR = packagePath('test', 'fixtures', 'real');

export function realFixtures(): { name: string; dir: string; expected: RealExpectation }[] {
  return readdirSync(REAL_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({
      name: e.name,
      dir: join(REAL_DIR, e.name),
      expected: JSON.parse(readFileSync(join(REAL_DIR, e.name, 'expected.json'), 'utf8')) as RealExpectation,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

interface PlanJson {
  facts: Record<string, { value: unknown; source: string } | undefined>;
  notes: string[];
  answers: Record<string, { value: unknown; source: string } | undefined>;
}

const fixtures = realFixtures();

describe('fixtures modelled on real repositories', () => {
  it('there are fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const dir = mkdtempSync(join(tmpdir(), `sc-real-${f.name}-`));
    try {
      cpSync(f.dir, dir, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
      const out: string[] = [];
      const err: string[] = [];
      const code = await runInit(['--yes', '--format', 'json', ...(f.expected.args ?? [])], {
        cwd: dir,
        stdout: (s) => out.push(s),
        stderr: (s) => err.push(s),
      });
      const stderr = err.join('');
      expect({ code, stderr: code === (f.expected.exit ?? 0) ? '' : stderr }).toEqual({
        code: f.expected.exit ?? 0,
        stderr: '',
      });
      if (f.expected.stderr) expect(stderr).toMatch(new RegExp(f.expected.stderr));
      if (code !== 0 && out.join('') === '') return;
      const plan = JSON.parse(out.join('')) as PlanJson;
      for (const [k, v] of Object.entries(f.expected.facts ?? {}))
        expect({ [k]: plan.facts[k]?.value ?? null }).toEqual({ [k]: v });
      for (const [k, re] of Object.entries(f.expected.sources ?? {}))
        expect({ [k]: plan.facts[k]?.source }).toEqual({ [k]: expect.stringMatching(new RegExp(re)) });
      for (const re of f.expected.notes ?? [])
        expect({ re, found: plan.notes.some((n) => new RegExp(re).test(n)) }).toEqual({ re, found: true });
      for (const [k, v] of Object.entries(f.expected.answers ?? {}))
        expect({ [k]: plan.answers[k]?.value }).toEqual({ [k]: v });
      for (const [file, res] of Object.entries(f.expected.contains ?? {})) {
        expect(existsSync(join(dir, file))).toBe(true);
        const text = readFileSync(join(dir, file), 'utf8');
        for (const re of res)
          expect({ file, text }).toEqual({ file, text: expect.stringMatching(new RegExp(re, 'm')) });
      }
      for (const [file, res] of Object.entries(f.expected.absent ?? {})) {
        const text = existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';
        for (const re of res) expect({ file, match: new RegExp(re, 'm').test(text) }).toEqual({ file, match: false });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
