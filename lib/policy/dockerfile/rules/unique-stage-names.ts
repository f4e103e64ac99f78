import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1028',
    name: 'unique-stage-names',
    principle: 'P6',
    severity: 'error',
    message: 'Duplicate stage name',
    description:
      'Two stages with the same `AS` name make `COPY --from=<name>` and `--target <name>` ambiguous: which one is used depends on the builder. The Dockerfile no longer says what the image contains.',
    fix: 'Give every stage a unique name.',
    sameAs: ['DL3024', 'CKV_DOCKER_11', 'DS-0012'],
    related: ['KICS:Same Alias In Different Froms'],
  }),
  check({ model, report }) {
    const seen = new Map<string, number>();
    for (const s of model.stages) {
      if (!s.name) continue;
      const first = seen.get(s.name);
      if (first !== undefined)
        report({ line: s.from.line, message: `Duplicate stage name "${s.name}" (first at line ${first})` });
      else seen.set(s.name, s.from.line);
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'unique aliases',
      from: ['DL3024', 'CKV_DOCKER_11'],
      code: `FROM debian:12 AS build\nRUN stuff\nFROM debian:12 AS another-alias\nRUN more_stuff\n`,
    },
    {
      name: 'unique upper-case aliases with --platform',
      from: ['CKV_DOCKER_11'],
      code: `FROM --platform=linux/amd64 node:22 AS FOO\nRUN npm install\nFROM --platform=linux/amd64 node:22 AS BAR\nRUN npm run build\n`,
    },
    {
      name: 'no aliases',
      from: ['DS-0012'],
      code: `FROM alpine:3.20\nRUN test\nFROM debian:12\nRUN stuff\n`,
    },
    { code: `FROM node:22-alpine AS deps\nFROM node:22-alpine AS build\nFROM node:22-alpine\n` },
  ],
  invalid: [
    {
      name: 'the same alias twice',
      from: ['DL3024'],
      code: `FROM node:22 AS foo\nRUN something\nFROM scratch AS foo\nCOPY --from=0 /x /x\n`,
      errors: [{ rule: 'SC1028', line: 3 }],
    },
    {
      name: 'a duplicate after an unnamed stage',
      from: ['CKV_DOCKER_11', 'DS-0012'],
      code: `FROM alpine:3.20\nRUN test\nFROM debian:12 AS build\nRUN stuff\nFROM debian:12 AS build\nRUN more_stuff\n`,
      errors: [{ rule: 'SC1028', line: 5 }],
    },
    {
      name: 'a duplicate after another alias',
      from: ['DS-0012'],
      code: `FROM alpine:3.20 AS bi\nRUN test\nFROM debian:12 as build\nRUN stuff\nFROM debian:12 as build\nRUN more_stuff\n`,
      errors: [{ rule: 'SC1028', line: 5 }],
    },

    { code: `FROM node:22-alpine AS build\nFROM golang:1.23 AS Build\n`, errors: [{ rule: 'SC1028', line: 2 }] },
  ],
};
