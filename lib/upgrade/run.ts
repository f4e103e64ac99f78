// `secure-container upgrade`: stored answers (+ changed answers) (+ preset) -> new rendering ->
// three-way merge into the user's files. The I/O edge around planUpgrade/checkDrift.
import type { RawAnswers } from '../core/answers/resolve.js';
import { AnswerError } from '../core/types.js';
import { CLI_COMMAND, GENERATOR_VERSION } from '../core/version.js';
import type { Io } from '../cli/io.js';
import {
  answerInputs,
  collectAnswers,
  gatherContext,
  generate,
  SelfCheckError,
  type PresetInput,
} from '../flow/generate.js';
import { digestsFor } from '../registry-client/flow.js';
import type { MergeStrategy } from '../merge/merge3.js';
import type { PresetTrustOptions } from '../preset/types.js';
import { YO_RC } from '../state/index.js';
import { applyUpgrade, planRun, readText } from '../flow/write.js';
import { escapeControl, escapeText } from '../text/escape.js';
import { checkDrift, driftExitCode } from './drift.js';
import { fleetReport } from './fleet.js';
import { auditGenerated } from '../policy/index.js';
import { readPresetRelease, type PresetRelease } from '../preset/release.js';
import { renderUpgradePlan, renderSecretFileSteps, type SecretFileState } from './render.js';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';

export interface RunUpgradeOptions {
  root: string;
  /** answers given as flags in this run (raw, as parsed from argv): they replace the stored ones */
  argvAnswers: RawAnswers;
  dryRun: boolean;
  check: boolean;
  strategy?: MergeStrategy;
  yes: boolean;
  /** --preset: replaces the recorded preset */
  preset?: string;
  io: Io;
  /** --trust-preset: confirm the recorded (npm package) preset for this checkout */
  trustPreset?: boolean;
  /** preset loader (default: lib/preset/bridge.ts loadPresetInput) */
  loadPresetInput?: (ref: string, root: string, trust?: PresetTrustOptions) => Promise<PresetInput>;
  /** generator version to record (default: this package's version) */
  version?: string;
  /** --check --format json: the fleet report (lib/upgrade/fleet.ts) instead of text */
  format?: 'text' | 'json';
}

/** Exit codes: 0 ok; 1 conflicts left (non-interactive), drift found (--check) or self-check failure; 2 usage/state/preset errors. */
export async function runUpgrade(opts: RunUpgradeOptions): Promise<number> {
  const { io } = opts;
  const version = opts.version ?? GENERATOR_VERSION;
  // messages quote repository content (paths, JSON errors): control characters shown, not sent
  const err = (s: string) => {
    io.stderr(escapeText(s.endsWith('\n') ? s : s + '\n'));
  };
  try {
    const ctx = await gatherContext(opts.root);
    const state = ctx.state;
    if (!state) {
      err(
        `secure-container upgrade: nothing to upgrade in ${ctx.root}: no ${YO_RC} entry or .secure-container/ state; run ${CLI_COMMAND} init first`,
      );
      return 2;
    }
    for (const p of state.problems) err(`warning: ${escapeControl(p)}`);

    const presetRef = opts.preset ?? state.preset;
    const load = opts.loadPresetInput ?? (await import('../preset/bridge.js')).loadPresetInput;
    // --preset is the user's choice; the recorded one is the repository's (untrusted: lib/preset/load.ts)
    const trust: PresetTrustOptions = {
      origin: opts.preset ? 'explicit' : 'recorded',
      trust: opts.trustPreset === true,
      warn: (w) => {
        err(`warning: ${escapeControl(w)}`);
      },
    };
    const preset = presetRef ? await load(presetRef, ctx.root, trust) : undefined;

    // --check compares against the stored answers only (what CI has committed)
    const cli = opts.check ? {} : opts.argvAnswers;
    const { answers, sources } = await collectAnswers(answerInputs(ctx, cli, preset));
    // --pin-digests: the recorded digests are reused; only references new to this render are resolved
    const g = generate(ctx, answers, sources, preset, await digestsFor(ctx, answers, preset));
    const read = (p: string) => readText(ctx.root, p);

    if (opts.check) {
      const report = checkDrift({ state, current: read, rendered: g.files, currentVersion: version });
      const code = driftExitCode(report);
      if (opts.format === 'json') {
        const onDisk = g.files.flatMap((f) => {
          const text = read(f.path);
          return text === undefined ? [] : [{ path: f.path, contents: text }];
        });
        const fleet = fleetReport({
          state,
          current: read,
          rendered: g.files,
          currentVersion: version,
          drift: report,
          ...(presetRef ? { presetRef } : {}),
          ...withRelease('recordedPreset', readPresetRelease(ctx.yoRcText)),
          ...withRelease(
            'currentPreset',
            g.spec.preset
              ? { name: g.spec.preset.name, ...(g.spec.preset.version ? { version: g.spec.preset.version } : {}) }
              : undefined,
          ),
          findings: auditGenerated(onDisk, preset?.build.policy),
        });
        io.stdout(JSON.stringify(fleet, null, 2) + '\n');
        return fleet.status === 'up-to-date' ? 0 : 1;
      }
      if (code === 0) {
        io.stdout(
          `up to date: generated by ${escapeControl(state.version)} from the stored answers${report.edited.length ? `; your edits in ${report.edited.map(escapeControl).join(', ')} are kept by upgrades` : ''}\n`,
        );
      } else {
        io.stdout(
          `out of date:\n${report.reasons.map((r) => `  ${escapeControl(r)}`).join('\n')}\nrun: ${CLI_COMMAND} upgrade\n`,
        );
      }
      return code;
    }

    const run = planRun(ctx.root, state, g, {
      force: false,
      merge: true,
      version,
      ...(preset ? { preset: preset.ref } : {}),
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
    });
    if (run.kind !== 'upgrade') throw new Error('internal error: an upgrade without state');
    const plan = run.upgrade;
    for (const f of g.findings)
      io.stdout(
        `warning: ${escapeControl(f.rule)} ${escapeControl(f.file)}${f.line > 0 ? `:${f.line}` : ''} ${escapeControl(f.message)}\n`,
      );

    if (opts.dryRun) {
      io.stdout(renderUpgradePlan(plan, { diffs: true }));
      io.stdout('dry run: nothing written\n');
      return 0;
    }

    applyUpgrade(ctx.root, plan);
    io.stdout(renderUpgradePlan(plan));
    io.stdout(
      renderSecretFileSteps(
        missingSecretFiles(
          ctx.root,
          g.spec.secretsPlan.files.map((f) => f.name),
        ),
      ),
    );
    if (plan.conflicts > 0) return io.interactive ? 0 : 1;
    return 0;
  } catch (e) {
    if (
      e instanceof AnswerError ||
      (e instanceof Error && (e.name === 'PresetError' || e.name === 'StateError' || e.name === 'UnsafePathError'))
    ) {
      err(`secure-container upgrade: ${e.name === 'PresetError' ? escapeText(e.message) : escapeControl(e.message)}`);
      return 2;
    }
    if (e instanceof SelfCheckError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

function withRelease<K extends string>(key: K, r: PresetRelease | undefined): Partial<Record<K, PresetRelease>> {
  return r ? ({ [key]: r } as Partial<Record<K, PresetRelease>>) : {};
}

/** File secrets whose `secrets/<name>` is not a file yet (a new secret, or a fresh clone). */
function missingSecretFiles(root: string, names: readonly string[]): SecretFileState[] {
  const out: SecretFileState[] = [];
  for (const name of names) {
    let st;
    try {
      st = lstatSync(join(root, 'secrets', name));
    } catch {
      out.push({ name, state: 'missing' });
      continue;
    }
    if (st.isDirectory()) out.push({ name, state: 'directory' });
  }
  return out;
}
