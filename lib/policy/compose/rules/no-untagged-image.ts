import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2019',
    name: 'no-untagged-image',
    principle: 'P7',
    severity: 'warning',
    message: 'image: has no tag (implicitly "latest")',
    description:
      'An image reference without a tag or digest is `latest`. Services with a `build:` section are not checked.',
    fix: 'Add an explicit version tag, e.g. `postgres:16.4-alpine`.',
    related: ['KICS:Image Version Not Explicit', 'CIS-5.28'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const img = s.image;
      if (!img || s.has('build') || img.unresolved || img.scratch) continue;
      if (!img.tag && !img.digest)
        report({ line: s.lineOf('image'), message: `Service "${s.name}" uses ${img.ref} without a tag` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  a:\n    image: postgres:16\n  b:\n    image: postgres@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n`,
    },
  ],
  invalid: [{ code: `services:\n  a:\n    image: "postgres"\n`, errors: [{ rule: 'SC2019', line: 3 }] }],
};
