import { describe, it, expect } from '@jest/globals';
import { renderReadmeDocker, awsIamPolicy, placeholderSecret } from '../../lib/outputs/readme.js';
import { LABEL_BUILD_ARGS } from '../../lib/outputs/compose.js';
import { parseSecretNames } from '../../lib/core/answers/parse.js';
import { makeSpec } from './fixtures.js';

const sections = (md: string): string[] =>
  md
    .split('\n')
    .filter((l) => /^#{1,3} /.test(l))
    .map((l) => l.replace(/^#+ /, ''));
/** ```sh blocks (also indented ones) with the heading above each. */
const shBlocks = (md: string): { heading: string; lines: string[] }[] => {
  const out: { heading: string; lines: string[] }[] = [];
  let heading = '';
  for (const m of md.matchAll(/^(#{1,6} .*)$|^( *)```sh\n([\s\S]*?)^ *```$/gm)) {
    if (m[1]) heading = m[1].replace(/^#+ /, '');
    else
      out.push({
        heading,
        lines: m[3]
          .trimEnd()
          .split('\n')
          .map((l) => l.slice(m[2].length)),
      });
  }
  return out;
};
/** the --build-arg NAME=... pairs of a command */
const argsOf = (cmd: string): string[] => [...cmd.matchAll(/--build-arg (\S+)/g)].map((m) => m[1]);
const codeBlocks = (md: string, lang: string): string[] =>
  [...md.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

describe('README.Docker.md', () => {
  it('has the sections the issue asks for', () => {
    const md = renderReadmeDocker(makeSpec());
    expect(sections(md)).toEqual(
      expect.arrayContaining([
        'Build',
        'Run',
        'Stop and clean up',
        'Secrets',
        'Add a secret',
        'Rotate a secret',
        'Regenerate',
        'Which principle each setting serves',
      ]),
    );
  });

  it('builds with the git SHA as tag and the same OCI label build args with docker and podman', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { buildSecrets: ['npm_token'] } }));
    const build = shBlocks(md).filter((b) => b.heading === 'Build');
    const [exports, docker, podman, compose] = build.map((b) => b.lines.join('\n'));
    // the values first, exported (compose build reads them too); a repository without a remote still works
    expect(build[0].lines).toEqual([
      'export VCS_REF="$(git rev-parse HEAD)"',
      'export VERSION="$(git describe --tags --always)"',
      'export BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
      'export SOURCE_URL="$(git remote get-url origin 2>/dev/null || echo unknown)"',
    ]);
    expect(exports).not.toMatch(/get-url origin\)/);
    expect(docker).toMatch(/^docker build /);
    expect(podman).toMatch(/^podman build --format docker /);
    for (const cmd of [docker, podman]) {
      for (const arg of LABEL_BUILD_ARGS) expect(cmd).toContain(`--build-arg ${arg}="$${arg}"`);
      expect(cmd).toContain('-t shop-api:"$(git rev-parse --short HEAD)" -t shop-api:local .');
    }
    expect(argsOf(docker)).toEqual(argsOf(podman));
    expect(docker).toContain('--secret id=npm_token,env=NPM_TOKEN');
    expect(compose).toBe('docker compose build');
    expect(md).toContain('npx generator-secure-container upgrade');
    expect(md).not.toMatch(/npx secure-container/);
  });

  it('covers Compose v2 and v1 (and Podman), and says how to stop and clean up', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { dataDirs: ['/data'] } }));
    const blocks = shBlocks(md);
    const run = blocks.filter((b) => b.heading === 'Run');
    expect(run[0].lines).toEqual([
      'docker compose up -d',
      'docker compose ps',
      'curl -fsS --retry 30 --retry-delay 1 --retry-all-errors http://127.0.0.1:3000/healthz',
    ]);
    // v1 named with its own spelling, podman compose / the podman socket explained
    expect(md).toMatch(/Compose v1 is the separate `docker-compose` command/);
    expect(md).toMatch(/type `docker-compose` instead/);
    expect(md).toContain('`podman compose`');
    expect(run[1].lines[0]).toBe('# (needs a systemd user session: rootless Podman)');
    const stop = blocks.filter((b) => b.heading === 'Stop and clean up').map((b) => b.lines);
    expect(stop).toEqual([['docker compose down'], ['docker compose down -v']]);
    expect(md).toMatch(/\*\*Warning:\*\* `down -v` also \*\*deletes the named volumes\*\* \(`shop-api-data`\)/);
  });

  it('add a secret: a placeholder that is not already a name, so the suggestion is always accepted', () => {
    const first = shBlocks(renderReadmeDocker(makeSpec({ answers: { secrets: ['db_password'] } }))).filter(
      (b) => b.heading === 'Add a secret',
    );
    expect(first[0].lines).toEqual(['npx generator-secure-container upgrade --secret db_password,new_secret']);
    // the file provider: create the file before up (Podman would mount an empty directory)
    expect(first[1].lines).toContain('( umask 077; IFS= read -rs v && printf \'%s\' "$v" > secrets/new_secret )');
    expect(first[1].lines.at(-1)).toBe('docker compose up -d --force-recreate');
    // after following it literally, the regenerated README suggests a fresh placeholder, never a repeat
    for (const secrets of [
      ['db_password', 'new_secret'],
      ['new_secret', 'new_secret_2'],
    ]) {
      const cmd = shBlocks(renderReadmeDocker(makeSpec({ answers: { secrets } }))).find(
        (b) => b.heading === 'Add a secret',
      )!.lines[0];
      const list = /--secret (\S+)/.exec(cmd)![1];
      expect(parseSecretNames(list)).toEqual([...secrets, placeholderSecret(secrets)]);
    }
    expect(placeholderSecret(['new_secret', 'new_secret_2'])).toBe('new_secret_3');
    // vault / aws: the source flag follows the placeholder
    expect(renderReadmeDocker(makeSpec({ answers: { secretProvider: 'vault', secrets: ['new_secret'] } }))).toContain(
      '--secret new_secret,new_secret_2 --vault-path new_secret_2=shop-api/new_secret_2',
    );
  });

  it('marks every command that cannot run without outside services with "# (needs …)"', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { secretProvider: 'vault', secrets: ['db_password'] } }));
    for (const b of shBlocks(md)) {
      if (b.lines.some((l) => /^(vault|aws|systemctl) /.test(l))) expect(b.lines[0]).toMatch(/^# \(needs [^)]+\)$/);
    }
    // the AppRole files end up readable by the agent like any other secret file
    expect(md).toContain('chmod 0700 secrets && chmod 0644 secrets/vault_role_id secrets/vault_secret_id');
  });

  it('maps every principle P1..P9 to settings', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { services: ['postgres'] } }));
    const table = md.slice(md.indexOf('## Which principle'));
    for (let p = 1; p <= 9; p++) expect(table).toMatch(new RegExp(`\\| [^|]*P${p}[^|]* \\|`));
  });

  it('aws: an IAM policy granting GetSecretValue on exactly the listed secrets', () => {
    const spec = makeSpec({
      answers: {
        secretProvider: 'aws',
        secrets: ['db_password', 'api_key'],
        awsRegion: 'eu-central-1',
        awsSecretIds: { api_key: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf' },
      },
    });
    const md = renderReadmeDocker(spec);
    const [json] = codeBlocks(md, 'json');
    const policy = JSON.parse(json) as { Statement: { Effect: string; Action: string; Resource: string[] }[] };
    expect(policy).toEqual(JSON.parse(awsIamPolicy(spec)));
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue' });
    expect(policy.Statement[0].Resource).toEqual([
      'arn:aws:secretsmanager:eu-central-1:<ACCOUNT_ID>:secret:shop-api/db_password-??????',
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf',
    ]);
    expect(md).toContain('(this project)');
    expect(md).toMatch(/\| aws \(this project\) \|/);
  });

  it('vault: a read-only policy on exactly the rendered paths, AppRole setup and Kubernetes auth', () => {
    const md = renderReadmeDocker(
      makeSpec({
        answers: { secretProvider: 'vault', secrets: ['db_password'], vaultPaths: { db_password: 'shop/db#password' } },
      }),
    );
    const [policy] = codeBlocks(md, 'hcl');
    expect(policy.trim()).toBe('path "secret/data/shop/db" {\n  capabilities = ["read"]\n}');
    expect(md).toContain('vault read -field=role_id auth/approle/role/shop-api/role-id > secrets/vault_role_id');
    expect(md).toMatch(/Kubernetes instead of AppRole/);
    expect(md).not.toContain('```json');
  });

  it('lists each secret with its env var and file, and warns about a non-loopback bind', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { bind: '0.0.0.0', services: ['redis'] } }));
    expect(md).toContain('| `db_password` | `DB_PASSWORD_FILE` | `/run/secrets/db_password` |');
    expect(md).toContain('| `redis_password` | `REDIS_PASSWORD_FILE` | `/run/secrets/redis_password` |');
    expect(md).toMatch(/\*\*Warning:\*\* the app port is published on `0\.0\.0\.0`/);
    expect(renderReadmeDocker(makeSpec())).not.toMatch(/\*\*Warning:\*\* the app port/);
  });

  it('mentions the helper only when it is written', () => {
    expect(renderReadmeDocker(makeSpec({ answers: { runtime: 'python', secretsHelper: true } }))).toContain(
      '`secrets_helper.py`',
    );
    expect(renderReadmeDocker(makeSpec())).not.toContain('readSecret');
  });
});
