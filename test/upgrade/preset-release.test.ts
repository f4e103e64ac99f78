// Issue 17: a preset's additions are part of the rendered files, so upgrades three-way merge them
// like any generated line; a new preset version shows in the plan and in the fleet report
// (`upgrade --check --format json`).
import { describe, it, expect, afterAll } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../lib/cli/init.js';
import { runUpgradeCli } from '../../lib/cli/upgrade.js';
import { FLEET_REPORT_SCHEMA, type FleetReport } from '../../lib/upgrade/fleet.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sc-preset-release-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { cwd, stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** An app repository with the acme preset vendored at presets/acme (recorded relative to the root). */
function repo(): string {
  const dir = mkdtempSync(join(tmp, 'app-'));
  cpSync(join(ROOT, 'test/e2e/apps/node'), dir, { recursive: true });
  cpSync(join(ROOT, 'presets/acme-platform'), join(dir, 'presets/acme'), { recursive: true });
  return dir;
}

function bump(dir: string): void {
  const p = join(dir, 'presets/acme/preset.yaml');
  writeFileSync(
    p,
    readFileSync(p, 'utf8')
      .replace(/^version: 1\.2\.0$/m, 'version: 1.3.0')
      .replace('otel-agent:1.32.0', 'otel-agent:1.33.0'),
  );
}

async function fleet(dir: string): Promise<{ code: number; report: FleetReport }> {
  const c = io(dir);
  const code = await runUpgradeCli(['--check', '--format', 'json'], c.io);
  return { code, report: JSON.parse(c.out()) as FleetReport };
}

describe('upgrades with a preset', () => {
  it('init records the preset release; the fleet report says up to date', async () => {
    const dir = repo();
    const i = io(dir);
    expect(await runInit(['--yes', '--preset', './presets/acme/preset.yaml'], i.io)).toBe(0);
    const yoRc = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(yoRc['generator-secure-container'].presetRelease).toEqual({ name: 'acme-platform', version: '1.2.0' });
    const { code, report } = await fleet(dir);
    expect(code).toBe(0);
    expect(report.schema).toBe(FLEET_REPORT_SCHEMA);
    expect(report.status).toBe('up-to-date');
    expect(report.preset).toMatchObject({
      name: 'acme-platform',
      version: '1.2.0',
      recorded: '1.2.0',
      outdated: false,
    });
    expect(report.files.find((f) => f.path === 'Dockerfile')).toEqual({
      path: 'Dockerfile',
      status: 'unchanged',
      edited: false,
    });
    expect(report.audit).toMatchObject({ error: 0 });
  });

  it('a preset version bump: reported stale, then merged into the user’s edits with the change in the plan', async () => {
    const dir = repo();
    expect(await runInit(['--yes', '--preset', './presets/acme/preset.yaml'], io(dir).io)).toBe(0);
    // user edits: a line of their own in the Dockerfile and in compose.yaml
    const df = join(dir, 'Dockerfile');
    writeFileSync(df, readFileSync(df, 'utf8').replace(/^(EXPOSE 8080)$/m, '$1\n# ours: keep this note'));
    const compose = join(dir, 'compose.yaml');
    writeFileSync(
      compose,
      readFileSync(compose, 'utf8').replace(/^( {4}restart: on-failure:5)$/m, '$1\n    stop_grace_period: 20s'),
    );
    bump(dir);

    const before = await fleet(dir);
    expect(before.code).toBe(1);
    expect(before.report.status).toBe('out-of-date');
    expect(before.report.preset).toMatchObject({ version: '1.3.0', recorded: '1.2.0', outdated: true });
    expect(before.report.files.find((f) => f.path === 'Dockerfile')).toMatchObject({ status: 'stale', edited: true });
    expect(before.report.files.find((f) => f.path === 'compose.yaml')).toMatchObject({ status: 'edited' });

    const u = io(dir);
    expect(await runUpgradeCli([], u.io)).toBe(0);
    expect(u.out()).toContain('preset acme-platform 1.2.0 -> 1.3.0');
    expect(u.out()).toMatch(/merged\s+Dockerfile/);
    const merged = readFileSync(df, 'utf8');
    expect(merged).toContain('# ours: keep this note');
    expect(merged).toContain('otel-agent:1.33.0 /agent/ /opt/otel/');
    expect(merged).not.toContain('otel-agent:1.32.0');
    expect(merged).not.toContain('<<<<<<<');
    expect(merged).toMatch(/^# Team preset: acme-platform 1\.3\.0;/m);
    expect(readFileSync(compose, 'utf8')).toContain('stop_grace_period: 20s');

    const after = await fleet(dir);
    expect(after.code).toBe(0);
    expect(after.report.preset).toMatchObject({ version: '1.3.0', recorded: '1.3.0', outdated: false });
    expect(after.report.files.find((f) => f.path === 'Dockerfile')).toMatchObject({ status: 'edited', edited: true });
  });

  it('--format json without --check is a usage error', async () => {
    const c = io(tmp);
    expect(await runUpgradeCli(['--format', 'json'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--format json needs --check/);
  });
});
