import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1002',
    name: 'no-sudo',
    principle: 'P5',
    severity: 'error',
    message: 'RUN uses sudo',
    description:
      'sudo in an image means either the build already runs as root (sudo is useless) or a non-root user is allowed to become root at run time, which defeats USER. It also ships a setuid binary and its configuration into the image.',
    fix: 'Run the privileged step before `USER`, as root, and drop sudo (use `gosu`/`su-exec` only in an entrypoint that drops privileges).',
    refs: ['DL3004', 'CKV2_DOCKER_1', 'DS-0010', 'KICS:Run Using Sudo'],
  }),
  check({ model, report }) {
    for (const run of model.runs) for (const c of run.commands) if (c.sudo) report({ line: c.line });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
    },
    { name: 'the word sudo as an argument', code: `FROM alpine:3.20\nRUN echo "no sudo here"\n` },
  ],
  invalid: [
    { code: `FROM debian:12-slim\nRUN sudo apt-get update\n`, errors: [{ rule: 'SC1002', line: 2 }] },
    {
      name: 'after && on a continuation line',
      code: `FROM alpine:3.20\nRUN echo a \\\n  && sudo -E sh -c id\n`,
      errors: [{ rule: 'SC1002', line: 3 }],
    },
    { name: 'exec form', code: `FROM alpine:3.20\nRUN ["sudo", "id"]\n`, errors: [{ rule: 'SC1002', line: 2 }] },
  ],
};
