import { describe, expect, it } from '@jest/globals';
import { splitCommands } from '../../lib/policy/dockerfile/shell.js';

const argvs = (s: string) => splitCommands(s).map((c) => c.cmd);

describe('shell tokenizer', () => {
  it('splits on && || ; | and newlines', () => {
    expect(argvs('apt-get update && apt-get install -y curl || true; echo a | sh')).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'curl'],
      ['true'],
      ['echo', 'a'],
      ['sh'],
    ]);
  });
  it('respects quotes and escapes', () => {
    expect(argvs(`echo "a && b" 'c | d' e\\;f`)).toEqual([['echo', 'a && b', 'c | d', 'e;f']]);
  });
  it('follows Dockerfile continuations, drops comment lines, counts lines', () => {
    const cmds = splitCommands('apt-get update \\\n  # a comment\n  && apt-get install -y \\\n     curl', 10);
    expect(cmds.map((c) => [c.cmd, c.line])).toEqual([
      [['apt-get', 'update'], 10],
      [['apt-get', 'install', '-y', 'curl'], 12],
    ]);
  });
  it('marks pipes and strips sudo/env/assignments', () => {
    const [a, b] = splitCommands('curl -s x | sudo -E DEBIAN_FRONTEND=noninteractive bash -');
    expect(a.pipeNext).toBe(true);
    expect(b.sudo).toBe(true);
    expect(b.program).toBe('bash');
    expect(b.assigns).toEqual([['DEBIAN_FRONTEND', 'noninteractive']]);
  });
  it('keeps $(…) inside a word and drops redirections', () => {
    expect(argvs('sh -c "$(curl -fsSL x)" > /dev/null 2>&1')).toEqual([['sh', '-c', '$(curl -fsSL x)']]);
    expect(argvs('echo $(a && b) >>/tmp/log')).toEqual([['echo', '$(a && b)']]);
  });
  it('drops shell keywords', () => {
    expect(argvs('if [ -f x ]; then /usr/bin/apt-get clean; fi').map((a) => a[0])).toEqual(['[', '/usr/bin/apt-get']);
    expect(splitCommands('if true; then /usr/bin/apt-get clean; fi')[1].program).toBe('apt-get');
  });
  it('never throws on garbage', () => {
    for (const s of ['"unterminated', "'x", '$(((', '\\', '|||;;&&', '`', '> ', '2>&'])
      expect(() => splitCommands(s)).not.toThrow();
  });
});
