// How secrets reach the cluster, for each provider; the app always reads files (/run/secrets/<name>,
// `<NAME>_FILE`), as with compose.
// - file: a Kustomize secretGenerator over local files in deploy/kubernetes/secrets/ (git-ignored).
// - vault / aws: the External Secrets Operator. One operator for both providers, its objects plain
//   manifests in the base: a SecretStore (Vault: Kubernetes auth; AWS: IRSA) and an ExternalSecret
//   that keeps an ordinary Secret in sync, mounted like the file provider's. Chosen over the Vault
//   Agent Injector (Vault only, a mutating webhook that rewrites the pod and adds a root-requiring
//   init container unless configured) and the Secrets Store CSI driver (a privileged DaemonSet on
//   every node, and a volume type the restricted profile allows only as `csi`): with the operator
//   the app's pod stays exactly the same for every provider and passes the restricted profile.
// Backing-service passwords stay local files whatever the provider (as in compose.yaml): the
// database lives in this namespace and its password never leaves it.
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { ISecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore';
import type { GeneratedFile } from '../../core/types.js';
import { KUBERNETES_SECRETS_DIR } from '../../spec/kubernetes.js';
import { serviceAccount } from './app.js';
import { labels, type KubeRun } from './common.js';
import { Notes, type Manifest } from './yaml.js';

/** External Secrets Operator API (v1: operator 0.17 and later). */
export const ESO_API = 'external-secrets.io/v1';

/** The placeholder of the AWS account id in the IRSA role ARN (README says to replace it). */
export const AWS_ACCOUNT_PLACEHOLDER = '111122223333';

/** Every Secret a secretGenerator makes, with its local files (relative to the base). */
export function generatedSecrets(spec: KubeRun): { name: string; files: string[] }[] {
  const k = spec.kubernetes;
  const out: { name: string; files: string[] }[] = [];
  if (k.appSecret?.via === 'generator')
    out.push({ name: k.appSecret.name, files: k.appSecret.keys.map((n) => `secrets/${n}`) });
  for (const b of k.backing)
    out.push({ name: b.passwordSecret.name, files: b.passwordSecret.keys.map((n) => `secrets/${n}`) });
  return out;
}

/** The External Secrets Operator objects (vault / aws providers), or none. */
export function externalSecretManifests(spec: KubeRun): Manifest[] {
  const k = spec.kubernetes;
  const es = k.externalSecrets;
  if (!es || !k.appSecret) return [];
  const lbl = labels(spec, 'app');
  const sa = serviceAccount(
    es.serviceAccount,
    lbl,
    es.provider === 'vault'
      ? 'P4/P5: the identity the operator logs in to Vault with (Kubernetes auth, a short-lived token it\n requests for this account); no pod runs as it, none mounts its token'
      : 'P4/P5: the identity the operator assumes the IAM role with (IRSA); no pod runs as it, none mounts its token',
  );
  if (es.provider === 'aws') {
    (sa.obj as { metadata: { annotations?: Record<string, string> } }).metadata.annotations = {
      'eks.amazonaws.com/role-arn': `arn:aws:iam::${AWS_ACCOUNT_PLACEHOLDER}:role/${es.serviceAccount}`,
    };
    sa.notes.push({
      path: ['metadata', 'annotations'],
      before: ` the IAM role the operator assumes: replace ${AWS_ACCOUNT_PLACEHOLDER} with your account id (README.md: its policy)`,
    });
  }

  const sn = new Notes();
  const store: ISecretStore = {
    apiVersion: ESO_API,
    kind: 'SecretStore',
    metadata: { name: es.store, labels: lbl },
    spec: {
      provider:
        es.provider === 'vault'
          ? {
              vault: {
                server: spec.vault.addr,
                path: spec.vault.mount,
                version: 'v2',
                auth: {
                  kubernetes: {
                    mountPath: 'kubernetes',
                    role: spec.name,
                    serviceAccountRef: { name: es.serviceAccount },
                  },
                },
              },
            }
          : {
              aws: {
                service: 'SecretsManager',
                region: spec.aws.region,
                auth: { jwt: { serviceAccountRef: { name: es.serviceAccount } } },
              },
            },
    },
  };
  sn.add(
    ['spec', 'provider'],
    es.provider === 'vault'
      ? `P4: Vault KV v2 at mount "${spec.vault.mount}", read with the Vault role "${spec.name}" (README.md: its policy and role)`
      : `P4: AWS Secrets Manager in ${spec.aws.region}, read with the role of the ServiceAccount above`,
  );

  const plan = spec.secretsPlan;
  const data = plan.fetched
    .filter((r) => k.appSecret?.keys.includes(r.name))
    .map((r) => ({
      secretKey: r.name,
      remoteRef: es.provider === 'vault' ? { key: r.source, property: r.key ?? 'value' } : { key: r.source },
    }));
  const ext: IExternalSecret = {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: k.appSecret.name, labels: lbl },
    spec: {
      refreshInterval: es.refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: es.store },
      target: { name: k.appSecret.name, creationPolicy: 'Owner' },
      data,
    },
  };
  const en = new Notes()
    .add(
      ['spec', 'refreshInterval'],
      'P4: re-read every hour; a rotated value reaches the mounted files within a minute or two, no restart',
    )
    .add(['spec', 'target'], `the Secret the Deployment mounts as files under /run/secrets (no value in any manifest)`);
  return [sa, { obj: store, notes: sn.list }, { obj: ext, notes: en.list }];
}

/** deploy/kubernetes/secrets/: the git-ignore and the instructions, when a secretGenerator reads files there. */
export function secretsFolder(spec: KubeRun): GeneratedFile[] {
  const gen = generatedSecrets(spec);
  if (gen.length === 0) return [];
  const files = gen.flatMap((g) => g.files.map((f) => f.replace(/^secrets\//, '')));
  const gitignore = [
    `# ${KUBERNETES_SECRETS_DIR}/.gitignore, generated by ${spec.generator.name} ${spec.generator.version}.`,
    '# P4: the secret values the secretGenerator of ../kustomization.yaml reads: never committed.',
    '*',
    '!.gitignore',
    '!README.md',
    '',
  ].join('\n');
  const readme = [
    `# ${KUBERNETES_SECRETS_DIR}/`,
    '',
    `Generated by ${spec.generator.name} ${spec.generator.version}. One file per secret, holding only the value`,
    '(no trailing newline). `kubectl apply -k deploy/kubernetes` turns them into Secrets (the',
    "`secretGenerator` of `kustomization.yaml`); the files stay here, ignored by git and by the image's",
    'build context. Never commit them.',
    '',
    '| file | read by |',
    '|---|---|',
    ...gen.flatMap((g) =>
      g.files.map(
        (f) =>
          `| \`${f.replace(/^secrets\//, '')}\` | ${g.name === spec.kubernetes.appSecret?.name ? spec.name : `${g.name.replace(/-password$/, '')} and ${spec.name}`} |`,
      ),
    ),
    '',
    'Create them (the same values as `secrets/` for compose, or new ones for the cluster):',
    '',
    '```sh',
    `mkdir -p ${KUBERNETES_SECRETS_DIR}`,
    ...files.map((f) => `printf '%s' "$(openssl rand -base64 32)" > ${KUBERNETES_SECRETS_DIR}/${f}`),
    '```',
    '',
    'Rotate: write the new value and apply again. The Secret gets a new name (a hash of its content),',
    'so the pods that mount it roll over to the new value.',
    '',
  ].join('\n');
  return [
    { path: `${KUBERNETES_SECRETS_DIR}/.gitignore`, contents: gitignore },
    { path: `${KUBERNETES_SECRETS_DIR}/README.md`, contents: readme },
  ];
}
