// What a run prints: the plan before writing (facts, answers, files), the same as JSON for tools
// (`init --format json`), and the next steps after writing. Shared by the bin and the Yeoman generator.
import { isLoopback } from '../core/answers/parse.js';
import { QUESTIONS } from '../core/answers/schema.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../core/version.js';
import type { DetectedFacts } from '../detect/model.js';
import { kubernetesNextStep } from '../outputs/kubernetes/next-steps.js';
import { SERVICE_DEFS } from '../spec/services.js';
import { isStatePath, STATE_DIR, YO_RC } from '../state/index.js';
import { escapeControl } from '../text/escape.js';
import type { Generation } from './generate.js';

/**
 * `init --format json`: what the plan text shows, as data for users and tools that check detection
 * (every fact with its source: "file:line: excerpt" where detection read a line). Values are
 * JSON-escaped by JSON itself; nothing here is a secret value (answers hold secret names only).
 */
export function planJson(g: Generation, facts: DetectedFacts, actions: PlanAction[], written: boolean): string {
  const { notes, ...rest } = facts;
  const answers = Object.fromEntries(
    QUESTIONS.filter((q) => q.key in g.sources).map((q) => [
      q.key,
      { flag: `--${q.flag}`, value: g.answers[q.key], source: g.sources[q.key] },
    ]),
  );
  return (
    JSON.stringify(
      {
        generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
        facts: rest,
        notes: notes ?? [],
        answers,
        layout: g.layout,
        files: actions.map((a) => ({ path: a.path, action: a.action, reason: a.reason })),
        warnings: g.findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, message: f.message })),
        written,
      },
      null,
      2,
    ) + '\n'
  );
}

export interface PlanAction {
  path: string;
  action: string;
  reason: string;
}

export interface PlanOptions {
  /** terminal width: long lines wrap at word boundaries (never inside a word); undefined = no wrapping */
  width?: number;
}

/**
 * Wrap one line at spaces to `width` columns, continuation lines indented by `indent`. A word
 * longer than the width stays whole on its own line (a terminal would break it anywhere).
 */
export function wrapWords(line: string, width: number | undefined, indent: string): string[] {
  if (!width || width < 20 || line.length <= width) return [line];
  const lead = line.slice(0, line.length - line.trimStart().length);
  const words = line.slice(lead.length).split(' ');
  const out: string[] = [];
  let cur = lead;
  let fresh = true;
  for (const w of words) {
    if (!fresh && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = indent + w;
    } else {
      cur = fresh ? cur + w : `${cur} ${w}`;
    }
    fresh = false;
  }
  out.push(cur);
  return out;
}

/** The generator's own bookkeeping (.yo-rc.json, .secure-container/) as one plan line. */
function stateLine(state: PlanAction[]): string | undefined {
  if (state.length === 0) return undefined;
  const inDir = state.filter((a) => a.path !== YO_RC).length;
  const names = [
    ...(state.some((a) => a.path === YO_RC) ? [YO_RC] : []),
    ...(inDir ? [`${STATE_DIR}/ (${inDir} file${inDir === 1 ? '' : 's'})`] : []),
  ];
  const actions = new Set(state.map((a) => a.action));
  const action = actions.size === 1 ? (state[0]?.action ?? 'update') : 'update';
  return `  ${action.padEnd(9)} generator state: ${names.join(', ')}`;
}

/**
 * The plan printed before writing: every fact with its source, every answer with its source, each
 * user-facing file once (create / identical / update / conflict) and the generator's state as one line.
 */
export function renderInitPlan(g: Generation, actions: PlanAction[], opts: PlanOptions = {}): string {
  // every value below can come from the repository or the user: control characters are shown, not sent (lib/text/escape.ts)
  const e = escapeControl;
  const lines: string[] = [`${GENERATOR_NAME} ${GENERATOR_VERSION}`, '', 'Detected:'];
  const push = (line: string, indent: string): void => {
    lines.push(...wrapWords(line, opts.width, indent));
  };
  if (g.factLines.length) for (const l of g.factLines) push(`  ${e(l)}`, '      ');
  else lines.push('  nothing (no package.json, pyproject.toml, requirements.txt or go.mod)');
  lines.push('', 'Answers:');
  const w = Math.max(...QUESTIONS.map((q) => q.flag.length));
  for (const q of QUESTIONS) {
    const src = g.sources[q.key];
    if (!src) continue;
    // JSON.stringify gives undefined for undefined (its declared type says string)
    const shown = JSON.stringify(g.answers[q.key]) as string | undefined;
    push(`  --${q.flag.padEnd(w)}  ${e(shown ?? 'undefined')}  (${e(src)})`, ' '.repeat(w + 6));
  }
  lines.push('', 'Files:');
  for (const a of actions.filter((x) => !isStatePath(x.path))) {
    push(
      `  ${e(a.action).padEnd(9)} ${e(a.path)}${a.action === 'identical' ? '' : `  (${e(a.reason)})`}`,
      '            ',
    );
  }
  const state = stateLine(actions.filter((x) => isStatePath(x.path)));
  if (state) push(state, '            ');
  if (!isLoopback(g.answers.bind)) {
    push(`WARNING: the app port is published on ${e(g.answers.bind)}, not only on loopback (P9, CIS 5.14)`, '  ');
  }
  if (g.findings.length) {
    lines.push('', 'Warnings from the self-check:');
    for (const f of g.findings)
      push(`  ${e(f.rule)} ${e(f.file)}${f.line > 0 ? `:${f.line}` : ''} ${e(f.message)}`, '    ');
  }
  return lines.join('\n') + '\n';
}

/**
 * What to run once the files are written: create the local secret files (only when there are
 * some), build tagged with the git commit (as README.Docker.md, which has the full command with
 * the provenance labels), start. The same text after `yo secure-container` and `init --yes`.
 */
export function renderNextSteps(g: Generation): string {
  const spec = g.spec;
  const plan = spec.secretsPlan;
  // each step: its title, then lines shown under it (commands indented two more)
  const steps: { title: string; lines: string[] }[] = [];
  const cmd = (c: string): string => `  ${c}`;
  if (plan.files.length > 0) {
    const servicePasswords = new Set(spec.services.map((s) => SERVICE_DEFS[s].passwordSecret));
    const typed = plan.files.filter((f) => !servicePasswords.has(f.name));
    const random = plan.files.filter((f) => servicePasswords.has(f.name));
    steps.push({
      title: 'Create the secret files (each value is typed, never echoed; secrets/README.md explains):',
      lines: [
        cmd('umask 077'),
        ...typed.map((f) => cmd(`( IFS= read -rs v && printf '%s' "$v" > secrets/${f.name} )`)),
        ...random.map((f) => cmd(`openssl rand -hex 32 | tr -d '\\n' > secrets/${f.name}`)),
        'Let the container user read them (Linux with ACLs; other hosts: secrets/README.md):',
        ...plan.files.map((f) => cmd(`setfacl -m ${f.readers.map((r) => `u:${r.uid}:r`).join(',')} secrets/${f.name}`)),
      ],
    });
  }
  if (plan.fetched.length > 0) {
    const where = plan.provider === 'vault' ? 'Vault' : 'AWS Secrets Manager';
    steps.push({
      title: `Store the values of ${plan.fetched.map((f) => f.name).join(', ')} in ${where} (README.Docker.md, "Secrets").`,
      lines: [],
    });
  }
  // the same tags as README.Docker.md's build command (the commit's short SHA, and the image compose runs)
  const tags = `-t ${spec.name}:"$(git rev-parse --short HEAD)" -t ${spec.image} .`;
  steps.push({
    title: 'Build, tagged with the git commit:',
    lines: [
      ...(plan.build.length
        ? [
            cmd('docker build \\'),
            ...plan.build.map((b) => cmd(`  --secret id=${b.name},env=${b.hostEnv} \\`)),
            cmd(`  ${tags}`),
          ]
        : [cmd(`docker build ${tags}`)]),
      '(README.Docker.md has the same command with the OCI provenance labels)',
    ],
  });
  steps.push({ title: 'Start:', lines: [cmd('docker compose up -d')] });
  const k8s = kubernetesNextStep(spec);
  if (k8s) steps.push(k8s);
  const out = ['Next steps:'];
  steps.forEach((s, i) => out.push(`  ${i + 1}. ${s.title}`, ...s.lines.map((l) => `     ${l}`)));
  return out.join('\n') + '\n';
}
