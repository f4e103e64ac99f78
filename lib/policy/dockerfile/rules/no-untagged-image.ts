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
    sameAs: ['DL3006'],
    related: ['CKV_DOCKER_7', 'DS-0001', 'KICS:Image Version Not Explicit'],
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
    {
      name: 'digest, no tag',
      from: ['DL3006'],
      code: `FROM ruby@sha256:f1dbca0f5dbc9f1dbca0f5dbc9f1dbca0f5dbc9f1dbca0f5dbc9f1dbca0f5dbc9aaaa\n`,
    },
    { name: 'major tag', from: ['DL3006'], code: `FROM ruby:2\n` },
    { name: 'an unresolved variable', from: ['DL3006'], code: `ARG VALUE\nFROM \${VALUE}\n` },
    {
      name: 'stage names are untagged on purpose',
      from: ['DL3006'],
      code: `FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM build as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n`,
    },
    { name: 'scratch', from: ['DL3006'], code: `FROM scratch\n` },
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
    { name: 'no tag', from: ['DL3006'], code: `FROM debian\n`, errors: [{ rule: 'SC1004', line: 1 }] },
    {
      name: 'no tag, named stage',
      from: ['DL3006'],
      code: `FROM debian AS builder\n`,
      errors: [{ rule: 'SC1004', line: 1 }],
    },
    {
      name: 'an untagged image among stages',
      from: ['DL3006'],
      code: `FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM node as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n`,
      errors: [{ rule: 'SC1004', line: 3 }],
    },
    { code: `FROM ubuntu\n`, errors: [{ rule: 'SC1004', line: 1 }] },
    { name: 'registry with port, no tag', code: `FROM localhost:5000/app\n`, errors: [{ rule: 'SC1004', line: 1 }] },
    {
      name: 'ARG with ${X:-default}',
      code: `ARG BASE\nFROM \${BASE:-debian}\n`,
      errors: [{ rule: 'SC1004', line: 2 }],
    },
  ],
};
