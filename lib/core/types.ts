// The shared vocabulary of the core. Data flows one way:
//   repo files --detect--> Facts --+
//   CLI options / prompts ---------+--> Answers --validate--> ContainerSpec --render--> GeneratedFile[] --audit--> write/merge
//   .yo-rc.json / preset ----------+
// Nothing in lib/ imports Yeoman; the generators are thin shells around these types.

import type { SecretsPlan } from '../spec/secrets.js';
import type { KubernetesSpec } from '../spec/kubernetes.js';
import type { PackageRegistrySpec } from '../runtimes/profile.js';
import type { PresetContribution } from '../preset/extend-types.js';

/** A runtime's name: a row of the table in lib/runtimes/index.ts ("node", "python", "go", …). */
export type Runtime = string;

// slim (issue 14): an official Debian -slim image with the package managers removed (Ruby, PHP: no distroless image exists)
export const FLAVORS = ['distroless', 'alpine', 'scratch', 'slim'] as const;
export type Flavor = (typeof FLAVORS)[number];

/** A package manager's name; each runtime profile lists the ones it supports (`packageManagers`). */
export type PackageManager = string;

export const SECRET_PROVIDERS = ['file', 'vault', 'aws'] as const;
export type SecretProvider = (typeof SECRET_PROVIDERS)[number];
/** CI systems a workflow can be written for (--ci, issue 16); 'none' writes none. */
export const CI_PROVIDERS = ['none', 'github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** Update bots a config is written for (--update-bot, issue 16); 'none' writes none. */
export const UPDATE_BOTS = ['none', 'renovate', 'dependabot'] as const;
export type UpdateBot = (typeof UPDATE_BOTS)[number];

export const BACKING_SERVICES = ['postgres', 'redis'] as const;
export type BackingService = (typeof BACKING_SERVICES)[number];

/** One detected fact, always with where it came from ("package-lock.json", "go.mod: go 1.23"). */
export interface Fact<T> {
  value: T;
  source: string;
  /**
   * set when the value is a guess rather than read from the project (why, e.g. "no start script,
   * Procfile or main: the first of index.js, server.js"): the plan says so, and `--yes` refuses to
   * take it silently (the flag confirms it)
   */
  guess?: string;
}

/** What detection found in a repository. Every field is optional: detection never guesses silently. */
export interface Facts {
  runtime?: Fact<Runtime>;
  runtimeVersion?: Fact<string>;
  packageManager?: Fact<PackageManager>;
  name?: Fact<string>;
  port?: Fact<number>;
  /** exec-form argv that starts the app in the final image, relative to WORKDIR (/app). */
  start?: Fact<string[]>;
  /** argv of the build step, or null when the project has none. */
  build?: Fact<string[] | null>;
  /** directory (relative to the project root) the build writes its runtime artefacts to, e.g. "dist". */
  buildOutput?: Fact<string>;
  /** lockfiles present at the root, e.g. ["package-lock.json"]. */
  lockfiles?: Fact<string[]>;
  /** Python: dependency manifest used to install, e.g. "requirements.txt" or "pyproject.toml". */
  manifest?: Fact<string>;
  /** Python: "fastapi" | "starlette" | "flask" | "django" | undefined; Go: main package path "./cmd/api". */
  framework?: Fact<string>;
  /** Go: module path from go.mod; Go main package ("." or "./cmd/<name>"). */
  goModule?: Fact<string>;
  goMainPackage?: Fact<string>;
  dataDirs?: Fact<string[]>;
  healthPath?: Fact<string>;
  /** Node: the project is TypeScript (runs compiled output, never ts-node). */
  typescript?: Fact<boolean>;
  /** Node: the Prisma schema; its client is generated in the image (`prisma generate`), e.g. "prisma/schema.prisma" */
  prismaSchema?: Fact<string>;
  /** Node: where the Prisma client is generated when not under node_modules (generator `output`), e.g. "generated/prisma" */
  prismaOutput?: Fact<string>;
  /** Node: the Prisma client generator's name, when the schema has other generators (only it runs in the image) */
  prismaGenerator?: Fact<string>;
  /** Node: install lifecycle scripts that run a devDependency (removed before the production-only install), e.g. ["prepare"] */
  devLifecycle?: Fact<string[]>;
  /** Node: the variable the app reads its listen host from (set to 0.0.0.0 in the image), e.g. "HOST" */
  hostEnv?: Fact<string>;
  /** run-time ENV of the repository's own Dockerfile (final stage), literal and not secret-looking: ["APP_ENVIRONMENT=production"] (lib/detect/dockerfile-env.ts) */
  env?: Fact<string[]>;
  /** Go: the build needs cgo (a cgo module such as mattn/go-sqlite3, or `import "C"`): CGO on, a final base with libc */
  goCgo?: Fact<boolean>;
  /** Go: dependencies are vendored (vendor/modules.txt): `go build -mod=vendor`, no `go mod download` */
  goVendor?: Fact<boolean>;
  /** Python/Django: the production settings module (DJANGO_SETTINGS_MODULE in the image and its build steps) */
  settingsModule?: Fact<string>;
  /** framework steps run at build time, their output kept in the image (collectstatic, pybabel compile) */
  buildSteps?: Fact<BuildStep[]>;
  /** steps the app's own files run that the generated files do not (migrations): listed for the user */
  manualSteps?: Fact<ManualStep[]>;
  /** Python: dependencies that compile native code or load a shared library at run time ("psycopg2", "uwsgi") */
  nativeDeps?: Fact<string[]>;
  /** a final-image flavour the project needs, the reason in the source (Python: a run-time library rules distroless out) */
  flavor?: Fact<Flavor>;
  /** static sites, Bun, Deno, Ruby, PHP (issue 14): that runtime's own settings read from the project (its profile documents and re-validates the keys) */
  settings?: Fact<RuntimeSettings>;
  /** Node: a workspace root (npm/yarn `workspaces`, pnpm-workspace.yaml): its member directories, e.g. ["packages/api"] */
  workspaceMembers?: Fact<string[]>;
  /** Node: the member the root's start/dev/build script delegates to (`npm run start -w packages/api`) */
  workspaceDefault?: Fact<string>;
  /** Node: what each member's own package.json says (detected as if the member were the root); not a Fact */
  workspaceApps?: WorkspaceApp[];
}

/** One workspace member, detected with the root's Node detection rooted at its directory. */
export interface WorkspaceApp {
  /** the member's directory, e.g. "packages/api" */
  dir: string;
  /** package.json name, e.g. "@acme/api" (pnpm --filter / yarn workspace take it) */
  packageName?: string;
  name?: Fact<string>;
  /** relative to the member's directory */
  start?: Fact<string[]>;
  /** the member's build script name, when it has one */
  buildScript?: string;
  /** relative to the member's directory */
  buildOutput?: Fact<string>;
  /** Python (uv workspace): the member's own facts (start, port, health, steps), paths relative to its directory */
  facts?: Facts & { notes?: string[] };
}

/** A framework step run at build time in the builder stage; its output is kept in the image. */
export interface BuildStep {
  /** logical argv: `python …` (the venv's interpreter) or a console script of the venv (`pybabel …`) */
  argv: string[];
  /** environment of this step only (build-only values, never in the final image's environment) */
  env?: Record<string, string>;
  /** why it runs, with where that was read */
  why: string;
}

/** A step the generated files do not run: the user runs it (database migrations, once per release). */
export interface ManualStep {
  /** logical argv in the image: `python manage.py migrate` (run with the image's interpreter as entrypoint) */
  argv: string[];
  when: 'release' | 'build';
  /** what it does and where it was read ("database migrations (Procfile:1: release: …)") */
  why: string;
}

/** The answers: one value per question (see lib/core/answers/schema.ts for the single definition of each). */
export interface Answers {
  runtime: Runtime;
  runtimeVersion: string;
  packageManager: PackageManager;
  /**
   * Node, at a workspace root only: the member to containerize ("packages/api"), "" = the root
   * package. Absent when the repository is not a workspace root (kept out of .yo-rc.json then).
   */
  workspace?: string;
  name: string;
  port: number;
  /** exec-form argv, e.g. ["node", "dist/server.js"]. */
  start: string[];
  /** exec-form argv of the build step; null = no build step. */
  build: string[] | null;
  dataDirs: string[];
  flavor: Flavor;
  uid: number;
  gid: number;
  healthPath: string;
  buildSecrets: string[];
  /** Registry prefix/mirror for every base image; "" = upstream names. */
  registry: string;
  // --- compose & secrets (issue 3) ---
  secrets: string[];
  secretProvider: SecretProvider;
  vaultAddr: string;
  vaultMount: string;
  /** secret name -> Vault path (KV v2, relative to vaultMount). */
  vaultPaths: Record<string, string>;
  awsRegion: string;
  /** secret name -> AWS Secrets Manager secret id / ARN. */
  awsSecretIds: Record<string, string>;
  services: BackingService[];
  /** Host address the app port is published on. */
  bind: string;
  secretsHelper: boolean;
  /**
   * Also write Kubernetes manifests: a Kustomize base in deploy/kubernetes/ (issue 15). Always set
   * by the answers walk; absent (= false) only in answers made before the question existed.
   */
  kubernetes?: boolean;
  /** Run-time ENV the app reads, NAME=VALUE (--app-env; default: the repository's own Dockerfile); absent = none (kept out of .yo-rc.json then). */
  env?: string[];
  /** PHP only (issue 14): FrankenPHP in one container, or PHP-FPM plus an nginx service in compose.yaml; absent = frankenphp. */
  phpServer?: 'frankenphp' | 'fpm';
  /** Also write a CI workflow that audits, builds, scans, attests and signs the image (issue 16); absent = none. */
  ci?: CiProvider;
  /** Write every FROM and compose image: as name:tag@sha256:… (issue 16); absent = false. */
  pinDigests?: boolean;
  /** Write a renovate.json or .github/dependabot.yml that keeps the pins fresh (issue 16); absent = none. */
  updateBot?: UpdateBot;
  /** Package registry (npm registry, pip index, GOPROXY, Maven mirror …) for the install step (issue 19); "" or absent = upstream. */
  packageRegistry?: string;
  /** BuildKit secret NAME holding the package registry's credentials (issue 19); "" or absent = none. */
  packageRegistrySecret?: string;
}

/**
 * Facts about the project's files that the Dockerfile needs but that are not questions (which
 * lockfile exists, where the build writes). Detected afresh at every run (a lockfile added later is
 * picked up by the next upgrade) and recorded next to the answers in .yo-rc.json for reference;
 * rendering is a pure function of (answers, layout).
 */
export interface ProjectLayout {
  /** files copied before the dependency install, in order, e.g. ["package.json", "package-lock.json"] */
  manifests: string[];
  /** Node: directory the build step writes (copied into the final image), e.g. "dist" */
  buildOutput?: string;
  /** Python: requirements file used by pip/pipenv export, e.g. "requirements.txt" */
  requirements?: string;
  /** Python: requirements pin hashes, so pip runs with --require-hashes (P6) */
  hashes?: boolean;
  /** Go: main package, e.g. "." or "./cmd/api" */
  goMain?: string;
  /** Node: yarn berry (2+) rather than classic */
  yarnBerry?: boolean;
  /** directories named like secret folders that hold only source code: re-included in the build context */
  codeDirs?: string[];
  /** Node: Prisma schema copied before the install and generated from, e.g. "prisma/schema.prisma" */
  prismaSchema?: string;
  /** Node: Prisma client output outside node_modules (copied from the install stage), e.g. "generated/prisma" */
  prismaOutput?: string;
  /** Node: the only Prisma generator run in the image (the schema has others), e.g. "client" */
  prismaGenerator?: string;
  /** Node: lifecycle scripts removed before the production-only install (they run a devDependency) */
  devLifecycle?: string[];
  /** Node: the app's listen-host variable, set to 0.0.0.0 in the image */
  hostEnv?: string;
  /** Go: build with cgo (CGO_ENABLED=1, a C toolchain) and run on a final base with libc */
  goCgo?: boolean;
  /** Go: build from vendor/ (-mod=vendor), no module download */
  goVendor?: boolean;
  /** Python: every requirements file the install reads (the file and its -r/-c includes), copied before the install */
  requirementFiles?: string[];
  /** Python: a requirements line installs a local path (`-e .`): the sources are copied before the install */
  installFromSources?: boolean;
  /** Python/Django: DJANGO_SETTINGS_MODULE of the image (the production settings) */
  settingsModule?: string;
  /** framework steps run at build time (collectstatic, pybabel compile) */
  buildSteps?: BuildStep[];
  /** steps left to the user (README.Docker.md lists them) */
  manualSteps?: ManualStep[];
  /** Python: native dependencies ("psycopg2", "psycopg[c]", "uwsgi"): compiler and headers in the builder, libraries in the final image */
  nativeDeps?: string[];
  /** Node: the workspace member containerized from the root, e.g. "packages/api" */
  workspace?: string;
  /** Node: every workspace member's package.json, copied before the install at the root */
  workspaceManifests?: string[];
  /** static sites, Bun, Deno, Ruby, PHP (issue 14): that runtime's own layout settings (its profile documents and re-validates the keys) */
  settings?: RuntimeSettings;
}

/** Plain JSON settings of one runtime (issue 14 runtimes): recorded in .yo-rc.json with the layout. */
export type RuntimeSettings = Record<string, string | number | boolean | string[]>;

/** A base image reference, split so renderers and policy can reason about it. */
export interface ImageRef {
  /** full reference as written in FROM / image:, e.g. "gcr.io/distroless/nodejs22-debian12:nonroot" */
  ref: string;
  /** true when this is `scratch` (no registry, no tag). */
  scratch?: boolean;
}

export interface Stage {
  name: string;
  image: ImageRef;
}

export interface SecretSpec {
  /** lowercase [a-z0-9_] name */
  name: string;
  /** `<NAME>_FILE` environment variable name */
  envVar: string;
  /** `/run/secrets/<name>` */
  path: string;
  /** provider-specific source: vault path or AWS secret id, when known */
  source?: string;
}

export interface VolumeSpec {
  /** compose named volume, e.g. "app-data" */
  name: string;
  /** absolute path in the container */
  target: string;
}

/**
 * The single source of truth every renderer reads. Pure data, built by lib/spec/build.ts from
 * Answers (+ runtime profile + preset). The Dockerfile, compose.yaml, Vault/AWS wiring and
 * README.Docker.md must all agree because they all read this.
 */
export interface ContainerSpec {
  /** command: how printed instructions run us (`npx generator-secure-container`) */
  generator: { name: string; version: string; command: string };
  layout: ProjectLayout;
  runtime: Runtime;
  runtimeVersion: string;
  flavor: Flavor;
  /** registry prefix/mirror applied to every image we name (P3); "" = upstream names */
  registry: string;
  /** the Dockerfile frontend of the `# syntax=` line, through the registry mirror when there is one (P3) */
  syntax: string;
  name: string;
  /** "<name>:<tag>" used by compose `image:`; tag is never "latest". */
  image: string;
  imageTag: string;
  user: { uid: number; gid: number };
  port: number;
  workdir: string;
  /** Base image of each stage, keyed by role. */
  images: { builder: ImageRef; final: ImageRef };
  /** exec-form argv for ENTRYPOINT in the final stage. */
  entrypoint: string[];
  /** exec-form argv of the HEALTHCHECK probe that works in the final image. */
  healthcheck: {
    test: string[];
    path: string;
    interval: string;
    timeout: string;
    retries: number;
    startPeriod: string;
  };
  dataVolumes: VolumeSpec[];
  /** Paths that need a tmpfs on a read-only root filesystem (always includes /tmp). */
  tmpfs: string[];
  environment: Record<string, string>;
  /** the app's own run-time ENV (--app-env), written after the profile's ENV in the final stage; absent = none */
  appEnv?: [string, string][];
  secrets: SecretSpec[];
  buildSecrets: SecretSpec[];
  secretProvider: SecretProvider;
  /** provider settings, always settled (the README and the sidecars name them even when unused) */
  vault: { addr: string; mount: string };
  aws: { region: string };
  /** who reads which secret, from where: computed once from the fields above (lib/spec/secrets.ts) */
  secretsPlan: SecretsPlan;
  /** path of the readSecret() helper in the app's language (--secrets-helper), or null */
  secretsHelper: string | null;
  /** labels a team preset requires on the image, in order */
  labels: [string, string][];
  /** the runtime's own .dockerignore entries (dependency, build and cache directories) */
  dockerignore: string[];
  services: BackingService[];
  bind: string;
  limits: { memory: string; pids: number; cpus: string };
  restart: { policy: 'on-failure'; maxAttempts: number };
  /** Free-form, runtime-specific values the Dockerfile template reads (install/build commands etc.). */
  dockerfile: DockerfileSpec;
  /** the Kubernetes deployment (--kubernetes), settled once in lib/spec/kubernetes.ts; absent = no manifests */
  kubernetes?: KubernetesSpec;
  /** the CI system a workflow is written for (--ci); absent = no workflow (lib/outputs/ci/) */
  ci?: Exclude<CiProvider, 'none'>;
  /**
   * --pin-digests: image reference as rendered (through the mirror) -> "sha256:…", resolved before
   * rendering (lib/registry-client/flow.ts); renderers write `ref@digest` (lib/core/registry.ts pinImage)
   */
  digests?: Readonly<Record<string, string>>;
  /** the update bot a config is written for (--update-bot); absent = none (lib/outputs/update-bot.ts) */
  updateBot?: Exclude<UpdateBot, 'none'>;
  /** what a team preset adds at the extension points (docs/presets.md); absent = nothing */
  preset?: PresetContribution;
  /** the package registry the install steps use (--package-registry); absent = upstream (lib/runtimes/package-registry.ts) */
  packageRegistry?: PackageRegistrySpec;
}

/**
 * What the runtime's Dockerfile template (templates/runtimes/<runtime>/Dockerfile.ejs) reads. Filled by the
 * runtime profile (lib/runtimes/<runtime>/profile.ts); every string here is already validated and
 * escaped, so the template only places values. Renderers other than the Dockerfile must not read it.
 */
export interface DockerfileSpec {
  /** image ARGs declared before the first FROM, e.g. BUILDER_IMAGE */
  builderImage: string;
  finalImage: string;
  /** files copied before the dependency install (manifest + lockfile), in order */
  manifestFiles: string[];
  /** RUN line (without "RUN ") that installs production dependencies, flags and mounts included */
  installProd: string;
  /** RUN line that installs all dependencies for the build step; null when there is no build step */
  installAll: string | null;
  /** RUN line (without "RUN ") for the build step, or null */
  build: string | null;
  /** [from, to] pairs copied from the builder stages into the final stage */
  artefacts: { stage: string; from: string; to: string }[];
  /** ENV lines of the final stage: [name, value] */
  env: [string, string][];
  /** the builder stage that has an empty /empty directory (data volumes are created from it, owned by the app user) */
  emptyStage: string;
  /** Lines (without "RUN ") that strip package managers from a non-distroless final image; empty for distroless/scratch */
  harden: string | null;
  /** Extra text substituted verbatim by runtime templates (kept small and documented in the profile) */
  extra: Record<string, string>;
}

export interface GeneratedFile {
  /** path relative to the project root, POSIX separators */
  path: string;
  contents: string;
  /** file mode hint (e.g. 0o644); undefined = default */
  mode?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A policy finding (shared by `audit` and the generator's self-check). */
export interface Finding {
  rule: string;
  name: string;
  principle: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  refs: string[];
  fix?: string;
}

/** Validation error: names the field and what is allowed. */
export class AnswerError extends Error {
  constructor(
    public readonly field: string,
    public readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
    this.name = 'AnswerError';
  }
}
