import type { DockerfileRule, RuleCases } from '../../types.js';
import { isSecretName, isSecretValue } from '../../secrets.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions, type Keyword } from '../facts.js';

const KEYWORDS: readonly Keyword[] = ['ARG', 'ENV', 'LABEL'];

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1012',
    name: 'no-secret-in-arg-env',
    principle: 'P4',
    severity: 'error',
    message: 'A secret is passed through ARG, ENV or LABEL',
    description:
      'ARG values are recorded in the image history (`docker history`), ENV values in the image config, LABELs in the metadata: anyone who can pull the image can read them. Build-time secrets belong in `RUN --mount=type=secret,id=<name>`; runtime secrets in files under /run/secrets (with a `<NAME>_FILE` variable pointing there). Names ending in _FILE, _PATH, _NAME… are references and are not flagged; values are never printed.',
    fix: 'Use `RUN --mount=type=secret,id=<name>` at build time and `/run/secrets/<name>` (+ `<NAME>_FILE`) at run time.',
    related: [
      'DL3064',
      'DS-0031',
      'KICS:Passwords And Secrets - Generic Password',
      'KICS:Env Instruction Has Secret',
      'CIS-4.10',
    ],
  }),
  check({ model, report }) {
    // ARG, ENV, then LABEL: findings on different instructions never share a line, so the order does not matter
    for (const keyword of KEYWORDS) {
      const list = stageInstructions(model, keyword);
      for (let k = 0; k < list.length; k++) {
        const props = list[k].properties;
        for (let j = 0; j < props.length; j++) {
          const p = props[j];
          const value = p.value ?? '';
          if (value !== '' && isSecretValue(value))
            report({ line: p.line, message: `${keyword} ${p.name} holds a value that looks like a credential` });
          else if (keyword === 'ARG' && isSecretName(p.name))
            report({
              line: p.line,
              message: `ARG ${p.name} looks like a secret (build args are kept in the image history)`,
            });
          else if (keyword === 'ENV' && value !== '' && isSecretName(p.name))
            report({ line: p.line, message: `ENV ${p.name} bakes a secret into the image config` });
        }
      }
    }
    // global ARGs: the first ARG before the first FROM declaring each name, found in one pass
    // (a search of every instruction per name was quadratic in a file of many global ARGs); only
    // when some global ARG has a secret name (most files have none)
    let secret = false;
    for (const name of model.globalArgs.keys())
      if (isSecretName(name)) {
        secret = true;
        break;
      }
    if (!secret) return;
    const firstFrom = model.stages[0]?.from.line ?? Infinity;
    const declared = new Map<string, number>();
    for (const i of model.instructions) {
      if (i.line >= firstFrom) break;
      if (i.keyword !== 'ARG') continue;
      for (const p of i.properties) if (!declared.has(p.name)) declared.set(p.name, i.line);
    }
    for (const [name] of model.globalArgs) {
      if (!isSecretName(name)) continue;
      const line = declared.get(name);
      if (line !== undefined)
        report({ line, message: `ARG ${name} looks like a secret (build args are kept in the image history)` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM node:22-alpine\nENV DB_PASSWORD_FILE=/run/secrets/db_password\nARG NODE_ENV=production\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n`,
    },
    {
      name: 'public GPG key fingerprint',
      code: `FROM python:3.12-slim\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n`,
    },
    { name: 'empty placeholder', code: `FROM alpine:3.20\nENV API_TOKEN=""\n` },
  ],
  invalid: [
    { code: `FROM node:22-alpine\nARG NPM_TOKEN\n`, errors: [{ rule: 'SC1012', line: 2 }] },
    {
      code: `FROM node:22-alpine\nENV DB_PASSWORD=hunter2 NODE_ENV=production\n`,
      errors: [{ rule: 'SC1012', line: 2 }],
    },
    { name: 'global ARG', code: `ARG GITHUB_TOKEN\nFROM alpine:3.20\n`, errors: [{ rule: 'SC1012', line: 1 }] },
    {
      name: 'credential-looking value under an innocent name',
      code: `FROM alpine:3.20\nENV DATABASE_URL=postgres://app:s3cr3t@db:5432/app\n`,
      errors: [{ rule: 'SC1012', line: 2 }],
    },
    {
      name: 'old ENV syntax',
      code: `FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY abcdef\n`,
      errors: [{ rule: 'SC1012', line: 2 }],
    },
  ],
};
