import type { Answers } from '../core/types.js';
import type { PresetExtensionFields } from './extend-types.js';
import type { KubernetesPreset } from '../spec/kubernetes.js';

export type RuleSeverity = 'off' | 'info' | 'warning' | 'error';

/** One preset file as written (validated against schemas/preset.schema.json). */
export interface PresetDoc extends PresetExtensionFields {
  $schema?: string;
  name?: string;
  description?: string;
  extends?: string | string[];
  fixed?: Partial<Answers>;
  defaults?: Partial<Answers>;
  registry?: string;
  /** package registry URL of the install step (fixes the packageRegistry answer, issue 19) */
  packageRegistry?: string;
  allowedRegistries?: string[];
  uid?: number;
  gid?: number;
  secretProvider?: Answers['secretProvider'];
  vault?: { addr?: string; mount?: string };
  aws?: { region?: string };
  labels?: Record<string, string>;
  audit?: { severity?: Record<string, RuleSeverity>; failOn?: 'error' | 'warning' | 'info' | 'none' };
  /** what every generated Kubernetes base gets (--kubernetes): namespace, registry, replicas, resources */
  kubernetes?: KubernetesPreset;
}

/** A preset after its `extends` chain is applied. */
export interface ResolvedPreset {
  /** the entry preset's `name`, else how it was referenced */
  name: string;
  /** the reference as given (--preset value) */
  ref: string;
  /** what to record in .yo-rc.json: a path relative to the project root, or the package name */
  record: string;
  /** display names of every preset applied, parents first, the entry last */
  chain: string[];
  /** merged content, without `extends` */
  preset: Omit<PresetDoc, 'extends' | '$schema'>;
}

/**
 * Where a preset reference comes from, which decides how far it is trusted:
 * - `explicit`: `--preset <ref>`, the user's own choice: a path anywhere or an installed package;
 * - `recorded`: the `preset` of `.yo-rc.json`, i.e. the repository, which may be hostile: a path
 *   must be a plain file inside the repository; an npm package (or an `extends` chain that leaves
 *   the repository) is read only once confirmed with `--trust-preset` for this checkout.
 * Either way a preset is data (YAML/JSON, capped in size): nothing is ever imported or executed.
 */
export interface PresetTrustOptions {
  /** default: `recorded` (the safe one) */
  origin?: 'explicit' | 'recorded';
  /** `--trust-preset`: confirm a recorded package preset (or chain leaving the repository) for this checkout */
  trust?: boolean;
  /** non-fatal problems (the trust store cannot be written); one line, no trailing newline */
  warn?: (message: string) => void;
  /** the trust store directory (default: trustStoreDir(), from the environment) */
  stateDir?: string;
}

/** Why a preset was refused: invalid, unreadable, untrusted (`--trust-preset` would confirm it) or outside the repository. */
export type PresetErrorKind = 'invalid' | 'untrusted' | 'refused';

/** Invalid preset, unreadable preset, or `extends` cycle. The message names the preset and the field. */
export class PresetError extends Error {
  constructor(
    message: string,
    public readonly kind: PresetErrorKind = 'invalid',
  ) {
    super(message);
    this.name = 'PresetError';
  }
}
