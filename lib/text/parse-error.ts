// Parser error messages without the input: Node's JSON.parse quotes the start of the text it
// failed on ('Unexpected token, "root:x:0:0:…" is not valid JSON'), which would print a file that
// a hostile repository linked or planted. We keep where it failed, never what was there.

/** "at line L column C" / "at position N" from a JSON.parse error, or "" when it says neither. */
export function jsonErrorWhere(e: unknown): string {
  const m = e instanceof Error ? e.message : '';
  const lc = /\(line (\d+) column (\d+)\)/.exec(m);
  if (lc) return `at line ${lc[1]} column ${lc[2]}`;
  const pos = /at position (\d+)/.exec(m);
  if (pos) return `at position ${pos[1]}`;
  if (/Unexpected end of JSON input/.test(m)) return 'at the end of the input';
  return '';
}

/** One line for a JSON syntax error that never contains the input. */
export function jsonSyntaxError(e: unknown): string {
  const where = jsonErrorWhere(e);
  return `syntax error${where ? ` ${where}` : ''}`;
}
