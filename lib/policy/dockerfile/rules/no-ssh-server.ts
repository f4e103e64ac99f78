import type { DockerfileRule, RuleCases } from '../../types.js';
import { instructionCommands, subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { mayContain, runsAny, stageInstructions, type Keyword } from '../facts.js';

const SSH_PACKAGES = /^(?:openssh-server|openssh|dropbear|ssh)(?:[=<>].*)?$/;
const INSTALL_SUBS = new Set(['install', 'add', 'in']);
const PMS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);
const RUN_PROGRAMS = [...PMS, 'sshd', 'service'];
const KEYWORDS: readonly Keyword[] = ['CMD', 'ENTRYPOINT'];
const SSHD = /sshd/;

/** The first argument naming an SSH server package, if any. */
function sshPackage(cmd: readonly string[]): string | undefined {
  for (let j = 0; j < cmd.length; j++) if (SSH_PACKAGES.test(cmd[j])) return cmd[j];
  return undefined;
}

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
    if (runsAny(model, RUN_PROGRAMS)) {
      const runs = model.runs;
      for (let r = 0; r < runs.length; r++) {
        const cmds = runs[r].commands;
        for (let k = 0; k < cmds.length; k++) {
          const c = cmds[k];
          const pkg = PMS.has(c.program) && INSTALL_SUBS.has(subcommand(c)) ? sshPackage(c.cmd) : undefined;
          if (pkg !== undefined) report({ line: c.line, message: `An SSH server is installed (${pkg})` });
          else if (c.program === 'sshd' || (c.program === 'service' && c.cmd[1] === 'ssh')) report({ line: c.line });
        }
      }
    }
    // CMD, then ENTRYPOINT: findings on different instructions never share a line, so the order does not matter
    for (const keyword of KEYWORDS) {
      const list = stageInstructions(model, keyword);
      for (let k = 0; k < list.length; k++) {
        const i = list[k];
        // most CMDs cannot start sshd (no "sshd" in the text): their commands are not read
        if (!mayContain(i, model.escapeChar, SSHD)) continue;
        const cmds = instructionCommands(model, i);
        for (let j = 0; j < cmds.length; j++)
          if (cmds[j].program === 'sshd') report({ line: i.line, message: `${keyword} starts an SSH server` });
      }
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
    {
      name: 'sshd spelled with quotes',
      code: `FROM debian:12-slim\nCMD ss"h"d -D\n`,
      errors: [{ rule: 'SC1023', line: 2 }],
    },
    {
      name: 'sshd in an exec-form sh -c script, split by a backslash',
      code: `FROM debian:12-slim\nENTRYPOINT ["sh", "-c", "exec ssh\\\\d -D"]\n`,
      errors: [{ rule: 'SC1023', line: 2 }],
    },
  ],
};
