// Issue 18, item 7: super-linear cost. Every scan of the audit and of `init`'s detection must be
// linear in its input, and variable expansion bounded. For each hostile shape the input is built at
// size n and 2n and timed (warm-up, then the fastest of a few runs); t(2n)/t(n) must stay below
// MAX_RATIO: about 2 for a linear scan, 4 for a quadratic one. Ratios, never absolute times (CI
// machines are 2-core and noisy); n is grown until t(n) is measurable (>= MIN_MS) and the input
// big (>= MIN_BYTES at 2n) so that timer resolution and fixed costs do not dominate and a quadratic
// term would, within the 1 MiB the audit reads.
import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditCompose, auditDockerfile } from '../../lib/policy/index.js';
import { resolvePolicyConfig } from '../../lib/policy/config.js';
import { buildDockerfileModel } from '../../lib/policy/dockerfile/model.js';
import { scanDockerfile } from '../../lib/policy/dockerfile/scan.js';
import { Expander, MAX_VALUE_CHARS, newScope } from '../../lib/policy/dockerfile/vars.js';
import { splitCommands } from '../../lib/policy/dockerfile/shell.js';
import { rule as curlPipeShell } from '../../lib/policy/dockerfile/rules/no-curl-pipe-shell.js';
import type { DockerfileModel } from '../../lib/policy/dockerfile/model.js';

const MAX_RATIO = 3;
const MIN_MS = 30;
/**
 * …and until the 2n input is at least this big: a quadratic term only dominates on big inputs (the
 * old SC1008 loop gave t(2n)/t(n) = 3.0 at 120 KB but 3.4 at 240 KB), so small inputs would let a
 * regression pass. Bigger would be more sensitive but slower (the file must stay under ~20 s).
 */
const MIN_BYTES = 128 * 1024;
/** the audit reads files up to 1 MiB; detection reads source files up to 1 MiB too */
const MAX_BYTES = 1024 * 1024;
const RUNS = 2;

// A full collection before each measurement (not each run: a full GC of jest's heap costs as much
// as a run), so that it does not pay for the garbage of the previous shape (the usual way to reach
// gc() without starting node with --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

function fastest(fn: () => void, runs = RUNS): number {
  let best = Infinity;
  gc?.();
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

interface Shape {
  name: string;
  /** hostile input of size n */
  input: (n: number) => string;
  /** the scan under test */
  run: (text: string) => void;
  /** first n tried (grown by doubling until t(n) >= MIN_MS and 2n is >= MIN_BYTES; set near that, growing costs time) */
  n0: number;
  /** run the scan this many times per measurement (fast scans, whose input is capped at 1 MiB) */
  repeat?: number;
}

/**
 * t(2n)/t(n), with n grown until t(n) is measurable. Up to three retries absorb a noisy neighbour:
 * each takes the fastest runs, so noise mostly raises a ratio; a quadratic scan stays near 4 on every attempt.
 */
function growthRatio(shape: Shape): { n: number; tn: number; t2n: number; ratio: number } {
  const repeat = shape.repeat ?? 1;
  const run = (text: string): void => {
    for (let k = 0; k < repeat; k++) shape.run(text);
  };
  const s = { ...shape, run };
  let n = s.n0;
  s.run(s.input(n)); // warm-up (JIT, lazy module state): a cold first run would stop the growth too early
  let tn = fastest(() => {
    s.run(s.input(n));
  }, 1);
  while ((tn < MIN_MS || s.input(2 * n).length < MIN_BYTES) && s.input(4 * n).length <= MAX_BYTES) {
    n *= 2;
    tn = fastest(() => {
      s.run(s.input(n));
    }, 1);
  }
  const a = s.input(n);
  const b = s.input(2 * n);
  expect(b.length).toBeLessThanOrEqual(MAX_BYTES);
  let best = { n, tn: 0, t2n: 0, ratio: Infinity };
  for (let attempt = 0; attempt < 4 && best.ratio >= MAX_RATIO; attempt++) {
    const t1 = fastest(() => {
      s.run(a);
    });
    const t2 = fastest(() => {
      s.run(b);
    });
    if (t2 / t1 < best.ratio) best = { n, tn: t1, t2n: t2, ratio: t2 / t1 };
  }
  return best;
}

const df = (text: string): void => {
  auditDockerfile(text, 'Dockerfile');
};
const compose = (text: string): void => {
  auditCompose(text, 'compose.yaml');
};
/** the same source in four files (the scan reads up to 60 sources of up to 1 MiB each), for measurable times */
const detect = (text: string): void => {
  detectFromFiles(
    memoryFiles({
      'package.json': JSON.stringify({ name: 'p', main: 'server.js', dependencies: { express: '4' } }),
      'server.js': text,
      'src/a.js': text,
      'src/b.js': text,
      'src/c.js': text,
    }),
  );
};
/** a Python app whose Procfile has this web line */
const detectProcfile = (line: string): void => {
  detectFromFiles(memoryFiles({ 'requirements.txt': 'flask\n', 'app.py': 'x = 1\n', Procfile: `web: ${line}\n` }));
};
/** SC1008 alone, on the commands of one shell line (its regex, not dockerfile-ast, is under test) */
const curlRule = (text: string): void => {
  const run = { instr: {}, stage: {}, mounts: [], commands: splitCommands(text) };
  const model = { runs: [run] } as unknown as DockerfileModel; // the rule reads model.runs only
  curlPipeShell.check({ model, config: resolvePolicyConfig(), report: () => undefined });
};
/** the bounded ARG/ENV expansion alone */
const expand = (text: string): void => {
  new Expander(text.length).expand(text, newScope(new Map([['A', 'x']])), 1);
};
const times = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('');

/** 28 levels of ARG A{i}=${A{i-1}}${A{i-1}}: 2^29 characters unbounded (~580 MB, 12 GB with 8 jobs). */
function doublingChain(levels: number, prefix = 'A'): string {
  let t = `ARG ${prefix}0=xx\n`;
  for (let i = 1; i < levels; i++) t += `ARG ${prefix}${i}=\${${prefix}${i - 1}}\${${prefix}${i - 1}}\n`;
  return t;
}

const SHAPES: Shape[] = [
  // SC1008 followed every `curl |` to the end of the pipeline: 20k/40k/80k pipes took 6.1/18.8/61 s
  {
    name: 'Dockerfile: RUN with many pipes (curl | curl | … | sh)',
    n0: 8000,
    run: df,
    input: (n) => `FROM alpine:3.20\nRUN curl -s x${' | curl -s x'.repeat(n)} | sh\n`,
  },
  // SC1018 scanned the stage's instructions for every RUN: 75k heredocs took 54 s
  {
    name: 'Dockerfile: many heredoc RUNs',
    n0: 8000,
    run: df,
    input: (n) => `FROM alpine:3.20\n${'RUN <<E\nx\nE\n'.repeat(n)}`,
  },
  // ARG doubling: many independent chains, each stopped by the bounds (the budget then stops the rest)
  {
    name: 'Dockerfile: nested ARG doubling (many chains)',
    n0: 80,
    run: df,
    input: (n) => `${times(n, (k) => doublingChain(28, `C${k}_`))}FROM alpine:3.20\n`,
  },
  // SC1016 scanned the RUN's commands for every `update`
  {
    name: 'Dockerfile: many `apk update;` in one RUN',
    n0: 8000,
    run: df,
    input: (n) => `FROM alpine:3.20\nRUN ${'apk update; '.repeat(n)}\n`,
  },
  // FROM <stage> looked the name up in every earlier stage
  {
    name: 'Dockerfile: many stages, each FROM the previous one',
    n0: 4000,
    run: df,
    input: (n) => `FROM alpine:3.20 AS s0\n${times(n, (i) => `FROM s${i} AS s${i + 1}\n`)}`,
  },
  // the engine matched every finding against every suppression, and every suppression against every instruction
  {
    name: 'Dockerfile: many suppressions and findings',
    n0: 2000,
    run: df,
    input: (n) => `FROM alpine:3.20\n${'# secure-container-ignore SC1002: reviewed\nRUN sudo x && sudo y\n'.repeat(n)}`,
  },
  // SC1012 searched every instruction for each secret-looking global ARG
  {
    name: 'Dockerfile: many secret-looking global ARGs',
    n0: 8000,
    run: df,
    input: (n) => `${times(n, (i) => `ARG TOKEN${i}\n`)}FROM alpine:3.20\n`,
  },
  // the fast Dockerfile reader looked for the next backslash or `<<` from every instruction to the
  // end of the file: quadratic when there is none (4,000/8,000 lines: ratio 3.9). Lines of ~110
  // characters: with 64,000 short lines the instructions the reader returns outgrew V8's young
  // generation between n and 2n (no scavenge at n, 13 ms of them at 2n: a ratio of 3.2-3.7 that is
  // memory, not the scan); repeated for measurable times
  {
    name: 'Dockerfile reader: many RUN lines without a backslash or a heredoc',
    n0: 1000,
    repeat: 8,
    run: (text) => scanDockerfile(text),
    input: (n) => `FROM alpine:3.20\n${times(n, (i) => `RUN echo ${i} ${'a'.repeat(96)}\n`)}CMD ["x"]\n`,
  },
  // …and counted a property's line from the start of the instruction for every property (2,000/4,000
  // properties: ratio 3.5). Long values, for the same reason as above (short ones: 16,000 properties
  // at 2n crossed the young generation, a ratio up to 3.9 before and after the fix); repeated
  {
    name: 'Dockerfile reader: one LABEL with many properties, on one line and on continued lines',
    n0: 500,
    repeat: 8,
    run: (text) => scanDockerfile(text),
    input: (n) =>
      `FROM alpine:3.20\nLABEL ${times(n, (i) => `k${i}="v ${i} ${'a'.repeat(80)}" `)}\nLABEL ${times(n, (i) => `k${i}=v${i}${'a'.repeat(80)} \\\n  `)}end=1\n`,
  },
  // dockerfile-ast dropped flags with one shift() each
  {
    name: 'Dockerfile: RUN with many --mount flags',
    n0: 4000,
    run: df,
    input: (n) => `FROM alpine:3.20\nRUN ${'--mount=type=cache,target=/x '.repeat(n)}apk add x\n`,
  },
  // SC1008's command-substitution regex rescanned a long word from every `$(` (quadratic before)
  {
    name: 'SC1008: sh -c "$($($(…" (one long word)',
    n0: 40000,
    repeat: 30,
    run: curlRule,
    input: (n) => `sh -c "${'$('.repeat(n)}"`,
  },
  // ${A:-${A:-…: the closing brace must not be searched again from every `${`
  {
    name: 'ARG/ENV expansion: unclosed ${A:-${A:-…',
    n0: 40000,
    repeat: 5,
    run: expand,
    input: (n) => '${A:-'.repeat(n),
  },
  // the suppression regex backtracked exponentially (18 ids: 15 s) when the comment did not match
  {
    name: 'Dockerfile: a suppression comment with many ids that does not match',
    n0: 16000,
    repeat: 5,
    run: df,
    input: (n) => `FROM alpine:3.20\n# secure-container-ignore ${'SC1234  '.repeat(n)}!\nUSER root\n`,
  },
  // SC1006's message cut `[?#].*$` from every `#` when a line break followed
  {
    name: 'Dockerfile: ADD of a URL with many # and a line break',
    n0: 40000,
    repeat: 10,
    run: df,
    input: (n) => `FROM alpine:3.20\nADD https://x/${'#'.repeat(n)}\u2028 /d\n`,
  },
  // compose: yaml's duplicate-key check compared each key with every earlier one
  {
    name: 'compose: many services',
    n0: 2000,
    run: compose,
    input: (n) => `services:\n${times(n, (i) => `  s${i}:\n    image: x:1\n    privileged: true\n`)}`,
  },
  // …and every finding in a big mapping looked its key up with a scan
  {
    name: 'compose: many literal secrets in one environment',
    n0: 2000,
    run: compose,
    input: (n) =>
      `services:\n  a:\n    image: x:1\n    environment:\n${times(n, (i) => `      DB_PASSWORD${i}: hunter2hunter2\n`)}`,
  },
  // init's port/route scan counted lines from the start of the file for every match: 10k/20k/40k route lines took 2.4/8.5/30.5 s
  {
    name: 'detect: many route lines',
    n0: 4000,
    repeat: 3,
    run: detect,
    input: (n) => `const app = express();\n${"app.get('/healthz', h);\n".repeat(n)}`,
  },
  {
    name: 'detect: many commented-out listen() lines',
    n0: 4000,
    run: detect,
    input: (n) => `${'// app.listen(3000)\n'.repeat(n)}app.listen(3001);\n`,
  },
  // the Procfile's bind pattern `\S*?:` was retried from every `-b=` of a line without ':'
  {
    name: 'detect: Procfile web line with many -b= and no port',
    n0: 40000,
    run: detectProcfile,
    input: (n) => `gunicorn ${'-b='.repeat(n)}`,
  },
  {
    name: 'detect: one long line of routes',
    n0: 4000,
    repeat: 4,
    run: detect,
    input: (n) => `${"app.get('/healthz', h); ".repeat(n)}\n`,
  },
];

describe('every scan is linear in its input (t(2n)/t(n) < 3)', () => {
  it.each(SHAPES.map((s) => ({ ...s, toString: () => s.name })))('$name', (s) => {
    const r = growthRatio(s);
    // the figures, for the record when a ratio fails
    const info = `${s.name}: n=${r.n} t(n)=${r.tn.toFixed(1)} ms t(2n)=${r.t2n.toFixed(1)} ms ratio=${r.ratio.toFixed(2)}`;
    if (process.env.SCALING_REPORT) process.stderr.write(`${info}\n`);
    expect({ info, linear: r.ratio < MAX_RATIO }).toEqual({ info, linear: true });
  });
});

describe('variable expansion is bounded and the limit is reported', () => {
  const model = (t: string) => buildDockerfileModel(t, 'Dockerfile', resolvePolicyConfig());

  it('28 levels of ARG doubling (613 bytes): values stay <= 64 KiB, SC0004 is reported, nothing crashes', () => {
    const text = `${doublingChain(28)}FROM alpine:3.20\nARG A27\nRUN echo $A27\n`;
    expect(text.length).toBeLessThan(700);
    const heap0 = process.memoryUsage().heapUsed;
    const m = model(text);
    const longest = Math.max(...[...m.globalArgs.values()].map((v) => v?.length ?? 0));
    expect(longest).toBeLessThanOrEqual(MAX_VALUE_CHARS);
    // unbounded, this was 2^29 characters (~580 MB); bounded it is a few hundred KiB at most
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 * 1024 * 1024);
    const f = auditDockerfile(text, 'Dockerfile');
    const limits = f.filter((x) => x.rule === 'SC0004');
    expect(limits.map((x) => x.line)).toEqual([17]); // A16 would be 128 KiB
    expect(limits[0].message).toMatch(/64 KiB/);
    expect(f.filter((x) => x.rule === 'SC0001')).toEqual([]);
  });

  it('many doubling chains: the per-file budget stops them, reported once', () => {
    const text = `${times(64, (k) => doublingChain(17, `C${k}_`))}FROM alpine:3.20\n`;
    const m = model(text);
    const total = [...m.globalArgs.values()].reduce((s, v) => s + (v?.length ?? 0), 0);
    // 64 chains x 128 KiB of values would be 8 MiB; the budget is max(1 MiB, 4 x file size)
    expect(total).toBeLessThanOrEqual(Math.max(1024 * 1024, 4 * text.length) + text.length);
    const rules = auditDockerfile(text, 'Dockerfile').filter((x) => x.rule === 'SC0004');
    expect(rules.length).toBeGreaterThanOrEqual(1);
    expect(rules.length).toBeLessThanOrEqual(3); // one per kind of limit, not one per value
    expect(rules.some((x) => /budget/.test(x.message))).toBe(true);
  });

  it('a value chained more than 32 levels deep is left unexpanded and reported', () => {
    const text = `FROM alpine:3.20\nENV V0=root\n${times(40, (i) => `ENV V${i + 1}=\${V${i}}\n`)}USER \${V40}\n`;
    const f = auditDockerfile(text, 'Dockerfile');
    expect(f.filter((x) => x.rule === 'SC0004').map((x) => x.line)).toEqual([35]);
    // the USER cannot be resolved, so it is not claimed to be root (no false SC1001 on line 43)
    expect(f.filter((x) => x.rule === 'SC1001' && x.line === 43)).toEqual([]);
  });

  it('normal ARG/ENV use is unaffected (no SC0004)', () => {
    const text =
      'ARG REG=docker.io\nARG TAG=22\nFROM ${REG}/library/node:${TAG}-alpine AS build\nENV A=/app B=${A}/bin C=${B}:${PATH}\nUSER 10001\n';
    expect(auditDockerfile(text, 'Dockerfile').filter((x) => x.rule === 'SC0004')).toEqual([]);
  });
});
