// What a resolved preset means for the answers and for the audit. Pure.
import type { Answers } from '../core/types.js';
import type { PolicyConfig } from '../policy/config.js';
import { canonicalJson } from '../state/index.js';
import { kubernetesPresetProblems } from '../spec/kubernetes.js';
import { PresetError, type PresetDoc, type ResolvedPreset } from './types.js';

type AnswerKey = keyof Answers;

/** CLI flag of each answer (the answers schema is the source of truth; the same names). */
export const FLAG_FOR: Readonly<Record<AnswerKey, string>> = {
  runtime: 'runtime',
  runtimeVersion: 'runtime-version',
  packageManager: 'package-manager',
  workspace: 'workspace',
  name: 'name',
  port: 'port',
  start: 'start',
  build: 'build',
  dataDirs: 'data-dir',
  flavor: 'flavor',
  uid: 'uid',
  gid: 'gid',
  healthPath: 'health-path',
  buildSecrets: 'build-secret',
  registry: 'registry',
  secrets: 'secret',
  secretProvider: 'secret-provider',
  vaultAddr: 'vault-addr',
  vaultMount: 'vault-mount',
  vaultPaths: 'vault-path',
  awsRegion: 'aws-region',
  awsSecretIds: 'aws-secret-id',
  services: 'service',
  bind: 'bind',
  secretsHelper: 'secrets-helper',
  kubernetes: 'kubernetes',
  phpServer: 'php-server',
  ci: 'ci',
  pinDigests: 'pin-digests',
  updateBot: 'update-bot',
  packageRegistry: 'package-registry',
  packageRegistrySecret: 'package-registry-secret',
  env: 'app-env',
};

/** The top-level shorthands and the answer each one fixes. */
const SHORTHANDS: readonly [AnswerKey, (d: PresetDoc) => unknown, string][] = [
  ['registry', (d) => (d.registry === undefined ? undefined : d.registry.replace(/\/+$/, '')), 'registry'],
  ['packageRegistry', (d) => d.packageRegistry, 'packageRegistry'],
  ['uid', (d) => d.uid, 'uid'],
  ['gid', (d) => d.gid, 'gid'],
  ['secretProvider', (d) => d.secretProvider, 'secretProvider'],
  ['vaultAddr', (d) => d.vault?.addr, 'vault.addr'],
  ['vaultMount', (d) => d.vault?.mount, 'vault.mount'],
  ['awsRegion', (d) => d.aws?.region, 'aws.region'],
];

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  if (scalar(a) && scalar(b)) return String(a) === String(b);
  return canonicalJson(a) === canonicalJson(b);
}

/** A value as a user would type it after the flag. */
export function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  if (v !== null && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k}=${String(x)}`)
      .join(',');
  return String(v);
}

/**
 * Locked answers of a preset: `fixed` plus the shorthands (registry, uid, gid, secretProvider,
 * vault.addr/mount, aws.region). A shorthand that contradicts `fixed` is a PresetError.
 */
export function presetFixed(p: ResolvedPreset): Partial<Answers> {
  const fixed: Record<string, unknown> = { ...(p.preset.fixed ?? {}) };
  for (const [key, get, field] of SHORTHANDS) {
    const v = get(p.preset);
    if (v === undefined) continue;
    if (fixed[key] !== undefined && !same(fixed[key], v)) {
      // no values in the message: a preset that failed is not echoed (it may be any file)
      throw new PresetError(
        `preset ${p.name}: ${field}: contradicts fixed.${key} (set one of them, or the same value in both)`,
      );
    }
    fixed[key] = v;
  }
  return fixed;
}

/**
 * Cross-field checks on a resolved preset (beyond the JSON Schema): shorthands vs `fixed`, the
 * mirror must be in the preset's own allow-list, a key cannot be both fixed and a default.
 * `validateValue` (the answers schema's parser) checks values: returns error text or null.
 */
export function checkPreset(
  p: ResolvedPreset,
  validateValue?: (key: AnswerKey, value: unknown, fixed: Partial<Answers>) => string | null,
): void {
  const errors: string[] = [];
  let fixed: Partial<Answers> = {};
  try {
    fixed = presetFixed(p);
  } catch (e) {
    errors.push((e as Error).message.replace(/^preset [^:]*: /, ''));
  }
  const reg = fixed.registry;
  const allow = p.preset.allowedRegistries;
  if (
    reg &&
    allow &&
    !allow.includes('*') &&
    !allow.some((a) => reg === a.replace(/\/+$/, '') || reg.startsWith(a.replace(/\/+$/, '') + '/'))
  ) {
    errors.push(
      `registry: is not covered by allowedRegistries: the generated images would fail the preset's own audit (add the mirror to allowedRegistries)`,
    );
  }
  errors.push(...kubernetesPresetProblems(p.preset.kubernetes));
  if (validateValue) {
    for (const [section, values] of [
      ['fixed', fixed],
      ['defaults', p.preset.defaults ?? {}],
    ] as const) {
      for (const [k, v] of Object.entries(values)) {
        const err = validateValue(k as AnswerKey, v, fixed);
        if (err) errors.push(`${section}.${k}: ${err}`);
      }
    }
  }
  if (errors.length) throw new PresetError(errors.map((e) => `preset ${p.name}: ${e}`).join('\n'));
}

export interface ApplyPresetInput {
  /** answers given as flags in this run */
  cliAnswers: Partial<Record<AnswerKey, unknown>>;
  /** answers recorded in .yo-rc.json */
  storedAnswers?: Partial<Record<AnswerKey, unknown>>;
  /** CLI flag of an answer key (defaults to FLAG_FOR) */
  flagFor?: (key: AnswerKey) => string;
}

export interface AppliedPreset {
  /** locked answers: they win over flags, stored answers and prompts */
  fixed: Partial<Answers>;
  /** pre-filled answers: below flags and stored answers, above detection */
  defaults: Partial<Answers>;
  /** flags that contradict a locked answer: the run must stop */
  errors: string[];
  /** stored answers the preset now overrides (shown in the plan) */
  notes: string[];
}

export function applyPreset(p: ResolvedPreset, input: ApplyPresetInput): AppliedPreset {
  const fixed = presetFixed(p);
  const flag = input.flagFor ?? ((k: AnswerKey) => FLAG_FOR[k]);
  const errors: string[] = [];
  const notes: string[] = [];
  for (const [k, v] of Object.entries(fixed) as [AnswerKey, unknown][]) {
    const cli = input.cliAnswers[k];
    if (cli !== undefined && !same(cli, v)) {
      errors.push(
        `--${flag(k)} ${formatValue(cli)} conflicts with preset ${p.name} which fixes ${k} to ${formatValue(v)}`,
      );
    }
    const stored = input.storedAnswers?.[k];
    if (stored !== undefined && !same(stored, v)) {
      notes.push(`preset ${p.name} fixes ${k} to ${formatValue(v)} (was ${formatValue(stored)} in .yo-rc.json)`);
    }
  }
  const defaults: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.preset.defaults ?? {})) if (!(k in fixed)) defaults[k] = v;
  return { fixed, defaults: defaults, errors, notes };
}

/** The audit settings of a preset, as the policy engine takes them (lib/policy/config.ts). */
export function presetPolicy(p: ResolvedPreset): PolicyConfig {
  const out: PolicyConfig = {};
  if (p.preset.allowedRegistries) out.allowedRegistries = [...p.preset.allowedRegistries];
  if (p.preset.audit?.severity) out.rules = { ...p.preset.audit.severity };
  if (p.preset.audit?.failOn) out.failOn = p.preset.audit.failOn;
  return out;
}

/** Labels every generated image must carry (for SpecOptions.labels). */
export function presetLabels(p: ResolvedPreset): Record<string, string> {
  return { ...(p.preset.labels ?? {}) };
}
