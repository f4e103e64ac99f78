// The runtime plug-in contract. Everything one runtime knows lives in lib/runtimes/<runtime>/ and
// reaches the rest of the code only through a RuntimeProfile row of the table in ./index.ts: no
// runtime-name comparison anywhere else (test/runtimes/boundary.test.ts enforces it).
import type {
  Answers,
  ContainerSpec,
  DockerfileSpec,
  Facts,
  Flavor,
  GeneratedFile,
  PackageManager,
  ProjectLayout,
  Runtime,
} from '../core/types.js';
import type { Ctx, DetectedFacts } from '../detect/model.js';
import type { PackageRegistryRef, RegistrySetup } from './package-registry.js';
// --package-registry (issue 19): the code outside lib/runtimes/ reaches it through this module (the runtime boundary)
export {
  packageRegistryNotes,
  packageRegistrySpec,
  parsePackageRegistry,
  parsePackageRegistrySecret,
  type PackageRegistrySpec,
} from './package-registry.js';

/** Base images of one (runtime, version, flavour) combination, before any registry prefix. */
export interface ImagePair {
  builder: string;
  final: string;
}

/** What a runtime's detector found: facts with sources, and the files worth scanning first for the port. */
export interface RuntimeDetection {
  facts: DetectedFacts;
  /** entry files (scanned first for the port and the health route) */
  entryFiles: string[];
  /** adjust the facts once the port is known (Python: rebind a server's --bind/--port to it) */
  withPort?(facts: DetectedFacts): void;
}

/** A runtime's claim on a repository: the lowest rank wins, the others are named as alternatives. */
export interface RuntimeClaim {
  /** 10: an application manifest (package.json with dependencies, pyproject.toml, go.mod …); 90: a manifest that is only tooling */
  rank: number;
  /** the manifest(s) the claim rests on, shown as the runtime fact's source */
  source: string;
  /** the full detection, run only for the winning claim */
  detect(): RuntimeDetection;
}

/** Where the port is in the code: which files to scan and the patterns (group 1 is the port). */
export interface CodeScan {
  files: RegExp;
  ports: readonly RegExp[];
}

/** Read-only, capped peeks at the repository for the layout (lib/flow/generate.ts gatherContext provides them). */
export interface RepoPeek {
  /** text of a regular file inside the repository (undefined if absent, unsafe or too large) */
  readText(path: string): string | undefined;
  /** the path exists (presence only: never read) */
  exists(path: string): boolean;
}

/** The lines the build-context secret scan and the generated .dockerignore need from a runtime. */
export interface ContextRules {
  /** source files of this runtime: such a file under a directory named secrets/ is code, not a secret */
  sourceFiles: RegExp;
  /** `!` exceptions for files we generate inside a secret-looking directory, with the reason */
  exceptions: readonly { why: string; patterns: readonly string[] }[];
}

/**
 * A runtime profile: everything runtime-specific, as data plus small pure functions (create-vite
 * style: adding a runtime adds a folder under lib/runtimes/ and a row in ./index.ts, never an `if`
 * ladder elsewhere or in a template).
 */
export interface RuntimeProfile {
  runtime: Runtime;
  label: string;
  /** one line next to the runtime choice in prompts, --help and the README */
  choiceHelp: string;
  /** the manifests that make a repository this runtime's, for messages ("no package.json, … or go.mod") */
  manifestNames: readonly string[];
  /** claim the repository when its manifest is present (pure: reads through ctx only) */
  claim(ctx: Ctx): RuntimeClaim | undefined;
  /** port detection in this runtime's code */
  code: CodeScan;
  /** presence/content hints the layout needs, computed once with I/O before the pure part */
  layoutHints?(facts: DetectedFacts, repo: RepoPeek): Partial<ProjectLayout>;
  /** facts + answers (+ hints) -> the files the Dockerfile copies first and where the build writes */
  layout(facts: DetectedFacts, a: Answers, hints: Partial<ProjectLayout>): ProjectLayout;
  /** an example start command for messages ("pass --start …") */
  startExample(name: string): string;
  /** absolute directory of this runtime's templates: Dockerfile.ejs and secrets-helper.ejs */
  templateDir: string;
  /** where --secrets-helper writes the readSecret(name) helper in this language */
  secretsHelperPath: string;
  /** files this runtime adds besides the common outputs (the Go health probe) */
  extraFiles?(spec: ContainerSpec): GeneratedFile[];
  context: ContextRules;
  packageManagers: readonly PackageManager[];
  defaultPackageManager: PackageManager;
  defaultVersion: string;
  /** versions this profile can build, per flavour (exact strings after normalisation) */
  versions: Readonly<Partial<Record<Flavor, readonly string[]>>>;
  /** package managers whose workspaces one member can be containerized from (--workspace) */
  workspacePackageManagers?: readonly PackageManager[];
  /** the facts seen from one workspace member (its start, build and output, relative to the root) */
  memberFacts?(facts: Facts, member: string, pm: PackageManager | undefined): Facts;
  /** normalise a user/detected version ("22.11.0" -> "22", "3.12.4" -> "3.12"); throws with the allowed form */
  normalizeVersion(v: string): string;
  versionHelp: string;
  defaultPort: number;
  flavors: readonly Flavor[];
  /** `a`: the answers when known (PHP: --php-server picks the image) */
  images(version: string, flavor: Flavor, a?: Answers): ImagePair;
  /** the non-root user the final image is conventionally run as (distroless: 65532) */
  defaultUser(flavor: Flavor): number;
  /** absolute path of the interpreter in the final image, or null for compiled runtimes */
  interpreter(flavor: Flavor): string | null;
  /** turn the logical start argv (["node","server.js"]) into the final ENTRYPOINT argv */
  entrypoint(start: string[], flavor: Flavor, a: Answers): string[];
  /** validate the logical start argv; return an error text or undefined */
  checkStart(start: string[], a: Pick<Answers, 'name'>): string | undefined;
  defaultStart(a: Pick<Answers, 'name' | 'port'>, layout: ProjectLayout): string[] | undefined;
  /** compiled runtimes: point a detected/stored start at the binary the build writes for `name` */
  rebaseStart?(start: string[], name: string): string[];
  /** HEALTHCHECK probe that works in the final image (no shell, no curl in distroless) */
  healthcheck(flavor: Flavor, port: number, path: string, a?: Answers): string[];
  /** extra tmpfs paths on a read-only root filesystem besides /tmp */
  tmpfs: readonly string[];
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec;
  /** runtime-specific .dockerignore entries (dependency/build dirs, caches) */
  dockerignore(layout: ProjectLayout, a: Answers): string[];
  /**
   * How the app is served, for README.Docker.md (issue 14: why nginx for a static site, why
   * FrankenPHP and not PHP-FPM plus nginx): sections of Markdown, each a title and its text. Optional;
   * lib/outputs/readme.ts renders them when it reads this member.
   */
  readmeNotes?(spec: ContainerSpec): { title: string; body: string }[];
  /**
   * A second container the app is served through (issue 14: nginx in front of PHP-FPM), for
   * compose.yaml: its services and networks, and the networks of the app service. undefined = none;
   * when present, the extra services publish the port and the app service publishes none.
   */
  composeServices?(
    spec: ContainerSpec,
  ): { services: Record<string, unknown>; networks: Record<string, unknown>; appNetworks: string[] } | undefined;
  /**
   * --package-registry (issue 19): the shell lines around this runtime's install command that point
   * its tool at the registry and, with --package-registry-secret, turn the mounted secret into the
   * tool's credentials inside that RUN only (./package-registry.ts wraps them). Absent = the runtime
   * installs nothing from a package registry.
   */
  packageRegistry?(reg: PackageRegistryRef, a: Answers, layout: ProjectLayout): RegistrySetup;
}

/** POSIX single-quote a validated token for a shell-form RUN line (tokens never contain '). */
export function shq(tok: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(tok) ? tok : `'${tok}'`;
}

export function shellLine(argv: string[]): string {
  return argv.map(shq).join(' ');
}

/** BuildKit secret mounts for the install/build steps: each at /run/secrets/<id> (P4). */
export function secretMounts(ids: string[]): string {
  return ids.map((id) => `--mount=type=secret,id=${id} `).join('');
}

/** A tiny HTTP probe for runtimes with an interpreter: healthy iff the app answers 2xx/3xx. */
export function httpProbeUrl(port: number, path: string): string {
  return `http://127.0.0.1:${port}${path}`;
}

const SAFE_PATH = /^(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._][A-Za-z0-9._/-]*$/;

/** A relative path from the user's disk, re-validated for a COPY line (undefined when unsafe). */
export function safeRelPath(p: string | undefined): string | undefined {
  return p && SAFE_PATH.test(p) && !p.startsWith('/') ? p.replace(/\/+$/, '') : undefined;
}
