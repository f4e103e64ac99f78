// A small POSIX-shell tokenizer, enough to split a RUN line into simple commands.
// It respects quotes ('…', "…"), backslash escapes, $(…) and `…` substitutions (kept inside
// the word), Dockerfile line continuations and comment lines inside them, redirections
// (dropped from argv), and the separators && || ; | & ( ) and newlines.
// It is not a shell: no expansion, no globbing. Rules reason over the resulting argv.

export type Separator = '&&' | '||' | ';' | '|' | '&' | '\n' | '(' | ')' | 'end';

export interface SimpleCommand {
  /** words as the shell would see them after quote removal (no expansion) */
  argv: string[];
  /** 1-based line of the first word */
  line: number;
  /** separator that ended this command */
  next: Separator;
  /** true when this command's stdout is piped into the next command */
  pipeNext: boolean;
  /** leading VAR=value assignments */
  assigns: [string, string][];
  /** true when the command was wrapped in sudo */
  sudo: boolean;
  /** argv without assignments and wrappers (sudo, env, exec, nohup, time, command, !) */
  cmd: string[];
  /** basename of cmd[0] ('' when empty) */
  program: string;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Characters that may end an ordinary run inside a word (the main loop decides what they do). */
const STOP = ' \t\r\n\'"\\$`&|;()<>';
/**
 * A run of ordinary characters (none of STOP), from lastIndex: one regular expression (native code
 * from the first file on) rather than a loop over characters, which runs in V8's interpreter at first.
 * Both escape characters a Dockerfile may set (`\` and a backtick) are in STOP.
 */
const ORDINARY = /[^ \t\r\n'"\\$`&|;()<>]*/y;
/** Inside "…": characters with no meaning there (not the quote, an escape character or a line end). */
const DQ_ORDINARY = /[^"\\`\n]+/y;
/** Inside $(…): characters with no meaning there (not a parenthesis, an escape character or a line end). */
const SUBST_ORDINARY = /[^()\\`\n]+/y;

interface RawCommand {
  words: string[];
  line: number;
  next: Separator;
}

/**
 * Tokenize shell text. `startLine` is the 1-based line of the first character; `escapeChar` is the
 * Dockerfile escape character (a continuation is escapeChar followed by a newline).
 */
export function tokenizeShell(text: string, startLine = 1, escapeChar = '\\'): RawCommand[] {
  const out: RawCommand[] = [];
  let words: string[] = [];
  let word: string | null = null;
  let line = startLine;
  let wordLine = startLine;
  let cmdLine = -1;
  const n = text.length;
  let i = 0;

  const endWord = (): void => {
    if (word !== null) {
      if (cmdLine < 0) cmdLine = wordLine;
      words.push(word);
      word = null;
    }
  };
  const endCmd = (sep: Separator): void => {
    endWord();
    if (words.length > 0) out.push({ words, line: cmdLine, next: sep });
    words = [];
    cmdLine = -1;
  };
  const startWord = (): void => {
    if (word === null) {
      word = '';
      wordLine = line;
    }
  };
  /** Skip a continuation (escape + newline) and the comment lines Docker drops after it. */
  const isContinuation = (j: number): number => {
    if (text[j] !== escapeChar) return 0;
    if (text[j + 1] === '\n') return 2;
    if (text[j + 1] === '\r' && text[j + 2] === '\n') return 3;
    return 0;
  };
  /** Index of the next `q` at or after `from` (n if none), counting the newlines skipped. */
  const closing = (q: string, from: number): number => {
    let end = text.indexOf(q, from);
    if (end < 0) end = n;
    for (let k = text.indexOf('\n', from); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) line++;
    return end;
  };
  const skipCommentLines = (): void => {
    // after a continuation, Docker removes lines whose first non-blank char is '#'
    for (;;) {
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '#') {
        while (j < n && text[j] !== '\n') j++;
        if (j < n) {
          j++;
          line++;
        }
        i = j;
      } else return;
    }
  };

  while (i < n) {
    const c = text[i];
    const cont = isContinuation(i);
    if (cont) {
      i += cont;
      line++;
      skipCommentLines();
      continue;
    }
    if (c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      endCmd('\n');
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && word === null) {
      // comment to the end of the (logical) line
      while (i < n && text[i] !== '\n') {
        const k = isContinuation(i);
        if (k) {
          i += k;
          line++;
        } else i++;
      }
      continue;
    }
    if (c === "'") {
      startWord();
      i++;
      const end = closing("'", i);
      word = (word ?? '') + text.slice(i, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      startWord();
      i++;
      let s = '';
      let from = i; // start of the run not yet copied into s
      while (i < n && text[i] !== '"') {
        DQ_ORDINARY.lastIndex = i;
        if (DQ_ORDINARY.test(text)) {
          i = DQ_ORDINARY.lastIndex;
          continue;
        }
        const k = isContinuation(i);
        if (k) {
          s += text.slice(from, i);
          i += k;
          line++;
          from = i;
          continue;
        }
        if (text[i] === '\\' && i + 1 < n && '"\\$`'.includes(text[i + 1])) {
          s += text.slice(from, i) + text[i + 1];
          i += 2;
          from = i;
          continue;
        }
        if (text[i] === '\n') line++;
        i++;
      }
      s += text.slice(from, i);
      i++;
      word = (word ?? '') + s;
      continue;
    }
    if (c === '\\' && i + 1 < n) {
      startWord();
      word = (word ?? '') + text[i + 1];
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      startWord();
      let depth = 0;
      let s = '';
      let from = i;
      while (i < n) {
        SUBST_ORDINARY.lastIndex = i;
        if (i > from && SUBST_ORDINARY.test(text)) {
          i = SUBST_ORDINARY.lastIndex;
          continue;
        }
        const ch = text[i];
        const k = isContinuation(i);
        if (k) {
          s += text.slice(from, i) + ' ';
          i += k;
          line++;
          from = i;
          continue;
        }
        if (ch === '\n') line++;
        if (ch === '(') depth++;
        i++;
        if (ch === ')') {
          depth--;
          if (depth === 0) break;
        }
      }
      s += text.slice(from, i);
      word = (word ?? '') + s;
      continue;
    }
    if (c === '`') {
      startWord();
      i++;
      const end = closing('`', i);
      word = (word ?? '') + '`' + text.slice(i, end) + '`';
      i = end + 1;
      continue;
    }
    if (c === '&' && text[i + 1] === '&') {
      endCmd('&&');
      i += 2;
      continue;
    }
    if (c === '|' && text[i + 1] === '|') {
      endCmd('||');
      i += 2;
      continue;
    }
    if (c === '|') {
      endCmd('|');
      i += text[i + 1] === '&' ? 2 : 1;
      continue;
    }
    if (c === ';') {
      endCmd(';');
      i += text[i + 1] === ';' ? 2 : 1;
      continue;
    }
    if (c === '(' || c === ')') {
      endCmd(c);
      i++;
      continue;
    }
    if (c === '>' || c === '<' || (c === '&' && text[i + 1] === '>')) {
      // redirection: drop a pending fd number, the operator and its target word
      if (word !== null && /^\d+$/.test(word)) word = null;
      else endWord();
      while (i < n && (text[i] === '>' || text[i] === '<' || text[i] === '&' || text[i] === '|')) i++;
      if (text[i - 1] === '&' && /\d|-/.test(text[i] ?? '')) {
        // >&2, 2>&1, >&-
        i++;
        continue;
      }
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      // consume target word (simple: until whitespace or operator, quotes respected)
      let q: string | null = null;
      while (i < n) {
        const ch = text[i];
        if (q) {
          if (ch === q) q = null;
          i++;
          continue;
        }
        if (ch === "'" || ch === '"') {
          q = ch;
          i++;
          continue;
        }
        if (' \t\n;&|()<>'.includes(ch)) break;
        i++;
      }
      continue;
    }
    if (c === '&') {
      endCmd('&');
      i++;
      continue;
    }
    // an ordinary character: take the whole run of ordinary characters with one slice (appending
    // them one by one builds a chain of a million one-character strings for a 1 MB word)
    startWord();
    let j = i + 1;
    if (escapeChar === '\\' || escapeChar === '`') {
      ORDINARY.lastIndex = j;
      ORDINARY.test(text);
      j = ORDINARY.lastIndex;
    } else while (j < n && !STOP.includes(text[j]) && text[j] !== escapeChar) j++;
    word = (word ?? '') + text.slice(i, j);
    i = j;
  }
  endCmd('end');
  return out;
}

const SUDO_OPTS_WITH_ARG = new Set(['-u', '-g', '-U', '-C', '-h', '-p', '-r', '-t', '-D']);

/** Strip assignments and wrappers (sudo, env, exec, nohup, command, time, keywords). */
export function normalize(raw: RawCommand): SimpleCommand {
  const argv = raw.words;
  let k = 0;
  const assigns: [string, string][] = [];
  let sudo = false;
  // shell keywords at the start (if/then/do/{ …)
  while (k < argv.length && KEYWORDS.has(argv[k])) k++;
  for (;;) {
    while (k < argv.length && ASSIGN.test(argv[k])) {
      const eq = argv[k].indexOf('=');
      assigns.push([argv[k].slice(0, eq), argv[k].slice(eq + 1)]);
      k++;
    }
    const w = argv.at(k); // undefined past the end
    if (w === undefined) break;
    const base = w.slice(w.lastIndexOf('/') + 1);
    if (base === 'sudo' || base === 'doas') {
      sudo = true;
      k++;
      while (k < argv.length && argv[k].startsWith('-')) {
        if (SUDO_OPTS_WITH_ARG.has(argv[k])) k++;
        k++;
      }
      continue;
    }
    if (base === 'env') {
      k++;
      while (k < argv.length && argv[k].startsWith('-')) k++;
      continue;
    }
    if (base === 'exec' || base === 'nohup' || base === 'command' || base === 'time' || base === 'builtin') {
      k++;
      while (k < argv.length && argv[k].startsWith('-')) k++;
      continue;
    }
    break;
  }
  const cmd = argv.slice(k);
  const head = cmd[0] ?? '';
  return {
    argv,
    line: raw.line,
    next: raw.next,
    pipeNext: raw.next === '|',
    assigns,
    sudo,
    cmd,
    program: head.slice(head.lastIndexOf('/') + 1),
  };
}

/** Split shell text into normalized simple commands (closers like `fi`/`done` dropped). */
export function splitCommands(text: string, startLine = 1, escapeChar = '\\'): SimpleCommand[] {
  const res: SimpleCommand[] = [];
  for (const raw of tokenizeShell(text, startLine, escapeChar)) {
    const c = normalize(raw);
    if (c.cmd.length === 0 && c.assigns.length === 0 && !c.sudo) continue;
    if (c.cmd.length === 1 && CLOSERS.has(c.program)) continue;
    res.push(c);
  }
  // the `|` separator belongs to the command before it even if keywords were dropped
  return res;
}

/** Shells that run a script given on stdin or with -c. */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'busybox']);

/** If `c` is `sh -c 'script'`, return the script. */
export function shellScript(c: SimpleCommand): string | null {
  if (!SHELLS.has(c.program)) return null;
  for (let j = 1; j < c.cmd.length; j++) {
    const a = c.cmd[j];
    if (a === '-c' || (/^-[a-z]*c[a-z]*$/.test(a) && !a.startsWith('--'))) return c.cmd[j + 1] ?? null;
    if (!a.startsWith('-')) return null;
  }
  return null;
}
