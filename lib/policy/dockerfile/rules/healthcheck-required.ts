import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1026',
    name: 'healthcheck-required',
    principle: 'P8',
    severity: 'warning',
    message: 'The final stage has no HEALTHCHECK',
    description:
      'Without a health check the runtime only knows whether the process exists, not whether it serves: a wedged app is never restarted and rolling updates proceed onto broken containers. `HEALTHCHECK NONE` is accepted as an explicit choice (e.g. when compose or Kubernetes probes are used instead). The check must work in the final image (distroless has no shell or curl).',
    fix: 'Add `HEALTHCHECK CMD ["<binary>", "<probe args>"]` that works in the final image, or `HEALTHCHECK NONE` with a comment pointing to the orchestrator probe.',
    refs: ['CKV_DOCKER_2', 'DS-0026', 'CIS-4.6', 'KICS:Healthcheck Instruction Missing'],
  }),
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    for (let s: typeof final | null = final; s; s = s.parent)
      if (s.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return;
    report({ line: final.from.line });
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\nHEALTHCHECK CMD ["node", "healthcheck.js"]\n` },
    { code: `FROM node:22-alpine\nHEALTHCHECK NONE\n` },
    {
      name: 'inherited from the parent stage',
      code: `FROM node:22-alpine AS base\nHEALTHCHECK CMD ["node", "h.js"]\nFROM base\n`,
    },
  ],
  invalid: [
    {
      code: `FROM node:22-alpine AS build\nHEALTHCHECK CMD ["x"]\nFROM node:22-alpine\nCMD ["node", "a.js"]\n`,
      errors: [{ rule: 'SC1026', line: 3 }],
    },
  ],
};
