import type { ComposeRule, RuleCases } from '../../types.js';
import { parsePorts } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

const ALL = new Set(['', '0.0.0.0', '::', '[::]']);

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2009',
    name: 'port-bound-all-interfaces',
    principle: 'P9',
    severity: 'warning',
    message: 'Port published on all host interfaces',
    description:
      'A port published without a host address ("8080:8080") listens on every interface of the host, including public ones, and Docker\'s iptables rules bypass host firewalls such as ufw. Bind to 127.0.0.1 (or a specific interface) unless the service really must be reachable from outside.',
    fix: 'Use `"127.0.0.1:8080:8080"` (or the specific interface address).',
    sameAs: ['KICS:Container Traffic Not Bound To Host Interface'],
    related: ['CIS-5.14'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      for (const p of parsePorts(s.value.ports))
        if (p.hostIp === null || ALL.has(p.hostIp))
          report({
            line: s.lineOf('ports', p.index),
            message: `Service "${s.name}" publishes ${p.published ?? 'a random port'}->${p.target} on all host interfaces`,
            // the fix with this port, not a generic 8080
            fix: `Use \`"127.0.0.1:${p.published ?? p.target}:${p.target}"\` (or the specific interface address).`,
          });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'bound to 127.0.0.1, short syntax',
      from: ['KICS:Container Traffic Not Bound To Host Interface'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - "127.0.0.1:8000:8001"\n      - "127.0.0.1:5000-5010:5000-5010"\n      - "127.0.0.1::5000"\n`,
    },
    {
      name: 'an address in published (long syntax)',
      from: ['KICS:Container Traffic Not Bound To Host Interface'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - target: 8000\n        published: 127.0.0.1:8080\n        protocol: tcp\n      - target: 8001\n        published: 127.0.0.1:8080-8090\n      - target: 8002\n        published: 127.0.0.1\n`,
    },

    {
      code: `services:\n  app:\n    image: x:1\n    ports:\n      - "127.0.0.1:8080:8080"\n      - target: 9090\n        published: 9090\n        host_ip: 127.0.0.1\n`,
    },
  ],
  invalid: [
    {
      name: 'no host address',
      from: ['KICS:Container Traffic Not Bound To Host Interface'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - "7000:8000"\n    cap_drop:\n      - NET_BIND_SERVICE\n`,
      errors: [{ rule: 'SC2009', line: 5 }],
    },
    {
      name: 'a range, no host address',
      from: ['KICS:Container Traffic Not Bound To Host Interface'],
      code: `services:\n  webapp:\n    build: ./\n    ports:\n      - "12400-12500:1240"\n`,
      errors: [{ rule: 'SC2009', line: 5 }],
    },
    {
      name: 'long syntax without host_ip',
      from: ['KICS:Container Traffic Not Bound To Host Interface'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - target: 8000\n        published: 8080\n        protocol: tcp\n        mode: host\n`,
      errors: [{ rule: 'SC2009', line: 5 }],
    },

    {
      code: `services:\n  app:\n    image: x:1\n    ports:\n      - "8080:8080"\n      - 9000\n      - "0.0.0.0:443:8443"\n`,
      errors: [
        { rule: 'SC2009', line: 5 },
        { rule: 'SC2009', line: 6 },
        { rule: 'SC2009', line: 7 },
      ],
    },
  ],
};
