import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1020',
    name: 'single-cmd',
    principle: 'P1',
    severity: 'warning',
    message: 'More than one CMD in a stage',
    description:
      'Only the last CMD of a stage takes effect; earlier ones are dead code that misleads readers into thinking the container runs several things. A container runs one process.',
    fix: 'Keep one CMD per stage; run auxiliary processes as separate services.',
    sameAs: ['DL4003', 'DS-0016'],
    related: ['KICS:Multiple CMD Instructions Listed'],
  }),
  check({ model, report }) {
    // two CMDs in one stage need two in the file (most have one)
    if (stageInstructions(model, 'CMD').length < 2) return;
    for (const s of model.stages) {
      const cmds = s.instructions.filter((i) => i.keyword === 'CMD');
      for (const c of cmds.slice(1))
        report({
          line: c.line,
          message: `More than one CMD in stage ${s.name ?? s.index} (first at line ${cmds[0].line})`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'one CMD a stage',
      from: ['DL4003', 'DS-0016'],
      code: `FROM debian:12 AS distro1\nCMD ["bash"]\nRUN foo\nFROM debian:12 AS distro2\nCMD ["another"]\n`,
    },
    { name: 'a single CMD', from: ['DL4003'], code: `FROM debian:12\nCMD ["/bin/true"]\n` },
    { code: `FROM alpine:3.20 AS a\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n` },
  ],
  invalid: [
    {
      name: 'two CMDs around a RUN',
      from: ['DL4003'],
      code: `FROM debian:12\nCMD ["bash"]\nRUN foo\nCMD ["another"]\n`,
      errors: [{ rule: 'SC1020', line: 4 }],
    },
    {
      name: 'two CMDs in a builder stage',
      from: ['DL4003'],
      code: `FROM debian:12 AS distro1\nCMD ["bash"]\nRUN foo\nCMD ["another"]\nFROM debian:12 AS distro2\nCMD ["another"]\n`,
      errors: [{ rule: 'SC1020', line: 4 }],
    },
    {
      name: 'two CMDs in the first of two stages',
      from: ['DS-0016'],
      code: `FROM golang:1.7.3\nCMD ["./app"]\nCMD ["./apps"]\nFROM alpine:3.20\nCMD ["./app"]\n`,
      errors: [{ rule: 'SC1020', line: 3 }],
    },
    { code: `FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\n`, errors: [{ rule: 'SC1020', line: 3 }] },
  ],
};
