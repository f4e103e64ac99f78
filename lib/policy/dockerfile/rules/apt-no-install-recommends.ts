import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasAnyOption, subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

const APT = ['apt-get', 'apt'];
const NO_RECOMMENDS = ['--no-install-recommends'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1014',
    name: 'apt-no-install-recommends',
    principle: 'P2',
    severity: 'warning',
    message: 'apt-get install without --no-install-recommends',
    description:
      'Recommended packages roughly double what apt installs: more binaries, more CVEs, more attack surface, a bigger image. Only stages that end up in the final image are checked; builder stages are thrown away.',
    fix: 'Use `apt-get install -y --no-install-recommends <pkgs>`.',
    sameAs: ['DL3015', 'DS-0029'],
    related: ['KICS:APT-GET Not Avoiding Additional Packages'],
  }),
  check({ model, report }) {
    if (!runsAny(model, APT)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      if (!runs[r].stage.inFinalImage) continue;
      const cmds = runs[r].commands;
      for (let k = 0; k < cmds.length; k++) {
        const c = cmds[k];
        if ((c.program !== 'apt-get' && c.program !== 'apt') || subcommand(c) !== 'install') continue;
        if (hasAnyOption(c, NO_RECOMMENDS)) continue;
        if (c.cmd.some((a) => /Install-Recommends\s*=\s*(?:false|0|no)/i.test(a))) continue;
        report({ line: c.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'the flag',
      from: ['DL3015'],
      code: `FROM debian:12-slim\nRUN apt-get install --no-install-recommends python3\n`,
    },
    {
      name: 'the option',
      from: ['DL3015'],
      code: `FROM debian:12-slim\nRUN apt-get -o APT::Install-Recommends=false install python3\n`,
    },
    {
      name: 'flags before install',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN apt-get -fmy install --no-install-recommends apt-utils\n`,
    },
    {
      name: 'the flag before install',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN apt-get --no-install-recommends install -fmy apt-utils\n`,
    },
    {
      name: 'exec form with the flag',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN ["apt-get", "install", "--no-install-recommends", "apt-utils"]\n`,
    },
    {
      name: 'chained',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN apt-get update && apt-get --no-install-recommends -y install apt-utils\n`,
    },
    {
      name: 'the flag after the packages',
      from: ['DS-0029'],
      code: `FROM debian:11-slim\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata postgresql-10 --no-install-recommends && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'builder stage only',
      code: `FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM gcr.io/distroless/static-debian12:nonroot\n`,
    },
  ],
  invalid: [
    {
      name: 'no flag',
      from: ['DL3015'],
      code: `FROM debian:12-slim\nRUN apt-get install python3\n`,
      errors: [{ rule: 'SC1014', line: 2 }],
    },
    {
      name: '-y only',
      from: ['DL3015', 'DS-0029'],
      code: `FROM debian:12-slim\nRUN apt-get -y install python3\n`,
      errors: [{ rule: 'SC1014', line: 2 }],
    },
    {
      name: 'a pinned package',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN apt-get install -y python=2.7\n`,
      errors: [{ rule: 'SC1014', line: 2 }],
    },
    {
      name: 'exec form',
      from: ['DS-0029'],
      code: `FROM node:22\nRUN ["apt-get", "install", "apt-utils"]\n`,
      errors: [{ rule: 'SC1014', line: 2 }],
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update \\\n  && apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ rule: 'SC1014', line: 3 }],
    },
  ],
};
