import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { movingTag } from '../../rules/moving-tag.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1031',
    name: 'no-moving-tag',
    principle: 'P7',
    severity: 'warning',
    message: 'FROM uses a tag that moves like "latest"',
    description:
      'Tags such as `node:alpine`, `python:slim`, `node:lts-alpine`, `nginx:stable` or `golang:1` follow a release channel, not a version: like `latest`, two builds of the same commit can get different base images and nobody can tell which version is deployed. A tag is taken as moving when it contains a channel word (latest, lts, current, stable, edge, mainline, nightly, main, rc, …), when it has no version number at all (except Debian/Ubuntu code names such as `bookworm`, and images whose name carries the version, such as `gcr.io/distroless/static-debian12:nonroot`), or when it is a bare major version of a runtime released in minor lines (python, golang, rust, ruby, php, perl, julia, elixir: `python:3` spans 3.9 to 3.13). A major version of an image released in major lines (`node:22`, `postgres:17`) names a release line and is accepted. A digest pins any tag.',
    fix: 'Use an explicit version tag, e.g. `node:22.11-alpine3.20` or `golang:1.23-alpine`, optionally with `@sha256:…`.',
    related: ['DL3007', 'CKV_DOCKER_7', 'DS-0001'],
  }),
  check({ model, report }) {
    for (const s of model.stages) {
      if (s.parent) continue;
      const why = movingTag(s.image);
      if (why)
        report({ line: s.from.line, message: `FROM ${s.image.ref} uses a tag that moves like "latest" (${why})` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM node:22-alpine3.20 AS build\nFROM golang:1.23-bookworm\nFROM python:3.12-slim\nFROM node:22\nFROM postgres:17-alpine\n`,
    },
    { name: 'distroless: the version is in the name', code: `FROM gcr.io/distroless/static-debian12:nonroot\n` },
    { name: 'Debian and Ubuntu code names', code: `FROM debian:bookworm-slim\nFROM ubuntu:noble\n` },
    {
      name: 'pinned by digest',
      code: `FROM node:lts-alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n`,
    },
    { name: 'latest and no tag are other rules', code: `FROM node:latest\nFROM node\nFROM scratch\n` },
    { name: 'stage names', code: `FROM node:22-alpine AS alpine\nFROM alpine\n` },
    { name: 'an unresolved tag', code: `ARG TAG\nFROM node:\${TAG}\n` },
  ],
  invalid: [
    { code: `FROM node:alpine\n`, errors: [{ rule: 'SC1031', line: 1 }] },
    { name: 'python:slim', code: `FROM python:slim\n`, errors: [{ rule: 'SC1031', line: 1 }] },
    {
      name: 'a channel word',
      code: `FROM node:lts-alpine\nFROM nginx:stable\n`,
      errors: [
        { rule: 'SC1031', line: 1 },
        { rule: 'SC1031', line: 2 },
      ],
    },
    {
      name: 'golang:1',
      code: `FROM golang:1 AS build\nFROM python:3-slim\n`,
      errors: [
        { rule: 'SC1031', line: 1 },
        { rule: 'SC1031', line: 2 },
      ],
    },
    { name: 'alpine:edge', code: `FROM alpine:edge\n`, errors: [{ rule: 'SC1031', line: 1 }] },
    {
      name: 'a branch tag on another registry',
      code: `FROM ghcr.io/acme/base:main\n`,
      errors: [{ rule: 'SC1031', line: 1 }],
    },
    { name: 'via a global ARG', code: `ARG TAG=alpine\nFROM node:\${TAG}\n`, errors: [{ rule: 'SC1031', line: 2 }] },
  ],
};
