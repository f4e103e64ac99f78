// --package-registry / --package-registry-secret (issue 19): for every runtime the generated
// Dockerfile (parsed with dockerfile-ast) points the install step at the registry, mounts the secret
// on that RUN only (required), and puts no credential in an ARG, ENV or COPY; the files pass the
// self-check; a URL with credentials or a non-https URL is refused with one line naming the flag.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runInit } from '../../lib/cli/init.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { parsePackageRegistry } from '../../lib/runtimes/package-registry.js';
import { scanBuildContext, secretPatterns } from '../../lib/policy/context.js';
import { parseDockerfile, type Instr } from '../helpers/dockerfile.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gen(files: Record<string, string>, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-pkgreg-'));
  dirs.push(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInit(['--yes', ...args], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  const read = (p: string): string => readFileSync(join(dir, p), 'utf8');
  return { code, out: out.join(''), err: err.join(''), read, has: (p: string) => existsSync(join(dir, p)), dir };
}

const URL_ = 'https://registry.internal.example/repo/';
const SECRET = 'reg_auth';
const SECRET_MOUNT = `type=secret,id=${SECRET},required=true`;

const pom =
  '<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>g</groupId>\n  <artifactId>demo-app</artifactId>\n  <version>1.0</version>\n  <build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>g.Main</mainClass></manifest></archive></configuration></plugin></plugins></build>\n</project>\n';

/** One small app per runtime and tool, the flags that pin what detection may not settle, and what the install RUN must contain. */
const CASES: { name: string; files: Record<string, string>; args: string[]; expect: RegExp[] }[] = [
  {
    name: 'node npm',
    files: {
      'package.json': JSON.stringify({
        name: 'web',
        scripts: { start: 'node server.js' },
        dependencies: { left: '1' },
      }),
      'package-lock.json': JSON.stringify({ name: 'web', lockfileVersion: 3, packages: {} }),
      'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n',
    },
    args: [],
    expect: [
      /export NPM_CONFIG_REGISTRY="https:\/\/registry\.internal\.example\/repo\/"/,
      /'\/\/registry\.internal\.example\/repo\/:_authToken=\$\{SC_REGISTRY_TOKEN\}' > "\$HOME\/\.npmrc"/,
      /npm ci --omit=dev[^\n]*\n?.*rm -f "\$HOME\/\.npmrc"/s,
    ],
  },
  {
    name: 'node pnpm',
    files: {
      'package.json': JSON.stringify({
        name: 'web',
        scripts: { start: 'node server.js' },
        dependencies: { left: '1' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n',
    },
    args: ['--package-manager', 'pnpm'],
    expect: [
      /export COREPACK_NPM_REGISTRY="https:\/\/registry\.internal\.example\/repo"/,
      /COREPACK_NPM_TOKEN/,
      /pnpm install/,
    ],
  },
  {
    name: 'node yarn berry',
    files: {
      'package.json': JSON.stringify({
        name: 'web',
        scripts: { start: 'node server.js' },
        dependencies: { left: '1' },
      }),
      'yarn.lock': '__metadata:\n  version: 8\n',
      '.yarnrc.yml': 'nodeLinker: node-modules\n',
      'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(3000);\n',
    },
    args: ['--package-manager', 'yarn'],
    expect: [/export YARN_NPM_REGISTRY_SERVER=/, /export YARN_NPM_AUTH_TOKEN="\$SC_REGISTRY_TOKEN"/],
  },
  {
    name: 'bun',
    files: {
      'package.json': JSON.stringify({
        name: 'api',
        scripts: { start: 'bun run src/index.ts' },
        dependencies: { hono: '^4' },
      }),
      'bun.lock': '{}',
      'src/index.ts': 'export default { port: 3000, fetch: () => new Response("ok") };\n',
    },
    args: ['--runtime', 'bun'],
    expect: [/export BUN_CONFIG_REGISTRY=/, /export NPM_CONFIG_TOKEN="\$SC_REGISTRY_TOKEN"/, /bun install/],
  },
  {
    name: 'deno',
    files: {
      'deno.json': JSON.stringify({ tasks: { start: 'deno run -N main.ts' } }),
      'main.ts': 'Deno.serve({ port: 8080 }, () => new Response("ok"));\n',
    },
    args: ['--runtime', 'deno'],
    expect: [/export NPM_CONFIG_REGISTRY=/, /deno install/],
  },
  {
    name: 'python pip',
    files: {
      'requirements.txt': 'flask==3.0.0\ngunicorn==23.0.0\n',
      'app.py': 'import flask\napp = flask.Flask(__name__)\n',
    },
    args: ['--runtime', 'python', '--start', 'python -m gunicorn --bind 0.0.0.0:8000 app:app'],
    expect: [
      /export PIP_INDEX_URL="https:\/\/\$\(cat \/run\/secrets\/reg_auth\)@registry\.internal\.example\/repo\/"/,
      /export UV_INDEX_URL="\$PIP_INDEX_URL"/,
    ],
  },
  {
    name: 'go',
    files: {
      'go.mod': 'module example.com/api\n\ngo 1.24\n\nrequire github.com/x/y v1.0.0\n',
      'go.sum': '',
      'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
    },
    args: ['--runtime', 'go'],
    expect: [
      /export GOPROXY="https:\/\/\$\(cat \/run\/secrets\/reg_auth\)@registry\.internal\.example\/repo\/"/,
      /go mod download/,
    ],
  },
  {
    name: 'ruby',
    files: {
      Gemfile: 'source "https://rubygems.org"\ngem "rack"\ngem "puma"\n',
      'Gemfile.lock':
        'GEM\n  remote: https://rubygems.org/\n  specs:\n    puma (6.4.0)\n    rack (3.0.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  puma\n  rack\n',
      'config.ru': 'run ->(env) { [200, {}, ["ok"]] }\n',
    },
    args: ['--runtime', 'ruby'],
    expect: [
      /bundle config set --global mirror\.https:\/\/rubygems\.org https:\/\/registry\.internal\.example\/repo\//,
      /export BUNDLE_REGISTRY__INTERNAL__EXAMPLE="\$SC_U:\$SC_P"/,
      /bundle install/,
    ],
  },
  {
    name: 'php',
    files: {
      'composer.json': JSON.stringify({ require: { php: '^8.3', 'slim/slim': '^4' } }),
      'composer.lock': JSON.stringify({ packages: [] }),
      'public/index.php': '<?php echo "ok";',
    },
    args: ['--runtime', 'php'],
    expect: [
      /composer config --global repos\.packagist composer https:\/\/registry\.internal\.example\/repo\//,
      /export COMPOSER_AUTH=/,
      /composer config --global --unset repos\.packagist/,
    ],
  },
  {
    name: 'java maven',
    files: {
      'pom.xml': pom,
      'src/main/java/g/Main.java': 'package g; public class Main { public static void main(String[] a) {} }\n',
    },
    args: ['--runtime', 'java', '--port', '8080'],
    expect: [
      /<mirrorOf>\*<\/mirrorOf><url>https:\/\/registry\.internal\.example\/repo\/<\/url>/,
      /<password>\$\{env\.SC_P\}<\/password>/,
      /rm -f \/root\/\.m2\/settings\.xml/,
    ],
  },
  {
    name: 'dotnet',
    files: {
      'App/App.csproj':
        '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n',
      'App/Program.cs': 'var app = WebApplication.Create(args);\napp.MapGet("/", () => "ok");\napp.Run();\n',
    },
    args: ['--runtime', 'dotnet'],
    expect: [
      /<clear \/><add key="packageregistry" value="https:\/\/registry\.internal\.example\/repo\/"/,
      /export NuGetPackageSourceCredentials_packageregistry="Username=\$SC_U;Password=\$SC_P"/,
      /dotnet restore/,
    ],
  },
  {
    name: 'rust',
    files: {
      'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\naxum = "0.8"\n',
      'Cargo.lock': 'version = 3\n\n[[package]]\nname = "svc"\nversion = "0.1.0"\n',
      'src/main.rs': 'fn main() { let _ = std::net::TcpListener::bind("0.0.0.0:8080"); }\n',
    },
    args: ['--runtime', 'rust'],
    expect: [
      /index = "sparse\+https:\/\/registry\.internal\.example\/repo\/"/,
      /export CARGO_REGISTRIES_PACKAGE_REGISTRY_TOKEN="\$\(cat \/run\/secrets\/reg_auth\)"/,
      /cargo fetch/,
    ],
  },
];

const runs = (stages: ReturnType<typeof parseDockerfile>): Instr[] =>
  stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');

describe('--package-registry with --package-registry-secret, per runtime', () => {
  it.each(CASES)(
    '$name: the install RUN uses the registry and mounts the secret; no credential in ARG, ENV or COPY',
    async (c) => {
      const r = await gen(c.files, [...c.args, '--package-registry', URL_, '--package-registry-secret', SECRET]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const text = r.read('Dockerfile');
      const stages = parseDockerfile(text);
      const all = stages.flatMap((s) => s.instructions);
      const withSecret = runs(stages).filter((i) => i.flagList.includes(`mount=${SECRET_MOUNT}`));
      expect(withSecret.length).toBeGreaterThan(0);
      // every RUN that reads the secret mounts it; every registry line sits in a RUN with the mount
      for (const i of runs(stages)) {
        if (i.raw.includes(`/run/secrets/${SECRET}`)) expect(i.flagList).toContain(`mount=${SECRET_MOUNT}`);
      }
      const installText = withSecret.map((i) => i.raw).join('\n');
      for (const re of c.expect) expect(installText.replace(/ {2,}/g, ' ')).toMatch(re);
      // never a credential in ARG/ENV/COPY: no secret name, no userinfo, no registry auth variable there
      for (const i of all.filter((x) => ['ARG', 'ENV', 'COPY', 'ADD', 'LABEL'].includes(x.keyword))) {
        expect(i.raw).not.toMatch(
          /reg_auth|SC_REGISTRY_TOKEN|SC_P\b|_authToken|@registry|\.npmrc|settings\.xml|NuGet\.Config/i,
        );
      }
      // the secret is not a RUN argument on its own (the mount only) and the URL is never printed with credentials
      expect(text).not.toMatch(/https:\/\/[^$\s/]+:[^$\s/]+@/);
      // the audit of the generated Dockerfile passes (SC1034 and SC1012 included)
      const findings = auditGenerated([{ path: 'Dockerfile', contents: text }]).filter((f) => f.severity === 'error');
      expect(findings).toEqual([]);
      // the README and compose pass the secret by name
      const readme = r.read('README.Docker.md');
      expect(readme).toContain(`docker build --secret id=${SECRET},env=REG_AUTH .`);
      expect(readme).toContain(`podman build --secret id=${SECRET},src=`);
      const compose = parseYaml(r.read('compose.yaml')) as {
        services: Record<string, { build?: { secrets?: { source: string; target: string }[] } }>;
        secrets: Record<string, { environment?: string }>;
      };
      const app = Object.values(compose.services).find((s) => s.build !== undefined);
      expect(app?.build?.secrets).toContainEqual({ source: `build-${SECRET}`, target: SECRET });
      expect(compose.secrets[`build-${SECRET}`]).toEqual({ environment: 'REG_AUTH' });
    },
  );

  it('without a secret: the registry URL only, no secret mount, no credential lines', async () => {
    const r = await gen(CASES[0].files, ['--package-registry', URL_]);
    expect(r.code).toBe(0);
    const text = r.read('Dockerfile');
    const stages = parseDockerfile(text);
    const install = runs(stages).find((i) => i.raw.includes('npm ci'));
    expect(install?.raw).toMatch(/export NPM_CONFIG_REGISTRY="https:\/\/registry\.internal\.example\/repo\/"/);
    expect(text).not.toMatch(/type=secret|_authToken|\.npmrc/);
    expect(r.read('compose.yaml')).not.toMatch(/secrets:/);
  });

  it('without --package-registry nothing changes: no registry lines', async () => {
    const r = await gen(CASES[0].files, []);
    expect(r.code).toBe(0);
    expect(r.read('Dockerfile')).not.toMatch(/NPM_CONFIG_REGISTRY|package-registry|type=secret/);
  });
});

describe('the build-context scan knows the registry credential files', () => {
  const files = [
    'pip.conf',
    'conf/pip.ini',
    '.m2/settings.xml',
    'maven/settings-security.xml',
    '.cargo/credentials.toml',
  ];
  it('each is a finding when the .dockerignore lets it in', () => {
    const found = scanBuildContext({ files: [...files, 'server.js'], pruned: [], truncated: false }, '', 'node');
    expect(found.filter((f) => f.rule === 'SC0101').map((f) => f.file)).toEqual(files);
  });
  it('the generated .dockerignore lines keep each out', () => {
    const ignore = secretPatterns('node').join('\n');
    expect(scanBuildContext({ files, pruned: [], truncated: false }, ignore, 'node')).toEqual([]);
  });
});

describe('presets', () => {
  it('the top-level packageRegistry field and fixed.packageRegistrySecret lock the answers', async () => {
    const preset = join(mkdtempSync(join(tmpdir(), 'sc-pkgreg-preset-')), 'mirror.yaml');
    dirs.push(dirname(preset));
    writeFileSync(preset, `name: mirror\npackageRegistry: ${URL_}\nfixed:\n  packageRegistrySecret: npm_token\n`);
    const r = await gen(CASES[0].files, ['--preset', preset]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const install = runs(parseDockerfile(r.read('Dockerfile'))).find((i) => i.raw.includes('npm ci'));
    expect(install?.flagList).toContain('mount=type=secret,id=npm_token,required=true');
    expect(install?.raw).toContain(`export NPM_CONFIG_REGISTRY="${URL_}"`);
    // a flag with another value is refused: the preset locks it
    const other = await gen(CASES[0].files, ['--preset', preset, '--package-registry', 'https://elsewhere.example/']);
    expect(other.code).not.toBe(0);
    expect(other.err).toMatch(/package-registry/);
  });

  it('a preset URL with credentials is refused, naming the field, without echoing them', async () => {
    const preset = join(mkdtempSync(join(tmpdir(), 'sc-pkgreg-preset-')), 'bad.yaml');
    dirs.push(dirname(preset));
    writeFileSync(preset, 'name: bad\npackageRegistry: https://deploy:s3cr3t@npm.internal.example/\n');
    const r = await gen(CASES[0].files, ['--preset', preset]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/packageRegistry: must not contain credentials/);
    expect(r.err).not.toContain('s3cr3t');
    expect(r.has('Dockerfile')).toBe(false);
  });
});

describe('bad input: one line naming the flag, nothing written', () => {
  it.each([
    ['https://deploy:s3cr3t@registry.internal.example/', /--package-registry: must not contain credentials/],
    ['https://tok3n@registry.internal.example/', /--package-registry: must not contain credentials/],
    ['http://registry.internal.example/', /--package-registry: .*must be an https:\/\/ URL/],
    ['ftp://registry.internal.example/', /--package-registry: .*must be an https:\/\/ URL/],
    ['https://registry.internal.example/x?token=1', /--package-registry: .*no \?query/],
    ['not a url', /--package-registry: .*must be an https:\/\/ URL/],
  ])('%s', async (url, re) => {
    const r = await gen(CASES[0].files, ['--package-registry', url]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(re);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(re), 'Nothing was written.']);
    // the credentials are never echoed back
    expect(r.err).not.toMatch(/s3cr3t|tok3n/);
    expect(r.has('Dockerfile')).toBe(false);
  });

  it('a secret without a registry is refused', async () => {
    const r = await gen(CASES[0].files, ['--package-registry-secret', 'npm_token']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--package-registry-secret: .*needs --package-registry/);
    expect(r.has('Dockerfile')).toBe(false);
  });

  it('a secret name that is also a runtime secret is refused', async () => {
    const r = await gen(CASES[0].files, [
      '--package-registry',
      URL_,
      '--package-registry-secret',
      'db',
      '--secret',
      'db',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--package-registry-secret: .*runtime --secret/);
  });

  it('http is allowed for localhost only; the URL is normalised with a trailing slash', () => {
    expect(parsePackageRegistry('http://localhost:4873')).toBe('http://localhost:4873/');
    expect(parsePackageRegistry('http://127.0.0.1:8080/simple')).toBe('http://127.0.0.1:8080/simple/');
    expect(parsePackageRegistry('')).toBe('');
  });
});
