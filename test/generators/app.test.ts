// Generator-level tests with yeoman-test: the real Yeoman generator, run non-interactively and
// interactively (mocked prompts), on small fixture apps; the written files are parsed and checked.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import helpers, { type RunResult } from 'yeoman-test';
import { composeSchemaErrors } from '../helpers/compose-schema.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const generator = join(repo, 'dist/generators/app/index.js');
const APPS: Record<string, string> = {
  node: join(repo, 'examples/node-app'),
  python: join(repo, 'test/fixtures/apps/python'),
  go: join(repo, 'test/fixtures/apps/go'),
};

let result: RunResult | undefined;
const dirs: string[] = [];
const ORIGINAL_CWD = process.cwd();
afterEach(() => {
  // yeoman-test chdirs into the run directory: leave it before deleting it (jest reuses this worker)
  process.chdir(ORIGINAL_CWD);
  // a failing generator run sets process.exitCode (as it should for `yo`); not the test run's
  process.exitCode = undefined;
  result = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every question the generator asked, with its full inquirer config (choices, message, default). */
type Asked = {
  name: string;
  type?: string;
  message?: string;
  choices?: { name: string; value: string; short?: string }[];
};
let asked: Asked[] = [];

/** Run the generator in `dir` (our own temp dir, so a second run can reuse it). */
function runIn(
  dir: string,
  options: Record<string, unknown>,
  prompts?: Record<string, unknown>,
  onPrompt?: (q: Asked) => void,
) {
  const o: Record<string, unknown> = { skipInstall: true, ...options };
  asked = [];
  // a recording spy for the adapter's log (this.log and Yeoman's per-file status lines) and a prompt hook
  const spyFactory = ({ returns }: { returns?: unknown }) => jest.fn(() => returns);
  const callback = (answer: unknown, { question }: { question: Asked }) => {
    asked.push(question);
    onPrompt?.(question);
    return answer;
  };
  let ctx = helpers
    .run(generator, { autoCleanup: false, cwd: dir })
    .withOptions(o)
    .withAdapterOptions({ spyFactory, callback });
  if (prompts) ctx = ctx.withAnswers(prompts);
  return ctx;
}

type LogSpy = jest.Mock & Partial<Record<string, jest.Mock>>;
/** What the run printed through Yeoman's log (the generator's this.log), one string per call. */
function logged(r: RunResult): string {
  const log = (r.env.adapter as unknown as { log: LogSpy }).log;
  return log.mock.calls.map((c) => c.join(' ')).join('\n');
}
/** Yeoman's own per-file status lines (create, force, identical, conflict, skip). */
function statusLines(r: RunResult): string[] {
  const log = (r.env.adapter as unknown as { log: LogSpy }).log;
  return ['create', 'force', 'identical', 'conflict', 'skip'].flatMap((m) =>
    (log[m]?.mock.calls ?? []).map((c) => `${m} ${c.join(' ')}`),
  );
}

/** process.stderr, captured (the generator's one-line errors go there, as the bin's do). */
function captureStderr(): { text: string; restore: () => void } {
  const cap: { text: string; restore: () => void } = { text: '', restore: () => undefined };
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    cap.text += String(s);
    return true;
  });
  cap.restore = () => {
    spy.mockRestore();
  };
  return cap;
}

function run(app: keyof typeof APPS, options: Record<string, unknown>, prompts?: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
  dirs.push(dir);
  cpSync(APPS[app], dir, { recursive: true });
  return runIn(dir, options, prompts);
}

const read = (r: RunResult, f: string): string => readFileSync(join(r.cwd, f), 'utf8');
type Service = {
  user: string;
  ports: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  read_only: boolean;
  cap_drop: string[];
};

const CASES: [string, Record<string, unknown>, number][] = [
  ['node', { flavor: 'distroless' }, 65532],
  ['node', { flavor: 'alpine' }, 10001],
  ['python', { start: 'python app.py', flavor: 'distroless' }, 65532],
  ['python', { start: 'python app.py', flavor: 'alpine', 'runtime-version': '3.12' }, 10001],
  ['go', { flavor: 'distroless' }, 65532],
  ['go', { flavor: 'alpine' }, 10001],
  ['go', { flavor: 'scratch' }, 10001],
];

describe.each(CASES)('yo secure-container --yes on a %s app, %j', (app, opts, uid) => {
  it('writes a Dockerfile with every invariant and a compose.yaml that agrees with it', async () => {
    result = await run(app, { yes: true, 'data-dir': '/data', secret: 'db_password', ...opts });
    const dockerfile = read(result, 'Dockerfile');
    const compose = parseYaml(read(result, 'compose.yaml')) as { services: Record<string, Service> };
    const name = Object.keys(compose.services)[0];
    const svc = compose.services[name];
    const port = Number(
      parseDockerfile(dockerfile)
        .pop()!
        .instructions.find((i) => i.keyword === 'EXPOSE')!.args,
    );
    expect(dockerfileViolations(dockerfile, { uid, gid: uid, port, dataDirs: ['/data'] })).toEqual([]);
    expect(svc.user).toBe(`${uid}:${uid}`);
    expect(svc.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(svc.read_only).toBe(true);
    expect(svc.cap_drop).toEqual(['ALL']);
    expect(
      svc.volumes?.some((v) => (typeof v === 'string' ? v : (v as { target: string }).target).endsWith('/data')),
    ).toBe(true);
    expect(svc.environment?.['DB_PASSWORD_FILE']).toBe('/run/secrets/db_password');
    const yoRc = JSON.parse(read(result, '.yo-rc.json')) as Record<string, { answers: Record<string, unknown> }>;
    expect(yoRc['generator-secure-container'].answers).toMatchObject({
      runtime: app,
      uid,
      dataDirs: ['/data'],
      secrets: ['db_password'],
    });
    if (app === 'go') expect(read(result, 'deploy/healthcheck/main.go')).toMatch(/^\/\/go:build ignore$/m);
  });
});

const PROVIDERS: [string, Record<string, unknown>][] = [
  ['file', {}],
  ['vault', { 'vault-addr': 'https://vault.example.com:8200', 'vault-path': 'api_key=team/api#key' }],
  [
    'aws',
    {
      'aws-region': 'eu-west-1',
      'aws-secret-id': 'api_key=arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf',
    },
  ],
];
const MATRIX = (['node', 'python', 'go'] as const).flatMap((rt) =>
  PROVIDERS.flatMap(
    ([p, o]) =>
      [
        [rt, p, o, []],
        [rt, p, o, ['postgres', 'redis']],
      ] as const,
  ),
);

describe.each(MATRIX)(
  'yo secure-container --yes: %s app, %s provider, services %j',
  (app, provider, providerOpts, services) => {
    it('writes a schema-valid compose.yaml whose every service is hardened and that agrees with the Dockerfile', async () => {
      const start = app === 'python' ? { start: 'python app.py' } : {};
      result = await run(app, {
        yes: true,
        secret: 'db_password,api_key',
        'secret-provider': provider,
        service: [...services],
        'data-dir': '/data',
        ...start,
        ...providerOpts,
      });
      const compose = parseYaml(read(result, 'compose.yaml')) as {
        services: Record<
          string,
          Service & { security_opt: string[]; privileged?: boolean; depends_on?: Record<string, { condition: string }> }
        >;
        networks?: Record<string, { internal?: boolean }>;
      };
      expect(composeSchemaErrors(compose)).toEqual([]);
      const final = parseDockerfile(read(result, 'Dockerfile')).pop()!;
      const user = final.instructions.filter((i) => i.keyword === 'USER').pop()!.args;
      const port = final.instructions.find((i) => i.keyword === 'EXPOSE')!.args;
      const name = JSON.parse(read(result, '.yo-rc.json'))['generator-secure-container'].answers.name as string;
      const appSvc = compose.services[name];
      expect(appSvc.user).toBe(user);
      expect(appSvc.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(appSvc.environment).toMatchObject({
        DB_PASSWORD_FILE: '/run/secrets/db_password',
        API_KEY_FILE: '/run/secrets/api_key',
      });
      for (const [svcName, svc] of Object.entries(compose.services)) {
        expect([svcName, svc.read_only, svc.cap_drop, svc.security_opt]).toEqual([
          svcName,
          true,
          ['ALL'],
          expect.arrayContaining(['no-new-privileges:true']),
        ]);
        expect(svc.privileged).toBeUndefined();
        if (svcName !== name) expect(svc.ports).toBeUndefined();
      }
      for (const s of services) {
        expect(Object.keys(compose.services)).toContain(s);
        expect(appSvc.depends_on?.[s]?.condition).toBe('service_healthy');
      }
      if (services.length) expect(Object.values(compose.networks ?? {}).some((n) => n.internal === true)).toBe(true);
      if (provider === 'vault')
        expect(read(result, 'deploy/vault/agent.hcl')).toMatch(/team\/data\/api|secret\/data\/team\/api/);
      if (provider === 'aws')
        expect(read(result, 'deploy/aws/fetch-secrets.sh')).toMatch(/secretsmanager get-secret-value/);
      if (provider === 'file') expect(read(result, 'secrets/.gitignore')).toMatch(/\*/);
    });
  },
);

describe('yo secure-container', () => {
  it('exposes only run-loop methods (Yeoman runs every method not starting with _ as a task)', async () => {
    const mod = (await import(generator)) as { default: { prototype: object } };
    const names = Object.getOwnPropertyNames(mod.default.prototype).filter(
      (n) => n !== 'constructor' && !n.startsWith('_'),
    );
    expect(names.sort()).toEqual(['end', 'initializing', 'prompting', 'writing']);
  });

  it('asks what it could not settle and validates prompt answers with the same table', async () => {
    result = await run('node', {}, { port: '8088', dataDirs: '/srv/data', services: [], secrets: '' });
    const df = read(result, 'Dockerfile');
    expect(df).toMatch(/^EXPOSE 8088$/m);
    expect(df).toMatch(/^COPY --from=deps --chown=65532:65532 \/empty\/ \/srv\/data\/$/m);
    const yoRc = JSON.parse(read(result, '.yo-rc.json')) as Record<string, { answers: Record<string, unknown> }>;
    expect(yoRc['generator-secure-container'].answers['port']).toBe(8088);
  });

  it('re-runs from .yo-rc.json without asking and writes byte-identical files', async () => {
    result = await run('go', { yes: true, port: 9000 });
    const first = read(result, 'Dockerfile');
    const again = await runIn(result.cwd, { yes: true });
    expect(read(again, 'Dockerfile')).toBe(first);
    expect(read(again, '.yo-rc.json')).toBe(read(result, '.yo-rc.json'));
  });

  it('refuses invalid flags with one line naming the flag, exit 2, and writes nothing', async () => {
    const err = captureStderr();
    try {
      for (const [opts, re] of [
        [{ port: '80' }, /--port: must be an integer from 1024 to 65535/],
        [{ flavor: 'scratch' }, /--flavor: scratch does not fit node/],
        [{ name: 'Bad Name' }, /--name/],
      ] as const) {
        process.exitCode = undefined;
        err.text = '';
        const r = await run('node', { yes: true, ...opts });
        expect(process.exitCode).toBe(2);
        expect(err.text).toMatch(re);
        expect(err.text).toMatch(/^secure-container: .*\nNothing was written\.\n$/);
        expect(existsSync(join(r.cwd, 'Dockerfile'))).toBe(false);
      }
    } finally {
      err.restore();
    }
  });

  it("upgrades a repo that has state: keeps the user's edits and applies new answers", async () => {
    result = await run('node', { yes: true });
    const df = join(result.cwd, 'Dockerfile');
    writeFileSync(df, readFileSync(df, 'utf8') + '# my edit\n');
    await runIn(result.cwd, { yes: true, port: 4000, force: false });
    const text = readFileSync(df, 'utf8');
    expect(text).toMatch(/# my edit\n$/);
    expect(text).toMatch(/^EXPOSE 4000$/m);
    expect(read(result, 'compose.yaml')).toMatch(/127\.0\.0\.1:4000:4000/);
  });

  it('marks a true conflict in the file and exits non-zero when non-interactive', async () => {
    result = await run('node', { yes: true });
    const df = join(result.cwd, 'Dockerfile');
    writeFileSync(df, readFileSync(df, 'utf8').replace(/^EXPOSE 3000$/m, 'EXPOSE 3001'));
    const before = process.exitCode;
    try {
      await runIn(result.cwd, { yes: true, port: 4000, force: false });
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
    const text = readFileSync(df, 'utf8');
    expect(text).toMatch(/^<<<<<<< yours/m);
    expect(text).toMatch(/^EXPOSE 3001$/m);
    expect(text).toMatch(/^EXPOSE 4000$/m);
  });

  it('never overwrites a file it did not generate when non-interactive, and then writes nothing at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
    dirs.push(dir);
    cpSync(APPS.node, dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22\n');
    // yeoman-test runs with force: true by default (no conflict prompts); a real run has it false
    await expect(runIn(dir, { yes: true, force: false })).rejects.toThrow(/Nothing was written: Dockerfile/);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM node:22\n');
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
    expect(existsSync(join(dir, '.yo-rc.json'))).toBe(false);
  });

  it('overwrites a file it did not generate with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
    dirs.push(dir);
    cpSync(APPS.node, dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), '# mine\n');
    await runIn(dir, { yes: true, force: true });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^# syntax=docker\/dockerfile:1/);
    expect(existsSync(join(dir, '.secure-container/manifest.json'))).toBe(true);
  });
});

describe('yo secure-container: first-run experience', () => {
  it('asks, shows the plan (each file once, the state as one line), confirms, writes, and ends with the next steps', async () => {
    result = await run('node', { force: false }, { secrets: 'db_password', services: ['postgres'] });
    const text = logged(result);
    // the plan: accepted detected answers keep their source
    expect(text).toMatch(/--port +3000 +\(detected from server\.js:\d+/);
    expect(text).toMatch(/--start +\["node","server\.js"\] +\(detected from package\.json/);
    expect(text).not.toMatch(/--port .*\(prompt\)/);
    expect(text).toMatch(/--secret +\["db_password"\] +\(prompt\)/);
    for (const f of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md', 'secrets/README.md']) {
      expect(text.match(new RegExp(`^ {2}create +${f.replace('.', '\\.')} `, 'gm'))).toHaveLength(1);
    }
    expect(text).toMatch(/^ {2}create +generator state: \.yo-rc\.json, \.secure-container\/ \(\d+ files\)$/m);
    expect(text).not.toMatch(/pristine\//);
    // then the confirmation, last of the questions
    expect(asked.map((q) => q.name).pop()).toBe('confirmWrite');
    expect(asked.find((q) => q.name === 'confirmWrite')).toMatchObject({ type: 'confirm', default: true });
    // Yeoman's own file list and its package.json message are gone
    expect(statusLines(result)).toEqual([]);
    expect(text).not.toMatch(/package\.json was detected|No change to package\.json/);
    // the end: the three next steps
    expect(text).toMatch(/Wrote 6 file\(s\)\./);
    const next = text.slice(text.indexOf('Next steps:'));
    expect(next).toMatch(/1\. Create the secret files/);
    expect(next).toContain('( IFS= read -rs v && printf \'%s\' "$v" > secrets/db_password )');
    expect(next).toContain("openssl rand -hex 32 | tr -d '\\n' > secrets/postgres_password");
    expect(next).toMatch(/2\. Build, tagged with the git commit/);
    expect(next).toContain(
      'docker build -t example-node-app:"$(git rev-parse --short HEAD)" -t example-node-app:local .',
    );
    expect(next).toMatch(/3\. Start:\n +docker compose up -d/);
    // and it did write
    expect(read(result, 'Dockerfile')).toMatch(/^EXPOSE 3000$/m);
    expect(existsSync(join(result.cwd, 'secrets/README.md'))).toBe(true);
  });

  it('the build step in the next steps is the one README.Docker.md gives (same tags)', async () => {
    result = await run('go', { yes: true, 'build-secret': 'netrc' });
    const next = logged(result).slice(logged(result).indexOf('Next steps:'));
    expect(next).not.toMatch(/Create the secret files/);
    const readme = read(result, 'README.Docker.md');
    const tags = /^ *-t (\S+:"?\$\(git rev-parse --short HEAD\)"?) -t (\S+) \.$/m.exec(readme)!;
    expect(next).toContain(`-t ${tags[1]} -t ${tags[2]} .`);
    expect(next).toContain('--secret id=netrc,env=NETRC');
  });

  it('declining the confirmation writes nothing and ends with one line, exit 0', async () => {
    result = await run('node', { force: false }, { confirmWrite: false });
    expect(logged(result)).toMatch(/Nothing was written\.$/);
    expect(logged(result)).not.toMatch(/Next steps/);
    expect(process.exitCode ?? 0).toBe(0);
    expect(readdirSync(result.cwd).sort()).toEqual(readdirSync(APPS.node).sort());
  });

  it('--yes asks nothing, not even the confirmation', async () => {
    result = await run('node', { yes: true });
    expect(asked).toEqual([]);
    expect(logged(result)).toMatch(/Next steps:/);
  });

  it('asks for the secret provider only once a secret is named', async () => {
    result = await run('node', {}, { secrets: '' });
    expect(asked.map((q) => q.name)).not.toContain('secretProvider');
    expect(logged(result)).not.toMatch(/--secret-provider/);
    const again = await run('node', {}, { secrets: 'api_key' });
    expect(asked.map((q) => q.name)).toContain('secretProvider');
    expect(read(again, 'compose.yaml')).toMatch(/api_key/);
  });

  it('explains every choice in one line (scratch: static binaries only)', async () => {
    result = await run('go', {}, {});
    const flavor = asked.find((q) => q.name === 'flavor')!;
    expect(flavor.choices!.map((c) => c.value).sort()).toEqual(['alpine', 'distroless', 'scratch']);
    expect(flavor.choices!.find((c) => c.value === 'scratch')).toMatchObject({
      short: 'scratch',
      name: expect.stringMatching(/^scratch +empty image: static binaries only \(Go, Rust\)/),
    });
    for (const c of flavor.choices!) expect(c.name).toMatch(new RegExp(`^${c.value} +\\S`));
  });

  it('wraps a long detected hint in a prompt at a word boundary, never inside a word', async () => {
    result = await run('node', {}, {});
    for (const q of asked) {
      for (const line of String(q.message).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    const port = asked.find((q) => q.name === 'port')!;
    expect(String(port.message).replace(/\n/g, ' ')).toMatch(
      /\[detected from server\.js:4: const port = Number\(process\.env\.PORT \|\| 3000\);\]/,
    );
  });

  it('refuses a folder with no recognisable app, before asking anything: exit 2, nothing written', async () => {
    const err = captureStderr();
    try {
      for (const opts of [{ yes: true }, {}]) {
        process.exitCode = undefined;
        err.text = '';
        const dir = mkdtempSync(join(tmpdir(), 'sc-gen-empty-'));
        dirs.push(dir);
        writeFileSync(join(dir, 'notes.txt'), 'not an app\n');
        const r = await runIn(dir, opts);
        expect(asked).toEqual([]);
        expect(process.exitCode).toBe(2);
        expect(err.text).toMatch(
          /^secure-container: no app found: looked for package\.json, pyproject\.toml, requirements\.txt, go\.mod, .*\(pass --runtime to generate anyway\)\nNothing was written\.\n$/,
        );
        expect(readdirSync(r.cwd)).toEqual(['notes.txt']);
      }
    } finally {
      err.restore();
    }
  });

  it('Ctrl-C at a question: one line, exit 130, nothing written', async () => {
    const err = captureStderr();
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`process.exit(${code})`);
    }) as never);
    const dir = mkdtempSync(join(tmpdir(), 'sc-gen-'));
    dirs.push(dir);
    cpSync(APPS.node, dir, { recursive: true });
    try {
      // inquirer rejects with an ExitPromptError when the user presses Ctrl-C
      const ctrlC = (q: Asked) => {
        if (q.name === 'port')
          throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
      };
      await expect(runIn(dir, {}, {}, ctrlC)).rejects.toThrow();
      expect(exit).toHaveBeenCalledWith(130);
      expect(err.text).toBe('aborted: nothing was written\n');
      expect(readdirSync(dir).sort()).toEqual(readdirSync(APPS.node).sort());
    } finally {
      exit.mockRestore();
      err.restore();
    }
  });

  it('a re-run with nothing to change asks no confirmation and writes nothing', async () => {
    result = await run('node', { yes: true });
    const before = read(result, '.yo-rc.json');
    const again = await runIn(result.cwd, { force: false }, {});
    expect(asked.map((q) => q.name)).not.toContain('confirmWrite');
    expect(read(again, '.yo-rc.json')).toBe(before);
    expect(statusLines(again)).toEqual([]);
  });

  it('a re-run that changes something shows the merge plan and asks to apply it', async () => {
    result = await run('node', { yes: true });
    const declined = await runIn(result.cwd, { force: false, port: 4000 }, { confirmWrite: false });
    expect(asked.map((q) => q.name)).toContain('confirmWrite');
    expect(read(declined, 'Dockerfile')).toMatch(/^EXPOSE 3000$/m);
    const applied = await runIn(result.cwd, { force: false, port: 4000 }, {});
    expect(read(applied, 'Dockerfile')).toMatch(/^EXPOSE 4000$/m);
    expect(statusLines(applied)).toEqual([]);
  });
});
