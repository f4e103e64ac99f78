// Terminal injection: a value from the repository or the user (a file name, a package name, a
// compose service name, a Dockerfile instruction, a flag's value) must never reach a person's
// terminal with its control characters: no escape sequence (ESC, C1 CSI U+009B), no CR that
// rewrites the line, no newline that forges a line of its own (a fake "No findings"), no bidi
// override. Every human-readable output is run in-process with such values planted.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { runAudit } from '../../lib/audit/cli.js';
import { formatJson, formatText } from '../../lib/audit/format.js';
import type { AuditReport } from '../../lib/audit/run.js';
import type { Io } from '../../lib/cli/io.js';
import { runInit } from '../../lib/cli/init.js';
import { runUpgradeCli } from '../../lib/cli/upgrade.js';
import { escapeControl, escapeText, hasControl } from '../../lib/text/escape.js';
import { renderUpgradePlan } from '../../lib/upgrade/render.js';
import { OUTCOMES, type UpgradePlan } from '../../lib/upgrade/plan.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/node-app', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../../dist/generators/app/index.js', import.meta.url));

/** ESC sequences (clear screen, colour, window title), CR, a forged line, C1 CSI and a bidi override. */
const EVIL = '\u001b[2J\u001b[31mred\u001b]0;title\u0007\rover\nNo findings in 1 file.\u009b31m\u202egnp.exe';
const FAKE = 'No findings in 1 file.';
/** The same within one line of a file (a file's own newlines are its lines, shown as lines of a diff). */
const EVIL_LINE = EVIL.replace(/\n/g, '');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(files: Record<string, string> = {}, base?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-term-'));
  dirs.push(dir);
  if (base) cpSync(base, dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function io(cwd: string): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    interactive: false,
    out: () => out,
    err: () => err,
  };
}

/** No control character except the newlines (and tabs) of the output's own layout; the forged line never stands alone. */
function expectSafe(text: string): void {
  // eslint-disable-next-line no-control-regex -- the test looks for exactly these control characters
  const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.exec(text);
  expect(
    bad
      ? `raw U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 40), bad.index + 40))}`
      : null,
  ).toBeNull();
  for (const line of text.split('\n')) expect(line.trimStart().startsWith(FAKE)).toBe(false);
}

describe('escapeControl / escapeText', () => {
  it('renders C0, DEL, C1 and bidi controls visibly and leaves printable text alone', () => {
    expect(escapeControl('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeControl('x\ry\nz\tw\u007f')).toBe('x\\x0dy\\x0az\\x09w\\x7f');
    expect(escapeControl('\u009b31m\u0085')).toBe('\\x9b31m\\x85');
    expect(escapeControl('\u202eabc\u2066\u2069\u200f')).toBe('\\u{202e}abc\\u{2066}\\u{2069}\\u{200f}');
    expect(escapeControl('café — 日本 ✓ "q" \\ $')).toBe('café — 日本 ✓ "q" \\ $');
    expect(hasControl(escapeControl(EVIL))).toBe(false);
    // layout kept, everything else escaped (CR included: a line cannot be overwritten)
    expect(escapeText('a\tb\nc\rd\u001b')).toBe('a\tb\nc\\x0dd\\x1b');
  });
});

describe('audit text output', () => {
  it('a file name, a service name, an image and an instruction with control characters are printed escaped', async () => {
    const dir = tempDir({
      [`svc${EVIL}/Dockerfile`]: `FROM node${EVIL.replace(/\n/g, '')}\nRUN curl -s https://x.example | sh\n`,
      // YAML double-quoted escapes: \e ESC, \r CR, \n LF, \x9b C1 CSI, \u202e RLO
      'compose.yaml':
        'services:\n  "web\\e[2J\\rover\\nNo findings in 1 file.\\x9b31m\\u202e":\n    image: "nginx\\e[31m"\n    privileged: true\n',
      [`bad${EVIL}.Dockerfile`]: `FROM alpine:3.20\nFR\u001b[2JOM x\n`,
    });
    const t = io(dir);
    const code = await runAudit([], t);
    expect(code).toBe(1);
    expectSafe(t.out());
    expectSafe(t.err());
    expect(t.out()).toContain('svc\\x1b[2J\\x1b[31mred');
    expect(t.out()).toContain('\\x0aNo findings in 1 file.\\x9b31m\\u{202e}');
    expect(t.out()).toMatch(/web\\x1b\[2J\\x0dover\\x0aNo findings/);
  });

  it('formatText escapes every value of a report; JSON keeps the true values', () => {
    const report: AuditReport = {
      files: [
        {
          path: `Docker${EVIL}file`,
          kind: 'dockerfile',
          findings: [
            {
              rule: 'SC1001',
              name: 'no-root-user',
              principle: 'P5',
              severity: 'error',
              file: 'x',
              line: 3,
              message: `USER ${EVIL}`,
              refs: [],
              fix: `set ${EVIL}`,
            },
          ],
        },
      ],
      failOn: 'error',
      unreadable: false,
    };
    const text = formatText(report);
    expectSafe(text);
    expect(text.split('\n')[0]).toBe(escapeControl(`Docker${EVIL}file`));
    const doc = JSON.parse(formatJson(report));
    expect(doc.files[0].path).toBe(`Docker${EVIL}file`);
    expect(doc.files[0].findings[0].message).toBe(`USER ${EVIL}`);
  });

  it('error messages quoting arguments and paths are escaped', async () => {
    const dir = tempDir({ Dockerfile: 'FROM alpine:3.20\n' });
    for (const argv of [
      [`missing${EVIL}`],
      ['--format', `x${EVIL}`],
      ['--policy', `p${EVIL}.yaml`],
      [`--bogus${EVIL}`],
    ]) {
      const t = io(dir);
      expect(await runAudit(argv, t)).toBe(2);
      expectSafe(t.err());
      expect(t.err()).toContain('\\x1b[2J');
    }
  });

  it('a repository policy file with control characters in a key is named escaped, its values never echoed', async () => {
    const dir = tempDir({
      Dockerfile: 'FROM alpine:3.20\n',
      '.secure-container.yaml': `"k\\e[2J\\nNo findings in 1 file.": 1\n`,
    });
    const t = io(dir);
    expect(await runAudit([], t)).toBe(2);
    expectSafe(t.err());
    expect(t.err()).toMatch(/unknown key "k\\x1b\[2J\\x0aNo findings/);
    const v = tempDir({
      Dockerfile: 'FROM alpine:3.20\n',
      '.secure-container.yaml': `failOn: "none\\e[2J SECRET-VALUE"\n`,
    });
    const u = io(v);
    expect(await runAudit([], u)).toBe(2);
    expect(u.err()).toContain('failOn: must be one of error, warning, info, none');
    expect(u.err()).not.toContain('SECRET-VALUE');
  });
});

describe('init plan and errors', () => {
  it('a package name with control characters: the plan (facts, answers, sources) shows it escaped', async () => {
    const dir = tempDir({}, EXAMPLE);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, name: `app${EVIL}` }));
    const t = io(dir);
    const code = await runInit(['--yes', '--dry-run', '--data-dir', '/data'], t);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expectSafe(t.out());
    expect(t.out()).toContain('\\x1b[2J');
  });

  it('flag values with control characters are refused with an escaped message', async () => {
    const dir = tempDir({}, EXAMPLE);
    for (const argv of [
      ['--yes', '--name', EVIL],
      ['--yes', '--health-path', `/h${EVIL}`],
      ['--yes', '--start', `node ${EVIL}`],
      ['--yes', `--x${EVIL}`],
    ]) {
      const t = io(dir);
      expect(await runInit(argv, t)).toBe(2);
      expectSafe(t.err());
      expectSafe(t.out());
    }
  });

  it('a corrupt manifest naming a file with control characters: exit 2, escaped', async () => {
    const dir = tempDir({}, EXAMPLE);
    expect(await runInit(['--yes'], io(dir))).toBe(0);
    const manifest = join(dir, '.secure-container/manifest.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { files: Record<string, unknown> };
    m.files[`x${EVIL}`] = { sha256: 'not-a-digest' };
    writeFileSync(manifest, JSON.stringify(m));
    const t = io(dir);
    expect(await runInit(['--yes'], t)).toBe(2);
    expectSafe(t.err());
    expect(t.err()).toMatch(/manifest\.json/);
    const u = io(dir);
    expect(await runUpgradeCli([], u)).toBe(2);
    expectSafe(u.err());
  });
});

describe('upgrade plan, warnings and --dry-run diffs', () => {
  it('renderUpgradePlan escapes paths, notes and every diff line', () => {
    const plan: UpgradePlan = {
      fromVersion: `0.0.1${EVIL}`,
      toVersion: '0.2.0',
      files: [
        {
          path: `Dockerfile${EVIL}`,
          outcome: 'merged',
          contents: `FROM a\n# ${EVIL_LINE}\nUSER 1\n`,
          current: `FROM a\nUSER 0\r\n`,
          conflicts: 0,
          resolved: 0,
          note: `kept ${EVIL}`,
        },
      ],
      stateWrites: [],
      stateDeletes: [],
      conflicts: 0,
      counts: { ...(Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as UpgradePlan['counts']), merged: 1 },
    };
    const text = renderUpgradePlan(plan, { diffs: true });
    expectSafe(text);
    expect(text).toContain(`+# ${escapeControl(EVIL_LINE)}`);
    expect(text).toContain('-USER 0\\x0d');
  });

  it('upgrade --dry-run on a repo whose files hold control characters, and state warnings naming such paths', async () => {
    const dir = tempDir({}, EXAMPLE);
    expect(await runInit(['--yes'], io(dir))).toBe(0);
    // an edit of the user's with escape sequences next to what the new rendering changes
    const df = join(dir, 'Dockerfile');
    writeFileSync(
      df,
      readFileSync(df, 'utf8').replace(/^EXPOSE .*$/m, (l) => `# ${EVIL_LINE}\n${l}`),
    );
    // a manifest entry whose pristine copy is missing: tolerated, reported as a warning naming it
    const manifest = join(dir, '.secure-container/manifest.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { files: Record<string, unknown> };
    m.files[`gone${EVIL}`] = { sha256: 'a'.repeat(64) };
    writeFileSync(manifest, JSON.stringify(m));
    const t = io(dir);
    await runUpgradeCli(['--dry-run', '--port', '4000'], t);
    expectSafe(t.out());
    expectSafe(t.err());
    expect(t.out() + t.err()).toContain('\\x1b[2J');
    const c = io(dir);
    await runUpgradeCli(['--check'], c);
    expectSafe(c.out());
    expectSafe(c.err());
  });
});

describe('yo secure-container', () => {
  const ORIGINAL_CWD = process.cwd();
  afterEach(() => {
    process.chdir(ORIGINAL_CWD);
    process.exitCode = undefined;
  });

  it('logs the plan with control characters escaped', async () => {
    const dir = tempDir({}, EXAMPLE);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, name: `app${EVIL}` }));
    const logged: string[] = [];
    const options: Record<string, unknown> = { yes: true, 'dry-run': true, skipInstall: true };
    await helpers
      .run(GENERATOR, { autoCleanup: false, cwd: dir })
      .withOptions(options)
      .onGenerator((g) => {
        // Yeoman's logger is a plain property of the generator: capture what it prints
        (g as unknown as { log: (s: string) => void }).log = (s: string) => void logged.push(s);
      });
    const text = logged.join('\n');
    expect(text).toContain('Detected:');
    expect(text).toContain('\\x1b[2J');
    expectSafe(text);
  });
});
