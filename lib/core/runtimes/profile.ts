import type { Answers, DockerfileSpec, Flavor, PackageManager, ProjectLayout, Runtime } from '../types.js';

/** Base images of one (runtime, version, flavour) combination, before any registry prefix. */
export interface ImagePair {
  builder: string;
  final: string;
}

/**
 * A runtime profile: everything runtime-specific, as data plus small pure functions.
 * Adding a runtime adds one file that exports one of these (create-vite style), never an
 * `if` ladder in a template.
 */
export interface RuntimeProfile {
  runtime: Runtime;
  label: string;
  packageManagers: readonly PackageManager[];
  defaultPackageManager: PackageManager;
  defaultVersion: string;
  /** versions this profile can build, per flavour (exact strings after normalisation) */
  versions: Readonly<Partial<Record<Flavor, readonly string[]>>>;
  /** normalise a user/detected version ("22.11.0" -> "22", "3.12.4" -> "3.12"); throws with the allowed form */
  normalizeVersion(v: string): string;
  versionHelp: string;
  defaultPort: number;
  flavors: readonly Flavor[];
  images(version: string, flavor: Flavor): ImagePair;
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
  healthcheck(flavor: Flavor, port: number, path: string): string[];
  /** extra tmpfs paths on a read-only root filesystem besides /tmp */
  tmpfs: readonly string[];
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec;
  /** runtime-specific .dockerignore entries (dependency/build dirs, caches) */
  dockerignore(layout: ProjectLayout, a: Answers): string[];
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
