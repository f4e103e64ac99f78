import type { DockerfileRule, RuleCases } from '../../types.js';
import { GIT_RE, sources, URL_RE } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1007',
    name: 'prefer-copy-over-add',
    principle: 'P3',
    severity: 'info',
    message: 'Use COPY instead of ADD for local files',
    description:
      'ADD has implicit behaviour (it unpacks local archives and can fetch URLs); COPY does exactly one thing. Using COPY for plain files makes the Dockerfile say what it does. ADD of a local tar archive (to unpack it) is accepted.',
    fix: 'Replace `ADD` with `COPY`.',
    refs: ['DL3020', 'CKV_DOCKER_4', 'DS-0005', 'CIS-4.9', 'KICS:Add Instead of Copy'],
  }),
  check({ model, report }) {
    for (const s of model.stages)
      for (const ins of s.instructions) {
        if (ins.keyword !== 'ADD') continue;
        const args = ins.json ?? ins.words;
        const srcs = sources(args);
        if (srcs.length && srcs.every((x) => !URL_RE.test(x) && !GIT_RE.test(x) && !ARCHIVE.test(x)))
          report({ line: ins.line });
      }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM alpine:3.20\nCOPY . /app\nADD rootfs.tar.gz /\n` }],
  invalid: [{ code: `FROM alpine:3.20\nADD . /app\n`, errors: [{ rule: 'SC1007', line: 2 }] }],
};
