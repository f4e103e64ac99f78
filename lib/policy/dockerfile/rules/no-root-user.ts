import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1001',
    name: 'no-root-user',
    principle: 'P5',
    severity: 'error',
    message: 'The final stage runs as root',
    description:
      "A process running as UID 0 in a container is root on the host kernel: one escape (a kernel or runtime bug, a mounted socket) and the attacker owns the node. The last USER of the final stage decides who runs the app; a stage built FROM another stage inherits that stage's USER, and with no USER at all the image runs as root unless its base image defaults to a non-root user (distroless `:nonroot` tags).",
    fix: 'Add `USER 10001:10001` (a numeric non-root uid:gid) to the final stage, or use a base image whose default user is non-root.',
    related: [
      'DL3002',
      'CKV_DOCKER_3',
      'CKV_DOCKER_8',
      'DS-0002',
      'KICS:Missing User Instruction',
      "KICS:Last User Is 'root'",
      'CIS-4.1',
    ],
  }),
  check({ model, report }) {
    const s = model.finalStage;
    if (!s) return;
    if (!s.user.root) return;
    if (s.user.source === 'explicit' && s.user.line !== null) {
      report({ line: s.user.line, message: `The final stage runs as root (USER ${s.user.value})` });
    } else if (s.user.source === 'parent-stage' && s.user.line !== null) {
      report({
        line: s.from.line,
        message: `The final stage inherits USER ${s.user.value} (root) from stage "${s.parent?.name}" (line ${s.user.line})`,
      });
    } else {
      report({ line: s.from.line, message: 'The final stage has no USER and its base image runs as root' });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: 'numeric non-root user', code: `FROM node:22-alpine\nUSER 10001:10001\nCMD ["node", "a.js"]\n` },
    {
      name: 'root in the builder only',
      code: `FROM golang:1.23 AS build\nUSER root\nRUN go build\nFROM alpine:3.20\nUSER 65532\n`,
    },
    {
      name: 'distroless nonroot base',
      code: `FROM golang:1.23 AS build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out /app\n`,
    },
    {
      name: 'non-root inherited from the parent stage',
      code: `FROM node:22-alpine AS base\nUSER node\nFROM base\nCMD ["node", "a.js"]\n`,
    },
    { name: 'variable user cannot be judged', code: `FROM alpine:3.20\nARG UID\nUSER \${UID}\n` },
  ],
  invalid: [
    { name: 'no USER', code: `FROM node:22-alpine\nCMD ["node", "a.js"]\n`, errors: [{ rule: 'SC1001', line: 1 }] },
    {
      name: 'USER root last',
      code: `FROM alpine:3.20\nUSER 10001\nRUN id\nUSER root\n`,
      errors: [{ rule: 'SC1001', line: 4 }],
    },
    { name: 'numeric 0:0', code: `FROM alpine:3.20\nUSER 0:0\n`, errors: [{ rule: 'SC1001', line: 2 }] },
    { name: 'root:root', code: `FROM alpine:3.20\nUSER root:root\n`, errors: [{ rule: 'SC1001', line: 2 }] },
    {
      name: 'root inherited from the parent stage',
      code: `FROM alpine:3.20 AS base\nUSER 0\nFROM base\nRUN id\n`,
      errors: [{ rule: 'SC1001', line: 3 }],
    },
    {
      name: 'distroless without :nonroot',
      code: `FROM gcr.io/distroless/static-debian12\n`,
      errors: [{ rule: 'SC1001', line: 1 }],
    },
    {
      name: 'ARG resolved to root',
      code: `FROM alpine:3.20\nARG RUNAS=root\nUSER \${RUNAS}\n`,
      errors: [{ rule: 'SC1001', line: 3 }],
    },
  ],
};
