import type { DockerfileRule, RuleCases } from '../../types.js';
import { hasAnyOption } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { runsAny } from '../facts.js';

/** every program the rule looks at */
const PROGRAMS = ['apk', 'apt-get', 'apt', 'aptitude', 'yum', 'dnf', 'tdnf', 'microdnf', 'rpm', 'zypper'];
const PROGRAM_SET = new Set(PROGRAMS);
const RPM_FAMILY = new Set(['yum', 'dnf', 'tdnf', 'microdnf', 'rpm', 'zypper']);
const APK = ['--allow-untrusted'];
const APT = ['--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories'];
const NOGPG = ['--nogpgcheck', '--no-gpg-checks'];
const RPM = ['--nosignature', '--nodigest', '--noverify', '--nofiledigest'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1010',
    name: 'no-signature-verify-disabled',
    principle: 'P3',
    severity: 'error',
    message: 'Package signature verification is disabled',
    description:
      'Package managers verify signatures so that a mirror or a network attacker cannot substitute packages. `apk --allow-untrusted`, `apt-get --allow-unauthenticated/--force-yes`, `--nogpgcheck` and `rpm --nosignature` turn that off.',
    fix: "Import the repository's signing key and remove the option.",
    sameAs: ['CKV2_DOCKER_7', 'CKV2_DOCKER_8', 'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11'],
    related: ['CIS-4.11'],
  }),
  check({ model, report }) {
    if (!runsAny(model, PROGRAMS)) return;
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const cmds = runs[r].commands;
      for (let k = 0; k < cmds.length; k++) {
        const c = cmds[k];
        const p = c.program;
        if (!PROGRAM_SET.has(p)) continue;
        let why: string | null = null;
        if (p === 'apk' && hasAnyOption(c, APK)) why = 'apk --allow-untrusted';
        else if ((p === 'apt-get' || p === 'apt' || p === 'aptitude') && hasAnyOption(c, APT))
          why = `${p} ${c.cmd.find((a) => a.startsWith('--allow') || a === '--force-yes')}`;
        else if (p === 'apt-get' && c.cmd.some((a) => /AllowUnauthenticated\s*=\s*(?:true|1)/i.test(a)))
          why = 'APT::Get::AllowUnauthenticated';
        else if (RPM_FAMILY.has(p) && hasAnyOption(c, NOGPG)) why = `${p} --nogpgcheck`;
        else if (p === 'rpm' && hasAnyOption(c, RPM)) why = 'rpm --nosignature';
        if (why) report({ line: c.line, message: `Package signature verification is disabled (${why})` });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'apk without the option',
      from: ['CKV2_DOCKER_7'],
      code: `FROM alpine:3.20\nRUN apk add a-car\nRUN apk add a-handbag | grep "--allow-untrusted"\nRUN apk upgrade &&\\\n    echo "--allow-untrusted"\n`,
    },
    {
      name: 'apt-get without the options',
      from: ['CKV2_DOCKER_8', 'CKV2_DOCKER_11'],
      code: `FROM debian:12\nRUN apt-get install python3\nRUN apt-get install python3 | grep "--allow-unauthenticated --force-yes"\nRUN apt-get update &&\\\n    echo "--force-yes"\n`,
    },
    {
      name: 'yum, dnf, tdnf without the option',
      from: ['CKV2_DOCKER_9'],
      code: `FROM fedora:40\nRUN yum install python3\nRUN dnf install -y python3\nRUN tdnf install python3 | grep "--nogpgcheck"\nRUN dnf update ||\\\n    echo "--nogpgcheck"\n`,
    },
    {
      name: 'rpm without the options',
      from: ['CKV2_DOCKER_10'],
      code: `FROM fedora:40\nRUN rpm -i python3.rpm\nRUN rpm -i python3.rpm && rpm -V \\\n    python3\nRUN rpm -i python3.rpm ;\\\n    echo "--nodigest"\n`,
    },
    { code: `FROM alpine:3.20\nRUN apk add --no-cache curl\n` },
  ],
  invalid: [
    {
      name: 'apk --allow-untrusted anywhere',
      from: ['CKV2_DOCKER_7'],
      code: `FROM alpine:3.20\nRUN apk add --allow-untrusted python3\nRUN apk --allow-untrusted add python3\nRUN apk \\\n    add python3 \\\n    --allow-untrusted\nRUN echo "prodsec" && apk --allow-untrusted add python3\n`,
      errors: [
        { rule: 'SC1010', line: 2 },
        { rule: 'SC1010', line: 3 },
        { rule: 'SC1010', line: 4 },
        { rule: 'SC1010', line: 7 },
      ],
    },
    {
      name: 'apt-get --allow-unauthenticated',
      from: ['CKV2_DOCKER_8'],
      code: `FROM debian:12\nRUN apt-get --allow-unauthenticated install python3\nRUN apt-get \\\n    install python3 \\\n    --allow-unauthenticated\n`,
      errors: [
        { rule: 'SC1010', line: 2 },
        { rule: 'SC1010', line: 3 },
      ],
    },
    {
      name: 'apt-get --force-yes',
      from: ['CKV2_DOCKER_11'],
      code: `FROM debian:12\nRUN apt-get install --force-yes python3\nRUN echo "prodsec" && apt-get --force-yes install python3\n`,
      errors: [
        { rule: 'SC1010', line: 2 },
        { rule: 'SC1010', line: 3 },
      ],
    },
    {
      name: '--nogpgcheck with yum, dnf, tdnf',
      from: ['CKV2_DOCKER_9'],
      code: `FROM fedora:40\nRUN yum --nogpgcheck install -y python3\nRUN dnf \\\n    install -y python3 \\\n    --nogpgcheck\nRUN tdnf install -y --nogpgcheck python3\nRUN tdnf -y update && \\\n    tdnf install -y shadow-utils --nogpgcheck && \\\n    tdnf clean all\n`,
      errors: [
        { rule: 'SC1010', line: 2 },
        { rule: 'SC1010', line: 3 },
        { rule: 'SC1010', line: 6 },
        { rule: 'SC1010', line: 8 },
      ],
    },
    {
      name: 'rpm --nodigest, --noverify, --nofiledigest',
      from: ['CKV2_DOCKER_10'],
      code: `FROM fedora:40\nRUN rpm -i --nodigest python3.rpm\nRUN rpm -i --noverify python3.rpm\nRUN rpm \\\n    -i python3.rpm \\\n    --nofiledigest\nRUN echo "prodsec" && rpm --nodigest --nosignature -i python3.rpm\n`,
      errors: [
        { rule: 'SC1010', line: 2 },
        { rule: 'SC1010', line: 3 },
        { rule: 'SC1010', line: 4 },
        { rule: 'SC1010', line: 7 },
      ],
    },

    {
      code: `FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/x.apk\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    {
      code: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --allow-unauthenticated x\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    {
      code: `FROM fedora:40\nRUN dnf install -y --nogpgcheck x && dnf clean all\n`,
      errors: [{ rule: 'SC1010', line: 2 }],
    },
    { code: `FROM fedora:40\nRUN rpm -i --nosignature x.rpm\n`, errors: [{ rule: 'SC1010', line: 2 }] },
  ],
};
