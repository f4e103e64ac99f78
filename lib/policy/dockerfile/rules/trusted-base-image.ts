import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1005',
    name: 'trusted-base-image',
    principle: 'P3',
    severity: 'warning',
    message: 'Base image is not from an allowed registry',
    description:
      "Anyone can publish an image to a public registry namespace. Base images should come from official or vendor-maintained sources (Docker Official Images, distroless, Chainguard, vendor registries) or from the team's mirror. The allow-list is configurable (`allowedRegistries` in `.secure-container.yaml` or a team preset); `scratch` and stage names are never flagged.",
    fix: 'Use an official/vendor image or your internal mirror, or add the registry to `allowedRegistries`.',
    related: ['DL3026', 'CIS-4.2'],
  }),
  check({ model, report, config }) {
    // the `# syntax=` frontend is an image BuildKit pulls and runs before any FROM: judged the same way
    if (model.syntax && !config.isAllowedImage(model.syntax.image))
      report({
        line: model.syntax.line,
        message: `Dockerfile frontend ${model.syntax.ref} (# syntax=) is not from an allowed registry (${model.syntax.image.full})`,
      });
    for (const s of model.stages) {
      if (s.parent || s.image.scratch || s.image.unresolved) continue;
      if (!config.isAllowedImage(s.image))
        report({
          line: s.from.line,
          message: `Base image ${s.image.ref} is not from an allowed registry (${s.image.full})`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM node:22-alpine\nFROM docker.io/library/python:3.12-slim\nFROM gcr.io/distroless/base-debian12:nonroot\nFROM cgr.dev/chainguard/static:latest\n`,
    },
    {
      code: `FROM hashicorp/vault:1.18\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nFROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n`,
    },
    {
      name: 'configured mirror',
      code: `FROM registry.example.com/base/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/base'] },
    },
    { name: 'unresolved ARG is not judged', code: `ARG BASE\nFROM \${BASE}\n` },
    { name: 'the official frontend', code: `# syntax=docker/dockerfile:1\nFROM node:22\n` },
    {
      name: 'the frontend through the mirror',
      code: `# syntax=registry.example.com/hub/docker.io/docker/dockerfile:1\nFROM registry.example.com/hub/docker.io/library/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/hub'] },
    },
    { name: 'not a directive after an instruction', code: `FROM node:22\n# syntax=someone/frontend:1\n` },
  ],
  invalid: [
    { code: `FROM someone/node:22\n`, errors: [{ rule: 'SC1005', line: 1 }] },
    { code: `FROM node:22\nFROM quay.io/x/y:1\n`, errors: [{ rule: 'SC1005', line: 2 }] },
    {
      name: 'default allow-list replaced',
      code: `FROM node:22\n`,
      config: { allowedRegistries: ['registry.example.com'] },
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'a frontend outside the allow-list',
      code: `# syntax=someone/dockerfile-frontend:1\nFROM node:22\n`,
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'the public frontend with a mirror-only allow-list',
      code: `# syntax=docker/dockerfile:1\nFROM registry.example.com/hub/docker.io/library/node:22\n`,
      config: { allowedRegistries: ['registry.example.com/hub'] },
      errors: [{ rule: 'SC1005', line: 1 }],
    },
    {
      name: 'prefix must match whole segments',
      code: `FROM gcr.io/distroless-fake/x:1\n`,
      errors: [{ rule: 'SC1005', line: 1 }],
    },
  ],
};
