// The audit's fast Dockerfile reader (lib/policy/dockerfile/scan.ts) against dockerfile-ast, the
// reference: wherever the fast reader answers, it must answer what dockerfile-ast answers (every
// field the model reads), and the audit's findings must be the same; where it does not answer, the
// model is built from dockerfile-ast. Checked on every Dockerfile of the repository (fixtures,
// goldens, examples), every Dockerfile case of the rule tables, variants of them (continuations,
// case, quotes, comments, CR line ends) and seeded random files built from the constructs that
// make Dockerfile reading intricate.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDockerfile, useReferenceReader } from '../../lib/policy/dockerfile/model.js';
import { lastBail, scanDockerfile, type ScannedDockerfile } from '../../lib/policy/dockerfile/scan.js';
import { auditDockerfile } from '../../lib/policy/engine.js';
import { ruleModules } from '../../lib/policy/rules/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Every field the model reads from an instruction, and the comments and escape character. */
function view(r: ReturnType<typeof readDockerfile>): unknown {
  return {
    escape: r.escapeChar,
    instructions: r.instructions.map((i) => ({
      instruction: i.instruction,
      keyword: i.keyword,
      line: i.line,
      endLine: i.endLine,
      words: i.words,
      args: i.args,
      raw: i.raw,
      rawLine: i.rawLine,
      json: i.json,
      flags: Object.fromEntries(i.flags),
      properties: i.properties,
    })),
    comments: r.comments,
  };
}

/** What the model reads through dockerfile-ast (the reference path of readDockerfile). */
const reference = (text: string): unknown => view(readDockerfile(text, true));
/** What the model reads through the fast reader (call only when scanDockerfile(text) is not null). */
const fast = (text: string): unknown => view(readDockerfile(text, false));

const DOCKERFILE_NAME = /(^|\.)(Dockerfile|Containerfile)(\.|$)|\.dockerfile$/i;

function repositoryDockerfiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git' || e.name.startsWith('.dist')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && DOCKERFILE_NAME.test(e.name) && statSync(p).size < 1 << 20)
        out.push({ name: p.slice(REPO.length), text: readFileSync(p, 'utf8') });
    }
  };
  for (const d of ['test', 'examples', 'templates', 'docs']) walk(join(REPO, d));
  return out;
}

function ruleCases(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const m of ruleModules)
    if (m.rule.meta.kind === 'dockerfile')
      for (const [k, c] of [...m.cases.valid, ...m.cases.invalid].entries())
        out.push({ name: `${m.rule.meta.id} case ${k}`, text: c.code });
  return out;
}

/** Variants of a Dockerfile that exercise what the fast reader must get right or leave alone. */
function variants(text: string): string[] {
  const lines = text.split('\n');
  return [
    text.replace(/^(\s*)([A-Z]+)/gm, (_, s: string, k: string) => s + k.toLowerCase()),
    text.replace(/\n/g, '\r\n'),
    lines.map((l) => (/^[A-Z]/.test(l) ? `  ${l}` : l)).join('\n'),
    // a continuation after every second word, with and without indentation
    lines.map((l) => l.replace(/(\S+) (\S+) /g, '$1 \\\n    $2 ')).join('\n'),
    lines.map((l) => l.replace(/(\S+) (\S+) /g, '$1\\\n$2 ')).join('\n'),
    // comment and blank lines inside continuations, blanks after the escape
    lines.map((l) => l.replace(/ \\$/, ' \\\n    # note\n')).join('\n'),
    lines.map((l) => l.replace(/ \\$/, ' \\  ')).join('\n'),
    lines.map((l) => l.replace(/ \\$/, ' \\\n')).join('\n'),
    // quotes and escapes in properties, exec forms with escapes
    text.replace(/^(ENV|LABEL|ARG) (\w+)=(\S+)/gm, '$1 $2="$3 x" Y=\'a b\''),
    text.replace(/^(ENV|ARG) (\w+)=(\S+)/gm, '$1 $2 $3 more words'),
    text.replace(/\["([^"]+)"/g, '["\\u0063$1"'),
    text.replace(/^(RUN|COPY) /gm, '$1 --mount=type=cache,target=/x '),
    `# syntax=docker/dockerfile:1\n${text}`,
    `# escape=\`\n${text}`,
    `\ufeff${text}`,
  ];
}

/** Seeded random Dockerfiles made of the constructs that make reading one intricate. */
function randomDockerfiles(count: number, seed: number): string[] {
  let s = seed;
  const r = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const KW = ['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'CMD', 'ENTRYPOINT', 'USER', 'WORKDIR'];
  const MORE = ['EXPOSE', 'HEALTHCHECK', 'VOLUME', 'SHELL', 'run', 'From', 'ONBUILD', 'STOPSIGNAL', 'FOO'];
  const TOK = [
    'a',
    'b=c',
    '--mount=type=cache,target=/x',
    '--from=build',
    '--',
    'a--b',
    ' ',
    '\t',
    '\\\n',
    '\\\n  ',
    '\\\n\t',
    '\\ \n',
    '\\',
    '\\#',
    '\\(',
    '\\\\',
    '\\$',
    '\\"',
    '"',
    "'",
    '"a b"',
    "'a b'",
    '#',
    '# c',
    '\n',
    '\n\n',
    '\n# c\n',
    '[',
    ']',
    '["a", "b"]',
    '[ "x" ]',
    '[]',
    ',',
    '=',
    '${A}',
    '${A:-"b c"}',
    '$A',
    '{',
    '}',
    '<<EOF',
    'CMD',
    'NONE',
    'k="v"',
    "k='v w'",
    'A=',
    '=b',
    '"q"=v',
    'é',
    '&&',
  ];
  const DIRECTIVES = ['# syntax=docker/dockerfile:1\n', '#escape=`\n', '# escape=\\\n', '# x=y  \n', '# a note\n'];
  const out: string[] = [];
  for (let f = 0; f < count; f++) {
    let text = r() < 0.2 ? pick(DIRECTIVES) : '';
    const lines = 1 + Math.floor(r() * 6);
    for (let l = 0; l < lines; l++) {
      text += (r() < 0.1 ? pick([' ', '\t']) : '') + (r() < 0.8 ? pick(KW) : pick(MORE));
      const n = Math.floor(r() * 8);
      if (n) text += ' ';
      for (let k = 0; k < n; k++) text += pick(TOK) + (r() < 0.6 ? ' ' : '');
      text += r() < 0.9 ? '\n' : '';
    }
    out.push(text);
  }
  return out;
}

function findings(text: string, referenceReader: boolean): unknown {
  const was = useReferenceReader(referenceReader);
  try {
    return auditDockerfile(text, 'Dockerfile');
  } finally {
    useReferenceReader(was);
  }
}

/** Compare the fast reader with dockerfile-ast on `texts`; returns how many it read and the bail reasons. */
function compare(texts: { name: string; text: string }[], withFindings: boolean): { read: number; bails: string[] } {
  let read = 0;
  const bails: string[] = [];
  for (const { name, text } of texts) {
    const scanned = scanDockerfile(text);
    if (!scanned) {
      bails.push(lastBail);
      continue;
    }
    read++;
    const want = reference(text);
    const got = fast(text);
    if (JSON.stringify(got) !== JSON.stringify(want)) expect({ name, text, got }).toEqual({ name, text, got: want });
    if (withFindings) {
      const f = findings(text, false);
      const g = findings(text, true);
      if (JSON.stringify(f) !== JSON.stringify(g))
        expect({ name, text, findings: f }).toEqual({ name, text, findings: g });
    }
  }
  return { read, bails };
}

const KNOWN_BAILS = new Set([
  'CR or byte-order mark',
  'escape directive',
  'escaped instruction word',
  'ONBUILD',
  'continuation at the end',
  'escape starting a continuation line',
  'escape in a comment inside a continuation',
  'blank line in a property',
  'blank after an escape',
  'escape at the end',
  'heredoc',
  'escaped flag',
  'exec form',
  'escaped property',
  'unterminated quote in a property',
  'comment in a property',
]);

describe('fast Dockerfile reader vs dockerfile-ast', () => {
  const files = repositoryDockerfiles();
  const cases = ruleCases();

  it('reads the repository Dockerfiles as dockerfile-ast does, with the same findings, and reads most of them', () => {
    expect(files.length).toBeGreaterThan(80);
    const { read, bails } = compare(files, true);
    for (const b of bails) expect(KNOWN_BAILS).toContain(b);
    // the generated Dockerfiles and fixtures are what a batch mostly holds: the fast reader must take them
    expect(read / files.length).toBeGreaterThan(0.9);
  });

  it('reads the rule tables’ Dockerfile cases as dockerfile-ast does, with the same findings', () => {
    expect(cases.length).toBeGreaterThan(300);
    const { read, bails } = compare(cases, true);
    for (const b of bails) expect(KNOWN_BAILS).toContain(b);
    expect(read / cases.length).toBeGreaterThan(0.8);
  });

  it('reads variants of them (case, indentation, continuations, quotes, directives) as dockerfile-ast does, or leaves them to it', () => {
    const texts = [...files, ...cases].flatMap(({ name, text }) =>
      variants(text).map((v, k) => ({ name: `${name} variant ${k}`, text: v })),
    );
    const { read, bails } = compare(texts, true);
    for (const b of bails) expect(KNOWN_BAILS).toContain(b);
    expect(read).toBeGreaterThan(texts.length / 3);
  });

  it('reads seeded random Dockerfiles as dockerfile-ast does, or leaves them to it', () => {
    const texts = randomDockerfiles(6000, 20261201).map((text, k) => ({ name: `random ${k}`, text }));
    const { read, bails } = compare(texts, false);
    for (const b of bails) expect(KNOWN_BAILS).toContain(b);
    expect(read).toBeGreaterThan(1500);
  });

  it('leaves CR line ends, a byte-order mark, the backtick escape, heredocs and ONBUILD to dockerfile-ast', () => {
    for (const [text, why] of [
      ['FROM a\r\nRUN b\r\n', 'CR or byte-order mark'],
      ['\ufeffFROM a\n', 'CR or byte-order mark'],
      ['# escape=`\nFROM a\nRUN b `\n  c\n', 'escape directive'],
      ['FROM a\nRUN <<EOF\necho hi\nEOF\n', 'heredoc'],
      ['FROM a\nONBUILD RUN x\n', 'ONBUILD'],
      ['FROM a\nRUN a \\\n  \\# note\n  && b\n', 'escape starting a continuation line'],
      ['FROM a\nENV A=1 \\\n  # note\n  B=2\n', 'comment in a property'],
      ['FROM a\nENV A="x\\"y"\n', 'escaped property'],
    ] as const) {
      expect(scanDockerfile(text)).toBeNull();
      expect(lastBail).toBe(why);
      // and the model still reads it (from dockerfile-ast)
      expect(readDockerfile(text).instructions.length).toBeGreaterThan(0);
    }
  });

  it('reads the official images’ shape itself: continuation-only lines, comment lines and `\\(` inside a RUN', () => {
    const text = readFileSync(join(REPO, 'test/fixtures/audit/corpus/library-style/Dockerfile'), 'utf8');
    const scanned = scanDockerfile(text);
    expect(scanned).not.toBeNull();
    expect(fast(text)).toEqual(reference(text));
    // the comment lines inside the RUN are comments (suppressions there work), not arguments
    expect((scanned as ScannedDockerfile).comments.map((c) => c.line)).toEqual([2, 3, 18, 31]);
    expect((scanned as ScannedDockerfile).instructions[2].words).not.toContain('#');
  });

  it('gives --fix the dockerfile-ast node of each instruction on demand', () => {
    const text =
      'FROM node:22 AS build\nRUN --mount=type=cache,target=/x npm ci \\\n  && npm run build\nCMD ["node", "a.js"]\n';
    expect(scanDockerfile(text)).not.toBeNull();
    const { instructions } = readDockerfile(text);
    expect(instructions.map((i) => [i.node.getKeyword(), i.node.getRange().start.line + 1])).toEqual(
      instructions.map((i) => [i.keyword, i.line]),
    );
    expect(instructions[1].node.getArgumentsRange()?.start).toEqual({ line: 1, character: 33 });
  });
});
