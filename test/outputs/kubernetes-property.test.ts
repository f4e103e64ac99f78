// Property test over the answer space (fast-check): with --kubernetes, every valid combination of
// answers yields manifests that validate against the Kubernetes (and External Secrets Operator)
// schemas, meet the restricted Pod Security Standard, audit clean under our own rules (nothing above
// info), agree with the Dockerfile and compose.yaml on the user, port and secret files, and carry
// no secret value; with any valid preset `kubernetes:` section (namespace, registry, replicas,
// resources) too, the replicas staying one when a ReadWriteOnce data volume is mounted.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { resolveAnswers, type RawAnswers } from '../../lib/core/answers/resolve.js';
import type { Runtime } from '../../lib/core/types.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { PROFILES } from '../../lib/runtimes/index.js';
import { kubernetesPresetProblems, quantityValue, type KubernetesPreset } from '../../lib/spec/kubernetes.js';
import { LAYOUTS, STARTS } from '../helpers/answers.js';
import { DIR, manifests, podSpecOf, restrictedViolations, validateObject, type Obj } from './kubernetes-helpers.js';

const RUNS = Number(process.env.FC_RUNS ?? 60);
const RUNTIMES: Runtime[] = Object.keys(LAYOUTS);
const secretName = fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/).filter((s) => !s.startsWith('vault_'));
const dataDir = fc.constantFrom('/data', '/var/lib/app', '/srv/uploads', '/cache');
const cpu = fc.oneof(
  fc.integer({ min: 1, max: 8000 }).map((n) => `${n}m`),
  fc.constantFrom('0.1', '0.5', '1', '1.5', '2', '4'),
);
const memory = fc.oneof(
  fc.integer({ min: 16, max: 16384 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Gi`),
  fc.integer({ min: 64, max: 8000 }).map((n) => `${n}M`),
);
const quantities = fc.record({ cpu, memory }, { requiredKeys: [] });
/** Any preset `kubernetes:` section its own checks accept. */
const preset: fc.Arbitrary<KubernetesPreset> = fc
  .record(
    {
      namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
      registry: fc.constantFrom('registry.example.com', 'registry.example.com:5000/team'),
      replicas: fc.integer({ min: 1, max: 100 }),
      resources: fc.record({ requests: quantities, limits: quantities }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  )
  .filter((p) => kubernetesPresetProblems(p).length === 0);

const valid = fc
  .record({
    runtime: fc.constantFrom(...RUNTIMES),
    name: fc
      .stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)
      .filter((n) => !['postgres', 'redis', 'vault-agent', 'aws-secrets'].includes(n)),
    port: fc.integer({ min: 1024, max: 65535 }),
    dataDirs: fc
      .uniqueArray(dataDir, { maxLength: 2 })
      .filter((ds) => !ds.some((d) => ds.some((o) => o !== d && d.startsWith(o + '/')))),
    uid: fc.option(
      fc.integer({ min: 10000, max: 2_000_000_000 }).filter((n) => n !== 65534),
      { nil: undefined },
    ),
    healthPath: fc.constantFrom('/', '/healthz', '/api/health'),
    registry: fc.constantFrom('', 'mirror.example.com'),
    secrets: fc.uniqueArray(secretName, { maxLength: 3 }),
    provider: fc.constantFrom('file', 'vault', 'aws'),
    services: fc.subarray(['postgres', 'redis']),
  })
  .chain((v) => fc.constantFrom(...PROFILES[v.runtime].flavors).map((flavor) => ({ ...v, flavor })))
  .map((v): RawAnswers => ({
    runtime: v.runtime,
    flavor: v.flavor,
    name: v.name,
    port: v.port,
    start: v.runtime === 'go' ? `/app/${v.name}` : STARTS[v.runtime],
    dataDirs: v.dataDirs,
    healthPath: v.healthPath,
    registry: v.registry,
    secrets: v.secrets,
    secretProvider: v.provider,
    services: v.services,
    kubernetes: true,
    ...(v.uid !== undefined ? { uid: v.uid, gid: v.uid } : {}),
    ...(v.provider === 'vault' ? { vaultAddr: 'https://vault.example.com:8200' } : {}),
    ...(v.provider === 'aws' ? { awsRegion: 'eu-west-1' } : {}),
  }));

describe('every valid combination of answers with --kubernetes', () => {
  it('yields schema-valid, restricted, self-audit-clean manifests that agree with the other files', () => {
    fc.assert(
      fc.property(valid, fc.option(preset, { nil: undefined }), (cli, team) => {
        const runtime = cli.runtime as Runtime;
        const { answers } = resolveAnswers({ facts: {}, layout: LAYOUTS[runtime], dirName: 'x', cli });
        const { spec, files, findings } = buildFiles(answers, LAYOUTS[runtime], team ? { kubernetes: team } : {});
        expect(findings.filter((f) => f.file.startsWith(DIR) && f.severity !== 'info')).toEqual([]);
        const objects: Obj[] = manifests(files).flatMap((m) => m.objects);
        for (const o of objects) {
          validateObject(o);
          const pod = podSpecOf(o);
          if (pod) expect(restrictedViolations(pod)).toEqual([]);
        }
        const dep = objects.find((o) => o.kind === 'Deployment') as unknown as {
          spec: {
            replicas: number;
            template: {
              spec: {
                securityContext: { runAsUser: number; runAsGroup: number };
                containers: {
                  ports: { containerPort: number }[];
                  env?: { name: string; value: string }[];
                  resources: { requests: Record<string, string>; limits: Record<string, string> };
                }[];
              };
            };
          };
        };
        const pod = dep.spec.template.spec;
        expect([pod.securityContext.runAsUser, pod.securityContext.runAsGroup]).toEqual([answers.uid, answers.gid]);
        expect(pod.containers[0].ports[0].containerPort).toBe(answers.port);
        const env = new Map((pod.containers[0].env ?? []).map((e) => [e.name, e.value]));
        for (const s of answers.secrets) expect(env.get(`${s.toUpperCase()}_FILE`)).toBe(`/run/secrets/${s}`);
        // one claim per data directory; a secretGenerator never embeds a value; no Secret object at all
        expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toHaveLength(answers.dataDirs.length);
        expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
        expect(objects.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata?.name)).toEqual(answers.services);
        expect(spec.kubernetes?.namespace).toBe(team?.namespace ?? answers.name);
        // replicas: the preset's (default 2) for a stateless app, one with a ReadWriteOnce data volume
        expect(dep.spec.replicas).toBe(answers.dataDirs.length > 0 ? 1 : (team?.replicas ?? 2));
        // every request within its limit (the API server refuses a pod otherwise), the preset's values kept
        const res = pod.containers[0].resources;
        for (const r of ['cpu', 'memory'])
          expect(quantityValue(res.requests[r])).toBeLessThanOrEqual(quantityValue(res.limits[r]));
        for (const part of ['requests', 'limits'] as const)
          for (const r of ['cpu', 'memory'] as const) {
            const want = team?.resources?.[part]?.[r];
            if (want !== undefined && !(part === 'limits' && team?.resources?.requests?.[r] !== undefined))
              expect(res[part][r]).toBe(want);
          }
      }),
      { numRuns: RUNS },
    );
  });
});
