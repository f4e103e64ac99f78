import type { KubernetesRule, RuleCases } from '../../types.js';
import { isReference, isSecretName, isSecretValue } from '../../secrets.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord, scalarText } from '../model.js';

/** `$(OTHER_VAR)`: a Kubernetes dependent variable, a reference rather than a value. */
const KUBE_REF = /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/;

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3023',
    name: 'no-literal-secret-env',
    principle: 'P4',
    severity: 'error',
    message: 'A literal secret is set in a container environment',
    description:
      'A password or token written as an `env` value is in the manifest (so in git and in every copy of it), readable by whoever can read the workload object, shown by `kubectl describe` and inherited by every child process. Keep secrets in Secrets, delivered as files (SC3024). The value is never printed.',
    fix: 'Move the value into a Secret mounted as a file, and set `<NAME>_FILE` to its path.',
    related: ['kube-linter:env-var-secret'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const env = c.value.env;
      if (!Array.isArray(env)) continue;
      env.forEach((e, i) => {
        if (!isRecord(e) || typeof e.name !== 'string' || e.value === undefined || e.value === null) return;
        const value = scalarText(e.value);
        if (isReference(value) || KUBE_REF.test(value.trim())) return;
        if (isSecretValue(value) || isSecretName(e.name))
          report({
            line: c.lineOf('env', i, 'value'),
            message: `${c.label} sets ${e.name} to a literal secret`,
          });
      });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      env:
        - name: DB_PASSWORD_FILE
          value: /run/secrets/db_password
        - name: DB_USER
          value: app
        - name: TOKEN_TTL
          value: "3600"
        - name: API_TOKEN
          value: $(INJECTED_TOKEN)
`,
    },
  ],
  invalid: [
    {
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0
      env:
        - name: POSTGRES_PASSWORD
          value: example
        - name: UPSTREAM
          value: https://user:hunter2@api.example.com/
`,
      errors: [
        { rule: 'SC3023', line: 11 },
        { rule: 'SC3023', line: 13 },
      ],
    },
  ],
};
