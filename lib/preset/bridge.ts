// Glue between a resolved preset and the lead's answers layer / pipeline (lib/flow/generate.ts PresetInput).
import { QUESTION_BY_KEY, type Question } from '../core/answers/schema.js';
import type { Answers } from '../core/types.js';
import type { PresetInput } from '../flow/generate.js';
import { applyPreset, presetLabels, presetPolicy } from './apply.js';
import { contributionOf } from './extend.js';
import { loadPreset } from './load.js';
import type { PresetTrustOptions, ResolvedPreset } from './types.js';

/**
 * Checks one preset answer value with the answers schema's own parser (the single definition of
 * each question). Values that need context the preset does not give (e.g. packageManager without
 * a runtime) are checked when the answers are resolved instead.
 */
export function presetValueValidator(key: keyof Answers, value: unknown, fixed: Partial<Answers>): string | null {
  // the key comes from a preset document: it need not name a question
  const byKey: Partial<Record<string, Question>> = QUESTION_BY_KEY;
  const qn = byKey[key];
  if (!qn) return `unknown answer ${JSON.stringify(key)}`;
  try {
    qn.parse(value, { ...fixed });
    return null;
  } catch (e) {
    if (e instanceof TypeError) return null; // needs an answer the preset does not fix
    // the answers' names (the keys of `fixed`) are not document values: only what they hold is redacted
    return redactValues((e as Error).message, [value, ...Object.values(fixed)]);
  }
}

function stringsOf(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 8) return;
  if (typeof v === 'string') out.add(v);
  else if (typeof v === 'number' || typeof v === 'boolean') out.add(String(v));
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out, depth + 1);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      stringsOf(x, out, depth + 1);
    }
  }
}

/**
 * The answers schema's messages quote the offending value (right for a flag the user typed). For a
 * preset document they must not: the message names the field and what is allowed, never the
 * document's values. Quoted values become "the value"; long unquoted ones are elided.
 */
export function redactValues(message: string, values: readonly unknown[]): string {
  const found = new Set<string>();
  for (const v of values) stringsOf(v, found);
  let out = message;
  for (const s of [...found].sort((a, b) => b.length - a.length)) {
    if (s === '') continue;
    out = out.split(JSON.stringify(s)).join('the value');
    if (s.length >= 6) out = out.split(s).join('…');
  }
  return out;
}

/** What lib/flow/generate.ts takes: locked answers, pre-filled answers, labels and policy for the build. */
export function toPresetInput(p: ResolvedPreset): PresetInput {
  const { fixed, defaults } = applyPreset(p, { cliAnswers: {} });
  const labels = presetLabels(p);
  const contribution = contributionOf(p);
  return {
    name: p.name,
    ref: p.record,
    locked: fixed,
    defaults,
    build: {
      policy: presetPolicy(p),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(contribution ? { preset: contribution } : {}),
      ...(p.preset.kubernetes ? { kubernetes: p.preset.kubernetes } : {}),
    },
  };
}

/**
 * `--preset <ref>` (origin `explicit`) or the recorded one (origin `recorded`, the default: the
 * repository's choice, see PresetTrustOptions) -> PresetInput; throws PresetError naming the
 * preset and field, or refusing an untrusted recorded preset.
 */
export async function loadPresetInput(ref: string, root: string, trust: PresetTrustOptions = {}): Promise<PresetInput> {
  return toPresetInput(await loadPreset(ref, root, { ...trust, validateValue: presetValueValidator }));
}
