// Which compose files Compose merges with a given one, so that the audit reads the model Compose
// runs (see lib/policy/compose/merge.ts), not each file alone:
// - `compose.yaml` (or `docker-compose.yml`, either extension) and its `compose.override.yaml`
//   beside it: `docker compose up` reads both, so each is audited as part of base + override;
// - any other `compose.<name>.yaml` / `docker-compose.<name>.yml` beside a base file: meant for
//   `docker compose -f compose.yaml -f compose.<name>.yaml` (the override file is then not read):
//   audited as base + that file; `compose.<name>.override.yaml` as `compose.<name>.yaml` + it
//   (when that file exists).
// Each file reports only the findings located in it (the line of the file that set the value), so
// a setting is reported once, by the file that holds it. Sibling files are read like any audited
// file (regular files only, never through a symbolic link, at most 1 MiB); one that cannot be read
// or parsed is left out (the file is then audited alone).
import { dirname, join } from 'node:path';
import type { Finding } from '../core/types.js';
import type { PolicyConfig } from '../policy/config.js';
import { auditComposeSet } from '../policy/engine.js';
import { readAuditFile } from './read.js';

const NAME = /^(docker-compose|compose)(?:\.([^/\\]+))?\.(ya?ml)$/i;

/** Candidate names of the base file and of the override file of a stem, Compose's order first. */
const bases = (stem: string, ext: string): string[] => [`${stem}.${ext}`, `${stem}.${ext === 'yml' ? 'yaml' : 'yml'}`];
const overrides = (stem: string, ext: string): string[] => bases(`${stem}.override`, ext);

/** The role of a compose file name, and the sibling names to merge it with (null: audited alone). */
export function composeRole(
  base: string,
): { role: 'base' | 'override' | 'variant'; stem: string; ext: string; name: string | null } | null {
  const m = NAME.exec(base);
  if (!m) return null;
  const stem = m[1].toLowerCase() === 'compose' ? 'compose' : 'docker-compose';
  const ext = m[3].toLowerCase();
  // the optional group: undefined when the name has no middle part
  const name = (m as (string | undefined)[])[2] ?? null;
  if (name === null) return { role: 'base', stem, ext, name };
  if (name.toLowerCase() === 'override') return { role: 'override', stem, ext, name };
  return { role: 'variant', stem, ext, name };
}

function firstReadable(dir: string, names: string[]): { path: string; text: string } | null {
  for (const n of names) {
    const r = readAuditFile(join(dir, n));
    if (r.ok) return { path: n, text: r.text };
  }
  return null;
}

/**
 * Audit the compose file at `abs` (labelled `rel`, text `text`) as part of the set Compose merges it
 * with. Never throws.
 */
export function auditComposeFile(abs: string, rel: string, text: string, config: PolicyConfig): Finding[] {
  const baseName = abs.slice(Math.max(abs.lastIndexOf('/'), abs.lastIndexOf('\\')) + 1);
  const role = composeRole(baseName);
  const self = { path: rel, text };
  if (!role) return auditComposeSet([self], 0, config);
  const dir = dirname(abs);
  if (role.role === 'base') {
    const o = firstReadable(dir, overrides(role.stem, role.ext));
    return o ? auditComposeSet([self, o], 0, config) : auditComposeSet([self], 0, config);
  }
  // `docker-compose.test.override.yml` overrides `docker-compose.test.yml` (the pair is used together)
  const named = role.role === 'variant' && /\.override$/i.test(role.name ?? '') ? role.name?.slice(0, -9) : null;
  const b =
    (named ? firstReadable(dir, bases(`${role.stem}.${named}`, role.ext)) : null) ??
    firstReadable(dir, bases(role.stem, role.ext));
  return b ? auditComposeSet([b, self], 1, config) : auditComposeSet([self], 0, config);
}
