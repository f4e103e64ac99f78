// End to end through the real pipeline (lib/flow/generate.ts + lib/flow/write.ts) in a temporary project.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';
import { runInit } from '../../lib/cli/init.js';
import { runUpgrade, type RunUpgradeOptions } from '../../lib/upgrade/run.js';
import { countConflictMarkers } from '../../lib/merge/text.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function io(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      cwd: dir,
      stdout: (s: string) => void out.push(s),
      stderr: (s: string) => void err.push(s),
      interactive: false,
    },
    out,
    err,
  };
}

describe('runUpgrade (real pipeline)', () => {
  let dir: string;
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  const upgrade = async (o: Partial<RunUpgradeOptions> = {}) => {
    const t = io(dir);
    const code = await runUpgrade({
      root: dir,
      argvAnswers: {},
      dryRun: false,
      check: false,
      yes: true,
      io: t.io,
      ...o,
    });
    return { code, out: t.out.join(''), err: t.err.join('') };
  };
  const instr = (text: string) =>
    DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => `${i.getKeyword()} ${i.getArgumentsContent() ?? ''}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-upgrade-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'shop-api',
        version: '1.0.0',
        main: 'server.js',
        scripts: { start: 'node server.js' },
        engines: { node: '22' },
      }),
    );
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({ name: 'shop-api', lockfileVersion: 3, requires: true, packages: { '': { name: 'shop-api' } } }),
    );
    writeFileSync(join(dir, 'server.js'), 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n');
    cpSync(join(ROOT, 'presets'), join(dir, 'presets'), { recursive: true });
    const t = io(dir);
    expect(await runInit(['--yes'], t.io)).toBe(0);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a no-op right after init, and --check passes', async () => {
    const r = await upgrade();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^summary: 4 unchanged$/m);
    expect((await upgrade({ check: true })).code).toBe(0);
  });

  it('--dry-run shows the plan and diffs and writes nothing', async () => {
    const before = read('Dockerfile');
    const r = await upgrade({ argvAnswers: { port: '9090' }, dryRun: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain('+EXPOSE 9090');
    expect(r.out).toContain('dry run: nothing written');
    expect(read('Dockerfile')).toBe(before);
  });

  it('--port 9090 flows into every file, keeping the user edit; the second run changes nothing', async () => {
    writeFileSync(
      join(dir, 'Dockerfile'),
      read('Dockerfile').replace('WORKDIR /app\n', 'WORKDIR /app\nENV NODE_OPTIONS=--max-old-space-size=384\n'),
    );
    const r = await upgrade({ argvAnswers: { port: '9090' } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/merged\s+Dockerfile/);
    const ins = instr(read('Dockerfile'));
    expect(ins).toContain('EXPOSE 9090');
    expect(ins).toContain('ENV NODE_OPTIONS=--max-old-space-size=384');
    expect(parseYaml(read('compose.yaml')).services['shop-api'].ports).toEqual(['127.0.0.1:9090:9090']);
    const again = await upgrade();
    expect(again.out).not.toMatch(/^\s+(update|merged|create)\s/m);
    expect((await upgrade({ check: true })).code).toBe(0);
  });

  it('a preset is applied, recorded and re-applied; a conflicting flag exits 2 naming it', async () => {
    const r = await upgrade({ preset: 'presets/internal-mirror-vault.yaml', strategy: 'theirs' });
    expect(r.code).toBe(0);
    const df = read('Dockerfile');
    expect(
      DockerfileParser.parse(df)
        .getFROMs()
        .every((f) => f.getImage()!.startsWith('registry.internal.example/mirror/')),
    ).toBe(true);
    expect(instr(df)).toContain('USER 20001:20001');
    expect(JSON.parse(read('.yo-rc.json'))['generator-secure-container'].preset).toBe(
      'presets/internal-mirror-vault.yaml',
    );
    const bad = await upgrade({ argvAnswers: { uid: '10001' } });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/uid.*conflicts with preset internal-mirror-vault which fixes uid to 20001/);
    expect(countConflictMarkers(read('Dockerfile'))).toBe(0);
  });

  it('a true conflict writes markers, exits 1 and --check then fails', async () => {
    writeFileSync(join(dir, 'Dockerfile'), read('Dockerfile').replace('EXPOSE 9090', 'EXPOSE 9091'));
    const r = await upgrade({ argvAnswers: { port: '9092' } });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/conflict\s+Dockerfile/);
    expect(countConflictMarkers(read('Dockerfile'))).toBe(1);
    expect((await upgrade({ check: true })).code).toBe(1);
  });

  it('without state it refuses with exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sc-empty-'));
    const t = io(empty);
    expect(await runUpgrade({ root: empty, argvAnswers: {}, dryRun: false, check: false, yes: true, io: t.io })).toBe(
      2,
    );
    expect(t.err.join('')).toMatch(/nothing to upgrade/);
    rmSync(empty, { recursive: true, force: true });
  });
});
