import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1032',
    name: 'cmd-required',
    principle: 'P1',
    severity: 'warning',
    message: 'The final stage has no CMD or ENTRYPOINT',
    description:
      'Without a CMD or ENTRYPOINT in the final stage (or a stage it is built FROM), the image runs whatever its base image starts: a shell or a language REPL for most images, nothing at all for scratch and distroless static images. The image no longer says which process it runs, and it changes when the base image does. An image meant only as a base for others can suppress this with a reason.',
    fix: 'End the final stage with `ENTRYPOINT ["<binary>", "<args>"]` (exec form) or `CMD [...]`.',
  }),
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    for (let s: typeof final | null = final; s; s = s.parent)
      if (s.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')) return;
    report({ line: final.from.line });
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n` },
    {
      name: 'ENTRYPOINT only',
      code: `FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n`,
    },
    {
      name: 'inherited from the stage it is built from',
      code: `FROM node:22-alpine AS base\nENTRYPOINT ["node"]\nFROM base\nCOPY . /app\n`,
    },
  ],
  invalid: [
    {
      code: `FROM golang:1.23 AS build\nRUN go build -o /app .\nCMD ["/app"]\nFROM scratch\nCOPY --from=build /app /app\n`,
      errors: [{ rule: 'SC1032', line: 4 }],
    },
    {
      name: 'a single stage',
      code: `FROM python:3.12-slim\nCOPY app.py /app/\n`,
      errors: [{ rule: 'SC1032', line: 1 }],
    },
  ],
};
