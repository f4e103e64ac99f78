// Package registries behind a mirror (issue 19, --package-registry / --package-registry-secret).
// The URL is not a secret: it is validated here (https, http only for localhost, no credentials in
// it) and written into the install step. The credentials are a BuildKit secret NAME only: mounted
// for the install RUN (required=true, at /run/secrets/<name>) and turned into the tool's own
// credential form inside that RUN, so they never reach an ARG, ENV, COPYed file or layer (P4).
// What each tool needs is the runtime's business: its profile's packageRegistry() hook returns the
// shell lines; this module only wraps them around the install command.
import type { Answers, ContainerSpec, ProjectLayout } from '../core/types.js';
import { SECRET_NAME, parseString } from '../core/answers/parse.js';

/** The registry as the hooks see it: a validated URL and the secret's name ("" = none). */
export interface PackageRegistryRef {
  /** the normalised URL, e.g. "https://npm.internal.example/repository/npm/" (always ends in "/") */
  url: string;
  /** scheme + "://" */
  scheme: string;
  /** host[:port] + path, without the scheme (for assembling user:password@ inside the RUN) */
  rest: string;
  /** host[:port] */
  host: string;
  /** the BuildKit secret holding the credentials, "" = an anonymous registry */
  secret: string;
  /** shell expression reading the secret's content inside the RUN */
  read: string;
}

/** What one runtime's tool needs around its install command, inside the same RUN. */
export interface RegistrySetup {
  /** commands before the install (export the tool's variables, write a temporary config without the secret) */
  before: string[];
  /** commands after it (remove the temporary config, so it never reaches the layer) */
  after: string[];
  /** what the secret must hold, for README.Docker.md ("the registry token", "user:password") */
  secretForm: string;
  /** the tools configured, for README.Docker.md ("npm (NPM_CONFIG_REGISTRY)") */
  tools: string;
  /** what the mirror cannot cover for this tool, for README.Docker.md ("" = nothing) */
  caveat?: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** a path shell-, XML- and JSON-safe inside single quotes (no ', ", &, <, $, `, \ or spaces) */
const SAFE_PATH = /^\/[A-Za-z0-9._~%+/-]*$/;

/**
 * Parse --package-registry: "" (upstream) or an https URL (http only for localhost), without
 * credentials, query or fragment. Throws one line naming what is allowed; the value is never echoed
 * when it holds credentials.
 */
export function parsePackageRegistry(raw: unknown): string {
  const s = parseString(raw);
  if (s === '') return '';
  const allowed = 'must be an https:// URL such as https://npm.internal.example/ (http:// only for localhost)';
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new Error(`the value ${allowed}`);
  }
  if (u.username !== '' || u.password !== '')
    throw new Error(
      'must not contain credentials (user:password@): name a BuildKit secret with --package-registry-secret instead',
    );
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname)))
    throw new Error(`${JSON.stringify(`${u.protocol}//${u.host}`)} ${allowed}`);
  if (u.search !== '' || u.hash !== '' || !SAFE_PATH.test(u.pathname))
    throw new Error(
      `the value ${allowed}, with a plain path (letters, digits, . _ ~ % + - /) and no ?query or #fragment`,
    );
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/*$/, '/')}`;
}

/** Parse --package-registry-secret: one build secret name (never a value). */
export function parsePackageRegistrySecret(raw: unknown, a: Partial<Answers>): string {
  const s = parseString(raw);
  if (s === '') return '';
  if (!SECRET_NAME.test(s))
    throw new Error(`${JSON.stringify(s)} must be a secret NAME: lowercase letters, digits and _ (1-63 characters)`);
  if ((a.secrets ?? []).includes(s))
    throw new Error(
      `${JSON.stringify(s)} is also a runtime --secret: use a distinct name so a build credential never reaches the running container`,
    );
  return s;
}

/** The registry of these answers, or undefined (upstream). */
export function registryRef(
  a: Pick<Answers, 'packageRegistry' | 'packageRegistrySecret'>,
): PackageRegistryRef | undefined {
  const url = a.packageRegistry ?? '';
  if (url === '') return undefined;
  const u = new URL(url);
  const secret = a.packageRegistrySecret ?? '';
  return {
    url,
    scheme: `${u.protocol}//`,
    rest: `${u.host}${u.pathname}`,
    host: u.host,
    secret,
    read: `$(cat /run/secrets/${secret})`,
  };
}

/** The secret mount of the install RUN ("" without a secret, or when --build-secret already mounts it). */
export function registryMount(a: Pick<Answers, 'packageRegistrySecret' | 'buildSecrets'>): string {
  const s = a.packageRegistrySecret ?? '';
  if (s === '' || a.buildSecrets.includes(s)) return '';
  // required: a build without the secret fails at once instead of reaching the registry anonymously
  return `--mount=type=secret,id=${s},required=true `;
}

/** A runtime profile's hook, as this module calls it (no import cycle with ./profile.ts). */
interface WithHook {
  packageRegistry?(reg: PackageRegistryRef, a: Answers, layout: ProjectLayout): RegistrySetup;
}

/** The setup of a profile for these answers, or undefined (upstream, or a runtime without the hook). */
export function registrySetup(
  p: WithHook,
  a: Answers,
  layout: ProjectLayout,
): (RegistrySetup & { mount: string }) | undefined {
  const ref = registryRef(a);
  if (ref === undefined) return undefined;
  if (p.packageRegistry === undefined) return undefined;
  return { ...p.packageRegistry(ref, a, layout), mount: registryMount(a) };
}

/**
 * One install command on one line with the registry around it: `<mount>before && cmd && after`.
 * `mounts` are the RUN's other mounts (cache, --build-secret), kept first.
 */
export function withRegistry(
  setup: (RegistrySetup & { mount: string }) | undefined,
  mounts: string,
  cmd: string,
): string {
  if (setup === undefined) return `${mounts}${cmd}`;
  // one command a line, so the registry lines read on their own around the install
  return `${mounts}${setup.mount}\\\n    ${[...setup.before, cmd, ...setup.after].join(' \\\n    && ')}`;
}

/** The same for the runtimes whose RUN bodies are one command a line: the commands with the registry around them. */
export function registryLines(setup: (RegistrySetup & { mount: string }) | undefined, cmds: string[]): string[] {
  return setup === undefined ? cmds : [...setup.before, ...cmds, ...setup.after];
}

/** `export A="…"`: one variable a line (a later one may read an earlier one). */
export function exportVar(name: string, value: string): string {
  return `export ${name}="${value}"`;
}

/** The `user:password` secret split into two variables inside the RUN (never a file). */
export function splitBasic(ref: PackageRegistryRef, user: string, password: string): string[] {
  return [`c="${ref.read}"`, exportVar(user, '${c%%:*}'), exportVar(password, '${c#*:}')];
}

/** A file written inside the RUN (printf, one argument a line): the content never holds the secret. */
export function writeLines(path: string, lines: string[]): string {
  return `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} > ${path}`;
}

/**
 * npm, pnpm, yarn classic, bun, Deno's npm: specifiers: NPM_CONFIG_REGISTRY, and with a secret a
 * user-level .npmrc whose token is `${SC_REGISTRY_TOKEN}` (npm expands it from the environment of
 * this RUN only), removed in the same RUN.
 */
export function npmSetup(ref: PackageRegistryRef, extra: string[] = []): RegistrySetup {
  const before = [exportVar('NPM_CONFIG_REGISTRY', ref.url), ...extra];
  if (ref.secret === '')
    return { before, after: [], secretForm: '', tools: 'npm-compatible registry (NPM_CONFIG_REGISTRY)' };
  return {
    before: [
      exportVar('SC_REGISTRY_TOKEN', ref.read),
      ...before,
      writeLines('"$HOME/.npmrc"', [`registry=${ref.url}`, `//${ref.rest}:_authToken=\${SC_REGISTRY_TOKEN}`]),
    ],
    after: ['rm -f "$HOME/.npmrc"'],
    secretForm: 'the registry token (sent as `Authorization: Bearer`)',
    tools: 'npm-compatible registry (NPM_CONFIG_REGISTRY, a temporary ~/.npmrc with `_authToken=${SC_REGISTRY_TOKEN}`)',
  };
}

/** What README.Docker.md says about the registry: settled once in lib/spec/build.ts. */
export interface PackageRegistrySpec {
  url: string;
  /** the BuildKit secret name, "" = none */
  secret: string;
  /** the tools configured ("" = this runtime installs nothing from a registry) */
  tools: string;
  secretForm: string;
  caveat: string;
}

/** `{ packageRegistry }` for the spec, or `{}` without --package-registry. */
export function packageRegistrySpec(
  p: WithHook,
  a: Answers,
  layout: ProjectLayout,
): { packageRegistry?: PackageRegistrySpec } {
  const ref = registryRef(a);
  if (ref === undefined) return {};
  const setup = p.packageRegistry?.(ref, a, layout);
  return {
    packageRegistry: {
      url: ref.url,
      secret: ref.secret,
      tools: setup?.tools ?? '',
      secretForm: setup?.secretForm ?? '',
      caveat: setup?.caveat ?? '',
    },
  };
}

/** A Markdown section for README.Docker.md: which registry, how to pass the secret (none without a registry). */
export function packageRegistryNotes(spec: ContainerSpec): { title: string; body: string }[] {
  const reg = spec.packageRegistry;
  if (reg === undefined) return [];
  if (reg.tools === '')
    return [
      {
        title: 'Package registry',
        body: `\`--package-registry ${reg.url}\` has no effect for ${spec.runtime}: its build installs no packages from a registry.`,
      },
    ];
  const env = reg.secret.toUpperCase();
  const lines = [
    `The install step gets its packages from \`${reg.url}\` (\`--package-registry\`): ${reg.tools}.`,
    ...(reg.caveat ? ['', reg.caveat] : []),
  ];
  if (reg.secret !== '')
    lines.push(
      '',
      `Its credentials are the BuildKit secret \`${reg.secret}\` (\`--package-registry-secret\`), holding ${reg.secretForm}.`,
      'It is mounted for the install step only (`RUN --mount=type=secret,required=true`) and turned into the',
      "tool's credentials inside that step: never an ARG, ENV or a file in a layer (P4). Pass it at build time:",
      '',
      '```sh',
      `docker build --secret id=${reg.secret},env=${env} .`,
      `podman build --secret id=${reg.secret},src=/path/outside/the/repo/${reg.secret} .`,
      '```',
      '',
      `\`docker compose build\` reads it from \`${env}\` (\`build.secrets\` in compose.yaml). A build without it fails`,
      'at the install step rather than asking the registry anonymously.',
    );
  return [{ title: 'Package registry', body: lines.join('\n') }];
}
