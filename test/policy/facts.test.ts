// The shortcuts the Dockerfile rules take for speed (facts.ts, secrets.ts) must give what the
// plain forms give: compared here on many inputs.
import { describe, expect, it } from '@jest/globals';
import { resolvePolicyConfig } from '../../lib/policy/config.js';
import { mayContain, stageInstructions, type Keyword } from '../../lib/policy/dockerfile/facts.js';
import {
  buildDockerfileModel,
  hasAnyOption,
  hasOption,
  instructionCommands,
  subcommand,
} from '../../lib/policy/dockerfile/model.js';
import { splitCommands } from '../../lib/policy/dockerfile/shell.js';
import { isSecretValue, isSecretValueEach } from '../../lib/policy/secrets.js';
import { parseImage } from '../../lib/policy/image.js';
import { movingTag } from '../../lib/policy/rules/moving-tag.js';

const cfg = resolvePolicyConfig({});
const model = (code: string) => buildDockerfileModel(code, 'Dockerfile', cfg);

describe('isSecretValue (one alternation)', () => {
  const values = [
    'AKIAABCDEFGHIJKLMNOP',
    'xAKIAABCDEFGHIJKLMNOP',
    `ghp_${'a'.repeat(36)}`,
    `ghp_${'a'.repeat(35)}`,
    `github_pat_${'A'.repeat(22)}`,
    'xoxb-1234567890',
    '-----BEGIN RSA PRIVATE KEY-----',
    `sk_live_${'1'.repeat(16)}`,
    `npm_${'b'.repeat(36)}`,
    `AIza${'c'.repeat(35)}`,
    `glpat-${'d'.repeat(20)}`,
    'https://user:pass@host/x',
    'HTTPS://USER:PASS@HOST/',
    'Git+SSH://u:p@h',
    'https://host/path',
    'https://${USER}:${PASS}@host',
    'postgres://u:p@db:5432/x',
    '9ab://u:p@h',
    'x://u@h',
    'production',
    '',
    'a'.repeat(300),
  ];
  it.each(values)('%s: same verdict as the separate patterns', (v) => {
    expect(isSecretValue(v)).toBe(isSecretValueEach(v));
  });
});

describe('hasOption / subcommand (index loops, no copies)', () => {
  // [command, subcommand, the option groups hasOption finds]: the answers of the copying versions
  const table: [string, string, string[]][] = [
    ['apt-get install -y --no-install-recommends curl', 'install', ['--no-install-recommends', '-y']],
    ['apt-get -y install curl', 'install', ['-y']],
    ['curl -fsSLk https://x', 'https://x', ['-k,--insecure']],
    ['curl --insecure=1 https://x', 'https://x', ['-k,--insecure']],
    ['curl --insecurex https://x', 'https://x', []],
    ['curl -- -k', '', ['-k,--insecure']],
    ['apk --no-cache add x', 'add', ['--no-cache']],
    ['rpm -K --nosignature x.rpm', 'x.rpm', ['--nosignature,-K']],
    ['cmd - -- --=x -1k -K', '', ['--nosignature,-K']],
    ['cmd "" -', '', []],
    ['apt-get install no-install-recommends', 'install', []],
  ];
  const groups = [['-k', '--insecure'], ['--no-cache'], ['--no-install-recommends'], ['--nosignature', '-K'], ['-y']];
  it.each(table)('%s', (line, sub, found) => {
    const [c] = splitCommands(line);
    expect(subcommand(c)).toBe(sub);
    expect(groups.filter((o) => hasOption(c, ...o)).map((o) => o.join(','))).toEqual(found);
    expect(groups.filter((o) => hasAnyOption(c, o)).map((o) => o.join(','))).toEqual(found);
  });
  it('finds an option given without a leading dash only exactly', () => {
    const [c] = splitCommands('apt-get install no-install-recommends');
    expect(hasOption(c, 'no-install-recommends')).toBe(true);
    expect(hasOption(c, 'install-recommends')).toBe(false);
  });
});

describe('stageInstructions', () => {
  it('lists the instructions of the stages by keyword, in file order', () => {
    const m = model(
      'ARG A=1\nFROM a:1 AS b\nCOPY x y\nENV K=v\nADD u v\nFROM b\nLABEL a=b\nCOPY --from=b /x /y\nCMD x\nUNKNOWN y\nENV L=w\n',
    );
    const keywords: Keyword[] = ['ADD', 'ARG', 'CMD', 'COPY', 'ENV', 'LABEL', 'USER'];
    for (const k of keywords)
      expect(stageInstructions(m, k)).toEqual(m.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === k)));
    expect(stageInstructions(m, 'ARG')).toEqual([]);
  });
});

describe('mayContain (CMD/ENTRYPOINT text pre-check)', () => {
  const names = /sshd|supervisord/;
  const programs = new Set(['sshd', 'supervisord']);
  const cmds = [
    'CMD ["/usr/sbin/sshd", "-D"]',
    'CMD sshd -D',
    'CMD ss"h"d -D',
    "CMD ss'hd' -D",
    'CMD ss\\hd -D',
    'CMD ss\\\n  hd -D',
    'CMD ss\\\n  # note\n  hd -D',
    'CMD ["sh", "-c", "exec ss\\"h\\"d"]',
    'CMD ["sh", "-c", "exec super\'visor\'d"]',
    'CMD ["\\u0073shd"]',
    'ENTRYPOINT ["sh", "-c", "exec ssh\\\\d -D"]',
    'CMD sudo -u x /usr/sbin/sshd',
    'CMD <<EOF\nsshd -D\nEOF',
    "CMD ss<<'EOF'hd\nEOF",
    'CMD node server.js',
    'CMD ["node", "server.js"]',
    'CMD',
  ];
  for (const escape of ['\\', '`'])
    for (const c of cmds) {
      const code = `# escape=${escape}\nFROM a:1\n${escape === '`' ? c.replace(/\\\n/g, '`\n') : c}\n`;
      it(`${JSON.stringify(code)}: never false when a program is one of the names`, () => {
        const m = model(code);
        for (const s of m.stages)
          for (const i of s.instructions) {
            if (i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') continue;
            const starts = instructionCommands(m, i).some((x) => programs.has(x.program));
            if (starts) expect(mayContain(i, m.escapeChar, names)).toBe(true);
          }
      });
    }
  it('is false for a plain command without the names', () => {
    const m = model('FROM a:1\nCMD ["node", "server.js"]\nENTRYPOINT node x.js\n');
    for (const i of m.stages[0].instructions) expect(mayContain(i, m.escapeChar, names)).toBe(false);
  });
});

describe('movingTag channel words (one regular expression)', () => {
  // the channel test as it was written: the first part of the lower-cased tag that is a channel word
  const CHANNELS = ['latest', 'lts', 'stable', 'edge', 'main', 'dev', 'devel', 'develop', 'rc', 'sid', 'next'];
  const before = (tag: string): string | undefined =>
    tag
      .toLowerCase()
      .split(/[-._]/)
      .find((p) => CHANNELS.includes(p));
  const tags = [
    'lts-alpine',
    'x--stable',
    'a.b_rc',
    'RC1',
    'Stable-x',
    'devel',
    'develop-1',
    'dev.el',
    'ltſ',
    'nextx',
    'x-sid',
    'main_',
    '3-edge.lts',
  ];
  it.each(tags)('%s', (tag) => {
    const why = movingTag(parseImage(`ghcr.io/o/r:${tag}`));
    const channel = before(tag);
    if (channel) expect(why).toBe(`"${channel}" is a release channel, not a version`);
    else expect(why ?? '').not.toContain('release channel');
  });
});

describe('mayContain (RUN words)', () => {
  const pattern = /[@_]|npmauth/i;
  const runs = [
    'RUN echo npm"Auth"Token=abc123 >> .yarnrc.yml',
    "RUN echo npm'Auth'Ident=abc",
    'RUN echo npm\\Auth\\Token=abc',
    'RUN echo npm\\\n  AuthToken=abc',
    'RUN ["sh", "-c", "echo npm\\"Auth\\"Token=x"]',
    'RUN ["echo", "npm\\u0041uthToken=x"]',
    'RUN X=a_b echo ok',
    'RUN git clone https://u:p@h/r.git',
    'RUN <<EOF\necho npmAuthToken=x\nEOF',
    "RUN cat <<'EOF'npmAuthToken=x\nEOF",
    'RUN apt-get update && apt-get install -y curl',
  ];
  it.each(runs)('%s: true whenever a word matches', (run) => {
    const m = model(`FROM a:1\n${run}\n`);
    for (const r of m.runs) {
      const words = r.commands.flatMap((c) => [...c.assigns.map(([, v]) => v), ...c.argv]);
      if (words.some((w) => pattern.test(w))) expect(mayContain(r.instr, m.escapeChar, pattern)).toBe(true);
    }
  });
  it('is false for a RUN without the pattern or a joining character', () => {
    const m = model('FROM a:1\nRUN apt-get update && apt-get install -y curl\n');
    expect(mayContain(m.runs[0].instr, m.escapeChar, pattern)).toBe(false);
  });
});
