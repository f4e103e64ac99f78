import type { RuleCases, WorkflowRule } from '../../types.js';
import { workflowMeta } from '../meta.js';

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4002',
    name: 'missing-top-level-permissions',
    principle: 'P5',
    severity: 'warning',
    message: 'Workflow has no top-level `permissions:`',
    description:
      'Without a top-level `permissions:` block every job that does not set its own gets the repository’s default GITHUB_TOKEN permissions, which are read-write on repositories and organisations created before February 2023. A compromised step can then push code, cut releases or change packages. `permissions: {}` (or `contents: read`) at the top, and per-job grants, keep each job to what it needs (zizmor excessive-permissions, OpenSSF Scorecard Token-Permissions).',
    fix: 'Add `permissions: {}` at the top level and grant each job only what it uses (e.g. `contents: read`).',
  }),
  check({ model, report }) {
    if (model.value.permissions !== undefined) return;
    if (model.jobs.length === 0) return;
    // every job that sets its own permissions is covered already
    if (model.jobs.every((j) => j.value.permissions !== undefined)) return;
    report({ line: model.lineOf('jobs') });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'permissions: {} at the top, a grant per job',
      code: `on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - run: make test
`,
    },
    {
      name: 'read-only at the top',
      code: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
`,
    },
    {
      name: 'every job sets its own',
      code: `on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - run: make test
`,
    },
  ],
  invalid: [
    {
      name: 'no permissions anywhere',
      code: `on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
`,
      errors: [{ rule: 'SC4002', line: 2 }],
    },
  ],
};
