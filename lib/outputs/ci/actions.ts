// The third-party GitHub Actions the generated workflow uses, each pinned to the full commit SHA of
// a release (P6, P7: a tag can be moved to other code, a commit cannot; GitHub's hardening guide,
// zizmor `unpinned-uses`, OpenSSF Scorecard "Pinned-Dependencies"). The version is written beside
// the SHA as a comment so a reader (and Renovate/Dependabot, which update both) knows what it is.
//
// How to refresh (data only, no logic here): for each action, take the newest release tag and its
// commit, e.g.
//   git ls-remote --tags https://github.com/actions/checkout 'v7*'
// (use the peeled `^{}` line of an annotated tag: the commit, not the tag object), or
//   git clone --bare … && git --git-dir=… rev-parse v7.0.1^{commit}
// then update `version` and `sha` together; test/outputs/ci.test.ts checks the shape (40 hex digits).
// Recorded 2026-11-30 from the actions' GitHub repositories.

export interface PinnedAction {
  /** owner/repo (and /path for an action in a subfolder) */
  uses: string;
  /** the release tag the SHA is the commit of */
  version: string;
  /** full 40-hex commit SHA */
  sha: string;
}

export const ACTIONS = {
  checkout: { uses: 'actions/checkout', version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  setupNode: { uses: 'actions/setup-node', version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  uploadSarif: {
    uses: 'github/codeql-action/upload-sarif',
    version: 'v4.36.2',
    sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
  },
  setupBuildx: {
    uses: 'docker/setup-buildx-action',
    version: 'v4.3.0',
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
  },
  metadata: { uses: 'docker/metadata-action', version: 'v6.2.0', sha: 'dc802804100637a589fabce1cb79ff13a1411302' },
  login: { uses: 'docker/login-action', version: 'v4.1.0', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121' },
  buildPush: {
    uses: 'docker/build-push-action',
    version: 'v7.3.0',
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
  },
  trivy: { uses: 'aquasecurity/trivy-action', version: 'v0.36.0', sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25' },
  cosignInstaller: {
    uses: 'sigstore/cosign-installer',
    version: 'v4.1.2',
    sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6',
  },
} as const satisfies Record<string, PinnedAction>;

export type ActionKey = keyof typeof ACTIONS;

/** `owner/repo@<sha> # <version>`: the value of `uses:` with its comment. */
export function usesLine(key: ActionKey): { uses: string; comment: string } {
  const a = ACTIONS[key];
  return { uses: `${a.uses}@${a.sha}`, comment: a.version };
}

/**
 * Container images the GitLab pipeline runs, by exact tag (never `latest`; SC2018/SC3021 in spirit),
 * pulled through the registry mirror when the spec names one (issue 19). Refresh with the tags of
 * the current releases (docker: Docker Engine, trivy: github.com/aquasecurity/trivy/releases).
 */
export const CI_IMAGES = {
  /** Docker CLI with buildx (the client) and the daemon for the dind service */
  docker: 'docker:28.5.1',
  dind: 'docker:28.5.1-dind',
  trivy: 'ghcr.io/aquasecurity/trivy:0.72.0',
} as const;
