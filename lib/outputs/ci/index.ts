// ContainerSpec -> the CI workflow (--ci github|gitlab, issue 16): audit + drift, a BuildKit build
// with the OCI label build args, `verify` and a Trivy scan of the built image, and on the default
// branch and tags a push with SBOM and max-mode provenance attestations and a keyless cosign
// signature (P3, P6, P7). The templates (templates/ci/) place values; the decisions are here.
// The generator's self-check audits the GitHub workflow with the SC4xxx rules (lib/policy/workflow/).
import type { ContainerSpec, GeneratedFile } from '../../core/types.js';
import { pinImage, withRegistry } from '../../core/registry.js';
import { profileFor } from '../../runtimes/index.js';
import { LABEL_BUILD_ARGS } from '../compose.js';
import { renderTemplate } from '../templates.js';
import { ACTIONS, CI_IMAGES, usesLine, type ActionKey } from './actions.js';

export const GITHUB_WORKFLOW = '.github/workflows/container.yml';
export const GITLAB_PIPELINE = '.gitlab-ci.yml';

/** Node.js major the CI jobs run `npx generator-secure-container` with (our package needs >= 20). */
export const CI_NODE_VERSION = '22';

/** The BuildKit image buildx starts by default (`buildx-stable-1`), named so it can go through a mirror. */
export const BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';

/** The path of the workflow file a spec gets (null: none). */
export function ciPath(spec: Pick<ContainerSpec, 'ci'>): string | null {
  return spec.ci === 'github' ? GITHUB_WORKFLOW : spec.ci === 'gitlab' ? GITLAB_PIPELINE : null;
}

/** The image the check jobs build and inspect locally (never pushed; `latest` is never used, P7). */
export function localImage(spec: ContainerSpec): string {
  return `${spec.name}:ci`;
}

type LabelArg = (typeof LABEL_BUILD_ARGS)[number];

/** GitHub: the value of each OCI-label build arg, as workflow expressions (no secret among them). */
const GITHUB_LABEL_VALUES: Record<LabelArg, string> = {
  VCS_REF: '${{ github.sha }}',
  VERSION: '${{ steps.meta.outputs.version }}',
  BUILD_DATE: "${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.created'] }}",
  SOURCE_URL: '${{ github.server_url }}/${{ github.repository }}',
};

/** GitLab: the same build args from CI/CD predefined variables (VERSION and BUILD_DATE exported by the job). */
const GITLAB_LABEL_VALUES: Record<LabelArg, string> = {
  VCS_REF: '$CI_COMMIT_SHA',
  VERSION: '$VERSION',
  BUILD_DATE: '$BUILD_DATE',
  SOURCE_URL: '$SOURCE_URL',
};

function common(spec: ContainerSpec): Record<string, unknown> {
  return {
    generator: `${spec.generator.name} ${spec.generator.version}`,
    command: spec.generator.command,
    name: spec.name,
    localImage: localImage(spec),
    nodeVersion: CI_NODE_VERSION,
  };
}

export function renderGithubWorkflow(spec: ContainerSpec): string {
  const a = Object.fromEntries((Object.keys(ACTIONS) as ActionKey[]).map((k) => [k, usesLine(k)]));
  return renderTemplate('ci/github.yml.ejs', {
    ...common(spec),
    a,
    // --pin-digests: the digest recorded for it (P7), like every image the Dockerfile names
    buildkitImage: spec.registry ? pinImage(withRegistry(BUILDKIT_IMAGE, spec.registry), spec.digests) : '',
    buildArgs: LABEL_BUILD_ARGS.map((n) => `${n}=${GITHUB_LABEL_VALUES[n]}`),
    // a BuildKit secret mount from a repository secret of the same name as the local variable
    buildSecrets: spec.secretsPlan.build.map((b) => `${b.name}=\${{ secrets.${b.hostEnv} }}`),
  });
}

export function renderGitlabPipeline(spec: ContainerSpec): string {
  // through the mirror, and with --pin-digests by digest (P3/P7): the job images run with the
  // pipeline's credentials, as much a part of the supply chain as the bases
  const mirror = (ref: string): string => pinImage(withRegistry(ref, spec.registry), spec.digests);
  // the Node image the runtime table already names (alpine: a shell for the job script)
  const node = profileFor('node').images(CI_NODE_VERSION, 'alpine').final;
  return renderTemplate('ci/gitlab-ci.yml.ejs', {
    ...common(spec),
    registry: spec.registry,
    images: {
      docker: mirror(CI_IMAGES.docker),
      dind: mirror(CI_IMAGES.dind),
      trivy: mirror(CI_IMAGES.trivy),
      node: mirror(node),
    },
    buildkitImage: spec.registry ? mirror(BUILDKIT_IMAGE) : '',
    buildArgs: LABEL_BUILD_ARGS.map((n) => `"${n}=${GITLAB_LABEL_VALUES[n]}"`),
    // a BuildKit secret mount from a (masked) CI/CD variable of the same name as the local variable
    buildSecrets: spec.secretsPlan.build.map((b) => `id=${b.name},env=${b.hostEnv}`),
  });
}

/** The CI output: one file for the spec's CI system (none without --ci). */
export function renderCi(spec: ContainerSpec): GeneratedFile[] {
  if (spec.ci === 'github') return [{ path: GITHUB_WORKFLOW, contents: renderGithubWorkflow(spec) }];
  if (spec.ci === 'gitlab') return [{ path: GITLAB_PIPELINE, contents: renderGitlabPipeline(spec) }];
  return [];
}
