// Hand-built ContainerSpecs for the compose / provider / README / helper renderers: independent of
// the spec builder so these tests pin the renderers' own behaviour. Values mirror lib/spec/build.ts.
import { profileFor } from '../../lib/runtimes/index.js';
import { secretsPlan } from '../../lib/spec/secrets.js';
import type { Answers, BackingService, ContainerSpec, Flavor, Runtime, SecretProvider } from '../../lib/core/types.js';

export const RUNTIMES_UNDER_TEST: Runtime[] = ['node', 'python', 'go'];
export const PROVIDERS_UNDER_TEST: SecretProvider[] = ['file', 'vault', 'aws'];
export const SERVICE_SETS: BackingService[][] = [[], ['postgres'], ['redis'], ['postgres', 'redis']];

/** Flavours that fit each runtime (scratch only for static binaries). */
export const FLAVORS_BY_RUNTIME: Record<Runtime, Flavor[]> = {
  node: ['distroless', 'alpine'],
  python: ['distroless', 'alpine'],
  go: ['distroless', 'alpine', 'scratch'],
};

const PROBES: Record<Runtime, (port: number) => string[]> = {
  node: (p) => [
    '/nodejs/bin/node',
    '-e',
    `require('http').get('http://127.0.0.1:${p}/healthz',r=>process.exit(r.statusCode<400?0:1)).on('error',()=>process.exit(1))`,
  ],
  python: (p) => [
    '/usr/bin/python3',
    '-c',
    `import sys,urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:${p}/healthz', timeout=4).status < 400 else 1)`,
  ],
  go: (p) => ['/app/healthcheck', `http://127.0.0.1:${p}/healthz`],
};

const PORTS: Record<Runtime, number> = { node: 3000, python: 8000, go: 8080 };

export interface SpecOverrides extends Partial<Omit<ContainerSpec, 'answers'>> {
  answers?: Partial<Answers>;
}

/**
 * A complete ContainerSpec. Answer-level overrides (runtime, secrets, provider, services, bind…) are
 * propagated to the derived spec fields the same way the spec builder does; spec-level overrides win.
 */
export function makeSpec(overrides: SpecOverrides = {}): ContainerSpec {
  const runtime = overrides.answers?.runtime ?? overrides.runtime ?? 'node';
  const flavor = overrides.answers?.flavor ?? overrides.flavor ?? 'distroless';
  const distrolessUser = flavor === 'distroless' || flavor === 'scratch';
  const port = overrides.answers?.port ?? overrides.port ?? PORTS[runtime];
  const answers: Answers = {
    runtime,
    runtimeVersion: runtime === 'node' ? '22' : runtime === 'python' ? '3.12' : '1.23',
    packageManager: runtime === 'node' ? 'npm' : runtime === 'python' ? 'pip' : 'go',
    name: 'shop-api',
    port,
    start:
      runtime === 'node' ? ['node', 'server.js'] : runtime === 'python' ? ['gunicorn', 'app:app'] : ['/app/server'],
    build: null,
    dataDirs: ['/app/data'],
    flavor,
    uid: distrolessUser ? 65532 : 10001,
    gid: distrolessUser ? 65532 : 10001,
    healthPath: '/healthz',
    buildSecrets: [],
    registry: '',
    secrets: ['db_password', 'api_key'],
    secretProvider: 'file',
    vaultAddr: 'https://vault.example.internal:8200',
    vaultMount: 'secret',
    vaultPaths: {},
    awsRegion: 'eu-west-1',
    awsSecretIds: {},
    services: [],
    bind: '127.0.0.1',
    secretsHelper: false,
    ...overrides.answers,
  };
  const secret = (n: string, source?: string) => ({
    name: n,
    envVar: `${n.toUpperCase()}_FILE`,
    path: `/run/secrets/${n}`,
    ...(source ? { source } : {}),
  });
  const source = (n: string) =>
    answers.secretProvider === 'vault'
      ? answers.vaultPaths[n]
      : answers.secretProvider === 'aws'
        ? answers.awsSecretIds[n]
        : undefined;
  const { answers: _a, ...rest } = overrides;
  const spec: Omit<ContainerSpec, 'secretsPlan'> = {
    generator: { name: 'generator-secure-container', version: '0.1.0', command: 'npx generator-secure-container' },
    layout: { manifests: ['package.json', 'package-lock.json'] },
    runtime,
    runtimeVersion: answers.runtimeVersion,
    flavor,
    registry: answers.registry,
    syntax: answers.registry ? `${answers.registry}/docker.io/docker/dockerfile:1` : 'docker/dockerfile:1',
    name: answers.name,
    image: `${answers.name}:local`,
    imageTag: 'local',
    user: { uid: answers.uid, gid: answers.gid },
    port,
    workdir: '/app',
    images: {
      builder: { ref: 'node:22-bookworm-slim' },
      final: { ref: 'gcr.io/distroless/nodejs22-debian12:nonroot' },
    },
    entrypoint: answers.start,
    healthcheck: {
      test: PROBES[runtime](port),
      path: answers.healthPath,
      interval: '30s',
      timeout: '5s',
      retries: 3,
      startPeriod: '15s',
    },
    dataVolumes: answers.dataDirs.map((d) => ({
      name: `${answers.name}-${d.slice(1).replace(/[^a-z0-9]+/gi, '-')}`,
      target: d,
    })),
    tmpfs: ['/tmp'],
    environment: runtime === 'node' ? { NODE_ENV: 'production', PORT: String(port) } : { PORT: String(port) },
    secrets: answers.secrets.map((n) => secret(n, source(n))),
    buildSecrets: answers.buildSecrets.map((n) => secret(n)),
    secretProvider: answers.secretProvider,
    vault: { addr: answers.vaultAddr, mount: answers.vaultMount },
    aws: { region: answers.awsRegion },
    secretsHelper: answers.secretsHelper ? profileFor(runtime).secretsHelperPath : null,
    labels: [],
    dockerignore: [],
    services: answers.services,
    bind: answers.bind,
    limits: { memory: '512m', pids: 256, cpus: '1.0' },
    restart: { policy: 'on-failure', maxAttempts: 5 },
    dockerfile: {
      builderImage: '',
      finalImage: '',
      manifestFiles: [],
      installProd: '',
      installAll: null,
      build: null,
      artefacts: [],
      env: [],
      emptyStage: 'deps',
      harden: null,
      extra: {},
    },
    ...rest,
  };
  return { ...spec, secretsPlan: secretsPlan(spec), ...(rest.secretsPlan ? { secretsPlan: rest.secretsPlan } : {}) };
}

/** Every runtime × flavour × provider × service set, with a readable label. */
export function matrix(): { label: string; spec: ContainerSpec }[] {
  const out: { label: string; spec: ContainerSpec }[] = [];
  for (const runtime of RUNTIMES_UNDER_TEST) {
    for (const flavor of FLAVORS_BY_RUNTIME[runtime]) {
      for (const secretProvider of PROVIDERS_UNDER_TEST) {
        for (const services of SERVICE_SETS) {
          out.push({
            label: `${runtime}/${flavor}/${secretProvider}/${services.join('+') || 'no-services'}`,
            spec: makeSpec({
              answers: {
                runtime,
                flavor,
                secretProvider,
                services,
                vaultPaths: { db_password: 'shop/db#password' },
                awsSecretIds: { api_key: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api_key-AbCdEf' },
              },
            }),
          });
        }
      }
    }
  }
  return out;
}
