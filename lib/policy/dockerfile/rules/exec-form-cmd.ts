import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1022',
    name: 'exec-form-cmd',
    principle: 'P1',
    severity: 'warning',
    message: 'CMD/ENTRYPOINT in shell form',
    description:
      'Shell form runs the app as a child of `/bin/sh -c`: the shell is PID 1, SIGTERM from `docker stop` never reaches the app (it is killed after the grace period, without a clean shutdown), and the final image needs a shell. Exec form (a JSON array) starts the binary directly.',
    fix: 'Use the JSON form: `ENTRYPOINT ["node", "dist/server.js"]`.',
    refs: ['DL3025', 'KICS:Not Using JSON In CMD And ENTRYPOINT Arguments'],
  }),
  check({ model, report }) {
    for (const s of model.stages)
      for (const i of s.instructions)
        if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.json && i.args.trim() !== '')
          report({ line: i.line, message: `${i.keyword} in shell form (use a JSON array)` });
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM node:22-alpine\nENTRYPOINT ["node"]\nCMD ["server.js"]\n` }],
  invalid: [
    { code: `FROM node:22-alpine\nCMD npm start\n`, errors: [{ rule: 'SC1022', line: 2 }] },
    { code: `FROM node:22-alpine\nENTRYPOINT node server.js\n`, errors: [{ rule: 'SC1022', line: 2 }] },
  ],
};
