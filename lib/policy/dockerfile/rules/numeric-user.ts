import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1033',
    name: 'numeric-user',
    principle: 'P5',
    severity: 'warning',
    message: 'The final USER is a name, not a numeric uid',
    description:
      "A USER given by name (`USER app`) is resolved through the image's /etc/passwd at run time: Kubernetes' `runAsNonRoot: true` cannot verify that a name is not root and refuses to start the container (\"image has non-numeric user, cannot verify user is non-root\"), and the uid on the host depends on the image's files. A numeric `USER 10001:10001` is checked before start and means the same everywhere. Only the USER in effect in the final image is checked (set in the final stage or a stage it is built FROM); `USER root` is reported by SC1001, a USER from an unresolved build argument is not judged.",
    fix: 'Use the numeric uid (and gid) of the user: `USER 10001:10001` (create it with that uid, e.g. `adduser -u 10001`).',
    sameAs: ['DL3066'],
  }),
  check({ model, report }) {
    const s = model.finalStage;
    if (!s || s.user.line === null || s.user.value === null || s.user.root) return;
    if (s.user.source !== 'explicit' && s.user.source !== 'parent-stage') return;
    const value = s.user.value.trim();
    const uid = value.split(':')[0];
    if (value === '' || value.includes('$') || /^\d+$/.test(uid)) return;
    const line = s.user.source === 'explicit' ? s.user.line : s.from.line;
    report({ line, message: `The final USER ${value} is a name, not a numeric uid (runAsNonRoot cannot verify it)` });
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\nUSER 10001:10001\nCMD ["node", "a.js"]\n` },
    { name: 'numeric uid', from: ['DL3066'], code: `FROM alpine:3.20\nUSER 12345\n` },
    { name: 'numeric uid and gid', from: ['DL3066'], code: `FROM alpine:3.20\nUSER 1234:5678\n` },
    { name: 'from a build argument', from: ['DL3066'], code: `ARG APP_UID\nFROM alpine:3.20\nUSER \${APP_UID}\n` },
    {
      name: 'a name in a builder stage only',
      code: `FROM golang:1.23 AS build\nUSER builder\nFROM alpine:3.20\nUSER 10001\n`,
    },
    { name: 'root is SC1001', code: `FROM alpine:3.20\nUSER root\n` },
    { name: 'no USER is SC1001', code: `FROM alpine:3.20\n` },
  ],
  invalid: [
    {
      name: 'a name',
      from: ['DL3066'],
      code: `FROM alpine:3.20\nUSER foobar\n`,
      errors: [{ rule: 'SC1033', line: 2 }],
    },
    {
      name: 'a name and group',
      from: ['DL3066'],
      code: `FROM alpine:3.20\nUSER foobar:barfoo\n`,
      errors: [{ rule: 'SC1033', line: 2 }],
    },
    {
      name: 'inherited from the stage it is built from',
      code: `FROM node:22-alpine AS base\nUSER node\nFROM base\nCMD ["node", "a.js"]\n`,
      errors: [{ rule: 'SC1033', line: 3 }],
    },
  ],
};
