import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderCompose } from '../../lib/outputs/compose.js';
import { renderProviderFiles, vaultTemplates } from '../../lib/outputs/secrets.js';
import { makeSpec } from './fixtures.js';

const byPath = (files: { path: string; contents: string }[]) =>
  Object.fromEntries(files.map((f) => [f.path, f.contents]));

/** The top-level blocks of an HCL file: `name "label" {` ... matching `}` (enough for our own output). */
function hclBlocks(text: string, type: string): string[] {
  const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!new RegExp(`^${type}\\b.*\\{$`).test(lines[i])) continue;
    let depth = 0;
    const body: string[] = [];
    for (let j = i; j < lines.length; j++) {
      depth += (lines[j].match(/\{/g) ?? []).length - (lines[j].match(/\}/g) ?? []).length;
      // braces inside quoted strings ({{ }}) are balanced, so the count stays right
      body.push(lines[j]);
      if (depth === 0) {
        i = j;
        break;
      }
    }
    out.push(body.join('\n'));
  }
  return out;
}

const attr = (block: string, name: string): string | undefined =>
  block.match(new RegExp(`^\\s*${name}\\s*=\\s*(.+)$`, 'm'))?.[1];

/** ```sh blocks with the heading above each (comment-only lines kept: a `# (needs …)` marker is the first line). */
function shBlocks(md: string): { heading: string; lines: string[] }[] {
  const out: { heading: string; lines: string[] }[] = [];
  let heading = '';
  for (const m of md.matchAll(/^(#{1,6} .*)$|^```sh\n([\s\S]*?)^```$/gm)) {
    if (m[1]) heading = m[1].replace(/^#+ /, '');
    else out.push({ heading, lines: m[2].trimEnd().split('\n') });
  }
  return out;
}

describe('file provider', () => {
  it('writes secrets/README.md and a .gitignore that keeps everything else out of git', () => {
    const files = byPath(renderProviderFiles(makeSpec({ answers: { secrets: ['db_password', 'api_key'] } })));
    expect(Object.keys(files)).toEqual(['secrets/README.md', 'secrets/.gitignore']);
    expect(files['secrets/.gitignore'].split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      '*',
      '!.gitignore',
      '!README.md',
    ]);
    const readme = files['secrets/README.md'];
    for (const n of ['db_password', 'api_key']) {
      expect(readme).toContain(`> secrets/${n} )`);
      expect(readme).toContain(`setfacl -m u:65532:r secrets/${n}`);
    }
    // explains why a 0600 file alone is not enough for a bind-mounted file
    expect(readme).toMatch(/`0600` file.*\n?.*\*\*not\*\* readable/);
  });

  it('secrets/README.md: a permission recipe that keeps rotation a plain write by the owner', () => {
    const readme = byPath(renderProviderFiles(makeSpec({ answers: { secrets: ['db_password', 'api_key'] } })))[
      'secrets/README.md'
    ];
    const blocks = shBlocks(readme);
    const cmds = blocks.flatMap((b) => b.lines);
    // the folder closed, the files opened for the container user; never handed to the container UID
    expect(cmds).toContain('chmod 0700 secrets');
    expect(cmds).toContain('chmod 0644 secrets/db_password secrets/api_key');
    expect(cmds.filter((c) => /\bchown\b|\bsudo\b|0400/.test(c))).toEqual([]);
    expect(readme).toMatch(/Do \*\*not\*\* `chown`/);
    // setfacl: marked as needing the acl package, and the package named for Debian/Ubuntu and Fedora
    const acl = blocks.find((b) => b.lines.some((l) => l.includes('setfacl')))!;
    expect(acl.lines[0]).toBe('# (needs the acl package)');
    expect(readme).toContain('`acl` package (Debian/Ubuntu: `sudo apt install acl`, Fedora: `sudo dnf install acl`)');
    // rotation: an in-place write (keeps mode/ACL) by the owner, then recreate
    const rotate = blocks.find((b) => b.heading === 'Rotate a secret')!;
    expect(rotate.lines).toEqual([
      '( IFS= read -rs v && printf \'%s\' "$v" > secrets/db_password )',
      'docker compose up -d --force-recreate',
    ]);
    // the create block reads values without echo and never puts one on a command line
    const create = blocks.find((b) => b.heading === 'Create the files')!;
    expect(create.lines).toEqual([
      'chmod 0700 secrets',
      'umask 077',
      '( IFS= read -rs v && printf \'%s\' "$v" > secrets/db_password )',
      '( IFS= read -rs v && printf \'%s\' "$v" > secrets/api_key )',
    ]);
  });

  it('secrets/README.md with service passwords only: no empty typing block, no rotate block that would break the database', () => {
    const readme = byPath(renderProviderFiles(makeSpec({ answers: { secrets: [], services: ['postgres'] } })))[
      'secrets/README.md'
    ];
    const blocks = shBlocks(readme);
    expect(blocks.some((b) => b.lines.join('\n') === 'umask 077')).toBe(false);
    expect(blocks.filter((b) => b.heading === 'Rotate a secret')).toEqual([]);
    expect(readme).toContain('ALTER ROLE');
  });

  it('lists every reader UID of a service password', () => {
    const readme = byPath(renderProviderFiles(makeSpec({ answers: { services: ['postgres', 'redis'] } })))[
      'secrets/README.md'
    ];
    expect(readme).toContain('setfacl -m u:70:r,u:65532:r secrets/postgres_password');
    expect(readme).toContain('setfacl -m u:999:r,u:65532:r secrets/redis_password');
    expect(readme).toContain("openssl rand -hex 32 | tr -d '\\n' > secrets/postgres_password");
  });

  it('writes nothing when there is no secret file', () => {
    expect(renderProviderFiles(makeSpec({ answers: { secrets: [] } }))).toEqual([]);
  });
});

describe('vault provider: deploy/vault/agent.hcl', () => {
  const spec = makeSpec({
    answers: {
      secretProvider: 'vault',
      secrets: ['db_password', 'api_key', 'tls_key'],
      vaultMount: 'kv',
      vaultPaths: { db_password: 'shop/db#password', api_key: 'shop/api-key#api-key' },
      vaultAddr: 'https://vault.example.internal:8200',
    },
  });
  const files = byPath(renderProviderFiles(spec));
  const hcl = files['deploy/vault/agent.hcl'];

  it('is written with the AppRole credential files next to it', () => {
    expect(Object.keys(files).sort()).toEqual(['deploy/vault/agent.hcl', 'secrets/.gitignore', 'secrets/README.md']);
    expect(files['secrets/README.md']).toContain('secrets/vault_role_id');
    expect(files['secrets/README.md']).toContain('secrets/vault_secret_id');
  });

  it('points at the Vault address', () => {
    const [vault] = hclBlocks(hcl, 'vault');
    expect(attr(vault, 'address')).toBe('"https://vault.example.internal:8200"');
  });

  it('authenticates with AppRole from the compose secret files, keeping them', () => {
    const [auto] = hclBlocks(hcl, 'auto_auth');
    expect(auto).toMatch(/method "approle" \{/);
    expect(attr(auto, 'role_id_file_path')).toBe('"/run/secrets/vault_role_id"');
    expect(attr(auto, 'secret_id_file_path')).toBe('"/run/secrets/vault_secret_id"');
    expect(attr(auto, 'remove_secret_id_file_after_reading')).toBe('false');
    expect(auto).not.toMatch(/sink/); // comments are filtered: no token file
    expect(hcl).toMatch(/# method "kubernetes"/); // documented alternative
    expect(hclBlocks(hcl, 'listener')).toEqual([]);
  });

  it('has one template stanza per secret, rendering KV v2 data into the shared volume', () => {
    const blocks = hclBlocks(hcl, 'template');
    expect(blocks).toHaveLength(3);
    const byDest = Object.fromEntries(blocks.map((b) => [JSON.parse(attr(b, 'destination')!), b]));
    expect(Object.keys(byDest)).toEqual([
      '/vault/secrets/db_password',
      '/vault/secrets/api_key',
      '/vault/secrets/tls_key',
    ]);
    expect(JSON.parse(attr(byDest['/vault/secrets/db_password'], 'contents')!)).toBe(
      '{{ with secret "kv/data/shop/db" }}{{ .Data.data.password }}{{ end }}',
    );
    expect(JSON.parse(attr(byDest['/vault/secrets/api_key'], 'contents')!)).toBe(
      '{{ with secret "kv/data/shop/api-key" }}{{ index .Data.data "api-key" }}{{ end }}',
    );
    // no path given: <app name>/<secret>, key "value"
    expect(JSON.parse(attr(byDest['/vault/secrets/tls_key'], 'contents')!)).toBe(
      '{{ with secret "kv/data/shop-api/tls_key" }}{{ .Data.data.value }}{{ end }}',
    );
    for (const b of blocks) {
      expect(attr(b, 'perms')).toBe('"0400"');
      expect(attr(b, 'error_on_missing_key')).toBe('true');
    }
  });

  it('the destinations are what the compose healthcheck waits for and what the app reads', () => {
    const doc = parse(renderCompose(spec)) as {
      services: Record<string, { healthcheck: { test: string[] }; environment: Record<string, string> }>;
    };
    const check = doc.services['vault-agent'].healthcheck.test.join(' ');
    expect(doc.services['vault-agent'].healthcheck.test.slice(0, 2)).toEqual(['CMD', 'test']);
    for (const t of vaultTemplates(spec)) {
      expect(check).toContain(`-s ${t.destination}`);
      expect(doc.services['shop-api'].environment[`${t.name.toUpperCase()}_FILE`]).toBe(`/run/secrets/${t.name}`);
    }
  });

  it('escapes HCL template sequences in values', () => {
    const odd = byPath(
      renderProviderFiles(
        makeSpec({ answers: { secretProvider: 'vault', secrets: ['x'], vaultPaths: { x: 'a/${b}/%{c}' } } }),
      ),
    );
    expect(odd['deploy/vault/agent.hcl']).toContain('a/$${b}/%%{c}');
  });
});

describe('aws provider: deploy/aws/fetch-secrets.sh', () => {
  const spec = makeSpec({
    answers: {
      secretProvider: 'aws',
      secrets: ['db_password', 'api_key'],
      awsSecretIds: {
        db_password: 'prod/shop/db',
        api_key: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:it's-AbCdEf",
      },
    },
  });
  const file = renderProviderFiles(spec).find((f) => f.path === 'deploy/aws/fetch-secrets.sh')!;

  it('is a POSIX sh script that fails fast and writes 0400 files', () => {
    expect(file.mode).toBe(0o755);
    expect(file.contents.startsWith('#!/bin/sh\n')).toBe(true);
    expect(file.contents).toMatch(/^set -eu$/m);
    expect(file.contents).toMatch(/^umask 0277/m);
    expect(spawnSync('sh', ['-n'], { input: file.contents }).status).toBe(0);
  });

  it('fetches each secret by id into /run/secrets/<name>, names quoted for the shell', () => {
    const calls = file.contents
      .split('\n')
      .filter((l) => /^\s+fetch '/.test(l))
      .map((l) => l.trim());
    expect(calls).toEqual([
      "fetch 'db_password' 'prod/shop/db'",
      "fetch 'api_key' 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:it'\\''s-AbCdEf'",
    ]);
  });

  it('really fetches with a stub aws CLI: 0400 files, atomic, prints names not values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-aws-'));
    try {
      const out = join(dir, 'secrets');
      const bin = join(dir, 'bin');
      spawnSync('mkdir', ['-p', out, bin]);
      writeFileSync(
        join(bin, 'aws'),
        '#!/bin/sh\n# stub: aws secretsmanager get-secret-value --secret-id ID ...\n[ "$1 $2" = "secretsmanager get-secret-value" ] || exit 9\nprintf "value-of-%s\\n" "$4"\n',
      );
      chmodSync(join(bin, 'aws'), 0o755);
      // the fetch phase only: the script stays up afterwards to keep the tmpfs volume mounted
      const once = file.contents.replaceAll('/run/secrets', out).split('\n# A tmpfs volume')[0];
      const r = spawnSync('sh', ['-c', once], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('fetched db_password\nfetched api_key\n');
      expect(r.stdout + r.stderr).not.toContain('value-of');
      expect(readdirSync(out).sort()).toEqual(['api_key', 'db_password']);
      // exactly the secret: the newline the CLI's text output adds is not part of it
      expect(readFileSync(join(out, 'db_password'), 'utf8')).toBe('value-of-prod/shop/db');
      expect(statSync(join(out, 'db_password')).mode & 0o777).toBe(0o400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing fetch stops the script with a non-zero status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-aws-'));
    try {
      spawnSync('mkdir', ['-p', join(dir, 'bin'), join(dir, 's')]);
      writeFileSync(join(dir, 'bin', 'aws'), '#!/bin/sh\necho "AccessDenied" >&2\nexit 254\n');
      chmodSync(join(dir, 'bin', 'aws'), 0o755);
      const once = file.contents.replaceAll('/run/secrets', join(dir, 's')).split('\n# A tmpfs volume')[0];
      const r = spawnSync('sh', ['-c', once], { encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` } });
      expect(r.status).toBe(254);
      expect(r.stdout).not.toContain('fetched');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('contains no credentials: only the region and secret ids', () => {
    expect(file.contents).not.toMatch(/AWS_SECRET_ACCESS_KEY=|AWS_ACCESS_KEY_ID=|aws_secret_access_key/i);
    expect(file.contents).toContain('region eu-west-1');
  });
});
