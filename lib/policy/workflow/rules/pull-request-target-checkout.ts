import type { RuleCases, WorkflowRule } from '../../types.js';
import { workflowMeta } from '../meta.js';
import { parseUses } from '../model.js';

/** A ref that names the pull request's own code (its head branch, commit or merge ref). */
const PR_HEAD =
  /github\.event\.pull_request\.head\.(?:ref|sha)|github\.head_ref|refs\/pull\/|github\.event\.pull_request\.merge_commit_sha|github\.event\.number/;

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4005',
    name: 'pull-request-target-checkout',
    principle: 'P4',
    severity: 'error',
    message: '`pull_request_target` checks out the pull request’s code',
    description:
      '`pull_request_target` runs in the context of the base repository: with its secrets and a write token, even for a pull request from a fork. Checking out the pull request’s head and then building, testing or installing it runs the attacker’s code with those privileges (a "pwn request"). Use `pull_request` for anything that runs the contributed code; keep `pull_request_target` for labelling and commenting without a checkout of the head (GitHub Security Lab, zizmor dangerous-triggers).',
    fix: 'Trigger on `pull_request` instead, or do not check out the pull request’s head in a `pull_request_target` workflow.',
  }),
  check({ model, report }) {
    if (!model.triggers.has('pull_request_target')) return;
    for (const s of model.steps) {
      const u = s.uses ? parseUses(s.uses) : null;
      if (u?.action !== 'actions/checkout') continue;
      const ref = s.with.ref;
      const repo = s.with.repository;
      if (
        (typeof ref === 'string' && PR_HEAD.test(ref)) ||
        (typeof repo === 'string' && /pull_request\.head\.repo/.test(repo))
      )
        report({
          line: s.lineOf('with', typeof ref === 'string' ? 'ref' : 'repository'),
          message: `${s.label} checks out the pull request’s head in a \`pull_request_target\` workflow`,
        });
    }
  },
};

const wf = (on: string, ref: string): string => `on: ${on}
permissions: {}
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          ref: ${ref}
      - run: npm ci && npm test
`;

export const cases: RuleCases = {
  valid: [
    { name: 'pull_request with the head', code: wf('pull_request', '${{ github.event.pull_request.head.sha }}') },
    {
      name: 'pull_request_target without the head',
      code: wf('pull_request_target', '${{ github.event.repository.default_branch }}'),
    },
  ],
  invalid: [
    {
      name: 'pull_request_target with the head sha',
      code: wf('pull_request_target', '${{ github.event.pull_request.head.sha }}'),
      errors: [{ rule: 'SC4005', line: 11 }],
    },
    {
      name: 'pull_request_target with the merge ref',
      code: wf('[pull_request_target]', 'refs/pull/${{ github.event.number }}/merge'),
      errors: [{ rule: 'SC4005', line: 11 }],
    },
  ],
};
