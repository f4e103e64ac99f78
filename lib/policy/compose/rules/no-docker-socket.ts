import type { ComposeRule, RuleCases } from '../../types.js';
import { parseVolume, SOCKET } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2006',
    name: 'no-docker-socket',
    principle: 'P9',
    severity: 'error',
    message: 'The container runtime socket is mounted',
    description:
      'Access to docker.sock (even read-only) is root on the host: the container can start a privileged container that mounts /. Tools that need the Docker API should go through a filtered proxy, or not run in a container.',
    fix: 'Remove the socket mount; use a socket proxy with a minimal API allow-list if unavoidable.',
    sameAs: ['KICS:Docker Socket Mounted In Container'],
    related: ['CIS-5.32'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const vols = Array.isArray(s.value.volumes) ? s.value.volumes : [];
      vols.forEach((v, i) => {
        const p = parseVolume(v);
        if (p?.source && SOCKET.test(p.source))
          report({ line: s.lineOf('volumes', i), message: `Service "${s.name}" mounts ${p.source}` });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'no volumes',
      from: ['KICS:Docker Socket Mounted In Container'],
      code: `services:\n  service1:\n    image: notareal/image:1.0\n    restart: always\n    ports:\n      - 8080:8080\n`,
    },
    { code: `services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - data:/data\n` },
  ],
  invalid: [
    {
      name: 'the socket, short syntax',
      from: ['KICS:Docker Socket Mounted In Container'],
      code: `services:\n  service1:\n    image: notareal/image:1.0\n    restart: always\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    ports:\n      - 8080:8080\n`,
      errors: [{ rule: 'SC2006', line: 6 }],
    },

    {
      code: `services:\n  agent:\n    image: portainer/agent:2.21\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n`,
      errors: [{ rule: 'SC2006', line: 5 }],
    },
    {
      name: 'long syntax',
      code: `services:\n  a:\n    image: x:1\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n`,
      errors: [{ rule: 'SC2006', line: 5 }],
    },
  ],
};
