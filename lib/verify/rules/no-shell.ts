import { executables, finalOf, listing } from '../model.js';
import type { VerifyCases, VerifyRule } from '../types.js';

/** Shells, and busybox (a shell and most of coreutils in one binary). */
export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox']);

export const rule: VerifyRule = {
  meta: {
    id: 'SC5002',
    name: 'image-no-shell',
    principle: 'P2',
    severity: 'error',
    message: 'A shell is present in an image whose flavour promises none',
    description:
      'A distroless or scratch image is chosen so that an attacker who gets code execution has no shell, no busybox and no tools to continue with, and a scanner has fewer packages to report. A shell in such an image (copied in by a `COPY --from` of a whole directory, a debug base tag, an installer left behind) breaks that promise without any change a Dockerfile review would notice. Checked only when the flavour is known (`--flavor`, or the `org.opencontainers.image.base.name` label names a distroless image or scratch).',
    fix: 'Build the final stage FROM the distroless/scratch base without `:debug` tags, and copy only the files the app needs (not /bin, not a whole builder root).',
    related: ['CIS-4.3'],
  },
  check(facts, report) {
    if (!facts.files || !facts.flavor || !['distroless', 'scratch'].includes(facts.flavor.value)) return;
    for (const e of executables(finalOf(facts.files), (n) => SHELLS.has(n)))
      report({ message: `/${e.path} is a shell in a ${facts.flavor.value} image (layer ${e.layer + 1})` });
  },
};

const DISTROLESS = { 'org.opencontainers.image.base.name': 'gcr.io/distroless/nodejs22-debian12:nonroot' };
const app = listing('app/', 'app/server.js', 'nodejs/bin/node', 'etc/passwd');

export const cases: VerifyCases = {
  valid: [
    { name: 'distroless without a shell', inspect: { Config: { Labels: DISTROLESS } }, layers: [app] },
    {
      name: 'alpine may keep busybox',
      inspect: {},
      flavor: 'alpine',
      layers: [listing('bin/busybox', 'bin/sh -> /bin/busybox')],
    },
    { name: 'no flavour known: nothing promised', inspect: {}, layers: [listing('bin/sh')] },
    {
      name: 'a shell deleted by a later layer',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('bin/sh', 'usr/bin/'), listing('bin/.wh.sh')],
    },
    {
      name: 'an opaque directory hides the shell below',
      inspect: {},
      flavor: 'scratch',
      layers: [listing('bin/', 'bin/bash'), listing('bin/', 'bin/.wh..wh..opq', 'bin/app')],
    },
    {
      name: 'a file named sh outside a bin directory',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('app/sh', 'usr/share/sh')],
    },
  ],
  invalid: [
    {
      name: 'busybox in a distroless image (label)',
      inspect: { Config: { Labels: DISTROLESS } },
      layers: [app, listing('busybox/', 'bin/busybox')],
      count: 1,
      match: /bin\/busybox.*layer 2/,
    },
    {
      name: 'sh and bash with --flavor scratch',
      inspect: {},
      flavor: 'scratch',
      layers: [listing('bin/sh', 'usr/bin/bash')],
      count: 2,
    },
    {
      name: 'a symlink to a shell',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('usr/local/bin/sh -> /x/busybox')],
      count: 1,
    },
    {
      name: 'deleted, then added again',
      inspect: {},
      flavor: 'distroless',
      layers: [listing('bin/sh'), listing('bin/.wh.sh'), listing('bin/sh')],
      count: 1,
      match: /layer 3/,
    },
  ],
};
