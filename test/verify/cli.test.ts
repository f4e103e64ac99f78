// `secure-container verify` end to end in-process, with a fake engine (an injected Runner).
import { describe, expect, it } from '@jest/globals';
import { runVerify } from '../../lib/cli/verify.js';
import type { Engine, RunOutput, Runner } from '../../lib/verify/engine.js';
import { chunks, imageArchive, type TarItem } from './archive.js';

const GOOD_LABELS = {
  'org.opencontainers.image.source': 'https://example.invalid/r',
  'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
  'org.opencontainers.image.version': '1.0.0',
  'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
  'org.opencontainers.image.base.name': 'gcr.io/distroless/nodejs22-debian12:nonroot',
};

interface Fake {
  engines?: Partial<Record<Engine, boolean>>;
  inspect?: Record<string, unknown> | null;
  layers?: TarItem[][];
  /** State after `run`: each inspect call takes the next one (the last repeats) */
  states?: Record<string, unknown>[];
  healthcheckRun?: number[];
  runCode?: number;
  /** image save exits 125 with no output */
  saveFails?: boolean;
}

function fakeEngine(f: Fake): { runner: Runner; calls: string[] } {
  const calls: string[] = [];
  let state = 0;
  let hc = 0;
  const ok = (stdout = ''): RunOutput => ({ code: 0, stdout, stderr: '' });
  const answer = (engine: Engine, args: string[]): RunOutput => {
    calls.push(`${engine} ${args.join(' ')}`);
    const [a, b] = args;
    if (a === 'version')
      return (f.engines ?? { docker: true, podman: true })[engine]
        ? ok('1')
        : { code: 127, stdout: '', stderr: 'spawn ENOENT' };
    if (a === 'image' && b === 'inspect')
      return f.inspect === null
        ? { code: 125, stdout: '[]', stderr: 'Error: image not known' }
        : ok(JSON.stringify([f.inspect]));
    if (a === 'run') return f.runCode ? { code: f.runCode, stdout: '', stderr: 'Error: bad\n' } : ok('cid\n');
    if (a === 'inspect') {
      const states = f.states ?? [{ Running: true, Status: 'running' }];
      return ok(JSON.stringify(states[Math.min(state++, states.length - 1)]));
    }
    if (a === 'healthcheck') {
      const codes = f.healthcheckRun ?? [0];
      return { code: codes[Math.min(hc++, codes.length - 1)] ?? 1, stdout: '', stderr: '' };
    }
    if (a === 'logs') return { code: 0, stdout: '', stderr: 'Error: EACCES: permission denied, open /app/cache\n' };
    return ok();
  };
  const runner: Runner = {
    run(engine, args) {
      return Promise.resolve(answer(engine, args));
    },
    stream(engine, args) {
      calls.push(`${engine} ${args.join(' ')}`);
      const archive = f.saveFails
        ? Promise.resolve(Buffer.alloc(0))
        : imageArchive(f.layers ?? [[{ name: 'app/server.js', body: 'x' }]]);
      async function* s(): AsyncGenerator<Uint8Array> {
        yield* chunks(await archive);
      }
      const done = f.saveFails
        ? { code: 125, stdout: '', stderr: 'Error: writing to stdout: broken pipe\n' }
        : { code: 0, stdout: '', stderr: '' };
      return { stdout: s(), done: Promise.resolve(done) };
    },
  };
  return { runner, calls };
}

const good = (over: Record<string, unknown> = {}) => ({
  Id: 'sha256:0123456789abcdef',
  Size: 150e6,
  Config: {
    User: '65532',
    Labels: GOOD_LABELS,
    Healthcheck: { Test: ['CMD', '/nodejs/bin/node', '/app/hc.js'] },
    ...over,
  },
  RootFS: { Layers: ['sha256:1', 'sha256:2'] },
});

async function verify(argv: string[], f: Fake) {
  const out: string[] = [];
  const err: string[] = [];
  const { runner, calls } = fakeEngine(f);
  let t = 0;
  const code = await runVerify(
    argv,
    { cwd: '/tmp', stdout: (s) => out.push(s), stderr: (s) => err.push(s) },
    {
      runner,
      sleep: () => {
        t += 1000;
        return Promise.resolve();
      },
      now: () => t,
    },
  );
  return { code, stdout: out.join(''), stderr: err.join(''), calls };
}

describe('secure-container verify (fake engine)', () => {
  it('a good image: exit 0, smoke run with least privilege, container removed', async () => {
    const r = await verify(['app:1', '--engine', 'podman'], { inspect: good() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No findings in app:1\./);
    expect(r.stdout).toMatch(/smoke run +healthy as user 65532/);
    const run = r.calls.find((c) => c.startsWith('podman run '));
    expect(run).toMatch(
      /^podman run -d --name secure-container-verify-[0-9a-f]+ --read-only --cap-drop ALL --security-opt no-new-privileges --user 65532 --tmpfs \/tmp --network none app:1$/,
    );
    expect(r.calls).toContain('podman image save --format docker-archive app:1');
    expect(r.calls.at(-1)).toMatch(/^podman rm -f -v --time 0 secure-container-verify-/);
  });

  it('a bad image: every finding with its id, exit 1; JSON contract', async () => {
    const r = await verify(['bad:1', '--format', 'json', '--engine', 'docker'], {
      inspect: {
        Config: { User: 'root', Labels: { 'org.opencontainers.image.base.name': 'gcr.io/distroless/static-debian12' } },
        Size: 2e9,
      },
      layers: [[{ name: 'bin/sh' }, { name: 'sbin/apk' }], [{ name: 'app/id_rsa', body: 'k' }]],
      states: [{ Running: false, Status: 'exited', ExitCode: 1 }],
    });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      version: number;
      findings: { rule: string; message: string }[];
      summary: { failed: boolean };
      smoke: { user: string };
    };
    expect(j.version).toBe(1);
    expect(j.findings.map((f) => f.rule)).toEqual([
      'SC5001',
      'SC5002',
      'SC5003',
      'SC5004',
      'SC5005',
      'SC5006',
      'SC5007',
      'SC5009',
    ]);
    expect(j.summary.failed).toBe(true);
    expect(j.smoke.user).toBe('65532:65532');
    expect(j.findings.find((f) => f.rule === 'SC5009')?.message).toMatch(/exit code 1.*EACCES/);
    expect(r.calls.at(-1)).toMatch(/^docker rm -f -v /);
  });

  it('SARIF: rules and results, the location is --dockerfile', async () => {
    const r = await verify(['bad:1', '--format', 'sarif', '--no-run', '--dockerfile', 'Dockerfile'], {
      inspect: good({ User: '' }),
    });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('SC5010');
    expect(run.results.map((x) => x.ruleId)).toEqual(['SC5001']);
    expect(run.tool.driver.rules[run.results[0]?.ruleIndex ?? -1]?.id).toBe('SC5001');
    expect(run.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('Dockerfile');
    expect(r.calls.some((c) => / run /.test(c))).toBe(false);
  });

  it('waits for the health check (podman: runs it) and gives up at --timeout', async () => {
    const slow = await verify(['app:1', '--engine', 'podman'], { inspect: good(), healthcheckRun: [1, 1, 0] });
    expect(slow.code).toBe(0);
    expect(slow.calls.filter((c) => c.startsWith('podman healthcheck run')).length).toBe(3);
    const never = await verify(['app:1', '--engine', 'podman', '--timeout', '3'], {
      inspect: good(),
      healthcheckRun: [1],
    });
    expect(never.code).toBe(1);
    expect(never.stdout).toMatch(/SC5009 .*did not pass within 3 s/);
    expect(never.calls.at(-1)).toMatch(/rm -f -v/);
  });

  it('docker: polls State.Health; unhealthy fails at once', async () => {
    const r = await verify(['app:1', '--engine', 'docker'], {
      inspect: good(),
      states: [
        { Running: true, Health: { Status: 'starting' } },
        { Running: true, Health: { Status: 'unhealthy' } },
      ],
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unhealthy after/);
    expect(r.calls.some((c) => c.includes('healthcheck run'))).toBe(false);
  });

  it('no HEALTHCHECK: must stay running --stay seconds', async () => {
    const r = await verify(['app:1', '--engine', 'podman', '--stay', '2', '--fail-on', 'error'], {
      inspect: good({ Healthcheck: undefined }),
    });
    expect(r.code).toBe(0); // SC5004 is a warning
    expect(r.stdout).toMatch(/warning {2}SC5004/);
    expect(r.stdout).toMatch(/smoke run +running/);
    const strict = await verify(['app:1', '--engine', 'podman', '--no-run', '--fail-on', 'warning'], {
      inspect: good({ Healthcheck: undefined }),
    });
    expect(strict.code).toBe(1);
  });

  it('a failed start is a finding and the container is still removed', async () => {
    const r = await verify(['app:1', '--engine', 'podman'], { inspect: good(), runCode: 126 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/did not start: Error: bad/);
    expect(r.calls.at(-1)).toMatch(/rm -f -v/);
  });

  it('engine choice: docker first, podman when docker does not answer; 3 when none', async () => {
    const p = await verify(['app:1', '--no-run'], { inspect: good(), engines: { docker: false, podman: true } });
    expect(p.code).toBe(0);
    expect(p.calls.slice(0, 3)).toEqual([
      'docker version --format {{.Server.Version}}',
      'podman version --format {{.Version}}',
      'podman image inspect app:1',
    ]);
    const none = await verify(['app:1'], { inspect: good(), engines: {} });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no working container engine \(docker: not installed; podman: not installed\)/);
    const named = await verify(['app:1', '--engine', 'docker'], { inspect: good(), engines: { podman: true } });
    expect(named.code).toBe(3);
  });

  it('usage errors and a missing image: exit 2, one line', async () => {
    for (const argv of [
      [],
      ['a', 'b'],
      ['a', '--engine', 'rkt'],
      ['a', '--flavor', 'ubuntu'],
      ['a', '--max-size', '-1'],
      ['a', '--max-layers', '2.5'],
      ['a', '--no-run', '--timeout', '5'],
      ['a', '--allow-path', '!x'],
      ['a', '--bogus'],
    ]) {
      const r = await verify(argv, { inspect: good() });
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const missing = await verify(['nosuch:1', '--engine', 'podman'], { inspect: null });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/podman image inspect nosuch:1 failed: Error: image not known/);
  });

  it('the flavour note, --allow-path, --list-rules, --help', async () => {
    const r = await verify(['app:1', '--no-run', '--allow-path', 'app/fixtures'], {
      inspect: good({ Labels: { ...GOOD_LABELS, 'org.opencontainers.image.base.name': '' } }),
      layers: [[{ name: 'bin/sh' }, { name: 'app/fixtures/id_rsa' }]],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/flavour is unknown/);
    const list = await verify(['--list-rules'], {});
    expect(list.stdout.trim().split('\n')).toHaveLength(10);
    const help = await verify(['--help'], {});
    expect(help.stdout).toMatch(
      /Exit codes: 0 .*\n.*2 usage error, or the image is not in the engine's store; 3 no working container engine/,
    );
  });

  it('an image that cannot be saved fails (SC5010): nothing scanned is not a pass', async () => {
    const r = await verify(['app:1', '--engine', 'podman', '--no-run', '--format', 'json'], {
      inspect: good(),
      saveFails: true,
    });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] };
    expect(j.findings.map((f) => f.rule)).toEqual(['SC5010', 'SC5010']);
    expect(j.findings[0]?.message).toMatch(/podman image save failed: Error: writing to stdout: broken pipe/);
  });

  it('escapes control characters from the image in text output', async () => {
    const r = await verify(['app:1', '--no-run'], { inspect: good({ User: 'x\u001b[2Jy' }) });
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('x\\x1b[2Jy');
  });
});
