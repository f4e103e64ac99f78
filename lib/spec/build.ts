// answers + runtime profile (+ preset settings) -> ContainerSpec: the single source of truth that
// every renderer reads. Pure.
import { profileFor } from '../runtimes/index.js';
import { pinImage, withRegistry, type DigestMap } from '../core/registry.js';
import type { Answers, ContainerSpec, ProjectLayout, SecretSpec } from '../core/types.js';
import { CLI_COMMAND, GENERATOR_NAME, GENERATOR_VERSION } from '../core/version.js';
import { kubernetesSpec, type KubernetesPreset } from './kubernetes.js';
import { packageRegistrySpec } from '../runtimes/profile.js';
import type { PresetContribution } from '../preset/extend-types.js';
import { secretsPlan } from './secrets.js';
import { appEnvSpec } from '../detect/dockerfile-env.js';

export interface SpecOptions {
  /** required labels from a team preset (added to the Dockerfile LABEL block) */
  labels?: Record<string, string>;
  version?: string;
  /** what a team preset adds at the extension points (lib/preset/extend.ts) */
  preset?: PresetContribution;
  /** --pin-digests: digests resolved before rendering (lib/registry-client/flow.ts), keyed by the rendered reference */
  digests?: DigestMap;
  /** a team preset's `kubernetes:` section (namespace, registry, replicas, resources), for --kubernetes */
  kubernetes?: KubernetesPreset;
}

export function secretSpec(name: string, source?: string): SecretSpec {
  return { name, envVar: `${name.toUpperCase()}_FILE`, path: `/run/secrets/${name}`, ...(source ? { source } : {}) };
}

/** Keep server flags that carry the port in step with the port answer (e.g. after `--port 9090`). */
export function syncPortInStart(start: string[], port: number): string[] {
  const out = [...start];
  for (let i = 0; i < out.length - 1; i++) {
    if (out[i] === '--port' && /^\d+$/.test(out[i + 1])) out[i + 1] = String(port);
    if ((out[i] === '--bind' || out[i] === '-b') && /^[0-9.]*:\d+$/.test(out[i + 1]))
      out[i + 1] = out[i + 1].replace(/:\d+$/, `:${port}`);
  }
  return out;
}

export function buildSpec(answers: Answers, layout: ProjectLayout, opts: SpecOptions = {}): ContainerSpec {
  const p = profileFor(answers.runtime);
  const a: Answers = { ...answers, start: syncPortInStart(answers.start, answers.port) };
  const images = p.images(a.runtimeVersion, a.flavor, a);
  const model = p.dockerfile(a, layout);
  model.builderImage = withRegistry(model.builderImage, a.registry);
  model.finalImage = withRegistry(model.finalImage, a.registry);
  // --pin-digests (P3/P7): every image the Dockerfile names, written ref@sha256:… (COPY --from images too)
  const pin = (ref: string): string => (a.pinDigests === true ? pinImage(ref, opts.digests) : ref);
  model.builderImage = pin(model.builderImage);
  model.finalImage = pin(model.finalImage);
  model.extra = Object.fromEntries(Object.entries(model.extra).map(([k, v]) => [k, pin(v)]));
  const source = (n: string): string | undefined =>
    a.secretProvider === 'vault' ? a.vaultPaths[n] : a.secretProvider === 'aws' ? a.awsSecretIds[n] : undefined;
  const volumes = a.dataDirs.map((d) => ({
    name: `${a.name}-${d
      .slice(1)
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()}`,
    target: d,
  }));
  const spec: Omit<ContainerSpec, 'secretsPlan' | 'kubernetes'> = {
    generator: { name: GENERATOR_NAME, version: opts.version ?? GENERATOR_VERSION, command: CLI_COMMAND },
    layout,
    runtime: a.runtime,
    runtimeVersion: a.runtimeVersion,
    flavor: a.flavor,
    registry: a.registry,
    // BuildKit pulls and runs this image before any FROM: through the mirror like every base (P3),
    // and pinned with --pin-digests like them (P7)
    syntax: pin(withRegistry('docker/dockerfile:1', a.registry)),
    name: a.name,
    // never "latest" (P7): compose builds and tags the image; CI retags with the git SHA
    image: `${a.name}:local`,
    imageTag: 'local',
    user: { uid: a.uid, gid: a.gid },
    port: a.port,
    workdir: '/app',
    images: {
      builder: { ref: pin(withRegistry(images.builder, a.registry)) },
      final: {
        ref: pin(withRegistry(images.final, a.registry)),
        ...(images.final === 'scratch' ? { scratch: true } : {}),
      },
    },
    entrypoint: p.entrypoint(a.start, a.flavor, a),
    healthcheck: {
      test: p.healthcheck(a.flavor, a.port, a.healthPath, a),
      path: a.healthPath,
      interval: '30s',
      timeout: '5s',
      retries: 3,
      startPeriod: '15s',
    },
    dataVolumes: volumes,
    tmpfs: ['/tmp', ...p.tmpfs],
    environment: Object.fromEntries([...model.env.filter(([k]) => k === 'PORT' || k === 'NODE_ENV')]),
    ...appEnvSpec(a, model.env),
    secrets: a.secrets.map((n) => secretSpec(n, source(n))),
    // the package registry's credentials are one more build secret (README, compose build.secrets, CI)
    buildSecrets: [
      ...a.buildSecrets,
      ...(a.packageRegistrySecret && !a.buildSecrets.includes(a.packageRegistrySecret)
        ? [a.packageRegistrySecret]
        : []),
    ].map((n) => secretSpec(n)),
    ...packageRegistrySpec(p, a, layout),
    secretProvider: a.secretProvider,
    vault: { addr: a.vaultAddr, mount: a.vaultMount },
    aws: { region: a.awsRegion },
    secretsHelper: a.secretsHelper ? p.secretsHelperPath : null,
    labels: Object.entries(opts.labels ?? {}),
    dockerignore: p.dockerignore(layout, a),
    services: a.services,
    bind: a.bind,
    limits: { memory: '512m', pids: 256, cpus: '1.0' },
    restart: { policy: 'on-failure', maxAttempts: 5 },
    dockerfile: model,
    ...(opts.preset ? { preset: opts.preset } : {}),
    ...(a.pinDigests === true && opts.digests ? { digests: opts.digests } : {}),
    ...(a.updateBot !== undefined && a.updateBot !== 'none' ? { updateBot: a.updateBot } : {}),
  };
  const settled = { ...spec, secretsPlan: secretsPlan(spec) };
  // --kubernetes: the cluster deployment, settled from the rest of the spec (absent otherwise)
  // --ci: which CI system gets a workflow (absent = none; lib/outputs/ci/ renders it)
  const withCi = a.ci !== undefined && a.ci !== 'none' ? { ...settled, ci: a.ci } : settled;
  return a.kubernetes === true ? { ...withCi, kubernetes: kubernetesSpec(withCi, opts.kubernetes) } : withCi;
}
