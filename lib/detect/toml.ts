// TOML via smol-toml (zero dependencies, spec-compliant). Detection must never throw on a
// malformed manifest: a parse error becomes a note and an empty table.
import { parse, TomlError } from 'smol-toml';

export type TomlTable = Record<string, unknown>;

export function parseToml(text: string): { table: TomlTable; error?: string } {
  try {
    return { table: parse(text, { unsafeKeyBehaviour: 'drop', maxDepth: 64 }) };
  } catch (e) {
    const line = e instanceof TomlError ? ` (line ${e.line})` : '';
    return { table: {}, error: `not valid TOML${line}` };
  }
}

/** Walk a dotted path through nested tables: get(t, "tool", "poetry", "name"). */
export function tomlGet(t: unknown, ...keys: string[]): unknown {
  let cur: unknown = t;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}
