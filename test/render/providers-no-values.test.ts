// P4: no generated file ever contains a secret value. The renderers only ever see secret *names*;
// this test makes values available everywhere a careless renderer could pick them up (process
// environment, the same names as the secrets) and scans every file of every provider for them and
// for anything that looks like an assigned value.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { renderCompose } from '../../lib/outputs/compose.js';
import { renderSecretsHelper } from '../../lib/outputs/secrets-helper.js';
import { renderProviderFiles } from '../../lib/outputs/secrets.js';
import { renderReadmeDocker } from '../../lib/outputs/readme.js';
import type { ContainerSpec } from '../../lib/core/types.js';
import { makeSpec, PROVIDERS_UNDER_TEST, RUNTIMES_UNDER_TEST, SERVICE_SETS } from './fixtures.js';

const VALUES: Record<string, string> = {
  DB_PASSWORD: 'Sup3r-S3cret-db-Passw0rd!',
  API_KEY: 'sk_live_51HqTESTVALUEabcdef0123456789',
  NPM_TOKEN: 'npm_TESTTOKENaBcDeF0123456789xyz',
  POSTGRES_PASSWORD: 'pg-Value-7f3a9c1e5b',
  REDIS_PASSWORD: 'redis-Value-c0ffee1234',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
  VAULT_TOKEN: 'hvs.CAESIEXAMPLEVAULTTOKEN0123',
  VAULT_ROLE_ID: 'db02de05-fa39-4855-059b-67221c5c2f63',
  VAULT_SECRET_ID: '6a174c20-f6de-a53c-74d2-6018fcceff64',
};

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(VALUES)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const k of Object.keys(VALUES)) {
    if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = saved[k];
  }
});

function everyFile(spec: ContainerSpec): { path: string; contents: string }[] {
  const helper = renderSecretsHelper(spec);
  return [
    { path: 'compose.yaml', contents: renderCompose(spec) },
    { path: 'README.Docker.md', contents: renderReadmeDocker(spec) },
    ...renderProviderFiles(spec),
    ...(helper ? [helper] : []),
  ];
}

/** `SECRETISH_NAME = value` / `: value` where value is not a path, a placeholder or a reference. */
const ASSIGNED =
  /\b([A-Za-z_]*(?:password|passwd|secret|token|api_?key|access_key)[A-Za-z_]*)\b[ \t]*[:=][ \t]*["']?([^\s"',)}\]]+)/gi;
// paths, references (`<name>=<vault path or secret id>`, ARNs), placeholders, names, numbers
const SAFE_VALUE =
  /^(\/|\.\/|\$|<|\{|null$|true$|false$|\d+$|[a-z0-9_]+$|\[|env=|build-|file:|\*|arn:|[a-z0-9_.=-]+(\/[A-Za-z0-9_.#-]+)+`?$)/;
// Vault CLI parameters and the ARN service segment are names, not secrets
const SAFE_KEYS = /^(secretsmanager|token_policies|token_ttl|token_max_ttl|secret_id_ttl)$/i;
const isValueLike = (m: RegExpMatchArray): boolean => !SAFE_KEYS.test(m[1]) && !SAFE_VALUE.test(m[2]);

describe('no generated file contains a secret value', () => {
  const specs: { label: string; spec: ContainerSpec }[] = [];
  for (const runtime of RUNTIMES_UNDER_TEST) {
    for (const secretProvider of PROVIDERS_UNDER_TEST) {
      for (const services of SERVICE_SETS) {
        specs.push({
          label: `${runtime}/${secretProvider}/${services.join('+') || '-'}`,
          spec: makeSpec({
            answers: {
              runtime,
              secretProvider,
              services,
              secrets: ['db_password', 'api_key'],
              buildSecrets: ['npm_token'],
              secretsHelper: true,
              vaultPaths: { db_password: 'shop/db#password' },
              awsSecretIds: { api_key: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api_key-AbCdEf' },
            },
          }),
        });
      }
    }
  }

  for (const { label, spec } of specs) {
    it(`${label}: no test value and no assigned value-like string`, () => {
      const files = everyFile(spec);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const f of files) {
        for (const [name, value] of Object.entries(VALUES)) {
          expect([f.path, name, f.contents.includes(value)]).toEqual([f.path, name, false]);
        }
        for (const m of f.contents.matchAll(ASSIGNED)) {
          if (isValueLike(m)) throw new Error(`${label} ${f.path}: value-like assignment "${m[0]}"`);
        }
      }
    });
  }

  it('the scanner itself flags a written value', () => {
    const leaked = 'environment:\n  DB_PASSWORD: Sup3rS3cret\n';
    const hits = [...leaked.matchAll(ASSIGNED)].filter(isValueLike);
    expect(hits.map((m) => m[1])).toEqual(['DB_PASSWORD']);
  });
});
