import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1021',
    name: 'single-entrypoint',
    principle: 'P1',
    severity: 'warning',
    message: 'More than one ENTRYPOINT in a stage',
    description:
      'Only the last ENTRYPOINT of a stage takes effect; the others mislead. One container, one process, one ENTRYPOINT.',
    fix: 'Keep a single ENTRYPOINT per stage.',
    sameAs: ['DL4004', 'DS-0007'],
    related: ['KICS:Multiple ENTRYPOINT Instructions Listed'],
  }),
  check({ model, report }) {
    // two ENTRYPOINTs in one stage need two in the file (most have at most one)
    if (stageInstructions(model, 'ENTRYPOINT').length < 2) return;
    for (const s of model.stages) {
      const eps = s.instructions.filter((i) => i.keyword === 'ENTRYPOINT');
      for (const c of eps.slice(1))
        report({
          line: c.line,
          message: `More than one ENTRYPOINT in stage ${s.name ?? s.index} (first at line ${eps[0].line})`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: 'no ENTRYPOINT', from: ['DL4004'], code: `FROM busybox:1.36\n` },
    {
      name: 'one ENTRYPOINT a stage',
      from: ['DL4004', 'DS-0007'],
      code: `FROM debian:12 AS distro1\nENTRYPOINT ["bash"]\nRUN foo\nFROM debian:12 AS distro2\nENTRYPOINT ["another"]\n`,
    },
    { name: 'a single ENTRYPOINT', from: ['DL4004'], code: `FROM debian:12\nENTRYPOINT ["/bin/true"]\n` },
    { code: `FROM alpine:3.20\nENTRYPOINT ["/app"]\nCMD ["--help"]\n` },
  ],
  invalid: [
    {
      name: 'two ENTRYPOINTs around a RUN',
      from: ['DL4004'],
      code: `FROM debian:12\nENTRYPOINT ["bash"]\nRUN foo\nENTRYPOINT ["another"]\n`,
      errors: [{ rule: 'SC1021', line: 4 }],
    },
    {
      name: 'two ENTRYPOINTs in a builder stage',
      from: ['DL4004', 'DS-0007'],
      code: `FROM debian:12 AS distro1\nENTRYPOINT ["bash"]\nRUN foo\nENTRYPOINT ["another"]\nFROM debian:12 AS distro2\nENTRYPOINT ["another"]\n`,
      errors: [{ rule: 'SC1021', line: 4 }],
    },

    {
      code: `FROM alpine:3.20\nENTRYPOINT ["/a"]\nRUN true\nENTRYPOINT ["/b"]\n`,
      errors: [{ rule: 'SC1021', line: 4 }],
    },
  ],
};
