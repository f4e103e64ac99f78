import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1027',
    name: 'absolute-workdir',
    principle: 'P6',
    severity: 'warning',
    message: 'WORKDIR is a relative path',
    description:
      "A relative WORKDIR depends on every earlier WORKDIR (and on the base image's): the resulting path is easy to get wrong and changes when the base image changes.",
    fix: 'Use an absolute path: `WORKDIR /app`.',
    refs: ['DL3000', 'CKV_DOCKER_10', 'DS-0009', 'KICS:WORKDIR Path Not Absolute'],
  }),
  check({ model, report }) {
    for (const s of model.stages)
      for (const i of s.instructions) {
        if (i.keyword !== 'WORKDIR') continue;
        const p = i.args.trim().replace(/^["']|["']$/g, '');
        if (p && !p.startsWith('/') && !p.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(p))
          report({ line: i.line, message: `WORKDIR ${p} is a relative path` });
      }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM alpine:3.20\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR "/srv/app"\n` }],
  invalid: [{ code: `FROM alpine:3.20\nWORKDIR app\n`, errors: [{ rule: 'SC1027', line: 2 }] }],
};
