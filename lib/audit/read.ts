// Read one file for the audit: UTF-8 text, or the reason it cannot be audited (→ SC0002).
// Through lib/fs/safe.ts: regular files only (a FIFO or /dev/zero is never opened for reading),
// never through a final symlink, at most MAX_BYTES. Nothing of a refused file is echoed.
import { readRegularBytes } from '../fs/safe.js';

export const MAX_BYTES = 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string }
  /** content problem: reported as a SC0002 finding */
  | { ok: false; fatal: false; reason: string }
  /** OS-level problem (permission denied, vanished): SC0002 finding and exit code 2 */
  | { ok: false; fatal: true; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readAuditFile(abs: string): ReadResult {
  // the bytes only: decodeAuditBytes decodes them (strict UTF-8), once
  const r = readRegularBytes(abs, { maxBytes: MAX_BYTES });
  if (!r.ok) {
    switch (r.why) {
      case 'too-large':
        return { ok: false, fatal: false, reason: `file is larger than 1 MiB: not audited` };
      case 'not-regular':
        return { ok: false, fatal: false, reason: `file ${r.message}: not audited` };
      case 'symlink':
        return { ok: false, fatal: false, reason: 'file is a symbolic link: not followed' };
      case 'absent':
        return { ok: false, fatal: true, reason: 'cannot read: ENOENT' };
      default:
        return { ok: false, fatal: true, reason: r.message.replace(/^cannot be read \((.*)\)$/, 'cannot read: $1') };
    }
  }
  return decodeAuditBytes(r.bytes);
}

/**
 * A file's bytes as the text the audit reads: UTF-8 (strict), no NUL, not blank. A byte-order
 * mark is removed (`bom` holds what was removed, so a fix can write it back).
 */
export function decodeAuditBytes(
  bytes: Uint8Array,
): { ok: true; text: string; bom: string } | { ok: false; fatal: false; reason: string } {
  if (bytes.length === 0) return { ok: false, fatal: false, reason: 'file is empty' };
  if (bytes.includes(0)) return { ok: false, fatal: false, reason: 'file is binary (contains NUL bytes)' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, fatal: false, reason: 'file is not valid UTF-8 (convert it to UTF-8)' };
  }
  // the decoder drops a leading byte-order mark; a second one is dropped here
  let bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bom += '\ufeff';
  }
  if (text.trim() === '') return { ok: false, fatal: false, reason: 'file is empty (whitespace only)' };
  return { ok: true, text, bom };
}
