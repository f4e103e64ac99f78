import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2020',
    name: 'trusted-image',
    principle: 'P3',
    severity: 'warning',
    message: 'image: is not from an allowed registry',
    description:
      'Third-party images from arbitrary namespaces run with whatever their publisher put in them. Use official or vendor images, or your mirror; the allow-list is shared with SC1005 and configurable. Services with a `build:` section are not checked.',
    fix: 'Use an official/vendor image or your internal mirror, or add the registry to `allowedRegistries`.',
    related: ['DL3026', 'CIS-4.2'],
  }),
  check({ model, report, config }) {
    for (const s of model.services) {
      const img = s.image;
      if (!img || s.has('build') || img.unresolved || img.scratch) continue;
      if (!config.isAllowedImage(img))
        report({
          line: s.lineOf('image'),
          message: `Service "${s.name}" uses ${img.ref}, not from an allowed registry`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  db:\n    image: postgres:16\n  vault:\n    image: hashicorp/vault:1.18\n  app:\n    build: .\n    image: ghcr.io/me/app:1.0\n`,
    },
  ],
  invalid: [{ code: `services:\n  x:\n    image: ghcr.io/someone/tool:1.0\n`, errors: [{ rule: 'SC2020', line: 3 }] }],
};
