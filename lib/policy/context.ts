// P4: what counts as a secret-looking file, the .dockerignore lines that keep such files out of the
// build context (rendered into every generated .dockerignore), and the build-context scan of the
// self-check: (files of the repository, the .dockerignore that will be on disk) -> findings.
// Pure: the file list comes from lib/fs/walk.ts (called by lib/flow/generate.ts gatherContext).
// Patterns are evaluated with @balena/dockerignore, a port of Docker's (moby) own matcher.
import { profileFor } from '../runtimes/index.js';
import balenaDockerignore from '@balena/dockerignore';
import { AnswerError, type Finding, type Runtime } from '../core/types.js';
import { merge3 } from '../merge/index.js';

// a CommonJS package typed as an ES module: under NodeNext the default import is module.exports,
// whose `default` property is the factory itself (the package sets it for TypeScript)
const dockerignore = balenaDockerignore.default;

export interface PatternGroup {
  /** the comment written above the group in the generated .dockerignore */
  why: string;
  patterns: string[];
}

/**
 * Secret-looking names, as .dockerignore lines. Every line starts with `**` so it matches at any
 * depth: a bare `.env` only matches at the root, and `config/.env` would enter the build context
 * (and, with `COPY . .`, the image). Order matters: a `!` line re-includes what the lines above
 * excluded, and only those.
 */
const COMMON_SECRET_GROUPS: PatternGroup[] = [
  {
    why: 'local env files: values for development, never for an image (the app reads /run/secrets at run time); the root .env.example is a template without values',
    patterns: ['**/.env', '**/.env.*', '**/*.env', '**/.envrc', '!.env.example'],
  },
  {
    why: 'private keys, keystores and certificates (a CA bundle the app needs can be re-included with a `!path` line)',
    patterns: [
      '**/*.pem',
      '**/*.key',
      '**/*.p12',
      '**/*.pfx',
      '**/*.jks',
      '**/*.keystore',
      '**/*.ppk',
      '**/*.asc',
      '**/*.kdbx',
      '**/*.crt',
      '**/id_rsa*',
      '**/id_dsa*',
      '**/id_ecdsa*',
      '**/id_ed25519*',
      '**/*_rsa',
      '**/*_dsa',
      '**/*_ecdsa',
      '**/*_ed25519',
      '**/private_key',
      '**/private-key',
      '**/privkey',
    ],
  },
  {
    why: 'credentials of registries, package managers, clouds and tools',
    patterns: [
      '**/credentials',
      '**/credentials.json',
      '**/credentials.y*ml',
      '**/.git-credentials',
      '**/.npmrc',
      '**/.pypirc',
      '**/.netrc',
      // package registry credentials of pip, Maven and cargo (issue 19; SC1034 flags a COPY of them)
      '**/pip.conf',
      '**/pip.ini',
      '**/settings-security.xml',
      '**/.m2',
      '**/credentials.toml',
      '**/_netrc',
      '**/.htpasswd',
      '**/.pgpass',
      '**/.vault-token',
      '**/.docker',
      '**/.kube',
      '**/.ssh',
      '**/.aws',
      '**/.azure',
      '**/.gnupg',
      '**/.config/gcloud',
      '**/*.tfstate',
      '**/*.tfstate.*',
      '**/*.tfvars',
      '**/.terraform',
    ],
  },
  {
    why: 'secrets folders and files (compose file secrets live in ./secrets/)',
    patterns: ['**/secrets', '**/secrets.json', '**/secrets.y*ml', '**/secrets.toml', '**/secrets.txt'],
  },
];

/**
 * The secret lines of the generated .dockerignore for a runtime, grouped with the reason for each
 * group. Exceptions (`!`) are plain paths, never `**` globs: builders only walk into an excluded
 * directory for an exception whose path starts with that directory.
 */
export function secretPatternGroups(runtime: Runtime): PatternGroup[] {
  // a runtime's own exceptions: files we generate inside a secret-looking directory (Go's internal/secrets/)
  const own = profileFor(runtime).context.exceptions;
  return own.length === 0
    ? COMMON_SECRET_GROUPS
    : [...COMMON_SECRET_GROUPS, ...own.map((g) => ({ why: g.why, patterns: [...g.patterns] }))];
}

export function secretPatterns(runtime: Runtime): string[] {
  return secretPatternGroups(runtime).flatMap((g) => g.patterns);
}

/** The outermost directory named like a secrets folder on a path (`a/credentials/x.go` -> `a/credentials`). */
function secretDirOf(path: string): string | undefined {
  return /^(.*?(?:^|\/)(?:secrets|credentials))\//.exec(path)?.[1];
}

/**
 * Directories named like secret folders (`**\/secrets`, `**\/credentials`, excluded by every
 * generated .dockerignore) that hold only the runtime's source files and nothing secret-looking:
 * code the build needs (Go's vendor/google.golang.org/grpc/credentials, an app's
 * internal/credentials package). The generated .dockerignore re-includes each by its plain path.
 * Paths with characters that mean something to .dockerignore are never proposed.
 */
export function codeOnlySecretDirs(listing: ContextListing, runtime: Runtime): string[] {
  const isSecret = secretMatcher(runtime);
  const code = profileFor(runtime).context.sourceFiles;
  const verdict = new Map<string, boolean>();
  for (const path of listing.files) {
    const dir = secretDirOf(path);
    if (dir === undefined) continue;
    const ok = code.test(path) && !isSecret(path.slice(path.lastIndexOf('/') + 1)) && /^[A-Za-z0-9._/-]+$/.test(dir);
    verdict.set(dir, (verdict.get(dir) ?? true) && ok);
  }
  return [...verdict]
    .filter(([, ok]) => ok)
    .map(([d]) => d)
    .sort();
}

/**
 * Names that look like a private key whatever the case (`SERVER.KEY`, `Deploy_RSA`): Docker's
 * matching is case-sensitive, so these can pass a .dockerignore written in lower case.
 */
const PRIVATE_KEY_NAME =
  /(?:^|\/)(?:id_(?:rsa|dsa|ecdsa|ed25519)(?!\.pub$)[^/]*|[^/]*_(?:rsa|dsa|ecdsa|ed25519)|[^/]*\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx)|private[_-]?key|privkey|\.env|\.git-credentials|\.npmrc|\.pypirc|\.netrc)$/i;

/** Does a path of the build context look like it holds a secret (for a repository of this runtime)? */
export function secretMatcher(runtime: Runtime): (path: string) => boolean {
  const byName = dockerignore({ ignorecase: false }).add(secretPatterns(runtime));
  return (path) => byName.ignores(path) || PRIVATE_KEY_NAME.test(path);
}

/** The repository's files as the build context would list them (lib/fs/walk.ts). */
export interface ContextListing {
  /** every file and symlink, relative, `/`-separated */
  files: string[];
  /** directories not walked into (dependency/VCS dirs); checked against the .dockerignore instead */
  pruned: string[];
  /** the walk stopped at its bounds: the listing is incomplete */
  truncated: boolean;
  /** the repository's .dockerignore before this run, if any */
  dockerignore?: string;
  /** literal registry tokens in package-manager config files the install copies (see tokensIn) */
  tokens?: InlineToken[];
}

/** A package-manager setting holding a literal registry credential (not a `${VARIABLE}` reference). */
export interface InlineToken {
  path: string;
  /** 1-based */
  line: number;
  key: string;
}

/**
 * Package-manager config files that the install stages copy by name (so the .dockerignore cannot keep
 * them out) and that may hold a registry credential: yarn 2+ `.yarnrc.yml` (npmAuthToken,
 * npmAuthIdent, npmPassword, also under npmScopes/npmRegistries) and Bun's `bunfig.toml` (token,
 * password). Both read environment variables (`${NPM_TOKEN}`, `$NPM_TOKEN`): that form is safe to copy.
 */
export const TOKEN_CONFIG_FILES: Readonly<Partial<Record<string, RegExp>>> = {
  '.yarnrc.yml': /^\s*(npmAuthToken|npmAuthIdent|npmPassword)\s*:\s*(.*)$/,
  'bunfig.toml': /^\s*(token|password)\s*=\s*(.*)$/,
};

/** The literal credentials of one config file's text (linear: one anchored regex per line). */
export function tokensIn(path: string, text: string): InlineToken[] {
  const re = TOKEN_CONFIG_FILES[path.slice(path.lastIndexOf('/') + 1)];
  if (!re) return [];
  const out: InlineToken[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < 20; i++) {
    const m = re.exec(lines[i]);
    if (!m) continue;
    const value = m[2]
      .trim()
      .replace(/\s+#.*$/, '')
      .replace(/^["']|["']$/g, '');
    if (value === '' || value.includes('$')) continue;
    out.push({ path, line: i + 1, key: m[1] });
  }
  return out;
}

/**
 * Directories the walk does not enter, for speed: VCS and dependency/cache directories that the
 * generated .dockerignore of the runtime that has them excludes. One that the final .dockerignore
 * does not exclude is reported as not scanned.
 */
const PRUNE = [
  '.git',
  '.secure-container',
  '**/node_modules',
  '.npm',
  '.pnpm-store',
  '.yarn/cache',
  '.next/cache',
  '**/__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
];

export function contextPruner(): (relDir: string) => boolean {
  const m = dockerignore({ ignorecase: false }).add(PRUNE);
  return (relDir) => m.ignores(relDir);
}

/**
 * The .dockerignore that will be on disk after this run: the generated one, unless an upgrade
 * three-way merges it with the user's edits (state recorded, and the file changed since it was
 * generated). `secure-container init` never keeps a changed file (it stops, or --force overwrites).
 */
export function dockerignoreAfterWrite(
  generated: string,
  current: string | undefined,
  pristine: string | undefined,
  hasState: boolean,
): string {
  if (!hasState || current === undefined || pristine === undefined || current === pristine || current === generated)
    return generated;
  return merge3(pristine, current, generated).text;
}

/** A secret-looking file would enter the build context: the user must move or exclude it (exit 2, nothing written). */
export class SecretInContextError extends AnswerError {
  constructor(public readonly findings: Finding[]) {
    // one line: the CLI prints messages with control characters (newlines included) escaped
    // a credential inside a config file the install needs: the file must stay, the credential must go
    const token = findings.find((f) => f.rule === CONTEXT_INLINE_TOKEN);
    const files = findings.filter((f) => f.rule !== CONTEXT_INLINE_TOKEN);
    const one = files.length === 1;
    const names = files.map((f) => f.file).join(', ');
    super(
      'buildContext',
      'build context',
      token && files.length === 0
        ? `${token.message} (P4): ${token.fix}`
        : `${names} ${one ? 'looks like a secret and is' : 'look like secrets and are'} not excluded by .dockerignore, so the build would receive ` +
            `${one ? 'it' : 'them'} and \`COPY . .\` would copy ${one ? 'it' : 'them'} into an image layer (P4): move ${one ? 'it' : 'each'} out of the repository ` +
            `(or under secrets/), or add ${one ? 'its path' : 'each path'} to .dockerignore` +
            (token ? `; and ${token.message}` : ''),
    );
    this.name = 'SecretInContextError';
  }
}

const META = { principle: 'P4', refs: ['CIS-4.10', 'DS-0031'] };

function finding(
  severity: Finding['severity'],
  rule: string,
  name: string,
  file: string,
  message: string,
  fix: string,
): Finding {
  return { rule, name, principle: META.principle, severity, file, line: 0, message, refs: META.refs, fix };
}

/** Rule ids of the scan (not audit rules: they need the repository, not a file). */
export const CONTEXT_SECRET = 'SC0101';
export const CONTEXT_REINCLUDED = 'SC0102';
export const CONTEXT_UNSCANNED = 'SC0103';
export const CONTEXT_CODE_EXCLUDED = 'SC0104';
export const CONTEXT_INLINE_TOKEN = 'SC0105';

/**
 * The build-context scan: every file that the .dockerignore lets into the build context and that
 * looks like a secret. An error, unless a `!` line of the .dockerignore re-included it on purpose
 * (then a warning). Directories that were not walked (pruned) but are not excluded, and a walk
 * that hit its bounds, are warnings: that part of the context was not scanned.
 */
export function scanBuildContext(listing: ContextListing, dockerignoreText: string, runtime: Runtime): Finding[] {
  const lines = dockerignoreText.split(/\r?\n/);
  const ig = dockerignore({ ignorecase: false }).add(lines);
  // the same file without its exceptions: a file excluded there but not here was re-included by a `!` line
  const noExceptions = dockerignore({ ignorecase: false }).add(lines.filter((l) => !l.trim().startsWith('!')));
  const isSecret = secretMatcher(runtime);
  // secret by its own name (not merely by being inside a secrets/ directory)
  const secretByName = (p: string): boolean => isSecret(p.slice(p.lastIndexOf('/') + 1));
  const out: Finding[] = [];
  // source files of the runtime: such a file in a directory named secrets/credentials is code the build needs
  const code = profileFor(runtime).context.sourceFiles;
  // a credential written into a config file the install copies by name: it reaches the image
  for (const t of listing.tokens ?? []) {
    if (ig.ignores(t.path)) continue;
    out.push(
      finding(
        'error',
        CONTEXT_INLINE_TOKEN,
        'registry-token-in-config',
        t.path,
        `${t.path}:${t.line} holds a literal ${t.key}: the install copies ${t.path} into the image, and the registry credential with it`,
        t.key.startsWith('npm')
          ? `remove ${t.key} from ${t.path} (or write "\${NPM_TOKEN-}": yarn reads the variable) and pass the credential with --package-registry <url> --package-registry-secret <name> (exported as YARN_NPM_AUTH_TOKEN to the install step only)`
          : `write ${t.key} = "$NPM_TOKEN" in ${t.path} (bun reads the variable) and pass the credential with --package-registry <url> --package-registry-secret <name> (the install step only)`,
      ),
    );
  }
  for (const path of listing.files) {
    if (ig.ignores(path)) {
      // code in a package named secrets/credentials: the secret patterns keep it out of the build
      const dir = secretDirOf(path);
      if (dir && code.test(path) && !secretByName(path)) {
        out.push(
          finding(
            'warning',
            CONTEXT_CODE_EXCLUDED,
            'code-excluded-from-build-context',
            path,
            `${path} is excluded from the build context because it is in ${dir}/ (secret files): if the app needs it, the build will miss it`,
            `if ${dir}/ holds code and no secret, add "!${dir}" at the end of .dockerignore`,
          ),
        );
      }
      continue;
    }
    if (!isSecret(path)) continue;
    // code re-included from a directory named like a secrets folder (codeOnlySecretDirs): not a secret
    if (secretDirOf(path) !== undefined && code.test(path) && !secretByName(path)) continue;
    if (noExceptions.ignores(path)) {
      out.push(
        finding(
          'warning',
          CONTEXT_REINCLUDED,
          'secret-file-reincluded',
          path,
          `${path} looks like a secret and is re-included into the build context by a "!" line of .dockerignore: it will be in the image if a COPY takes it`,
          `make sure ${path} holds no secret, or remove the "!" line`,
        ),
      );
      continue;
    }
    out.push(
      finding(
        'error',
        CONTEXT_SECRET,
        'secret-file-in-build-context',
        path,
        `${path} looks like a secret and is not excluded by .dockerignore: it enters the build context, and an image layer with COPY . .`,
        `move ${path} out of the repository (or under secrets/), or add "${path}" to .dockerignore`,
      ),
    );
  }
  for (const dir of listing.pruned) {
    if (ig.ignores(dir)) continue;
    out.push(
      finding(
        'warning',
        CONTEXT_UNSCANNED,
        'build-context-not-scanned',
        `${dir}/`,
        `${dir}/ enters the build context but was not scanned for secrets (dependency or VCS directory)`,
        `add "${dir}" to .dockerignore if the image does not need it`,
      ),
    );
  }
  if (listing.truncated) {
    out.push(
      finding(
        'warning',
        CONTEXT_UNSCANNED,
        'build-context-not-scanned',
        '.',
        'the build context was only partly scanned for secret files (more than the walk bounds allow, or an unreadable directory)',
        'exclude large or deep directories the image does not need in .dockerignore',
      ),
    );
  }
  return out;
}
