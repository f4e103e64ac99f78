import { finalOf, listing } from '../model.js';
import { allowMatcher, secretReason } from '../secrets.js';
import type { LayerEntry, VerifyCases, VerifyRule } from '../types.js';

/** At most this many findings are listed one by one (then one line says how many more). */
const MAX_LISTED = 20;

export const rule: VerifyRule = {
  meta: {
    id: 'SC5006',
    name: 'image-no-secret-files',
    principle: 'P4',
    severity: 'error',
    message: 'A file in the image looks like a secret',
    description:
      "Anyone who can pull the image can read every file of every layer: a private key, an `.env` file, cloud or registry credentials copied in by a `COPY . .` with an incomplete .dockerignore are published with it. A file deleted by a later layer is still in the earlier layer's tar and still shipped. The names are those the generated .dockerignore excludes and the build-context scan reports (one list); certificates and `.npmrc`/`.pypirc` files count only when they hold a private key or a credential.",
    fix: 'Remove the file from the build context (.dockerignore) or the build stage that produced it, rotate the secret, and rebuild; deliver secrets at run time under /run/secrets. A file known to be harmless can be accepted with --allow-path.',
    related: ['DS-0031', 'CIS-4.10'],
  },
  check(facts, report) {
    if (!facts.files) return;
    const allowed = allowMatcher(facts.allowPaths);
    const final = finalOf(facts.files);
    const hits: { e: LayerEntry; layer: number; why: string }[] = [];
    facts.files.layers.forEach((entries, layer) => {
      for (const e of entries) {
        if (e.type !== 'file' && e.type !== 'link') continue;
        if (e.path.split('/').pop()?.startsWith('.wh.')) continue;
        const why = secretReason(e.path, e.head);
        if (why && !allowed(e.path)) hits.push({ e, layer, why });
      }
    });
    for (const { e, layer, why } of hits.slice(0, MAX_LISTED)) {
      const gone = final.get(e.path)?.layer !== layer;
      report({
        message: `/${e.path} looks like a secret (${why}), in layer ${layer + 1}${gone ? ' (deleted or replaced by a later layer, but still shipped in this one)' : ''}`,
      });
    }
    if (hits.length > MAX_LISTED)
      report({ message: `…and ${hits.length - MAX_LISTED} more files that look like secrets` });
  },
};

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----\n';
const withHead = (path: string, head: string): LayerEntry => ({ path, type: 'file', size: head.length, head });

export const cases: VerifyCases = {
  valid: [
    {
      name: 'CA bundles and certificates',
      inspect: {},
      layers: [
        [
          withHead('etc/ssl/certs/ca-certificates.crt', CERT),
          withHead('app/.venv/lib/python3.11/site-packages/certifi/cacert.pem', CERT),
          { path: 'etc/ssl/certs/Foo.pem', type: 'symlink', size: 0, linkname: 'ca.crt' },
        ],
      ],
    },
    { name: 'an .npmrc without a token', inspect: {}, layers: [[withHead('app/.npmrc', 'engine-strict=true\n')]] },
    {
      name: 'public keys and example env files are not on the list',
      inspect: {},
      layers: [listing('home/u/.ssh.pub', 'app/id_rsa.pub', 'app/.env.example')],
    },
    {
      name: 'code that is named like a secret',
      inspect: {},
      layers: [listing('app/secrets.js', 'usr/lib/python3.11/secrets.py', 'app/node_modules/x/credentials.js')],
    },
    { name: 'an empty secrets directory (a mount point)', inspect: {}, layers: [listing('run/secrets/')] },
    {
      name: 'accepted with --allow-path',
      inspect: {},
      layers: [listing('app/test/fixtures/id_rsa')],
      allowPaths: ['app/test/fixtures'],
    },
  ],
  invalid: [
    {
      name: 'an SSH key',
      inspect: {},
      layers: [listing('app/', 'app/id_rsa')],
      count: 1,
      match: /\/app\/id_rsa .*layer 1$/,
    },
    {
      name: 'deleted later: still shipped',
      inspect: {},
      layers: [listing('root/.ssh/id_ed25519'), listing('root/.ssh/.wh.id_ed25519')],
      count: 1,
      match: /still shipped/,
    },
    {
      name: 'env files, cloud credentials, keys by extension',
      inspect: {},
      layers: [
        listing(
          'app/.env',
          'app/config/.env.production',
          'home/app/.aws/credentials',
          'app/credentials.json',
          'app/tls/server.key',
          'app/keystore.p12',
        ),
      ],
      count: 6,
    },
    {
      name: 'a .pem that holds a private key',
      inspect: {},
      layers: [[withHead('app/tls/server.pem', KEY)]],
      count: 1,
      match: /private key/,
    },
    {
      name: 'an .npmrc with a token',
      inspect: {},
      layers: [[withHead('app/.npmrc', '//registry.npmjs.org/:_authToken=abc123\n')]],
      count: 1,
      match: /registry credential/,
    },
    {
      name: 'a file under a secrets directory',
      inspect: {},
      layers: [listing('run/secrets/', 'run/secrets/db_password')],
      count: 1,
    },
    { name: 'upper-case key names', inspect: {}, layers: [listing('app/DEPLOY_RSA', 'app/SERVER.KEY')], count: 2 },
  ],
};
