import type { DockerfileRule, RuleCases } from '../../types.js';
import { SHELLS, type SimpleCommand } from '../shell.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'aria2c']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node', 'php']);
// The path before the program cannot cross `(`, `)` or a backtick: with `\S*` a word like
// `$($($(…` (1 MB, no space) was rescanned from every `$(` (quadratic); now each start scans only up
// to the next one.
const SUBST_FETCH = /(?:\$\(|`|<\()\s*(?:[^\s()`]*\/)?(?:curl|wget)\b/;

/** An argument fetching a script by command substitution (SUBST_FETCH needs `curl` or `wget` in it). */
function substFetch(c: SimpleCommand): boolean {
  for (let j = 1; j < c.cmd.length; j++) {
    const a = c.cmd[j];
    if ((a.includes('curl') || a.includes('wget')) && SUBST_FETCH.test(a)) return true;
  }
  return false;
}

function isInterpreter(c: SimpleCommand): boolean {
  return INTERPRETERS.has(c.program) || (c.program.charCodeAt(0) === 112 /* p */ && /^python[0-9.]+$/.test(c.program));
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1008',
    name: 'no-curl-pipe-shell',
    principle: 'P3',
    severity: 'error',
    message: 'A downloaded script is piped into a shell',
    description:
      '`curl … | sh` runs whatever the server sends, unverified, as the build user (usually root). A compromised host, a DNS hijack or a truncated download becomes code execution in your image. Download the file, verify its checksum or signature, then run it.',
    fix: 'Download to a file, verify it (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; or install a package from a signed repository.',
  }),
  check({ model, report }) {
    const runs = model.runs;
    for (let r = 0; r < runs.length; r++) {
      const cmds = runs[r].commands;
      // Follow the pipeline (curl | tee x | sh) from every fetcher to the first interpreter after it.
      // Walking forward from each fetcher is quadratic on `curl | curl | … | curl` (80k pipes: 61 s);
      // instead one backward pass records, for each command, the first interpreter later in its
      // pipeline (only for a RUN where a fetcher pipes at all: most do not).
      let interpAfter: Int32Array | null = null;
      let fetcherPipes = false;
      for (let k = 0; k < cmds.length && !fetcherPipes; k++)
        fetcherPipes = cmds[k].pipeNext && FETCHERS.has(cmds[k].program);
      if (fetcherPipes) {
        interpAfter = new Int32Array(cmds.length).fill(-1);
        for (let j = cmds.length - 2; j >= 0; j--) {
          if (!cmds[j].pipeNext) continue;
          interpAfter[j] = isInterpreter(cmds[j + 1]) ? j + 1 : interpAfter[j + 1];
        }
      }
      for (let i = 0; i < cmds.length; i++) {
        const c = cmds[i];
        if (interpAfter && FETCHERS.has(c.program) && c.pipeNext && interpAfter[i] >= 0) {
          const sh = cmds[interpAfter[i]];
          report({ line: sh.line, message: `Output of ${c.program} is piped into ${sh.program}` });
        }
        if (isInterpreter(c) && substFetch(c))
          report({ line: c.line, message: `${c.program} runs a script fetched by command substitution` });
      }
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM alpine:3.20\nRUN curl -fsSLo install.sh https://example.com/install.sh \\\n && echo "abc  install.sh" | sha256sum -c - \\\n && sh install.sh\n`,
    },
    {
      name: 'pipe into a non-interpreter',
      code: `FROM alpine:3.20\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\n`,
    },
    { name: 'quoted pipe is not a pipe', code: `FROM alpine:3.20\nRUN echo "curl x | sh"\n` },
  ],
  invalid: [
    { code: `FROM alpine:3.20\nRUN curl -fsSL https://get.example.com | sh\n`, errors: [{ rule: 'SC1008', line: 2 }] },
    {
      name: 'multi-line with sudo',
      code: `FROM debian:12-slim\nRUN apt-get update \\\n  && wget -qO- https://x.example/setup \\\n  | sudo -E bash -\n`,
      errors: [{ rule: 'SC1008', line: 4 }],
    },
    {
      name: 'command substitution',
      code: `FROM alpine:3.20\nRUN sh -c "$(curl -fsSL https://x.example/i.sh)"\n`,
      errors: [{ rule: 'SC1008', line: 2 }],
    },
    {
      name: 'through tee',
      code: `FROM alpine:3.20\nRUN curl -s https://x.example/i | tee /tmp/i | python3 -\n`,
      errors: [{ rule: 'SC1008', line: 2 }],
    },
  ],
};
