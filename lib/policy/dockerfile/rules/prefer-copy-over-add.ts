import type { DockerfileRule, RuleCases } from '../../types.js';
import { GIT_RE, sources, URL_RE } from '../model.js';
import { dockerfileMeta } from '../../rules/meta-helpers.js';
import { stageInstructions } from '../facts.js';

/**
 * Names of (possibly compressed) archives, which ADD unpacks: tar and the compressions Docker
 * recognises. A compressed file that is not a tar is copied as is, but its name cannot tell.
 */
const ARCHIVE = /\.(?:tar|gz|tgz|bz2|tbz2?|tb2|xz|txz|lz|lzma|tlz|z|tz|tpz|zst|tzst)$/i;
/** `file:<sha256>` / `multi:` / `dir:` sources: how image history prints an ADD, not a local path */
const HISTORY = /^(?:file|multi|dir):[0-9a-f]{64}$/i;
const unquote = (x: string): string => x.replace(/^["']|["']$/g, '');

export const rule: DockerfileRule = {
  meta: dockerfileMeta({
    id: 'SC1007',
    name: 'prefer-copy-over-add',
    principle: 'P3',
    severity: 'info',
    message: 'Use COPY instead of ADD for local files',
    description:
      'ADD has implicit behaviour (it unpacks local archives and can fetch URLs); COPY does exactly one thing. Using COPY for plain files makes the Dockerfile say what it does. ADD of a local archive (to unpack it: .tar, .gz, .tgz, .bz2, .xz, …) and of URLs (see SC1006) is accepted; an ADD with any other local source is reported.',
    fix: 'Replace `ADD` with `COPY`.',
    sameAs: ['DL3020', 'DS-0005'],
    related: ['CKV_DOCKER_4', 'KICS:Add Instead of Copy', 'CIS-4.9'],
  }),
  check({ model, report }) {
    const list = stageInstructions(model, 'ADD');
    for (let k = 0; k < list.length; k++) {
      const ins = list[k];
      const args = ins.json ?? ins.words;
      // a source that is neither remote nor an archive, nor an image-history hash (`ADD file:<sha> in /x`)
      const srcs = sources(args).map(unquote);
      if (srcs.some((x) => HISTORY.test(x))) continue;
      const local = srcs.find((x) => !URL_RE.test(x) && !GIT_RE.test(x) && !ARCHIVE.test(x));
      if (local !== undefined)
        report({ line: ins.line, message: `Use COPY instead of ADD for local files (${local})` });
    }
  },
};

export const cases: RuleCases = {
  valid: [
    { code: `FROM alpine:3.20\nCOPY . /app\nADD rootfs.tar.gz /\n` },
    ...['file.tar', 'file.gz', 'file.bz2', 'file.xz', 'file.tgz', '"file.tgz"'].map((f) => ({
      name: `ADD ${f}`,
      from: ['DL3020'],
      code: `FROM alpine:3.20\nADD ${f} /usr/src/app/\n`,
    })),
    { name: 'ADD a URL', from: ['DL3020', 'DS-0005'], code: `FROM alpine:3.20\nADD http://file.com /usr/src/app/\n` },
    { name: 'ADD a quoted URL', from: ['DL3020'], code: `FROM alpine:3.20\nADD "http://file.com" /usr/src/app/\n` },
    {
      name: 'ADD an https URL',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD https://example.com/foo.txt bar.txt\n`,
    },
    {
      name: 'ADD git@',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD git@github.com:user/repo.git /usr/src/things/\n`,
    },
    {
      name: 'ADD a .tar.gz',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD /target/resources.tar.gz resources.tar.gz\n`,
    },
    {
      name: 'RUN and COPY only',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nCOPY test.txt test2.txt\nRUN tar -xjf /temp/package.file.tar.gz\n`,
    },
    {
      name: 'image history form (file:<sha> in <dest>)',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD file:8b8864b3e02a33a579dc216fd51b28a6047bc8eeaa03045b258980fe0cf7fcb3 in /xyz\n`,
    },
    {
      name: 'image history form (multi:<sha> in <dest>)',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD multi:8b8864b3e02a33a579dc216fd51b28a6047bc8eeaa03045b258980fe0cf7fcb3 in /xyz\n`,
    },
  ],
  invalid: [
    { code: `FROM alpine:3.20\nADD . /app\n`, errors: [{ rule: 'SC1007', line: 2 }] },
    {
      name: 'a local file',
      from: ['DL3020'],
      code: `FROM alpine:3.20\nADD file /usr/src/app/\n`,
      errors: [{ rule: 'SC1007', line: 2 }],
    },
    {
      name: 'a zip is not unpacked',
      from: ['DL3020'],
      code: `FROM alpine:3.20\nADD file.zip /usr/src/app/\n`,
      errors: [{ rule: 'SC1007', line: 2 }],
    },
    {
      name: 'a quoted zip',
      from: ['DL3020'],
      code: `FROM alpine:3.20\nADD "file.zip" /usr/src/app/\n`,
      errors: [{ rule: 'SC1007', line: 2 }],
    },
    {
      name: 'a jar',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD /target/app.jar app.jar\n`,
      errors: [{ rule: 'SC1007', line: 2 }],
    },
    {
      name: 'an archive and a plain file, in two ADDs',
      from: ['DS-0005'],
      code: `FROM alpine:3.20\nADD /target/resources.tar.gz resources.jar\nADD /target/app.jar app.jar\n`,
      errors: [{ rule: 'SC1007', line: 3 }],
    },
  ],
};
