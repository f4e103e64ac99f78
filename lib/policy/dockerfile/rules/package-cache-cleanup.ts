import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasCacheMount, subcommand, type RunInfo } from '../model.js';
import type { SimpleCommand } from '../shell.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

interface Manager {
  installs: (c: SimpleCommand) => boolean;
  cleans: (c: SimpleCommand) => boolean;
  cacheDirs: string[];
  hint: string;
}

const rmPath = (c: SimpleCommand, prefix: string): boolean =>
  c.program === 'rm' && c.cmd.some((a) => a.startsWith(prefix));

const MANAGERS: Record<string, Manager> = {
  apt: {
    installs: (c) => (c.program === 'apt-get' || c.program === 'apt') && subcommand(c) === 'install',
    cleans: (c) => rmPath(c, '/var/lib/apt/lists'),
    cacheDirs: ['/var/lib/apt', '/var/cache/apt'],
    hint: 'rm -rf /var/lib/apt/lists/*',
  },
  yum: {
    installs: (c) => c.program === 'yum' && subcommand(c) === 'install',
    cleans: (c) => (c.program === 'yum' && subcommand(c) === 'clean') || rmPath(c, '/var/cache/yum'),
    cacheDirs: ['/var/cache/yum'],
    hint: 'yum clean all',
  },
  dnf: {
    installs: (c) => (c.program === 'dnf' || c.program === 'microdnf') && subcommand(c) === 'install',
    cleans: (c) =>
      ((c.program === 'dnf' || c.program === 'microdnf') && subcommand(c) === 'clean') || rmPath(c, '/var/cache/dnf'),
    cacheDirs: ['/var/cache/dnf'],
    hint: 'dnf clean all',
  },
  zypper: {
    installs: (c) => c.program === 'zypper' && ['install', 'in'].includes(subcommand(c)),
    cleans: (c) => (c.program === 'zypper' && ['clean', 'cc'].includes(subcommand(c))) || rmPath(c, '/var/cache/zypp'),
    cacheDirs: ['/var/cache/zypp'],
    hint: 'zypper clean -a',
  },
};

export function missingCleanup(run: RunInfo): { line: number; hint: string; manager: string }[] {
  const out: { line: number; hint: string; manager: string }[] = [];
  for (const [name, m] of Object.entries(MANAGERS)) {
    const install = run.commands.find(m.installs);
    if (!install) continue;
    if (run.commands.some(m.cleans) || hasCacheMount(run, ...m.cacheDirs)) continue;
    out.push({ line: install.line, hint: m.hint, manager: name });
  }
  return out;
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1015',
    name: 'package-cache-cleanup',
    principle: 'P2',
    severity: 'warning',
    message: 'Package manager cache is left in the image',
    description:
      'Package lists and caches left in the layer that installed them bloat the image and keep stale metadata; deleting them in a later RUN does not shrink the earlier layer. Clean in the same RUN, or use a BuildKit cache mount. Only stages that end up in the final image are checked.',
    fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*` (apt), `&& yum clean all`, `&& dnf clean all`, `&& zypper clean -a`, or use `RUN --mount=type=cache,target=…`.',
    refs: [
      'DL3009',
      'DL3032',
      'DL3040',
      'DL3036',
      'DS-0015',
      'DS-0019',
      'DS-0020',
      'KICS:Apt Get Install Lists Were Not Deleted',
      'KICS:Yum Clean All Missing',
      'KICS:Missing Dnf Clean All',
      'KICS:Missing Zypper Clean',
    ],
  }),
  check({ model, report }) {
    for (const run of model.runs) {
      if (!run.stage.inFinalImage) continue;
      for (const m of missingCleanup(run))
        report({
          line: m.line,
          message: `Package manager cache is left in the image (add \`${m.hint}\` to the same RUN)`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'cache mount',
      code: `FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl\n`,
    },
    { code: `FROM rockylinux:9-minimal\nRUN microdnf install -y shadow-utils && microdnf clean all\n` },
  ],
  invalid: [
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    { code: `FROM centos:7\nRUN yum install -y httpd\n`, errors: [{ rule: 'SC1015', line: 2 }] },
    {
      name: 'cleanup in a later RUN does not count',
      code: `FROM fedora:40\nRUN dnf install -y x\nRUN dnf clean all\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
  ],
};
