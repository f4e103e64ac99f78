// What a preset may add to the generated files, at named points, as typed data (docs/presets.md
// "Extension points"). Validated by schemas/preset-extend.schema.json; rendered and self-checked
// by lib/preset/extend.ts. Nothing here is free text pasted into a file.

/** One Dockerfile instruction of the closed set a preset may add (exactly one key). */
export type PresetInstruction =
  | { arg: string }
  | { env: Record<string, string> }
  | { run: string[] }
  | { copy: { from?: string; src: string | string[]; dest: string } };

/** The named points of the Dockerfile (see DOCKERFILE_POINTS in extend.ts for where each one is). */
export interface PresetDockerfilePoints {
  'build.beforeInstall'?: PresetInstruction[];
  'build.afterInstall'?: PresetInstruction[];
  'final.env'?: Record<string, string>;
  'final.afterCopy'?: PresetInstruction[];
  'final.beforeUser'?: PresetInstruction[];
}

export interface PresetCompose {
  /** keys merged into the app service (objects merged, lists appended, scalars replaced) */
  app?: Record<string, unknown>;
  /** extra services, by name (a generated service name is refused) */
  services?: Record<string, Record<string, unknown>>;
  /** extra top-level named volumes */
  volumes?: Record<string, Record<string, unknown> | null>;
}

/** A whole extra file from the preset's own template (a logic-less EJS subset: `<%= path %>` only). */
export interface PresetFile {
  /** where it goes, relative to the project root (no `..`, not absolute, not a generated file) */
  path: string;
  /** the template, relative to the preset file (inside its directory or package) */
  template: string;
}

/** The extension fields of a preset document. */
export interface PresetExtensionFields {
  /** the preset's version (shown in the Dockerfile header, recorded, compared by upgrades) */
  version?: string;
  dockerfile?: PresetDockerfilePoints;
  /** extra .dockerignore patterns, appended after the generated ones */
  dockerignore?: string[];
  compose?: PresetCompose;
  files?: PresetFile[];
}

/** A file template after loading: its text read (capped), checked to use `<%= path %>` tags only. */
export interface LoadedPresetFile extends PresetFile {
  text: string;
}

/** What the renderers get from a preset (ContainerSpec.preset). */
export interface PresetContribution {
  name: string;
  version?: string;
  dockerfile: PresetDockerfilePoints;
  dockerignore: string[];
  compose: PresetCompose;
  files: LoadedPresetFile[];
}
