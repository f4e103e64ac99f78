// Terminal safety for human-readable output: a value from the repository or the user (a file
// name, a service name, a Dockerfile instruction, a package name, an error message that quotes
// one) must not be able to move the cursor, rewrite a line (CR), start an escape sequence (ESC,
// C1 CSI U+009B), reorder text (bidi overrides) or forge a line of its own (a newline inside a
// file name). Control characters are rendered visibly instead: \xNN, \u{NNNN}.
//
// JSON and SARIF output are machine formats and keep the true values (JSON.stringify escapes C0).

/**
 * C0 controls, DEL, C1 controls (U+0080–U+009F), the line/paragraph separators, the bidi marks
 * (U+061C, U+200E, U+200F) and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- this pattern exists to find control characters (untrusted text shown in a terminal)
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_EXCEPT_LAYOUT =
  // eslint-disable-next-line no-control-regex -- this pattern exists to find control characters (untrusted text shown in a terminal)
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
}

/**
 * One value (a file name, a service name, a message…) made safe to print: every control
 * character, newline and tab included, is shown as an escape. Printable text is unchanged.
 */
export function escapeControl(value: string): string {
  return value.replace(CONTROL, visible);
}

/**
 * A block of text whose newlines and tabs are its own layout (a file's lines in a diff, a
 * multi-line message we built): those stay, every other control character is escaped (CR too,
 * so a line cannot be overwritten).
 */
export function escapeText(text: string): string {
  return text.replace(CONTROL_EXCEPT_LAYOUT, visible);
}

/** True when `s` has a character escapeControl would escape (for tests and assertions). */
export function hasControl(s: string): boolean {
  CONTROL.lastIndex = 0;
  const r = CONTROL.test(s);
  CONTROL.lastIndex = 0;
  return r;
}
