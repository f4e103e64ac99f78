import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  auditCompose,
  auditDockerfile,
  auditGenerated,
  mergePolicyConfig,
  parsePolicyConfig,
  PolicyConfigError,
} from '../../lib/policy/index.js';

const ROOT_DF = 'FROM alpine:3.20\nUSER root\n';

describe('suppressions', () => {
  it('a Dockerfile suppression with a reason hides the finding on the next instruction', () => {
    const f = auditDockerfile(
      'FROM alpine:3.20\n# secure-container-ignore SC1001: needs raw sockets, reviewed\nUSER root\n',
      'Dockerfile',
    );
    expect(f.map((x) => x.rule)).not.toContain('SC1001');
    expect(f.map((x) => x.rule)).not.toContain('SC0003');
  });
  it('a suppression of several ids covers a multi-line instruction', () => {
    const f = auditDockerfile(
      'FROM alpine:3.20\n# secure-container-ignore SC1002, SC1008: vendor installer, pinned by checksum upstream\nRUN echo \\\n && curl -s x | sudo sh\nUSER 1000\n',
      'Dockerfile',
    );
    expect(f.filter((x) => x.rule === 'SC1002' || x.rule === 'SC1008')).toEqual([]);
  });
  it('a suppression without a reason is a finding and does not suppress', () => {
    const f = auditDockerfile('FROM alpine:3.20\n# secure-container-ignore SC1001\nUSER root\n', 'Dockerfile');
    expect(f.filter((x) => x.rule === 'SC1001' || x.rule === 'SC0003').map((x) => [x.rule, x.line])).toEqual([
      ['SC0003', 2],
      ['SC1001', 3],
    ]);
  });
  it('compose: trailing comment suppresses its own line, a comment line the next line', () => {
    const y =
      'services:\n  a:\n    image: x:1\n    privileged: true # secure-container-ignore SC2001: CI runner, isolated VM\n  b:\n    image: x:1\n    # secure-container-ignore SC2001: same\n    privileged: true\n  c:\n    image: x:1\n    privileged: true\n';
    expect(
      auditCompose(y, 'compose.yaml')
        .filter((x) => x.rule === 'SC2001')
        .map((x) => x.line),
    ).toEqual([11]);
  });
});

describe('suppression comment syntax (parsed by hand, same as the former regex)', () => {
  const suppressed = (comment: string) => {
    const f = auditDockerfile(`FROM alpine:3.20\n${comment}\nUSER root\n`, 'Dockerfile');
    return { hidden: !f.some((x) => x.rule === 'SC1001'), noReason: f.some((x) => x.rule === 'SC0003') };
  };
  it.each([
    ['# secure-container-ignore SC1001: reviewed', true, false],
    ['#secure-container-ignore SC1001:reviewed', true, false],
    ['  #   secure-container-ignore   SC1001 , SC1002 ,: why', true, false],
    ['# secure-container-ignore SC1002,SC1001: why', true, false],
    ['# secure-container-ignore SC1001', false, true],
    ['# secure-container-ignore SC1001:', false, true],
    ['# secure-container-ignore SC10011: five digits', false, false],
    ['# secure-container-ignore SC1001 because', false, false],
    ['# secure-container-ignoreSC1001: no blank', false, false],
    ['# please secure-container-ignore SC1001: not at the start', false, false],
  ])('%j → hidden %s, SC0003 %s', (comment, hidden, noReason) => {
    expect(suppressed(comment)).toEqual({ hidden, noReason });
  });
  it('a long comment that does not match costs linear time (the regex backtracked exponentially)', () => {
    const t0 = performance.now();
    suppressed(`# secure-container-ignore ${'SC1234  '.repeat(5000)}!`);
    expect(performance.now() - t0).toBeLessThan(5000); // 18 ids took 15 s with the regex
  });
});

describe('analysis limits (SC0004)', () => {
  const bomb = `${Array.from({ length: 20 }, (_, i) => (i === 0 ? 'ARG A0=xx' : `ARG A${i}=\${A${i - 1}}\${A${i - 1}}`)).join('\n')}\nFROM alpine:3.20\n`;
  it('is an error by default and can be configured like any rule', () => {
    expect(auditDockerfile(bomb, 'Dockerfile').find((x) => x.rule === 'SC0004')?.severity).toBe('error');
    expect(
      auditDockerfile(bomb, 'Dockerfile', { rules: { SC0004: 'off' } }).find((x) => x.rule === 'SC0004'),
    ).toBeUndefined();
  });
  it('can be suppressed inline like any finding on its line', () => {
    const text = bomb.replace('ARG A16=', '# secure-container-ignore SC0004: test fixture\nARG A16=');
    expect(auditDockerfile(text, 'Dockerfile').filter((x) => x.rule === 'SC0004' || x.rule === 'SC0003')).toEqual([]);
  });
});

describe('config', () => {
  it('severity overrides and off', () => {
    const f = auditDockerfile(ROOT_DF, 'Dockerfile', { rules: { SC1001: 'info', SC1026: 'off' } });
    expect(f.find((x) => x.rule === 'SC1001')?.severity).toBe('info');
    expect(f.find((x) => x.rule === 'SC1026')).toBeUndefined();
  });
  it('each config object keeps its own rule settings, one file after another (settings worked out once a config)', () => {
    const a = { rules: { SC1001: 'info' as const } };
    const b = { rules: { SC1001: 'off' as const, SC1026: 'warning' as const } };
    for (let k = 0; k < 3; k++) {
      for (const [config, sc1001, sc1026] of [
        [a, 'info', 'warning'],
        [b, undefined, 'warning'],
        [undefined, 'error', 'warning'],
        [{ rules: { SC1026: 'off' as const } }, 'error', undefined],
      ] as const) {
        const f = auditDockerfile(ROOT_DF, 'Dockerfile', config);
        expect(f.find((x) => x.rule === 'SC1001')?.severity).toBe(sc1001);
        expect(f.find((x) => x.rule === 'SC1026')?.severity).toBe(sc1026);
      }
    }
  });
  it('parses and validates .secure-container.yaml, naming the field', () => {
    expect(
      parsePolicyConfig('rules:\n  SC1001: warning\nallowedRegistries: [registry.example.com]\nfailOn: warning\n', 'x'),
    ).toEqual({
      rules: { SC1001: 'warning' },
      allowedRegistries: ['registry.example.com'],
      failOn: 'warning',
    });
    expect(() => parsePolicyConfig('rules:\n  SC1001: fatal\n', 'x')).toThrow(/rules.SC1001/);
    expect(() => parsePolicyConfig('failOn: sometimes\n', 'x')).toThrow(PolicyConfigError);
    expect(() => parsePolicyConfig('allowedRegistry: []\n', 'x')).toThrow(/unknown key/);
  });
  it('merges a preset under a repo config', () => {
    const preset = {
      allowedRegistries: ['mirror.example.com'],
      rules: { SC1019: 'off' as const, SC1030: 'warning' as const },
    };
    const repo = { rules: { SC1030: 'off' as const }, failOn: 'warning' as const };
    expect(mergePolicyConfig(preset, repo)).toEqual({
      allowedRegistries: ['mirror.example.com'],
      rules: { SC1019: 'off', SC1030: 'off' },
      failOn: 'warning',
    });
  });
});

describe('auditGenerated', () => {
  it('detects kinds by name and ignores other files', () => {
    const f = auditGenerated([
      { path: 'Dockerfile', contents: ROOT_DF },
      { path: 'compose.yaml', contents: 'services:\n  a:\n    image: x:1\n    privileged: true\n' },
      { path: '.dockerignore', contents: 'USER root' },
      { path: 'deploy/vault/agent.hcl', contents: 'x' },
    ]);
    expect(new Set(f.map((x) => x.file))).toEqual(new Set(['Dockerfile', 'compose.yaml']));
    expect(f.some((x) => x.rule === 'SC1001' && x.file === 'Dockerfile')).toBe(true);
    expect(f.some((x) => x.rule === 'SC2001' && x.file === 'compose.yaml')).toBe(true);
  });
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Dockerfile', 'compose.yaml', 'x.Dockerfile'),
        fc.string({ maxLength: 300 }),
        (path, contents) => {
          const f = auditGenerated([{ path, contents }]);
          for (const x of f) expect(x.line).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'FROM ',
            'RUN ',
            'USER ',
            'ARG X=',
            '${X}',
            'curl | sh',
            '"',
            "'",
            '\\\n',
            '\n',
            '&&',
            '<<EOF\n',
            'EOF\n',
            '["a"',
            'services:\n',
            '  a:\n',
            '    ports: [',
            '- ',
            ':',
            '#',
            ' secure-container-ignore SC1001',
          ),
          { maxLength: 40 },
        ),
        (parts) => {
          const t = parts.join('');
          expect(() => auditDockerfile(t, 'Dockerfile')).not.toThrow();
          expect(() => auditCompose(t, 'compose.yaml')).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});
