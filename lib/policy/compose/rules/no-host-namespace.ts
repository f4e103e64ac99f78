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
    refs: [
      'CIS-5.10',
      'CIS-5.16',
      'CIS-5.17',
      'CIS-5.21',
      'CIS-5.31',
      'KICS:Shared Host Network Namespace',
      'KICS:Host Namespace is Shared',
      'KICS:Shared Host IPC Namespace',
      'KICS:Shared Host User Namespace',
    ],
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
  valid: [{ code: `services:\n  app:\n    image: x:1\n    network_mode: bridge\n    ipc: private\n` }],
  invalid: [
    {
      code: `services:\n  app:\n    image: x:1\n    network_mode: host\n    pid: "host"\n`,
      errors: [
        { rule: 'SC2008', line: 4 },
        { rule: 'SC2008', line: 5 },
      ],
    },
  ],
};
