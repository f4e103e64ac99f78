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
    refs: ['DL3024', 'CKV_DOCKER_11', 'DS-0012', 'KICS:Same Alias In Different Froms'],
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
  valid: [{ code: `FROM node:22-alpine AS deps\nFROM node:22-alpine AS build\nFROM node:22-alpine\n` }],
  invalid: [
    { code: `FROM node:22-alpine AS build\nFROM golang:1.23 AS Build\n`, errors: [{ rule: 'SC1028', line: 2 }] },
  ],
};
