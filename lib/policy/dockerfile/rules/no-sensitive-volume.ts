import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

const SENSITIVE = new Set(['/', '/proc', '/sys', '/dev', '/boot', '/etc', '/run', '/var/run']);

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1029',
    name: 'no-sensitive-volume',
    principle: 'P8',
    severity: 'error',
    message: 'VOLUME on a system path',
    description:
      "A VOLUME on /, /proc, /sys, /dev, /etc or /run shadows system files with a writable volume (or invites mounting the host's): data belongs in an application data directory.",
    fix: 'Declare volumes only for application data directories, e.g. `VOLUME /app/data`.',
  }),
  check({ model, report }) {
    const list = stageInstructions(model, 'VOLUME');
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      const paths = i.json ?? i.words;
      for (const p of paths) {
        const norm = p.replace(/\/+$/, '') || '/';
        if (SENSITIVE.has(norm)) report({ line: i.line, message: `VOLUME on a system path (${norm})` });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [{ code: `FROM alpine:3.20\nVOLUME /app/data\n` }],
  invalid: [
    { code: `FROM alpine:3.20\nVOLUME ["/sys"]\n`, errors: [{ rule: 'SC1029', line: 2 }] },
    { code: `FROM alpine:3.20\nVOLUME /data /proc/\n`, errors: [{ rule: 'SC1029', line: 2 }] },
  ],
};
