import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1004',
    name: 'no-untagged-image',
    principle: 'P7',
    severity: 'warning',
    message: 'FROM has no tag (implicitly "latest")',
    description:
      'An image without a tag or digest is `latest` in disguise: the build is not reproducible and the version in production is unknown.',
    fix: 'Add an explicit version tag, e.g. `FROM python:3.12-slim`.',
    refs: ['DL3006', 'DS-0001', 'KICS:Image Version Not Explicit'],
  }),
  check({ model, report }) {
    for (const s of model.stages) {
      if (s.parent || s.image.scratch || s.image.unresolved) continue;
      if (!s.image.tag && !s.image.digest)
        report({ line: s.from.line, message: `FROM ${s.image.ref} has no tag (implicitly "latest")` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\n` },
    {
      name: 'digest only',
      code: `FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n`,
    },
    { name: 'scratch and stage names', code: `FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch\n` },
    { name: 'ARG with default tag', code: `ARG IMAGE=node:22-alpine\nFROM \${IMAGE}\n` },
    { name: 'registry with port', code: `FROM localhost:5000/app:1.0\n` },
  ],
  invalid: [
    { code: `FROM ubuntu\n`, errors: [{ rule: 'SC1004', line: 1 }] },
    { name: 'registry with port, no tag', code: `FROM localhost:5000/app\n`, errors: [{ rule: 'SC1004', line: 1 }] },
    {
      name: 'ARG with ${X:-default}',
      code: `ARG BASE\nFROM \${BASE:-debian}\n`,
      errors: [{ rule: 'SC1004', line: 2 }],
    },
  ],
};
