import type { RuleCases, WorkflowRule } from '../../types.js';
import { workflowMeta } from '../meta.js';
import { escapeControl } from '../../../text/escape.js';
import { isRecord } from '../model.js';

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4003',
    name: 'broad-permissions',
    principle: 'P5',
    severity: 'error',
    message: 'Workflow grants broad token permissions',
    description:
      '`permissions: write-all` gives the GITHUB_TOKEN every write scope, and a write grant at the top level (`contents: write`, `packages: write`, `id-token: write`…) gives it to every job, including the ones that run third-party code on pull requests. A compromised step can then push to the repository, publish packages or mint OIDC tokens for a cloud account. Grant write scopes per job, to the job that needs them (zizmor excessive-permissions, checkov CKV2_GHA_1).',
    fix: 'Set `permissions: {}` (or `contents: read`) at the top and move each write grant to the one job that needs it.',
  }),
  check({ model, report }) {
    const top = model.value.permissions;
    if (top === 'write-all')
      report({ line: model.lineOf('permissions'), message: 'top-level `permissions: write-all`' });
    else if (isRecord(top))
      for (const [scope, v] of Object.entries(top))
        if (v === 'write')
          report({
            line: model.lineOf('permissions', scope),
            message: `top-level \`${escapeControl(scope)}: write\` applies to every job: grant it in the job that needs it`,
          });
    for (const job of model.jobs)
      if (job.value.permissions === 'write-all')
        report({
          line: job.lineOf('permissions'),
          message: `job ${JSON.stringify(job.id)} has \`permissions: write-all\``,
        });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a write grant in the job that pushes',
      code: `on: push
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      packages: write
      id-token: write
    steps:
      - run: make publish
`,
    },
    {
      name: 'read-all at the top',
      code: `on: push
permissions: read-all
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
`,
    },
  ],
  invalid: [
    {
      name: 'write-all at the top',
      code: `on: push
permissions: write-all
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
`,
      errors: [{ rule: 'SC4003', line: 2 }],
    },
    {
      name: 'contents: write at the top',
      code: `on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-24.04
    steps:
      - run: make release
`,
      errors: [{ rule: 'SC4003', line: 3 }],
    },
    {
      name: 'write-all in a job',
      code: `on: push
permissions: {}
jobs:
  release:
    runs-on: ubuntu-24.04
    permissions: write-all
    steps:
      - run: make release
`,
      errors: [{ rule: 'SC4003', line: 6 }],
    },
  ],
};
