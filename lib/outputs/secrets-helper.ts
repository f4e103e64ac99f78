// The optional readSecret(name) helper in the app's language (--secrets-helper). One contract for
// every provider (P4): `<NAME>_FILE` if set, else /run/secrets/<name>; one trailing newline removed;
// errors name the secret and the path, never the value.
import type { ContainerSpec, GeneratedFile } from '../core/types.js';
import { profileFor } from '../runtimes/index.js';
import { template } from './templates.js';

export function renderSecretsHelper(spec: ContainerSpec): GeneratedFile | null {
  if (spec.secretsHelper === null) return null;
  const p = profileFor(spec.runtime);
  const contents = template(`${p.templateDir}/secrets-helper.ejs`)({
    generator: `${spec.generator.name} ${spec.generator.version}`,
    command: spec.generator.command,
    secrets: spec.secrets.map((s) => s.name),
  });
  return { path: spec.secretsHelper, contents };
}
