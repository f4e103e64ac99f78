import type { Answers } from '../core/types.js';

export type RuleSeverity = 'off' | 'info' | 'warning' | 'error';

/** One preset file as written (validated against schemas/preset.schema.json). */
export interface PresetDoc {
  $schema?: string;
  name?: string;
  description?: string;
  extends?: string | string[];
  fixed?: Partial<Answers>;
  defaults?: Partial<Answers>;
  registry?: string;
  allowedRegistries?: string[];
  uid?: number;
  gid?: number;
  secretProvider?: Answers['secretProvider'];
  vault?: { addr?: string; mount?: string };
  aws?: { region?: string };
  labels?: Record<string, string>;
  audit?: { severity?: Record<string, RuleSeverity>; failOn?: 'error' | 'warning' | 'info' | 'none' };
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

/** Invalid preset, unreadable preset, or `extends` cycle. The message names the preset and the field. */
export class PresetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresetError';
  }
}
