import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasCacheMount, type RunInfo, subcommand } from '../model.js';
import type { SimpleCommand } from '../shell.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

interface Manager {
  /** a command that fills the cache (an install, or for apt an index update); `sub` is subcommand(c) */
  fills: (c: SimpleCommand, sub: string) => boolean;
  /** a command that empties it */
  cleans: (c: SimpleCommand) => boolean;
  /** a cache or tmpfs mount (or set of mounts) that keeps the cache out of the layer */
  mounted: (run: RunInfo) => boolean;
  hint: string;
  /** the programs `fills` looks for */
  programs: readonly string[];
}

const rmPath = (c: SimpleCommand, prefixes: readonly string[]): boolean => {
  if (c.program !== 'rm') return false;
  for (let j = 0; j < c.cmd.length; j++)
    for (let k = 0; k < prefixes.length; k++) if (c.cmd[j].startsWith(prefixes[k])) return true;
  return false;
};
/** every program a manager's `fills` looks for: a RUN without any of them leaves no cache */
const FILLERS: string[] = [];
const runs = (programs: string[], subs: string[]): ((c: SimpleCommand, sub: string) => boolean) => {
  FILLERS.push(...programs);
  return (c, sub) => programs.includes(c.program) && subs.includes(sub);
};
/** `<program> clean all` (flags anywhere: `yum clean -y all`) */
const cleanAll = (c: SimpleCommand, programs: readonly string[]): boolean =>
  programs.includes(c.program) && subcommand(c) === 'clean' && c.cmd.indexOf('all', 1) > 0;
/** a RUN --mount is needed for a cache mount: most RUNs have none */
const mountedOn = (run: RunInfo, ...paths: string[]): boolean => run.mounts.length > 0 && hasCacheMount(run, ...paths);
const DNF_INSTALLS = ['install', 'in', 'reinstall', 'rei', 'upgrade', 'up', 'upgrade-minimal', 'up-min'];
const DNF_CACHE = ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum'];

const APT = ['apt-get', 'apt', 'aptitude'];
const APT_LISTS = ['/var/lib/apt/lists'];
const YUM_CACHE = ['/var/cache/yum'];
const ZYPP_CACHE = ['/var/cache/zypp'];
const MANAGERS: Record<string, Manager> = {
  // the package lists are written by `update` (an install alone downloads .deb files, which the
  // official images' docker-clean hook deletes)
  apt: {
    fills: runs(APT, ['update']),
    cleans: (c) => rmPath(c, APT_LISTS),
    // the lists directory itself, or both apt directories
    mounted: (run) =>
      mountedOn(run, '/var/lib/apt/lists') || (mountedOn(run, '/var/lib/apt') && mountedOn(run, '/var/cache/apt')),
    hint: 'rm -rf /var/lib/apt/lists/*',
    programs: APT,
  },
  yum: {
    fills: runs(['yum'], ['install', 'reinstall', 'groupinstall', 'localinstall']),
    cleans: (c) => cleanAll(c, ['yum']) || rmPath(c, YUM_CACHE),
    mounted: (run) => mountedOn(run, '/var/cache/yum'),
    hint: 'yum clean all',
    programs: ['yum'],
  },
  dnf: {
    fills: runs(['dnf', 'tdnf'], DNF_INSTALLS),
    cleans: (c) => cleanAll(c, ['dnf', 'tdnf']) || rmPath(c, DNF_CACHE),
    mounted: (run) => mountedOn(run, ...DNF_CACHE),
    hint: 'dnf clean all',
    programs: ['dnf', 'tdnf'],
  },
  microdnf: {
    fills: runs(['microdnf'], DNF_INSTALLS),
    cleans: (c) => cleanAll(c, ['microdnf']) || rmPath(c, DNF_CACHE),
    mounted: (run) => mountedOn(run, ...DNF_CACHE),
    hint: 'microdnf clean all',
    programs: ['microdnf'],
  },
  zypper: {
    fills: runs(['zypper'], ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']),
    cleans: (c) => (c.program === 'zypper' && ['clean', 'cc'].includes(subcommand(c))) || rmPath(c, ZYPP_CACHE),
    mounted: (run) => mountedOn(run, '/var/cache/zypp'),
    hint: 'zypper clean -a',
    programs: ['zypper'],
  },
};

const APT_INSTALL = runs(APT, ['install']);
const MANAGER_NAMES = Object.keys(MANAGERS);
/** program → bit of the manager (index in MANAGER_NAMES) whose `fills` looks for it (no program has two) */
const MANAGER_BIT = new Map<string, number>();
MANAGER_NAMES.forEach((name, i) => {
  for (const p of MANAGERS[name].programs) MANAGER_BIT.set(p, 1 << i);
});

/**
 * Package managers whose cache a RUN leaves in its layer: a command fills it and no clean of the same
 * manager comes after the last such command (a clean before an install does not help).
 */
export function missingCleanup(run: RunInfo): { line: number; hint: string; manager: string }[] {
  const out: { line: number; hint: string; manager: string }[] = [];
  const cmds = run.commands;
  // the managers one of whose programs the RUN starts: the others cannot fill a cache
  let present = 0;
  for (let i = 0; i < cmds.length; i++) present |= MANAGER_BIT.get(cmds[i].program) ?? 0;
  if (present === 0) return out;
  for (let k = 0; k < MANAGER_NAMES.length; k++) {
    if ((present & (1 << k)) === 0) continue;
    const name = MANAGER_NAMES[k];
    const m = MANAGERS[name];
    let first = -1;
    let lastFill = -1;
    for (let i = 0; i < cmds.length; i++) {
      const c = cmds[i];
      // fills needs one of the manager's programs: the sub-command is only looked up for those
      if (m.programs.includes(c.program) && m.fills(c, subcommand(c))) {
        if (first < 0) first = i;
        lastFill = i;
      }
    }
    if (first < 0) continue;
    // a clean after the last fill (no command after it fills)
    let cleaned = false;
    for (let i = lastFill + 1; i < cmds.length && !cleaned; i++) cleaned = m.cleans(cmds[i]);
    if (cleaned || m.mounted(run)) continue;
    // report at the install (for apt: the first install, else the update)
    let at = cmds[first];
    if (name === 'apt')
      for (let i = 0; i < cmds.length; i++)
        if (APT.includes(cmds[i].program) && APT_INSTALL(cmds[i], subcommand(cmds[i]))) {
          at = cmds[i];
          break;
        }
    out.push({ line: at.line, hint: m.hint, manager: name });
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
      'Package lists and caches left in the layer that installed them bloat the image and keep stale metadata; deleting them in a later RUN does not shrink the earlier layer. Clean in the same RUN, after the last command that fills the cache (`apt-get update`; `yum`/`dnf`/`microdnf`/`zypper` installs and upgrades), or keep the cache out of the layer with a BuildKit cache or tmpfs mount. A clean before the install does not count. Only stages that end up in the final image are checked.',
    fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*` (apt), `&& yum clean all`, `&& dnf clean all`, `&& zypper clean -a`, or use `RUN --mount=type=cache,target=…`.',
    sameAs: ['DL3009', 'DL3032', 'DL3036', 'DL3040', 'DS-0015', 'DS-0019', 'DS-0020', 'DS-0027'],
    related: [
      'KICS:Apt Get Install Lists Were Not Deleted',
      'KICS:Yum Clean All Missing',
      'KICS:Missing Dnf Clean All',
      'KICS:Missing Zypper Clean',
    ],
  }),
  check({ model, report }) {
    if (!runsAny(model, FILLERS)) return;
    const list = model.runs;
    for (let r = 0; r < list.length; r++) {
      const run = list[r];
      if (!run.stage.inFinalImage) continue;
      const missing = missingCleanup(run);
      for (let k = 0; k < missing.length; k++)
        report({
          line: missing[k].line,
          message: `Package manager cache is left in the image (add \`${missing[k].hint}\` to the same RUN)`,
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'cache mounts on both apt directories',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl\n`,
    },
    { code: `FROM rockylinux:9-minimal\nRUN microdnf install -y shadow-utils && microdnf clean all\n` },
    {
      name: 'apt lists cleaned in a builder stage that is not shipped',
      from: ['DL3009'],
      code: `FROM ubuntu:24.04 AS foo\nRUN apt-get update && apt-get install -y python3\nFROM scratch\nCOPY --from=foo /usr/bin/python3 /python3\n`,
    },
    {
      name: 'parent stage cleans its lists',
      from: ['DL3009'],
      code: `FROM ubuntu:24.04 AS foo\nRUN apt-get update && apt-get install -y python3 && rm -rf /var/lib/apt/lists/*\nFROM foo\nRUN echo hey\n`,
    },
    {
      name: 'cache mount on the lists directory',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y python3\n`,
    },
    {
      name: 'docker-clean removed, both apt directories mounted',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y foo\n`,
    },
    {
      name: 'tmpfs mounts on both apt directories',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=tmpfs,target=/var/lib/apt \\\n  apt-get update\n`,
    },
    {
      name: 'tmpfs and cache mounts',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=cache,target=/var/lib/apt \\\n  apt-get update\n`,
    },
    {
      name: 'apt cleanup',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN apt update && apt install -y python3 && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'aptitude cleanup',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN aptitude update && aptitude install -y python3 && rm -rf /var/lib/apt/lists/*\n`,
    },
    {
      name: 'yum clean all',
      from: ['DL3032', 'DS-0015'],
      code: `FROM centos:7\nRUN yum install -y mariadb-10.4 && yum clean all\n`,
    },
    {
      name: 'rm -rf /var/cache/yum',
      from: ['DL3032'],
      code: `FROM centos:7\nRUN yum install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n`,
    },
    { name: 'no yum command', from: ['DL3032'], code: `FROM centos:7\nRUN bash -c "echo not even a yum command"\n` },
    {
      name: 'yum: each install followed by a clean',
      from: ['DS-0015'],
      code: `FROM centos:7\nRUN yum -y install bash && yum clean all && yum -y install zsh && yum clean all\n`,
    },
    {
      name: 'yum clean with flags, inside if',
      from: ['DS-0015'],
      code: `FROM centos:7\nRUN if [ "$TBB" = "default" ]; then yum -y install tbb tbb-devel && yum clean -y all ; fi\n`,
    },
    { name: 'yum clean alone', from: ['DS-0015'], code: `FROM centos:7\nRUN yum clean all\n` },
    {
      name: 'dnf clean all',
      from: ['DL3040', 'DS-0019'],
      code: `FROM fedora:40\nRUN dnf install -y mariadb-10.4 && dnf clean all\n`,
    },
    { name: 'dnf in', from: ['DL3040'], code: `FROM fedora:40\nRUN dnf in -y mariadb-10.4 && dnf clean all\n` },
    {
      name: 'microdnf clean all',
      from: ['DL3040', 'DS-0027'],
      code: `FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN set -uex && microdnf install -y mariadb && microdnf clean all\n`,
    },
    { name: 'not dnf', from: ['DL3040'], code: `FROM fedora:40\nRUN notdnf install mariadb\n` },
    {
      name: 'dnf, rm -rf /var/cache/yum',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n`,
    },
    {
      name: 'dnf with a cache mount',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n`,
    },
    {
      name: 'microdnf with a tmpfs mount',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n`,
    },
    {
      name: 'dnf upgrade and reinstall, then clean',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf -y upgrade-minimal && dnf -y reinstall bash && dnf clean all\n`,
    },
    {
      name: 'dnf: each install followed by a clean',
      from: ['DS-0019'],
      code: `FROM fedora:40\nRUN dnf install -y bash && dnf clean all && dnf install -y zsh && dnf clean all\n`,
    },
    {
      name: 'microdnf: each install followed by a clean',
      from: ['DS-0027'],
      code: `FROM fedora:40\nRUN microdnf install bash && microdnf clean all && microdnf install zsh && microdnf clean all\n`,
    },
    {
      name: 'zypper clean',
      from: ['DL3036', 'DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.4 && zypper clean\n`,
    },
    {
      name: 'zypper cc',
      from: ['DL3036'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.4 && zypper cc\n`,
    },
    {
      name: 'zypper with a cache mount',
      from: ['DL3036'],
      code: `FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb\n`,
    },
    {
      name: 'zypper with a tmpfs mount',
      from: ['DL3036'],
      code: `FROM opensuse/leap:15.6\nRUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb\n`,
    },
    {
      name: 'zypper: the last command is a clean',
      from: ['DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y bash && zypper clean && zypper remove -y vim && zypper cc\n`,
    },
  ],
  invalid: [
    {
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      from: ['DL3032', 'DS-0015'],
      code: `FROM centos:7\nRUN yum install -y httpd\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'cleanup in a later RUN does not count',
      code: `FROM fedora:40\nRUN dnf install -y x\nRUN dnf clean all\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'no cleanup in the last stage',
      from: ['DL3009'],
      code: `FROM ubuntu:24.04 AS foo\nRUN echo hey\nFROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y python3\n`,
      errors: [{ rule: 'SC1015', line: 5 }],
    },
    {
      name: 'no cleanup in the parent of the final stage',
      from: ['DL3009'],
      code: `FROM ubuntu:24.04 AS foo\nRUN apt-get update && apt-get install -y python3\nFROM foo\nRUN echo hey\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'cache mount on /var/cache/apt only',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install -y python3\n`,
      errors: [{ rule: 'SC1015', line: 4 }],
    },
    {
      name: 'cache mount on /var/lib/apt only',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y python3\n`,
      errors: [{ rule: 'SC1015', line: 4 }],
    },
    {
      name: 'apt',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN apt update && apt install -y python3\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'aptitude',
      from: ['DL3009'],
      code: `FROM debian:12-slim\nRUN aptitude update && aptitude install -y python3\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'yum: clean before the install',
      from: ['DL3032', 'DS-0015'],
      code: `FROM centos:7\nRUN yum clean all && yum install -y mariadb\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'yum: a second install after the clean',
      from: ['DS-0015'],
      code: `FROM centos:7\nRUN yum -y install bash && yum clean all && yum -y install zsh\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'yum clean metadata is not clean all',
      from: ['DS-0015'],
      code: `FROM centos:7\nRUN yum -y install bash && yum clean metadata\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf without clean',
      from: ['DL3040', 'DS-0019'],
      code: `FROM fedora:40\nRUN set -uex \\\n && dnf config-manager --add-repo https://download.docker.com/linux/fedora/docker-ce.repo \\\n && dnf install -vy docker-ce\n`,
      errors: [{ rule: 'SC1015', line: 4 }],
    },
    {
      name: 'microdnf without clean',
      from: ['DL3040', 'DS-0027'],
      code: `FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN set -uex && microdnf install -vy docker-ce\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf in',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf in -y mariadb-10.4\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf install, microdnf clean',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf install -y mariadb-10.4 && microdnf clean all\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf: clean before the install',
      from: ['DL3040', 'DS-0019'],
      code: `FROM fedora:40\nRUN dnf clean all && dnf install -vy docker-ce\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf: rm of the cache before the install',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN rm -rf /var/cache/libdnf5 && microdnf install -y mariadb-10.4\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf: a second install after the clean',
      from: ['DS-0019'],
      code: `FROM fedora:40\nRUN dnf install -y bash && dnf clean all && dnf install -y zsh\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'microdnf: clean before the install',
      from: ['DS-0027'],
      code: `FROM fedora:40\nRUN microdnf clean all && microdnf install -vy docker-ce\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'microdnf: a second install after the clean',
      from: ['DS-0027'],
      code: `FROM fedora:40\nRUN microdnf install bash && microdnf clean all && microdnf install zsh\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf upgrade',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf -y upgrade\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'dnf reinstall',
      from: ['DL3040'],
      code: `FROM fedora:40\nRUN dnf -y rei bash\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'zypper without clean',
      from: ['DL3036', 'DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.4\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'zypper: clean before the install',
      from: ['DL3036'],
      code: `FROM opensuse/leap:15.6\nRUN zypper clean && zypper install -y mariadb=10.4\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'zypper patch',
      from: ['DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper patch bash\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'zypper: clean before a remove',
      from: ['DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper cc && zypper remove -y bash\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
    {
      name: 'zypper: a remove after the clean',
      from: ['DS-0020'],
      code: `FROM opensuse/leap:15.6\nRUN zypper install -y bash && zypper clean && zypper remove -y bash\n`,
      errors: [{ rule: 'SC1015', line: 2 }],
    },
  ],
};
