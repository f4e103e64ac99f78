import type { RuleCases, WorkflowRule } from '../../types.js';
import { workflowMeta } from '../meta.js';
import { FULL_SHA, parseUses } from '../model.js';

const DIGEST = /@sha256:[0-9a-f]{64}$/;

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4001',
    name: 'unpinned-action',
    principle: 'P3',
    severity: 'error',
    message: 'Action is not pinned to a full commit SHA',
    description:
      'A tag or branch (`@v4`, `@main`) is a pointer the action’s owner, or whoever takes over their account, can move to other code, which then runs with the job’s token and secrets (tj-actions/changed-files, March 2025). A full 40-hex commit SHA cannot be moved. GitHub’s hardening guide, OpenSSF Scorecard (Pinned-Dependencies), zizmor (unpinned-uses) and StepSecurity ask for it for every action, `actions/*` and `github/*` included, and for reusable workflows; a `docker://` image needs a digest.',
    fix: 'Use `owner/repo@<40-hex commit SHA> # vX.Y.Z` (Renovate and Dependabot keep both up to date).',
  }),
  check({ model, report }) {
    const check = (uses: string, line: number, where: string): void => {
      if (uses.startsWith('docker://')) {
        if (!DIGEST.test(uses))
          report({ line, message: `${where}: image ${JSON.stringify(uses)} is not pinned to a digest` });
        return;
      }
      const u = parseUses(uses);
      if (!u) return; // a local action of this repository
      if (u.ref === null || !FULL_SHA.test(u.ref))
        report({ line, message: `${where}: ${JSON.stringify(uses)} is not pinned to a full commit SHA` });
    };
    for (const job of model.jobs) if (job.uses) check(job.uses, job.lineOf('uses'), `job ${JSON.stringify(job.id)}`);
    for (const s of model.steps) if (s.uses) check(s.uses, s.lineOf('uses'), s.label);
  },
};

const wf = (uses: string): string => `name: ci
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: ${uses}
      - run: make
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'a full commit SHA with the version in a comment',
      code: wf('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1'),
    },
    {
      name: 'an action in a subfolder, pinned',
      code: wf('github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2'),
    },
    { name: 'a local action', code: wf('./.github/actions/setup') },
    {
      name: 'a docker image by digest',
      // the shape of a digest (not a real image)
      code: wf(`docker://alpine@sha256:${'0123456789abcdef'.repeat(4)}`),
    },
  ],
  invalid: [
    { name: 'a major tag', code: wf('actions/checkout@v4'), errors: [{ rule: 'SC4001', line: 10 }] },
    { name: 'a branch', code: wf('aquasecurity/trivy-action@master'), errors: [{ rule: 'SC4001', line: 10 }] },
    { name: 'a short SHA', code: wf('docker/build-push-action@53b7df9'), errors: [{ rule: 'SC4001', line: 10 }] },
    { name: 'no ref at all', code: wf('docker/login-action'), errors: [{ rule: 'SC4001', line: 10 }] },
    { name: 'a docker image by tag', code: wf('docker://alpine:3.20'), errors: [{ rule: 'SC4001', line: 10 }] },
    {
      name: 'a reusable workflow by tag',
      code: `on: push
permissions: {}
jobs:
  call:
    uses: octo-org/shared/.github/workflows/build.yml@v1
`,
      errors: [{ rule: 'SC4001', line: 5 }],
    },
  ],
};
