// Preset extension points (issue 17): typed additions at named points, the self-check that refuses
// unsafe additions naming the preset field and the rule, the scaffold and `preset test`.
import { describe, it, expect, afterAll } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseYaml, stringify } from 'yaml';
import { resolveAnswers } from '../../lib/core/answers/resolve.js';
import type { GeneratedFile, Runtime } from '../../lib/core/types.js';
import { buildFiles } from '../../lib/flow/generate.js';
import { loadPresetInput } from '../../lib/preset/bridge.js';
import { checkPresetContent, renderPresetTemplate, templateProblem } from '../../lib/preset/extend.js';
import { PresetError } from '../../lib/preset/types.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { runPresetCli } from '../../lib/cli/preset.js';
import { scaffoldPreset } from '../../lib/preset/scaffold.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ACME = join(ROOT, 'presets/acme-platform/preset.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'sc-extend-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A preset file in a fresh directory (with its templates), from an object. */
let n = 0;
function presetFile(doc: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = join(tmp, `p${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  writeFileSync(join(dir, 'preset.yaml'), stringify({ name: 'acme', version: '1.2.0', ...doc }));
  return join(dir, 'preset.yaml');
}

/** Generate a sample app of `runtime` with the preset (what init does, minus the repository). */
async function generateWith(ref: string, runtime: Runtime = 'node', flavor = 'distroless') {
  const preset = await loadPresetInput(ref, ROOT, { origin: 'explicit' });
  const p = profileFor(runtime);
  const facts = { runtime: { value: runtime, source: 'test' } };
  const { answers } = resolveAnswers({
    facts,
    layout: { manifests: [] },
    dirName: 'demo',
    cli: { name: 'demo', start: p.startExample('demo').replace(/^"|"$/g, ''), flavor },
    locked: preset.locked,
    presetDefaults: preset.defaults,
    presetName: preset.name,
  });
  const built = buildFiles(answers, p.layout(facts, answers, {}), preset.build);
  return { ...built, preset };
}

function file(files: readonly GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} not generated`);
  return f.contents;
}

async function refusal(doc: Record<string, unknown>, files: Record<string, string> = {}): Promise<string> {
  try {
    const g = await generateWith(presetFile(doc, files));
    checkPresetContent(g.spec, g.files, g.preset.build.policy);
  } catch (e) {
    expect(e).toBeInstanceOf(PresetError);
    return (e as Error).message;
  }
  throw new Error('expected the preset to be refused');
}

/** Stages of a Dockerfile: name and instruction lines (keyword + args), parsed with dockerfile-ast. */
function stages(text: string): { name: string; lines: string[] }[] {
  const out: { name: string; lines: string[] }[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const kw = ins.getKeyword();
    if (kw === 'FROM') out.push({ name: ins.getArguments().at(-1)?.getValue() ?? '', lines: [] });
    else out.at(-1)?.lines.push(ins.getTextContent().replace(/\\\n\s*/g, ' '));
  }
  return out;
}

describe('the example preset presets/acme-platform', () => {
  it('places its instructions at the named points of every stage it targets', async () => {
    const { files, findings } = await generateWith(ACME);
    const df = file(files, 'Dockerfile');
    const all = stages(df);
    const deps = all.at(0);
    const final = all.at(-1);
    if (!deps || !final) throw new Error('no stages');
    // build stage: proxy ARGs and the CA right after WORKDIR, before the install
    expect(deps.lines.slice(0, 4)).toEqual(['WORKDIR /app', 'ARG HTTP_PROXY', 'ARG HTTPS_PROXY', 'ARG NO_PROXY']);
    const install = deps.lines.findIndex((l) => l.startsWith('RUN'));
    const ca = deps.lines.findIndex((l) => l.includes('/certs/corp-ca.crt'));
    expect(ca).toBeGreaterThan(0);
    expect(ca).toBeLessThan(install);
    // final stage: no ARG of the proxy, the agent and the bundle copied before USER, env after WORKDIR
    expect(final.lines.some((l) => /PROXY/.test(l))).toBe(false);
    const user = final.lines.findIndex((l) => l.startsWith('USER'));
    const agent = final.lines.findIndex((l) => l.includes('otel-agent:1.32.0'));
    expect(agent).toBeGreaterThan(-1);
    expect(agent).toBeLessThan(user);
    expect(final.lines[user]).toBe('USER 65532:65532');
    // owned by root: no --chown on anything the preset copies
    expect(final.lines.filter((l) => l.includes('registry.acme.example')).every((l) => !l.includes('--chown'))).toBe(
      true,
    );
    expect(final.lines).toContain('ENV NODE_EXTRA_CA_CERTS="/etc/ssl/certs/corp-ca.crt"');
    expect(df).toMatch(/^# Team preset: acme-platform 1\.2\.0;/m);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('final.afterCopy follows the app’s own COPY lines; build.afterInstall ends each build stage; @build names it', async () => {
    const ref = presetFile({
      dockerfile: {
        'build.afterInstall': [{ run: ['sh', '-c', 'echo built > /tmp/marker'] }],
        'final.afterCopy': [{ copy: { from: '@build', src: '/tmp/marker', dest: '/opt/marker' } }],
        'final.beforeUser': [{ env: { AFTER: 'copy' } }],
      },
    });
    const { files } = await generateWith(ref, 'go');
    const all = stages(file(files, 'Dockerfile'));
    const build = all.at(0);
    const final = all.at(-1);
    if (!build || !final) throw new Error('no stages');
    expect(build.lines.at(-1)).toBe('RUN ["sh", "-c", "echo built > /tmp/marker"]');
    const app = final.lines.reduce((at, l, i) => (l.startsWith('COPY --from=build /out/') ? i : at), -1);
    const marker = final.lines.indexOf('COPY --from=build /tmp/marker /opt/marker');
    const env = final.lines.indexOf('ENV AFTER="copy"');
    expect(app).toBeGreaterThan(-1);
    expect(marker).toBe(app + 1);
    expect(env).toBeGreaterThan(marker);
    expect(final.lines[env + 1]).toMatch(/^USER /);
  });

  it('merges the sidecar and the app settings into compose.yaml as objects, and adds the file', async () => {
    const { files } = await generateWith(ACME);
    const compose = parseYaml(file(files, 'compose.yaml')) as { services: Record<string, Record<string, unknown>> };
    const shipper = compose.services['log-shipper'];
    expect(shipper).toMatchObject({ user: '10001:10001', read_only: true, cap_drop: ['ALL'] });
    expect(compose.services.demo.labels).toEqual({ 'com.acme.logs': 'ship' });
    // the generated hardening of the app is untouched
    expect(compose.services.demo).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
    expect(file(files, '.dockerignore').trimEnd().split('\n').slice(-2)).toEqual(['*.tfstate', '.terraform']);
    const doc = file(files, 'docs/acme-platform.md');
    expect(doc).toContain('# demo on the ACME platform');
    expect(doc).toContain('`acme-platform` preset 1.2.0');
    expect(doc).not.toContain('<%');
  });
});

describe('unsafe additions are refused with the preset field and the rule', () => {
  const hardened = {
    image: 'registry.acme.example/x/shipper:1.0.0',
    user: '10001:10001',
    read_only: true,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    mem_limit: '64m',
    pids_limit: 32,
    cpus: 0.1,
    restart: 'on-failure:3',
  };
  const base = { registry: 'registry.acme.example/mirror', allowedRegistries: ['registry.acme.example'] };

  it('a root sidecar', async () => {
    const m = await refusal({ ...base, compose: { services: { shipper: { ...hardened, user: '0' } } } });
    expect(m).toMatch(/^preset acme 1\.2\.0: compose\.services\.shipper\.user: SC2013 /m);
  });

  it('a port on every interface, even when the preset turns the rule off for audits', async () => {
    const m = await refusal({
      ...base,
      audit: { severity: { SC2009: 'off' } },
      compose: { services: { shipper: { ...hardened, ports: ['9000:9000'] } } },
    });
    expect(m).toMatch(/compose\.services\.shipper\.ports(\[0\])?: SC2009 /);
  });

  it('weakening the app (read_only: false)', async () => {
    const m = await refusal({ ...base, compose: { app: { read_only: false } } });
    expect(m).toMatch(/compose\.app\.read_only: SC\d{4} /);
  });

  it('a secret-looking value (never echoed)', async () => {
    const token = 'ghp_' + 'a1B2'.repeat(10);
    const m = await refusal({ ...base, dockerfile: { 'final.env': { GITHUB_HOME: token } } });
    expect(m).toMatch(/dockerfile\.final\.env\.GITHUB_HOME: P4 /);
    expect(m).not.toContain(token);
  });

  it('a secret-named build argument', async () => {
    const m = await refusal({ ...base, dockerfile: { 'build.beforeInstall': [{ arg: 'NPM_TOKEN' }] } });
    expect(m).toMatch(/dockerfile\.build\.beforeInstall\[0\]\.arg: SC1012 /);
  });

  it('a COPY from an image outside the allowed registries, or unpinned', async () => {
    const m = await refusal({
      ...base,
      dockerfile: {
        'final.beforeUser': [
          { copy: { from: 'docker.io/someone/agent:1.0', src: '/a', dest: '/opt/a' } },
          { copy: { from: 'registry.acme.example/agent', src: '/a', dest: '/opt/b' } },
        ],
      },
    });
    expect(m).toMatch(/dockerfile\.final\.beforeUser\[0\]\.copy\.from: SC1005 /);
    expect(m).toMatch(/dockerfile\.final\.beforeUser\[1\]\.copy\.from: SC1004 /);
  });

  it('a shell-form entrypoint of a sidecar', async () => {
    const m = await refusal({
      ...base,
      compose: { services: { shipper: { ...hardened, entrypoint: 'sh -c "ship || true"' } } },
    });
    expect(m).toMatch(/compose\.services\.shipper\.entrypoint: SC1022 /);
  });

  it('an ADD (or USER) instruction is not in the closed set: the schema names the field', async () => {
    await expect(
      loadPresetInput(presetFile({ dockerfile: { 'final.beforeUser': [{ add: { src: 'https://x/a' } }] } }), ROOT, {
        origin: 'explicit',
      }),
    ).rejects.toThrow(/dockerfile\["final\.beforeUser"\]\[0\]: unknown field "add"/);
    await expect(
      loadPresetInput(presetFile({ dockerfile: { 'final.beforeUser': [{ user: 'root' }] } }), ROOT, {
        origin: 'explicit',
      }),
    ).rejects.toThrow(/unknown field "user"/);
    // build arguments stay in the build stages
    await expect(
      loadPresetInput(presetFile({ dockerfile: { 'final.beforeUser': [{ arg: 'HTTP_PROXY' }] } }), ROOT, {
        origin: 'explicit',
      }),
    ).rejects.toThrow(/unknown field "arg"/);
  });

  it('extra files: never a generated file, never outside the root, templates never executed', async () => {
    const tpl = { 'x.ejs': 'hello <%= name %>\n' };
    expect(await refusal({ files: [{ path: 'Dockerfile', template: 'x.ejs' }] }, tpl)).toMatch(
      /files\[0\]\.path: Dockerfile is a file the generator writes/,
    );
    await expect(
      loadPresetInput(presetFile({ files: [{ path: '../escape.md', template: 'x.ejs' }] }, tpl), ROOT, {
        origin: 'explicit',
      }),
    ).rejects.toThrow(/files\[0\]\.path: must match/);
    await expect(
      loadPresetInput(
        presetFile({ files: [{ path: 'a.md', template: 'x.ejs' }] }, { 'x.ejs': '<% process.exit(1) %>' }),
        ROOT,
        { origin: 'explicit' },
      ),
    ).rejects.toThrow(/files\[0\]\.template: only <%= path %>/);
    await expect(
      loadPresetInput(presetFile({ files: [{ path: 'a.md', template: '../p0/preset.yaml' }] }), ROOT, {
        origin: 'explicit',
      }),
    ).rejects.toThrow(/files\[0\]\.template: must match/);
  });

  it('template tags are dotted paths into the data; `-%>` drops the newline', () => {
    expect(templateProblem('<%= name %> <%# note %>')).toBeNull();
    expect(templateProblem('<%- name %>')).not.toBeNull();
    expect(templateProblem('<%= name.toUpperCase() %>')).not.toBeNull();
    expect(renderPresetTemplate('<%# c -%>\n<%= a.b %>|<%= missing %>|<%= a %>', { a: { b: 'x' } })).toBe('x||');
  });
});

describe('secure-container preset new | test', () => {
  function io(cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    return {
      io: { cwd, stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) },
      out: () => out.join(''),
      err: () => err.join(''),
    };
  }

  it('scaffolds a package whose preset passes its own test on every runtime × flavour', async () => {
    const cwd = mkdtempSync(join(tmp, 'new-'));
    const a = io(cwd);
    expect(await runPresetCli(['new', '@acme/secure-container-preset'], a.io)).toBe(0);
    const dir = join(cwd, 'secure-container-preset');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.keywords).toEqual(['secure-container-preset']);
    expect(pkg['secure-container-preset']).toBe('preset.yaml');
    expect(pkg.exports).toMatchObject({ './preset.yaml': './preset.yaml' });
    expect(readFileSync(join(dir, 'preset.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
    const t = io(cwd);
    expect(await runPresetCli(['test', dir], t.io)).toBe(0);
    expect(t.out()).toMatch(/all 23 passed/);
    expect(t.out()).toMatch(/^node {5}distroless {2}ok/m);
    // a second scaffold into the same directory writes nothing
    const again = io(cwd);
    expect(await runPresetCli(['new', '@acme/secure-container-preset'], again.io)).toBe(2);
    expect(again.err()).toMatch(/exists and is not empty/);
  });

  it('test fails (exit 1) with a table naming the field when the preset is unsafe', async () => {
    const cwd = mkdtempSync(join(tmp, 'bad-'));
    cpSync(join(ROOT, 'presets/acme-platform'), cwd, { recursive: true });
    const text = readFileSync(join(cwd, 'preset.yaml'), 'utf8').replace("user: '10001:10001'", "user: 'root'");
    writeFileSync(join(cwd, 'preset.yaml'), text);
    const t = io(cwd);
    expect(await runPresetCli(['test'], t.io)).toBe(1);
    expect(t.out()).toMatch(/^node {5}distroless {2}FAIL/m);
    expect(t.out()).toMatch(/compose\.services\.log-shipper\.user: SC2013/);
  });

  it('an invalid name or an invalid preset is a usage error / INVALID', async () => {
    expect(() => scaffoldPreset('Bad Name')).toThrow(/not an npm package name/);
    const t = io(tmp);
    expect(await runPresetCli(['test', presetFile({ dockerfile: { nope: [] } })], t.io)).toBe(1);
    expect(t.out()).toMatch(/INVALID/);
    expect(t.out()).toMatch(/unknown field "nope"/);
  });
});
