// The Kubernetes manifest kind: its rules' valid/invalid tables (ESLint RuleTester style, through
// the one runner), their metadata, the model (multi-document YAML, List items, pod templates of every
// workload kind, lines), what the kind matches, discovery by `audit`, and suppressions.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../lib/audit/discover.js';
import { auditText } from '../../lib/policy/engine.js';
import { detectKind, kindOf, kubernetesKind } from '../../lib/policy/kinds.js';
import { buildKubernetesModel } from '../../lib/policy/kubernetes/model.js';
import { ruleModules } from '../../lib/policy/rules/index.js';

const audit = (code: string, config?: Parameters<typeof auditText>[3]) =>
  auditText(kubernetesKind, code, 'deploy/k8s/app.yaml', config);

const K8S = ruleModules.filter((m) => m.rule.meta.kind === 'kubernetes');
/** Restricted Pod Security Standard controls and the rules that check them. */
const RESTRICTED_CONTROLS: Record<string, string[]> = {
  HostProcess: ['SC3029'],
  'Host Namespaces': ['SC3009', 'SC3010', 'SC3011'],
  'Privileged Containers': ['SC3001'],
  Capabilities: ['SC3006', 'SC3007'],
  'HostPath Volumes': ['SC3012'],
  'Host Ports': ['SC3013'],
  AppArmor: ['SC3028'],
  SELinux: ['SC3028'],
  '/proc Mount Type': ['SC3026'],
  Seccomp: ['SC3008'],
  Sysctls: ['SC3027'],
  'Volume Types': ['SC3025', 'SC3012'],
  'Privilege Escalation': ['SC3002'],
  'Running as Non-root': ['SC3003'],
  'Running as Non-root user': ['SC3004'],
};

describe('Kubernetes rules', () => {
  it('has a rule for every control of the restricted profile, and the issue’s other checks', () => {
    const ids = new Set(K8S.map((m) => m.rule.meta.id));
    for (const [control, rules] of Object.entries(RESTRICTED_CONTROLS))
      for (const r of rules) expect([control, r, ids.has(r)]).toEqual([control, r, true]);
    for (const name of [
      'read-only-root-filesystem',
      'memory-limit',
      'cpu-limit',
      'resource-requests',
      'liveness-probe',
      'readiness-probe',
      'service-account-token',
      'no-latest-image',
      'image-digest',
      'no-literal-secret-env',
      'secrets-as-files',
    ])
      expect(K8S.map((m) => m.rule.meta.name)).toContain(name);
    expect(K8S.length).toBe(29);
  });

  for (const mod of K8S) {
    const { meta } = mod.rule;
    describe(`${meta.id} ${meta.name}`, () => {
      it('has complete metadata', () => {
        expect(meta.id).toMatch(/^SC3\d{3}$/);
        expect(meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(meta.principle).toMatch(/^P[1-9]$/);
        expect(meta.message.length).toBeGreaterThan(5);
        expect(meta.description.length).toBeGreaterThan(40);
        expect(meta.fix.length).toBeGreaterThan(5);
        expect(meta.docs).toBe(`docs/rules/${meta.id}.md`);
        for (const r of meta.refs) expect(r).toMatch(/^(CKV_K8S_\d+|kube-linter:[a-z0-9-]+)$/);
        // a cited check of another tool is "the same check" only with cases modelled on its examples
        for (const r of meta.sameAs) {
          const tagged = [...mod.cases.valid, ...mod.cases.invalid].filter((c) => c.from?.includes(r));
          expect([meta.id, r, tagged.length >= 2]).toEqual([meta.id, r, true]);
          expect([...mod.cases.valid, ...mod.cases.invalid].filter((c) => c.differs?.includes(r))).toEqual([]);
        }
        expect(mod.cases.valid.length).toBeGreaterThan(0);
        expect(mod.cases.invalid.length).toBeGreaterThan(0);
      });
      mod.cases.valid.forEach((c, i) => {
        it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
          const got = audit(c.code, c.config).filter((f) => f.rule === meta.id || f.rule === 'SC0001');
          expect(got).toEqual([]);
        });
      });
      mod.cases.invalid.forEach((c, i) => {
        it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
          const ids = new Set(c.errors.map((e) => e.rule));
          const got = audit(c.code, c.config)
            .filter((f) => ids.has(f.rule) || f.rule === 'SC0001')
            .map((f) => ({ rule: f.rule, line: f.line }));
          expect(got).toEqual(c.errors);
        });
      });
    });
  }
});

const HARDENED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: web
          image: registry.example.com/web:4f2a9c1@sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 128Mi }
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
`;

describe('the model', () => {
  it('reads every document, List items, and the pod template of each workload kind', () => {
    const text = `# Source: chart/templates/all.yaml
apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              containers:
                - name: job
                  image: job:1.0
              restartPolicy: OnFailure
---
# a document that is not an object: ignored
just: data
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: init
      image: busybox:1.36
  containers:
    - name: app
      image: app:1.0
`;
    const m = buildKubernetesModel(text, 'all.yaml');
    expect(m.problems).toEqual([]);
    expect(m.objects.map((o) => `${o.kind}/${o.name}@${o.line}`)).toEqual([
      'Service/s@2',
      'CronJob/nightly@12',
      'Pod/p@30',
    ]);
    expect(m.pods.map((p) => [p.object.kind, p.batch])).toEqual([
      ['CronJob', true],
      ['Pod', false],
    ]);
    expect(m.containers.map((c) => `${c.group}:${c.name}@${c.line}`)).toEqual([
      'containers:job@23',
      'containers:app@39',
      'initContainers:init@36',
    ]);
  });

  it('reports YAML errors and duplicate keys with their lines (SC0001), and audits the other documents', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: a
  name: b
spec:
  containers:
    - name: app
      image: app:1.0
`;
    const f = audit(text);
    expect(f.filter((x) => x.rule === 'SC0001').map((x) => x.line)).toEqual([5]);
    const broken = audit(`apiVersion: v1\nkind: Pod\nspec: [\n---\n${HARDENED}`);
    expect(broken.some((x) => x.rule === 'SC0001')).toBe(true);
  });

  it('skips unrendered Helm templates and files without Kubernetes objects', () => {
    expect(audit('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n')).toEqual([]);
    expect(audit('replicaCount: 2\nimage:\n  tag: latest\n')).toEqual([]);
    expect(audit('# only a comment\n')).toEqual([]);
  });

  it('finds nothing in a hardened Deployment', () => {
    expect(audit(HARDENED)).toEqual([]);
  });

  it('applies suppressions with a reason on the line or the line before', () => {
    const text = HARDENED.replace(
      '          image: registry.example.com/web:4f2a9c1@sha256:b0ad43f7ee5edbc0effbc14645ae7055e21bc1973aee5150745632a24a752661',
      '          # secure-container-ignore SC3021: the tag is set by the pipeline\n          image: web',
    );
    expect(audit(text).map((f) => f.rule)).toEqual(['SC3022']);
    expect(audit(text.replace(': the tag is set by the pipeline', '')).map((f) => f.rule)).toEqual([
      'SC0003',
      'SC3021',
      'SC3022',
    ]);
  });

  it('audits the images: of a kustomization file, which may leave out apiVersion and kind', () => {
    const text =
      'resources:\n  - deployment.yaml\nimages:\n  - name: app\n    newTag: latest\n  - name: db\n    digest: sha256:' +
      'a'.repeat(64) +
      '\n';
    const model = buildKubernetesModel(text, 'deploy/k8s/kustomization.yaml');
    expect(model.kustomizeImages.map((e) => [e.name, e.newTag, e.digest, e.line])).toEqual([
      ['app', 'latest', null, 4],
      ['db', null, `sha256:${'a'.repeat(64)}`, 6],
    ]);
    const findings = auditText(kubernetesKind, text, 'deploy/k8s/kustomization.yaml');
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['SC3022', 4],
      ['SC3021', 5],
    ]);
    // the same keys in any other YAML file are not a kustomization
    expect(audit(text)).toEqual([]);
  });

  it('stops at the object limit (SC0004)', () => {
    const one = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const text = Array.from({ length: 5002 }, () => one).join('---\n');
    expect(audit(text).map((f) => f.rule)).toEqual(['SC0004']);
  });
});

describe('which files are manifests', () => {
  it.each([
    ['deploy/kubernetes/deployment.yaml', 'kubernetes'],
    ['k8s/app.yml', 'kubernetes'],
    ['overlays/prod/kustomization.yaml', 'kubernetes'],
    ['kustomization.yaml', 'kubernetes'],
    ['web-deployment.yaml', 'kubernetes'],
    ['app.k8s.yaml', 'kubernetes'],
    ['charts/web/values.yaml', 'kubernetes'],
    ['rendered.yaml', 'kubernetes'],
    ['compose.yaml', 'compose'],
    ['deploy/docker-compose.prod.yml', 'compose'],
    ['.github/workflows/ci.yml', 'workflow'],
    ['pnpm-workspace.yaml', null],
    ['mkdocs.yml', null],
    ['deploy/kubernetes/README.md', null],
  ])('%s -> %s', (path, kind) => {
    expect(detectKind(path)).toBe(kind);
    expect(kindOf(path)?.id ?? null).toBe(kind);
  });
});

describe('secure-container audit finds manifests', () => {
  it('by folder when walking, by content when named', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sc-k8s-disc-'));
    try {
      mkdirSync(join(tmp, 'deploy/kubernetes'), { recursive: true });
      writeFileSync(join(tmp, 'deploy/kubernetes/app.yaml'), HARDENED);
      writeFileSync(join(tmp, 'helm-output.yaml'), HARDENED);
      writeFileSync(join(tmp, 'other.yaml'), 'services:\n  app:\n    image: app:1.0\n');
      const walked = discover(['.'], tmp).files.map((f) => [f.rel, f.kind]);
      expect(walked).toEqual([['deploy/kubernetes/app.yaml', 'kubernetes']]);
      const named = discover(['helm-output.yaml', 'other.yaml'], tmp).files.map((f) => [f.rel, f.kind]);
      expect(named).toEqual([
        ['helm-output.yaml', 'kubernetes'],
        ['other.yaml', 'compose'],
      ]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
