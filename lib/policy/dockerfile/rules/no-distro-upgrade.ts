import type { DockerfileRule, RuleCases } from '../../types.js';
import { subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

const UPGRADES: Record<string, string[]> = {
  'apt-get': ['upgrade', 'dist-upgrade', 'full-upgrade'],
  apt: ['upgrade', 'dist-upgrade', 'full-upgrade'],
  apk: ['upgrade'],
  yum: ['upgrade', 'update'],
  dnf: ['upgrade', 'update', 'distro-sync'],
  microdnf: ['upgrade', 'update'],
  zypper: ['update', 'up', 'dist-upgrade', 'dup'],
};
const PROGRAMS = Object.keys(UPGRADES);

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1011',
    name: 'no-distro-upgrade',
    principle: 'P3',
    severity: 'warning',
    message: 'The image upgrades all distribution packages',
    description:
      "Upgrading every package inside the build makes the image depend on the day it was built, not on the base image tag: builds stop being reproducible and the base image's maintainers (who rebuild for security fixes) are bypassed. Use a fresher base image tag instead, and install only pinned packages you need.",
    fix: 'Remove the upgrade and bump the base image tag (let Renovate/Dependabot keep it fresh).',
    sameAs: ['DL3035'],
    related: ['DS-0024', 'KICS:Run Using Upgrade Commands'],
  }),
  check({ model, report }) {
    if (!runsAny(model, PROGRAMS)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++)
      for (let k = 0; k < runs[r].commands.length; k++) {
        const c = runs[r].commands[k];
        // own properties only: `RUN constructor` must not find Object.prototype.constructor
        const subs = Object.hasOwn(UPGRADES, c.program) ? UPGRADES[c.program] : undefined;
        if (!subs) continue;
        const sub = subcommand(c);
        if (
          subs.includes(sub) &&
          !(sub === 'update' && (c.program === 'apk' || c.program === 'apt-get' || c.program === 'apt'))
        )
          report({ line: c.line, message: `The image upgrades all distribution packages (${c.program} ${sub})` });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'zypper install',
      from: ['DL3035'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean\n`,
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\n`,
    },
  ],
  invalid: [
    {
      name: 'zypper dist-upgrade',
      from: ['DL3035'],
      code: `FROM opensuse/leap:15.6\nRUN zypper dist-upgrade\n`,
      errors: [{ rule: 'SC1011', line: 2 }],
    },
    {
      name: 'zypper dup',
      from: ['DL3035'],
      code: `FROM opensuse/leap:15.6\nRUN zypper dup\n`,
      errors: [{ rule: 'SC1011', line: 2 }],
    },
    { code: `FROM debian:12-slim\nRUN apt-get update && apt-get -y upgrade\n`, errors: [{ rule: 'SC1011', line: 2 }] },
    { code: `FROM alpine:3.20\nRUN apk upgrade --no-cache\n`, errors: [{ rule: 'SC1011', line: 2 }] },
    { code: `FROM opensuse/leap:15.6\nRUN zypper dist-upgrade -y\n`, errors: [{ rule: 'SC1011', line: 2 }] },
  ],
};
