import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2018',
    name: 'no-latest-image',
    principle: 'P7',
    severity: 'warning',
    message: 'image: uses the "latest" tag',
    description:
      '`latest` moves: the service runs whatever was pushed last, rollbacks do not roll back, and nobody can tell what is deployed. Services with a `build:` section name their own image and are not checked. Tags that move like `latest` (`redis:alpine`) are reported by SC2022.',
    fix: 'Use an explicit version tag (optionally with @sha256 digest).',
    related: ["KICS:Image Version Using 'latest'", 'CIS-5.28'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const img = s.image;
      if (!img || s.has('build') || img.unresolved || img.digest) continue;
      if (img.tag === 'latest') report({ line: s.lineOf('image'), message: `Service "${s.name}" uses ${img.ref}` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  a:\n    image: redis:7.4-alpine\n  b:\n    build: .\n    image: myapp:latest\n  c:\n    image: \${IMAGE}\n`,
    },
  ],
  invalid: [{ code: `services:\n  a:\n    image: redis:latest\n`, errors: [{ rule: 'SC2018', line: 3 }] }],
};
