import type { DockerfileRule, RuleCases } from '../../types.js';
import { subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

const UPDATE: Record<string, string> = { 'apt-get': 'update', apt: 'update', apk: 'update' };
const INSTALL: Record<string, string[]> = { 'apt-get': ['install'], apt: ['install'], apk: ['add'] };

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1016',
    name: 'no-update-alone',
    principle: 'P2',
    severity: 'warning',
    message: 'Package index update without an install in the same RUN',
    description:
      'A RUN that only does `apt-get update` is cached as its own layer: later `apt-get install` layers reuse the stale index and install old (or no longer existing) versions. Update and install belong in the same RUN.',
    fix: 'Combine them: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`.',
    refs: ['CKV_DOCKER_5', 'DS-0017', 'CIS-4.7', 'KICS:Update Instruction Alone'],
  }),
  check({ model, report }) {
    for (const run of model.runs) {
      // one pass over the RUN's commands, not one per `update` (`apk update; ` x 20k was quadratic)
      let anyInstall = false;
      const upgraded = new Set<string>();
      for (const d of run.commands) {
        const sub = subcommand(d);
        if (Object.hasOwn(INSTALL, d.program) && INSTALL[d.program].includes(sub)) anyInstall = true;
        if (sub === 'upgrade' || sub === 'dist-upgrade') upgraded.add(d.program);
      }
      for (const c of run.commands) {
        if (!Object.hasOwn(UPDATE, c.program) || UPDATE[c.program] !== subcommand(c)) continue;
        if (!anyInstall && !upgraded.has(c.program))
          report({ line: c.line, message: `${c.program} update without an install in the same RUN` });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n`,
    },
  ],
  invalid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ rule: 'SC1016', line: 2 }],
    },
    { code: `FROM alpine:3.20\nRUN apk update\n`, errors: [{ rule: 'SC1016', line: 2 }] },
  ],
};
