// Confirmed presets ("direnv allow" for presets): which recorded preset a user confirmed with
// --trust-preset for which checkout, and the sha256 of the preset documents it confirmed. The store
// lives in the user's state directory, never in the repository (a repository must not be able to
// pre-trust itself), and a failure to write it never fails the run: the caller gets a warning.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isWithin, readRegularFile } from '../fs/safe.js';

export const TRUST_FILE = 'trusted-presets.json';

/** $SECURE_CONTAINER_STATE_DIR, else $XDG_STATE_HOME/generator-secure-container, else ~/.local/state/generator-secure-container. */
export function trustStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['SECURE_CONTAINER_STATE_DIR'];
  if (own) return resolve(own);
  const xdg = env['XDG_STATE_HOME'];
  // the XDG spec ignores a relative XDG_STATE_HOME
  if (xdg && isAbsolute(xdg)) return join(xdg, 'generator-secure-container');
  return join(homedir(), '.local', 'state', 'generator-secure-container');
}

/** One confirmed preset of one checkout. */
export interface TrustEntry {
  ref: string;
  sha256: string;
  confirmed: string;
}

interface TrustFile {
  version: 1;
  /** keyed by the realpath of the repository root */
  repositories: Partial<Record<string, TrustEntry>>;
}

/** One preset document that needed trust, as read (bytes, not the parsed value). */
export interface TrustedDocument {
  /** stable name: package name and path inside it, or the absolute path of a file */
  display: string;
  bytes: Buffer;
}

/** sha256 over the documents (each named and length-prefixed, so their boundaries count). */
export function documentsDigest(docs: readonly TrustedDocument[]): string {
  const h = createHash('sha256');
  for (const d of docs) {
    h.update(`${d.display}\0${d.bytes.length}\0`);
    h.update(d.bytes);
  }
  return h.digest('hex');
}

/** A store inside the repository would let the repository confirm its own preset: ignored. */
function storeUsable(dir: string, repoReal: string): boolean {
  let real = resolve(dir);
  try {
    real = realpathSync(dir);
  } catch {
    // not created yet: judge the path as given
  }
  return !isWithin(repoReal, real);
}

function readStore(dir: string): TrustFile {
  const r = readRegularFile(join(dir, TRUST_FILE));
  const empty: TrustFile = { version: 1, repositories: {} };
  if (!r.ok) return empty;
  try {
    const v = JSON.parse(r.text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return empty;
    const repos = (v as { repositories?: unknown }).repositories;
    if (repos === null || typeof repos !== 'object' || Array.isArray(repos)) return empty;
    // own properties only: the keys are paths, never looked up on the prototype
    const out: Record<string, TrustEntry> = Object.create(null) as Record<string, TrustEntry>;
    for (const [k, e] of Object.entries(repos as Record<string, unknown>)) {
      if (!e || typeof e !== 'object') continue;
      // the file may have been edited: every field is checked, nothing assumed
      const r = e as { ref?: unknown; sha256?: unknown; confirmed?: unknown };
      if (typeof r.ref === 'string' && typeof r.sha256 === 'string') {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any JSON value is kept as its String() (as before)
        out[k] = { ref: r.ref, sha256: r.sha256, confirmed: String(r.confirmed ?? '') };
      }
    }
    return { version: 1, repositories: out };
  } catch {
    return empty;
  }
}

/** The confirmation recorded for this checkout (repository realpath), if it is for `ref`. */
export function lookupTrust(dir: string, repoReal: string, ref: string): TrustEntry | undefined {
  if (!storeUsable(dir, repoReal)) return undefined;
  const e = readStore(dir).repositories[repoReal];
  return e && e.ref === ref ? e : undefined;
}

/**
 * Record that `ref` with documents `sha256` is confirmed for the checkout at `repoReal`. Returns a
 * warning instead of throwing when the store cannot be written (read-only home, …).
 */
export function recordTrust(
  dir: string,
  repoReal: string,
  ref: string,
  sha256: string,
  now: Date = new Date(),
): string | undefined {
  const file = join(dir, TRUST_FILE);
  if (!storeUsable(dir, repoReal))
    return `the preset trust store ${dir} is inside this repository: not used; confirm with --trust-preset on every run, or set SECURE_CONTAINER_STATE_DIR`;
  let tmp: string | undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const store = readStore(dir);
    const repositories: Partial<Record<string, TrustEntry>> = {
      ...store.repositories,
      [repoReal]: { ref, sha256, confirmed: now.toISOString() },
    };
    const sorted = Object.fromEntries(Object.entries(repositories).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    writeFileSync(tmp, JSON.stringify({ version: 1, repositories: sorted }, null, 2) + '\n', {
      flag: 'wx',
      mode: 0o600,
    });
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    if (tmp) rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return `could not record the confirmed preset in ${file} (${code}): it will be asked again next time (pass --trust-preset, or set SECURE_CONTAINER_STATE_DIR to a writable directory)`;
  }
}
