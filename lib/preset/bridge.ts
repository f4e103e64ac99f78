// Glue between a resolved preset and the lead's answers layer / pipeline (lib/init.ts PresetInput).
import type { RawAnswers } from '../core/answers/resolve.js';
import { QUESTION_BY_KEY } from '../core/answers/schema.js';
import type { Answers } from '../core/types.js';
import type { PresetInput } from '../init.js';
import { applyPreset, presetLabels, presetPolicy } from './apply.js';
import { loadPreset } from './load.js';
import type { ResolvedPreset } from './types.js';

/**
 * Checks one preset answer value with the answers schema's own parser (the single definition of
 * each question). Values that need context the preset does not give (e.g. packageManager without
 * a runtime) are checked when the answers are resolved instead.
 */
export function presetValueValidator(key: keyof Answers, value: unknown, fixed: Partial<Answers>): string | null {
  const qn = QUESTION_BY_KEY[key];
  if (!qn) return `unknown answer ${JSON.stringify(key)}`;
  try {
    qn.parse(value, { ...fixed });
    return null;
  } catch (e) {
    if (e instanceof TypeError) return null; // needs an answer the preset does not fix
    return (e as Error).message;
  }
}

/** What lib/init.ts takes: locked answers, pre-filled answers, labels and policy for the build. */
export function toPresetInput(p: ResolvedPreset): PresetInput {
  const { fixed, defaults } = applyPreset(p, { cliAnswers: {} });
  const labels = presetLabels(p);
  return {
    name: p.name,
    ref: p.record,
    locked: fixed as RawAnswers,
    defaults: defaults as RawAnswers,
    build: { policy: presetPolicy(p), ...(Object.keys(labels).length ? { labels } : {}) },
  };
}

/** `--preset <ref>` (or the recorded one) -> PresetInput; throws PresetError naming the preset and field. */
export async function loadPresetInput(ref: string, root: string): Promise<PresetInput> {
  return toPresetInput(await loadPreset(ref, root, { validateValue: presetValueValidator }));
}
