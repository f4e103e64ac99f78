// The parsed view of a Dockerfile every SC1xxx rule reads. Built once per file from dockerfile-ast:
// stages (with ARG substitution in FROM and the parent stage when FROM names an earlier stage),
// the effective USER per stage, exec vs shell form, and RUN/CMD/ENTRYPOINT split into simple commands.
import type { Instruction } from 'dockerfile-ast';
import type { ResolvedPolicyConfig } from '../config.js';
import { dockerfileAst } from './ast.js';
import { scanDockerfile, type ScannedInstruction } from './scan.js';
import { parseImage, type ParsedImage } from '../image.js';
import { normalize, shellScript, splitCommands, type SimpleCommand } from './shell.js';
import { Expander, newScope, type LimitHit } from './vars.js';

export interface DInstruction {
  keyword: string;
  /** 1-based first line */
  line: number;
  /** 1-based last line */
  endLine: number;
  /** arguments, continuations joined (flags excluded for RUN/COPY/ADD/FROM); computed on first use */
  readonly args: string;
  /** whitespace-separated argument words (flags excluded); computed on first use */
  readonly words: string[];
  /** exec (JSON) form arguments, or null for shell form / non-JSON instructions */
  json: string[] | null;
  /** flags by lower-cased name: --from=build → from: "build"; repeated flags keep every value */
  flags: Map<string, string[]>;
  /** key/value pairs of ENV, ARG and LABEL */
  properties: { name: string; value: string | null; line: number }[];
  /** the instruction word as written (`run`, `Run`, …) */
  readonly instruction: string;
  /** the argument text as written, continuations included (flags excluded as in `args`); null: none */
  readonly raw: string | null;
  /** 1-based line of the first argument (the instruction's line when there is none) */
  readonly rawLine: number;
  /** dockerfile-ast's node (ranges for --fix); parsed on first use when the fast reader read the file */
  readonly node: Instruction;
}

export interface StageUser {
  /** USER value in effect at the end of the stage (null: none set anywhere) */
  value: string | null;
  /** line of the USER instruction in effect (null when inherited from a base image or defaulted) */
  line: number | null;
  root: boolean;
  source: 'explicit' | 'parent-stage' | 'base-image' | 'default';
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased; null when unnamed */
  name: string | null;
  from: DInstruction;
  image: ParsedImage;
  /** the earlier stage this one is built FROM, when FROM names a stage */
  parent: Stage | null;
  instructions: DInstruction[];
  user: StageUser;
  isFinal: boolean;
  /** final stage or one of its FROM ancestors: what ends up in the shipped image */
  inFinalImage: boolean;
}

export interface RunInfo {
  instr: DInstruction;
  stage: Stage;
  commands: SimpleCommand[];
  /** RUN --mount values, e.g. "type=cache,target=/var/cache/apt" */
  mounts: string[];
}

export interface DockerfileModel {
  path: string;
  escapeChar: string;
  instructions: DInstruction[];
  stages: Stage[];
  finalStage: Stage | null;
  runs: RunInfo[];
  /** ARGs declared before the first FROM: name → default (null when no default) */
  globalArgs: Map<string, string | null>;
  /** problems that make the file invalid (reported as SC0001) */
  problems: { line: number; message: string }[];
  /** analysis limits reached (variable expansion bounds), reported as SC0004: the file was only partly analysed */
  limits: LimitHit[];
  /** comments: 1-based line and text after '#' */
  comments: { line: number; text: string }[];
  /** the `# syntax=` parser directive: the image BuildKit runs as the Dockerfile frontend (P3), or null */
  syntax: { line: number; ref: string; image: ParsedImage } | null;
}

/**
 * The `# syntax=<image>` parser directive. Directives are only read at the very top of the file
 * (before any instruction, blank line or ordinary comment), so the scan stops at the first line that
 * is not one: at most a few lines, whatever the file's size.
 */
export function syntaxDirective(text: string): { line: number; ref: string } | null {
  let start = 0;
  for (let line = 1; line <= 16 && start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const raw = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    const m = /^[ \t]*#[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(\S*)[ \t]*$/.exec(raw);
    if (!m) return null;
    if (m[1].toLowerCase() === 'syntax' && m[2]) return { line, ref: m[2] };
    if (end < 0) break;
    start = end + 1;
  }
  return null;
}

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export function isRootUser(value: string): boolean {
  const user = value.split(':')[0].trim().toLowerCase();
  return user === 'root' || /^0+$/.test(user);
}

/** Shared by every instruction without flags (nothing mutates a model's flags). */
const NO_FLAGS: Map<string, string[]> = new Map();

/**
 * What both kinds of model instruction keep: commandsOf(this), computed once per escape character
 * (CMD/ENTRYPOINT are read by several rules).
 */
abstract class CommandsCache {
  commandsCache: SimpleCommand[] | undefined = undefined;
  commandsEscape = '';
}

/**
 * One instruction, read from dockerfile-ast once: line range, exec-form array, flags and properties
 * eagerly; the argument text and words on first use (rules need them for a few keywords only).
 */
class ModelInstruction extends CommandsCache implements DInstruction {
  keyword: string;
  line: number;
  endLine: number;
  json: string[] | null;
  flags: Map<string, string[]>;
  properties: DInstruction['properties'];
  node: Instruction;
  private argsCache: string | undefined = undefined;
  private wordsCache: string[] | undefined = undefined;

  constructor(node: Instruction) {
    super();
    const { JSONInstruction, ModifiableInstruction, PropertyInstruction } = dockerfileAst();
    const range = node.getRange();
    this.node = node;
    this.keyword = node.getKeyword();
    this.line = range.start.line + 1;
    this.endLine = range.end.line + 1;
    let json: string[] | null = null;
    if (node instanceof JSONInstruction && node.getOpeningBracket() !== null && node.getClosingBracket() !== null) {
      // parse the array ourselves: dockerfile-ast 0.7 drops spaces inside JSON strings ("a b" → "ab")
      try {
        const v: unknown = JSON.parse(node.getArgumentsContent() ?? '');
        json =
          Array.isArray(v) && v.every((x) => typeof x === 'string')
            ? v
            : node.getJSONStrings().map((s) => s.getJSONValue());
      } catch {
        json = node.getJSONStrings().map((s) => s.getJSONValue());
      }
    }
    this.json = json;
    let flags = NO_FLAGS;
    if (node instanceof ModifiableInstruction) {
      const list = node.getFlags();
      if (list.length > 0) {
        flags = new Map();
        for (const f of list) {
          const k = f.getName().toLowerCase();
          const values = flags.get(k);
          if (values) values.push(f.getValue() ?? '');
          else flags.set(k, [f.getValue() ?? '']);
        }
      }
    }
    this.flags = flags;
    const properties: DInstruction['properties'] = [];
    if (node instanceof PropertyInstruction) {
      for (const p of node.getProperties()) {
        properties.push({ name: p.getName(), value: p.getValue(), line: p.getRange().start.line + 1 });
      }
    }
    this.properties = properties;
  }

  get args(): string {
    return (this.argsCache ??= this.node.getArgumentsContent() ?? '');
  }

  get words(): string[] {
    return (this.wordsCache ??= this.node.getArguments().map((a) => a.getValue()));
  }

  get instruction(): string {
    return this.node.getInstruction();
  }

  get raw(): string | null {
    return this.node.getRawArgumentsContent();
  }

  get rawLine(): number {
    return (this.node.getArgumentsRange()?.start.line ?? this.line - 1) + 1;
  }
}

function toInstruction(node: Instruction): DInstruction {
  return new ModelInstruction(node);
}

/** dockerfile-ast's nodes of a file the fast reader read: parsed only if something asks (--fix). */
class LazyNodes {
  private nodes: Instruction[] | undefined = undefined;
  constructor(private readonly text: string) {}
  at(index: number): Instruction {
    this.nodes ??= dockerfileAst().DockerfileParser.parse(this.text).getInstructions();
    return this.nodes[index];
  }
}

/** One instruction read by the fast reader (scan.ts): the same fields, no dockerfile-ast objects. */
class ScannedModelInstruction extends CommandsCache implements DInstruction {
  keyword: string;
  line: number;
  endLine: number;
  args: string;
  words: string[];
  json: string[] | null;
  flags: Map<string, string[]>;
  properties: DInstruction['properties'];
  instruction: string;
  raw: string | null;
  rawLine: number;
  private readonly nodes: LazyNodes;
  private readonly index: number;

  constructor(s: ScannedInstruction, nodes: LazyNodes, index: number) {
    super();
    this.keyword = s.keyword;
    this.line = s.line;
    this.endLine = s.endLine;
    this.args = s.args ?? '';
    this.words = s.flagCount === 0 ? s.words : s.words.slice(s.flagCount);
    this.json = s.json;
    this.flags = s.flags ?? NO_FLAGS;
    this.properties = s.properties;
    this.instruction = s.instruction;
    this.raw = s.raw;
    this.rawLine = s.rawLine;
    this.nodes = nodes;
    this.index = index;
  }

  get node(): Instruction {
    return this.nodes.at(this.index);
  }
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/** Split the command text of a RUN / shell-form CMD into simple commands, heredocs included. */
export function commandsOf(instr: DInstruction, escapeChar = '\\'): SimpleCommand[] {
  if (instr.json) {
    if (instr.json.length === 0) return [];
    const c = normalize({ words: instr.json, line: instr.line, next: 'end' });
    const script = shellScript(c);
    if (script !== null) return [c, ...splitCommands(script, instr.line, '\\')];
    return [c];
  }
  const raw = instr.raw;
  if (raw === null) return [];
  const startLine = instr.rawLine;
  const nl = raw.indexOf('\n');
  const firstLine = nl < 0 ? raw : raw.slice(0, nl);
  const m = HEREDOC.exec(firstLine);
  if (m && !firstLine.trimEnd().endsWith(escapeChar)) {
    const delim = m[3];
    const lines = raw.slice(nl + 1).split('\n');
    const end = lines.findIndex((l) => (m[1] ? l.trim() : l.replace(/\r$/, '')) === delim);
    const body = (end < 0 ? lines : lines.slice(0, end)).join('\n');
    const head = firstLine.replace(HEREDOC, '').trim();
    const headCmds = head ? splitCommands(head, startLine, escapeChar) : [];
    const prog = headCmds[0]?.program;
    // `RUN <<EOF` (script for the default shell) or `RUN bash <<EOF`: the body is shell
    if (!head || (prog && ['sh', 'bash', 'dash', 'ash', 'zsh'].includes(prog) && headCmds[0].cmd.length === 1)) {
      return [...headCmds, ...splitCommands(body, startLine + 1, '\\')];
    }
    return headCmds;
  }
  const cmds = splitCommands(raw, startLine, escapeChar);
  // `sh -c '…'` inside a shell-form RUN: its script is commands too
  const out: SimpleCommand[] = [];
  for (let k = 0; k < cmds.length; k++) {
    const c = cmds[k];
    out.push(c);
    const script = shellScript(c);
    if (script !== null) out.push(...splitCommands(script, c.line, '\\'));
  }
  return out;
}

let referenceReader = false;

/** Read every Dockerfile with dockerfile-ast (tests comparing the fast reader with it). Returns the previous setting. */
export function useReferenceReader(on: boolean): boolean {
  const was = referenceReader;
  referenceReader = on;
  return was;
}

/**
 * The instructions, comments and escape character of a Dockerfile: from the fast reader (scan.ts)
 * when it reads the file, else from dockerfile-ast (the reference for every construct the fast
 * reader leaves to it). `reference` forces dockerfile-ast (tests comparing the two).
 */
export function readDockerfile(
  text: string,
  reference = referenceReader,
): { escapeChar: string; instructions: DInstruction[]; comments: DockerfileModel['comments'] } {
  const scanned = reference ? null : scanDockerfile(text);
  if (scanned) {
    const nodes = new LazyNodes(text);
    return {
      escapeChar: '\\',
      instructions: scanned.instructions.map((s, i) => new ScannedModelInstruction(s, nodes, i)),
      comments: scanned.comments,
    };
  }
  const df = dockerfileAst().DockerfileParser.parse(text);
  return {
    escapeChar: df.getEscapeCharacter(),
    instructions: df.getInstructions().map(toInstruction),
    comments: df.getComments().map((c) => ({ line: c.getRange().start.line + 1, text: c.getContent() })),
  };
}

export function buildDockerfileModel(
  text: string,
  path: string,
  config: ResolvedPolicyConfig,
  reference = referenceReader,
): DockerfileModel {
  const { escapeChar, instructions, comments } = readDockerfile(text, reference);
  const problems: DockerfileModel['problems'] = [];
  const directive = syntaxDirective(text);
  const syntax = directive ? { ...directive, image: parseImage(directive.ref) } : null;

  const globalArgs = new Map<string, string | null>();
  const stages: Stage[] = [];
  // stage name → first stage with that name (FROM <name> refers to the first; a Map keeps the
  // lookup O(1) per FROM, a hostile file may have 100k stages)
  const stageByName = new Map<string, Stage>();
  let current: Stage | null = null;
  // bounded ARG/ENV expansion (see vars.ts): values, their expansion depth, the file's budget
  const expander = new Expander(text.length);
  const globalScope = newScope(globalArgs);
  let stageScope = newScope();

  // index loops here and below: this runs for every file of a batch, mostly in V8's interpreter,
  // where a for…of allocates an iterator result an element
  for (let n = 0; n < instructions.length; n++) {
    const ins = instructions[n];
    if (!KNOWN.has(ins.keyword)) {
      problems.push({ line: ins.line, message: `unknown instruction "${ins.instruction}"` });
      continue;
    }
    if (ins.keyword === 'FROM') {
      const args = ins.words;
      const rawImage = args[0] ?? '';
      const name = args.length >= 3 && args[1].toLowerCase() === 'as' ? args[2].toLowerCase() : null;
      const resolved = expander.expand(rawImage, globalScope, ins.line).value;
      const parent = stageByName.get(resolved.toLowerCase()) ?? null;
      const image = parseImage(resolved);
      if (!rawImage) problems.push({ line: ins.line, message: 'FROM without an image' });
      let user: StageUser;
      if (parent)
        user = {
          ...parent.user,
          line: parent.user.line,
          source: parent.user.source === 'explicit' ? 'parent-stage' : parent.user.source,
        };
      else if (!image.scratch && !image.unresolved && config.isNonRootImage(`${image.full}:${image.tag ?? 'latest'}`))
        user = { value: null, line: null, root: false, source: 'base-image' };
      else user = { value: null, line: null, root: !image.unresolved, source: 'default' };
      current = {
        index: stages.length,
        name,
        from: ins,
        image,
        parent,
        instructions: [],
        user,
        isFinal: false,
        inFinalImage: false,
      };
      stages.push(current);
      if (name !== null && !stageByName.has(name)) stageByName.set(name, current);
      stageScope = newScope();
      continue;
    }
    if (!current) {
      if (ins.keyword === 'ARG') {
        for (let k = 0; k < ins.properties.length; k++) {
          const p = ins.properties[k];
          expander.assign(globalScope, p.name, p.value, p.line);
        }
      } else {
        problems.push({ line: ins.line, message: `${ins.keyword} before the first FROM` });
      }
      continue;
    }
    current.instructions.push(ins);
    if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      for (let k = 0; k < ins.properties.length; k++) {
        const p = ins.properties[k];
        // `ARG X` in a stage takes the global default (expanded once already, then with the stage's variables)
        if (p.value === null && ins.keyword === 'ARG')
          expander.assign(
            stageScope,
            p.name,
            globalArgs.get(p.name) ?? null,
            p.line,
            globalScope.depth.get(p.name) ?? 0,
          );
        else expander.assign(stageScope, p.name, p.value, p.line);
      }
    } else if (ins.keyword === 'USER') {
      const value = expander.expand(ins.args.trim(), stageScope, ins.line).value;
      current.user = {
        value,
        line: ins.line,
        root: !value.includes('$') && value !== '' && isRootUser(value),
        source: 'explicit',
      };
    }
  }
  if (stages.length === 0 && instructions.length > 0 && problems.length === 0)
    problems.push({ line: 1, message: 'no FROM instruction' });
  if (instructions.length === 0) problems.push({ line: 1, message: 'no instructions (empty Dockerfile)' });

  const finalStage = stages.length ? stages[stages.length - 1] : null;
  if (finalStage) {
    finalStage.isFinal = true;
    for (let s: Stage | null = finalStage; s; s = s.parent) s.inFinalImage = true;
  }

  const runs: RunInfo[] = [];
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    for (let n = 0; n < stage.instructions.length; n++) {
      const ins = stage.instructions[n];
      if (ins.keyword !== 'RUN') continue;
      runs.push({ instr: ins, stage, commands: commandsOf(ins, escapeChar), mounts: ins.flags.get('mount') ?? [] });
    }
  }
  return {
    path,
    escapeChar,
    instructions,
    stages,
    finalStage,
    runs,
    globalArgs,
    problems,
    limits: expander.limits,
    comments,
    syntax,
  };
}

// ---- helpers shared by rules -------------------------------------------------------------

/** Does a command's argv contain one of these options (exact, or --opt=value, or inside a short-option cluster)? */
export function hasOption(c: SimpleCommand, ...opts: string[]): boolean {
  return hasAnyOption(c, opts);
}

/** hasOption with the options in an array (a rule's constant: no array a call). */
export function hasAnyOption(c: SimpleCommand, opts: readonly string[]): boolean {
  // index loops, no slice: rules ask this of most commands of a batch, mostly in V8's interpreter,
  // where a for…of allocates an iterator result an element
  const cmd = c.cmd;
  for (let i = 1; i < cmd.length; i++) {
    const a = cmd[i];
    // a word without a leading '-' can only be an option given without one, exactly
    const dashed = a.charCodeAt(0) === 45; /* - */
    let cluster: boolean | undefined;
    for (let k = 0; k < opts.length; k++) {
      const o = opts[k];
      if (a === o) return true;
      if (!dashed) continue;
      if (o.startsWith('--') && a.startsWith(o + '=')) return true;
      if (o.length === 2 && o[0] === '-') {
        cluster ??= !a.startsWith('--') && /^-[A-Za-z]+$/.test(a);
        if (cluster && a.includes(o[1])) return true;
      }
    }
  }
  return false;
}

/** Sub-command of a package manager: first non-option argument ("apt-get -y install x" → "install"). */
export function subcommand(c: SimpleCommand): string {
  const cmd = c.cmd;
  for (let i = 1; i < cmd.length; i++) if (!cmd[i].startsWith('-')) return cmd[i];
  return '';
}

export function isPip(c: SimpleCommand): boolean {
  if (/^pip[0-9.]*$/.test(c.program)) return true;
  return /^python[0-9.]*$/.test(c.program) && c.cmd[1] === '-m' && /^pip[0-9.]*$/.test(c.cmd[2] ?? '');
}

/** Sub-command for pip, also for `python -m pip install`. */
export function pipSubcommand(c: SimpleCommand): string {
  const args = /^python/.test(c.program) ? c.cmd.slice(3) : c.cmd.slice(1);
  for (const a of args) if (!a.startsWith('-')) return a;
  return '';
}

/**
 * A RUN --mount of type cache or tmpfs whose target starts with one of `paths`: what such a mount
 * holds is not written to the layer (a tmpfs is discarded, a cache stays in the builder).
 */
export function hasCacheMount(run: RunInfo, ...paths: string[]): boolean {
  return run.mounts.some((m) => {
    const kv: Partial<Record<string, string>> = Object.fromEntries(
      m.split(',').map((p) => p.split('=') as [string, string]),
    );
    const target = kv.target ?? kv.dst ?? kv.destination ?? '';
    const type = kv.type ?? 'bind';
    return (type === 'cache' || type === 'tmpfs') && paths.some((p) => target.startsWith(p));
  });
}

/** The commands of CMD / ENTRYPOINT / HEALTHCHECK CMD (exec or shell form). */
export function instructionCommands(model: DockerfileModel, ins: DInstruction): SimpleCommand[] {
  if (ins instanceof CommandsCache) {
    if (ins.commandsCache === undefined || ins.commandsEscape !== model.escapeChar) {
      ins.commandsCache = commandsOf(ins, model.escapeChar);
      ins.commandsEscape = model.escapeChar;
    }
    return ins.commandsCache;
  }
  return commandsOf(ins, model.escapeChar);
}

// Helpers shared by Dockerfile rules (rules take them from here, never from another rule).

/** A remote ADD source: http(s) or ftp URL. */
export const URL_RE = /^(?:https?|ftp):\/\//i;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * git@…, git://…, or an http(s) URL ending in `.git` or `.git#ref`: what
 * /^(?:git@|git:\/\/|https?:\/\/.*\.git(?:#.*)?$)/i accepts, in linear time (that regex retried
 * `#.*$` from every `.git#` of a long argument when a line break followed, `.` stopping there).
 */
export const GIT_RE = {
  test: (s: string): boolean =>
    /^(?:git@|git:\/\/)/i.test(s) || (/^https?:\/\//i.test(s) && !LINE_BREAK.test(s) && /\.git(?:$|#)/i.test(s)),
};

/** Source arguments of ADD/COPY (the last argument is the destination). */
export function sources(args: string[]): string[] {
  return args.slice(0, -1);
}
