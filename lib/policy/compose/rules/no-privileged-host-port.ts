import type { ComposeRule, RuleCases } from '../../types.js';
import { parsePorts } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2010',
    name: 'no-privileged-host-port',
    principle: 'P9',
    severity: 'warning',
    message: 'Port published below 1024',
    description:
      'Host ports below 1024 are privileged: they are meant for system services, and publishing one usually means the app also listens on a privileged port inside the container (which needs root or NET_BIND_SERVICE). Publish a high port and put a reverse proxy or load balancer in front.',
    fix: 'Publish a port >= 1024 (e.g. "127.0.0.1:8080:8080").',
    refs: ['CIS-5.8', 'KICS:Privileged Ports Mapped In Container'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      for (const p of parsePorts(s.value.ports)) {
        const lo = Number((p.published ?? '').split('-')[0]);
        if (p.published && Number.isFinite(lo) && lo > 0 && lo < 1024)
          report({
            line: s.lineOf('ports', p.index),
            message: `Service "${s.name}" publishes privileged host port ${lo}`,
          });
      }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  app:\n    image: x:1\n    ports: ["127.0.0.1:8080:80"]\n` }],
  invalid: [
    {
      code: `services:\n  app:\n    image: x:1\n    ports:\n      - "127.0.0.1:80:8080"\n`,
      errors: [{ rule: 'SC2010', line: 5 }],
    },
  ],
};
