// A bare `npx secure-container` runs the unrelated registry package of that name. Every command we
// print, generate or document must name our package: `npx generator-secure-container …` (whose
// bins include one of the same name, so npx runs ours) or `npx -p generator-secure-container …`.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_COMMAND } from '../../lib/core/version.js';
import { runInit } from '../../lib/cli/init.js';
import { generateScenario, SCENARIOS } from '../golden/scenarios.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BARE = /\bnpx\s+secure-container\b/;

function files(dir: string, keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

function offenders(paths: string[]): string[] {
  return paths
    .filter((p) => statSync(p).size < 1_000_000 && BARE.test(readFileSync(p, 'utf8')))
    .map((p) => relative(ROOT, p));
}

describe('every printed command names our package', () => {
  it('the command prefix is our package, and its bin of the same name exists', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      name: string;
      bin: Record<string, string>;
    };
    expect(CLI_COMMAND).toBe(`npx ${pkg.name}`);
    // npx runs the bin named like the package (or the only one): both names point at our CLI
    expect(pkg.bin[pkg.name]).toBe(pkg.bin['secure-container']);
  });

  it('no doc, template or source prints a bare `npx secure-container`', () => {
    const docs = [
      join(ROOT, 'README.md'),
      join(ROOT, 'SECURITY.md'),
      ...files(join(ROOT, 'docs'), (p) => p.endsWith('.md')),
    ];
    const sources = [
      ...files(join(ROOT, 'templates'), () => true),
      ...files(join(ROOT, 'lib'), (p) => p.endsWith('.ts')),
      ...files(join(ROOT, 'generators'), (p) => p.endsWith('.ts')),
      ...files(join(ROOT, 'bin'), (p) => p.endsWith('.ts')),
    ];
    expect(offenders([...docs, ...sources])).toEqual([]);
  });

  it('no generated file of any golden scenario does', async () => {
    const bad: string[] = [];
    for (const s of SCENARIOS) {
      for (const [path, text] of await generateScenario(s)) if (BARE.test(text)) bad.push(`${s.name}/${path}`);
    }
    expect(bad).toEqual([]);
  });

  it('the CLI help and messages do not', async () => {
    let out = '';
    const io = {
      cwd: ROOT,
      stdout: (s: string) => void (out += s),
      stderr: (s: string) => void (out += s),
      interactive: false,
    };
    await runInit(['--help'], io);
    expect(out).not.toMatch(BARE);
  });
});
