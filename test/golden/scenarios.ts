// Golden-file scenarios: the whole tree `secure-container init --yes` writes for each, kept under
// test/golden/<scenario>/ so a template change shows up as a readable diff in review. The tests
// still assert behaviour by parsing; these files are what a reviewer reads.
// `npm run golden:update` rewrites them; test/golden/golden.test.ts fails on drift with the diff.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../lib/cli/init.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const GOLDEN_DIR = join(REPO, 'test/golden');

const APPS = {
  node: 'examples/node-app',
  python: 'test/fixtures/apps/python',
  go: 'test/fixtures/apps/go',
} as const;

export interface Scenario {
  name: string;
  app: keyof typeof APPS;
  argv: string[];
  /** files copied from the repository into the app before the run (e.g. a preset) */
  extra?: Record<string, string>;
}

const VAULT = ['--secret-provider', 'vault', '--vault-addr', 'https://vault.example.internal:8200'];
const AWS = ['--secret-provider', 'aws', '--aws-region', 'eu-west-1'];

/** One row a scenario: each runtime × flavour, each secret provider, backing services, a preset. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'node-distroless', app: 'node', argv: [] },
  { name: 'node-alpine', app: 'node', argv: ['--flavor', 'alpine'] },
  { name: 'python-distroless', app: 'python', argv: [] },
  { name: 'python-alpine', app: 'python', argv: ['--flavor', 'alpine'] },
  { name: 'go-distroless', app: 'go', argv: [] },
  { name: 'go-alpine', app: 'go', argv: ['--flavor', 'alpine'] },
  { name: 'go-scratch', app: 'go', argv: ['--flavor', 'scratch'] },
  { name: 'node-file-secrets', app: 'node', argv: ['--secret', 'db_password,api_key', '--secrets-helper'] },
  { name: 'node-vault', app: 'node', argv: ['--secret', 'db_password', ...VAULT] },
  { name: 'python-aws', app: 'python', argv: ['--secret', 'db_password', ...AWS, '--secrets-helper'] },
  { name: 'go-vault-helper', app: 'go', argv: ['--secret', 'api_key', ...VAULT, '--secrets-helper'] },
  { name: 'python-services', app: 'python', argv: ['--service', 'postgres,redis', '--data-dir', '/data'] },
  { name: 'node-build-secret-registry', app: 'node', argv: ['--build-secret', 'npm_token', '--registry', 'registry.example.internal/mirror'] },
  { name: 'node-preset', app: 'node', argv: ['--preset', './presets/base.yaml'], extra: { 'presets/base.yaml': 'presets/base.yaml' } },
];

/** The state copies of every generated file: byte-identical duplicates, left out of the golden tree. */
const SKIP = `.secure-container${sep}pristine`;

function list(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (relative(base, p) === SKIP) continue;
    if (e.isDirectory()) out.push(...list(p, base));
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out.sort();
}

/** Run the scenario in a fresh copy of its app; returns generated path -> contents (the app's own files excluded). */
export async function generateScenario(s: Scenario): Promise<Map<string, string>> {
  const tmp = mkdtempSync(join(tmpdir(), 'sc-golden-'));
  // a fixed folder name: the app name falls back to it, and it must not vary between runs
  const dir = join(tmp, `${s.app}-app`);
  try {
    mkdirSync(dir);
    cpSync(join(REPO, APPS[s.app]), dir, { recursive: true });
    for (const [to, from] of Object.entries(s.extra ?? {})) cpSync(join(REPO, from), join(dir, to));
    const before = new Set(list(dir));
    let err = '';
    const code = await runInit(['--yes', ...s.argv], { cwd: dir, stdout: () => {}, stderr: (x) => void (err += x), interactive: false });
    if (code !== 0) throw new Error(`golden scenario ${s.name}: init exited ${code}: ${err}`);
    const out = new Map<string, string>();
    for (const p of list(dir)) if (!before.has(p)) out.set(p, readFileSync(join(dir, p), 'utf8'));
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** path -> contents of a stored golden tree (empty when absent). */
export function readGolden(name: string): Map<string, string> {
  const dir = join(GOLDEN_DIR, name);
  const out = new Map<string, string>();
  try {
    if (!statSync(dir).isDirectory()) return out;
  } catch {
    return out;
  }
  for (const p of list(dir)) out.set(p, readFileSync(join(dir, p), 'utf8'));
  return out;
}
