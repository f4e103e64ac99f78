// One definition per question: type, default, validation, error text, CLI flag and prompt text.
// Prompts (generators/app), flags (yo and the bin), .yo-rc.json and presets all read this table,
// so they cannot drift apart.
import { RESERVED_SECRET_NAMES, RESERVED_SERVICE_NAMES } from '../../spec/services.js';
import { profileFor, profiles, runtimeNames } from '../../runtimes/index.js';
import type { RuntimeProfile } from '../../runtimes/profile.js';
import {
  AnswerError,
  BACKING_SERVICES,
  CI_PROVIDERS,
  FLAVORS,
  UPDATE_BOTS,
  SECRET_PROVIDERS,
  type Answers,
  type Facts,
  type Flavor,
  type ProjectLayout,
} from '../types.js';
import {
  DNS_LABEL,
  parseArgv,
  parseBoolean,
  parseChoice,
  parseDataDir,
  parseInteger,
  parseIp,
  parseList,
  parseMap,
  parseSecretNames,
  parseString,
  toDnsLabel,
} from './parse.js';
import { parsePackageRegistry, parsePackageRegistrySecret } from '../../runtimes/profile.js';
import { appEnvDefault, parseEnvList } from '../../detect/dockerfile-env.js';

export type QuestionKind = 'choice' | 'string' | 'integer' | 'boolean' | 'list' | 'map' | 'argv' | 'argv-or-none';

/** What a default may look at: detected facts, the answers decided so far, the folder name. */
export interface DefaultContext {
  facts: Facts;
  layout: ProjectLayout;
  partial: Partial<Answers>;
  dirName: string;
}

export interface Question<K extends keyof Answers = keyof Answers> {
  key: K;
  /** CLI flag without dashes; the same in `yo secure-container` and `secure-container init` */
  flag: string;
  kind: QuestionKind;
  /** one line, for --help and as the prompt message */
  message: string;
  /** how the default is chosen, for --help */
  defaultHelp: string;
  /** allowed values (for choices), given the answers so far */
  choices?: (a: Partial<Answers>) => readonly string[];
  /** accepts repeated flags and comma-separated lists */
  repeatable?: boolean;
  /** parse + validate one raw value; throws Error(text saying what is allowed) */
  parse(raw: unknown, a: Partial<Answers>): Answers[K];
  /** the proposed value; undefined = required, no default (an error with --yes) */
  default(ctx: DefaultContext): Answers[K] | undefined;
  /** whether the question is relevant (asked/validated) given earlier answers (and the detected facts) */
  when?(a: Partial<Answers>, facts?: Facts): boolean;
  /**
   * a flag or preset value given while the question is not relevant is an error with this text
   * (default: ignored, and the question takes its neutral value)
   */
  irrelevant?: string;
  /** a check of the parsed answer against the detected facts; returns an error text or undefined */
  check?(a: Partial<Answers>, facts: Facts): string | undefined;
  /** the question is asked interactively only in "advanced" runs or when it has no default */
  advanced?: boolean;
  /**
   * whether the question is worth asking given earlier answers (default: yes). A relevant question
   * that is not worth asking is never prompted for: it takes its flag, preset or stored value if
   * there is one, else its default (the same with prompts, --yes and the bin), and an answer nobody
   * chose is left out of the plan. E.g. the secret provider when no secret is named.
   */
  applies?(a: Partial<Answers>): boolean;
  /** one line per allowed value, shown next to each choice in the prompt, in --help and in the README */
  choiceHelp?: Readonly<Record<string, string>>;
  /**
   * when the answer cannot be detected and nobody gave it: refuse the run with this message (even
   * interactively, before anything is asked) instead of asking for it
   */
  missing?: string;
}

function q<K extends keyof Answers>(def: Question<K>): Question<K> {
  return def;
}

/**
 * The profile of the runtime decided so far: every question after `runtime` has one. A preset
 * value checked on its own may not: the TypeError tells presetValueValidator (lib/preset/bridge.ts)
 * that the value needs an answer the preset does not fix.
 */
function decidedProfile(a: Partial<Answers>): RuntimeProfile {
  if (a.runtime === undefined) throw new TypeError('the runtime is not decided yet');
  return profileFor(a.runtime);
}

const factValue = <T>(f: { value: T } | undefined): T | undefined => (f ? f.value : undefined);

/** uid/gid range: never root, never the shared "nobody", at least 10000 so it never collides with host users (P5). */
export const MIN_ID = 10000;
export const MAX_ID = 2147483646;
function parseId(raw: unknown): number {
  const n = parseInteger(raw, MIN_ID, MAX_ID);
  if (n === 65534) throw new Error('must not be 65534 (nobody is shared by unrelated processes)');
  return n;
}

/** name=value per secret: every name must be one of the secrets, every value must match `valueRe`. */
function parseSecretMap(raw: unknown, a: Partial<Answers>, valueRe: RegExp, what: string): Record<string, string> {
  const m = parseMap(raw);
  for (const [k, v] of Object.entries(m)) {
    if (a.secrets && !a.secrets.includes(k))
      throw new Error(`${JSON.stringify(k)} is not one of the secrets (${(a.secrets ?? []).join(', ') || 'none'})`);
    if (!valueRe.test(v)) throw new Error(`${JSON.stringify(v)} for ${k} must be ${what}`);
  }
  return m;
}

/** The secret provider and its settings only matter once a runtime secret is named. */
const hasSecrets = (a: Partial<Answers>): boolean => (a.secrets?.length ?? 0) > 0;

const PHP_SERVERS = ['frankenphp', 'fpm'] as const;

/** A workspace member directory: relative, plain segments, no "." or ".." segment. */
const WORKSPACE_DIR = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export const QUESTIONS: readonly Question[] = [
  q({
    key: 'runtime',
    flag: 'runtime',
    kind: 'choice',
    message: 'Runtime of the app',
    defaultHelp: 'detected from package.json / pyproject.toml / requirements.txt / go.mod',
    choices: () => runtimeNames(),
    choiceHelp: Object.fromEntries(profiles().map((p) => [p.runtime, p.choiceHelp])),
    parse: (raw) => parseChoice(raw, runtimeNames()),
    default: (c) => factValue(c.facts.runtime),
    // an empty folder (or one we cannot read) would get a Dockerfile that can only fail to build
    get missing() {
      return `no app found: looked for ${[...new Set(profiles().flatMap((p) => p.manifestNames))].join(', ')} (pass --runtime to generate anyway)`;
    },
  }),
  q({
    key: 'runtimeVersion',
    flag: 'runtime-version',
    kind: 'string',
    message: 'Runtime version (selects the base image tags)',
    defaultHelp:
      'detected (engines.node, .nvmrc, .python-version, requires-python, go.mod), else node 22, python 3.11, go 1.23',
    parse: (raw, a) => {
      const s = parseString(raw);
      return a.runtime ? profileFor(a.runtime).normalizeVersion(s) : s;
    },
    default: (c) => {
      const p = decidedProfile(c.partial);
      const v = factValue(c.facts.runtimeVersion);
      if (v) {
        try {
          return p.normalizeVersion(v);
        } catch {
          return p.defaultVersion;
        }
      }
      return p.defaultVersion;
    },
  }),
  q({
    key: 'packageManager',
    flag: 'package-manager',
    kind: 'choice',
    message: 'Package manager',
    defaultHelp: 'detected from the lockfile or packageManager field, else npm / pip / go',
    choices: (a) => decidedProfile(a).packageManagers,
    parse: (raw, a) => parseChoice(raw, decidedProfile(a).packageManagers),
    default: (c) => {
      const p = decidedProfile(c.partial);
      const f = factValue(c.facts.packageManager);
      return f && p.packageManagers.includes(f) ? f : p.defaultPackageManager;
    },
  }),
  q({
    key: 'workspace',
    flag: 'workspace',
    kind: 'string',
    message: 'Workspace member to containerize from the repository root (empty for the root package)',
    defaultHelp:
      'the member the root start/dev/build script runs (npm run start -w <member>, pnpm --filter, yarn workspace), else the root package; only at an npm, pnpm or yarn workspace root (yarn 2+ through yarn workspaces focus), or a uv workspace root (pyproject.toml [tool.uv.workspace]: the only member with a start command)',
    parse: (raw) => {
      const s = parseString(raw).replace(/^\.\//, '').replace(/\/+$/, '');
      if (s !== '' && !WORKSPACE_DIR.test(s))
        throw new Error(
          `${JSON.stringify(s)} must be a member directory relative to the root, such as packages/api (letters, digits, . _ - and /, no ..)`,
        );
      return s;
    },
    default: (c) => factValue(c.facts.workspaceDefault) ?? '',
    when: (a, facts) => facts?.workspaceMembers !== undefined && a.runtime === facts.runtime?.value,
    irrelevant:
      'applies only at the root of a Node.js workspace (package.json "workspaces" or pnpm-workspace.yaml) or a uv workspace (pyproject.toml [tool.uv.workspace])',
    check: (a, facts) => {
      if (!a.workspace) return undefined;
      const members = facts.workspaceMembers?.value ?? [];
      if (!members.includes(a.workspace))
        return `${JSON.stringify(a.workspace)} is not a member of this workspace (members: ${members.slice(0, 8).join(', ')}${members.length > 8 ? ', …' : ''})`;
      if (
        a.runtime !== undefined &&
        profileFor(a.runtime).workspacePackageManagers?.includes(a.packageManager ?? '') !== true
      )
        return `containerizing one workspace member is supported for ${(profileFor(a.runtime).workspacePackageManagers ?? []).join(', ') || 'no package manager'} only for now (this repository uses ${a.packageManager ?? 'another'}): build the member on its own, or omit --workspace to containerize the root package`;
      return undefined;
    },
    advanced: true,
  }),
  q({
    key: 'name',
    flag: 'name',
    kind: 'string',
    message: 'App / image name (lowercase DNS label)',
    defaultHelp: 'the package/module name, else the folder name',
    parse: (raw) => {
      const s = parseString(raw);
      if (!DNS_LABEL.test(s))
        throw new Error(
          `${JSON.stringify(s)} must be a lowercase DNS label: a-z, 0-9 and "-", 1-63 characters, not starting or ending with "-"`,
        );
      if (RESERVED_SERVICE_NAMES.includes(s))
        throw new Error(
          `${JSON.stringify(s)} is the name of a generated compose service (${RESERVED_SERVICE_NAMES.join(', ')}): choose another`,
        );
      return s;
    },
    default: (c) => toDnsLabel(factValue(c.facts.name) ?? c.dirName),
  }),
  q({
    key: 'port',
    flag: 'port',
    kind: 'integer',
    message: 'Port the app listens on inside the container (unprivileged, 1024-65535)',
    defaultHelp: 'detected from code/config, else node 3000, python 8000, go 8080',
    parse: (raw) => parseInteger(raw, 1024, 65535),
    default: (c) => factValue(c.facts.port) ?? decidedProfile(c.partial).defaultPort,
  }),
  q({
    key: 'start',
    flag: 'start',
    kind: 'argv',
    message: 'Start command (run directly in exec form, no shell)',
    defaultHelp: 'detected (start script, main, ASGI/WSGI app, Go binary)',
    parse: (raw, a) => {
      const argv = parseArgv(raw);
      if (a.runtime) {
        const err = profileFor(a.runtime).checkStart(argv, { name: a.name ?? 'app' });
        if (err) throw new Error(err);
      }
      return argv;
    },
    default: (c) => {
      const f = factValue(c.facts.start);
      if (f) return f;
      return decidedProfile(c.partial).defaultStart(
        { name: c.partial.name ?? 'app', port: c.partial.port ?? 0 },
        c.layout,
      );
    },
  }),
  q({
    key: 'build',
    flag: 'build',
    kind: 'argv-or-none',
    message: 'Build command (empty for none)',
    defaultHelp: 'the build script when there is one (--no-build for none); Go: go build',
    parse: (raw) => {
      if (raw === null || raw === false || raw === '' || raw === 'none') return null;
      return parseArgv(raw);
    },
    default: (c) => {
      const f = c.facts.build;
      return f ? f.value : null;
    },
  }),
  q({
    key: 'dataDirs',
    flag: 'data-dir',
    kind: 'list',
    repeatable: true,
    message: 'Directories that must persist (absolute paths, comma-separated; each becomes a named volume)',
    defaultHelp: 'none',
    parse: (raw) => {
      const dirs = parseList(raw).map(parseDataDir);
      const dup = dirs.find((d, i) => dirs.indexOf(d) !== i);
      if (dup) throw new Error(`${JSON.stringify(dup)} is listed twice`);
      const nested = dirs.find((d) => dirs.some((o) => o !== d && d.startsWith(o + '/')));
      if (nested) throw new Error(`${JSON.stringify(nested)} is inside another data directory`);
      return dirs;
    },
    default: (c) => factValue(c.facts.dataDirs) ?? [],
  }),
  q({
    key: 'flavor',
    flag: 'flavor',
    kind: 'choice',
    message: 'Final base image flavour',
    defaultHelp: 'distroless when it has the runtime version, else alpine',
    choices: (a) => decidedProfile(a).flavors,
    choiceHelp: {
      distroless: 'runtime only: no shell, no package manager (smallest attack surface)',
      alpine: 'small musl-based image, package managers removed',
      scratch: 'empty image: static binaries only (Go, Rust), no interpreter',
      slim: 'the official Debian slim image with package managers removed (runtimes without a distroless image)',
    },
    parse: (raw, a) => {
      const f = parseChoice(raw, FLAVORS);
      if (a.runtime) {
        const p = profileFor(a.runtime);
        if (!p.flavors.includes(f)) {
          throw new Error(
            `${f} does not fit ${a.runtime}: allowed for ${a.runtime}: ${p.flavors.join(', ')}${f === 'scratch' ? ' (scratch has no interpreter; it is for static binaries such as Go)' : ''}`,
          );
        }
      }
      return f;
    },
    default: (c) => {
      const p = decidedProfile(c.partial);
      const v = c.partial.runtimeVersion;
      const fits = (f: Flavor): boolean => !v || (p.versions[f] ?? []).includes(v);
      // a flavour the project needs (a run-time library rules distroless out), when it fits
      const needed = factValue(c.facts.flavor);
      if (needed !== undefined && p.flavors.includes(needed) && fits(needed)) return needed;
      return p.flavors.find(fits) ?? p.flavors[0];
    },
  }),
  q({
    key: 'uid',
    flag: 'uid',
    kind: 'integer',
    message: `Numeric non-root user id (${MIN_ID}-${MAX_ID})`,
    defaultHelp: "distroless: 65532 (the image's nonroot user), else 10001",
    parse: (raw) => parseId(raw),
    default: (c) => decidedProfile(c.partial).defaultUser(c.partial.flavor ?? 'distroless'),
    advanced: true,
  }),
  q({
    key: 'gid',
    flag: 'gid',
    kind: 'integer',
    message: `Numeric group id (${MIN_ID}-${MAX_ID})`,
    defaultHelp: 'the uid',
    parse: (raw) => parseId(raw),
    default: (c) => c.partial.uid,
    advanced: true,
  }),
  q({
    key: 'healthPath',
    flag: 'health-path',
    kind: 'string',
    message: 'HTTP path the health check requests (healthy on 2xx/3xx; on / any HTTP answer counts)',
    defaultHelp:
      'detected route (/healthz, /health…, through router prefixes), else / (any HTTP answer counts as alive)',
    parse: (raw) => {
      const s = parseString(raw);
      if (!/^\/[A-Za-z0-9._~/-]*$/.test(s) || s.includes('..'))
        throw new Error(`${JSON.stringify(s)} must be a URL path such as /healthz (letters, digits, / . _ ~ -)`);
      return s;
    },
    default: (c) => factValue(c.facts.healthPath) ?? '/',
  }),
  q({
    key: 'buildSecrets',
    flag: 'build-secret',
    kind: 'list',
    repeatable: true,
    message: 'Build-time secret NAMES (e.g. npm_token), mounted with RUN --mount=type=secret; never values',
    defaultHelp: 'none',
    parse: (raw) => parseSecretNames(raw),
    default: () => [],
    advanced: true,
  }),
  q({
    key: 'registry',
    flag: 'registry',
    kind: 'string',
    message: 'Registry prefix / mirror for every base image (empty for upstream)',
    defaultHelp: 'upstream (Docker Hub official images, gcr.io/distroless)',
    parse: (raw) => {
      const s = parseString(raw).replace(/\/+$/, '');
      if (s && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/.test(s)) {
        throw new Error(
          `${JSON.stringify(s)} must be a registry host with an optional port and path, e.g. mirror.example.com:5000/hub`,
        );
      }
      return s;
    },
    default: () => '',
    advanced: true,
  }),
  q({
    key: 'secrets',
    flag: 'secret',
    kind: 'list',
    repeatable: true,
    message: 'Runtime secret NAMES (lowercase, e.g. db_password); values are never asked',
    defaultHelp: 'none',
    parse: (raw) => {
      const names = parseSecretNames(raw);
      const reserved = names.find((n) => RESERVED_SECRET_NAMES.includes(n));
      if (reserved)
        throw new Error(
          `${JSON.stringify(reserved)} is reserved for the Vault AppRole credentials (${RESERVED_SECRET_NAMES.join(', ')})`,
        );
      return names;
    },
    default: () => [],
  }),
  q({
    key: 'secretProvider',
    flag: 'secret-provider',
    kind: 'choice',
    message: 'Secret provider',
    defaultHelp: 'file (compose file secrets, local development); asked only when a --secret is named',
    choices: () => SECRET_PROVIDERS,
    choiceHelp: {
      file: 'files in secrets/ mounted by compose (local development)',
      vault: 'HashiCorp Vault, fetched by a Vault Agent sidecar',
      aws: 'AWS Secrets Manager, fetched by a sidecar',
    },
    parse: (raw) => parseChoice(raw, SECRET_PROVIDERS),
    default: () => 'file' as const,
    applies: hasSecrets,
  }),
  q({
    key: 'vaultAddr',
    flag: 'vault-addr',
    kind: 'string',
    message: 'HashiCorp Vault address (URL)',
    defaultHelp: 'required with --secret-provider vault and a --secret',
    parse: (raw) => {
      const s = parseString(raw);
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        throw new Error(`${JSON.stringify(s)} must be a URL such as https://vault.example.com:8200`);
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:')
        throw new Error(`${JSON.stringify(s)} must be an http(s) URL`);
      if (u.username || u.password || /["'\s\\$`]/.test(s))
        throw new Error(`${JSON.stringify(s)} must not contain credentials, quotes or spaces`);
      return s.replace(/\/+$/, '');
    },
    default: () => undefined,
    when: (a) => a.secretProvider === 'vault',
    applies: hasSecrets,
  }),
  q({
    key: 'vaultMount',
    flag: 'vault-mount',
    kind: 'string',
    message: 'Vault KV v2 mount path',
    defaultHelp: 'secret',
    parse: (raw) => {
      const s = parseString(raw).replace(/^\/+|\/+$/g, '');
      if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(s))
        throw new Error(`${JSON.stringify(s)} must be a mount path such as secret or kv/apps`);
      return s;
    },
    default: () => 'secret',
    when: (a) => a.secretProvider === 'vault',
    applies: hasSecrets,
  }),
  q({
    key: 'vaultPaths',
    flag: 'vault-path',
    kind: 'map',
    repeatable: true,
    message: 'Vault path per secret, as name=path (relative to the mount)',
    defaultHelp: '<name>/<secret> for each secret',
    parse: (raw, a) =>
      parseSecretMap(
        raw,
        a,
        /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*(#[A-Za-z0-9_-]+)?$/,
        'a Vault path such as app/db or app/db#password',
      ),
    default: (c) => Object.fromEntries((c.partial.secrets ?? []).map((s) => [s, `${c.partial.name}/${s}`])),
    when: (a) => a.secretProvider === 'vault',
    applies: hasSecrets,
    advanced: true,
  }),
  q({
    key: 'awsRegion',
    flag: 'aws-region',
    kind: 'string',
    message: 'AWS region of the secrets',
    defaultHelp: 'required with --secret-provider aws and a --secret',
    parse: (raw) => {
      const s = parseString(raw);
      if (
        !/^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/.test(
          s,
        )
      ) {
        throw new Error(`${JSON.stringify(s)} is not an AWS region (e.g. eu-west-1, us-east-2)`);
      }
      return s;
    },
    default: () => undefined,
    when: (a) => a.secretProvider === 'aws',
    applies: hasSecrets,
  }),
  q({
    key: 'awsSecretIds',
    flag: 'aws-secret-id',
    kind: 'map',
    repeatable: true,
    message: 'AWS Secrets Manager secret id or ARN per secret, as name=id',
    defaultHelp: '<name>/<secret> for each secret',
    parse: (raw, a) =>
      parseSecretMap(
        raw,
        a,
        /^[A-Za-z0-9/_+=.@:-]{1,2048}$/,
        'a secret name or ARN (letters, digits, / _ + = . @ : -)',
      ),
    default: (c) => Object.fromEntries((c.partial.secrets ?? []).map((s) => [s, `${c.partial.name}/${s}`])),
    when: (a) => a.secretProvider === 'aws',
    applies: hasSecrets,
    advanced: true,
  }),
  q({
    key: 'services',
    flag: 'service',
    kind: 'list',
    repeatable: true,
    message: 'Backing services, each in its own container on an internal network',
    defaultHelp: 'none',
    choices: () => BACKING_SERVICES,
    choiceHelp: {
      postgres: 'PostgreSQL (database and user "app"), password in a local secret file',
      redis: 'Redis, password in a local secret file',
    },
    parse: (raw) => {
      const l = parseList(raw).map((s) => parseChoice(s, BACKING_SERVICES));
      return [...new Set(l)];
    },
    default: () => [],
  }),
  q({
    key: 'bind',
    flag: 'bind',
    kind: 'string',
    message: 'Host address the app port is published on',
    defaultHelp: '127.0.0.1 (loopback only; anything else is shown as a warning)',
    parse: (raw) => parseIp(raw),
    default: () => '127.0.0.1',
    advanced: true,
  }),
  q({
    key: 'secretsHelper',
    flag: 'secrets-helper',
    kind: 'boolean',
    message: "Write a small helper in the app's language that reads secrets by name",
    defaultHelp: 'false',
    parse: (raw) => parseBoolean(raw),
    default: () => false,
    advanced: true,
  }),
  q({
    key: 'kubernetes',
    flag: 'kubernetes',
    kind: 'boolean',
    message:
      'Also write Kubernetes manifests (a Kustomize base in deploy/kubernetes/, restricted Pod Security, `kubectl apply -k`)',
    defaultHelp: 'false',
    parse: (raw) => parseBoolean(raw),
    default: () => false,
  }),
  q({
    key: 'phpServer',
    flag: 'php-server',
    kind: 'choice',
    message: 'How PHP is served: FrankenPHP in one container, or PHP-FPM with an nginx service in compose.yaml',
    defaultHelp: 'frankenphp',
    choices: () => PHP_SERVERS,
    choiceHelp: {
      frankenphp: 'one container: FrankenPHP (Caddy with PHP embedded)',
      fpm: 'two services: PHP-FPM (app) and an unprivileged nginx (web) talking FastCGI on an internal network',
    },
    parse: (raw) => parseChoice(raw, PHP_SERVERS),
    default: () => 'frankenphp' as const,
    // the runtimes that can add a second compose service (PHP) offer the choice
    when: (a) => a.runtime !== undefined && profileFor(a.runtime).composeServices !== undefined,
    irrelevant: 'applies only to PHP (--runtime php)',
    advanced: true,
  }),
  q({
    key: 'ci',
    flag: 'ci',
    kind: 'choice',
    message: 'Also write a CI workflow that audits, builds, scans, attests and signs the image',
    defaultHelp: 'none',
    choices: () => CI_PROVIDERS,
    choiceHelp: {
      none: 'no CI workflow',
      github: '.github/workflows/container.yml (GitHub Actions, keyless cosign signing)',
      gitlab: '.gitlab-ci.yml (GitLab CI, BuildKit in docker:dind, keyless cosign signing)',
    },
    parse: (raw) => parseChoice(raw, CI_PROVIDERS),
    default: () => 'none' as const,
    advanced: true,
  }),
  q({
    key: 'pinDigests',
    flag: 'pin-digests',
    kind: 'boolean',
    message:
      'Pin every base and service image and the `# syntax=` frontend by digest (name:tag@sha256:…, resolved from the registry now; `secure-container pin` refreshes them)',
    defaultHelp: 'false',
    parse: (raw) => parseBoolean(raw),
    default: () => false,
    advanced: true,
  }),
  q({
    key: 'updateBot',
    flag: 'update-bot',
    kind: 'choice',
    message: 'Also write an update bot config that keeps base images, digests and actions fresh',
    defaultHelp: 'none',
    choices: () => UPDATE_BOTS,
    choiceHelp: {
      none: 'no update bot config',
      renovate: 'renovate.json (dockerfile, docker-compose and github-actions managers, digests pinned, bases grouped)',
      dependabot: '.github/dependabot.yml (docker, docker-compose and github-actions ecosystems, bases grouped)',
    },
    parse: (raw) => parseChoice(raw, UPDATE_BOTS),
    default: () => 'none' as const,
    advanced: true,
  }),
  q({
    key: 'packageRegistry',
    flag: 'package-registry',
    kind: 'string',
    message:
      'Package registry the install step uses (npm registry, pip index, GOPROXY, Maven mirror, NuGet source, gem source, Composer repository): an https URL without credentials',
    defaultHelp: 'upstream (the public registry of each tool)',
    parse: (raw) => parsePackageRegistry(raw),
    default: () => '',
    advanced: true,
  }),
  q({
    key: 'packageRegistrySecret',
    flag: 'package-registry-secret',
    kind: 'string',
    message:
      "Build secret NAME with the package registry's credentials (e.g. npm_token), mounted for the install step only; never a value",
    defaultHelp: 'none (an anonymous registry)',
    parse: (raw, a) => parsePackageRegistrySecret(raw, a),
    default: () => '',
    when: (a) => (a.packageRegistry ?? '') !== '',
    irrelevant: 'needs --package-registry (the registry the credentials are for)',
    advanced: true,
  }),
  q({
    key: 'env',
    // not `--env`: Yeoman keeps its Environment under options.env (yo secure-container would never see it)
    flag: 'app-env',
    kind: 'list',
    repeatable: true,
    message:
      'Run-time ENV the app reads, NAME=VALUE (one flag each; literal, never a secret: use --secret), written after our own ENV in the final stage',
    defaultHelp: "the literal, non-secret, non-toolchain ENV of your own Dockerfile's final stage, if there is one",
    parse: (raw) => parseEnvList(raw),
    default: (c) => appEnvDefault(c.facts.env?.value, c.partial, c.layout) ?? [],
    advanced: true,
  }),
];

export const QUESTION_BY_KEY: Readonly<Record<keyof Answers, Question>> = Object.fromEntries(
  QUESTIONS.map((x) => [x.key, x]),
) as Record<keyof Answers, Question>;

export const QUESTION_BY_FLAG: Readonly<Record<string, Question>> = Object.fromEntries(
  QUESTIONS.map((x) => [x.flag, x]),
);

export function isRelevant(qn: Question, a: Partial<Answers>, facts?: Facts): boolean {
  return qn.when ? qn.when(a, facts) : true;
}

/** Whether a relevant question is worth asking (see Question.applies). */
export function applies(qn: Question, a: Partial<Answers>): boolean {
  return qn.applies ? qn.applies(a) : true;
}

/** `value  description` lines of a choice question, aligned (for prompts and --help). */
export function describeChoices(qn: Question, values: readonly string[]): { value: string; label: string }[] {
  const w = Math.max(0, ...values.map((v) => v.length));
  return values.map((v) => ({ value: v, label: qn.choiceHelp?.[v] ? `${v.padEnd(w)}  ${qn.choiceHelp[v]}` : v }));
}

/** Neutral value of an irrelevant question, so stored answers are complete and stable. */
export function neutralValue(key: keyof Answers): Answers[keyof Answers] {
  switch (key) {
    case 'vaultAddr':
    case 'awsRegion':
      return '';
    case 'vaultMount':
      return 'secret';
    case 'vaultPaths':
    case 'awsSecretIds':
      return {};
    case 'packageRegistrySecret':
      return '';
    case 'phpServer':
      // left out of the answers (and .yo-rc.json) for runtimes other than PHP
      return undefined;
    case 'workspace':
      // left out of the answers (and .yo-rc.json) when the repository is not a workspace root
      return undefined;
    default:
      throw new Error(`no neutral value for ${key}`);
  }
}

export function answerError(qn: Question, message: string): AnswerError {
  return new AnswerError(qn.key, `--${qn.flag}`, message);
}
