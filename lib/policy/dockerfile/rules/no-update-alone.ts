import type { DockerfileRule, RuleCases } from '../../types.js';
import { subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

/** Package managers whose `update` only refreshes the index, by the family that shares it. */
const FAMILY: Record<string, string> = { 'apt-get': 'apt', apt: 'apt', aptitude: 'apt', apk: 'apk' };
/** Sub-commands that use the index (an upgrade counts: it is what the update was for). */
const USES_INDEX = new Set(['install', 'add', 'upgrade', 'dist-upgrade', 'full-upgrade', 'reinstall', 'build-dep']);
const PROGRAMS = Object.keys(FAMILY);
const familyOf = (program: string): string | undefined =>
  Object.hasOwn(FAMILY, program) ? FAMILY[program] : undefined;

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1016',
    name: 'no-update-alone',
    principle: 'P2',
    severity: 'warning',
    message: 'Package index update without an install in the same RUN',
    description:
      'A RUN that only does `apt-get update` (or `apk update`) is cached as its own layer: later `apt-get install` layers reuse the stale index and install old (or no longer existing) versions. Update and install belong in the same RUN, the install after the update (`apt` and `apt-get` share the index).',
    fix: 'Combine them: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`.',
    sameAs: ['CKV_DOCKER_5'],
    related: ['DS-0017', 'KICS:Update Instruction Alone', 'CIS-4.7'],
  }),
  check({ model, report }) {
    if (!runsAny(model, PROGRAMS)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r];
      // one backward pass: for each family, whether an index-using command comes later in the RUN
      // (`apk update; ` x 20k must stay linear)
      let usedLater: Set<string> | null = null;
      let alone: { line: number; program: string }[] | null = null;
      for (let i = run.commands.length - 1; i >= 0; i--) {
        const c = run.commands[i];
        const family = familyOf(c.program);
        if (!family) continue;
        const sub = subcommand(c);
        if (USES_INDEX.has(sub)) (usedLater ??= new Set()).add(family);
        else if (sub === 'update' && !usedLater?.has(family)) (alone ??= []).push({ line: c.line, program: c.program });
      }
      if (alone === null) continue;
      for (const a of alone.reverse())
        report({ line: a.line, message: `${a.program} update without an install after it in the same RUN` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      from: ['CKV_DOCKER_5'],
      code: `FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'apk update and add, --update, upgrade, update-locale',
      from: ['CKV_DOCKER_5'],
      code: `FROM alpine:3.20\nRUN apk update \\\n && apk add --no-cache suuu looo\nRUN apk --update add moo\nRUN apk update --no-cache && apk upgrade --no-cache\nRUN update-locale LANG=en_US.UTF-8\n`,
    },
    {
      name: 'apt-get update then apt upgrade',
      code: `FROM debian:12-slim\nRUN test -d /etc && apt-get update && apt upgrade --yes\n`,
    },
    {
      name: 'separated by a semicolon',
      code: `FROM debian:12-slim\nRUN apt-get update -y ; apt-get install -y curl\n`,
    },
  ],
  invalid: [
    {
      from: ['CKV_DOCKER_5'],
      code: `FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ rule: 'SC1016', line: 2 }],
    },
    { from: ['CKV_DOCKER_5'], code: `FROM alpine:3.20\nRUN apk update\n`, errors: [{ rule: 'SC1016', line: 2 }] },
    {
      name: 'update after the install, then updates alone',
      from: ['CKV_DOCKER_5'],
      code: `FROM debian:12-slim\nRUN apt install first_update_line \\\n && apt update\nRUN apt update\nUSER bob\n`,
      errors: [
        { rule: 'SC1016', line: 3 },
        { rule: 'SC1016', line: 4 },
      ],
    },
    {
      name: 'update followed by something else',
      code: `FROM debian:12-slim\nRUN apt-get update && adduser mike\n`,
      errors: [{ rule: 'SC1016', line: 2 }],
    },
  ],
};
