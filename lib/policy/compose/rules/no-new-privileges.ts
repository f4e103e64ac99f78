import type { ComposeRule, RuleCases } from '../../types.js';
import { asStringList } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';
import { thirdPartyReport } from '../images.js';

const THIRD_PARTY_NNP =
  'Add `security_opt: ["no-new-privileges:true"]`: images that switch users with gosu/su-exec/setpriv keep working (dropping privileges is allowed), images that rely on setuid binaries (sudo, ping) do not.';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2004',
    name: 'no-new-privileges',
    principle: 'P5',
    severity: 'warning',
    message: 'Service does not set no-new-privileges',
    description:
      "Without `no-new-privileges`, a setuid binary in the image (su, passwd, a vulnerable helper) can raise a compromised process back to root. The option makes execve never grant more privileges than the parent had. Services that run a third-party image (`image:` without `build:`) are reported at info, with the setting the image's documentation supports for well-known official images (postgres, mysql, mariadb, redis, mongo, rabbitmq, nginx, elasticsearch, adminer, traefik).",
    fix: 'Add `security_opt: ["no-new-privileges:true"]`.',
    related: ['KICS:No New Privileges Not Set', 'KICS:Security Opt Not Set', 'CIS-5.26'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const opts = asStringList(s.value.security_opt).map((o) => o.replace(/\s/g, '').toLowerCase());
      if (
        opts.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges:true' || o === 'no-new-privileges=true')
      )
        continue;
      const t = thirdPartyReport(s, () => null, THIRD_PARTY_NNP);
      report({
        line: s.has('security_opt') ? s.lineOf('security_opt') : s.line,
        message: `Service "${s.name}" does not set no-new-privileges${t?.note ?? ''}`,
        ...(t ? { severity: t.severity, fix: t.fix } : {}),
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:true"]\n` }],
  invalid: [
    { code: `services:\n  app:\n    image: nginx:1.27\n`, errors: [{ rule: 'SC2004', line: 2 }] },
    {
      code: `services:\n  app:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:false\n`,
      errors: [{ rule: 'SC2004', line: 4 }],
    },
  ],
};
