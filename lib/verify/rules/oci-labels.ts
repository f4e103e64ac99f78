import type { VerifyCases, VerifyRule } from '../types.js';

/** The provenance labels the generated Dockerfile declares (filled by build args from CI). */
export const PROVENANCE_LABELS = [
  'org.opencontainers.image.source',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.version',
  'org.opencontainers.image.created',
];

/** Values the generated Dockerfile's ARG defaults leave when the build args were not passed. */
const UNFILLED = new Set(['', 'unknown']);

export const rule: VerifyRule = {
  meta: {
    id: 'SC5005',
    name: 'image-provenance-labels',
    principle: 'P6',
    severity: 'warning',
    message: 'The image lacks OCI provenance labels',
    description:
      'The OCI labels source, revision, version and created say which repository and commit an image was built from, and when: what an incident responder, a scanner or a deployment policy reads to trace a running container back to its code. The generated Dockerfile declares them from build args (VCS_REF, VERSION, BUILD_DATE, SOURCE_URL) whose defaults are `unknown`: a build that does not pass them ships labels that say nothing.',
    fix: 'Build with `--build-arg VCS_REF=$(git rev-parse HEAD) --build-arg VERSION=… --build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) --build-arg SOURCE_URL=…` (the generated CI workflow and README.Docker.md do).',
    related: ['DL3049'],
  },
  check(facts, report) {
    const missing = PROVENANCE_LABELS.filter((l) => !(l in facts.config.labels));
    const unfilled = PROVENANCE_LABELS.filter(
      (l) => l in facts.config.labels && UNFILLED.has((facts.config.labels[l] ?? '').trim()),
    );
    const short = (ls: string[]): string => ls.map((l) => l.replace('org.opencontainers.image.', '')).join(', ');
    if (missing.length)
      report({ message: `The image has no OCI label ${short(missing)} (org.opencontainers.image.*)` });
    if (unfilled.length)
      report({
        message: `The OCI label ${short(unfilled)} is empty or "unknown": the build did not pass its build arg`,
      });
  },
};

const all = (over: Record<string, string> = {}) => ({
  'org.opencontainers.image.title': 'app',
  'org.opencontainers.image.source': 'https://github.com/o/r',
  'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
  'org.opencontainers.image.version': '1.2.3',
  'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
  ...over,
});

export const cases: VerifyCases = {
  valid: [
    { name: 'all four filled', inspect: { Config: { Labels: all() } } },
    {
      name: 'version "dev" is a value',
      inspect: { Config: { Labels: all({ 'org.opencontainers.image.version': 'dev' }) } },
    },
  ],
  invalid: [
    { name: 'no labels', inspect: { Config: {} }, count: 1, match: /source, revision, version, created/ },
    {
      name: 'build args not passed',
      inspect: {
        Config: {
          Labels: all({
            'org.opencontainers.image.revision': 'unknown',
            'org.opencontainers.image.created': 'unknown',
          }),
        },
      },
      count: 1,
      match: /revision, created/,
    },
    {
      name: 'one missing and one empty',
      inspect: {
        Labels: {
          ...all({ 'org.opencontainers.image.source': '' }),
          'org.opencontainers.image.version': undefined as unknown as string,
        },
      },
      count: 2,
    },
  ],
};
