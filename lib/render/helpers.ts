// The optional readSecret(name) helper in the app's language (--secrets-helper). One contract for
// every provider (P4): `<NAME>_FILE` if set, else /run/secrets/<name>; one trailing newline removed;
// errors name the secret and the path, never the value.
import type { ContainerSpec, GeneratedFile, Runtime } from '../core/types.js';
import { renderTemplate } from './templates.js';

/**
 * Where the helper goes. Node: `secrets.cjs`, a CommonJS file, because a `.cjs` file is CommonJS
 * whatever package.json says, and both `require('./secrets.cjs')` and
 * `import { readSecret } from './secrets.cjs'` work (Node exposes its named exports to ESM), while a
 * `.js` file would change meaning with the package's "type".
 */
export const HELPER_PATHS: Record<Runtime, string> = {
  node: 'secrets.cjs',
  python: 'secrets_helper.py',
  go: 'internal/secrets/secrets.go',
};

export function helperPath(runtime: Runtime): string {
  return HELPER_PATHS[runtime];
}

export function renderSecretsHelper(spec: ContainerSpec): GeneratedFile | null {
  if (!spec.answers.secretsHelper) return null;
  const path = helperPath(spec.runtime);
  const contents = renderTemplate(`helpers/${spec.runtime}.ejs`, {
    generator: `${spec.generator.name} ${spec.generator.version}`,
    command: spec.generator.command,
    secrets: spec.secrets.map((s) => s.name),
  });
  return { path, contents };
}
