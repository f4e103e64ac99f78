import type { DockerfileRule, RuleCases } from '../../types.js';
import { instructionCommands } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { mayContain, stageInstructions } from '../facts.js';

const MANAGERS = new Set([
  'supervisord',
  'systemd',
  'init',
  'runsvdir',
  's6-svscan',
  'service',
  'systemctl',
  'openrc',
  'pm2',
  'pm2-runtime',
  'forever',
  'circusd',
]);

/** Any of the MANAGERS (letters, digits and `-`: nothing to escape), anywhere in a text (mayContain). */
const NAMES = new RegExp([...MANAGERS].join('|'));

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1025',
    name: 'no-service-manager',
    principle: 'P1',
    severity: 'warning',
    message: 'The container starts a service manager',
    description:
      'supervisord, systemd, `service … start`, pm2 and friends turn a container into a small VM running several processes: health, restarts, logs and signals are hidden from the orchestrator. Run one process per container and let compose/Kubernetes supervise. (A minimal init such as tini or `init: true` for signal forwarding is fine.)',
    fix: 'Start the app binary directly (exec form); split other processes into their own services.',
    related: ['DL3001'],
  }),
  check({ model, report }) {
    const final = model.finalStage;
    // a CMD or ENTRYPOINT of the final stage is one of the file's
    if (!final || stageInstructions(model, 'CMD').length + stageInstructions(model, 'ENTRYPOINT').length === 0) return;
    for (const i of final.instructions) {
      if (i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') continue;
      // most CMDs name no service manager anywhere in their text: their commands are not read
      if (!mayContain(i, model.escapeChar, NAMES)) continue;
      for (const c of instructionCommands(model, i))
        if (MANAGERS.has(c.program))
          report({ line: i.line, message: `The container starts a service manager (${c.program})` });
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM node:22-alpine\nENTRYPOINT ["/sbin/tini", "--", "node", "server.js"]\n` }],
  invalid: [
    { code: `FROM debian:12-slim\nCMD ["/usr/bin/supervisord", "-n"]\n`, errors: [{ rule: 'SC1025', line: 2 }] },
    {
      code: `FROM debian:12-slim\nCMD service nginx start && tail -f /dev/null\n`,
      errors: [{ rule: 'SC1025', line: 2 }],
    },
    { code: `FROM node:22-alpine\nCMD ["pm2-runtime", "app.js"]\n`, errors: [{ rule: 'SC1025', line: 2 }] },
    {
      name: 'a name the shell joins from quoted parts',
      code: `FROM debian:12-slim\nCMD ["sh", "-c", "exec super'visor'd -n"]\n`,
      errors: [{ rule: 'SC1025', line: 2 }],
    },
    {
      name: 'a name split by a line continuation',
      code: `FROM debian:12-slim\nCMD system\\\nctl start x\n`,
      errors: [{ rule: 'SC1025', line: 2 }],
    },
    {
      name: 'a name split by a continuation with the escape directive',
      code: `# escape=\`\nFROM debian:12-slim\nCMD super\`\nvisord -n\n`,
      errors: [{ rule: 'SC1025', line: 3 }],
    },
  ],
};
