// The digests --pin-digests resolved, recorded in .yo-rc.json under our entry's `digests` (image
// reference as rendered -> "sha256:…"): `upgrade` re-renders with them (no network, no silent base
// change: P7), and only `secure-container pin` moves them. A hostile file yields nothing, never throws.
import { GENERATOR_NAME } from '../core/version.js';
import type { DigestMap } from '../core/registry.js';

export const DIGESTS_KEY = 'digests';
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** .yo-rc.json text with our entry's digests set (removed when there are none). */
export function withDigests(yoRcText: string, digests: DigestMap | undefined): string {
  let obj: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    obj = isObject(parsed) ? parsed : {};
  } catch {
    return yoRcText;
  }
  const entry = obj[GENERATOR_NAME];
  const ours: Record<string, unknown> = isObject(entry) ? { ...entry } : {};
  if (digests && Object.keys(digests).length)
    ours[DIGESTS_KEY] = Object.fromEntries(Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  else delete ours.digests;
  return JSON.stringify({ ...obj, [GENERATOR_NAME]: ours });
}

/** The digests recorded in a .yo-rc.json text (well-formed entries only). */
export function readDigests(yoRcText: string | undefined): Record<string, string> {
  if (yoRcText === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(yoRcText);
    const ours = isObject(parsed) ? parsed[GENERATOR_NAME] : undefined;
    const d = isObject(ours) ? ours[DIGESTS_KEY] : undefined;
    if (!isObject(d)) return {};
    return Object.fromEntries(
      Object.entries(d).filter((e): e is [string, string] => typeof e[1] === 'string' && DIGEST_RE.test(e[1])),
    );
  } catch {
    return {};
  }
}
