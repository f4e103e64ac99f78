import type { ComposeRule, RuleCases } from '../../types.js';
import { parseVolume, SOCKET } from '../model.js';
import { composeMeta } from '../../rules/meta-helpers.js';

const ALWAYS = [
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
  '/etc/kubernetes',
];
const WRITABLE_ONLY = ['/etc', '/usr', '/lib', '/lib64', '/bin', '/sbin', '/var/run', '/run', '/var/log', '/home'];
const EXACT = new Set(['/', '/etc', '/usr', '/lib', '/lib64', '/bin', '/sbin', '/var', '/run', '/var/run', '/home']);

function under(p: string, dirs: string[]): boolean {
  return dirs.some((d) => p === d || p.startsWith(d + '/'));
}

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2007',
    name: 'no-sensitive-host-path',
    principle: 'P9',
    severity: 'error',
    message: 'A sensitive host path is mounted',
    description:
      'Bind-mounting host system directories (/, /etc, /proc, /sys, /dev, /boot, /usr, /root, /var/lib/docker…) lets the container read host secrets or change the host. Read-only mounts of single files under /etc (e.g. /etc/localtime) are accepted; writable ones are not.',
    fix: 'Mount a named volume or a project directory instead; mount single files read-only (`:ro`) when really needed.',
    related: ['KICS:Volume Has Sensitive Host Directory', 'CIS-5.6'],
  }),
  check({ model, report }) {
    for (const s of model.services) {
      const vols = Array.isArray(s.value.volumes) ? s.value.volumes : [];
      vols.forEach((v, i) => {
        const p = parseVolume(v);
        if (!p?.source || p.type !== 'bind' || !p.source.startsWith('/') || SOCKET.test(p.source)) return;
        const src = p.source.replace(/\/+$/, '') || '/';
        const ro =
          typeof v === 'string'
            ? /(?:^|,)(?:ro|readonly)(?:,|$)/.test(v.split(':').slice(2).join(':'))
            : (v as Record<string, unknown>).read_only === true;
        if (EXACT.has(src) || under(src, ALWAYS) || (!ro && under(src, WRITABLE_ONLY)))
          report({
            line: s.lineOf('volumes', i),
            message: `Service "${s.name}" mounts the host path ${src}${ro ? ' (read-only)' : ''}`,
          });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  app:\n    image: x:1\n    volumes:\n      - ./config:/app/config:ro\n      - /etc/localtime:/etc/localtime:ro\n      - data:/data\n`,
    },
  ],
  invalid: [
    {
      code: `services:\n  app:\n    image: x:1\n    volumes:\n      - /:/host\n      - /proc:/host/proc:ro\n      - /etc/ssl:/etc/ssl\n`,
      errors: [
        { rule: 'SC2007', line: 5 },
        { rule: 'SC2007', line: 6 },
        { rule: 'SC2007', line: 7 },
      ],
    },
  ],
};
