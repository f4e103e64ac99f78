import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasOption, subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

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
    refs: ['DL3015', 'DS-0029', 'KICS:APT-GET Not Avoiding Additional Packages'],
  }),
  check({ model, report }) {
    for (const run of model.runs) {
      if (!run.stage.inFinalImage) continue;
      for (const c of run.commands) {
        if ((c.program !== 'apt-get' && c.program !== 'apt') || subcommand(c) !== 'install') continue;
        if (hasOption(c, '--no-install-recommends')) continue;
        if (c.cmd.some((a) => /Install-Recommends\s*=\s*(?:false|0|no)/i.test(a))) continue;
        report({ line: c.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
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
      code: `FROM debian:12-slim\nRUN apt-get update \\\n  && apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ rule: 'SC1014', line: 3 }],
    },
  ],
};
