import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1024',
    name: 'no-expose-ssh-port',
    principle: 'P9',
    severity: 'error',
    message: 'EXPOSE 22 (SSH)',
    description:
      'Exposing port 22 advertises an SSH server in the container (see SC1023): a second entry point with its own credentials.',
    fix: 'Remove `EXPOSE 22` and the SSH server.',
    sameAs: ['CKV_DOCKER_1', 'DS-0004', 'KICS:Exposing Port 22 (SSH)'],
  }),
  check({ model, report }) {
    const list = stageInstructions(model, 'EXPOSE');
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      for (let j = 0; j < i.words.length; j++) {
        const a = i.words[j];
        // the protocol suffix needs a `/`
        const v = a.includes('/') ? a.replace(/\/(tcp|udp)$/i, '') : a;
        // v.split('-').map(Number) → [lo, hi], without the arrays
        const d1 = v.indexOf('-');
        const lo = Number(d1 < 0 ? v : v.slice(0, d1));
        let hi: number | undefined;
        if (d1 >= 0) {
          const d2 = v.indexOf('-', d1 + 1);
          hi = Number(d2 < 0 ? v.slice(d1 + 1) : v.slice(d1 + 1, d2));
        }
        if (lo === 22 || (hi !== undefined && lo <= 22 && hi >= 22)) report({ line: i.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: 'another port', from: ['CKV_DOCKER_1', 'DS-0004'], code: `FROM busybox:1.36\nEXPOSE 8080\n` },
    {
      name: 'nginx on 80',
      from: ['KICS:Exposing Port 22 (SSH)'],
      code: `FROM alpine:3.20\nRUN apk --no-cache add nginx\nEXPOSE 80\nCMD ["nginx", "-g", "daemon off;"]\n`,
    },
    { code: `FROM alpine:3.20\nEXPOSE 8080 2222\n` },
  ],
  invalid: [
    {
      name: 'among other ports',
      from: ['CKV_DOCKER_1'],
      code: `FROM busybox:1.36\nEXPOSE 8080 22\n`,
      errors: [{ rule: 'SC1024', line: 2 }],
    },
    {
      name: '22/tcp',
      from: ['CKV_DOCKER_1', 'DS-0004'],
      code: `FROM busybox:1.36\nEXPOSE 22/tcp\n`,
      errors: [{ rule: 'SC1024', line: 2 }],
    },
    { name: '22', from: ['DS-0004'], code: `FROM alpine:3.20\nEXPOSE 22\n`, errors: [{ rule: 'SC1024', line: 2 }] },
    {
      name: 'nginx with 22',
      from: ['KICS:Exposing Port 22 (SSH)'],
      code: `FROM alpine:3.20\nRUN apk --no-cache add nginx\nEXPOSE 3000 80 443 22\nCMD ["nginx", "-g", "daemon off;"]\n`,
      errors: [{ rule: 'SC1024', line: 3 }],
    },

    { code: `FROM alpine:3.20\nEXPOSE 8080 22/tcp\n`, errors: [{ rule: 'SC1024', line: 2 }] },
    { name: 'range', code: `FROM alpine:3.20\nEXPOSE 20-25\n`, errors: [{ rule: 'SC1024', line: 2 }] },
  ],
};
