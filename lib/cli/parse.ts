// The one argument parser of every command (init, upgrade, audit, the bin itself), kept free of
// heavy imports so `audit` does not load the question table to parse its flags.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/**
 * The one argument parser of every command (init, upgrade, audit, the bin itself): node:util
 * parseArgs, strict, with one message style: `Unknown option '--bogus'; see --help` (no help dump,
 * no Node advice about positionals), and a suggestion for a near miss (`--prot`: did you mean --port?).
 */
export function parseCommandArgs(
  argv: string[],
  options: Record<string, OptionSpec>,
  opts: { positionals?: boolean } = {},
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, strict: true, allowPositionals: opts.positionals === true });
    return { values: r.values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }, Object.keys(options)));
  }
}

function usageMessage(e: Error & { code?: string }, names: string[]): string {
  // Node's first sentence is the message; the rest is advice about `--` that does not apply here
  const first = (e.message.split(/\.\s/)[0] ?? e.message).replace(/\.$/, '');
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'(-[^']*)'/.exec(first)?.[1];
    const near = given?.startsWith('--') ? nearest(given.slice(2).split('=')[0] ?? '', names) : undefined;
    return `Unknown option '${given ?? first}'${near ? ` (did you mean --${near}?)` : ''}; see --help`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(first)) {
    const flag = /'(--?[^' ]+)/.exec(first)?.[1];
    return `${flag ?? 'an option'} needs a value; see --help`;
  }
  return `${first}; see --help`;
}

/** The option name at edit distance 1-2 from `s` (a typo), if exactly one is that close. */
function nearest(s: string, names: string[]): string | undefined {
  const close = names.filter((n) => n !== s && distance(s, n) <= (n.length >= 4 ? 2 : 1));
  return close.length === 1 ? close[0] : undefined;
}

function distance(a: string, b: string): number {
  // one row at a time (Levenshtein)
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}
