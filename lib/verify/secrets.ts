// Which files in an image look like secrets: the names the generated .dockerignore excludes and the
// build-context scan reports (lib/policy/context.ts secretMatcher, one list for all three), and, for
// the few names that are as often harmless as not, the first bytes of the file (lib/policy/secrets.ts).
import balenaDockerignore from '@balena/dockerignore';
import { secretMatcher, secretPatterns } from '../policy/context.js';
import { isSecretValue } from '../policy/secrets.js';
import { profiles } from '../runtimes/index.js';

// a CommonJS package typed as an ES module (see lib/policy/context.ts)
const dockerignore = balenaDockerignore.default;

/**
 * The runtime-independent matcher: the patterns of a runtime without exceptions of its own are the
 * common list (a runtime's exceptions only re-include its own generated code, e.g. Go's helper
 * package, which a built image does not carry as source).
 */
let common: ((path: string) => boolean) | undefined;
function commonMatcher(): (path: string) => boolean {
  if (common) return common;
  const plain = profiles().find((p) => p.context.exceptions.length === 0);
  if (plain) return (common = secretMatcher(plain.runtime));
  // every runtime has exceptions: a path is secret-looking when any runtime's matcher says so
  const all = profiles().map((p) => secretMatcher(p.runtime));
  return (common = (p) => all.some((m) => m(p)));
}

/**
 * Names decided by content: a `.pem`/`.crt` is usually a certificate or a CA bundle (every distro
 * and `certifi` ship them), an `.npmrc` or `.pypirc` is often only a registry URL. These are
 * secrets only when their first bytes hold a private key or a credential.
 */
const BY_CONTENT = /(?:^|\/)(?:[^/]*\.(?:pem|crt|cer|asc)|\.npmrc|\.pypirc)$/i;
/** A credential line of .npmrc / .pypirc: `//registry/:_authToken=…`, `_auth=`, `_password=`, `password:` */
const CREDENTIAL_LINE = /(?:^|[\s:])(?:_authToken|_auth|_password|password)\s*[=:]\s*\S/im;
const PGP_PRIVATE = /-----BEGIN PGP PRIVATE KEY BLOCK-----/;

/**
 * Names the shared list re-includes on purpose (its `!` lines: the `.env.example` template), by
 * base name: in an image they sit under the WORKDIR, not at the root the .dockerignore line names.
 */
let exceptions: Set<string> | undefined;
function isException(path: string): boolean {
  exceptions ??= new Set(
    secretPatterns(profiles()[0]?.runtime ?? 'node')
      .filter((p) => p.startsWith('!') && !p.includes('*'))
      .map((p) => p.slice(Math.max(1, p.lastIndexOf('/') + 1))),
  );
  return exceptions.has(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * A public key (`id_rsa.pub`, `deploy_ed25519.pub`) is not a secret: the .dockerignore keeps it out
 * of the build context with its private key (`id_rsa*`), but in an image it is harmless.
 */
const PUBLIC_KEY = /(?:^|\/)[^/]*(?:id_|_)(?:rsa|dsa|ecdsa|ed25519)[^/]*\.pub$/i;

/** How many bytes of a BY_CONTENT file the scan keeps (a key or token sits at the start) */
export const HEAD_BYTES = 64 * 1024;

/** Does the scan need the first bytes of this file to decide? */
export const needsContent = (path: string): boolean => BY_CONTENT.test(path) && commonMatcher()(path);

/**
 * Why a file in an image looks like a secret, or undefined when it does not. `head` is the file's
 * first bytes when needsContent(path); without them a content-decided name is not reported.
 */
export function secretReason(path: string, head: string | undefined): string | undefined {
  if (!commonMatcher()(path) || isException(path) || PUBLIC_KEY.test(path)) return undefined;
  if (!BY_CONTENT.test(path)) return 'its name is on the secret list of the generated .dockerignore';
  if (head === undefined) return undefined;
  if (isSecretValue(head) || PGP_PRIVATE.test(head)) return 'it holds a private key or a token';
  if (/(?:^|\/)\.(?:npmrc|pypirc)$/i.test(path) && CREDENTIAL_LINE.test(head)) return 'it holds a registry credential';
  return undefined;
}

/** --allow-path patterns (.dockerignore syntax, matched against the path inside the image) */
export function allowMatcher(patterns: string[]): (path: string) => boolean {
  if (!patterns.length) return () => false;
  const m = dockerignore({ ignorecase: false }).add(patterns);
  return (p) => m.ignores(p);
}
