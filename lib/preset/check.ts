// `secure-container preset test [path]`: is a preset usable for every service it may meet? The
// preset is loaded and validated (schema, cross-field checks), then a sample app of every runtime
// × flavour the preset allows is generated with it, in memory, and held to the generator's own
// self-check: the preset's additions (lib/preset/extend.ts) and the whole rendered files, audited
// with the preset's policy. One row per combination; any failure makes the command exit 1.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MAX_READ_BYTES, readRegularFile } from '../fs/safe.js';
import { resolveAnswers } from '../core/answers/resolve.js';
import type { Flavor, Runtime } from '../core/types.js';
import { buildFiles } from '../flow/generate.js';
import { profiles } from '../runtimes/index.js';
import { escapeControl } from '../text/escape.js';
import { presetValueValidator, toPresetInput } from './bridge.js';
import { checkPresetContent, presetLabel } from './extend.js';
import { loadPreset } from './load.js';

export interface PresetTestRow {
  runtime: Runtime;
  flavor: Flavor;
  ok: boolean;
  /** files generated (ok) or the first problems (failed), one line each */
  detail: string[];
}

export interface PresetTestResult {
  /** `name version` of the preset, or the reference when it did not load */
  preset: string;
  /** the preset failed to load or validate: no rows */
  invalid?: string;
  rows: PresetTestRow[];
  ok: boolean;
}

/** `"node server.js"` (a runtime's start example, as shown in messages) -> argv string. */
function exampleStart(example: string): string {
  const t = example.trim();
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

export async function testPreset(ref: string, cwd: string): Promise<PresetTestResult> {
  let resolved;
  try {
    resolved = await loadPreset(ref, cwd, { origin: 'explicit', validateValue: presetValueValidator });
  } catch (e) {
    if ((e as Error).name !== 'PresetError') throw e;
    return { preset: escapeControl(ref), invalid: (e as Error).message, rows: [], ok: false };
  }
  const input = toPresetInput(resolved);
  const label = input.build.preset ? presetLabel(input.build.preset) : escapeControl(resolved.name);
  const lockedRuntime = input.locked.runtime as Runtime | undefined;
  const lockedFlavor = input.locked.flavor as Flavor | undefined;
  const rows: PresetTestRow[] = [];
  for (const p of profiles()) {
    if (lockedRuntime !== undefined && p.runtime !== lockedRuntime) continue;
    for (const flavor of p.flavors) {
      if (lockedFlavor !== undefined && flavor !== lockedFlavor) continue;
      rows.push(sampleRow(p.runtime, flavor, exampleStart(p.startExample('sample')), input));
    }
  }
  return { preset: label, rows, ok: rows.length > 0 && rows.every((r) => r.ok) };
}

function sampleRow(
  runtime: Runtime,
  flavor: Flavor,
  start: string,
  input: ReturnType<typeof toPresetInput>,
): PresetTestRow {
  const problems: string[] = [];
  try {
    const facts = { runtime: { value: runtime, source: 'sample app' } };
    const cli = { name: 'sample', start, ...(input.locked.flavor === undefined ? { flavor } : {}) };
    const { answers } = resolveAnswers({
      facts,
      layout: { manifests: [] },
      dirName: 'sample',
      cli,
      locked: input.locked,
      presetDefaults: input.defaults,
      presetName: input.name,
    });
    const p = profiles().find((x) => x.runtime === runtime);
    if (!p) throw new Error(`no runtime ${runtime}`);
    const layout = p.layout(facts, answers, {});
    const { spec, files, findings } = buildFiles(answers, layout, input.build);
    checkPresetContent(spec, files, input.build.policy);
    for (const f of findings)
      if (f.severity === 'error') problems.push(`${f.file}:${f.line} ${f.rule} ${escapeControl(f.message)}`);
    for (const f of files) {
      if (!/^(compose\.ya?ml|.*\.ya?ml)$/.test(f.path)) continue;
      try {
        parseYaml(f.contents);
      } catch (e) {
        problems.push(`${f.path}: not valid YAML (${escapeControl((e as Error).message.split('\n')[0])})`);
      }
    }
    return problems.length
      ? { runtime, flavor, ok: false, detail: problems }
      : { runtime, flavor, ok: true, detail: [`${files.length} files, self-check clean`] };
  } catch (e) {
    return { runtime, flavor, ok: false, detail: (e as Error).message.split('\n').map(escapeControl) };
  }
}

/** The result as a table for people (one row per runtime × flavour, problems indented below). */
export function renderPresetTest(r: PresetTestResult): string {
  if (r.invalid)
    return `preset ${r.preset}: INVALID\n${r.invalid
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`;
  const out = [`preset ${r.preset}: ${r.rows.length} sample apps (runtime × flavour)`, ''];
  out.push(`${'runtime'.padEnd(8)} ${'flavour'.padEnd(11)} result`);
  for (const row of r.rows) {
    out.push(
      `${row.runtime.padEnd(8)} ${row.flavor.padEnd(11)} ${row.ok ? 'ok  ' : 'FAIL'}  ${row.ok ? row.detail[0] : ''}`,
    );
    if (!row.ok) for (const d of row.detail.slice(0, 8)) out.push(`    ${d}`);
  }
  const failed = r.rows.filter((x) => !x.ok).length;
  out.push('', failed ? `${failed} of ${r.rows.length} failed` : `all ${r.rows.length} passed`);
  return out.join('\n') + '\n';
}

/** A preset file, or a package directory's preset (package.json "secure-container-preset", else preset.yaml/.yml/.json). */
export function presetFileOf(abs: string): string | { error: string } {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return { error: `${abs}: no such file or directory` };
  }
  if (!st.isDirectory()) return abs;
  const pj = readRegularFile(join(abs, 'package.json'), { maxBytes: MAX_READ_BYTES });
  if (pj.ok) {
    try {
      const field = (JSON.parse(pj.text) as Record<string, unknown>)['secure-container-preset'];
      if (typeof field === 'string' && field !== '') return join(abs, field);
    } catch {
      return { error: `${join(abs, 'package.json')}: not valid JSON` };
    }
  }
  for (const f of ['preset.yaml', 'preset.yml', 'preset.json']) if (existsSync(join(abs, f))) return join(abs, f);
  return { error: `${abs}: no preset here (package.json "secure-container-preset", or preset.yaml)` };
}
