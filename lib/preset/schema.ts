// Validation of one preset document against schemas/preset.schema.json (ajv), with errors that
// name the preset and the field: `preset ./x.yaml: fixed.port: must be integer`.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PresetError, type PresetDoc } from './types.js';
import { packagePath } from '../core/paths.js';
import { pathToFileURL } from 'node:url';

/** dist/lib/preset/schema.js -> <package root>/schemas/preset.schema.json */
export const PRESET_SCHEMA_URL = pathToFileURL(packagePath('schemas', 'preset.schema.json'));
export const PRESET_EXTEND_SCHEMA_URL = pathToFileURL(packagePath('schemas', 'preset-extend.schema.json'));
/** the `kubernetes:` section (issue 15): namespace, registry, replicas, resources */
export const PRESET_KUBERNETES_SCHEMA_URL = pathToFileURL(packagePath('schemas', 'preset-kubernetes.schema.json'));

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(PRESET_SCHEMA_URL, 'utf8')) as object;
    // the extension points (dockerfile, compose, files…) live in their own schema file, referenced by $ref
    const extend = JSON.parse(readFileSync(PRESET_EXTEND_SCHEMA_URL, 'utf8')) as object;
    const kubernetes = JSON.parse(readFileSync(PRESET_KUBERNETES_SCHEMA_URL, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
      .addSchema(extend)
      .addSchema(kubernetes)
      .compile(schema);
  }
  return compiled;
}

function fieldOf(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof e.propertyName === 'string') path.push(e.propertyName);
  const parts = path.map((s, i) =>
    /^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`,
  );
  return parts.join('') || '(top level)';
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown field ${JSON.stringify(p.additionalProperty)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return typeof e.propertyName === 'string'
        ? `invalid name (must match ${String(p.pattern)})`
        : `must match ${String(p.pattern)}`;
    case 'not':
      return 'value is not allowed';
    default:
      return e.message ?? e.keyword;
  }
}

/** Human-readable lines for ajv errors, deduplicated; propertyNames wrappers and anyOf noise dropped. */
export function formatSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const out: string[] = [];
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword === 'propertyNames' || e.keyword === 'if') continue;
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath)) continue;
    const line =
      e.keyword === 'anyOf' ? `${fieldOf(e)}: must be a list of strings or null` : `${fieldOf(e)}: ${messageOf(e)}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** Validate a parsed preset; throws PresetError listing every problem, each naming its field. */
export function validatePresetDoc(value: unknown, display: string): PresetDoc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PresetError(`preset ${display}: must be a mapping (YAML) or an object (JSON)`);
  }
  const v = validator();
  if (!v(value)) {
    const lines = formatSchemaErrors(v.errors ?? []);
    throw new PresetError(lines.map((l) => `preset ${display}: ${l}`).join('\n'));
  }
  return value;
}
