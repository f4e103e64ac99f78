import { describe, it, expect } from '@jest/globals';
import { renderReadmeDocker, awsIamPolicy } from '../../lib/render/readme-docker.js';
import { makeSpec } from './fixtures.js';

const sections = (md: string): string[] => md.split('\n').filter((l) => /^#{1,3} /.test(l)).map((l) => l.replace(/^#+ /, ''));
const codeBlocks = (md: string, lang: string): string[] => [...md.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('README.Docker.md', () => {
  it('has the sections the issue asks for', () => {
    const md = renderReadmeDocker(makeSpec());
    expect(sections(md)).toEqual(expect.arrayContaining(['Build', 'Run', 'Secrets', 'Add a secret', 'Rotate a secret', 'Regenerate', 'Which principle each setting serves']));
  });

  it('builds with the git SHA as tag and the OCI label build args, with docker and podman', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { buildSecrets: ['npm_token'] } }));
    const [docker, podman] = codeBlocks(md, 'sh');
    expect(docker).toContain('docker build');
    for (const arg of ['VCS_REF=$(git rev-parse HEAD)', 'VERSION=', 'BUILD_DATE=', 'SOURCE_URL=']) expect(docker).toContain(`--build-arg ${arg}`);
    expect(docker).toContain('-t shop-api:$(git rev-parse --short HEAD)');
    expect(docker).toContain('--secret id=npm_token,env=NPM_TOKEN');
    expect(podman).toContain('podman build --format docker');
    expect(md).toContain('docker compose up -d');
    expect(md).toContain('npx generator-secure-container upgrade');
  });

  it('maps every principle P1..P9 to settings', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { services: ['postgres'] } }));
    const table = md.slice(md.indexOf('## Which principle'));
    for (let p = 1; p <= 9; p++) expect(table).toMatch(new RegExp(`\\| [^|]*P${p}[^|]* \\|`));
  });

  it('aws: an IAM policy granting GetSecretValue on exactly the listed secrets', () => {
    const spec = makeSpec({
      answers: { secretProvider: 'aws', secrets: ['db_password', 'api_key'], awsRegion: 'eu-central-1', awsSecretIds: { api_key: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf' } },
    });
    const md = renderReadmeDocker(spec);
    const [json] = codeBlocks(md, 'json');
    const policy = JSON.parse(json!) as { Statement: { Effect: string; Action: string; Resource: string[] }[] };
    expect(policy).toEqual(JSON.parse(awsIamPolicy(spec)));
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue' });
    expect(policy.Statement[0]!.Resource).toEqual([
      'arn:aws:secretsmanager:eu-central-1:<ACCOUNT_ID>:secret:shop-api/db_password-??????',
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf',
    ]);
    expect(md).toContain('(this project)');
    expect(md).toMatch(/\| aws \(this project\) \|/);
  });

  it('vault: a read-only policy on exactly the rendered paths, AppRole setup and Kubernetes auth', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { secretProvider: 'vault', secrets: ['db_password'], vaultPaths: { db_password: 'shop/db#password' } } }));
    const [policy] = codeBlocks(md, 'hcl');
    expect(policy!.trim()).toBe('path "secret/data/shop/db" {\n  capabilities = ["read"]\n}');
    expect(md).toContain('vault read -field=role_id auth/approle/role/shop-api/role-id > secrets/vault_role_id');
    expect(md).toMatch(/Kubernetes instead of AppRole/);
    expect(md).not.toContain('```json');
  });

  it('lists each secret with its env var and file, and warns about a non-loopback bind', () => {
    const md = renderReadmeDocker(makeSpec({ answers: { bind: '0.0.0.0', services: ['redis'] } }));
    expect(md).toContain('| `db_password` | `DB_PASSWORD_FILE` | `/run/secrets/db_password` |');
    expect(md).toContain('| `redis_password` | `REDIS_PASSWORD_FILE` | `/run/secrets/redis_password` |');
    expect(md).toMatch(/\*\*Warning:\*\* the app port is published on `0\.0\.0\.0`/);
    expect(renderReadmeDocker(makeSpec())).not.toMatch(/\*\*Warning:\*\*/);
  });

  it('mentions the helper only when it is written', () => {
    expect(renderReadmeDocker(makeSpec({ answers: { runtime: 'python', secretsHelper: true } }))).toContain('`secrets_helper.py`');
    expect(renderReadmeDocker(makeSpec())).not.toContain('readSecret');
  });
});
