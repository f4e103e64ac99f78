import type { ComposeRule, RuleCases } from '../../types.js';
import { asStringList, parsePorts } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2021',
    name: 'no-ssh-port',
    principle: 'P1',
    severity: 'error',
    message: 'Service exposes the SSH port 22',
    description:
      'A container port 22 means an SSH server in the container: a second process and a second way in, with its own credentials. Use `docker compose exec` instead.',
    fix: 'Remove the SSH server and the port 22 mapping.',
    related: ['CKV_DOCKER_1', 'KICS:Exposing Port 22 (SSH)', 'CIS-5.7'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      for (const p of parsePorts(s.value.ports))
        if (p.target.split('-')[0] === '22')
          report({ line: s.lineOf('ports', p.index), message: `Service "${s.name}" publishes container port 22` });
      asStringList(s.value.expose).forEach((e, i) => {
        if (e.replace(/\/(tcp|udp)$/, '') === '22')
          report({ line: s.lineOf('expose', i), message: `Service "${s.name}" exposes port 22` });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `services:\n  a:\n    image: x:1\n    ports: ["127.0.0.1:2222:8022"]\n` }],
  invalid: [
    {
      code: `services:\n  a:\n    image: x:1\n    ports:\n      - "127.0.0.1:2222:22"\n    expose:\n      - "22"\n`,
      errors: [
        { rule: 'SC2021', line: 5 },
        { rule: 'SC2021', line: 7 },
      ],
    },
  ],
};
