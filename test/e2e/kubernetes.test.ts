// The Kubernetes base really runs (issue 15, "Proof"): generate with --kubernetes, build the image
// with podman, render the base with `kubectl kustomize` (through an overlay that points `images:`
// at the local image, as CI points it at the pushed one), and run the rendered Deployment with
// `podman kube play`. Then assert from outside (podman inspect) and from inside (the runtime's own
// binary: distroless has no shell) that the process runs as the numeric UID, the root filesystem is
// read-only, no capability is left, no_new_privs is set, the data volume is writable, the secret
// file is readable and the health route answers.
//
// Podman 4.3 (Debian bookworm) plays a subset of Kubernetes; what it does not honour is checked by
// the schema, the restricted-profile check and the audit only (docs/kubernetes.md says which). The
// documents are adapted for it in forPodman() below, each change with its reason.
// E2E_APPS=kubernetes runs only this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import * as h from './harness.js';

const selected = (process.env.E2E_APPS ?? '').split(',').filter(Boolean);
const enabled = selected.length === 0 || selected.includes('kubernetes');

interface Case {
  id: string;
  /** the sample app copied into the run folder */
  source: string;
  /** --name: unique in the shared podman store */
  name: string;
  port: number;
  flags: string[];
  /** the runtime binary inside the image (no shell in distroless) */
  node: string;
  dataDir?: string;
  secret?: string;
}

const CASES: Case[] = [
  {
    id: 'the bundled example',
    source: path.join(h.REPO, 'examples', 'node-app'),
    name: 'e2e-k8s-example',
    port: 3000,
    flags: [],
    node: '/nodejs/bin/node',
  },
  {
    id: 'a node app with a data directory and a file secret',
    source: path.join(h.APPS_DIR, 'node'),
    name: 'e2e-k8s-node',
    port: 8080,
    flags: ['--data-dir', '/data', '--secret', 'api_key'],
    node: '/nodejs/bin/node',
    dataDir: '/data',
    secret: 'api_key',
  },
];

type Obj = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests and podman inspect output are open-ended JSON; tests pick fields
type Any = any;

const runs = new Map<string, { dir: string; play: string; volumes: string[]; secrets: string[]; image: string }>();

function podmanVersion(): [number, number] {
  const m = /(\d+)\.(\d+)/.exec(h.must('podman', ['--version']).stdout);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** `kubectl kustomize` of an overlay over the generated base that sets the image to the local build. */
function render(dir: string, c: Case, image: string): Obj[] {
  const overlay = path.join(dir, '.e2e-overlay');
  fs.mkdirSync(overlay, { recursive: true });
  fs.writeFileSync(
    path.join(overlay, 'kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../deploy/kubernetes'],
      // kube play looks an image up in local storage by its full name: podman builds are localhost/<name>
      images: [{ name: c.name, newName: image.split(':')[0], newTag: image.split(':')[1] }],
    }),
  );
  if (h.run('kubectl', ['version', '--client']).code !== 0)
    throw new Error(
      'e2e: kubectl is missing: install Debian\u2019s kubernetes-client (or any kubectl) to render the Kustomize base',
    );
  const out = h.must('kubectl', ['kustomize', overlay], {}, 'kubectl kustomize failed').stdout;
  return parseAllDocuments(out).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Obj;
  });
}

/**
 * The documents podman 4.3 plays, adapted where it falls short (the cluster gets the rendered set
 * unchanged):
 * - only Deployment, PersistentVolumeClaim and Secret (and ConfigMap) are kinds it knows; the
 *   Namespace, ServiceAccount, Service, PodDisruptionBudget and NetworkPolicies are left out;
 * - it has no `projected` volume: the secrets volume (one Secret here) becomes a `secret` volume;
 * - it dereferences `secret.optional` without a nil check before 4.4 (containers/podman 9a6b701):
 *   set it (false, the Kubernetes default);
 * - it publishes every containerPort on the host, on every address (a missing hostPort defaults to
 *   the containerPort), which a cluster never does: the ports are dropped, and the test reaches the
 *   pod on its own address, as a Service would.
 */
function forPodman(objects: Obj[]): Obj[] {
  const keep = objects.filter((o) => ['Deployment', 'PersistentVolumeClaim', 'Secret'].includes(o.kind));
  for (const o of keep) {
    if (o.kind !== 'Deployment') continue;
    const pod = (o as Any).spec.template.spec;
    for (const ctr of pod.containers) delete ctr.ports;
    for (const v of pod.volumes ?? []) {
      if (!v.projected) continue;
      const sources = v.projected.sources as { secret: { name: string; items: unknown[] } }[];
      if (sources.length !== 1) throw new Error('e2e: podman plays one Secret per volume; this case has several');
      v.secret = {
        secretName: sources[0].secret.name,
        items: sources[0].secret.items,
        defaultMode: v.projected.defaultMode,
        optional: false,
      };
      delete v.projected;
    }
  }
  return keep;
}

function inspect(id: string): Any {
  return (JSON.parse(h.must('podman', ['inspect', id]).stdout) as Any[])[0];
}

/** What the process sees, printed by the runtime itself (no shell, no coreutils in the image). */
function probeInside(container: string, c: Case): Any {
  const script = `
const fs = require('fs');
const out = { uid: process.getuid(), gid: process.getgid() };
for (const l of fs.readFileSync('/proc/self/status', 'utf8').split('\\n')) {
  const m = /^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):\\s*(\\S+)/.exec(l);
  if (m) out[m[1]] = m[2];
}
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
out.root = attempt(() => fs.writeFileSync('/e2e-rootfs-probe', 'x'));
out.tmp = attempt(() => fs.writeFileSync('/tmp/e2e-probe', 'x'));
${c.dataDir ? `out.data = attempt(() => { fs.writeFileSync(${JSON.stringify(`${c.dataDir}/e2e-probe`)}, 'x'); fs.readFileSync(${JSON.stringify(`${c.dataDir}/e2e-probe`)}); });` : ''}
${
  c.secret
    ? `try { const v = fs.readFileSync(process.env[${JSON.stringify(`${c.secret.toUpperCase()}_FILE`)}]); out.secret = require('crypto').createHash('sha256').update(v).digest('hex'); } catch (e) { out.secret = e.code; }`
    : ''
}
require('http').get('http://127.0.0.1:${c.port}/healthz', (r) => { out.health = r.statusCode; r.resume(); r.on('end', () => console.log(JSON.stringify(out))); })
  .on('error', (e) => { out.health = e.message; console.log(JSON.stringify(out)); });
`;
  return JSON.parse(h.must('podman', ['exec', container, c.node, '-e', script]).stdout.trim());
}

async function healthy(container: string, c: Case): Promise<Any> {
  const end = Date.now() + 60_000;
  let last: Any = {};
  while (Date.now() < end) {
    last = probeInside(container, c);
    if (last.health === 200) return last;
    await h.sleep(500);
  }
  throw new Error(
    `the pod never answered /healthz: ${JSON.stringify(last)}\n${h.run('podman', ['logs', container]).stdout}`,
  );
}

/** Every promise of the manifests that podman honours, from outside and from inside one pod. */
async function checkPod(
  id: string,
  c: Case,
  want: { uid: number; gid: number; claims: string[]; value: string },
): Promise<void> {
  const inside = await healthy(id, c);

  // ---------------------------------------------------------------- from outside
  const ctr = inspect(id);
  expect(ctr.Config.User).toBe(`${want.uid}:${want.gid}`);
  expect(ctr.HostConfig.ReadonlyRootfs).toBe(true);
  expect(ctr.HostConfig.Privileged).toBe(false);
  expect(ctr.HostConfig.CapAdd ?? []).toEqual([]);
  expect(ctr.EffectiveCaps ?? []).toEqual([]);
  expect(ctr.HostConfig.SecurityOpt).toContain('no-new-privileges');
  expect(ctr.HostConfig.Memory).toBe(512 * 1024 * 1024); // limits.memory 512Mi
  expect(ctr.HostConfig.PortBindings ?? {}).toEqual({});
  const mounts = new Map((ctr.Mounts as Any[]).map((m) => [m.Destination, m]));
  if (c.dataDir) {
    const m = mounts.get(c.dataDir);
    expect([m?.Type, m?.Name, m?.RW]).toEqual(['volume', want.claims[0], true]);
  }
  if (c.secret) expect(mounts.get('/run/secrets')?.RW).toBe(false);
  // the pod's infra (pause) process is PID 1 (shareProcessNamespace)
  const raw: Any = JSON.parse(h.must('podman', ['pod', 'inspect', ctr.Pod]).stdout);
  const podInfo = Array.isArray(raw) ? raw[0] : raw;
  expect(podInfo.SharedNamespaces).toContain('pid');
  // the health route from the host, on the pod's own address (nothing is published on the host)
  const infra = inspect(podInfo.InfraContainerID);
  const ip = Object.values(infra.NetworkSettings.Networks as Record<string, { IPAddress: string }>)[0]?.IPAddress;
  expect(ip).toBeTruthy();
  expect((await h.httpGet(ip, c.port, '/healthz')).status).toBe(200);

  // ---------------------------------------------------------------- from inside
  expect([inside.uid, inside.gid]).toEqual([want.uid, want.gid]);
  expect(inside.CapEff).toBe('0000000000000000');
  expect(inside.CapPrm).toBe('0000000000000000');
  expect(inside.NoNewPrivs).toBe('1');
  expect(inside.Seccomp).toBe('2'); // a filter: podman's default profile (see docs/kubernetes.md)
  expect(inside.root).toBe('EROFS');
  expect(inside.tmp).toBe('ok');
  if (c.dataDir) expect(inside.data).toBe('ok');
  if (c.secret) {
    // podman before 4.4 writes a Secret's data still base64-encoded (containers/podman#16269)
    const [major, minor] = podmanVersion();
    const expected = major > 4 || (major === 4 && minor >= 4) ? want.value : Buffer.from(want.value).toString('base64');
    expect(inside.secret).toBe(createHash('sha256').update(expected).digest('hex'));
  }
}

function teardown(c: Case): void {
  const r = runs.get(c.name);
  if (!r) return;
  if (fs.existsSync(r.play)) h.run('podman', ['kube', 'down', r.play]);
  // kube down removes the pods; the claims' named volumes, the secret volumes and the podman secrets stay
  if (r.volumes.length) h.run('podman', ['volume', 'rm', ...r.volumes]);
  for (const s of r.secrets) h.run('podman', ['secret', 'rm', s]);
}

beforeAll(() => {
  if (enabled) h.checkTools();
});

afterAll(() => {
  if (!enabled) return;
  for (const c of CASES) {
    teardown(c);
    const r = runs.get(c.name);
    if (!r) continue;
    h.run('podman', ['rmi', '-f', r.image]);
    if (process.env.E2E_KEEP !== '1') fs.rmSync(r.dir, { recursive: true, force: true });
  }
});

(enabled ? describe : describe.skip)('the Kubernetes base runs under podman kube play', () => {
  it.each(CASES.map((c) => [c.id, c] as const))(
    '%s: numeric non-root, read-only root, no capability, no_new_privs, volumes, secret, health',
    async (_id, c) => {
      const base = path.join(h.E2E_ROOT, 'runs');
      fs.mkdirSync(base, { recursive: true });
      const dir = fs.mkdtempSync(path.join(base, `${c.name}-`));
      fs.cpSync(c.source, dir, { recursive: true });
      const image = `localhost/${c.name}:local`;
      const play = path.join(dir, '.e2e-overlay', 'play.yaml');
      const run = { dir, play, image, volumes: [] as string[], secrets: [] as string[] };
      runs.set(c.name, run);

      h.generate(dir, ['--name', c.name, '--kubernetes', ...c.flags]);
      const df = h.readDockerfile(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
      h.ensureImages(df.baseImages, c.id);
      h.build(dir, image, df);
      const [uid, gid] = (df.finalUser ?? '').split(':').map(Number);
      expect(Number.isInteger(uid) && uid > 0).toBe(true);

      const value = h.testSecret();
      if (c.secret) fs.writeFileSync(path.join(dir, 'deploy', 'kubernetes', 'secrets', c.secret), value);

      // ---------------------------------------------------------------- the rendered base
      const objects = render(dir, c, image);
      for (const o of objects)
        if (o.kind !== 'Namespace') expect([o.kind, o.metadata.namespace]).toEqual([o.kind, c.name]);
      const dep = objects.find((o) => o.kind === 'Deployment') as Any;
      const pod = dep.spec.template.spec;
      expect(pod.containers[0].image).toBe(image);
      const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name);
      const secrets = objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
      expect(claims).toHaveLength(c.dataDir ? 1 : 0);
      expect(secrets).toHaveLength(c.secret ? 1 : 0);
      run.volumes.push(...claims, ...secrets);
      run.secrets.push(...secrets);

      // ---------------------------------------------------------------- play it
      teardown(c); // what a run interrupted before its afterAll left (--replace below: its pods)
      fs.writeFileSync(
        play,
        forPodman(objects)
          .map((o) => stringify(o))
          .join('---\n'),
      );
      const played = h.must('podman', ['kube', 'play', '--replace', play], {}, 'podman kube play failed').stdout;
      // one pod per replica (podman honours the count, not the spread): every one is checked
      const ids = [...played.matchAll(/Container:\s*\n\s*([0-9a-f]{12,})/g)].map((m) => m[1]);
      expect(ids).toHaveLength(dep.spec.replicas);
      for (const id of ids) await checkPod(id, c, { uid, gid, claims, value });
    },
    900_000,
  );
});
