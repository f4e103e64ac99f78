// What README.Docker.md says about the CI workflow (--ci): which file, what it does, and how to
// verify a published image's signature with the workflow's identity (cosign keyless, P6/P7).
import type { ContainerSpec } from '../../core/types.js';
import { renderTemplate } from '../templates.js';
import { ciPath } from './index.js';

/** The OIDC issuer of each CI system's job tokens (what the Sigstore certificate records). */
export const OIDC_ISSUER = {
  github: 'https://token.actions.githubusercontent.com',
  gitlab: 'https://gitlab.com',
} as const;

/** The README.Docker.md section about the CI workflow ('' without --ci). */
export function ciReadmeSection(spec: ContainerSpec): string {
  const path = ciPath(spec);
  if (!spec.ci || !path) return '';
  return renderTemplate('ci/README.section.md.ejs', {
    ci: spec.ci,
    path,
    name: spec.name,
    command: spec.generator.command,
    issuer: OIDC_ISSUER[spec.ci],
  });
}
