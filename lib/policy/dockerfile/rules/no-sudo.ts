import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runFacts } from '../facts.js';

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
    sameAs: ['DL3004', 'CKV2_DOCKER_1', 'DS-0010', 'KICS:Run Using Sudo'],
  }),
  check({ model, report }) {
    if (!runFacts(model).sudo) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const cmds = runs[r].commands;
      for (let k = 0; k < cmds.length; k++) if (cmds[k].sudo) report({ line: cmds[k].line });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'installing sudo',
      from: ['DL3004', 'DS-0010', 'KICS:Run Using Sudo'],
      code: `FROM debian:12-slim\nRUN apt-get install -y sudo\n`,
    },
    {
      name: 'a package named like sudo',
      from: ['CKV2_DOCKER_1'],
      code: `FROM busybox:1.36\nRUN apt-get install sudoku\n`,
    },
    {
      name: 'no sudo anywhere',
      from: ['KICS:Run Using Sudo', 'DS-0010'],
      code: `FROM alpine:3.20\nRUN apk add --update py2-pip\nRUN pip install --upgrade pip\nCMD ["python", "/usr/src/app/app.py"]\n`,
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
    },
    { name: 'the word sudo as an argument', code: `FROM alpine:3.20\nRUN echo "no sudo here"\n` },
  ],
  invalid: [
    {
      name: 'sudo first',
      from: ['DL3004', 'CKV2_DOCKER_1'],
      code: `FROM debian:12-slim\nRUN sudo apt-get install git\n`,
      errors: [{ rule: 'SC1002', line: 2 }],
    },
    {
      name: 'sudo chained',
      from: ['DL3004', 'DS-0010'],
      code: `FROM alpine:3.20\nRUN apk add bash && sudo pip install --upgrade pip\n`,
      errors: [{ rule: 'SC1002', line: 2 }],
    },
    {
      name: 'sudo on a continuation line',
      from: ['CKV2_DOCKER_1'],
      code: `FROM busybox:1.36\nRUN apt-get update \\\n && sudo apt-get install vim\n`,
      errors: [{ rule: 'SC1002', line: 3 }],
    },
    {
      name: 'sudo pip among other instructions',
      from: ['KICS:Run Using Sudo', 'DS-0010'],
      code: `FROM alpine:3.20\nRUN apk add --update py2-pip\nRUN sudo pip install --upgrade pip\nCMD ["python", "/usr/src/app/app.py"]\n`,
      errors: [{ rule: 'SC1002', line: 3 }],
    },
    {
      name: 'sudo in exec form',
      from: ['KICS:Run Using Sudo'],
      code: `FROM alpine:3.20\nRUN apk add --update py2-pip\nRUN ["sudo", "pip", "install", "--upgrade", "pip"]\n`,
      errors: [{ rule: 'SC1002', line: 3 }],
    },
    { code: `FROM debian:12-slim\nRUN sudo apt-get update\n`, errors: [{ rule: 'SC1002', line: 2 }] },
    {
      name: 'after && on a continuation line',
      code: `FROM alpine:3.20\nRUN echo a \\\n  && sudo -E sh -c id\n`,
      errors: [{ rule: 'SC1002', line: 3 }],
    },
    { name: 'exec form', code: `FROM alpine:3.20\nRUN ["sudo", "id"]\n`, errors: [{ rule: 'SC1002', line: 2 }] },
  ],
};
