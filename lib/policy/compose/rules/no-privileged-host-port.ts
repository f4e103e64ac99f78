import type { ComposeRule, RuleCases } from '../../types.js';
import { parsePorts } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2010',
    name: 'no-privileged-host-port',
    principle: 'P9',
    severity: 'warning',
    message: 'Port below 1024 published or mapped',
    description:
      'Ports below 1024 are privileged. A host port below 1024 is meant for system services; a container port below 1024 means the app binds a privileged port, which needs root or NET_BIND_SERVICE (and breaks once the service runs as a non-root user with `cap_drop: [ALL]`). Let the app listen on a high port, publish a high port, and put a reverse proxy or load balancer in front. Both sides of short (`"8080:80"`, ranges, `"127.0.0.1::80"`) and long syntax are checked.',
    fix: 'Listen on and publish a port >= 1024 (e.g. "127.0.0.1:8080:8080").',
    sameAs: ['KICS:Privileged Ports Mapped In Container'],
    related: ['CIS-5.8'],
  }),
  check({ model, report }) {
    // the lowest port of "80", "8000-8080"; NaN when not a number
    const low = (x: string | null): number => (x ? Number(x.replace(/\/(?:tcp|udp|sctp)$/i, '').split('-')[0]) : NaN);
    const privileged = (n: number): boolean => Number.isFinite(n) && n > 0 && n < 1024;
    for (const s of model.services)
      for (const p of parsePorts(s.value.ports)) {
        const host = low(p.published);
        const container = low(p.target);
        if (privileged(host))
          report({
            line: s.lineOf('ports', p.index),
            message: `Service "${s.name}" publishes privileged host port ${host}`,
          });
        else if (privileged(container))
          report({
            line: s.lineOf('ports', p.index),
            message: `Service "${s.name}" maps privileged container port ${container} (the app must bind a port below 1024)`,
          });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'high ports, short and long syntax',
      from: ['KICS:Privileged Ports Mapped In Container'],
      code: `services:\n  dhcpd:\n    image: networkboot/dhcpd:1.3\n    ports:\n      - 6700:6700/udp\n  webapp:\n    build: ./webapp\n    ports:\n      - "7000:8000"\n      - "7000-8000"\n      - "8000"\n      - "9000-9091:8080-8081"\n      - "127.0.0.1:8000:8001"\n      - "127.0.0.1::5000"\n      - "12400-12500:1240"\n      - target: 8000\n        published: 8080\n        protocol: tcp\n        mode: host\n`,
    },
    { code: `services:\n  app:\n    image: x:1\n    ports: ["127.0.0.1:8080:8080"]\n` },
  ],
  invalid: [
    {
      name: 'a high host port in front of container port 80',
      code: `services:\n  app:\n    image: x:1\n    ports: ["127.0.0.1:8080:80"]\n`,
      errors: [{ rule: 'SC2010', line: 4 }],
    },
    {
      name: 'DHCP ports',
      from: ['KICS:Privileged Ports Mapped In Container'],
      code: `services:\n  dhcpd:\n    image: networkboot/dhcpd:1.3\n    ports:\n      - 67:67/udp\n  dhcp_client:\n    build: dhcp_client\n    ports:\n      - 68:68/udp\n`,
      errors: [
        { rule: 'SC2010', line: 5 },
        { rule: 'SC2010', line: 9 },
      ],
    },
    ...[
      '"7000:80"',
      '"70:8000"',
      '"70-8000"',
      '"80"',
      '"90-9091:8080-8081"',
      '"9090-9091:80-8081"',
      '"49100:22"',
      '"127.0.0.1:80:8001"',
      '"127.0.0.1::50"',
      '"12400-12500:124"',
    ].map((port) => ({
      name: `ports: ${port}`,
      from: ['KICS:Privileged Ports Mapped In Container'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - ${port}\n`,
      errors: [{ rule: 'SC2010', line: 5 }],
    })),
    {
      name: 'long syntax, container port 80',
      from: ['KICS:Privileged Ports Mapped In Container'],
      code: `services:\n  webapp:\n    build: ./webapp\n    ports:\n      - target: 80\n        published: 8080\n        protocol: tcp\n        mode: host\n`,
      errors: [{ rule: 'SC2010', line: 5 }],
    },

    {
      code: `services:\n  app:\n    image: x:1\n    ports:\n      - "127.0.0.1:80:8080"\n`,
      errors: [{ rule: 'SC2010', line: 5 }],
    },
  ],
};
