// A team preset fixes the namespace, the registry the cluster pulls from, the resources and the
// replica count of every generated Kubernetes base (preset `kubernetes:`, validated by
// schemas/preset-kubernetes.schema.json and kubernetesPresetProblems). The result stays
// schema-valid, restricted and self-audit clean; an app with data directories keeps one replica.
// Also: init's next steps name the Kubernetes deploy, and a preset file works through `init`.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { runInit } from '../../lib/cli/init.js';
import type { Runtime } from '../../lib/core/types.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { validatePresetDoc } from '../../lib/preset/schema.js';
import { kubernetesPresetProblems, quantityValue, type KubernetesPreset } from '../../lib/spec/kubernetes.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';
import { DIR, manifests, podSpecOf, restrictedViolations, validateObject, type Obj } from './kubernetes-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function generate(preset: KubernetesPreset, extra: Record<string, unknown> = {}, runtime: Runtime = 'node') {
  const a = answersFor(runtime, { kubernetes: true, ...extra });
  const { spec, files, findings } = buildFiles(a, LAYOUTS[runtime], { kubernetes: preset });
  expect(findings.filter((f) => f.file.startsWith(DIR) && f.severity !== 'info')).toEqual([]);
  const objects: Obj[] = manifests(files).flatMap((m) => m.objects);
  for (const o of objects) {
    validateObject(o);
    const pod = podSpecOf(o);
    if (pod) expect(restrictedViolations(pod)).toEqual([]);
  }
  const text = (name: string): string => files.find((f) => f.path === `${DIR}/${name}`)?.contents ?? '';
  const kustomization = parse(text('kustomization.yaml')) as {
    namespace: string;
    images: { name: string; newName?: string; newTag: string }[];
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Deployment as plain data; the test picks fields
  const dep = objects.find((o) => o.kind === 'Deployment') as any;
  return { spec, files, objects, kustomization, dep, text };
}

describe('preset kubernetes: section (schema)', () => {
  const check = (kubernetes: unknown): string => {
    try {
      validatePresetDoc({ name: 't', kubernetes }, 't.yaml');
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('accepts namespace, registry, replicas and quantities', () => {
    expect(
      check({
        namespace: 'payments',
        registry: 'registry.example.com/team',
        replicas: 3,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1.5', memory: '1Gi' } },
      }),
    ).toBe('');
    for (const memory of ['512Mi', '1Gi', '500M', '1.5Gi', '134217728', '1000'])
      expect([memory, check({ resources: { limits: { memory } } })]).toEqual([memory, '']);
    for (const cpu of ['100m', '1', '0.5', '2.25'])
      expect([cpu, check({ resources: { limits: { cpu } } })]).toEqual([cpu, '']);
  });

  it.each([
    [{ namespace: 'Payments' }, 'kubernetes.namespace: must match'],
    [{ namespace: 'kube-system' }, 'kubernetes.namespace: value is not allowed'],
    [{ namespace: 'default' }, 'kubernetes.namespace: value is not allowed'],
    [{ namespace: 'a'.repeat(64) }, 'kubernetes.namespace: must match'],
    [{ replicas: 0 }, 'kubernetes.replicas: must be >= 1'],
    [{ replicas: 101 }, 'kubernetes.replicas: must be <= 100'],
    [{ replicas: 1.5 }, 'kubernetes.replicas: must be integer'],
    [{ registry: 'https://registry.example.com' }, 'kubernetes.registry: must match'],
    [{ resources: { limits: { memory: '512m' } } }, 'kubernetes.resources.limits.memory: must match'],
    [{ resources: { limits: { memory: '1 Gi' } } }, 'kubernetes.resources.limits.memory: must match'],
    [{ resources: { requests: { cpu: '250 m' } } }, 'kubernetes.resources.requests.cpu: must match'],
    [{ resources: { requests: { cpu: '-1' } } }, 'kubernetes.resources.requests.cpu: must match'],
    [{ resources: { requests: { gpu: '1' } } }, 'kubernetes.resources.requests: unknown field "gpu"'],
    [{ replica: 2 }, 'kubernetes: unknown field "replica"'],
  ])('refuses %j naming the field', (k, message) => {
    const m = check(k);
    expect(m).toContain(`preset t.yaml: ${message}`);
    expect(m.split('\n')).toHaveLength(1);
  });

  it('a request above its limit, or a zero quantity, is refused (the API server would refuse the pod)', () => {
    expect(kubernetesPresetProblems({ resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } })).toEqual(
      ['kubernetes.resources.requests.memory: 2Gi is above the limit 1Gi (the API server refuses the pod)'],
    );
    expect(kubernetesPresetProblems({ resources: { requests: { cpu: '1500m' }, limits: { cpu: '1' } } })).toHaveLength(
      1,
    );
    expect(kubernetesPresetProblems({ resources: { requests: { cpu: '1' }, limits: { cpu: '1000m' } } })).toEqual([]);
    expect(kubernetesPresetProblems({ resources: { limits: { memory: '0' } } })).toEqual([
      'kubernetes.resources.limits.memory: must be a quantity above zero',
    ]);
    expect(kubernetesPresetProblems(undefined)).toEqual([]);
  });

  it('reads quantities as Kubernetes does', () => {
    expect(quantityValue('250m')).toBe(0.25);
    expect(quantityValue('1.5')).toBe(1.5);
    expect(quantityValue('1Gi')).toBe(2 ** 30);
    expect(quantityValue('1G')).toBe(1e9);
    expect(quantityValue('512Mi')).toBeLessThan(quantityValue('1G'));
    expect(quantityValue('x')).toBeNaN();
  });
});

describe('preset kubernetes: section (rendered)', () => {
  it('sets the namespace of every object, the registry of the image and the replica count', () => {
    const { kustomization, objects, dep, spec } = generate({
      namespace: 'payments',
      registry: 'registry.example.com/team/',
      replicas: 4,
    });
    expect(kustomization.namespace).toBe('payments');
    expect(objects.find((o) => o.kind === 'Namespace')?.metadata?.name).toBe('payments');
    expect(kustomization.images).toEqual([
      { name: spec.name, newName: `registry.example.com/team/${spec.name}`, newTag: 'local' },
    ]);
    expect(dep.spec.replicas).toBe(4);
    expect(dep.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    // the budget lets a drain evict one at a time: coherent with any count above one
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as unknown as {
      spec: { maxUnavailable: number };
    };
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('one replica of a stateless app: no spread, no affinity, and the budget says a drain stops it', () => {
    const { dep, text } = generate({ replicas: 1 });
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(dep.spec.template.spec.affinity).toBeUndefined();
    expect(text('deployment.yaml')).toMatch(/# P8: one replica \(the preset's\)/);
    expect(text('poddisruptionbudget.yaml')).toMatch(/# P8: one replica: a drain may evict it/);
  });

  it('an app with a data directory keeps one replica whatever the preset asks, and says why', () => {
    const { dep, text, objects } = generate({ replicas: 3 }, { dataDirs: ['/data'] });
    expect(dep.spec.replicas).toBe(1);
    expect(text('deployment.yaml')).toMatch(
      /# P8: one replica, not the preset's 3: the data directory is a ReadWriteOnce volume/,
    );
    // the claim stays ReadWriteOnce, and the pod affinity keeps a rolling update on the volume's node
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim') as unknown as {
      spec: { accessModes: string[] };
    };
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(dep.spec.template.spec.affinity.podAffinity).toBeDefined();
  });

  it('resources: the preset wins; a limit alone moves its request as the default does', () => {
    const both = generate({
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    }).dep.spec.template.spec.containers[0].resources;
    expect(both).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    const limitsOnly = generate({ resources: { limits: { cpu: '2', memory: '1Gi' } } }).dep.spec.template.spec
      .containers[0].resources;
    expect(limitsOnly).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
    // a request above the default limit raises the limit with it (never a pod the API server refuses)
    const requestOnly = generate({ resources: { requests: { memory: '2Gi' } } }).dep.spec.template.spec.containers[0]
      .resources;
    expect(requestOnly.limits.memory).toBe('2Gi');
  });

  const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  (hasKubectl ? it : it.skip)(
    'kubectl kustomize renders it: the namespace everywhere, the image from the registry',
    () => {
      const { files, spec } = generate({ namespace: 'payments', registry: 'registry.example.com/team', replicas: 3 });
      const tmp = mkdtempSync(join(tmpdir(), 'sc-k8s-preset-'));
      dirs.push(tmp);
      for (const f of files.filter((x) => x.path.startsWith(`${DIR}/`))) {
        mkdirSync(dirname(join(tmp, f.path)), { recursive: true });
        writeFileSync(join(tmp, f.path), f.contents);
      }
      const out = spawnSync('kubectl', ['kustomize', join(tmp, DIR)], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const rendered = parseAllDocuments(out.stdout).map((d) => d.toJS() as Obj & { metadata: { namespace?: string } });
      for (const o of rendered)
        if (o.kind !== 'Namespace') expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'payments']);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered Deployment as plain data
      const dep = rendered.find((o) => o.kind === 'Deployment') as any;
      expect(dep.spec.template.spec.containers[0].image).toBe(`registry.example.com/team/${spec.name}:local`);
      expect(dep.spec.replicas).toBe(3);
    },
  );

  it('without a preset section nothing changes', () => {
    const { kustomization, dep, spec } = generate({});
    expect(kustomization.namespace).toBe(spec.name);
    expect(kustomization.images).toEqual([{ name: spec.name, newTag: 'local' }]);
    expect(dep.spec.replicas).toBe(2);
  });
});

// ---------------------------------------------------------------- through init
const example = fileURLToPath(new URL('../../../examples/node-app', import.meta.url));

async function init(argv: string[], presetText?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-k8s-preset-'));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  if (presetText !== undefined) writeFileSync(join(dir, 'team.yaml'), presetText);
  let out = '';
  let err = '';
  const code = await runInit(argv, {
    cwd: dir,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
  });
  return { dir, code, out, err };
}

describe('init with --kubernetes', () => {
  it('the next steps name the deploy command and where it is explained', async () => {
    const r = await init(['--yes', '--kubernetes', '--secret', 'api_key']);
    expect(r.code).toBe(0);
    const steps = r.out.slice(r.out.indexOf('Next steps:'));
    expect(steps).toMatch(
      /\d\. Deploy to Kubernetes \(README\.Docker\.md, "Kubernetes"; deploy\/kubernetes\/README\.md/,
    );
    expect(steps).toMatch(/Create the secret files the secretGenerator reads: deploy\/kubernetes\/secrets\/api_key/);
    expect(steps).toMatch(/^ {7}kubectl apply -k deploy\/kubernetes$/m);
    expect(steps).toMatch(/^ {7}kubectl -n example-node-app rollout status deployment\/example-node-app$/m);
    expect(readFileSync(join(r.dir, 'README.Docker.md'), 'utf8')).toMatch(/^## Kubernetes$/m);
  });

  it('without --kubernetes the next steps do not mention it', async () => {
    const r = await init(['--yes']);
    expect(r.out).not.toMatch(/kubectl/);
  });

  it('a preset file fixes the namespace, registry, replicas and resources', async () => {
    const r = await init(
      ['--yes', '--kubernetes', '--preset', './team.yaml'],
      'name: team\nkubernetes:\n  namespace: shop\n  registry: registry.example.com/team\n  replicas: 3\n  resources:\n    limits:\n      memory: 1Gi\n',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const k = parse(readFileSync(join(r.dir, DIR, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
    expect(k.namespace).toBe('shop');
    expect(k.images).toEqual([
      { name: 'example-node-app', newName: 'registry.example.com/team/example-node-app', newTag: 'local' },
    ]);
    const dep = parse(readFileSync(join(r.dir, DIR, 'deployment.yaml'), 'utf8')) as {
      spec: { replicas: number; template: { spec: { containers: { resources: unknown }[] } } };
    };
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '1000m', memory: '1Gi' },
    });
    expect(r.out).toMatch(/kubectl -n shop rollout status deployment\/example-node-app/);
  });

  it('a preset with a request above its limit stops the run with one line naming the field', async () => {
    const r = await init(
      ['--yes', '--kubernetes', '--preset', './team.yaml'],
      'name: team\nkubernetes:\n  resources:\n    requests:\n      cpu: "2"\n    limits:\n      cpu: 500m\n',
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/preset team: kubernetes\.resources\.requests\.cpu: 2 is above the limit 500m/);
  });
});
