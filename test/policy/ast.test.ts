// The memoized argument scan of dockerfile-ast (lib/policy/dockerfile/ast.ts) must be invisible:
// the same arguments and ranges as dockerfile-ast's own scan, a fresh array per call (callers mutate
// what they get: ModifiableInstruction.getArguments shifts the flags off), getters built on it intact.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerfileAst, rawArguments, scanRawArguments } from '../../lib/policy/dockerfile/ast.js';
import { ruleModules } from '../../lib/policy/rules/index.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/audit/corpus', import.meta.url));

const TEXT = [
  'FROM --platform=$BUILDPLATFORM node:22 AS build',
  'COPY --from=build --chown=1:1 a b /app/',
  'RUN --mount=type=cache,target=/root/.npm npm ci \\',
  '  && npm run build',
  'ENV A=1 B="two words"',
  'CMD ["node", "a b.js"]',
  '',
].join('\n');

const values = (args: { getValue(): string }[]): string[] => args.map((a) => a.getValue());
const view = (args: { getValue(): string; getRange(): unknown }[]): unknown[] =>
  args.map((a) => [a.getValue(), a.getRange()]);

function dockerfileTexts(): string[] {
  const out: string[] = [TEXT];
  for (const m of ruleModules)
    if (m.rule.meta.kind === 'dockerfile') for (const c of [...m.cases.valid, ...m.cases.invalid]) out.push(c.code);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.ya?ml$/.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(CORPUS);
  return out;
}

describe('dockerfile-ast with memoized arguments', () => {
  it('gives the same arguments and ranges as the unmemoized scan, for every rule case and corpus file', () => {
    let n = 0;
    for (const text of dockerfileTexts()) {
      for (const ins of dockerfileAst().DockerfileParser.parse(text).getInstructions()) {
        expect(view(rawArguments(ins))).toEqual(view(scanRawArguments(ins)));
        n++;
      }
    }
    expect(n).toBeGreaterThan(300);
  });

  it('hands out a fresh array each call; flags are still stripped by getArguments', () => {
    const ins = dockerfileAst().DockerfileParser.parse(TEXT).getInstructions();
    expect(values(ins[1].getArguments())).toEqual(['a', 'b', '/app/']);
    expect(values(rawArguments(ins[1]))).toEqual(['--from=build', '--chown=1:1', 'a', 'b', '/app/']);
    const mine = ins[1].getArguments();
    mine.shift();
    mine.length = 0;
    expect(values(ins[1].getArguments())).toEqual(['a', 'b', '/app/']);
    expect(rawArguments(ins[1])).not.toBe(rawArguments(ins[1]));
    expect(values(ins[2].getArguments())).toEqual(['npm', 'ci', '&&', 'npm', 'run', 'build']);
    expect(ins[2].getRawArgumentsContent()).toBe('npm ci \\\n  && npm run build');
    expect(ins[2].getArgumentsRange()?.start).toEqual({ line: 2, character: 41 });
  });
});
