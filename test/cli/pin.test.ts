// `secure-container pin` and --pin-digests against a local OCI registry (test/registry-client/
// fake-registry.ts on 127.0.0.1; never the internet): the finder keeps formatting and comments,
// --check/--dry-run/write, the generated files pinned through a --registry mirror, the digests
// recorded for upgrade, and the state moved by `pin`.
import { afterEach, describe, expect, it } from '@jest/globals';
import { DockerfileParser } from 'dockerfile-ast';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runInit } from '../../lib/cli/init.js';
import { runPin } from '../../lib/cli/pin.js';
import { runUpgradeCli } from '../../lib/cli/upgrade.js';
import { splitImageRef } from '../../lib/policy/image.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { applyDigests, composeImages, dockerfileImages, imagesIn } from '../../lib/registry-client/refs.js';
import { composeSchemaErrors } from '../helpers/compose-schema.js';
import {
  digestOf,
  manifestOf,
  OCI_INDEX,
  startFakeRegistry,
  type FakeRegistry,
} from '../registry-client/fake-registry.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const dirs: string[] = [];
let server: FakeRegistry | undefined;
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await server?.close();
  server = undefined;
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'sc-pin-'));
  dirs.push(d);
  return d;
}
async function run(fn: typeof runPin, dir: string, argv: string[]) {
  let out = '';
  let err = '';
  const code = await fn(argv, { cwd: dir, stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('the image finder', () => {
  const dockerfile = [
    '# syntax=docker/dockerfile:1',
    'ARG BASE=node:22',
    '# the builder',
    'FROM --platform=$BUILDPLATFORM node:22-bookworm-slim AS build',
    'COPY --from=composer:2.8 /usr/bin/composer /usr/bin/composer',
    'COPY --from=build /a /b',
    'FROM build AS test',
    'FROM $BASE AS varied',
    'FROM scratch AS empty',
    'FROM gcr.io/distroless/nodejs22-debian12:nonroot@' + D1 + '   AS runtime   # trailing',
    'COPY --from=0 /x /y',
    'FROM untagged',
    '',
  ].join('\r\n');

  it('finds FROM and COPY --from images, not stages, variables, scratch or untagged names', () => {
    const found = dockerfileImages(dockerfile);
    expect(found.map((o) => [o.line, o.kind, o.ref, o.digest])).toEqual([
      [1, 'syntax', 'docker/dockerfile:1', null],
      [4, 'from', 'node:22-bookworm-slim', null],
      [5, 'copy-from', 'composer:2.8', null],
      [10, 'from', 'gcr.io/distroless/nodejs22-debian12:nonroot', D1],
    ]);
  });

  it('pins the `# syntax=` frontend only where BuildKit reads it: the parser directives at the top', () => {
    const at = (text: string) => dockerfileImages(text).filter((o) => o.kind === 'syntax');
    const spaced = `#  syntax = registry.example.com/docker/dockerfile:1.7@${D1}\nFROM node:22\n`;
    expect(at(spaced).map((o) => [o.line, o.ref, o.digest])).toEqual([
      [1, 'registry.example.com/docker/dockerfile:1.7', D1],
    ]);
    expect(applyDigests(spaced, at(spaced), { 'registry.example.com/docker/dockerfile:1.7': D2 })).toBe(
      `#  syntax = registry.example.com/docker/dockerfile:1.7@${D2}\nFROM node:22\n`,
    );
    // after the escape directive: still a directive
    expect(at('# escape=`\n# syntax=docker/dockerfile:1\nFROM node:22\n')).toHaveLength(1);
    // after an ordinary comment or an instruction it is a comment; untagged: nothing to pin
    expect(at('# build me\n# syntax=docker/dockerfile:1\nFROM node:22\n')).toEqual([]);
    expect(at('FROM node:22\n# syntax=docker/dockerfile:1\n')).toEqual([]);
    expect(at('# syntax=docker/dockerfile\nFROM node:22\n')).toEqual([]);
  });

  it('rewrites only the references: every other byte stays (CRLF, comments, spacing)', () => {
    const digests = {
      'node:22-bookworm-slim': D2,
      'composer:2.8': D2,
      'gcr.io/distroless/nodejs22-debian12:nonroot': D2,
    };
    const after = applyDigests(dockerfile, dockerfileImages(dockerfile), digests);
    const before = dockerfile.split('\r\n');
    const lines = after.split('\r\n');
    expect(lines).toHaveLength(before.length);
    expect(lines[3]).toBe(`FROM --platform=$BUILDPLATFORM node:22-bookworm-slim@${D2} AS build`);
    expect(lines[4]).toBe(`COPY --from=composer:2.8@${D2} /usr/bin/composer /usr/bin/composer`);
    expect(lines[9]).toBe(`FROM gcr.io/distroless/nodejs22-debian12:nonroot@${D2}   AS runtime   # trailing`);
    for (const i of [0, 1, 2, 5, 6, 7, 8, 10, 11]) expect(lines[i]).toBe(before[i]);
    // the parser reads the digest back
    const froms = DockerfileParser.parse(after).getFROMs();
    expect(froms[0]?.getImageDigest()).toBe(D2);
  });

  it('finds GitLab job images and services and the BuildKit image of CI files, not variables', () => {
    const gitlab = [
      'variables:',
      '  image: not-an-image:1',
      '.docker:',
      '  image: docker:28.5.1',
      '  services:',
      '    - name: "docker:28.5.1-dind"',
      '      alias: docker',
      '    - postgres:17',
      '  before_script:',
      '    - docker buildx create --use --driver docker-container --driver-opt image=mirror.example/moby/buildkit:buildx-stable-1',
      'scan:',
      '  image:',
      `    name: ghcr.io/aquasecurity/trivy:0.72.0@${D1}`,
      '    entrypoint: [""]',
      'lint:',
      '  image: $CI_REGISTRY_IMAGE/lint:1',
      '',
    ].join('\n');
    expect(imagesIn('.gitlab-ci.yml', gitlab).map((o) => [o.line, o.ref, o.digest])).toEqual([
      [4, 'docker:28.5.1', null],
      [6, 'docker:28.5.1-dind', null],
      [8, 'postgres:17', null],
      [10, 'mirror.example/moby/buildkit:buildx-stable-1', null],
      [13, 'ghcr.io/aquasecurity/trivy:0.72.0', D1],
    ]);
    const after = applyDigests(gitlab, imagesIn('.gitlab-ci.yml', gitlab), {
      'docker:28.5.1-dind': D2,
      'mirror.example/moby/buildkit:buildx-stable-1': D2,
    });
    expect(after.split('\n')[5]).toBe(`    - name: "docker:28.5.1-dind@${D2}"`);
    expect(after.split('\n')[9]).toMatch(new RegExp(`image=mirror\\.example/moby/buildkit:buildx-stable-1@${D2}$`));
    const workflow =
      'jobs:\n  b:\n    steps:\n      - uses: x/y@0123\n        with:\n          driver-opts: image=m.example/moby/buildkit:v0.20.0\n';
    expect(imagesIn('.github/workflows/container.yml', workflow).map((o) => [o.line, o.ref])).toEqual([
      [6, 'm.example/moby/buildkit:v0.20.0'],
    ]);
    expect(imagesIn('docs/container.yml', workflow)).toEqual([]);
  });

  it('finds compose images of services not built here, keeping quotes and comments', () => {
    const compose = [
      '# top comment',
      'services:',
      '  app:',
      '    build: .',
      '    image: app:local',
      '  db:',
      '    image: "postgres:17-alpine"   # P7',
      '  cache:',
      "    image: 'redis:7.4-alpine@" + D1 + "'",
      '  plain:',
      '    image: mirror.corp:5000/hub/docker.io/hashicorp/vault:1.18',
      '  var:',
      '    image: ${IMAGE:-nginx:1.27}',
      '',
    ].join('\n');
    const found = composeImages(compose);
    expect(found.map((o) => [o.line, o.ref, o.digest])).toEqual([
      [7, 'postgres:17-alpine', null],
      [9, 'redis:7.4-alpine', D1],
      [11, 'mirror.corp:5000/hub/docker.io/hashicorp/vault:1.18', null],
    ]);
    const after = applyDigests(compose, found, {
      'postgres:17-alpine': D2,
      'redis:7.4-alpine': D2,
      'mirror.corp:5000/hub/docker.io/hashicorp/vault:1.18': D2,
    });
    expect(after.split('\n')[6]).toBe(`    image: "postgres:17-alpine@${D2}"   # P7`);
    expect(after.split('\n')[8]).toBe(`    image: 'redis:7.4-alpine@${D2}'`);
    const doc = parse(after) as { services: Record<string, { image: string }> };
    expect(doc.services['plain'].image).toBe(`mirror.corp:5000/hub/docker.io/hashicorp/vault:1.18@${D2}`);
    expect(composeImages('services: [')).toEqual([]);
  });
});

describe('secure-container pin on any repository', () => {
  const index = manifestOf(OCI_INDEX);
  const DIGEST = digestOf(index.body);

  async function repo(): Promise<{ dir: string; host: string }> {
    server = await startFakeRegistry({ manifests: {}, fallback: index, auth: true });
    const dir = tmp();
    const host = server.host;
    writeFileSync(
      join(dir, 'Dockerfile'),
      `# base from the local mirror\nFROM ${host}/library/node:22 AS build\nRUN echo hi\nFROM ${host}/distroless/nodejs22-debian12:nonroot@${D1}\n`,
    );
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  db:\n    # pinned by pin\n    image: "${host}/library/postgres:17"\n`,
    );
    return { dir, host };
  }

  it('--check exits 1 listing the stale and unpinned; --dry-run writes nothing; pin writes; then --check is clean', async () => {
    const { dir, host } = await repo();
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const check = await run(runPin, dir, ['--check']);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(new RegExp(`Dockerfile:2: ${host}/library/node:22 unpinned; now sha256:`));
    expect(check.out).toMatch(/Dockerfile:4: .* pinned to sha256:1{12}…, now/);
    expect(check.out).toMatch(/compose\.yaml:4: /);
    expect(check.out).toMatch(/run: npx generator-secure-container pin/);

    const dry = await run(runPin, dir, ['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^\+FROM .*node:22@sha256:/m);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(before);

    const pin = await run(runPin, dir, []);
    expect(pin.code).toBe(0);
    expect(pin.out).toMatch(/Pinned 3 reference\(s\) in 2 file\(s\)/);
    const after = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(after).toBe(
      `# base from the local mirror\nFROM ${host}/library/node:22@${DIGEST} AS build\nRUN echo hi\nFROM ${host}/distroless/nodejs22-debian12:nonroot@${DIGEST}\n`,
    );
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(
      `services:\n  db:\n    # pinned by pin\n    image: "${host}/library/postgres:17@${DIGEST}"\n`,
    );
    expect((await run(runPin, dir, ['--check'])).code).toBe(0);
  });

  it('an unreachable registry: one line naming the image and the registry, exit 2, nothing written', async () => {
    const { dir, host } = await repo();
    await server?.close();
    server = undefined;
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const r = await run(runPin, dir, ['--timeout', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^secure-container pin: cannot resolve the digest of ${host}/\\S+ from ${host}: .*\\nNothing was written\\.\\n$`,
      ),
    );
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(before);
  });

  it('refuses bad flags with the flag named', async () => {
    const dir = tmp();
    expect((await run(runPin, dir, ['--timeout', 'soon'])).err).toMatch(/--timeout: "soon" is not a whole number/);
    expect((await run(runPin, dir, ['--insecure-registry', 'a b'])).err).toMatch(/--insecure-registry: "a b"/);
    expect((await run(runPin, dir, ['--bogus'])).code).toBe(2);
    expect((await run(runPin, dir, ['--help'])).out).toMatch(/^Usage: secure-container pin/);
  });
});

describe('--pin-digests in generation', () => {
  const example = fileURLToPath(new URL('../../../examples/node-app', import.meta.url));
  const first = manifestOf(OCI_INDEX);
  const second = manifestOf(OCI_INDEX, { annotations: { 'org.opencontainers.image.revision': 'next' } });

  async function generated(
    extra: string[] = [],
  ): Promise<{ dir: string; host: string; init: Awaited<ReturnType<typeof run>> }> {
    server = await startFakeRegistry({ manifests: {}, fallback: first, auth: true });
    const dir = tmp();
    cpSync(example, dir, { recursive: true });
    const init = await run(runInit, dir, [
      '--yes',
      `--registry=${server.host}`,
      '--pin-digests',
      '--service',
      'postgres',
      ...extra,
    ]);
    return { dir, host: server.host, init };
  }

  it('pins every FROM and compose image through the mirror; the files parse and pass the audit', async () => {
    const { dir, host, init } = await generated();
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const froms = DockerfileParser.parse(dockerfile).getFROMs();
    expect(froms.length).toBeGreaterThan(1);
    for (const f of froms) {
      expect(f.getImage()?.startsWith(`${host}/docker.io/`) || f.getImage()?.startsWith(`${host}/gcr.io/`)).toBe(true);
      expect(f.getImageDigest()).toBe(digestOf(first.body));
      // (dockerfile-ast reads no tag after a host:port with a digest: the project's own parser does)
      expect(splitImageRef(f.getImage() ?? '').tag).toBeTruthy();
    }
    // the BuildKit frontend of the `# syntax=` line, through the mirror and pinned like the bases
    expect(dockerfile.split('\n')[0]).toBe(`# syntax=${host}/docker.io/docker/dockerfile:1@${digestOf(first.body)}`);
    const composeText = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    const compose = parse(composeText) as { services: Record<string, { image: string; build?: unknown }> };
    expect(composeSchemaErrors(compose)).toEqual([]);
    expect(compose.services['postgres'].image).toMatch(
      new RegExp(`^${host}/docker\\.io/library/postgres:[^@]+@${digestOf(first.body)}$`),
    );
    for (const [name, svc] of Object.entries(compose.services))
      if (!svc.build) expect([name, svc.image]).toEqual([name, expect.stringMatching(/:[^/@]+@sha256:[0-9a-f]{64}$/)]);
    // the audit, digest rules included (SC1005 trusts a pinned COPY --from, SC1031/SC2xxx accept a digest)
    const findings = auditGenerated([
      { path: 'Dockerfile', contents: dockerfile },
      { path: 'compose.yaml', contents: composeText },
    ]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    // recorded for upgrade
    const yo = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<
      string,
      { digests: Record<string, string> }
    >;
    const recorded = yo['generator-secure-container'].digests;
    expect(Object.keys(recorded).length).toBeGreaterThan(1);
    expect(Object.values(recorded).every((d) => d === digestOf(first.body))).toBe(true);
    // README.Docker.md says how to move the pins, naming our package
    const readme = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
    expect(readme).toContain('## Base image updates');
    expect(readme).toMatch(/^npx generator-secure-container pin --check {3}# exit 1 when a pin is stale$/m);
  });

  it('--ci gitlab / github: the job images, the dind service and the BuildKit image are pinned too', async () => {
    const { dir, host, init } = await generated(['--ci', 'gitlab']);
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    const pipeline = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
    const found = imagesIn('.gitlab-ci.yml', pipeline);
    // docker, dind, trivy, node (audit job) and BuildKit
    expect(found.map((o) => o.ref.split('/').pop()?.split(':')[0]).sort()).toEqual([
      'buildkit',
      'docker',
      'docker',
      'node',
      'trivy',
    ]);
    for (const o of found) {
      expect(o.ref.startsWith(`${host}/`)).toBe(true);
      expect(o.digest).toBe(digestOf(first.body));
    }
    expect(parse(pipeline)).toBeTruthy();
    // `pin --check` reads the pipeline too: all pinned to what the registry says now
    const check = await run(runPin, dir, ['--check']);
    expect([check.code, check.err]).toEqual([0, '']);
    await server?.close();
    const gh = await generated(['--ci', 'github']);
    expect(gh.init.code).toBe(0);
    const workflow = readFileSync(join(gh.dir, '.github/workflows/container.yml'), 'utf8');
    const ghHost = gh.host.replace(/\./g, '\\.');
    expect(workflow).toMatch(
      new RegExp(`driver-opts: image=${ghHost}/docker\\.io/moby/buildkit:buildx-stable-1@sha256:[0-9a-f]{64}$`, 'm'),
    );
  });

  it('upgrade reuses the recorded digests without the network; pin moves them and the state with them', async () => {
    const { dir, host } = await generated();
    const port = Number(host.split(':')[1]);
    // the registry goes away: upgrade --check still renders the same pins from .yo-rc.json
    await server?.close();
    server = undefined;
    expect((await run(runUpgradeCli, dir, ['--check'])).code).toBe(0);
    // the same registry comes back and its tags have moved
    server = await startFakeRegistry({ manifests: {}, fallback: second, auth: true, port });
    const check = await run(runPin, dir, ['--check']);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/Dockerfile:\d+: .* pinned to sha256:/);
    const pin = await run(runPin, dir, []);
    expect(pin.code).toBe(0);
    const now = digestOf(second.body);
    for (const f of DockerfileParser.parse(readFileSync(join(dir, 'Dockerfile'), 'utf8')).getFROMs())
      expect(f.getImageDigest()).toBe(now);
    const yo = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<
      string,
      { digests: Record<string, string> }
    >;
    expect(Object.values(yo['generator-secure-container'].digests).every((d) => d === now)).toBe(true);
    // the pristine copies moved too: no drift, and upgrade renders the new pins (offline again)
    await server.close();
    server = undefined;
    const drift = await run(runUpgradeCli, dir, ['--check']);
    expect(drift.out).toMatch(/^up to date/);
    expect(drift.code).toBe(0);
  });

  it('an unreachable registry fails init with one line, nothing written', async () => {
    const dir = tmp();
    cpSync(example, dir, { recursive: true });
    const r = await run(runInit, dir, ['--yes', '--registry=127.0.0.1:9', '--pin-digests']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^secure-container: --pin-digests: cannot resolve the digest of 127\.0\.0\.1:9\/\S+ from 127\.0\.0\.1:9: .*\nNothing was written\.\n$/,
    );
    expect(() => readFileSync(join(dir, 'Dockerfile'), 'utf8')).toThrow();
  });
});
