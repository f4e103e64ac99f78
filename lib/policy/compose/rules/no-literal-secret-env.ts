import type { ComposeRule, RuleCases } from '../../types.js';
import { entries } from '../model.js';
import { isReference, isSecretName, isSecretValue } from '../../secrets.js';
import { composeMeta } from '../../rules/meta-helpers.js';

export const rule: ComposeRule = {
  meta: composeMeta({
    id: 'SC2017',
    name: 'no-literal-secret-env',
    principle: 'P4',
    severity: 'error',
    message: 'A literal secret is set in environment',
    description:
      'A password or token written into `environment:` is committed to git, shown by `docker inspect` and inherited by every child process. Use compose `secrets:` (files under /run/secrets) with a `<NAME>_FILE` variable, or interpolate from the deployment environment (`${DB_PASSWORD}`). The value is never printed.',
    fix: 'Move the value to a compose secret and set `<NAME>_FILE: /run/secrets/<name>`.',
    related: ['KICS:Passwords And Secrets - Generic Password', 'CIS-4.10'],
  }),
  check({ model, report }) {
    for (const s of model.services)
      for (const e of entries(s.value.environment)) {
        if (e.value === null || isReference(e.value)) continue;
        if (isSecretValue(e.value) || isSecretName(e.key))
          report({
            line: s.lineOf('environment', e.path),
            message: `Service "${s.name}" sets ${e.key} to a literal secret in environment`,
          });
      }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n      POSTGRES_USER: app\n      API_TOKEN: \${API_TOKEN}\n      DB_PASSWORD: \${DB_PASSWORD:?set it}\n      TOKEN_TTL: 3600\n`,
    },
  ],
  invalid: [
    {
      code: `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n`,
      errors: [{ rule: 'SC2017', line: 5 }],
    },
    {
      name: 'list form',
      code: `services:\n  app:\n    image: x:1\n    environment:\n      - NODE_ENV=production\n      - JWT_SECRET=abc\n`,
      errors: [{ rule: 'SC2017', line: 6 }],
    },
  ],
};
