// Where the words of a shell-form RUN / CMD are in the file, for `audit --fix`: the policy's
// tokenizer (lib/policy/dockerfile/shell.ts) gives argv without offsets; a fix needs the offset
// of `install` to put `--no-install-recommends` after it. This scanner reads the same subset of
// shell (quotes, escapes, continuations, comment lines inside them, && || ; | & ( ) newlines,
// redirections) and gives up (`complex`) on what a fix should not touch: command or process
// substitution, heredocs. A fix never relies on it alone: the fixed file is audited again and the
// change is kept only when the finding is gone and nothing else got worse.

export interface Word {
  /** absolute offsets of the word's source text */
  start: number;
  end: number;
  /** after quote removal */
  value: string;
  /** no quotes, escapes or `$`: the source text is the value */
  plain: boolean;
  /** 0-based line of the word's first character */
  line: number;
}

export interface Command {
  words: Word[];
  /** the separator that ended it ('' at the end of the text) */
  sep: string;
  /** a redirection target or operator was dropped from `words` */
  redirected: boolean;
}

export interface Scan {
  commands: Command[];
  /** command/process substitution, backquotes or a heredoc: fixers leave such text alone */
  complex: boolean;
  /** a shell comment (`# …` outside a continuation comment line) */
  comment: boolean;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'];

/**
 * Scan text[start, end) (a RUN's arguments in shell form). `lineOf` maps an offset to its 0-based
 * line. `escape` is the Dockerfile escape character.
 */
export function scanShell(
  text: string,
  start: number,
  end: number,
  lineOf: (o: number) => number,
  escape = '\\',
): Scan {
  const commands: Command[] = [];
  let words: Word[] = [];
  let redirected = false;
  let complex = false;
  let comment = false;
  // the word being read (a property: the helpers below change it)
  const cur: { word: Word | null } = { word: null };
  let redirectNext = false;
  let i = start;

  const endWord = (): void => {
    if (cur.word === null) return;
    cur.word.end = i;
    if (redirectNext) {
      redirectNext = false;
      redirected = true;
    } else words.push(cur.word);
    cur.word = null;
  };
  const endCommand = (sep: string): void => {
    endWord();
    if (words.length > 0 || redirected) commands.push({ words, sep, redirected });
    words = [];
    redirected = false;
  };
  const begin = (): Word => (cur.word ??= { start: i, end: i, value: '', plain: true, line: lineOf(i) });
  const continuation = (k: number): number => {
    if (text[k] !== escape) return 0;
    if (text[k + 1] === '\n') return 2;
    if (text[k + 1] === '\r' && text[k + 2] === '\n') return 3;
    return 0;
  };

  while (i < end) {
    const c = text[i];
    const cont = continuation(i);
    if (cont) {
      i += cont;
      // Docker drops comment lines that follow a continuation
      for (;;) {
        let k = i;
        while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
        if (text[k] !== '#') break;
        while (k < end && text[k] !== '\n') k++;
        i = Math.min(end, k + 1);
      }
      continue;
    }
    if (c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      endCommand('\n');
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && cur.word === null) {
      comment = true;
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const w = begin();
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= end ? end : close;
      w.value += text.slice(i + 1, stop);
      w.plain = false;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      const w = begin();
      w.plain = false;
      i++;
      while (i < end && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < end) {
          w.value += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) complex = true;
        if (text[i] === '`') complex = true;
        w.value += text[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      const w = begin();
      w.plain = false;
      if (i + 1 < end) w.value += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`' || (c === '$' && text[i + 1] === '(')) {
      complex = true;
      const w = begin();
      w.plain = false;
      w.value += c;
      i++;
      continue;
    }
    if (c === '$') {
      const w = begin();
      w.plain = false;
      w.value += c;
      i++;
      continue;
    }
    if (c === '<' || c === '>') {
      if (c === '<' && text[i + 1] === '<') complex = true; // heredoc / here-string
      if (c === '<' && text[i + 1] === '(') complex = true; // process substitution
      // a word of digits right before it is the file descriptor (2>&1)
      if (cur.word !== null && /^\d+$/.test(cur.word.value)) cur.word = null;
      endWord();
      let k = i + 1;
      while (k < end && (text[k] === '>' || text[k] === '<' || text[k] === '&' || text[k] === '|')) k++;
      // `>&1`, `2>&-`: the target is glued to the operator
      redirectNext = true;
      redirected = true;
      i = k;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      endCommand(op);
      i += op.length;
      continue;
    }
    const w = begin();
    w.value += c;
    i++;
  }
  endWord();
  endCommand('');
  return { commands, complex, comment };
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);

/** Index of the program word of a command: after assignments, keywords and sudo/env/exec/nohup/command wrappers (-1: none). */
export function programIndex(words: readonly Word[]): number {
  let k = 0;
  for (;;) {
    while (k < words.length && (ASSIGNMENT.test(words[k].value) || KEYWORDS.has(words[k].value))) k++;
    const w = words[k]?.value;
    if (w === 'sudo') {
      k++;
      while (k < words.length && words[k].value.startsWith('-')) k += /^-[ugUCpDrth]$/.test(words[k].value) ? 2 : 1;
      continue;
    }
    if (w === 'env') {
      k++;
      while (k < words.length && (words[k].value.startsWith('-') || ASSIGNMENT.test(words[k].value)))
        k += words[k].value === '-u' ? 2 : 1;
      continue;
    }
    if (w === 'exec' || w === 'nohup' || w === 'command') {
      k++;
      continue;
    }
    return k < words.length ? k : -1;
  }
}

/** basename of a word ('/usr/bin/apt-get' → 'apt-get'). */
export function programName(w: Word): string {
  return w.value.slice(w.value.lastIndexOf('/') + 1);
}

/** Index of the sub-command (first argument not starting with '-') after the program word (-1: none). */
export function subcommandIndex(words: readonly Word[], program: number): number {
  for (let k = program + 1; k < words.length; k++) if (!words[k].value.startsWith('-')) return k;
  return -1;
}
