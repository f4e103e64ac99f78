import type { DockerfileRule, Report, RuleCases } from '../../types.js';
import type { DInstruction } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions, type Keyword } from '../facts.js';

const KEYWORDS: readonly Keyword[] = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];

/**
 * Whether instruction arguments are in exec form: a JSON array of strings once line continuations
 * are joined (Docker joins them first, so a JSON string may span lines). Anything else, `[a, b]`
 * included, is shell form.
 */
function isExecForm(args: string, escapeChar: string): boolean {
  const t = args.trim();
  if (!t.startsWith('[')) return false;
  // continuations need the escape character: without one there is nothing to join
  const joined = !t.includes(escapeChar)
    ? t
    : t
        .split(escapeChar + '\r\n')
        .join('')
        .split(escapeChar + '\n')
        .join('');
  try {
    const v: unknown = JSON.parse(joined);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1022',
    name: 'exec-form-cmd',
    principle: 'P1',
    severity: 'warning',
    message: 'CMD/ENTRYPOINT in shell form',
    description:
      'Shell form runs the app as a child of `/bin/sh -c`: the shell is PID 1, SIGTERM from `docker stop` never reaches the app (it is killed after the grace period, without a clean shutdown), and the final image needs a shell. Exec form (a JSON array of strings; `[a, b]` without quotes is not one) starts the binary directly. `HEALTHCHECK CMD` in shell form needs a shell in the final image too. Only stages that end up in the final image are checked.',
    fix: 'Use the JSON form: `ENTRYPOINT ["node", "dist/server.js"]`, `HEALTHCHECK CMD ["/app/healthcheck"]`.',
    sameAs: ['DL3025', 'KICS:Not Using JSON In CMD And ENTRYPOINT Arguments'],
  }),
  check({ model, report }) {
    const stages = model.stages;
    let everyStage = true;
    for (let k = 0; k < stages.length && everyStage; k++) everyStage = stages[k].inFinalImage;
    if (everyStage) {
      // every stage ends up in the final image (most files): only the instructions judged are visited
      for (const keyword of KEYWORDS) {
        const list = stageInstructions(model, keyword);
        for (let j = 0; j < list.length; j++) judge(list[j], model.escapeChar, report);
      }
      return;
    }
    for (let k = 0; k < stages.length; k++) {
      const s = stages[k];
      if (!s.inFinalImage) continue;
      for (let j = 0; j < s.instructions.length; j++) judge(s.instructions[j], model.escapeChar, report);
    }
  },
};

/** Report a CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form. */
function judge(i: DInstruction, escapeChar: string, report: (r: Report) => void): void {
  if (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') {
    if (i.args.trim() !== '' && !isExecForm(i.args, escapeChar))
      report({ line: i.line, message: `${i.keyword} in shell form (use a JSON array)` });
  } else if (i.keyword === 'HEALTHCHECK') {
    const m = /^CMD\s+([\s\S]*)$/i.exec(i.args.trim());
    if (m && m[1].trim() !== '' && !isExecForm(m[1], escapeChar))
      report({ line: i.line, message: 'HEALTHCHECK CMD in shell form (use a JSON array)' });
  }
}

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\nENTRYPOINT ["node"]\nCMD ["server.js"]\n` },
    { name: 'ENTRYPOINT in exec form', from: ['DL3025'], code: `FROM scratch\nENTRYPOINT ["foo", "bar"]\n` },
    {
      name: 'CMD in exec form, with spaces',
      from: ['DL3025'],
      code: `FROM scratch\nCMD ["foo", "bar"]\nCMD [ "foo", "bar" ]\n`,
    },
    { name: 'HEALTHCHECK CMD in exec form', from: ['DL3025'], code: `FROM scratch\nHEALTHCHECK CMD [ "foobar" ]\n` },
    {
      name: 'a JSON string over continuation lines',
      from: ['DL3025'],
      code: `FROM alpine:3.20\nCMD [ "/bin/sh", "-c", \\\n      "echo foo && \\\n       echo bar" \\\n    ]\n`,
    },
    {
      name: 'exec form in a single stage',
      from: ['KICS:Not Using JSON In CMD And ENTRYPOINT Arguments'],
      code: `FROM alpine:3.20\nRUN apk add --no-cache py3-pip\nCOPY app.py /usr/src/app/\nEXPOSE 5000\nCMD ["python", "/usr/src/app/app.py"]\nENTRYPOINT ["top", "-b"]\n`,
    },
    {
      name: 'not JSON in a builder stage only',
      from: ['KICS:Not Using JSON In CMD And ENTRYPOINT Arguments'],
      code: `FROM golang:1.23 AS builder\nRUN go build -o app .\nCMD [python, /usr/src/app/app.py]\nENTRYPOINT [top, -b]\n\nFROM alpine:3.20\nCOPY --from=builder /go/app ./\nCMD ["./app"]\nUSER 10001\n`,
    },
    { name: 'HEALTHCHECK NONE', code: `FROM alpine:3.20\nHEALTHCHECK NONE\n` },
  ],
  invalid: [
    { code: `FROM node:22-alpine\nCMD npm start\n`, errors: [{ rule: 'SC1022', line: 2 }] },
    { code: `FROM node:22-alpine\nENTRYPOINT node server.js\n`, errors: [{ rule: 'SC1022', line: 2 }] },
    {
      name: 'ENTRYPOINT',
      from: ['DL3025'],
      code: `FROM node:22 AS foo\nENTRYPOINT something\n`,
      errors: [{ rule: 'SC1022', line: 2 }],
    },
    {
      name: 'CMD',
      from: ['DL3025'],
      code: `FROM node:22 AS foo\nCMD something\n`,
      errors: [{ rule: 'SC1022', line: 2 }],
    },
    {
      name: 'HEALTHCHECK CMD in shell form',
      from: ['DL3025'],
      code: `FROM node:22-alpine\nHEALTHCHECK --interval=5m CMD foobar\n`,
      errors: [{ rule: 'SC1022', line: 2 }],
    },
    {
      name: 'brackets without quotes are not JSON',
      from: ['KICS:Not Using JSON In CMD And ENTRYPOINT Arguments'],
      code: `FROM alpine:3.20\nRUN apk add --no-cache py3-pip\nCOPY app.py /usr/src/app/\nEXPOSE 5000\nCMD [python, /usr/src/app/app.py]\nENTRYPOINT [top, -b]\n`,
      errors: [
        { rule: 'SC1022', line: 5 },
        { rule: 'SC1022', line: 6 },
      ],
    },
  ],
};
