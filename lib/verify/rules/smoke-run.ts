import type { VerifyCases, VerifyRule } from '../types.js';

export const rule: VerifyRule = {
  meta: {
    id: 'SC5009',
    name: 'image-smoke-run',
    principle: 'P5',
    severity: 'error',
    message: 'The image does not become healthy when run with least privilege',
    description:
      'The generated compose file and Kubernetes manifests run the image with a read-only root filesystem, every capability dropped, no-new-privileges and a numeric non-root user. An image that only works as root, writes outside its volumes and /tmp, or needs a capability fails there, at deploy time. The smoke run starts it exactly so (`run --read-only --cap-drop ALL --security-opt no-new-privileges --user <uid> --tmpfs /tmp --network none`) and waits for its health check (or, without one, for it to stay running). Skipped with --no-run.',
    fix: "Read the container logs of a run with the same options; write only to /tmp and declared volumes, listen on a port >= 1024, and make the app start as the image's USER. An app that needs a database at start may need --no-run here and an integration test instead.",
    related: ['CIS-5.4', 'CIS-5.12', 'CIS-5.25', 'KSV-0014'],
  },
  check(facts, report) {
    if (facts.smoke?.outcome === 'failed')
      report({
        message: `The smoke run as user ${facts.smoke.user} failed: ${facts.smoke.message ?? 'unknown reason'}`,
      });
  },
};

export const cases: VerifyCases = {
  valid: [
    { name: 'healthy', inspect: {}, smoke: { outcome: 'healthy', user: '65532', seconds: 3 } },
    { name: 'no health check, stayed up', inspect: {}, smoke: { outcome: 'running', user: '10001:10001', seconds: 5 } },
    { name: 'not run (--no-run)', inspect: {} },
  ],
  invalid: [
    {
      name: 'exited',
      inspect: {},
      smoke: { outcome: 'failed', user: '65532', seconds: 1, message: 'the container stopped (exited, exit code 1)' },
      count: 1,
      match: /as user 65532 failed: the container stopped/,
    },
  ],
};
