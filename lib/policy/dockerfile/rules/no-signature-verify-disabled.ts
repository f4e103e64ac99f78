import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasOption } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1010',
    name: 'no-signature-verify-disabled',
    principle: 'P3',
    severity: 'error',
    message: 'Package signature verification is disabled',
    description:
      'Package managers verify signatures so that a mirror or a network attacker cannot substitute packages. `apk --allow-untrusted`, `apt-get --allow-unauthenticated/--force-yes`, `--nogpgcheck` and `rpm --nosignature` turn that off.',
    fix: "Import the repository's signing key and remove the option.",
    refs: ['CKV2_DOCKER_7', 'CKV2_DOCKER_8', 'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11', 'CIS-4.11'],
  }),
  check({ model, report }) {
    for (const run of model.runs)
      for (const c of run.commands) {
        const p = c.program;
        let why: string | null = null;
        if (p === 'apk' && hasOption(c, '--allow-untrusted')) why = 'apk --allow-untrusted';
        else if (
          (p === 'apt-get' || p === 'apt' || p === 'aptitude') &&
          hasOption(c, '--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories')
        )
          why = `${p} ${c.cmd.find((a) => a.startsWith('--allow') || a === '--force-yes')}`;
        else if (p === 'apt-get' && c.cmd.some((a) => /AllowUnauthenticated\s*=\s*(?:true|1)/i.test(a)))
          why = 'APT::Get::AllowUnauthenticated';
        else if (
          ['yum', 'dnf', 'microdnf', 'rpm', 'zypper'].includes(p) &&
          hasOption(c, '--nogpgcheck', '--no-gpg-checks')
        )
          why = `${p} --nogpgcheck`;
        else if (p === 'rpm' && hasOption(c, '--nosignature', '--nodigest', '--noverify', '--nofiledigest'))
          why = 'rpm --nosignature';
        if (why) report({ line: c.line, message: `Package signature verification is disabled (${why})` });
      }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM alpine:3.20\nRUN apk add --no-cache curl\n` }],
  invalid: [
    {
      code: `FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/x.apk\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --allow-unauthenticated x\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    {
      code: `FROM fedora:40\nRUN dnf install -y --nogpgcheck x && dnf clean all\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    { code: `FROM fedora:40\nRUN rpm -i --nosignature x.rpm\n`, errors: [{ rule: 'SC1010', line: 2 }] },
  ],
};
