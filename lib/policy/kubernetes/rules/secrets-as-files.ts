import type { KubernetesRule, RuleCases } from '../../types.js';
import { kubernetesMeta } from '../meta.js';
import { isRecord } from '../model.js';

export const rule: KubernetesRule = {
  meta: kubernetesMeta({
    id: 'SC3024',
    name: 'secrets-as-files',
    principle: 'P4',
    severity: 'warning',
    message: 'A Secret is passed as an environment variable',
    description:
      'A Secret in the environment (`valueFrom.secretKeyRef`, `envFrom.secretRef`) is inherited by every child process, ends up in crash dumps and debug endpoints that print the environment, and never changes while the container runs. Mounted as a file (read-only, mode 0400) it is read only by who opens it and follows rotation (compose: `/run/secrets/<name>`, `<NAME>_FILE`).',
    fix: 'Mount the Secret as a volume (read-only, `defaultMode: 0400`) and pass its path in `<NAME>_FILE`.',
    sameAs: ['CKV_K8S_35'],
    related: ['kube-linter:read-secret-from-env-var'],
  }),
  check({ model, report }) {
    for (const c of model.containers) {
      const env = c.value.env;
      if (Array.isArray(env))
        env.forEach((e, i) => {
          if (isRecord(e) && isRecord(e.valueFrom) && e.valueFrom.secretKeyRef !== undefined)
            report({
              line: c.lineOf('env', i, 'valueFrom', 'secretKeyRef'),
              message: `${c.label} reads ${typeof e.name === 'string' ? e.name : 'a variable'} from a Secret`,
            });
        });
      const from = c.value.envFrom;
      if (Array.isArray(from))
        from.forEach((e, i) => {
          if (isRecord(e) && e.secretRef !== undefined)
            report({
              line: c.lineOf('envFrom', i, 'secretRef'),
              message: `${c.label} loads a whole Secret into its environment`,
            });
        });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      name: 'a secret volume',
      from: ['CKV_K8S_35'],
      code: `apiVersion: v1
kind: Secret
metadata:
  name: test-secret
data:
  username: bXktYXBw
---
apiVersion: v1
kind: Pod
metadata:
  name: secret-test-pod
spec:
  containers:
    - name: test-container
      image: nginx
      volumeMounts:
        - name: secret-volume
          mountPath: /etc/secret-volume
  volumes:
    - name: secret-volume
      secret:
        secretName: test-secret
`,
    },
  ],
  invalid: [
    {
      name: 'secretKeyRef',
      from: ['CKV_K8S_35'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: secret-test-pod
spec:
  containers:
    - name: secret-env-container
      image: nginx
      env:
        - name: SECRET_USERNAME
          valueFrom:
            secretKeyRef:
              name: backend-user
              key: backend-username
`,
      errors: [{ rule: 'SC3024', line: 12 }],
    },
    {
      name: 'envFrom secretRef',
      from: ['CKV_K8S_35'],
      code: `apiVersion: v1
kind: Pod
metadata:
  name: secret-test-pod
spec:
  containers:
    - name: test-container
      image: nginx
      envFrom:
      - secretRef:
          name: test-secret
`,
      errors: [{ rule: 'SC3024', line: 10 }],
    },
  ],
};
