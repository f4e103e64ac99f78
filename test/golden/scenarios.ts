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
  // issue 14 runtimes: fixtures modelled on real repositories
  'static-vite': 'test/fixtures/real/static-vite-react-spa',
  'static-hugo': 'test/fixtures/real/static-hugo-modules-tailwind',
  'static-plain': 'test/fixtures/real/static-plain-root-site',
  'bun-elysia': 'test/fixtures/real/bun-elysia-htmx',
  'deno-serve': 'test/fixtures/real/deno-serve-permission-set',
  'ruby-rails': 'test/fixtures/real/ruby-rails-procfile-pg',
  'ruby-sinatra': 'test/fixtures/real/ruby-sinatra-no-lockfile',
  'php-laravel': 'test/fixtures/real/php-laravel-skeleton',
  'php-symfony': 'test/fixtures/real/php-symfony-platform-pin',
  // issue 13 runtimes: fixtures modelled on real repositories
  'java-boot': 'test/fixtures/real/java-spring-boot-maven-actuator',
  'java-quarkus': 'test/fixtures/real/java-quarkus-maven-health',
  'java-ktor': 'test/fixtures/real/java-gradle-kts-ktor-app',
  'dotnet-minimal': 'test/fixtures/real/dotnet-minimal-api-healthz',
  'dotnet-eshop': 'test/fixtures/real/dotnet-eshop-sqlserver-services',
  'dotnet-worker': 'test/fixtures/real/dotnet-worker-locked',
  'rust-std': 'test/fixtures/real/rust-std-tcp-server',
  'rust-axum': 'test/fixtures/real/rust-axum-workspace',
  'rust-rocket': 'test/fixtures/real/rust-rocket-toml',
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
  // issue 14 runtimes
  { name: 'static-vite-spa', app: 'static-vite', argv: [] },
  { name: 'static-hugo-build-secret', app: 'static-hugo', argv: ['--build-secret', 'npm_token'] },
  { name: 'static-plain-data-dir', app: 'static-plain', argv: ['--data-dir', '/srv/uploads', '--port', '8081'] },
  { name: 'bun-distroless', app: 'bun-elysia', argv: [] },
  { name: 'bun-alpine-secrets-helper', app: 'bun-elysia', argv: ['--flavor', 'alpine', '--secret', 'db_password', '--secrets-helper'] },
  { name: 'deno-distroless-data', app: 'deno-serve', argv: [] },
  { name: 'deno-alpine-vault', app: 'deno-serve', argv: ['--flavor', 'alpine', '--secret', 'api_key', ...VAULT, '--secrets-helper'] },
  { name: 'ruby-rails-slim-services', app: 'ruby-rails', argv: ['--service', 'postgres,redis', '--secrets-helper', '--secret', 'rails_master_key'] },
  { name: 'ruby-sinatra-alpine', app: 'ruby-sinatra', argv: ['--flavor', 'alpine'] },
  { name: 'php-laravel-slim-services', app: 'php-laravel', argv: ['--service', 'postgres'] },
  { name: 'php-laravel-fpm', app: 'php-laravel', argv: ['--php-server', 'fpm'] },
  { name: 'php-symfony-alpine-aws', app: 'php-symfony', argv: ['--flavor', 'alpine', '--secret', 'app_secret', ...AWS] },
  // issue 15: Kubernetes manifests (deploy/kubernetes/), one per secret provider, services and data
  { name: 'node-kubernetes', app: 'node', argv: ['--kubernetes', '--secret', 'db_password,api_key'] },
  { name: 'python-kubernetes-services', app: 'python', argv: ['--kubernetes', '--service', 'postgres,redis', '--data-dir', '/data', '--secret', 'db_password'] },
  { name: 'go-kubernetes-vault', app: 'go', argv: ['--kubernetes', '--secret', 'api_key', ...VAULT] },
  { name: 'python-kubernetes-aws', app: 'python', argv: ['--kubernetes', '--secret', 'db_password', ...AWS] },
  // issues 16, 19 and 17: CI workflows and update bots, a package registry, a preset with extension points
  { name: 'node-ci-github-renovate', app: 'node', argv: ['--ci', 'github', '--update-bot', 'renovate'] },
  { name: 'python-ci-gitlab-mirror-dependabot', app: 'python', argv: ['--ci', 'gitlab', '--registry', 'registry.example.internal/mirror', '--update-bot', 'dependabot'] },
  { name: 'node-package-registry', app: 'node', argv: ['--package-registry', 'https://npm.example.internal/', '--package-registry-secret', 'npm_token'] },
  { name: 'go-package-registry', app: 'go', argv: ['--package-registry', 'https://goproxy.example.internal/', '--package-registry-secret', 'goproxy_auth'] },
  { name: 'node-preset-acme-extensions', app: 'node', argv: ['--preset', './presets/acme-platform/preset.yaml'], extra: { 'presets/acme-platform': 'presets/acme-platform' } },
  // issue 13 runtimes
  { name: 'java-spring-boot-distroless', app: 'java-boot', argv: [] },
  { name: 'java-quarkus-alpine-secrets-helper', app: 'java-quarkus', argv: ['--flavor', 'alpine', '--secret', 'db_password', '--secrets-helper'] },
  { name: 'java-gradle-ktor-distribution', app: 'java-ktor', argv: ['--port', '8081', '--health-path', '/healthz'] },
  { name: 'dotnet-minimal-api-distroless', app: 'dotnet-minimal', argv: [] },
  { name: 'dotnet-sqlserver-extra-redis', app: 'dotnet-eshop', argv: ['--service', 'redis', '--secret', 'db_password', ...AWS] },
  { name: 'dotnet-worker-alpine', app: 'dotnet-worker', argv: ['--flavor', 'alpine'] },
  { name: 'rust-distroless', app: 'rust-std', argv: [] },
  { name: 'rust-workspace-scratch-vault', app: 'rust-axum', argv: ['--flavor', 'scratch', '--secret', 'api_key', ...VAULT, '--secrets-helper'] },
  { name: 'rust-rocket-alpine-data', app: 'rust-rocket', argv: ['--flavor', 'alpine', '--data-dir', '/app/uploads'] },
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
    for (const [to, from] of Object.entries(s.extra ?? {})) cpSync(join(REPO, from), join(dir, to), { recursive: true });
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
