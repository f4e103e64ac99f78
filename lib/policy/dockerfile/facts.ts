// Facts about a Dockerfile model that several rules ask for, computed once per model: which
// programs the RUN commands start, whether any is wrapped in sudo, sets a variable for itself, or
// runs pip, and the instructions of the stages by keyword. A rule whose programs or instructions
// are not there returns at once instead of walking every command or instruction again.
// Loops here and in the rules that run on every file are index loops: a batch audit runs them in
// V8's unoptimized tiers, where every step of a for…of allocates an iterator result.
import { isPip, type DInstruction, type DockerfileModel } from './model.js';

export interface RunFacts {
  /** SimpleCommand.program of every command of every RUN (model.runs) */
  programs: Set<string>;
  /** some command is wrapped in sudo/doas (SimpleCommand.sudo) */
  sudo: boolean;
  /** some command has leading VAR=value assignments */
  assigns: boolean;
  /** some command is pip or python -m pip (isPip) */
  pip: boolean;
}

interface Facts {
  model: DockerfileModel;
  run: RunFacts | null;
  /** instructions of the stages (not the global ARGs before the first FROM) by keyword, in file order */
  keywords: (readonly DInstruction[])[] | null;
}

/**
 * The facts of the model asked last. The engine runs every rule of a file before the next file, so
 * one entry is enough; a WeakMap holding an entry a model made garbage collection of a 5,000-file
 * batch measurably slower (ephemerons). The entry keeps one model alive until the next is asked.
 */
let memo: Facts | null = null;

function factsOf(model: DockerfileModel): Facts {
  if (memo?.model !== model) memo = { model, run: null, keywords: null };
  return memo;
}

export function runFacts(model: DockerfileModel): RunFacts {
  const facts = factsOf(model);
  if (facts.run === null) {
    const f: RunFacts = { programs: new Set(), sudo: false, assigns: false, pip: false };
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const commands = runs[r].commands;
      for (let k = 0; k < commands.length; k++) {
        const c = commands[k];
        f.programs.add(c.program);
        if (c.sudo) f.sudo = true;
        if (c.assigns.length > 0) f.assigns = true;
        // isPip needs a program named pip… or python…
        if (!f.pip && c.program.charCodeAt(0) === 112 /* p */ && isPip(c)) f.pip = true;
      }
    }
    facts.run = f;
  }
  return facts.run;
}

/** Whether any of `programs` is started by a RUN command of the model. */
export function runsAny(model: DockerfileModel, programs: readonly string[]): boolean {
  const have = runFacts(model).programs;
  for (let i = 0; i < programs.length; i++) if (have.has(programs[i])) return true;
  return false;
}

/** Instruction keywords a rule can ask stageInstructions for: a slot each. */
const KEYWORDS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;
export type Keyword = (typeof KEYWORDS)[number];
const SLOT = new Map<string, number>(KEYWORDS.map((k, i) => [k, i]));
const NONE: readonly DInstruction[] = [];

/**
 * The instructions with `keyword` in the stages of the model (what `for (const s of model.stages)
 * for (const i of s.instructions) if (i.keyword === keyword)` visits), in file order.
 */
export function stageInstructions(model: DockerfileModel, keyword: Keyword): readonly DInstruction[] {
  const facts = factsOf(model);
  let lists = facts.keywords;
  if (lists === null) {
    lists = new Array<readonly DInstruction[]>(KEYWORDS.length).fill(NONE);
    const stages = model.stages;
    for (let s = 0; s < stages.length; s++) {
      const list = stages[s].instructions;
      for (let i = 0; i < list.length; i++) {
        const ins = list[i];
        const slot = SLOT.get(ins.keyword);
        if (slot === undefined) continue;
        const same = lists[slot];
        if (same === NONE) lists[slot] = [ins];
        else (same as DInstruction[]).push(ins);
      }
    }
    facts.keywords = lists;
  }
  return lists[SLOT.get(keyword) as number];
}

/** What the shell reader removes from inside a word (quotes, backslashes, carriage returns): it can join two parts of a name. */
const JOINS = /['"\\\r]/;

/**
 * Whether a word of the commands of RUN/CMD/ENTRYPOINT `ins` (commandsOf, instructionCommands) can
 * contain a match of `pattern`, an unanchored pattern of literal text (a match in a part of a text
 * is a match in the text). A word is its text with only quotes, backslashes, carriage returns and
 * continuations (the escape character) taken out, and a heredoc marker is taken out of the first
 * line only with the quotes of a quoted delimiter (`<<EOF` takes every letter after it). So when
 * the text (exec form: every string of the array, `sh -c` scripts included) has none of those, every
 * word is a part of it: if `pattern` finds nothing in it, it finds nothing in any word, and the
 * commands need not be read for it.
 */
export function mayContain(ins: DInstruction, escapeChar: string, pattern: RegExp): boolean {
  const texts = ins.json;
  if (texts !== null) {
    for (let i = 0; i < texts.length; i++) if (mayMatch(texts[i], escapeChar, pattern)) return true;
    return false;
  }
  return ins.raw !== null && mayMatch(ins.raw, escapeChar, pattern);
}
const mayMatch = (text: string, escapeChar: string, pattern: RegExp): boolean =>
  pattern.test(text) || JOINS.test(text) || text.includes(escapeChar);
