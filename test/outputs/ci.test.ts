// --ci github|gitlab (issue 16): the workflow for every runtime, checked by parsing. GitHub: the
// maintained validator @action-validator/core (the WASM core of @action-validator/cli: the
// SchemaStore github-workflow schema and more, offline) and our own SC4xxx rules, clean; then what
// the issue asks of it, read from the parsed YAML. GitLab: the YAML parsed and its structure checked
// (stages, jobs, needs/extends, images by exact tag through the mirror, never latest).
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import type { Runtime } from '../../lib/core/types.js';
import { CLI_COMMAND } from '../../lib/core/version.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { ACTIONS, CI_IMAGES } from '../../lib/outputs/ci/actions.js';
import { GITHUB_WORKFLOW, GITLAB_PIPELINE } from '../../lib/outputs/ci/index.js';
import { LABEL_BUILD_ARGS } from '../../lib/outputs/compose.js';
import { registerOutput } from '../../lib/outputs/index.js';
import { auditText } from '../../lib/policy/engine.js';
import { workflowKind } from '../../lib/policy/kinds.js';
import { runtimeNames } from '../../lib/runtimes/index.js';
import { answersFor, LAYOUTS } from '../helpers/answers.js';
import { generateScenario, REPO, type Scenario } from '../golden/scenarios.js';

// @action-validator/core is a CommonJS (wasm-pack) module
const require = createRequire(import.meta.url);
const validator = require('@action-validator/core') as {
  validateWorkflow(src: string): { errors: unknown[] };
};

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});

/** One fixture app per runtime (the golden scenarios' apps). */
const APP: Record<Runtime, Scenario['app']> = {
  node: 'node',
  python: 'python',
  go: 'go',
  static: 'static-vite',
  java: 'java-boot',
  dotnet: 'dotnet-minimal',
  rust: 'rust-std',
  bun: 'bun-elysia',
  deno: 'deno-serve',
  ruby: 'ruby-sinatra',
  php: 'php-laravel',
};

interface Case {
  label: string;
  runtime: Runtime;
  ci: 'github' | 'gitlab';
  argv: string[];
}
const CASES: Case[] = [];
for (const runtime of runtimeNames())
  for (const ci of ['github', 'gitlab'] as const) CASES.push({ label: `${runtime} ${ci}`, runtime, ci, argv: [] });
for (const ci of ['github', 'gitlab'] as const)
  CASES.push({
    label: `node ${ci} with a build secret and a registry mirror`,
    runtime: 'node',
    ci,
    argv: ['--build-secret', 'npm_token', '--registry', 'registry.example.internal/mirror'],
  });

const generated = new Map<string, Map<string, string>>();
async function generate(c: Case): Promise<Map<string, string>> {
  let files = generated.get(c.label);
  if (!files) {
    files = await generateScenario({ name: `ci-${c.label}`, app: APP[c.runtime], argv: ['--ci', c.ci, ...c.argv] });
    generated.set(c.label, files);
  }
  return files;
}

/** Every `uses:` line of a workflow text, raw (the comment after the SHA is what a reader sees). */
const usesLines = (text: string): string[] => text.split('\n').filter((l) => /^\s*(?:-\s+)?uses:/.test(l));

function checkGithub(text: string, files: Map<string, string>, c: Case): void {
  // the maintained validator: no error
  expect(validator.validateWorkflow(text).errors).toEqual([]);
  // our own rules: nothing at all
  expect(auditText(workflowKind, text, GITHUB_WORKFLOW)).toEqual([]);
  const wf = parse(text) as Obj;
  const on = obj(wf.on);
  expect(Object.keys(on).sort()).toEqual(['pull_request', 'push']);
  expect(obj(on.push).tags).toEqual(['v*.*.*']);
  expect(text).not.toContain('pull_request_target');
  // least privilege: nothing at the top, a grant per job; id-token and packages only where it publishes
  expect(wf.permissions).toEqual({});
  const jobs = obj(wf.jobs);
  expect(Object.keys(jobs)).toEqual(['audit', 'image', 'publish']);
  for (const [id, j] of Object.entries(jobs)) {
    const perms = obj(obj(j).permissions);
    expect(perms.contents).toBe('read');
    expect(Object.values(perms).every((v) => v === 'read' || v === 'write')).toBe(true);
    if (id !== 'publish') expect([perms['id-token'], perms.packages]).toEqual([undefined, undefined]);
  }
  expect(obj(obj(jobs.publish).permissions)).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' });
  expect(String(obj(jobs.publish).if)).toContain('github.event.repository.default_branch');
  expect(String(obj(jobs.publish).if)).toContain("github.event_name == 'push'");
  // every action pinned to a full SHA with its version in a comment, all from the table
  const lines = usesLines(text);
  expect(lines.length).toBeGreaterThan(10);
  const known = new Set(Object.values(ACTIONS).map((a) => `${a.uses}@${a.sha} # ${a.version}`));
  for (const l of lines) {
    expect(l).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(known.has(l.replace(/^\s*(?:-\s+)?uses:\s*/, ''))).toBe(true);
  }
  const steps = (job: string): Obj[] => (obj(jobs[job]).steps as Obj[]).map(obj);
  const step = (job: string, action: string): Obj[] =>
    steps(job).filter((s) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
  const runs = (job: string): string[] => steps(job).flatMap((s) => (typeof s.run === 'string' ? [s.run] : []));
  // audit to code scanning, drift
  expect(runs('audit')).toEqual([
    `${CLI_COMMAND} audit --format sarif --output secure-container.sarif`,
    `${CLI_COMMAND} upgrade --check`,
  ]);
  expect(step('audit', 'github/codeql-action/upload-sarif').map((s) => obj(s.with).sarif_file)).toEqual([
    'secure-container.sarif',
  ]);
  // every checkout keeps no credential on disk
  for (const j of Object.keys(jobs))
    for (const s of step(j, 'actions/checkout')) expect(obj(s.with)['persist-credentials']).toBe(false);
  // the OCI label build args the Dockerfile declares, filled on both builds; no secret among them
  const dockerfile = files.get('Dockerfile') ?? '';
  const declared = LABEL_BUILD_ARGS.filter((n) => new RegExp(`^ARG ${n}(=|$)`, 'm').test(dockerfile));
  expect(declared).toEqual([...LABEL_BUILD_ARGS]);
  for (const j of ['image', 'publish']) {
    const [build] = step(j, 'docker/build-push-action');
    const w = obj(build.with);
    const args = String(w['build-args'])
      .trim()
      .split('\n')
      .map((l) => l.trim());
    expect(args.map((a) => a.split('=')[0])).toEqual(declared);
    expect(String(w['build-args'])).not.toMatch(/secrets\./);
    expect(w['cache-from']).toBe('type=gha');
    const [buildx] = step(j, 'docker/setup-buildx-action');
    expect(buildx).toBeDefined();
    // issue 19: BuildKit's own image through the mirror when there is one
    const registry = c.argv.includes('--registry') ? c.argv[c.argv.indexOf('--registry') + 1] : '';
    expect(obj(buildx.with)['driver-opts']).toBe(
      registry ? `image=${registry}/docker.io/moby/buildkit:buildx-stable-1` : undefined,
    );
    if (c.argv.includes('--build-secret')) expect(w.secrets).toBe('npm_token=${{ secrets.NPM_TOKEN }}\n');
    else expect(w.secrets).toBeUndefined();
  }
  // check job: local image, verify, Trivy failing on fixable HIGH/CRITICAL, its SARIF uploaded
  const [local] = step('image', 'docker/build-push-action');
  expect(obj(local.with)).toMatchObject({ load: true, push: false });
  const image = String(obj(local.with).tags);
  expect(image).not.toMatch(/:latest$/);
  expect(runs('image')).toEqual([`${CLI_COMMAND} verify ${image}`]);
  const [trivy] = step('image', 'aquasecurity/trivy-action');
  expect(obj(trivy.with)).toMatchObject({
    'image-ref': image,
    format: 'sarif',
    severity: 'HIGH,CRITICAL',
    'ignore-unfixed': true,
    'exit-code': '1',
  });
  expect(step('image', 'github/codeql-action/upload-sarif').map((s) => obj(s.with).sarif_file)).toEqual([
    String(obj(trivy.with).output),
  ]);
  // verify runs after the build
  const order = steps('image').map((s) => String(s.uses ?? s.run));
  expect(order.findIndex((s) => s.includes(' verify '))).toBeGreaterThan(
    order.findIndex((s) => s.startsWith('docker/build-push-action')),
  );
  // publish: pushed with SBOM and max-mode provenance, tags from metadata-action (SHA always, semver), signed
  const [push] = step('publish', 'docker/build-push-action');
  expect(obj(push.with)).toMatchObject({
    push: true,
    sbom: true,
    provenance: 'mode=max',
    tags: '${{ steps.meta.outputs.tags }}',
  });
  const [meta] = step('publish', 'docker/metadata-action');
  expect(String(obj(meta.with).tags)).toMatch(/type=sha,format=long\ntype=semver,pattern=\{\{version\}\}/);
  expect(obj(meta.with).flavor).toBe('latest=false');
  expect(step('publish', 'sigstore/cosign-installer')).toHaveLength(1);
  expect(runs('publish').join('\n')).toMatch(/cosign sign --yes "\$\{tag\}@\$\{DIGEST\}"/);
  // README.Docker.md: how to verify the signature with the workflow identity
  const readme = files.get('README.Docker.md') ?? '';
  expect(readme).toContain('## CI: build, scan, attest and sign');
  expect(readme).toMatch(
    /cosign verify \\\n {2}--certificate-identity-regexp '\^https:\/\/github\\\.com\/OWNER\/REPO\/\\\.github\/workflows\/container\\\.yml@.*\n {2}--certificate-oidc-issuer https:\/\/token\.actions\.githubusercontent\.com \\\n/,
  );
}

const GITLAB_KEYWORDS = new Set([
  'stages',
  'workflow',
  'variables',
  'default',
  'include',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

function imagesOf(job: Obj): string[] {
  const out: string[] = [];
  const img = job.image;
  if (typeof img === 'string') out.push(img);
  else if (typeof obj(img).name === 'string') out.push(String(obj(img).name));
  for (const s of Array.isArray(job.services) ? job.services : [])
    out.push(typeof s === 'string' ? s : String(obj(s).name));
  return out;
}

function checkGitlab(text: string, files: Map<string, string>, c: Case): void {
  const doc = parse(text) as Obj;
  const stages = doc.stages as string[];
  expect(stages).toEqual(['audit', 'build', 'check', 'publish']);
  const jobs = Object.fromEntries(Object.entries(doc).filter(([k]) => !GITLAB_KEYWORDS.has(k))) as Record<string, Obj>;
  const visible = Object.keys(jobs).filter((k) => !k.startsWith('.'));
  expect(visible).toEqual(['audit', 'build', 'verify', 'scan', 'publish']);
  const registry = c.argv.includes('--registry') ? c.argv[c.argv.indexOf('--registry') + 1] : '';
  const images: string[] = [];
  for (const [id, j] of Object.entries(jobs)) {
    const base = typeof j.extends === 'string' ? jobs[j.extends] : undefined;
    if (typeof j.extends === 'string') expect(base).toBeDefined();
    if (!id.startsWith('.')) {
      expect(stages).toContain(j.stage);
      for (const n of (j.needs as string[] | undefined) ?? []) expect(visible).toContain(n);
      expect(imagesOf({ ...base, ...j }).length).toBeGreaterThan(0);
    }
    images.push(...imagesOf(j));
  }
  for (const img of images) {
    // an exact tag, never latest, through the mirror when there is one
    expect(img).toMatch(/:[\w][\w.-]*$/);
    expect(img).not.toMatch(/:latest$/);
    if (registry) expect(img.startsWith(`${registry}/`)).toBe(true);
  }
  const script = (id: string): string => (jobs[id].script as string[]).join('\n');
  expect(script('audit')).toContain(`${CLI_COMMAND} audit --format sarif`);
  expect(script('audit')).toContain(`${CLI_COMMAND} upgrade --check`);
  for (const n of LABEL_BUILD_ARGS) {
    expect(script('build')).toContain(`--build-arg "${n}=`);
    expect(script('publish')).toContain(`--build-arg "${n}=`);
  }
  expect(script('verify')).toContain(`${CLI_COMMAND} verify "$LOCAL_IMAGE"`);
  expect(script('scan')).toMatch(
    /trivy image --input image\.tar --severity HIGH,CRITICAL --ignore-unfixed .*--exit-code 1/,
  );
  expect(script('publish')).toContain('--sbom=true --provenance=mode=max');
  for (const id of ['build', 'publish'])
    expect(script(id)).toContain('--cache-from type=registry,ref=$CI_REGISTRY_IMAGE/cache');
  expect(script('publish')).toContain('cosign sign --yes "$CI_REGISTRY_IMAGE@$DIGEST"');
  expect(script('publish')).toContain('--tag $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
  expect(obj(obj(jobs.publish.id_tokens).SIGSTORE_ID_TOKEN)).toEqual({ aud: 'sigstore' });
  expect((jobs.publish.rules as Obj[]).map((r) => r.if)).toEqual([
    '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    '$CI_COMMIT_TAG =~ /^v[0-9]+\\.[0-9]+\\.[0-9]+/',
  ]);
  if (c.argv.includes('--build-secret')) expect(script('publish')).toContain('--secret id=npm_token,env=NPM_TOKEN');
  expect(text).not.toMatch(/\$\{\{/);
  const readme = files.get('README.Docker.md') ?? '';
  expect(readme).toContain('--certificate-oidc-issuer https://gitlab.com');
}

describe('--ci: the workflow for every runtime', () => {
  it('covers every runtime of the table', () => {
    expect(Object.keys(APP).sort()).toEqual([...runtimeNames()].sort());
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_l, c) => {
    const files = await generate(c);
    const path = c.ci === 'github' ? GITHUB_WORKFLOW : GITLAB_PIPELINE;
    const text = files.get(path);
    expect(text).toBeDefined();
    expect(files.has(c.ci === 'github' ? GITLAB_PIPELINE : GITHUB_WORKFLOW)).toBe(false);
    const escaped = path.replace(/\./g, '\\.');
    expect(text?.split('\n')[0]).toMatch(new RegExp(`^# ${escaped}, generated by generator-secure-container \\S+\\.$`));
    if (c.ci === 'github') checkGithub(text ?? '', files, c);
    else checkGitlab(text ?? '', files, c);
  });
});

describe('--ci none (the default)', () => {
  it('writes no workflow and no CI section', () => {
    const { files, spec } = buildFiles(answersFor('node'), LAYOUTS.node);
    expect(spec.ci).toBeUndefined();
    expect(files.map((f) => f.path).filter((p) => p.includes('.github') || p.includes('gitlab'))).toEqual([]);
    expect(files.find((f) => f.path === 'README.Docker.md')?.contents).not.toContain('## CI:');
  });

  it('rejects an unknown CI system in one line naming the flag and the choices', () => {
    expect(() => answersFor('node', { ci: 'jenkins' })).toThrow(/--ci.*none.*github.*gitlab/);
  });
});

describe('the pinned actions table', () => {
  it('holds a full 40-hex commit SHA and a release version for every action', () => {
    for (const a of Object.values(ACTIONS)) {
      expect(a.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(a.version).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    for (const img of Object.values(CI_IMAGES)) expect(img).toMatch(/:\d+\.\d+\.\d+(-dind)?$/);
  });
});

describe('the self-check covers the workflow', () => {
  it('an unpinned action in a generated workflow is a finding of the self-check', () => {
    const remove = registerOutput({
      id: 'test-bad-workflow',
      about: 'a workflow with an unpinned action',
      render: () => [
        {
          path: '.github/workflows/bad.yml',
          contents:
            'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@v4\n',
        },
      ],
    });
    try {
      const { findings } = buildFiles(answersFor('node', { ci: 'github' }), LAYOUTS.node);
      expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(['.github/workflows/bad.yml:9 SC4001']);
    } finally {
      remove();
    }
  });
});

describe('@action-validator/cli (the command line of the same validator)', () => {
  it('accepts the generated workflow and rejects a broken one, offline', async () => {
    const files = await generate(CASES[0]);
    const dir = mkdtempSync(join(tmpdir(), 'sc-ci-'));
    try {
      mkdirSync(join(dir, '.github/workflows'), { recursive: true });
      const good = join(dir, '.github/workflows/container.yml');
      writeFileSync(good, files.get(GITHUB_WORKFLOW) ?? '');
      const bin = join(REPO, 'node_modules/@action-validator/cli/cli.mjs');
      execFileSync(process.execPath, [bin, good], { cwd: dir, stdio: 'pipe' });
      const bad = join(dir, '.github/workflows/bad.yml');
      writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
      expect(() => execFileSync(process.execPath, [bin, bad], { cwd: dir, stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
