// The digests --pin-digests resolved, recorded in .yo-rc.json under our entry's `digests` (image
// reference as rendered -> "sha256:…"): `upgrade` re-renders with them (no network, no silent base
// change: P7), and only `secure-container pin` moves them. A hostile file yields nothing, never throws.
import { readYoRcEntry, withYoRcEntry } from '../state/index.js';
import type { DigestMap } from '../core/registry.js';

export const DIGESTS_KEY = 'digests';
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** .yo-rc.json text with our entry's digests set (removed when there are none). */
export function withDigests(yoRcText: string, digests: DigestMap | undefined): string {
  return withYoRcEntry(
    yoRcText,
    DIGESTS_KEY,
    digests && Object.keys(digests).length
      ? Object.fromEntries(Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : undefined,
  );
}

/** The digests recorded in a .yo-rc.json text (well-formed entries only). */
export function readDigests(yoRcText: string | undefined): Record<string, string> {
  const d = readYoRcEntry(yoRcText, DIGESTS_KEY) ?? {};
  return Object.fromEntries(
    Object.entries(d).filter((e): e is [string, string] => typeof e[1] === 'string' && DIGEST_RE.test(e[1])),
  );
}
