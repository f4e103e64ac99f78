// ContainerSpec -> deploy/kubernetes/: a Kustomize base (`kubectl apply -k deploy/kubernetes`) that
// carries the hardening of compose.yaml to a cluster under the restricted Pod Security Standard.
// One file per object kind, each built as typed data and emitted with the `yaml` Document API;
// deploy/kubernetes/README.md explains them (templates/kubernetes/README.md.ejs).
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { ContainerSpec, GeneratedFile } from '../../core/types.js';
import { SERVICE_DEFS } from '../../spec/services.js';
import { renderTemplate } from '../templates.js';
import { claims, deployment, disruptionBudget, namespace, networkPolicies, service, serviceAccount } from './app.js';
import { backingManifests } from './backing.js';
import { header, labels, type KubeRun } from './common.js';
import {
  ESO_API,
  externalSecretManifests,
  generatedSecrets,
  secretsFolder,
  AWS_ACCOUNT_PLACEHOLDER,
} from './secrets.js';
import { commentedOut, emitManifests, Notes, type Manifest } from './yaml.js';

/** The objects of one file of the base. */
interface BaseFile {
  name: string;
  manifests: Manifest[];
}

function baseFiles(spec: KubeRun): BaseFile[] {
  const files: BaseFile[] = [
    { name: 'namespace.yaml', manifests: [namespace(spec)] },
    {
      name: 'serviceaccount.yaml',
      manifests: [
        serviceAccount(
          spec.name,
          labels(spec, 'app'),
          'P5: the app has its own identity, and no API token is ever mounted for it',
        ),
      ],
    },
    { name: 'deployment.yaml', manifests: [deployment(spec)] },
    { name: 'service.yaml', manifests: [service(spec)] },
    { name: 'poddisruptionbudget.yaml', manifests: [disruptionBudget(spec)] },
    { name: 'networkpolicy.yaml', manifests: networkPolicies(spec) },
  ];
  const pvcs = claims(spec);
  if (pvcs.length > 0) files.push({ name: 'persistentvolumeclaim.yaml', manifests: pvcs });
  for (const b of spec.kubernetes.backing) files.push({ name: `${b.id}.yaml`, manifests: backingManifests(spec, b) });
  const es = externalSecretManifests(spec);
  if (es.length > 0) files.push({ name: 'external-secrets.yaml', manifests: es });
  return files;
}

function kustomization(spec: KubeRun, resources: string[]): Manifest {
  const k = spec.kubernetes;
  const pushed = k.image.newName ?? `registry.example.com/${k.image.name}`;
  const n = new Notes()
    .add(['namespace'], 'every object goes to this namespace (an overlay can set another one)')
    .add(
      ['images'],
      k.image.newName
        ? `P7: the image the Deployment runs, from the registry the team preset names. "${k.image.tag}" is a placeholder:\n CI sets the pushed image by its git SHA, or pins its digest:\n   kustomize edit set image ${k.image.name}=${pushed}:$(git rev-parse HEAD)\n   kustomize edit set image ${k.image.name}=${pushed}@sha256:<digest>`
        : `P7: the image the Deployment runs. "${k.image.tag}" is what \`docker compose build\` tags (a local cluster:\n kind load docker-image ${k.image.name}:${k.image.tag}); CI sets the pushed image by its git SHA, or pins its digest:\n   kustomize edit set image ${k.image.name}=${pushed}:$(git rev-parse HEAD)\n   kustomize edit set image ${k.image.name}=${pushed}@sha256:<digest>`,
    );
  const gen = generatedSecrets(spec);
  const obj: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: k.namespace,
    resources,
    images: [{ name: k.image.name, ...(k.image.newName ? { newName: k.image.newName } : {}), newTag: k.image.tag }],
  };
  if (gen.length > 0) {
    obj.secretGenerator = gen.map((g) => ({ name: g.name, type: 'Opaque', files: g.files }));
    n.add(
      ['secretGenerator'],
      'P4: Secrets made from the local files in secrets/ (git-ignored, see secrets/README.md); no value here.\n The name gets a hash of the content: a changed value rolls the pods that mount it',
    );
  }
  return {
    obj,
    notes: n.list,
    trailer: ' Optional, not applied: ingress.yaml (uncomment it, then add it to resources)',
  };
}

function ingressStub(spec: KubeRun): string {
  const k = spec.kubernetes;
  const manifest: IIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: spec.name, labels: labels(spec, 'app') },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [`${spec.name}.example.com`], secretName: `${spec.name}-tls` }],
      rules: [
        {
          host: `${spec.name}.example.com`,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: spec.name, port: { name: 'http' } } } },
            ],
          },
        },
      ],
    },
  };
  return commentedOut(
    header(spec, `${k.dir}/ingress.yaml`),
    [
      ' Optional: expose the app outside the cluster (P9: nothing is exposed until you choose to).',
      ' Uncomment, set your host, ingress class and TLS secret (e.g. from cert-manager), and add',
      ' `- ingress.yaml` to the resources of kustomization.yaml. The NetworkPolicy already admits',
      ` traffic to port ${spec.port} from the ingress controller. A Gateway API HTTPRoute works the same way.`,
    ].join('\n'),
    manifest,
  );
}

/** Every file of deploy/kubernetes/ (none without --kubernetes). */
export function renderKubernetes(spec: ContainerSpec): GeneratedFile[] {
  if (!spec.kubernetes) return [];
  const run = spec as KubeRun;
  const dir = run.kubernetes.dir;
  const files = baseFiles(run);
  const out: GeneratedFile[] = files.map((f) => ({
    path: `${dir}/${f.name}`,
    contents: emitManifests(header(run, `${dir}/${f.name}`), f.manifests),
  }));
  out.push({
    path: `${dir}/kustomization.yaml`,
    contents: emitManifests(header(run, `${dir}/kustomization.yaml`), [
      kustomization(
        run,
        files.map((f) => f.name),
      ),
    ]),
  });
  out.push({ path: `${dir}/ingress.yaml`, contents: ingressStub(run) });
  out.push({
    path: `${dir}/README.md`,
    contents: renderKubernetesReadme(
      run,
      files.map((f) => f.name),
    ),
  });
  out.push(...secretsFolder(run));
  return out;
}

function renderKubernetesReadme(spec: KubeRun, files: string[]): string {
  const k = spec.kubernetes;
  return renderTemplate('kubernetes/README.md.ejs', {
    spec,
    k,
    files,
    generated: generatedSecrets(spec),
    esoApi: ESO_API,
    awsAccount: AWS_ACCOUNT_PLACEHOLDER,
    fetched: spec.secretsPlan.fetched.filter((r) => k.appSecret?.keys.includes(r.name)),
    hostVars: k.backing.map((b) => Object.keys(SERVICE_DEFS[b.id].appEnv)[0]),
  });
}
