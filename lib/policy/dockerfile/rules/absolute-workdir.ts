import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1027',
    name: 'absolute-workdir',
    principle: 'P6',
    severity: 'warning',
    message: 'WORKDIR is a relative path',
    description:
      "A relative WORKDIR depends on every earlier WORKDIR (and on the base image's): the resulting path is easy to get wrong and changes when the base image changes.",
    fix: 'Use an absolute path: `WORKDIR /app`.',
    sameAs: ['DL3000', 'CKV_DOCKER_10', 'DS-0009', 'KICS:WORKDIR Path Not Absolute'],
  }),
  check({ model, report }) {
    const list = stageInstructions(model, 'WORKDIR');
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      const p = i.args.trim().replace(/^["']|["']$/g, '');
      if (p && !p.startsWith('/') && !p.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(p))
        report({ line: i.line, message: `WORKDIR ${p} is a relative path` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { name: 'absolute', from: ['DL3000', 'DS-0009'], code: `FROM alpine:3.20\nWORKDIR /usr/local\n` },
    { name: 'a variable', from: ['DL3000'], code: `FROM alpine:3.20\nWORKDIR \${work}\n` },
    { name: 'absolute, single quotes', from: ['DL3000'], code: `FROM alpine:3.20\nWORKDIR '/usr/local'\n` },
    { name: 'a variable, double quotes', from: ['DL3000'], code: `FROM alpine:3.20\nWORKDIR "\${dir}"\n` },
    {
      name: 'Windows, C:/',
      from: ['DL3000'],
      code: `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:/\n`,
    },
    {
      name: 'Windows, quoted C:/',
      from: ['DL3000'],
      code: `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR "C:/"\n`,
    },
    {
      name: 'absolute, quoted, Windows and variables',
      from: ['CKV_DOCKER_10', 'KICS:WORKDIR Path Not Absolute', 'DS-0009'],
      code: `FROM alpine:3.20\nRUN apk add --no-cache py3-pip\nWORKDIR /path/to/workdir\nWORKDIR "/path/to/workdir"\nWORKDIR /\nWORKDIR c:\\\\windows\nENV DIRPATH=/path\nWORKDIR $DIRPATH/$DIRNAME\nWORKDIR \${GLASSFISH_HOME}/bin\nCMD ["python", "/usr/src/app/app.py"]\n`,
    },
    { name: 'no WORKDIR', from: ['DS-0009'], code: `FROM alpine:3.20\nRUN apk --no-cache add nginx\n` },
    { code: `FROM alpine:3.20\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR "/srv/app"\n` },
  ],
  invalid: [
    {
      name: 'relative',
      from: ['DL3000'],
      code: `FROM alpine:3.20\nWORKDIR relative/dir\n`,
      errors: [{ rule: 'SC1027', line: 2 }],
    },
    {
      name: 'relative, single quotes',
      from: ['DL3000'],
      code: `FROM alpine:3.20\nWORKDIR 'relative/dir'\n`,
      errors: [{ rule: 'SC1027', line: 2 }],
    },
    {
      name: 'relative, double quotes',
      from: ['DL3000'],
      code: `FROM alpine:3.20\nWORKDIR "relative/dir"\n`,
      errors: [{ rule: 'SC1027', line: 2 }],
    },
    {
      name: 'relative after an absolute one',
      from: ['CKV_DOCKER_10', 'KICS:WORKDIR Path Not Absolute', 'DS-0009'],
      code: `FROM alpine:3.20\nRUN apk add --no-cache py3-pip\nWORKDIR /path/to/workdir\nWORKDIR workdir\nCOPY requirements.txt /usr/src/app/\nCMD ["python", "/usr/src/app/app.py"]\n`,
      errors: [{ rule: 'SC1027', line: 4 }],
    },
    {
      name: 'relative with ..',
      from: ['CKV_DOCKER_10'],
      code: `FROM alpine:3.20\nWORKDIR "../workdir"\n`,
      errors: [{ rule: 'SC1027', line: 2 }],
    },
    { code: `FROM alpine:3.20\nWORKDIR app\n`, errors: [{ rule: 'SC1027', line: 2 }] },
  ],
};
