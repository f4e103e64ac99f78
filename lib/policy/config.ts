// Policy configuration: `.secure-container.yaml` in a repository, or a team preset supplying the
// same object. Pure except loadPolicyConfig (reads one file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Severity } from '../core/types.js';
import { compileAllowList, compileGlobs, DEFAULT_NON_ROOT_IMAGES, type ParsedImage } from './image.js';

export type RuleSetting = Severity | 'off';
export type FailOn = Severity | 'none';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

/** What a team can set (file or preset). Every field optional. */
export interface PolicyConfig {
  /** per-rule severity override, or 'off' to disable: { SC1019: 'off', SC2009: 'error' } */
  rules?: Record<string, RuleSetting>;
  /** registry allow-list (replaces the default); prefixes of "<registry>/<repository>"; "*" allows all */
  allowedRegistries?: string[];
  /** lowest severity that makes `audit` exit 1 */
  failOn?: FailOn;
  /** extra images whose default user is non-root (globs over "<registry>/<repository>:<tag>") */
  nonRootImages?: string[];
}

/**
 * Default allow-list: Docker Hub official images, a few vendor namespaces that publish the images the
 * generator uses (HashiCorp Vault, the AWS CLI), distroless, Chainguard, and the vendor registries of
 * Microsoft, Red Hat (UBI) and Amazon's ECR Public mirror of the official images. quay.io, ghcr.io and
 * other open registries are not allowed by default because anyone can publish there.
 */
export const DEFAULT_ALLOWED_REGISTRIES: readonly string[] = [
  'docker.io/library',
  'docker.io/hashicorp',
  'docker.io/amazon',
  'gcr.io/distroless',
  'cgr.dev/chainguard',
  'public.ecr.aws/docker/library',
  'public.ecr.aws/aws-cli',
  'mcr.microsoft.com',
  'registry.access.redhat.com',
];

export interface ResolvedPolicyConfig {
  rules: Readonly<Record<string, RuleSetting>>;
  allowedRegistries: readonly string[];
  failOn: FailOn;
  nonRootImages: readonly string[];
  isAllowedImage: (img: ParsedImage) => boolean;
  isNonRootImage: (ref: string) => boolean;
}

export class PolicyConfigError extends Error {
  constructor(
    public readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'PolicyConfigError';
  }
}

const cache = new WeakMap<PolicyConfig, ResolvedPolicyConfig>();
let defaultResolved: ResolvedPolicyConfig | undefined;

export function resolvePolicyConfig(config?: PolicyConfig): ResolvedPolicyConfig {
  if (!config) return (defaultResolved ??= build({}));
  let r = cache.get(config);
  if (!r) {
    r = build(config);
    cache.set(config, r);
  }
  return r;
}

function build(c: PolicyConfig): ResolvedPolicyConfig {
  const allowedRegistries = c.allowedRegistries ?? DEFAULT_ALLOWED_REGISTRIES;
  const nonRootImages = [...DEFAULT_NON_ROOT_IMAGES, ...(c.nonRootImages ?? [])];
  return {
    rules: { ...(c.rules ?? {}) },
    allowedRegistries,
    failOn: c.failOn ?? 'error',
    nonRootImages,
    isAllowedImage: compileAllowList(allowedRegistries),
    isNonRootImage: compileGlobs(nonRootImages),
  };
}

/** `override` wins field by field; `rules` are merged (override's entries win). */
export function mergePolicyConfig(base: PolicyConfig, override: PolicyConfig): PolicyConfig {
  const out: PolicyConfig = { ...base };
  if (override.rules) out.rules = { ...(base.rules ?? {}), ...override.rules };
  if (override.allowedRegistries) out.allowedRegistries = [...override.allowedRegistries];
  if (override.failOn) out.failOn = override.failOn;
  if (override.nonRootImages) out.nonRootImages = [...(base.nonRootImages ?? []), ...override.nonRootImages];
  return out;
}

/** Validate an untrusted object (parsed YAML/JSON) into a PolicyConfig; throws PolicyConfigError naming the field. */
export function validatePolicyConfig(value: unknown, source: string): PolicyConfig {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new PolicyConfigError(source, 'expected a mapping');
  const v = value as Record<string, unknown>;
  const known = new Set(['rules', 'allowedRegistries', 'failOn', 'nonRootImages']);
  for (const k of Object.keys(v)) {
    if (!known.has(k)) throw new PolicyConfigError(source, `unknown key "${k}" (allowed: ${[...known].join(', ')})`);
  }
  const out: PolicyConfig = {};
  if (v.rules !== undefined) {
    if (typeof v.rules !== 'object' || v.rules === null || Array.isArray(v.rules))
      throw new PolicyConfigError(source, 'rules: expected a mapping of rule id to error|warning|info|off');
    const rules: Record<string, RuleSetting> = {};
    for (const [id, s] of Object.entries(v.rules as Record<string, unknown>)) {
      if (!/^SC\d{4}$/.test(id)) throw new PolicyConfigError(source, `rules: "${id}" is not a rule id (SCnnnn)`);
      if (s !== 'error' && s !== 'warning' && s !== 'info' && s !== 'off')
        throw new PolicyConfigError(source, `rules.${id}: "${String(s)}" is not one of error, warning, info, off`);
      rules[id] = s;
    }
    out.rules = rules;
  }
  for (const key of ['allowedRegistries', 'nonRootImages'] as const) {
    const a = v[key];
    if (a === undefined) continue;
    if (!Array.isArray(a) || a.some((x) => typeof x !== 'string' || x.trim() === ''))
      throw new PolicyConfigError(source, `${key}: expected a list of non-empty strings`);
    out[key] = a as string[];
  }
  if (v.failOn !== undefined) {
    if (!FAIL_ON_VALUES.includes(v.failOn as FailOn))
      throw new PolicyConfigError(source, `failOn: "${String(v.failOn)}" is not one of ${FAIL_ON_VALUES.join(', ')}`);
    out.failOn = v.failOn as FailOn;
  }
  return out;
}

export function parsePolicyConfig(text: string, source: string): PolicyConfig {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new PolicyConfigError(source, `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return validatePolicyConfig(value, source);
}

export const CONFIG_FILE_NAMES = ['.secure-container.yaml', '.secure-container.yml'];

/** Read `.secure-container.yaml` (or .yml) from `dir`; {} when there is none. Throws PolicyConfigError when invalid. */
export function loadPolicyConfig(dir: string): PolicyConfig {
  for (const name of CONFIG_FILE_NAMES) {
    const p = join(dir, name);
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new PolicyConfigError(p, (e as Error).message);
    }
    return parsePolicyConfig(text, p);
  }
  return {};
}

/** Load an explicit config file path. */
export function loadPolicyConfigFile(path: string): PolicyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyConfigError(path, (e as Error).message);
  }
  return parsePolicyConfig(text, path);
}
