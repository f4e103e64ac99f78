import type { VerifyCases, VerifyRule } from '../types.js';

export const rule: VerifyRule = {
  meta: {
    id: 'SC5010',
    name: 'image-scan-complete',
    principle: 'P4',
    severity: 'error',
    message: 'Part of the image could not be scanned',
    description:
      'The shell, package-manager and secret checks read every layer of the saved image. A layer that could not be read (zstd compression, a truncated archive) or a scan stopped at its bounds leaves files unchecked: no finding there does not mean nothing is there, so an incomplete scan fails like a finding (an image that could not be saved at all must not pass).',
    fix: 'Save the image in docker-archive format with uncompressed or gzip layers (`docker save`, `podman save --format docker-archive`), or scan it with another tool.',
    related: [],
  },
  check(facts, report) {
    for (const why of facts.files?.incomplete ?? []) report({ message: `Part of the image was not scanned: ${why}` });
  },
};

export const cases: VerifyCases = {
  valid: [
    { name: 'complete', inspect: {}, layers: [[]] },
    { name: 'not scanned at all (no layers asked for)', inspect: {} },
  ],
  invalid: [
    {
      name: 'a zstd layer',
      inspect: {},
      layers: [[]],
      incomplete: ['layer blobs/sha256/ab is zstd-compressed: not scanned'],
      count: 1,
      match: /zstd/,
    },
  ],
};
