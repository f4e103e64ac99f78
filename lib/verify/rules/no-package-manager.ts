import { executables, finalOf, listing } from '../model.js';
import type { VerifyCases, VerifyRule } from '../types.js';

/** OS package managers and the language installers the generated final stages remove. */
const NAMES = new Set([
  'apk',
  'apt',
  'apt-get',
  'dpkg',
  'yum',
  'dnf',
  'microdnf',
  'rpm',
  'zypper',
  'pip',
  'pip3',
  'npm',
  'npx',
  'corepack',
  'yarn',
  'pnpm',
]);
export const isPackageManager = (name: string): boolean => NAMES.has(name) || /^pip3\.\d+$/.test(name);

/** Flavours whose generated final stage has no package manager (alpine: apk, npm, pip removed by the Dockerfile). */
const PROMISED = ['distroless', 'scratch', 'alpine'];

export const rule: VerifyRule = {
  meta: {
    id: 'SC5003',
    name: 'image-no-package-manager',
    principle: 'P2',
    severity: 'error',
    message: 'A package manager is present in an image whose flavour promises none',
    description:
      'A package manager in the running image lets an attacker with code execution install the tools they need (a compiler, a network scanner, a shell) in one command, and its database and binaries add packages for scanners to report. Distroless and scratch images have none; the generated alpine final stages remove apk, npm and pip. A slim (Debian) image keeps apt and dpkg, so slim is not checked. Checked only when the flavour is known (`--flavor`, or the base-name label).',
    fix: 'Use a distroless or scratch final stage, or remove the package manager in the final stage (`rm -rf /sbin/apk /etc/apk …`, as the generated alpine Dockerfiles do).',
    related: ['CIS-4.3'],
  },
  check(facts, report) {
    if (!facts.files || !facts.flavor || !PROMISED.includes(facts.flavor.value)) return;
    for (const e of executables(finalOf(facts.files), isPackageManager))
      report({ message: `/${e.path} is a package manager in a ${facts.flavor.value} image (layer ${e.layer + 1})` });
  },
};

export const cases: VerifyCases = {
  valid: [
    {
      name: 'distroless',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('nodejs/bin/node', 'var/lib/dpkg/status.d/libc6')],
    },
    {
      name: 'alpine with apk removed',
      inspect: {},
      flavor: 'alpine',
      layers: [
        listing('sbin/apk', 'bin/busybox', 'usr/local/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js'),
        listing('sbin/.wh.apk', 'usr/local/bin/.wh.npm'),
      ],
    },
    { name: 'slim keeps apt', inspect: {}, flavor: 'slim', layers: [listing('usr/bin/apt-get', 'usr/bin/dpkg')] },
    { name: 'no flavour known', inspect: {}, layers: [listing('usr/bin/apt-get')] },
  ],
  invalid: [
    {
      name: 'apk left in alpine',
      inspect: {},
      flavor: 'alpine',
      layers: [listing('sbin/apk', 'bin/busybox')],
      count: 1,
      match: /sbin\/apk/,
    },
    {
      name: 'pip in a distroless venv',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('app/.venv/bin/python', 'app/.venv/bin/pip', 'app/.venv/bin/pip3.11')],
      count: 2,
    },
    {
      name: 'dpkg and apt-get in an image labelled scratch',
      inspect: { Labels: { 'org.opencontainers.image.base.name': 'scratch' } },
      layers: [listing('usr/bin/dpkg', 'usr/bin/apt-get')],
      count: 2,
    },
  ],
};
