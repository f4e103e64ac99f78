// Small, pure parsers shared by every question: they turn a raw value (CLI string, prompt
// answer, .yo-rc.json value, preset value) into a typed value or throw a message that says
// what is allowed. The question table (schema.ts) names the field/flag in the final error.

/** Characters that would change the meaning of a Dockerfile/compose line if they reached it. */
const FORBIDDEN_IN_TOKEN = /[\n\r\0"'`$\\;&|<>]/;

/**
 * Split a command line into argv the way a POSIX shell would for simple words:
 * whitespace separates, single or double quotes group. Anything a shell would *interpret*
 * (substitution, pipes, redirects, separators, escapes) is refused, because the command is
 * emitted in exec form where no shell runs: accepting it would silently change its meaning.
 */
export function splitCommand(input: string): string[] {
  if (/[\n\r\0]/.test(input)) throw new Error('must be a single line');
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of input) {
    if (quote) {
      if (ch === quote) {
        quote = null;
      } else {
        if (ch === '$' || ch === '`' || ch === '\\' || ch === '"' || ch === "'") {
          throw new Error(`must not contain ${JSON.stringify(ch)} (shell syntax is not run in exec form)`);
        }
        cur += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (FORBIDDEN_IN_TOKEN.test(ch)) {
      throw new Error(
        `must not contain ${JSON.stringify(ch)} (shell syntax such as $(), \`\`, ;, &&, |, > is not run in exec form)`,
      );
    }
    cur += ch;
    inWord = true;
  }
  if (quote) throw new Error('has an unterminated quote');
  if (inWord) out.push(cur);
  return out;
}

/** argv from a string (split) or an array (each element checked). */
export function parseArgv(raw: unknown): string[] {
  let argv: string[];
  if (typeof raw === 'string') argv = splitCommand(raw.trim());
  else if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) argv = raw;
  else throw new Error('must be a command line string or an array of strings');
  if (argv.length === 0) throw new Error('must not be empty');
  for (const tok of argv) {
    if (tok.length === 0) throw new Error('must not contain empty arguments');
    if (FORBIDDEN_IN_TOKEN.test(tok)) {
      throw new Error(
        `argument ${JSON.stringify(tok)} must not contain quotes, newlines, $, backticks, backslashes, ;, &, |, < or >`,
      );
    }
  }
  return argv;
}

/** A list from repeated flags and/or comma-separated values; trims, drops empties. */
export function parseList(raw: unknown): string[] {
  const items: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number') throw new Error('must be a list of strings');
    for (const part of String(item).split(',')) {
      const t = part.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

/** `name=value` pairs (repeatable / comma-separated) or an object. */
export function parseMap(raw: unknown): Record<string, string> {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`value of ${JSON.stringify(k)} must be a string`);
      out[k] = v;
    }
    return out;
  }
  const out: Record<string, string> = {};
  for (const pair of parseList(raw)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`${JSON.stringify(pair)} must have the form name=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export function parseInteger(raw: unknown, min: number, max: number): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

export function parseBoolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === 'yes' || raw === '1') return true;
  if (raw === 'false' || raw === 'no' || raw === '0') return false;
  throw new Error(`must be true or false (got ${JSON.stringify(raw)})`);
}

export function parseChoice<T extends string>(raw: unknown, choices: readonly T[]): T {
  if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
  throw new Error(`must be one of ${choices.join(', ')} (got ${JSON.stringify(raw)})`);
}

export function parseString(raw: unknown): string {
  if (typeof raw === 'number') return String(raw);
  if (typeof raw !== 'string') throw new Error(`must be a string (got ${JSON.stringify(raw)})`);
  return raw.trim();
}

const SENSITIVE_DATA_DIRS = [
  '/',
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/boot',
  '/root',
  '/run',
  '/run/secrets',
  '/tmp',
  '/var/run',
  '/app',
  '/nodejs',
  '/opt/venv',
  '/home',
];

/** An absolute, normalised directory in the container that may hold persistent data. */
export function parseDataDir(raw: unknown): string {
  const s = parseString(raw);
  if (!s.startsWith('/')) throw new Error(`${JSON.stringify(s)} must be an absolute path such as /data`);
  if (!/^\/[A-Za-z0-9._/-]*$/.test(s))
    throw new Error(`${JSON.stringify(s)} may contain only letters, digits, ".", "_", "-" and "/"`);
  const parts = s.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p === '.'))
    throw new Error(`${JSON.stringify(s)} must not contain "." or ".." segments`);
  const norm = '/' + parts.join('/');
  if (
    SENSITIVE_DATA_DIRS.includes(norm) ||
    norm.startsWith('/proc/') ||
    norm.startsWith('/sys/') ||
    norm.startsWith('/dev/') ||
    norm.startsWith('/run/secrets/')
  ) {
    throw new Error(`${JSON.stringify(norm)} is a system or generated path; use a dedicated directory such as /data`);
  }
  return norm;
}

export const SECRET_NAME = /^[a-z0-9_]{1,63}$/;

export function parseSecretNames(raw: unknown): string[] {
  const names = parseList(raw);
  const seen = new Set<string>();
  for (const n of names) {
    if (!SECRET_NAME.test(n))
      throw new Error(`${JSON.stringify(n)} must be lowercase letters, digits and _ (1-63 characters)`);
    if (seen.has(n)) throw new Error(`${JSON.stringify(n)} is listed twice`);
    seen.add(n);
  }
  return names;
}

export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Best-effort conversion of a package/module/folder name to a DNS label (used for defaults only). */
export function toDnsLabel(s: string): string {
  const base =
    s
      .replace(/^@[^/]+\//, '')
      .split('/')
      .pop() ?? '';
  const label = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'app';
}

/**
 * Whether a --bind address (already checked by parseIp) publishes on loopback only. The one check
 * the plan, the self-check, compose.yaml and README.Docker.md share. 'localhost' is not an answer
 * this can see: Docker and compose take a host IP, not a host name, for a published port
 * (`-p localhost:3000:3000` is refused as an invalid IP), so parseIp rejects it; the loopback
 * addresses are the two canonical ones.
 */
export function isLoopback(bind: string): boolean {
  return bind === '127.0.0.1' || bind === '::1';
}

export function parseIp(raw: unknown): string {
  const s = parseString(raw);
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  const v6 = /^[0-9a-fA-F:]+$/;
  if (v4.test(s) || (s.includes(':') && v6.test(s) && s.length <= 39)) return s;
  throw new Error(`must be an IP address such as 127.0.0.1 (got ${JSON.stringify(s)})`);
}
