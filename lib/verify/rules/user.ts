import type { VerifyCases, VerifyRule } from '../types.js';

const NUMERIC = /^(\d+)(?::(\d+))?$/;

export const rule: VerifyRule = {
  meta: {
    id: 'SC5001',
    name: 'image-user-numeric-non-root',
    principle: 'P5',
    severity: 'error',
    message: 'The image does not run as a numeric non-root user',
    description:
      "The configured user (Config.User) is who the process is unless the runtime overrides it. Empty or 0 is root: one container escape and the attacker is root on the node. A user name is resolved through the image's /etc/passwd at start, so nothing outside the image can tell whether it is root: Kubernetes `runAsNonRoot` refuses to start such an image, and a name can map to uid 0.",
    fix: "Set `USER 10001:10001` (or the base image's own non-root uid, e.g. 65532) in the final stage and rebuild.",
    related: ['DL3002', 'CKV_DOCKER_3', 'DS-0002', 'CIS-4.1', 'KSV-0012'],
  },
  check(facts, report) {
    const u = facts.config.user.trim();
    if (u === '') {
      report({ message: 'The image has no user (Config.User is empty): it runs as root' });
      return;
    }
    const m = NUMERIC.exec(u);
    if (!m)
      report({
        message: `The image's user "${u}" is a name, not a numeric uid: nothing outside the image can tell it is not root`,
      });
    else if (Number(m[1]) === 0) report({ message: `The image runs as root (user "${u}")` });
  },
};

const img = (user: string | undefined) => ({
  name: `user ${String(user)}`,
  inspect: { Config: user === undefined ? {} : { User: user } },
});

export const cases: VerifyCases = {
  valid: [img('65532'), img('10001:10001'), img('1000'), img('10001:0')],
  invalid: [
    { ...img(undefined), count: 1, match: /empty/ },
    { ...img(''), count: 1, match: /empty/ },
    { ...img('0'), count: 1, match: /root/ },
    { ...img('0:0'), count: 1 },
    { ...img('root'), count: 1, match: /name/ },
    { ...img('node'), count: 1, match: /name/ },
    { ...img('nonroot:nonroot'), count: 1 },
    { name: 'podman puts User at the top level too', inspect: { User: 'root' }, count: 1 },
  ],
};
