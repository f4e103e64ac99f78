// How the app's own files start it (issue 10 item 2): a Procfile `web:` line, boot/entrypoint
// scripts (`boot.sh`: `flask db upgrade` then `exec gunicorn …`) and an existing Dockerfile's
// ENTRYPOINT/CMD. Shell text is read, never run: each command is split into words (quotes, `$PORT`,
// `${X:-default}`), the exec'd server becomes the start command (in `python -m <server>` form, bound
// to 0.0.0.0 and the port), and the commands before it become build steps (translations) or steps
// left to the user at release (migrations). Pure.
import { basename, excerpt, lineAt } from '../../detect/text.js';

/** A word of a command line, or why it cannot be used in exec form. */
interface Word {
  text: string;
  /** the word holds a shell expansion we could not resolve ($(…), `…`, $VAR without a default) */
  unresolved?: string;
  /** the word came from $PORT (or ${PORT…}) */
  port?: boolean;
}

/** One simple command of a shell line. */
export interface ShellCommand {
  words: Word[];
  /** leading NAME=value assignments */
  env: [string, string][];
  /** the command line text, for messages */
  text: string;
  /** `exec …` */
  exec: boolean;
}

/** Placeholder for $PORT in a server command (rebound to the detected port later). */
export const PORT_WORD = '8000';
/** $PORT while a command is read: told apart from a port the command states itself. */
const PORT_VAR = '{{PORT}}';
const unvar = (w: string): string => w.split(PORT_VAR).join(PORT_WORD);

/**
 * Split one shell line into simple commands (`;`, `&&`, `||`, `|`, `&` separate them; a pipe keeps
 * the last command only: `yes | python manage.py migrate`). Returns the commands and, when the
 * line cannot be read (unbalanced quotes, here-docs), undefined.
 */
export function splitShellLine(
  line: string,
  resolve: (name: string) => string | undefined,
): ShellCommand[] | undefined {
  const out: ShellCommand[] = [];
  let words: Word[] = [];
  let cur: Word | undefined;
  let start = 0;
  const s = line;
  const push = (): void => {
    if (cur) words.push(cur);
    cur = undefined;
  };
  const add = (t: string, extra: Partial<Word> = {}): void => {
    cur ??= { text: '' };
    cur.text += t;
    if (extra.unresolved) cur.unresolved = extra.unresolved;
    if (extra.port) cur.port = true;
  };
  const end = (i: number, pipe: boolean): void => {
    push();
    if (words.length > 0) {
      const text = s.slice(start, i).trim();
      const cmd = toCommand(words, text);
      if (pipe) {
        /* only the last command of a pipeline is kept */
      } else if (cmd) out.push(cmd);
    }
    words = [];
    start = i + 1;
  };
  // $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}; $(…) and `…` are unresolved
  const expand = (i: number): number => {
    const rest = s.slice(i);
    let m = /^\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}/.exec(rest);
    if (!m) m = /^\$([A-Za-z_]\w*)/.exec(rest);
    if (m) {
      // the optional default group: undefined when absent
      const groups: readonly (string | undefined)[] = m;
      const name = m[1];
      const dflt = groups[2];
      if (/^PORT$/.test(name)) add(PORT_VAR, { port: true });
      else {
        const v = resolve(name) ?? dflt;
        if (v === undefined) add(`$${name}`, { unresolved: `$${name}` });
        else add(v);
      }
      return i + m[0].length;
    }
    if (rest.startsWith('$@') || rest.startsWith('$*')) {
      add('$@');
      return i + 2;
    }
    if (rest.startsWith('$(') || rest.startsWith('$((')) {
      const close = s.indexOf(')', i);
      add(rest.slice(0, close === -1 ? rest.length : close - i + 1), { unresolved: 'a command substitution' });
      return close === -1 ? s.length : close + 1;
    }
    if (/^\$[0-9#?!$-]/.test(rest)) {
      add(rest.slice(0, 2), { unresolved: rest.slice(0, 2) });
      return i + 2;
    }
    add('$');
    return i + 1;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close === -1) return undefined;
      add(s.slice(i + 1, close));
      i = close + 1;
    } else if (c === '"') {
      cur ??= { text: '' };
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '$`"\\'.includes(s[i + 1])) {
          add(s[i + 1]);
          i += 2;
        } else if (s[i] === '$') i = expand(i);
        else if (s[i] === '`') {
          const close = s.indexOf('`', i + 1);
          add('`', { unresolved: 'a command substitution' });
          i = close === -1 ? s.length : close + 1;
        } else {
          add(s[i]);
          i++;
        }
      }
      if (i >= s.length) return undefined;
      i++;
    } else if (c === '\\') {
      if (i + 1 < s.length) add(s[i + 1]);
      i += 2;
    } else if (c === '$') i = expand(i);
    else if (c === '`') {
      const close = s.indexOf('`', i + 1);
      add('`', { unresolved: 'a command substitution' });
      i = close === -1 ? s.length : close + 1;
    } else if (c === '#' && cur === undefined) {
      break;
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === ';' || c === '&' || c === '|') {
      const two = s.slice(i, i + 2);
      const isPipe = c === '|' && two !== '||';
      end(i, isPipe);
      i += two === '&&' || two === '||' || two === ';;' ? 2 : 1;
      start = i;
    } else if (c === '<' && s[i + 1] === '<') {
      return undefined;
    } else if (c === '>' || c === '<') {
      // a redirection: drop it and its target (`>&2`, `2>&1`, `> /dev/null`)
      if (cur && /^\d$/.test(cur.text)) cur = undefined;
      push();
      i++;
      if (s[i] === '>' || s[i] === '&') i++;
      while (i < s.length && /\s/.test(s[i])) i++;
      while (i < s.length && !/[\s;&|]/.test(s[i])) i++;
    } else {
      add(c);
      i++;
    }
  }
  end(s.length, false);
  return out;
}

function toCommand(words: Word[], text: string): ShellCommand | undefined {
  const env: [string, string][] = [];
  let k = 0;
  while (k < words.length && /^[A-Za-z_]\w*=/.test(words[k].text) && !words[k].unresolved) {
    const eq = words[k].text.indexOf('=');
    env.push([words[k].text.slice(0, eq), words[k].text.slice(eq + 1)]);
    k++;
  }
  let exec = false;
  while (k < words.length && ['exec', 'command', 'nohup', 'time'].includes(words[k].text)) {
    if (words[k].text === 'exec') exec = true;
    k++;
  }
  const rest = words.slice(k);
  if (rest.length === 0) return undefined;
  return { words: rest, env, text, exec };
}

/** Servers we can run as `python -m <module>`, with how each binds. */
const SERVERS: Partial<Record<string, string>> = {
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  'waitress-serve': 'waitress',
  waitress: 'waitress',
  daphne: 'daphne',
  hypercorn: 'hypercorn',
};
/** Wrappers around the real command (monitoring agents): dropped, with a note. */
const WRAPPERS: Partial<Record<string, number>> = {
  'newrelic-admin': 2, // newrelic-admin run-program <cmd>
  'ddtrace-run': 1,
  'opentelemetry-instrument': 1,
};
/** Runners that put the venv on the PATH: `poetry run X`, `uv run X`, `pipenv run X`, `pdm run X`. */
const RUNNERS = new Set(['poetry', 'uv', 'pipenv', 'pdm', 'hatch', 'rye']);
/** Commands of a boot script that are plumbing, not steps (waiting, logging, shell control). */
const PLUMBING = new Set([
  'echo',
  'printf',
  'sleep',
  'set',
  'export',
  'source',
  '.',
  'cd',
  'trap',
  'wait',
  'exit',
  'true',
  'false',
  'test',
  '[',
  '[[',
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'while',
  'until',
  'for',
  'do',
  'done',
  'case',
  'esac',
  'break',
  'continue',
  'return',
  'umask',
  'ulimit',
  'mkdir',
  'chmod',
  'chown',
  'rm',
  'cp',
  'mv',
  'ln',
  'touch',
  'yes',
  'psql',
  'pg_isready',
  'nc',
  'netcat',
  'curl',
  'wget',
  'dockerize',
  'wait-for-it',
  'wait-for-it.sh',
  'shift',
  'local',
  'readonly',
  'unset',
  'eval',
  'declare',
  'cat',
  'tee',
  'env',
]);

export type StepKind = 'server' | 'uwsgi' | 'script' | 'dev' | 'release' | 'build' | 'passthrough' | 'file' | 'ignored';

/** A command of the app's start-up, classified. */
export interface Classified {
  kind: StepKind;
  /** logical argv: `python -m gunicorn …`, `python manage.py migrate`, `pybabel compile …` */
  argv: string[];
  /** what it does, in a few words ("database migrations") */
  what: string;
  /** notes about the translation (a wrapper dropped, a flag with an unknown variable dropped) */
  notes: string[];
  cmd: ShellCommand;
  /** the words after the program (argv's tail), with what we know of each */
  args: Word[];
}

const PY = /^python(?:3(?:\.\d+)?)?$/;

/** Classify one command: the server, a step before it, a script to read, or plumbing. */
export function classify(cmd: ShellCommand): Classified {
  const notes: string[] = [];
  let w = cmd.words;
  const base = (x: Word | undefined): string => (x ? basename(x.text) : '');
  // runners and wrappers
  for (let guard = 0; guard < 4; guard++) {
    const b = base(w[0]);
    if (RUNNERS.has(b) && w[1]?.text === 'run') {
      w = w.slice(2).filter((x, i) => !(i === 0 && x.text === '--'));
    } else if (WRAPPERS[b] !== undefined) {
      notes.push(`the ${b} wrapper is dropped (add it back with --start if you need it)`);
      w = w.slice(WRAPPERS[b]);
    } else break;
  }
  let args: Word[] = [];
  const mk = (kind: StepKind, argv: string[], what: string): Classified => ({
    kind,
    argv: kind === 'server' || kind === 'uwsgi' ? argv : argv.map(unvar),
    what,
    notes,
    cmd,
    args,
  });
  if (w.length === 0) return mk('ignored', [], 'nothing to run');
  if (w.length === 1 && w[0].text === '$@') return mk('passthrough', [], 'runs the image command');
  let prog = base(w[0]);
  args = w.slice(1);
  let viaPython = false;
  if (PY.test(prog)) {
    viaPython = true;
    // python [-u|-O…] -m module … | python file.py …
    let k = 0;
    while (k < args.length && /^-[A-Za-z]+$/.test(args[k].text) && args[k].text !== '-m') k++;
    if (args[k]?.text === '-m' && args[k + 1]) {
      prog = args[k + 1].text;
      args = args.slice(k + 2);
    } else if (args[k]) {
      prog = args[k].text.replace(/^\.\//, '');
      args = args.slice(k + 1);
    } else return mk('ignored', [], 'an interactive interpreter');
  } else if (/^(?:\.\/)?manage\.py$/.test(w[0].text)) {
    prog = 'manage.py';
  }
  const texts = args.map((a) => a.text);
  const sub = texts.filter((t) => !t.startsWith('-'));
  const serverModule = SERVERS[prog];
  if (serverModule !== undefined)
    return mk('server', ['python', '-m', serverModule, ...texts], `the ${serverModule} server`);
  if (prog === 'uwsgi') return mk('uwsgi', texts, 'uWSGI');
  if (prog === 'manage.py' || prog.endsWith('/manage.py')) {
    const argv = ['python', prog, ...texts];
    switch (sub[0]) {
      case 'runserver':
      case 'runserver_plus':
        return mk('dev', argv, "Django's development server");
      case 'migrate':
        return mk('release', argv, 'database migrations');
      case 'collectstatic':
        return mk('build', argv, 'static files');
      case 'compilemessages':
        return mk('build', argv, 'translations');
      case 'check':
      case 'wait_for_db':
        return mk('ignored', argv, 'a check');
      default:
        return mk('release', argv, `manage.py ${sub[0] ?? ''}`.trim());
    }
  }
  if (prog === 'flask') {
    const argv = ['python', '-m', 'flask', ...texts];
    if (sub[0] === 'run') return mk('dev', argv, "Flask's development server");
    if (sub[0] === 'db' && sub[1] === 'upgrade') return mk('release', argv, 'database migrations');
    if (sub[0] === 'translate' && sub[1] === 'compile') return mk('build', argv, 'translations');
    return mk('release', argv, `flask ${sub.slice(0, 2).join(' ')}`);
  }
  if (prog === 'alembic') {
    return mk(
      'release',
      ['python', '-m', 'alembic', ...texts],
      sub[0] === 'upgrade' ? 'database migrations' : `alembic ${sub[0] ?? ''}`.trim(),
    );
  }
  if (prog === 'pybabel') {
    return sub[0] === 'compile' ? mk('build', ['pybabel', ...texts], 'translations') : mk('ignored', [], 'pybabel');
  }
  if (viaPython) {
    if (prog.endsWith('.py') || /^[A-Za-z_][\w.]*$/.test(prog)) {
      const argv = prog.endsWith('.py') ? ['python', prog, ...texts] : ['python', '-m', prog, ...texts];
      return mk('script', argv, `python ${prog}`);
    }
    return mk('ignored', [], `python ${prog}`);
  }
  if (['sh', 'bash', 'dash', 'ash', 'zsh'].includes(prog) && args[0] && !args[0].text.startsWith('-')) {
    return mk('file', [args[0].text.replace(/^\.\//, '')], `the script ${args[0].text}`);
  }
  if (/\.sh$/.test(prog) || /^(?:\.\/|bin\/|scripts?\/|docker\/)/.test(w[0].text)) {
    return mk('file', [w[0].text.replace(/^\.\//, '')], `the script ${w[0].text}`);
  }
  if (PLUMBING.has(prog)) return mk('ignored', [], prog);
  return mk('ignored', [], prog);
}

/** What the app's own start-up does, read from one or more files. */
export interface StartupPlan {
  /** the exec'd (else the last) server or script command */
  server?: Classified;
  /** where the server command was read ("Procfile:1: web: …") */
  serverSource?: string;
  /** steps run before the server, in order, with where each was read */
  steps: { step: Classified; source: string }[];
  /** a script ends with `exec "$@"`: the server is the image's CMD */
  passthrough?: boolean;
  /** things read but not used, for notes */
  notes: string[];
}

export interface StartupReader {
  read(path: string): string | undefined;
  has(path: string): boolean;
}

const MAX_SCRIPT_BYTES = 64 * 1024;

/** Resolve a script path as written (absolute paths inside an image: /code/boot.sh -> boot.sh). */
export function repoPath(r: StartupReader, p: string): string | undefined {
  const clean = p.replace(/^\.\//, '');
  if (!clean.startsWith('/')) return r.has(clean) ? clean : undefined;
  const segs = clean.split('/').filter(Boolean);
  for (let k = 0; k < segs.length; k++) {
    const cand = segs.slice(k).join('/');
    if (r.has(cand)) return cand;
  }
  return undefined;
}

interface Entry {
  c: Classified;
  source: string;
}

/**
 * Read a shell text (a Procfile command, a script, a shell-form CMD): every command in order; a
 * referenced script is read in place (two levels at most). The exec'd server (else the last
 * server-like command) is the start; the commands before it are steps.
 */
export function readStartup(
  r: StartupReader,
  text: string,
  where: (line: number, lineText: string) => string,
  env: Map<string, string> = new Map(),
  /** a script run before the server (prestart.sh): every command is a step, none is the server */
  stepsOnly = false,
): StartupPlan {
  const entries: Entry[] = [];
  const notes: string[] = [];
  const seen = { passthrough: false };
  const visit = (body: string, at: (line: number, lineText: string) => string, depth: number): void => {
    const lines = body.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    lines.forEach((line, idx) => {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) return;
      const src = at(idx + 1, t);
      const cmds = splitShellLine(t, (name) => env.get(name));
      if (cmds === undefined) {
        notes.push(`${src}: not read (shell syntax we do not follow)`);
        return;
      }
      for (const cmd of cmds) {
        // `export X=y`: remembered for what follows
        if (cmd.words[0]?.text === 'export') {
          for (const wd of cmd.words.slice(1)) {
            const m = /^([A-Za-z_]\w*)=(.*)$/.exec(wd.text);
            if (m && !wd.unresolved) env.set(m[1], m[2]);
          }
          continue;
        }
        const c = classify(cmd);
        if (c.kind === 'file') {
          const p = repoPath(r, c.argv[0]);
          const inner = p !== undefined ? r.read(p) : undefined;
          if (p === undefined) notes.push(`${src}: ${c.argv[0]} is not in the repository`);
          else if (inner !== undefined && inner.length <= MAX_SCRIPT_BYTES && depth < 2)
            visit(inner, (n, e) => `${p}:${n}: ${excerpt(e)}`, depth + 1);
          continue;
        }
        if (c.kind === 'passthrough') seen.passthrough = true;
        else if (c.kind !== 'ignored') entries.push({ c, source: src });
      }
    });
  };
  visit(text, where, 0);
  const serverLike = (e: Entry): boolean => ['server', 'uwsgi', 'script', 'dev'].includes(e.c.kind);
  let at = -1;
  for (let k = entries.length - 1; k >= 0 && at === -1 && !stepsOnly; k--)
    if (serverLike(entries[k]) && entries[k].c.cmd.exec) at = k;
  for (let k = entries.length - 1; k >= 0 && at === -1 && !stepsOnly; k--) if (serverLike(entries[k])) at = k;
  const plan: StartupPlan = { steps: [], notes, ...(seen.passthrough ? { passthrough: true } : {}) };
  entries.forEach((e, k) => {
    if (k === at) {
      plan.server = e.c;
      plan.serverSource = e.source;
    } else if (at !== -1 && k > at) notes.push(`${e.source}: after the server command; ignored`);
    else if (e.c.kind === 'release' || e.c.kind === 'build') plan.steps.push({ step: e.c, source: e.source });
    else if (e.c.kind === 'script') plan.steps.push({ step: { ...e.c, kind: 'release' }, source: e.source });
    else notes.push(`${e.source}: ${e.c.what} before the server; ignored`);
  });
  return plan;
}

/** `Procfile` lines: { web, release } with their line numbers. */
export function procfileLines(text: string): Map<string, { line: number; command: string; text: string }> {
  const out = new Map<string, { line: number; command: string; text: string }>();
  for (const m of text.matchAll(/^([A-Za-z0-9_-]+):[ \t]*(.*)$/gm)) {
    if (!out.has(m[1])) out.set(m[1], { line: lineAt(text, m.index), command: m[2].trim(), text: m[0] });
  }
  return out;
}

/** The ENTRYPOINT and CMD of a Dockerfile's last stage, as shell text, with the ENV values it sets. */
export interface DockerfileStart {
  entrypoint?: { command: string; line: number };
  cmd?: { command: string; line: number };
  env: Map<string, string>;
}

export function dockerfileStart(text: string): DockerfileStart | undefined {
  const env = new Map<string, string>();
  let entrypoint: { command: string; line: number } | undefined;
  let cmd: { command: string; line: number } | undefined;
  const quote = (w: string[]): string =>
    w.map((x) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, '')}'`)).join(' ');
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let l = lines[i];
    while (/\\\s*$/.test(l) && i + 1 < lines.length) l = l.replace(/\\\s*$/, ' ') + lines[++i];
    const m = /^\s*(ENTRYPOINT|CMD|ENV|FROM)\s+(.*)$/i.exec(l);
    if (!m) continue;
    const kw = m[1].toUpperCase();
    const arg = m[2].trim();
    if (kw === 'FROM') {
      // only the last stage counts
      entrypoint = undefined;
      cmd = undefined;
      env.clear();
      continue;
    }
    if (kw === 'ENV') {
      const legacy = /^([A-Za-z_]\w*)\s+([^=\s]\S*)$/.exec(arg);
      if (legacy) env.set(legacy[1], legacy[2]);
      else
        for (const e of arg.matchAll(/([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)/g))
          env.set(e[1], e[2].replace(/^["']|["']$/g, ''));
      continue;
    }
    let command = arg;
    if (arg.startsWith('[')) {
      try {
        const v: unknown = JSON.parse(arg);
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
          const w: string[] = v;
          // ["sh", "-c", "…"]: the string itself
          command = w.length === 3 && /^(?:\/bin\/)?(?:ba)?sh$/.test(w[0]) && w[1] === '-c' ? w[2] : quote(w);
        }
      } catch {
        /* shell form */
      }
    }
    if (kw === 'ENTRYPOINT') entrypoint = { command, line: first + 1 };
    else cmd = { command, line: first + 1 };
  }
  if (!entrypoint && !cmd) return undefined;
  return { ...(entrypoint ? { entrypoint } : {}), ...(cmd ? { cmd } : {}), env };
}

/** What the start command became: the logical argv and what was changed on the way. */
export interface ServerStart {
  argv: string[];
  /** the module the server runs ("microblog:app"), when it names one */
  target?: string;
  /** the server module ("gunicorn"), or undefined for a script */
  server?: string;
  /** argv carries a port (placeholder or explicit) that follows the detected port */
  hasPort: boolean;
  /** the port the command states itself (`-b :5000`), not from $PORT */
  port?: number;
  notes: string[];
}

/** A character the exec-form start cannot hold (the start question refuses it too). */
const UNSAFE = /[\n\r\0"'`$\\;&|<>]/;
const TARGET = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(?:\([^)]*\))?$/;
const MODULE = /^[A-Za-z_][\w.]*$/;
const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[?::1\]?)$/;

/** Options of each server that take a value as the next word (so that word is not the app). */
const VALUED =
  /^-(?:[bcpkwtgu]|-(?:bind|config|workers|worker-class|threads|timeout|graceful-timeout|keep-alive|log-level|log-config|access-logfile|error-logfile|access-logformat|chdir|pythonpath|user|group|name|pid|port|host|root-path|app-dir|env-file|proxy-headers|forwarded-allow-ips|limit-concurrency|backlog|uds|fd|h11-max-incomplete-event-size|ws|loop|http|lifespan|interface|listen|threads|url-scheme|ident|max-requests|max-requests-jitter|worker-connections|certfile|keyfile|ssl-keyfile|ssl-certfile|statsd-host|capture-output|preload))$/;

function splitEq(words: string[]): string[] {
  // --opt=value -> --opt value (the form the port follow-up and the answers layer rewrite)
  return words.flatMap((w) => {
    const m = /^(--(?:bind|port|host|listen))=(.*)$/.exec(w);
    return m ? [m[1], m[2]] : [w];
  });
}

/**
 * Turn a classified server/script/uwsgi command into the exec-form start: `python -m <server>`,
 * listening on 0.0.0.0 and on a port that follows the detected one. Returns an error text when the
 * command cannot be used (shell syntax left, an unknown variable in a needed word).
 */
export function serverStart(c: Classified, r: StartupReader): ServerStart | { error: string } {
  const notes = [...c.notes];
  if (c.kind === 'dev') return { error: `${c.what} is not a production server` };
  if (c.kind === 'uwsgi') return uwsgiStart(c, r, notes);
  const words = c.args;
  const head = c.argv.slice(0, c.argv.length - words.length);
  // the argv without the words we dropped: options whose value is an unknown variable
  const argv: string[] = [...head];
  for (const w of words) {
    if (w.unresolved) {
      const prev = argv.length > head.length ? argv.at(-1) : undefined;
      if (prev !== undefined && /^-/.test(prev) && !prev.includes('=')) {
        argv.pop();
        notes.push(`${prev} ${w.text} dropped (${w.unresolved} is not known here; the server's default applies)`);
        continue;
      }
      if (/^--?[\w-]+=/.test(w.text)) {
        notes.push(`${w.text} dropped (${w.unresolved} is not known here)`);
        continue;
      }
      return { error: `${w.text} needs ${w.unresolved}, which is not known here` };
    }
    argv.push(w.text);
  }
  const bad = argv.find((w) => UNSAFE.test(w) || w === '');
  if (bad !== undefined) return { error: `the word ${JSON.stringify(bad)} cannot be written in exec form` };
  if (c.kind === 'script') return { argv: argv.map(unvar), hasPort: false, notes };
  const server = argv[2];
  let rest = splitEq(argv.slice(3));
  let hasPort = false;
  let port: number | undefined;
  const explicit = (n: string): void => {
    if (n !== PORT_VAR) port ??= Number(n);
  };
  const at = (names: string[]): number => rest.findIndex((w) => names.includes(w));
  const hostPort = (v: string, what: string): string => {
    const m = /^(.*):(\d+|\{\{PORT\}\})$/.exec(v);
    if (v.startsWith('unix:') || !m) {
      notes.push(`${what} ${v} replaced by 0.0.0.0:${PORT_WORD} (the container publishes a TCP port)`);
      return `0.0.0.0:${PORT_WORD}`;
    }
    explicit(m[2]);
    let host = m[1];
    if (host === '' || host === '*') host = '0.0.0.0';
    else if (LOOPBACK.test(host)) {
      notes.push(`${what} ${v}: listens on loopback only, which the published port cannot reach; 0.0.0.0 instead`);
      host = '0.0.0.0';
    }
    return `${host}:${m[2]}`;
  };
  if (server === 'gunicorn' || server === 'hypercorn') {
    const i = at(['--bind', '-b']);
    const bind = i >= 0 ? rest.at(i + 1) : undefined;
    if (bind !== undefined) {
      rest[i + 1] = hostPort(bind, rest[i]);
    } else rest = ['--bind', `0.0.0.0:${PORT_WORD}`, ...rest];
    hasPort = true;
  } else if (server === 'uvicorn' || server === 'daphne') {
    const reload = at(['--reload']);
    if (reload >= 0) {
      rest.splice(reload, 1);
      notes.push('--reload dropped (a development option)');
    }
    const hi = at(server === 'daphne' ? ['--bind', '-b'] : ['--host']);
    const host = hi >= 0 ? rest.at(hi + 1) : undefined;
    if (host !== undefined) {
      if (LOOPBACK.test(host)) {
        notes.push(
          `${rest[hi]} ${rest[hi + 1]}: listens on loopback only, which the published port cannot reach; 0.0.0.0 instead`,
        );
        rest[hi + 1] = '0.0.0.0';
      }
    } else rest = [...rest, server === 'daphne' ? '--bind' : '--host', '0.0.0.0'];
    const pi = at(['--port', '-p']);
    if (pi >= 0 && /^(?:\d+|\{\{PORT\}\})$/.test(rest.at(pi + 1) ?? '')) {
      rest[pi] = '--port';
      explicit(rest[pi + 1]);
    } else rest = [...rest, '--port', PORT_WORD];
    hasPort = true;
  } else if (server === 'waitress') {
    const li = at(['--listen']);
    const listen = li >= 0 ? rest.at(li + 1) : undefined;
    if (listen !== undefined) {
      const hp = hostPort(listen, '--listen');
      rest.splice(li, 2, '--port', hp.replace(/^.*:/, ''));
    }
    const pi = at(['--port']);
    if (pi >= 0 && /^(?:\d+|\{\{PORT\}\})$/.test(rest.at(pi + 1) ?? '')) explicit(rest[pi + 1]);
    else rest = ['--port', PORT_WORD, ...rest];
    hasPort = true;
  }
  // the app: `module:attr` anywhere, else the last bare module not taken as an option's value
  let target = rest.find((w) => TARGET.test(w));
  if (target === undefined) {
    for (let k = rest.length - 1; k >= 0; k--) {
      if (MODULE.test(rest[k]) && !(k > 0 && VALUED.test(rest[k - 1]))) {
        target = rest[k];
        break;
      }
    }
  }
  return {
    argv: ['python', '-m', server, ...rest].map(unvar),
    hasPort,
    notes,
    server,
    ...(target ? { target } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

/** uWSGI (a compiled program the interpreter cannot run): gunicorn serves the same WSGI app. */
function uwsgiStart(c: Classified, r: StartupReader, notes: string[]): ServerStart | { error: string } {
  const opts = new Map<string, string>();
  const args = c.argv;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const eq = /^--?([\w-]+)=(.*)$/.exec(a);
    if (eq) opts.set(eq[1], eq[2]);
    else if (/^--?[\w-]+$/.test(a) && k + 1 < args.length && !args[k + 1].startsWith('-')) {
      opts.set(a.replace(/^-+/, ''), args[++k]);
    } else if (/\.ini$/.test(a)) opts.set('ini', a);
  }
  const ini = opts.get('ini');
  if (ini !== undefined) {
    const p = repoPath(r, ini);
    const text = p !== undefined ? r.read(p) : undefined;
    if (text === undefined) return { error: `uWSGI config ${ini} is not in the repository` };
    let section = '';
    for (const line of text.split(/\r?\n/)) {
      const s = /^\s*\[([^\]]+)\]/.exec(line);
      if (s) section = s[1].trim();
      const kv = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (kv && section === 'uwsgi' && !opts.has(kv[1])) opts.set(kv[1], kv[2]);
    }
  }
  const callable = opts.get('callable') ?? 'application';
  let target: string | undefined;
  const mod = opts.get('module') ?? opts.get('wsgi') ?? opts.get('w');
  const file = opts.get('wsgi-file') ?? opts.get('file');
  if (mod !== undefined && /^[A-Za-z_][\w.]*(?::[A-Za-z_]\w*)?$/.test(mod))
    target = mod.includes(':') ? mod : `${mod}:${callable}`;
  else if (file !== undefined) {
    const p = repoPath(r, file);
    const m = p !== undefined ? /^((?:[A-Za-z_]\w*\/)*[A-Za-z_]\w*)\.py$/.exec(p) : null;
    if (m) target = `${m[1].replace(/\//g, '.')}:${callable}`;
  }
  if (target === undefined)
    return { error: 'the uWSGI configuration names no WSGI module (module= or wsgi-file=) we can serve' };
  let port: number | undefined;
  const http = opts.get('http-socket') ?? opts.get('http');
  const pm = http !== undefined ? /:(\d+)$/.exec(http) : null;
  if (pm) port = Number(pm[1]);
  notes.push(
    `uWSGI is a compiled program, not something the image's interpreter can run (P1): gunicorn serves the same WSGI app ${target}`,
  );
  return {
    argv: ['python', '-m', 'gunicorn', '--bind', `0.0.0.0:${port ?? PORT_WORD}`, target],
    target,
    server: 'gunicorn',
    hasPort: true,
    notes,
    ...(port !== undefined ? { port } : {}),
  };
}
