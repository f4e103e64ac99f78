// Where every secret comes from and where every container finds it. One derived model, read by
// compose.yaml, the provider files and README.Docker.md so they cannot disagree.
// The contract for the app never changes (P4): the secret is a file, `<NAME>_FILE` holds its path.
import type { ContainerSpec, SecretProvider } from '../core/types.js';
import { SERVICE_DEFS, SIDECARS, VAULT_APPROLE_SECRETS } from './services.js';

export type Delivery = 'file' | 'vault' | 'aws';

/** A container that reads a secret file (README.Docker.md tells the user to make it readable). */
export interface Reader {
  service: string;
  uid: number;
}

export interface SecretRoute {
  /** lowercase [a-z0-9_] name: compose secret name, file name, template name */
  name: string;
  /** `<NAME>_FILE` */
  envVar: string;
  /** path the app reads (undefined when the app does not read it, e.g. the AppRole credentials) */
  appPath?: string;
  via: Delivery;
  /** `./secrets/<name>` for compose file secrets */
  hostFile?: string;
  /** Vault: path relative to the KV v2 mount; AWS: secret id or ARN */
  source?: string;
  /** Vault: key inside the KV v2 secret's data */
  key?: string;
  readers: Reader[];
}

/** A route the app reads (at appPath). */
export type AppRoute = SecretRoute & { appPath: string };
/** A top-level compose file secret (from hostFile). */
export type FileRoute = SecretRoute & { hostFile: string };
/** A secret the provider sidecar fetches (from source). */
export type FetchedRoute = SecretRoute & { source: string };

export interface BuildSecretRoute {
  /** BuildKit secret id (`RUN --mount=type=secret,id=<name>`) */
  name: string;
  /** top-level compose secret name (`build-<name>`: a hyphen never collides with a runtime name) */
  composeName: string;
  /** host environment variable the value is read from at build time */
  hostEnv: string;
}

export interface SecretsPlan {
  provider: SecretProvider;
  /** every secret the app reads, in a stable order */
  app: AppRoute[];
  /** top-level compose `secrets:` with `file:` sources */
  files: FileRoute[];
  /** secrets a provider sidecar writes into the shared in-memory volume */
  fetched: FetchedRoute[];
  build: BuildSecretRoute[];
  /** the sidecar that fetches (vault-agent / aws-secrets), when there is one */
  sidecar?: string;
  /** shared in-memory volume mounted read-only in the app at /run/secrets */
  sharedVolume?: string;
  /** directory of the app's compose file secrets: /run/secrets, or /run/local-secrets when the provider volume owns /run/secrets */
  localDir: string;
}

export const SECRETS_DIR = '/run/secrets';
export const LOCAL_SECRETS_DIR = '/run/local-secrets';
export const SHARED_SECRETS_VOLUME = 'run-secrets';
/** Where the Vault agent sees the shared volume (its own /run/secrets holds the AppRole files). */
export const VAULT_RENDER_DIR = '/vault/secrets';

export const envVarOf = (name: string): string => `${name.toUpperCase()}_FILE`;

/** `path#key` -> [path, key]; a plain path uses the key `value`. */
export function splitVaultPath(p: string): { path: string; key: string } {
  const i = p.lastIndexOf('#');
  if (i < 0) return { path: p.replace(/^\/+|\/+$/g, ''), key: 'value' };
  return { path: p.slice(0, i).replace(/^\/+|\/+$/g, ''), key: p.slice(i + 1) || 'value' };
}

export function secretsPlan(spec: Omit<ContainerSpec, 'secretsPlan'>): SecretsPlan {
  const provider = spec.secretProvider;
  const appReader: Reader = { service: spec.name, uid: spec.user.uid };
  const servicePasswords = new Map<string, Reader>();
  for (const s of spec.services) {
    const def = SERVICE_DEFS[s];
    servicePasswords.set(def.passwordSecret, { service: def.id, uid: def.user.uid });
  }

  const fetchedVia: Delivery = provider;
  const hasFetcher = provider !== 'file' && spec.secrets.some((s) => !servicePasswords.has(s.name));
  const localDir = hasFetcher ? LOCAL_SECRETS_DIR : SECRETS_DIR;

  const app: AppRoute[] = [];
  const fetched: FetchedRoute[] = [];
  const files: FileRoute[] = [];

  for (const s of spec.secrets) {
    if (servicePasswords.has(s.name)) continue; // merged into the service password below
    if (provider === 'file') {
      const r: AppRoute & FileRoute = {
        name: s.name,
        envVar: s.envVar,
        appPath: `${SECRETS_DIR}/${s.name}`,
        via: 'file',
        hostFile: `./secrets/${s.name}`,
        readers: [appReader],
      };
      app.push(r);
      files.push(r);
    } else if (provider === 'vault') {
      // a secret the answers give no path for: the default path
      const raw = s.source ?? `${spec.name}/${s.name}`;
      const { path, key } = splitVaultPath(raw);
      const r: AppRoute & FetchedRoute = {
        name: s.name,
        envVar: s.envVar,
        appPath: `${SECRETS_DIR}/${s.name}`,
        via: fetchedVia,
        source: path,
        key,
        readers: [appReader],
      };
      app.push(r);
      fetched.push(r);
    } else {
      const id = s.source ?? `${spec.name}/${s.name}`;
      const r: AppRoute & FetchedRoute = {
        name: s.name,
        envVar: s.envVar,
        appPath: `${SECRETS_DIR}/${s.name}`,
        via: fetchedVia,
        source: id,
        readers: [appReader],
      };
      app.push(r);
      fetched.push(r);
    }
  }

  // Backing-service passwords: the database lives in this compose project, so its password is a
  // local file secret read by both the service and the app, whatever the provider.
  for (const [name, reader] of servicePasswords) {
    const r: AppRoute & FileRoute = {
      name,
      envVar: envVarOf(name),
      appPath: `${localDir}/${name}`,
      via: 'file',
      hostFile: `./secrets/${name}`,
      readers: [reader, appReader],
    };
    app.push(r);
    files.push(r);
  }

  let sidecar: string | undefined;
  if (hasFetcher && provider === 'vault') {
    sidecar = SIDECARS.vault.service;
    for (const name of VAULT_APPROLE_SECRETS) {
      files.push({
        name,
        envVar: envVarOf(name),
        via: 'file',
        hostFile: `./secrets/${name}`,
        readers: [{ service: sidecar, uid: spec.user.uid }],
      });
    }
  } else if (hasFetcher && provider === 'aws') {
    sidecar = SIDECARS.aws.service;
  }

  const build = spec.buildSecrets.map((b) => ({
    name: b.name,
    composeName: `build-${b.name}`,
    hostEnv: b.name.toUpperCase(),
  }));

  return {
    provider,
    app,
    files,
    fetched,
    build,
    ...(sidecar ? { sidecar, sharedVolume: SHARED_SECRETS_VOLUME } : {}),
    localDir,
  };
}
