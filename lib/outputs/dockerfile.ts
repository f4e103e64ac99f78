// ContainerSpec -> Dockerfile and .dockerignore, from EJS templates that read like the files they
// produce (templates/dockerfile/<runtime>.ejs). Every value reaching a template is already validated
// by the answers layer; exec-form arrays are JSON-encoded here.
import { profileFor } from '../runtimes/index.js';
import type { ContainerSpec } from '../core/types.js';
import { template } from './templates.js';

/** Exec-form JSON array as Dockerfile expects it: ["a", "b"]. */
export function execForm(argv: string[]): string {
  return '[' + argv.map((a) => JSON.stringify(a)).join(', ') + ']';
}

const FINAL_NOTES: Record<string, string> = {
  distroless: 'distroless: no shell, no package manager, non-root by default (P2)',
  alpine: 'alpine: small, with the package managers removed below (P2)',
  scratch: 'scratch: nothing but the static binary and CA certificates (P2)',
};

export function renderDockerfile(s: ContainerSpec): string {
  const text = template(`${profileFor(s.runtime).templateDir}/Dockerfile.ejs`)({
    s,
    m: s.dockerfile,
    json: execForm,
    finalNote: FINAL_NOTES[s.flavor],
    emptyStage: s.dockerfile.emptyStage,
    labels: s.labels,
    // org.opencontainers.image.base.name: the final base by name and tag, without a pinned digest
    // (`pin` moves digests in FROM lines only; the label must not drift from what upgrade renders)
    baseName: s.dockerfile.finalImage.replace(/@sha256:[0-9a-f]{64}$/, ''),
  });
  return tidy(text);
}

/** Collapse runs of blank lines left by conditional blocks; exactly one trailing newline. */
export function tidy(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').replace(/\s+$/, '') + '\n';
}
