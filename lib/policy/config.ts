// Policy configuration: `.secure-container.yaml` in a repository, or a team preset supplying the
// same object. Pure except loadPolicyConfig (reads one file).
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { yaml } from '../core/yaml.js';
import { escapeControl } from '../text/escape.js';
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
  // only Docker's own Dockerfile frontend (the `# syntax=` image BuildKit runs), not the whole docker/ namespace
  'docker.io/docker/dockerfile',
  // the vendors' own images of the runtimes we serve: NGINX (F5), Oven (Bun), Deno, FrankenPHP
  'docker.io/nginxinc',
  'docker.io/oven',
  'docker.io/denoland',
  'docker.io/dunglas',
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
    if (!known.has(k))
      throw new PolicyConfigError(source, `unknown key "${keyName(k)}" (allowed: ${[...known].join(', ')})`);
  }
  const out: PolicyConfig = {};
  if (v.rules !== undefined) {
    if (typeof v.rules !== 'object' || v.rules === null || Array.isArray(v.rules))
      throw new PolicyConfigError(source, 'rules: expected a mapping of rule id to error|warning|info|off');
    const rules: Record<string, RuleSetting> = {};
    for (const [id, s] of Object.entries(v.rules as Record<string, unknown>)) {
      if (!/^SC\d{4}$/.test(id))
        throw new PolicyConfigError(source, `rules: "${keyName(id)}" is not a rule id (SCnnnn)`);
      if (s !== 'error' && s !== 'warning' && s !== 'info' && s !== 'off')
        throw new PolicyConfigError(source, `rules.${id}: must be one of error, warning, info, off`);
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
      throw new PolicyConfigError(source, `failOn: must be one of ${FAIL_ON_VALUES.join(', ')}`);
    out.failOn = v.failOn as FailOn;
  }
  return out;
}

export function parsePolicyConfig(text: string, source: string): PolicyConfig {
  let value: unknown;
  try {
    value = yaml().parse(text);
  } catch (e) {
    // the parser's message can quote the file: only where and what kind of error
    const at =
      e instanceof yaml().YAMLError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const code = e instanceof yaml().YAMLError ? ` (${e.code})` : '';
    throw new PolicyConfigError(source, `invalid YAML${at}${code}`);
  }
  return validatePolicyConfig(value, source);
}

export const CONFIG_FILE_NAMES = ['.secure-container.yaml', '.secure-container.yml'];

/** Largest policy file read (the repository's own, or one given with --policy). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** A key of the file, as an error may name it: control characters shown, at most 40 characters. */
function keyName(k: string): string {
  const e = escapeControl(k);
  return e.length > 40 ? `${e.slice(0, 40)}…` : e;
}

/**
 * Read a policy file: a regular file of at most MAX_POLICY_BYTES, never a FIFO or a device
 * (opened non-blocking, checked on the open descriptor). `follow: false` also refuses a symbolic
 * link (the repository's own file). Undefined when it does not exist; PolicyConfigError otherwise.
 */
function readPolicyText(path: string, follow: boolean): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new PolicyConfigError(path, 'is a symbolic link: a policy file must be a regular file');
    throw new PolicyConfigError(path, `cannot be read (${code ?? 'error'})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new PolicyConfigError(path, 'is not a regular file');
    if (st.size > MAX_POLICY_BYTES) throw new PolicyConfigError(path, `is larger than 1 MiB (${st.size} bytes)`);
    const buf = Buffer.alloc(MAX_POLICY_BYTES + 1);
    let off = 0;
    for (;;) {
      const n = readSync(fd, buf, off, buf.length - off, null);
      if (n === 0) break;
      off += n;
      if (off > MAX_POLICY_BYTES) throw new PolicyConfigError(path, 'is larger than 1 MiB');
    }
    return buf.subarray(0, off).toString('utf8');
  } catch (e) {
    if (e instanceof PolicyConfigError) throw e;
    throw new PolicyConfigError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    closeSync(fd);
  }
}

/** The repository's own policy file in `dir` (`.secure-container.yaml` or `.yml`), if there is one (not read). */
export function findPolicyConfig(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const p = join(dir, name);
    try {
      lstatSync(p);
      return p;
    } catch {
      /* absent (or unreadable: loadPolicyConfig says why) */
    }
  }
  return undefined;
}

/**
 * Read `.secure-container.yaml` (or .yml) from `dir`; {} when there is none. Throws
 * PolicyConfigError when invalid, a symbolic link, not a regular file or over 1 MiB.
 */
export function loadPolicyConfig(dir: string): PolicyConfig {
  for (const name of CONFIG_FILE_NAMES) {
    const p = join(dir, name);
    const text = readPolicyText(p, false);
    if (text === undefined) continue;
    return parsePolicyConfig(text, p);
  }
  return {};
}

/** Load an explicit config file path (--policy: a trusted path; symbolic links followed, regular files only, 1 MiB at most). */
export function loadPolicyConfigFile(path: string): PolicyConfig {
  const text = readPolicyText(path, true);
  if (text === undefined) throw new PolicyConfigError(path, 'does not exist');
  return parsePolicyConfig(text, path);
}
