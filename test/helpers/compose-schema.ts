// The Compose Specification JSON Schema (shipped by the dclint devDependency), compiled once.
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS; its module.exports is the plugin function
const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
// dclint's exports hide its files from require.resolve: locate the package folder from its entry point
const file = new URL('../../../node_modules/dclint/schemas/compose.schema.json', import.meta.url);
// the file's "$schema" names a draft-07 URL ajv does not know; draft-07 is ajv's default anyway
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema errors as text (empty when valid). */
export function composeSchemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
