// README sections generated from metadata (the question table, the rules), so they cannot drift:
// `npm run docs` rewrites them between their markers; a test fails when the README is stale.
import { QUESTIONS } from '../core/answers/schema.js';
import { renderRulesTable } from '../policy/docs.js';
import { CONTROL_FLAGS, safeChoices } from './args.js';

function allowed(q: (typeof QUESTIONS)[number]): string {
  const c = safeChoices(q);
  return c ? c.split('|').join(', ') : q.kind === 'boolean' ? 'flag' : q.kind;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderOptionsTable(): string {
  const rows = ['| flag | values | what | default |', '| --- | --- | --- | --- |'];
  for (const q of QUESTIONS) {
    const choices = q.choiceHelp
      ? ` (${Object.entries(q.choiceHelp)
          .map(([v, h]) => `${v}: ${h}`)
          .join('; ')})`
      : '';
    rows.push(
      `| \`--${q.flag}\`${q.repeatable ? ' (repeatable)' : ''} | ${cell(allowed(q))} | ${cell(q.message + choices)} | ${cell(q.defaultHelp)} |`,
    );
  }
  rows.push('| `--no-build` | flag | no build step | |');
  for (const c of CONTROL_FLAGS)
    rows.push(
      `| \`--${c.flag}\`${'short' in c ? ` / \`-${c.short}\`` : ''} | ${'value' in c ? ('valueHelp' in c ? c.valueHelp : 'path or package') : 'flag'} | ${cell(c.help)} | |`,
    );
  return rows.join('\n') + '\n';
}

export const SECTIONS: Record<string, () => string> = {
  options: renderOptionsTable,
  // the README is at the repository root: the rule pages are in docs/rules/
  rules: () => `${renderRulesTable('docs/rules/')}\n`,
};

/** Replace each `<!-- NAME:start -->…<!-- NAME:end -->` block with its generated text. */
export function updateSections(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- ${name}:start[^>]*-->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(out)) throw new Error(`README has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}${render()}${b}`);
  }
  return out;
}
