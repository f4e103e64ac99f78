import type { DockerfileRule, RuleCases } from '../../types.js';
import { instructionCommands, subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

const SSH_PACKAGES = /^(?:openssh-server|openssh|dropbear|ssh)(?:[=<>].*)?$/;
const INSTALL_SUBS = new Set(['install', 'add', 'in']);
const PMS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);
const RUN_PROGRAMS = [...PMS, 'sshd', 'service'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1023',
    name: 'no-ssh-server',
    principle: 'P1',
    severity: 'error',
    message: 'An SSH server is installed or started in the image',
    description:
      'An SSH daemon in a container is a second process, a second way in, and a set of long-lived credentials to manage. Use `docker exec` / `kubectl exec` for debugging and a dedicated job for maintenance.',
    fix: 'Remove the SSH server; use `docker exec`/`kubectl debug` for access.',
    related: ['DL3001', 'CIS-5.7'],
  }),
  check({ model, report }) {
    if (runsAny(model, RUN_PROGRAMS))
      for (const run of model.runs)
        for (const c of run.commands) {
          if (PMS.has(c.program) && INSTALL_SUBS.has(subcommand(c)) && c.cmd.some((a) => SSH_PACKAGES.test(a)))
            report({
              line: c.line,
              message: `An SSH server is installed (${c.cmd.find((a) => SSH_PACKAGES.test(a))})`,
            });
          else if (c.program === 'sshd' || (c.program === 'service' && c.cmd[1] === 'ssh')) report({ line: c.line });
        }
    for (const s of model.stages)
      for (const i of s.instructions) {
        if (i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') continue;
        for (const c of instructionCommands(model, i))
          if (c.program === 'sshd') report({ line: i.line, message: `${i.keyword} starts an SSH server` });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-client && rm -rf /var/lib/apt/lists/*\n`,
    },
  ],
  invalid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y openssh-server && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ rule: 'SC1023', line: 2 }],
    },
    { code: `FROM alpine:3.20\nCMD ["/usr/sbin/sshd", "-D"]\n`, errors: [{ rule: 'SC1023', line: 2 }] },
  ],
};
