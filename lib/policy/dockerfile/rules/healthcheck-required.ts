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
    sameAs: ['CKV_DOCKER_2', 'DS-0026', 'KICS:Healthcheck Instruction Missing'],
    related: ['CIS-4.6'],
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
    {
      name: 'a HEALTHCHECK',
      from: ['CKV_DOCKER_2', 'KICS:Healthcheck Instruction Missing'],
      code: `FROM node:22-alpine\nWORKDIR /usr/src/app\nCOPY . .\nUSER 10001\nHEALTHCHECK CMD curl --fail http://localhost:3000 || exit 1\nCMD ["node", "app.js"]\n`,
    },
    {
      name: 'in the final stage of two',
      from: ['DS-0026', 'KICS:Healthcheck Instruction Missing'],
      code: `FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app\nHEALTHCHECK CMD ["/bin/healthcheck"]\nCMD ["/app"]\n`,
    },

    { code: `FROM node:22-alpine\nHEALTHCHECK CMD ["node", "healthcheck.js"]\n` },
    { code: `FROM node:22-alpine\nHEALTHCHECK NONE\n` },
    {
      name: 'inherited from the parent stage',
      code: `FROM node:22-alpine AS base\nHEALTHCHECK CMD ["node", "h.js"]\nFROM base\n`,
    },
  ],
  invalid: [
    {
      name: 'none',
      from: ['CKV_DOCKER_2', 'KICS:Healthcheck Instruction Missing'],
      code: `FROM node:22-alpine\nWORKDIR /usr/src/app\nCOPY . .\nEXPOSE 3000\nCMD ["node", "app.js"]\n`,
      errors: [{ rule: 'SC1026', line: 1 }],
    },
    {
      name: 'none in two stages',
      from: ['DS-0026', 'KICS:Healthcheck Instruction Missing'],
      code: `FROM golang:1.23 AS builder\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=builder /app /app\nCMD ["/app"]\nUSER 10001\n`,
      errors: [{ rule: 'SC1026', line: 4 }],
    },

    {
      code: `FROM node:22-alpine AS build\nHEALTHCHECK CMD ["x"]\nFROM node:22-alpine\nCMD ["node", "a.js"]\n`,
      errors: [{ rule: 'SC1026', line: 3 }],
    },
  ],
};
