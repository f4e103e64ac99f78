import type { DockerfileRule, RuleCases } from '../../types.js';
import { GIT_RE, sources, URL_RE } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * The source without its query and fragment: src.replace(/[?#].*$/, '') in linear time (the regex
 * retried `.*$` from every `?`/`#` when a line break followed): cut at the first `?`/`#` after the
 * last line break.
 */
function withoutQuery(src: string): string {
  let from = 0;
  for (let i = src.search(LINE_BREAK); i >= 0; i = src.slice(from).search(LINE_BREAK)) from += i + 1;
  const k = src.slice(from).search(/[?#]/);
  return k < 0 ? src : src.slice(0, from + k);
}

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1006',
    name: 'no-add-remote-url',
    principle: 'P3',
    severity: 'error',
    message: 'ADD downloads a remote URL without a checksum',
    description:
      "`ADD https://…` fetches whatever the server returns at build time, with no integrity check, and keeps it in a layer. A compromised or changed upstream silently changes the image. BuildKit's `ADD --checksum=sha256:…` verifies the download and is accepted; otherwise download in a builder stage with a pinned checksum.",
    fix: 'Use `ADD --checksum=sha256:<digest> <url> <dest>`, or download with curl and verify with `sha256sum -c` in a builder stage.',
    related: ['CKV_DOCKER_4', 'KICS:Add Instead of Copy', 'CIS-4.9'],
  }),
  check({ model, report }) {
    const list = stageInstructions(model, 'ADD');
    for (let k = 0; k < list.length; k++) {
      const ins = list[k];
      if (ins.flags.has('checksum')) continue;
      const args = ins.json ?? ins.words;
      for (const src of sources(args))
        if (URL_RE.test(src) || GIT_RE.test(src))
          report({ line: ins.line, message: `ADD downloads ${withoutQuery(src)} without a checksum` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    {
      code: `FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /x.tar.gz\n`,
    },
    { code: `FROM alpine:3.20\nCOPY app.tar.gz /tmp/\n` },
  ],
  invalid: [
    { code: `FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/\n`, errors: [{ rule: 'SC1006', line: 2 }] },
    {
      name: 'exec form',
      code: `FROM alpine:3.20\nADD ["http://example.com/a", "/a"]\n`,
      errors: [{ rule: 'SC1006', line: 2 }],
    },
    {
      name: 'git source',
      code: `FROM alpine:3.20\nADD git@github.com:org/repo.git /src\n`,
      errors: [{ rule: 'SC1006', line: 2 }],
    },
  ],
};
