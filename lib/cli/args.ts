// argv -> raw answers + control flags, generated from the question table (so `--help`, the bin and
// the Yeoman options cannot drift apart).
import { parseArgs } from 'node:util';
import { QUESTIONS } from '../core/answers/schema.js';
import type { RawAnswers } from '../core/answers/resolve.js';
import { FLAVORS, PACKAGE_MANAGERS } from '../core/types.js';

export interface InitArgs {
  answers: RawAnswers;
  yes: boolean;
  force: boolean;
  dryRun: boolean;
  help: boolean;
  advanced: boolean;
  preset?: string;
  strategy?: string;
  check: boolean;
}

export class UsageError extends Error {}

export const CONTROL_FLAGS = [
  { flag: 'yes', short: 'y', help: 'accept detected/default answers and ask nothing (a required answer that cannot be detected is an error naming its flag)' },
  { flag: 'force', help: 'overwrite files you changed since they were generated (otherwise the run stops and names them)' },
  { flag: 'dry-run', help: 'print the plan and the files that would change; write nothing' },
  { flag: 'advanced', help: 'interactive: also ask the advanced questions (uid, gid, registry, bind, …)' },
  { flag: 'preset', value: true, help: 'team preset: a YAML/JSON file or an npm package (recorded for upgrades)' },
  { flag: 'help', short: 'h', help: 'show this help' },
] as const;

export function parseInitArgs(argv: string[], extra: { strategy?: boolean; check?: boolean } = {}): InitArgs {
  // --no-build / --no-secrets-helper: negations the table allows
  const pre = argv.map((a) => (a === '--no-build' ? '--build=none' : a === '--no-secrets-helper' ? '--secrets-helper=false' : a));
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const q of QUESTIONS) {
    options[q.flag] = q.kind === 'boolean' ? { type: 'string' } : { type: 'string', ...(q.repeatable ? { multiple: true } : {}) };
  }
  for (const c of CONTROL_FLAGS) options[c.flag] = { type: 'value' in c ? 'string' : 'boolean', ...('short' in c ? { short: c.short } : {}) };
  if (extra.strategy) options['strategy'] = { type: 'string' };
  if (extra.check) options['check'] = { type: 'boolean' };
  // a bare boolean question flag (--secrets-helper) means true
  const norm = pre.map((a, i) => {
    const q = QUESTIONS.find((x) => x.kind === 'boolean' && `--${x.flag}` === a);
    return q && (pre[i + 1] === undefined || pre[i + 1]!.startsWith('-')) ? `${a}=true` : a;
  });
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: norm, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}; see --help`);
  }
  const answers: RawAnswers = {};
  for (const q of QUESTIONS) {
    const v = values[q.flag];
    if (v !== undefined) (answers as Record<string, unknown>)[q.key] = v;
  }
  const strategy = values['strategy'] as string | undefined;
  if (strategy !== undefined && strategy !== 'ours' && strategy !== 'theirs') {
    throw new UsageError(`--strategy must be ours or theirs (got ${JSON.stringify(strategy)})`);
  }
  return {
    answers,
    yes: values['yes'] === true,
    force: values['force'] === true,
    dryRun: values['dry-run'] === true,
    help: values['help'] === true,
    advanced: values['advanced'] === true,
    check: values['check'] === true,
    ...(typeof values['preset'] === 'string' ? { preset: values['preset'] } : {}),
    ...(strategy ? { strategy } : {}),
  };
}

/** `--help` text: every question's flag with its allowed values and how its default is chosen. */
export function renderHelp(command: string, intro: string): string {
  const rows: [string, string][] = [];
  for (const q of QUESTIONS) {
    const choices = q.choices ? safeChoices(q) : '';
    const name = `--${q.flag}${q.kind === 'boolean' ? '' : ` <${choices || q.kind}>`}`;
    rows.push([name, `${q.message}${q.repeatable ? ' (repeatable, or comma-separated)' : ''}. Default: ${q.defaultHelp}`]);
  }
  rows.push(['--no-build', 'no build step']);
  for (const c of CONTROL_FLAGS) rows.push([`${'short' in c ? `-${c.short}, ` : ''}--${c.flag}${'value' in c ? ' <ref>' : ''}`, c.help]);
  const w = Math.min(36, Math.max(...rows.map((r) => r[0].length)));
  return `Usage: ${command}\n\n${intro}\n\nOptions:\n` + rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n') + '\n';
}

/** Allowed values across every runtime (the per-runtime subset is checked when the answer is parsed). */
export function safeChoices(q: (typeof QUESTIONS)[number]): string {
  if (q.key === 'packageManager') return PACKAGE_MANAGERS.join('|');
  if (q.key === 'flavor') return FLAVORS.join('|');
  return q.choices ? q.choices({}).join('|') : '';
}
