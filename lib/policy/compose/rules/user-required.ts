import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { isThirdParty, knownImage, thirdPartyReport } from '../images.js';

/** Advice for a third-party image the table does not know. */
const THIRD_PARTY_USER =
  "Check the image's documentation for the non-root user it supports (many official images document one) and set `user:` to it, with its data volumes owned by that uid.";

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2012',
    name: 'user-required',
    principle: 'P5',
    severity: 'warning',
    message: 'Service does not set user',
    description:
      'Without `user:`, the service runs as whatever the image says, which for most images is root. Setting a numeric non-root `user: "10001:10001"` makes the compose file enforce it regardless of the image. Images whose default user is known to be non-root (distroless `:nonroot`) are not flagged. Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image\'s documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).',
    fix: 'Add `user: "10001:10001"` (a numeric non-root uid:gid the image supports).',
    related: ['CIS-4.1'],
  }),
  check({ model, report, config }) {
    for (const s of model.services) {
      if (s.has('user')) continue;
      if (s.image && config.isNonRootImage(`${s.image.full}:${s.image.tag ?? 'latest'}`)) continue;
      // a third-party image that runs as a non-root user by default (its documentation says so)
      if (isThirdParty(s) && knownImage(s.image)?.nonRootByDefault) continue;
      const t = thirdPartyReport(s, (k) => k.user, THIRD_PARTY_USER);
      report({
        line: s.line,
        message: `Service "${s.name}" does not set user${t?.note ?? ''}`,
        ...(t ? { severity: t.severity, fix: t.fix } : {}),
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `services:\n  app:\n    image: x:1\n    user: "10001:10001"\n` },
    { code: `services:\n  app:\n    image: gcr.io/distroless/static-debian12:nonroot\n` },
  ],
  invalid: [
    {
      code: `services:\n  app:\n    image: x:1\n  db:\n    image: postgres:16\n    user: "70:70"\n`,
      errors: [{ rule: 'SC2012', line: 2 }],
    },
  ],
};
