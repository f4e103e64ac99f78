import type { DockerfileRule, RuleCases } from '../../types.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions, type Keyword } from '../facts.js';

const KEYWORDS: readonly Keyword[] = ['COPY', 'ADD'];

const SECRET_FILE =
  /(?:^|\/)(?:\.env(?:\.(?!example$|sample$|template$|dist$|defaults?$)[^/]+)?|id_(?:rsa|dsa|ecdsa|ed25519)|[^/]*\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx|asc)|credentials(?:\.[^/]*)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.htpasswd|\.aws(?:\/.*)?|\.ssh(?:\/.*)?|\.docker\/config\.json|secrets?\.(?:ya?ml|json|env|txt))\/?$/i;

/**
 * SECRET_FILE starts at `^` or after a `/` and no name it knows starts with `/`, so a leading `./`
 * changes nothing: tested as written (it used to be removed first, a copy for every source).
 */
export function isSecretFile(path: string): boolean {
  return SECRET_FILE.test(path);
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1013',
    name: 'no-secret-files-copied',
    principle: 'P4',
    severity: 'error',
    message: 'A secret file is copied into the image',
    description:
      'Files such as `.env`, private keys (`id_rsa`, `*.pem`, `*.key`), `.npmrc`, `.aws/` or `credentials*` stay in a layer forever, even if a later RUN deletes them. Pass them with `RUN --mount=type=secret` at build time or mount them at run time; keep them out of the build context with `.dockerignore`. (`COPY . .` cannot be judged here: that is what `.dockerignore` is for.)',
    fix: 'Remove the COPY; use `RUN --mount=type=secret,id=<name>` or a runtime secret under /run/secrets, and list the file in `.dockerignore`.',
    related: ['DS-0031', 'CIS-4.10'],
  }),
  check({ model, report }) {
    // COPY, then ADD: findings on different instructions never share a line, so the order does not matter
    for (const keyword of KEYWORDS) {
      const list = stageInstructions(model, keyword);
      for (let k = 0; k < list.length; k++) {
        const ins = list[k];
        const args = ins.json ?? ins.words;
        // the sources: every argument but the destination
        for (let j = 0; j < args.length - 1; j++)
          if (isSecretFile(args[j]))
            report({ line: ins.line, message: `A secret file is copied into the image (${args[j]})` });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM node:22-alpine\nCOPY package.json package-lock.json ./\nCOPY .env.example ./\nCOPY src/ ./src/\n` },
    { name: 'keyring for apt (public key)', code: `FROM debian:12-slim\nCOPY docker.gpg /etc/apt/keyrings/\n` },
  ],
  invalid: [
    { code: `FROM node:22-alpine\nCOPY .env ./\n`, errors: [{ rule: 'SC1013', line: 2 }] },
    { code: `FROM alpine:3.20\nCOPY id_rsa /root/.ssh/id_rsa\n`, errors: [{ rule: 'SC1013', line: 2 }] },
    {
      code: `FROM alpine:3.20\nCOPY certs/server.key certs/server.pem /etc/ssl/\n`,
      errors: [
        { rule: 'SC1013', line: 2 },
        { rule: 'SC1013', line: 2 },
      ],
    },
    { code: `FROM node:22-alpine\nCOPY [".npmrc", "package.json", "./"]\n`, errors: [{ rule: 'SC1013', line: 2 }] },
    { code: `FROM alpine:3.20\nADD .aws/ /root/.aws/\n`, errors: [{ rule: 'SC1013', line: 2 }] },
  ],
};
