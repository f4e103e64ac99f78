import type { VerifyCases, VerifyRule } from '../types.js';

export const rule: VerifyRule = {
  meta: {
    id: 'SC5004',
    name: 'image-healthcheck',
    principle: 'P8',
    severity: 'warning',
    message: 'The image has no HEALTHCHECK',
    description:
      'Without a health check in the image the runtime only knows whether the process exists, not whether it serves: a wedged app is never restarted and a rolling update proceeds onto broken containers. The Dockerfile may declare one that the build dropped: podman and buildah keep HEALTHCHECK only in docker-format images (`--format docker`), an OCI-format build silently loses it.',
    fix: 'Declare `HEALTHCHECK CMD ["<binary>", "<probe args>"]` in the final stage (one that works without a shell), and build with `--format docker` under podman/buildah.',
    related: ['CKV_DOCKER_2', 'DS-0026', 'CIS-4.6'],
  },
  check(facts, report) {
    const hc = facts.config.healthcheck;
    if (hc === undefined) report();
    else if (hc[0] === 'NONE') report({ message: 'The image disables its health check (HEALTHCHECK NONE)' });
  },
};

export const cases: VerifyCases = {
  valid: [
    {
      name: 'docker: Config.Healthcheck',
      inspect: { Config: { Healthcheck: { Test: ['CMD', '/nodejs/bin/node', '/app/healthcheck.js'] } } },
    },
    {
      name: 'podman: top-level Healthcheck',
      inspect: { Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O- localhost:8080'] } },
    },
  ],
  invalid: [
    { name: 'none', inspect: { Config: {} }, count: 1 },
    { name: 'empty test', inspect: { Config: { Healthcheck: { Test: [] } } }, count: 1 },
    { name: 'HEALTHCHECK NONE', inspect: { Config: { Healthcheck: { Test: ['NONE'] } } }, count: 1, match: /disables/ },
  ],
};
