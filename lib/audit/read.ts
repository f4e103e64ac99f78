// Read one file for the audit: UTF-8 text, or the reason it cannot be audited (→ SC0002).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_BYTES = 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string }
  /** content problem: reported as a SC0002 finding */
  | { ok: false; fatal: false; reason: string }
  /** OS-level problem (permission denied, vanished): SC0002 finding and exit code 2 */
  | { ok: false; fatal: true; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readAuditFile(abs: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return { ok: false, fatal: true, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_BYTES) return { ok: false, fatal: false, reason: `file is larger than 1 MiB (${size} bytes): not audited` };
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const bytes = buf.subarray(0, off);
    if (bytes.length === 0) return { ok: false, fatal: false, reason: 'file is empty' };
    if (bytes.includes(0)) return { ok: false, fatal: false, reason: 'file is binary (contains NUL bytes)' };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { ok: false, fatal: false, reason: 'file is not valid UTF-8 (convert it to UTF-8)' };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return { ok: false, fatal: false, reason: 'file is empty (whitespace only)' };
    return { ok: true, text };
  } catch (e) {
    return { ok: false, fatal: true, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
