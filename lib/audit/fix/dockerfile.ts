// Fixers for Dockerfile rules. Each one edits only what its finding is about, in the file's own
// text (offsets from dockerfile-ast ranges and the word scanner), and declines, with a reason,
// whenever the change could alter what the build does in a way the author did not ask for.
import type { DInstruction, DockerfileModel, Stage } from '../../policy/dockerfile/model.js';
import {
  programIndex,
  programName,
  scanShell,
  subcommandIndex,
  type Command,
  type Scan,
  type Word,
} from './shell-words.js';
import { insertLinesAfter, insertLinesBefore, type Edit } from './text.js';
import type { FixContext, Fixer, FixResult, Skip } from './types.js';

type Ctx = FixContext<DockerfileModel>;

/** The user every USER fix sets: numeric (Kubernetes' runAsNonRoot can check it), outside the usual system ranges. */
export const FIX_UID = '10001:10001';

function offsetOf(ctx: Ctx, p: { line: number; character: number }): number {
  return ctx.lines.offset(p.line, p.character);
}

/** The instruction's lines hold one of the rule's findings. */
function hasFinding(ctx: Ctx, ins: DInstruction): boolean {
  for (let l = ins.line; l <= ins.endLine; l++) if (ctx.findingLines.has(l)) return true;
  return false;
}

/** Decline every finding of the rule on the instruction's lines. */
function skipAll(ctx: Ctx, ins: DInstruction, reason: string, out: FixResult): void {
  for (let l = ins.line; l <= ins.endLine; l++) if (ctx.findingLines.has(l)) out.skipped.push({ line: l, reason });
}

/** Offsets of an instruction's arguments (null when it has none). */
function argsRange(ctx: Ctx, ins: DInstruction): { start: number; end: number } | null {
  const r = ins.node.getArgumentsRange();
  return r ? { start: offsetOf(ctx, r.start), end: offsetOf(ctx, r.end) } : null;
}

/** A shell-form RUN's words, or why it is not rewritten. */
function scanRun(ctx: Ctx, ins: DInstruction): { scan: Scan; start: number; end: number } | { why: string } {
  if (ctx.model.escapeChar !== '\\') return { why: 'the Dockerfile sets another escape character' };
  if (ins.json) return { why: 'RUN in exec form (a JSON array) is not rewritten' };
  if (ctx.model.instructions.some((i) => i.keyword === 'SHELL'))
    return { why: 'the Dockerfile changes the shell (SHELL): not rewritten' };
  const r = argsRange(ctx, ins);
  if (!r) return { why: 'RUN without arguments' };
  const scan = scanShell(ctx.text, r.start, r.end, (o) => ctx.lines.lineOf(o));
  if (scan.complex) return { why: 'the RUN uses a heredoc or command substitution: not rewritten' };
  return { scan, ...r };
}

interface Located {
  cmd: Command;
  program: string;
  p: number;
  /** 1-based line of the command's first word (what the rules report) */
  line: number;
}

function commands(scan: Scan): Located[] {
  const out: Located[] = [];
  for (const cmd of scan.commands) {
    const p = programIndex(cmd.words);
    if (p < 0) continue;
    out.push({ cmd, program: programName(cmd.words[p]), p, line: cmd.words[0].line + 1 });
  }
  return out;
}

const sub = (c: Located): string => {
  const s = subcommandIndex(c.cmd.words, c.p);
  return s < 0 ? '' : c.cmd.words[s].value;
};
const subWord = (c: Located): Word | undefined => c.cmd.words[subcommandIndex(c.cmd.words, c.p)];

/**
 * Add an option right after a package manager's sub-command in every command that lacks it:
 * `apt-get install -y curl` → `apt-get install --no-install-recommends -y curl`.
 */
function optionFixer(
  rule: string,
  what: string,
  isTarget: (c: Located) => boolean,
  has: (c: Located) => boolean,
  option: string,
): Fixer<DockerfileModel> {
  return {
    rule,
    kind: 'dockerfile',
    what,
    fix(ctx) {
      const out: FixResult = { edits: [], skipped: [] };
      for (const run of ctx.model.runs) {
        if (!hasFinding(ctx, run.instr)) continue;
        const s = scanRun(ctx, run.instr);
        if ('why' in s) {
          skipAll(ctx, run.instr, s.why, out);
          continue;
        }
        for (const c of commands(s.scan)) {
          if (!isTarget(c) || has(c) || !ctx.findingLines.has(c.line)) continue;
          const w = subWord(c);
          if (w) out.edits.push({ start: w.end, end: w.end, text: ` ${option}` });
        }
      }
      return out;
    },
  };
}

const values = (c: Located): string[] => c.cmd.words.map((w) => w.value);

export const aptNoInstallRecommends = optionFixer(
  'SC1014',
  'adds `--no-install-recommends` after `apt-get install` / `apt install` (shell-form RUN)',
  (c) => (c.program === 'apt-get' || c.program === 'apt') && sub(c) === 'install',
  (c) => values(c).some((v) => v === '--no-install-recommends' || /Install-Recommends\s*=\s*(?:false|0|no)/i.test(v)),
  '--no-install-recommends',
);

export const apkNoCache = optionFixer(
  'SC1017',
  'adds `--no-cache` after `apk add` (shell-form RUN)',
  (c) => c.program === 'apk' && sub(c) === 'add',
  (c) => values(c).includes('--no-cache'),
  '--no-cache',
);

// ---- SC1015 package cache cleanup ---------------------------------------------------------------

interface Manager {
  /** commands that fill the manager's cache (index updates, installs, upgrades) */
  fills: (c: Located) => boolean;
  cleans: (c: Located) => boolean;
  /** where its cache lives (a cache or tmpfs mount there: nothing to clean) */
  dirs: string[];
  cleanup: string;
}

const rmOf = (c: Located, ...prefixes: string[]): boolean =>
  c.program === 'rm' && c.cmd.words.some((w) => prefixes.some((p) => w.value.startsWith(p)));
const runsOf =
  (programs: string[], subs: string[]) =>
  (c: Located): boolean =>
    programs.includes(c.program) && subs.includes(sub(c));
const cleanAll =
  (...programs: string[]) =>
  (c: Located): boolean =>
    programs.includes(c.program) && sub(c) === 'clean' && c.cmd.words.some((w) => w.value === 'all');
const DNF_FILLS = ['install', 'in', 'reinstall', 'rei', 'upgrade', 'up', 'update', 'upgrade-minimal', 'up-min'];
const DNF_DIRS = ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum'];

const MANAGERS: Manager[] = [
  {
    fills: runsOf(['apt-get', 'apt', 'aptitude'], ['update', 'install']),
    cleans: (c) => rmOf(c, '/var/lib/apt/lists'),
    dirs: ['/var/lib/apt', '/var/cache/apt'],
    cleanup: 'rm -rf /var/lib/apt/lists/*',
  },
  {
    fills: runsOf(['yum'], ['install', 'reinstall', 'groupinstall', 'localinstall', 'update', 'upgrade']),
    cleans: (c) => cleanAll('yum')(c) || rmOf(c, '/var/cache/yum'),
    dirs: ['/var/cache/yum'],
    cleanup: 'yum clean all',
  },
  {
    fills: runsOf(['dnf'], DNF_FILLS),
    cleans: (c) => cleanAll('dnf', 'microdnf')(c) || rmOf(c, ...DNF_DIRS),
    dirs: DNF_DIRS,
    cleanup: 'dnf clean all',
  },
  {
    fills: runsOf(['tdnf'], DNF_FILLS),
    cleans: (c) => cleanAll('tdnf', 'dnf')(c) || rmOf(c, ...DNF_DIRS),
    dirs: DNF_DIRS,
    cleanup: 'tdnf clean all',
  },
  {
    fills: runsOf(['microdnf'], DNF_FILLS),
    cleans: (c) => cleanAll('microdnf', 'dnf')(c) || rmOf(c, ...DNF_DIRS),
    dirs: DNF_DIRS,
    cleanup: 'microdnf clean all',
  },
  {
    fills: runsOf(['zypper'], ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch', 'update', 'up']),
    cleans: (c) => (c.program === 'zypper' && (sub(c) === 'clean' || sub(c) === 'cc')) || rmOf(c, '/var/cache/zypp'),
    dirs: ['/var/cache/zypp'],
    cleanup: 'zypper clean -a',
  },
];

/** A RUN --mount of type cache or tmpfs on one of the directories. */
function mounted(mounts: readonly string[], dirs: readonly string[]): boolean {
  return mounts.some((m) => {
    const kv = new Map(m.split(',').map((p) => p.split('=') as [string, string]));
    const type = kv.get('type') ?? 'bind';
    const target = kv.get('target') ?? kv.get('dst') ?? kv.get('destination') ?? '';
    return (type === 'cache' || type === 'tmpfs') && dirs.some((d) => target.startsWith(d));
  });
}

/**
 * Append commands at the end of a shell-form RUN, in the RUN's own layout: on the same line, or on a
 * new continuation line indented like the last one, with `&&` leading or trailing as the RUN has it.
 */
function appendToRun(ctx: Ctx, ins: DInstruction, s: { scan: Scan; end: number }, added: string): Edit | string {
  if (s.scan.comment) return 'the RUN has a shell comment: not rewritten';
  const last = s.scan.commands.at(-1);
  if (!last) return 'empty RUN';
  const lastProgram = commands({ ...s.scan, commands: [last] })[0]?.program;
  if (lastProgram === 'exit') return 'the RUN ends with exit: not rewritten';
  let joiner: string;
  if (last.sep === '' || last.sep === ')') joiner = '&&';
  else if (last.sep === ';') joiner = '';
  else return `the RUN ends with "${last.sep}": not rewritten`;
  const first = ins.line - 1;
  const lastLine = ins.endLine - 1;
  const sameLine = { start: s.end, end: s.end, text: joiner ? ` ${joiner} ${added}` : ` ${added}` };
  if (lastLine === first || !joiner) return sameLine;
  const indent = ctx.lines.indent(lastLine);
  const leading = /^(?:&&|\|\|)/.test(ctx.lines.line(lastLine).trimStart());
  const trailing = /(?:&&|;)\s*\\\s*$/.test(ctx.lines.line(lastLine - 1));
  if (leading) return { start: s.end, end: s.end, text: ` \\${ctx.eol}${indent}&& ${added}` };
  if (trailing) return { start: s.end, end: s.end, text: ` && \\${ctx.eol}${indent}${added}` };
  return sameLine;
}

export const packageCacheCleanup: Fixer<DockerfileModel> = {
  rule: 'SC1015',
  kind: 'dockerfile',
  what: 'appends the cleanup at the end of the same RUN (after everything that fills the cache): `rm -rf /var/lib/apt/lists/*`, `yum clean all`, `dnf clean all`, `tdnf clean all`, `microdnf clean all`, `zypper clean -a`',
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    for (const run of ctx.model.runs) {
      if (!hasFinding(ctx, run.instr)) continue;
      const s = scanRun(ctx, run.instr);
      if ('why' in s) {
        skipAll(ctx, run.instr, s.why, out);
        continue;
      }
      const cmds = commands(s.scan);
      const cleanups: string[] = [];
      for (const m of MANAGERS) {
        const lastFill = cmds.map((c) => m.fills(c)).lastIndexOf(true);
        if (lastFill < 0 || mounted(run.mounts, m.dirs)) continue;
        if (cmds.slice(lastFill + 1).some(m.cleans)) continue;
        cleanups.push(m.cleanup);
      }
      if (cleanups.length === 0) continue;
      const e = appendToRun(ctx, run.instr, s, cleanups.join(' && '));
      if (typeof e === 'string') skipAll(ctx, run.instr, e, out);
      else out.edits.push(e);
    }
    return out;
  },
};

// ---- SC1007 COPY for a local ADD ----------------------------------------------------------------

/**
 * Sources ADD treats exactly as COPY does. ADD unpacks a local tar archive whatever its name, so
 * only sources that cannot be one are accepted: a directory (`.`, a trailing `/`; ADD does not
 * unpack archives inside a directory) or a file whose extension says it is text, code or media.
 */
const SAFE_EXT = new Set(
  (
    'js mjs cjs ts tsx jsx json json5 map py pyc rb go rs java kt kts scala php pl lua r sh bash zsh fish ps1 bat cmd ' +
    'txt md rst adoc html htm css scss sass less xml xsl yml yaml toml ini cfg conf config env properties lock sum mod ' +
    'sql csv tsv graphql proto gradle pom svg png jpg jpeg gif ico webp bmp woff woff2 ttf otf eot pem crt cer ' +
    'service socket timer rules npmrc yarnrc editorconfig gitignore dockerignore'
  ).split(' '),
);
const SAFE_NAMES = new Set([
  'Gemfile',
  'Makefile',
  'Procfile',
  'Pipfile',
  'Dockerfile',
  'LICENSE',
  'README',
  'Caddyfile',
  'Rakefile',
  'Brewfile',
  'Jenkinsfile',
]);

function copySafeSource(src: string): boolean {
  if (/[$*?[\]\\]/.test(src) || src.startsWith('<<') || /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || src.startsWith('git@'))
    return false;
  if (src === '.' || src === './' || src.endsWith('/')) return true;
  const base = src.slice(src.lastIndexOf('/') + 1);
  if (SAFE_NAMES.has(base)) return true;
  const dot = base.lastIndexOf('.');
  return dot >= 0 && SAFE_EXT.has(base.slice(dot + 1).toLowerCase());
}

const COPY_FLAGS = new Set(['chown', 'chmod', 'link']);

export const preferCopyOverAdd: Fixer<DockerfileModel> = {
  rule: 'SC1007',
  kind: 'dockerfile',
  what: 'replaces ADD with COPY when every source is a directory or a file whose name says it is not an archive, and ADD has no flag COPY lacks',
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    for (const ins of ctx.model.instructions) {
      if (ins.keyword !== 'ADD' || !ctx.findingLines.has(ins.line)) continue;
      const flag = [...ins.flags.keys()].find((f) => !COPY_FLAGS.has(f));
      if (flag !== undefined) {
        out.skipped.push({ line: ins.line, reason: `ADD --${flag} has no COPY equivalent` });
        continue;
      }
      const args = ins.json ?? ins.words;
      const srcs = args.slice(0, -1);
      const unsafe = srcs.find((s) => !copySafeSource(s));
      if (srcs.length === 0 || unsafe !== undefined) {
        out.skipped.push({
          line: ins.line,
          reason: `ADD unpacks a local tar archive whatever its name: "${unsafe ?? ''}" could be one (use COPY if it is not)`,
        });
        continue;
      }
      const r = ins.node.getInstructionRange();
      const word = ctx.text.slice(offsetOf(ctx, r.start), offsetOf(ctx, r.end));
      const copy = word === word.toLowerCase() ? 'copy' : word === word.toUpperCase() ? 'COPY' : 'Copy';
      out.edits.push({ start: offsetOf(ctx, r.start), end: offsetOf(ctx, r.end), text: copy });
    }
    return out;
  },
};

// ---- SC1022 exec form ---------------------------------------------------------------------------

/** Shell words that are not programs: exec form would fail to start them. */
const NOT_PROGRAMS = new Set([
  'exec',
  'cd',
  'source',
  '.',
  'set',
  'export',
  'eval',
  'trap',
  'ulimit',
  'umask',
  'alias',
  'unset',
  'read',
  'wait',
  'shift',
  'exit',
  'return',
  ':',
  'if',
  'for',
  'while',
  'until',
  'case',
  'function',
  '{',
  '}',
  '!',
  'time',
  '[',
  '[[',
  'test',
]);
/** A word whose meaning is the same with or without a shell: plain characters, or quotes without expansions. */
const LITERAL_WORD = /^(?:[A-Za-z0-9_@%+=:,./-]+|'[^']*'|"[^"$`\\!]*")+$/;

/** The stage and the stages it is built FROM (what its image config inherits). */
export function chainOf(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | null = stage; s && !out.includes(s); s = s.parent) out.push(s);
  return out;
}

function stageOf(model: DockerfileModel, ins: DInstruction): Stage | undefined {
  return model.stages.find((s) => s.instructions.includes(ins));
}

/** `["a", "b"]` for a simple shell-form command, or why not. */
function execForm(ctx: Ctx, start: number, end: number): string | { why: string } {
  const scan = scanShell(ctx.text, start, end, (o) => ctx.lines.lineOf(o));
  const cmd = scan.commands.at(0);
  if (scan.complex || scan.comment || scan.commands.length !== 1 || !cmd || cmd.sep !== '' || cmd.redirected)
    return { why: 'the command uses shell syntax (operators, redirections, substitutions)' };
  const words = cmd.words;
  const bad = words.find((w) => !LITERAL_WORD.test(ctx.text.slice(w.start, w.end)));
  if (bad) return { why: `"${ctx.text.slice(bad.start, bad.end)}" needs a shell (variables, globs, escapes)` };
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value) || NOT_PROGRAMS.has(words[0].value))
    return { why: `"${words[0].value}" is a shell built-in or assignment, not a program` };
  return `[${words.map((w) => JSON.stringify(w.value)).join(', ')}]`;
}

export const execFormCmd: Fixer<DockerfileModel> = {
  rule: 'SC1022',
  kind: 'dockerfile',
  what: 'rewrites a one-line shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD that is a single command of literal words as a JSON array; a CMD only when no ENTRYPOINT is set (it would receive different arguments), an ENTRYPOINT only when no CMD is set (exec form appends CMD to it)',
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    const skip = (ins: DInstruction, reason: string): void => void out.skipped.push({ line: ins.line, reason });
    for (const ins of ctx.model.instructions) {
      const kw = ins.keyword;
      if ((kw !== 'CMD' && kw !== 'ENTRYPOINT' && kw !== 'HEALTHCHECK') || !ctx.findingLines.has(ins.line)) continue;
      if (ctx.model.escapeChar !== '\\') {
        skip(ins, 'the Dockerfile sets another escape character');
        continue;
      }
      if (ins.line !== ins.endLine) {
        skip(ins, `${kw} spans several lines`);
        continue;
      }
      if (ctx.model.instructions.some((i) => i.keyword === 'SHELL')) {
        skip(ins, 'the Dockerfile changes the shell (SHELL)');
        continue;
      }
      const r = argsRange(ctx, ins);
      if (!r) continue;
      let start = r.start;
      if (kw === 'HEALTHCHECK') {
        const m = /^((?:\s*--\S+)*\s*CMD\s+)\S/i.exec(ctx.text.slice(r.start, r.end));
        if (!m) continue;
        start = r.start + m[1].length;
      }
      if (ctx.text[start] === '[') {
        skip(ins, `${kw} looks like a JSON array but is not one: write it as one`);
        continue;
      }
      const stage = stageOf(ctx.model, ins);
      const chain = stage ? chainOf(stage).flatMap((s) => s.instructions) : [];
      if (kw === 'CMD' && chain.some((i) => i.keyword === 'ENTRYPOINT')) {
        skip(ins, 'an ENTRYPOINT is set: exec form would change the arguments it receives');
        continue;
      }
      if (kw === 'ENTRYPOINT' && chain.some((i) => i.keyword === 'CMD')) {
        skip(ins, 'a CMD is set: in exec form it would be appended to the ENTRYPOINT');
        continue;
      }
      const json = execForm(ctx, start, r.end);
      if (typeof json !== 'string') skip(ins, json.why);
      else out.edits.push({ start, end: r.end, text: json });
    }
    return out;
  },
};

// ---- SC1001 numeric non-root USER ---------------------------------------------------------------

/**
 * Official images whose process needs root when it starts (it binds a port below 1024, or its
 * entrypoint sets up files and drops privileges itself): a USER added at the end would break them.
 */
const STARTS_AS_ROOT = new Set([
  'nginx',
  'httpd',
  'php',
  'tomcat',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'redis',
  'rabbitmq',
  'wordpress',
  'drupal',
  'joomla',
  'ghost',
  'nextcloud',
  'traefik',
  'caddy',
  'haproxy',
  'docker',
  'jenkins',
  'memcached',
  'cassandra',
  'couchdb',
  'elasticsearch',
  'kibana',
  'logstash',
  'influxdb',
  'solr',
  'zookeeper',
  'eclipse-mosquitto',
  'vault',
  'consul',
  'odoo',
  'matomo',
  'mediawiki',
  'redmine',
  'squid',
  'varnish',
  'bind9',
  'openresty',
]);

/** Commands and flags that show the Dockerfile manages users or ownership itself. */
const USER_MANAGEMENT = new Set(['useradd', 'adduser', 'addgroup', 'groupadd', 'usermod', 'chown']);
/** Instructions after which USER goes: the steps that build the image (USER after them changes no build step). */
const BUILD_STEPS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR', 'VOLUME', 'SHELL', 'ONBUILD']);

function exposesPrivileged(ins: DInstruction): boolean | null {
  for (const w of ins.words) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(?:tcp|udp|sctp))?$/i.exec(w);
    if (!m) return null; // a variable or something else we cannot judge
    if (Number(m[1]) < 1024) return true;
  }
  return false;
}

export const noRootUser: Fixer<DockerfileModel> = {
  rule: 'SC1001',
  kind: 'dockerfile',
  what: `adds \`USER ${FIX_UID}\` after the last build step of the final stage (and \`RUN mkdir -p <dirs> && chown ${FIX_UID} <dirs>\` before its VOLUMEs) when no stage sets USER, the Dockerfile sets its own CMD or ENTRYPOINT, manages no users or ownership itself, exposes no port below 1024 and its base image is not one that starts as root by design`,
  fix(ctx) {
    const out: FixResult = { edits: [], skipped: [] };
    const s = ctx.model.finalStage;
    if (!s) return out;
    // the line the rule reports: the USER in force when the stage sets it, else the stage's FROM
    const line = s.user.source === 'explicit' && s.user.line !== null ? s.user.line : s.from.line;
    if (!ctx.findingLines.has(line)) return out;
    const no = (reason: string): FixResult => ({ edits: [], skipped: [{ line, reason }] });
    if (s.user.source !== 'default')
      return no(
        s.user.source === 'explicit'
          ? `USER ${s.user.value ?? ''} is set explicitly: choose the user yourself`
          : 'the stage inherits USER root from an earlier stage: choose the user yourself',
      );
    if (ctx.model.escapeChar !== '\\' || ctx.model.instructions.some((i) => i.keyword === 'SHELL'))
      return no('the Dockerfile sets another escape character or shell');
    const chain = chainOf(s);
    const base = chain[chain.length - 1].image;
    if (base.unresolved) return no('the base image is a build argument: its default user is unknown');
    const repo = base.repository;
    const name = repo.slice(repo.lastIndexOf('/') + 1).toLowerCase();
    if (STARTS_AS_ROOT.has(name))
      return no(
        `the ${name} image starts as root by design (its entrypoint or port needs it): use its documented non-root setup`,
      );
    const all = chain.flatMap((st) => st.instructions);
    if (!all.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'))
      return no("the image runs its base image's command, which may need root: set USER yourself");
    if (all.some((i) => i.keyword === 'ONBUILD'))
      return no('ONBUILD steps would run as the new user in images built from this one');
    for (const i of all) {
      if (i.keyword !== 'EXPOSE') continue;
      const p = exposesPrivileged(i);
      if (p === null) return no(`EXPOSE ${i.args.trim()} cannot be judged: a port below 1024 needs root`);
      if (p) return no(`EXPOSE ${i.args.trim()}: a port below 1024 needs root (or a capability)`);
    }
    if (all.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.flags.has('chown')))
      return no('the Dockerfile sets file ownership (--chown): set USER to that user (numeric uid)');
    for (const run of ctx.model.runs) {
      if (!chain.includes(run.stage)) continue;
      const c = run.commands.find((x) => USER_MANAGEMENT.has(x.program));
      if (c) return no(`the Dockerfile manages users or ownership (${c.program}): set USER to that user (numeric uid)`);
    }
    // data directories: VOLUMEs of the final stage get owned by the new user before they are declared
    const volumes = s.instructions.filter((i) => i.keyword === 'VOLUME');
    const volumeLines: { ins: DInstruction; dirs: string[] }[] = [];
    for (const v of volumes) {
      const dirs = v.json ?? v.words;
      if (dirs.length === 0 || dirs.some((d) => !/^\/[A-Za-z0-9_.@/-]*$/.test(d) || d.includes('..')))
        return no(`VOLUME ${v.args.trim()}: only literal absolute paths are made writable automatically`);
      volumeLines.push({ ins: v, dirs });
    }
    if (chain.some((st) => st !== s && st.instructions.some((i) => i.keyword === 'VOLUME')))
      return no('an earlier stage declares a VOLUME: its directory must be made writable there');
    if (volumeLines.length && !ctx.model.runs.some((r) => r.stage === s && !r.instr.json))
      return no('the final stage has VOLUMEs but no RUN (no shell known to chown them)');
    for (const { ins, dirs } of volumeLines) {
      const indent = ctx.lines.indent(ins.line - 1);
      const list = dirs.join(' ');
      out.edits.push(
        insertLinesBefore(
          ctx.lines,
          ins.line - 1,
          [`${indent}RUN mkdir -p ${list} && chown ${FIX_UID} ${list}`],
          ctx.eol,
        ),
      );
    }
    let after: DInstruction = s.from;
    for (const i of s.instructions) if (BUILD_STEPS.has(i.keyword)) after = i;
    out.edits.push(insertLinesAfter(ctx.lines, after.endLine - 1, [`USER ${FIX_UID}`], ctx.eol));
    return out;
  },
};

export const dockerfileFixers: readonly Fixer<DockerfileModel>[] = [
  noRootUser,
  preferCopyOverAdd,
  aptNoInstallRecommends,
  packageCacheCleanup,
  apkNoCache,
  execFormCmd,
];

export type { Skip };
