import type { VerifyCases, VerifyRule } from '../types.js';

export const rule: VerifyRule = {
  meta: {
    id: 'SC5007',
    name: 'image-size',
    principle: 'P2',
    severity: 'warning',
    message: 'The image is larger than the size threshold',
    description:
      'Every megabyte in an image is something to pull, store, scan and patch; a final image far larger than its runtime needs usually carries a build toolchain, a package cache or a full distribution that a multi-stage build would leave behind. The threshold (--max-size, megabytes, default 500) is a prompt to look, not a rule of the principle: raise it for images that must be large.',
    fix: 'Use a multi-stage build with a distroless, scratch or alpine final stage, copy only the build output, and clean package caches in the same RUN; or raise --max-size.',
    related: [],
  },
  check(facts, report) {
    const mb = facts.config.size / 1e6;
    if (mb > facts.thresholds.maxSizeMb)
      report({ message: `The image is ${mb.toFixed(1)} MB, more than --max-size ${facts.thresholds.maxSizeMb} MB` });
  },
};

export const cases: VerifyCases = {
  valid: [
    { name: 'small', inspect: { Size: 120e6 } },
    { name: 'exactly the threshold', inspect: { Size: 500e6 } },
    { name: 'a raised threshold', inspect: { Size: 900e6 }, thresholds: { maxSizeMb: 1000 } },
  ],
  invalid: [
    {
      name: 'over the default',
      inspect: { Size: 750_400_000 },
      count: 1,
      match: /750\.4 MB, more than --max-size 500 MB/,
    },
    { name: 'a lowered threshold', inspect: { Size: 60e6 }, thresholds: { maxSizeMb: 50 }, count: 1 },
  ],
};
