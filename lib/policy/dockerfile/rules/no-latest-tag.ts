import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1003',
    name: 'no-latest-tag',
    principle: 'P7',
    severity: 'warning',
    message: 'FROM uses the "latest" tag',
    description:
      '`latest` moves: two builds of the same commit can get different base images, a rollback does not roll back the base, and nobody can tell which version is deployed. Explicit version tags (optionally pinned by digest and kept fresh by Renovate/Dependabot) make builds reproducible. Tags that move like `latest` (`node:alpine`, `node:lts-alpine`, `golang:1`) are reported by SC1031.',
    fix: 'Use an explicit version tag, e.g. `node:22.11-alpine3.20`, optionally with `@sha256:…`.',
    sameAs: ['DL3007'],
    related: ['CKV_DOCKER_7', 'DS-0001', "KICS:Image Version Using 'latest'"],
  }),
  check({ model, report }) {
    for (const s of model.stages) {
      if (s.parent || s.image.scratch || s.image.unresolved || s.image.digest) continue;
      if (s.image.tag === 'latest') report({ line: s.from.line, message: `FROM ${s.image.ref} uses the "latest" tag` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: 'a release name', from: ['DL3007'], code: `FROM debian:jessie\n` },
    { name: 'a release name, named stage', from: ['DL3007'], code: `FROM debian:jessie AS builder\nRUN true\n` },
    {
      name: 'digest only',
      from: ['DL3007'],
      code: `FROM hub.docker.io/debian@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n`,
    },
    {
      name: 'latest with a digest',
      from: ['DL3007'],
      code: `FROM hub.docker.io/debian:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n`,
    },
    { code: `FROM node:22-alpine\n` },
    {
      name: 'latest pinned by digest',
      code: `FROM alpine:latest@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n`,
    },
    { name: 'stage reference', code: `FROM alpine:3.20 AS latest\nFROM latest\n` },
  ],
  invalid: [
    { name: 'debian:latest', from: ['DL3007'], code: `FROM debian:latest\n`, errors: [{ rule: 'SC1003', line: 1 }] },
    {
      name: 'latest in a named stage',
      from: ['DL3007'],
      code: `FROM debian:latest AS builder\nRUN true\nFROM scratch\nCOPY --from=builder /x /x\n`,
      errors: [{ rule: 'SC1003', line: 1 }],
    },
    { code: `FROM node:latest\n`, errors: [{ rule: 'SC1003', line: 1 }] },
    {
      name: 'via a global ARG default',
      code: `ARG TAG=latest\nFROM python:\${TAG}\n`,
      errors: [{ rule: 'SC1003', line: 2 }],
    },
  ],
};
