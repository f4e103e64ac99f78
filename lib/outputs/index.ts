// The table of outputs: every file a run writes besides the generator's state, each with when it
// applies and how it renders from the ContainerSpec alone (renderers never see the raw answers).
// Adding an output (Kubernetes manifests, a CI workflow) is a module here and a row below.
import type { ContainerSpec, GeneratedFile } from '../core/types.js';
import { renderCi } from './ci/index.js';
import { profileFor } from '../runtimes/index.js';
import { renderCompose } from './compose.js';
import { extendFiles } from '../preset/extend.js';
import { renderDockerfile } from './dockerfile.js';
import { renderDockerignore } from './dockerignore.js';
import { renderKubernetes } from './kubernetes/index.js';
import { renderReadmeDocker } from './readme.js';
import { renderProviderFiles } from './secrets.js';
import { renderSecretsHelper } from './secrets-helper.js';
import { renderUpdateBot } from './update-bot.js';

export interface Output {
  /** stable id, used in docs and tests */
  id: string;
  /** one line: what the output is, for docs/contributing.md and reviewers */
  about: string;
  /** whether this run writes it (default: always) */
  applies?(spec: ContainerSpec): boolean;
  render(spec: ContainerSpec): GeneratedFile[];
}

const one =
  (path: string, render: (s: ContainerSpec) => string) =>
  (s: ContainerSpec): GeneratedFile[] => [{ path, contents: render(s) }];

export const OUTPUTS: readonly Output[] = [
  { id: 'dockerfile', about: 'the multi-stage, non-root Dockerfile', render: one('Dockerfile', renderDockerfile) },
  {
    id: 'dockerignore',
    about: 'secret patterns and the runtime’s build directories',
    render: one('.dockerignore', renderDockerignore),
  },
  {
    id: 'compose',
    about: 'hardened compose.yaml with the backing services',
    render: one('compose.yaml', renderCompose),
  },
  {
    id: 'readme',
    about: 'README.Docker.md: how to build, run and operate',
    render: one('README.Docker.md', renderReadmeDocker),
  },
  {
    id: 'secret-provider',
    about: 'the provider’s wiring: secrets/ docs and .gitignore, Vault agent config, AWS fetch script',
    render: renderProviderFiles,
  },
  {
    id: 'secrets-helper',
    about: 'readSecret(name) in the app’s language (--secrets-helper)',
    applies: (s) => s.secretsHelper !== null,
    render: (s) => {
      const f = renderSecretsHelper(s);
      return f ? [f] : [];
    },
  },
  {
    id: 'runtime-files',
    about: 'files a runtime adds (the Go health probe)',
    render: (s) => profileFor(s.runtime).extraFiles?.(s) ?? [],
  },
  {
    id: 'kubernetes',
    about: 'deploy/kubernetes/: a restricted-profile Kustomize base (--kubernetes)',
    applies: (s) => s.kubernetes !== undefined,
    render: renderKubernetes,
  },
  {
    id: 'ci',
    about: '.github/workflows/container.yml or .gitlab-ci.yml: audit, build, scan, attest, sign (--ci)',
    applies: (s) => s.ci !== undefined,
    render: renderCi,
  },
  {
    id: 'update-bot',
    about: 'renovate.json or .github/dependabot.yml: keeps base images, digests and actions fresh (--update-bot)',
    applies: (s) => s.updateBot !== undefined,
    render: renderUpdateBot,
  },
];

const extra: Output[] = [];

/** Add an output at run time (an out-of-tree output, or a test's); returns the function that removes it. */
export function registerOutput(output: Output): () => void {
  if ([...OUTPUTS, ...extra].some((o) => o.id === output.id))
    throw new Error(`output ${output.id} is already registered`);
  extra.push(output);
  return () => {
    extra.splice(extra.indexOf(output), 1);
  };
}

/** Every applicable output's files, sorted by path. */
export function renderFiles(spec: ContainerSpec): GeneratedFile[] {
  const files = [...OUTPUTS, ...extra].filter((o) => o.applies?.(spec) ?? true).flatMap((o) => o.render(spec));
  // a team preset's additions at the extension points (Dockerfile, .dockerignore, extra files)
  return extendFiles(spec, files).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
