import type { ComposeRule, RuleCases } from '../../types.js';
import { yamlText } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

const KEYS: [string, string][] = [
  ['network_mode', 'network'],
  ['pid', 'PID'],
  ['ipc', 'IPC'],
  ['userns_mode', 'user'],
  ['uts', 'UTS'],
];

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2008',
    name: 'no-host-namespace',
    principle: 'P9',
    severity: 'error',
    message: 'Service shares a host namespace',
    description:
      "Sharing the host's network, PID, IPC, UTS or user namespace removes the isolation it stands for: host network exposes every host-local service, host PID lets the container see and signal host processes, host IPC exposes shared memory, host userns disables user remapping.",
    fix: 'Remove `network_mode: host`, `pid: host`, `ipc: host`, `uts: host`, `userns_mode: host`; publish ports on a bridge network instead.',
    sameAs: [
      'KICS:Shared Host Network Namespace',
      'KICS:Host Namespace is Shared',
      'KICS:Shared Host IPC Namespace',
      'KICS:Shared Host User Namespace',
    ],
    related: ['CIS-5.10', 'CIS-5.16', 'CIS-5.17', 'CIS-5.21', 'CIS-5.31'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      for (const [key, what] of KEYS)
        if (yamlText(s.value[key] ?? '').toLowerCase() === 'host')
          report({
            line: s.lineOf(key),
            message: `Service "${s.name}" shares the host ${what} namespace (${key}: host)`,
          });
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'pid of another container',
      from: ['KICS:Host Namespace is Shared'],
      code: `services:\n  service_name_4:\n    image: not/a-real-image:1.0\n    command: ["launch"]\n    pid: "container:container_name_4"\n`,
    },
    {
      name: 'no namespace settings',
      from: ['KICS:Host Namespace is Shared', 'KICS:Shared Host IPC Namespace'],
      code: `services:\n  service_name_3:\n    image: not/a-real-image:1.0\n    ports:\n      - "8080:8080"\n`,
    },
    {
      name: 'userns_mode not host',
      from: ['KICS:Shared Host User Namespace'],
      code: `services:\n  webapp:\n    build: ./\n    security_opt:\n      - apparmor:unconfined\n    userns_mode: anything_but_host\n`,
    },
    {
      name: 'no network_mode',
      from: ['KICS:Shared Host Network Namespace'],
      code: `services:\n  mongo:\n    image: mongo:7.0\n    networks: [backend]\nnetworks:\n  backend: {}\n`,
    },
    { code: `services:\n  app:\n    image: x:1\n    network_mode: bridge\n    ipc: private\n` },
  ],
  invalid: [
    {
      name: 'pid: host',
      from: ['KICS:Host Namespace is Shared'],
      code: `services:\n  service_name_1:\n    image: not/a-real-image:1.0\n    ports:\n      - "8080:8080"\n    pid: "host" # Share Process ID Namespace\n`,
      errors: [{ rule: 'SC2008', line: 6 }],
    },
    {
      name: 'pid: host on the second service',
      from: ['KICS:Host Namespace is Shared'],
      code: `services:\n  app:\n    build: app\n    ports:\n      - "0.0.0.0:80:80"\n\n  internal:\n      build: internal\n      pid: "host"\n`,
      errors: [{ rule: 'SC2008', line: 9 }],
    },
    {
      name: 'network_mode: host',
      from: ['KICS:Shared Host Network Namespace'],
      code: `services:\n  mongo: # 27017\n    image: mongo:7.0\n    network_mode: "host"\n    privileged: true\n`,
      errors: [{ rule: 'SC2008', line: 4 }],
    },
    {
      name: 'ipc: host',
      from: ['KICS:Shared Host IPC Namespace'],
      code: `services:\n  webapp:\n    build:\n      context: ./dir\n    ports:\n      - "8080:8080"\n    ipc: "host"\n    cap_drop:\n      - all\n`,
      errors: [{ rule: 'SC2008', line: 7 }],
    },
    {
      name: 'userns_mode: host',
      from: ['KICS:Shared Host User Namespace'],
      code: `services:\n  service1:\n    image: service1:3.4\n    userns_mode: host\n`,
      errors: [{ rule: 'SC2008', line: 4 }],
    },

    {
      code: `services:\n  app:\n    image: x:1\n    network_mode: host\n    pid: "host"\n`,
      errors: [
        { rule: 'SC2008', line: 4 },
        { rule: 'SC2008', line: 5 },
      ],
    },
  ],
};
