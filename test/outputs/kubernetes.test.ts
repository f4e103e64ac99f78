// --kubernetes: deploy/kubernetes/ as a Kustomize base. Every generated object is validated against
// the Kubernetes OpenAPI schema of a current release (kubernetes-models, and the External Secrets
// Operator's CRD schemas from @kubernetes-models/external-secrets), checked against the restricted
// Pod Security Standard by an independent implementation of its controls (below, not our audit
// rules), audited clean by our own rules, and rendered by `kubectl kustomize` where kubectl exists.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Answers, BackingService, Runtime, SecretProvider } from '../../lib/core/types.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { renderFiles } from '../../lib/outputs/index.js';
import { buildSpec } from '../../lib/spec/build.js';
import { toMillicores, toQuantity } from '../../lib/spec/kubernetes.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';
import {
  DIR,
  manifests,
  objectsOf,
  podSpecOf,
  restrictedViolations,
  validateObject,
  type Container,
  type Obj,
  type PodSpec,
} from './kubernetes-helpers.js';

// ---------------------------------------------------------------- the answer space
interface Case {
  runtime: Runtime;
  provider: SecretProvider;
  services: BackingService[];
  dataDirs: string[];
  secrets: string[];
  healthPath?: string;
  flavor?: string;
}

function answers(c: Case): Answers {
  // resolve's `cli` is keyed by answer key
  const byKey: Record<string, unknown> = {
    kubernetes: true,
    secretProvider: c.provider,
    secrets: c.secrets,
    services: c.services,
    dataDirs: c.dataDirs,
    ...(c.provider === 'vault' ? { vaultAddr: 'https://vault.example.internal:8200' } : {}),
    ...(c.provider === 'aws' ? { awsRegion: 'eu-west-1' } : {}),
    ...(c.healthPath ? { healthPath: c.healthPath } : {}),
    ...(c.flavor ? { flavor: c.flavor } : {}),
  };
  return answersFor(c.runtime, byKey);
}

const CASES: Case[] = [];
for (const runtime of ['node', 'python', 'go'] as Runtime[])
  for (const provider of ['file', 'vault', 'aws'] as SecretProvider[])
    for (const services of [[], ['postgres'], ['postgres', 'redis']] as BackingService[][])
      for (const dataDirs of [[], ['/data']])
        CASES.push({
          runtime,
          provider,
          services,
          dataDirs,
          secrets:
            provider === 'file' && services.length === 0 && dataDirs.length === 0 ? [] : ['db_password', 'api_key'],
          healthPath: runtime === 'go' ? '/' : '/healthz',
        });
const label = (c: Case): string =>
  `${c.runtime} ${c.provider} [${c.services.join(',')}] [${c.dataDirs.join(',')}] secrets=${c.secrets.length} health=${c.healthPath ?? ''}`;

describe('Kubernetes manifests (--kubernetes)', () => {
  let validated = 0;
  it.each(CASES.map((c) => [label(c), c] as const))('%s: schema-valid, restricted, self-audit clean', (_l, c) => {
    const a = answers(c);
    const { spec, files, findings } = buildFiles(a, LAYOUTS[c.runtime]);
    expect(spec.kubernetes).toBeDefined();
    // our own rules: nothing above info (the digest pin is info)
    expect(findings.filter((f) => f.file.startsWith(DIR) && f.severity !== 'info')).toEqual([]);
    const all = manifests(files);
    for (const { file, objects } of all)
      for (const o of objects) {
        try {
          validateObject(o);
        } catch (e) {
          throw new Error(`${file}: ${o.kind} ${o.metadata?.name ?? ''}: ${(e as Error).message}`, { cause: e });
        }
        validated++;
        const pod = podSpecOf(o);
        if (pod) expect([file, o.kind, restrictedViolations(pod)]).toEqual([file, o.kind, []]);
      }
  });
  it('validated every object', () => {
    expect(validated).toBeGreaterThan(CASES.length * 8);
  });
});

describe('what the manifests say', () => {
  const files = (c: Case): Map<string, Obj[]> => {
    const spec = buildSpec(answers(c), LAYOUTS[c.runtime]);
    return new Map(
      renderFiles(spec)
        .filter((f) => f.path.startsWith(DIR) && f.path.endsWith('.yaml'))
        .map((f) => [f.path.slice(DIR.length + 1), objectsOf(f.contents)]),
    );
  };
  const deploymentOf = (m: Map<string, Obj[]>) =>
    m.get('deployment.yaml')?.[0] as unknown as {
      spec: {
        replicas: number;
        strategy: { rollingUpdate: { maxUnavailable: number } };
        template: { spec: PodSpec & { automountServiceAccountToken: boolean; serviceAccountName: string } };
      };
    };

  it('runs the app as the image USER, with fsGroup, read-only root, probes from the health route', () => {
    const c: Case = {
      runtime: 'node',
      provider: 'file',
      services: [],
      dataDirs: [],
      secrets: ['db_password'],
      healthPath: '/healthz',
    };
    const spec = buildSpec(answers(c), LAYOUTS.node);
    const m = files(c);
    const d = deploymentOf(m);
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: spec.user.uid,
      runAsGroup: spec.user.gid,
      fsGroup: spec.user.gid,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(spec.name);
    const ctr = pod.containers[0] as Container & Record<string, unknown>;
    expect(ctr.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(ctr.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(ctr.readinessProbe).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(ctr.startupProbe).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(ctr.image).toBe(`${spec.name}:local`);
    expect(ctr.resources).toEqual({
      requests: { cpu: '250m', memory: toQuantity(spec.limits.memory) },
      limits: { cpu: toMillicores(spec.limits.cpus), memory: toQuantity(spec.limits.memory) },
    });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    // secrets: a file and its <NAME>_FILE path, as in compose
    expect(ctr.env).toEqual(expect.arrayContaining([{ name: 'DB_PASSWORD_FILE', value: '/run/secrets/db_password' }]));
    expect(ctr.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'secrets', mountPath: '/run/secrets', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ]),
    );
    const vol = pod.volumes?.find((v) => v.name === 'secrets') as { projected: { defaultMode: number } };
    expect(vol.projected.defaultMode).toBe(0o400);
    // the namespace enforces the restricted profile
    const ns = m.get('namespace.yaml')?.[0] as unknown as { metadata: { labels: Record<string, string> } };
    for (const mode of ['enforce', 'audit', 'warn'])
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
  });

  it('uses the image HEALTHCHECK argv as an exec probe when there is no health route', () => {
    const c: Case = { runtime: 'go', provider: 'file', services: [], dataDirs: [], secrets: [], healthPath: '/' };
    const spec = buildSpec(answers(c), LAYOUTS.go);
    const ctr = deploymentOf(files(c)).spec.template.spec.containers[0] as unknown as Record<
      string,
      { exec?: { command: string[] } }
    >;
    expect(ctr.livenessProbe.exec?.command).toEqual(spec.healthcheck.test);
  });

  it('gives each data directory a ReadWriteOnce claim and keeps one replica', () => {
    const c: Case = { runtime: 'python', provider: 'file', services: [], dataDirs: ['/data', '/uploads'], secrets: [] };
    const m = files(c);
    const pvcs = m.get('persistentvolumeclaim.yaml') as unknown as { spec: { accessModes: string[] } }[];
    expect(pvcs).toHaveLength(2);
    for (const p of pvcs) expect(p.spec.accessModes).toEqual(['ReadWriteOnce']);
    const d = deploymentOf(m);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('denies all traffic but the app port, DNS and the backing services', () => {
    const c: Case = { runtime: 'node', provider: 'file', services: ['postgres'], dataDirs: [], secrets: [] };
    const pols = files(c).get('networkpolicy.yaml') as unknown as {
      metadata: { name: string };
      spec: {
        podSelector: object;
        policyTypes: string[];
        ingress?: unknown[];
        egress?: { ports: { port: number }[] }[];
      };
    }[];
    expect(pols[0]).toMatchObject({
      metadata: { name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(pols[0].spec.ingress).toBeUndefined();
    const app = pols[1];
    expect(app.spec.egress?.map((e) => e.ports.map((p) => p.port))).toEqual([[53, 53], [5432]]);
    const pg = pols.find((p) => p.metadata.name === 'postgres');
    expect(pg?.spec.egress).toBeUndefined();
  });

  it('never writes a secret value: file secrets come from a secretGenerator, Vault/AWS from External Secrets', () => {
    for (const provider of ['file', 'vault', 'aws'] as SecretProvider[]) {
      const c: Case = { runtime: 'node', provider, services: ['postgres'], dataDirs: [], secrets: ['db_password'] };
      const m = files(c);
      for (const objs of m.values()) expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
      const es = m.get('external-secrets.yaml');
      if (provider === 'file') expect(es).toBeUndefined();
      else expect(es?.map((o) => o.kind)).toEqual(['ServiceAccount', 'SecretStore', 'ExternalSecret']);
    }
  });

  it('writes nothing for Kubernetes without --kubernetes', () => {
    const a = answersFor('node', {});
    const spec = buildSpec(a, LAYOUTS.node);
    expect(spec.kubernetes).toBeUndefined();
    expect(renderFiles(spec).filter((f) => f.path.startsWith('deploy/kubernetes'))).toEqual([]);
  });

  it('the Ingress stub is a valid Ingress once uncommented', () => {
    const spec = buildSpec(
      answers({ runtime: 'node', provider: 'file', services: [], dataDirs: [], secrets: [] }),
      LAYOUTS.node,
    );
    const stub = renderFiles(spec).find((f) => f.path === `${DIR}/ingress.yaml`);
    expect(objectsOf(stub?.contents ?? 'x')).toEqual([]);
    const lines = (stub?.contents ?? '').split('\n');
    const start = lines.indexOf('# apiVersion: networking.k8s.io/v1');
    const body = lines.slice(start).map((l) => l.replace(/^# ?/, ''));
    const ingress = objectsOf(body.join('\n'))[0];
    expect(ingress.kind).toBe('Ingress');
    validateObject(ingress);
  });
});

describe('the restricted-profile check of these tests', () => {
  it('finds what the standard forbids', () => {
    const bad: PodSpec = {
      hostPID: true,
      securityContext: { sysctls: [{ name: 'net.core.somaxconn' }] },
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
      containers: [
        {
          name: 'c',
          securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
          ports: [{ hostPort: 80 }],
        },
      ],
    };
    expect(restrictedViolations(bad)).toEqual([
      'hostPID',
      'volume type hostPath',
      'sysctl net.core.somaxconn',
      'container c: privileged',
      'container c: allowPrivilegeEscalation',
      'container c: runAsNonRoot',
      'container c: seccomp undefined',
      'container c: capabilities not dropped',
      'container c: adds SYS_ADMIN',
      'container c: hostPort',
    ]);
  });
});

describe('units', () => {
  it('converts compose limits to Kubernetes quantities', () => {
    expect(toQuantity('512m')).toBe('512Mi');
    expect(toQuantity('1g')).toBe('1Gi');
    expect(toQuantity('256M')).toBe('256Mi');
    expect(toMillicores('1.0')).toBe('1000m');
    expect(toMillicores(0.5)).toBe('500m');
  });
});

// ---------------------------------------------------------------- kubectl kustomize
function kubectl(): string | null {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return 'kubectl';
  } catch {
    return null;
  }
}
const KUBECTL = kubectl();
const withKubectl = KUBECTL ? it : it.skip;

describe('--pin-digests', () => {
  it('backing-service StatefulSets use the digests compose pins (the same references)', () => {
    const c: Case = { runtime: 'python', provider: 'file', services: ['postgres', 'redis'], dataDirs: [], secrets: [] };
    const plain = buildSpec(answers(c), LAYOUTS.python);
    const refs = (plain.kubernetes?.backing ?? []).map((b) => b.image);
    expect(refs.length).toBe(2);
    const digests = Object.fromEntries(refs.map((r, i) => [r, `sha256:${String(i + 1).repeat(64)}`]));
    const spec = buildSpec({ ...answers(c), pinDigests: true }, LAYOUTS.python, { digests });
    const files = renderFiles(spec);
    for (const r of refs) {
      const sts = files.find((f) => f.path.startsWith(DIR) && f.contents.includes(`image: ${r}@sha256:`));
      expect({ ref: r, pinned: sts !== undefined }).toEqual({ ref: r, pinned: true });
      const compose = files.find((f) => f.path === 'compose.yaml')?.contents ?? '';
      expect(compose).toContain(`${r}@${digests[r]}`);
    }
  });
});

describe('kubectl kustomize renders the base', () => {
  withKubectl.each([
    ['file', ['postgres', 'redis'], ['/data']],
    ['vault', ['postgres'], []],
    ['aws', [], ['/data']],
  ] as [SecretProvider, BackingService[], string[]][])('%s %j %j', (provider, services, dataDirs) => {
    const c: Case = { runtime: 'python', provider, services, dataDirs, secrets: ['db_password'] };
    const spec = buildSpec(answers(c), LAYOUTS.python);
    const tmp = mkdtempSync(join(tmpdir(), 'sc-k8s-'));
    try {
      for (const f of renderFiles(spec).filter((x) => x.path.startsWith(DIR))) {
        mkdirSync(dirname(join(tmp, f.path)), { recursive: true });
        writeFileSync(join(tmp, f.path), f.contents);
      }
      // the local secret files the secretGenerator reads (never part of the output)
      mkdirSync(join(tmp, DIR, 'secrets'), { recursive: true });
      for (const name of ['db_password', 'postgres_password', 'redis_password'])
        writeFileSync(join(tmp, DIR, 'secrets', name), 'not-a-real-secret');
      const out = execFileSync(KUBECTL as string, ['kustomize', join(tmp, DIR)], { encoding: 'utf8' });
      const objs = objectsOf(out);
      for (const o of objs) validateObject(o);
      // every object in the namespace, the image tag from images:, the generated Secrets referenced by their hashed names
      const ns = spec.kubernetes?.namespace;
      for (const o of objs.filter((x) => x.kind !== 'Namespace'))
        expect([o.kind, (o.metadata as { namespace?: string }).namespace]).toEqual([o.kind, ns]);
      const secrets = objs.filter((o) => o.kind === 'Secret').map((o) => o.metadata?.name ?? '');
      const dep = objs.find((o) => o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: PodSpec } };
      };
      const vols = (dep.spec.template.spec.volumes ?? []) as {
        name: string;
        projected?: { sources: { secret: { name: string } }[] };
      }[];
      const refs = vols.find((v) => v.name === 'secrets')?.projected?.sources.map((x) => x.secret.name);
      for (const r of refs ?? []) {
        if (provider !== 'file' && r === `${spec.name}-secrets`) continue; // filled by the operator
        expect(secrets).toContain(r);
        expect(r).toMatch(/-[a-z0-9]{10}$/);
      }
      expect(restrictedViolations(dep.spec.template.spec)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
