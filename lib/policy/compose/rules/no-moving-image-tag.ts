import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { movingTag } from '../../rules/moving-tag.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2022',
    name: 'no-moving-image-tag',
    principle: 'P7',
    severity: 'warning',
    message: 'image: uses a tag that moves like "latest"',
    description:
      '`redis:alpine`, `postgres:alpine`, `nginx:stable` or `python:3` follow a release channel, not a version: the service runs whatever was pushed last under that tag, a rollback does not roll back, and nobody can tell what is deployed. The same tags as SC1031 count as moving (a channel word, no version number, or a bare major version of a runtime released in minor lines); `postgres:17-alpine` names a release line and is accepted. Services with a `build:` section name their own image and are not checked.',
    fix: 'Use an explicit version tag, e.g. `redis:7.4-alpine` (optionally with @sha256 digest).',
    related: ['CIS-5.28'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const img = s.image;
      if (!img || s.has('build')) continue;
      const why = movingTag(img);
      if (why) report({ line: s.lineOf('image'), message: `Service "${s.name}" uses ${img.ref} (${why})` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  db:\n    image: postgres:17-alpine\n  cache:\n    image: redis:7.4.1-alpine\n  app:\n    build: .\n    image: app:local\n  other:\n    image: redis:latest\n`,
    },
  ],
  invalid: [
    {
      code: `services:\n  db:\n    image: postgres:alpine\n  web:\n    image: nginx:stable-alpine\n`,
      errors: [
        { rule: 'SC2022', line: 3 },
        { rule: 'SC2022', line: 5 },
      ],
    },
  ],
};
