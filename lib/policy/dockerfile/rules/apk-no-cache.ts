import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasAnyOption, hasCacheMount, subcommand } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

const APK = ['apk'];
const NO_CACHE = ['--no-cache'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1017',
    name: 'apk-no-cache',
    principle: 'P2',
    severity: 'warning',
    message: 'apk add without --no-cache',
    description:
      'Without `--no-cache`, apk keeps its index in /var/cache/apk inside the layer. Only stages that end up in the final image are checked.',
    fix: 'Use `apk add --no-cache <pkgs>` (or a cache mount on /var/cache/apk).',
    sameAs: ['DL3019', 'DS-0025'],
    related: ['KICS:Apk Add Using Local Cache Path'],
  }),
  check({ model, report }) {
    if (!runsAny(model, APK)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r];
      if (!run.stage.inFinalImage) continue;
      // a cache mount needs a RUN --mount: most RUNs have none
      if (run.mounts.length > 0 && hasCacheMount(run, '/var/cache/apk', '/etc/apk/cache')) continue;
      const cmds = run.commands;
      let cleans = false;
      for (let k = 0; k < cmds.length && !cleans; k++)
        cleans = cmds[k].program === 'rm' && cmds[k].cmd.some((a) => a.startsWith('/var/cache/apk'));
      if (cleans) continue;
      for (let k = 0; k < cmds.length; k++) {
        const c = cmds[k];
        if (c.program === 'apk' && subcommand(c) === 'add' && !hasAnyOption(c, NO_CACHE)) report({ line: c.line });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: '--no-cache', from: ['DL3019', 'DS-0025'], code: `FROM alpine:3.20\nRUN apk add --no-cache python3\n` },
    { name: '--no-cache last', from: ['DS-0025'], code: `FROM alpine:3.20\nRUN apk add bash --no-cache\n` },
    {
      name: 'cache mount',
      from: ['DL3019'],
      code: `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0\n`,
    },
    {
      name: 'tmpfs mount',
      from: ['DL3019'],
      code: `FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl=7.77.0\n`,
    },
    {
      name: 'a mount elsewhere and --no-cache',
      from: ['DL3019'],
      code: `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/foo apk add --no-cache -U curl=7.77.0\n`,
    },

    { code: `FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n` },
    { name: 'builder stage', code: `FROM alpine:3.20 AS build\nRUN apk add build-base\nFROM scratch\nUSER 10001\n` },
  ],
  invalid: [
    {
      name: 'no flag',
      from: ['DL3019', 'DS-0025'],
      code: `FROM alpine:3.20\nRUN apk add flex=2.6.4-r1\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    {
      name: 'cache mount elsewhere',
      from: ['DL3019'],
      code: `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    {
      name: 'tmpfs mount elsewhere',
      from: ['DL3019'],
      code: `FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache/foo apk add -U curl=7.77.0\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    {
      name: 'exec form',
      from: ['DS-0025'],
      code: `FROM alpine:3.20\nRUN ["apk", "add", "python3"]\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    {
      name: 'a misspelt flag',
      from: ['DS-0025'],
      code: `FROM alpine:3.20\nRUN apk add --no-cacher bash\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    {
      name: '--no-cache on another command',
      from: ['DS-0025'],
      code: `FROM alpine:3.20\nRUN apk upgrade --no-cache && apk add python3\n`,
      errors: [{ rule: 'SC1017', line: 2 }],
    },
    { code: `FROM alpine:3.20\nRUN apk update && apk add curl\n`, errors: [{ rule: 'SC1017', line: 2 }] },
  ],
};
