import type { ComposeRule, RuleCases } from '../../types.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { thirdPartyReport, writesAdvice } from '../images.js';

const THIRD_PARTY_RO =
  'Find where the image writes (its VOLUMEs, /tmp, /run) and put each on a volume or tmpfs, then set `read_only: true`.';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2011',
    name: 'read-only-rootfs',
    principle: 'P8',
    severity: 'warning',
    message: 'Root filesystem is writable',
    description:
      "A writable root filesystem lets an attacker drop tools and persist changes, and lets the app write data into the container layer where it is lost on recreate. Make it read-only; use named volumes for data and tmpfs for /tmp. Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image's documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).",
    fix: 'Add `read_only: true` and `tmpfs: [/tmp]`; put data directories on named volumes.',
    related: ['CIS-5.13'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      if (s.value.read_only !== true) {
        const t = thirdPartyReport(s, writesAdvice, THIRD_PARTY_RO);
        report({
          line: s.has('read_only') ? s.lineOf('read_only') : s.line,
          message: `Service "${s.name}" has a writable root filesystem${t?.note ?? ''}`,
          ...(t ? { severity: t.severity, fix: t.fix } : {}),
        });
      }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: x:1\n    read_only: true\n` }],
  invalid: [
    { code: `services:\n  app:\n    image: x:1\n`, errors: [{ rule: 'SC2011', line: 2 }] },
    { code: `services:\n  app:\n    image: x:1\n    read_only: false\n`, errors: [{ rule: 'SC2011', line: 4 }] },
  ],
};
