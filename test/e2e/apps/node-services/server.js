// e2e sample app for --service postgres,redis (Node, CommonJS). PostgreSQL through the `pg` client,
// Redis through a few lines of RESP over TCP. Passwords are read from the files named by
// POSTGRES_PASSWORD_FILE / REDIS_PASSWORD_FILE (the generated compose file's contract); the app never
// returns a password, only lengths, hashes and what the servers answered.
'use strict';
const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { Client } = require('pg');

const port = Number(process.env.PORT || 8080);
const env = (n, d) => process.env[n] || d;
/** the secret file's value; trailing newlines dropped like the postgres entrypoint's "$(< file)" */
const secret = (name) => fs.readFileSync(process.env[`${name.toUpperCase()}_FILE`], 'utf8').replace(/\n+$/, '');

// ------------------------------------------------------------------ postgres
async function pg(password, fn) {
  const c = new Client({
    host: env('DATABASE_HOST', 'postgres'), port: Number(env('DATABASE_PORT', '5432')),
    user: env('DATABASE_USER', 'app'), database: env('DATABASE_NAME', 'app'), password,
    connectionTimeoutMillis: 5000,
  });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

// ------------------------------------------------------------------ redis (RESP2)
function redis(commands) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: env('REDIS_HOST', 'redis'), port: Number(env('REDIS_PORT', '6379')) });
    const replies = [];
    let buf = Buffer.alloc(0);
    sock.setTimeout(5000, () => sock.destroy(new Error('redis timeout')));
    sock.on('error', reject);
    sock.on('connect', () => {
      for (const argv of commands) {
        sock.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
      }
    });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) return;
        const type = String.fromCharCode(buf[0]);
        const line = buf.subarray(1, eol).toString();
        if (type === '$') {
          const n = Number(line);
          if (n < 0) { replies.push(null); buf = buf.subarray(eol + 2); } else {
            if (buf.length < eol + 2 + n + 2) return;
            replies.push(buf.subarray(eol + 2, eol + 2 + n).toString()); buf = buf.subarray(eol + 2 + n + 2);
          }
        } else {
          replies.push(type === '-' ? { error: line } : type === ':' ? Number(line) : line);
          buf = buf.subarray(eol + 2);
        }
        if (replies.length === commands.length) { sock.end(); resolve(replies); return; }
      }
    });
  });
}
const errText = (e) => ({ ok: false, code: e.code, message: String(e.message) });

const routes = {
  '/healthz': async () => ({ status: 'ok' }),
  '/': async () => ({ app: 'node-services', uid: process.getuid() }),
  '/secret': async (q) => {
    const name = q.get('name') || '';
    const envVar = `${name.toUpperCase()}_FILE`;
    const file = process.env[envVar];
    if (!file) return { ok: false, envVar, error: 'env var not set' };
    const v = fs.readFileSync(file);
    return { ok: true, envVar, path: file, length: v.length, sha256: crypto.createHash('sha256').update(v).digest('hex') };
  },
  // write a value into both services (password from the secret files)
  '/services/write': async (q) => {
    const value = q.get('value') || 'e2e';
    const out = {};
    try {
      out.postgres = await pg(secret('postgres_password'), async (c) => {
        await c.query('CREATE TABLE IF NOT EXISTS e2e_probe (id int PRIMARY KEY, value text NOT NULL)');
        await c.query('INSERT INTO e2e_probe (id, value) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value', [value]);
        const r = await c.query('SELECT current_user AS "user", current_database() AS db, version() AS version, (SELECT value FROM e2e_probe WHERE id = 1) AS value');
        return { ok: true, ...r.rows[0] };
      });
    } catch (e) { out.postgres = errText(e); }
    try {
      const [auth, set, get] = await redis([['AUTH', secret('redis_password')], ['SET', 'e2e-probe', value], ['GET', 'e2e-probe']]);
      out.redis = { ok: auth === 'OK' && set === 'OK', auth, set, value: get };
    } catch (e) { out.redis = errText(e); }
    return out;
  },
  '/services/read': async () => {
    const out = {};
    try {
      out.postgres = await pg(secret('postgres_password'), async (c) => {
        const r = await c.query('SELECT value FROM e2e_probe WHERE id = 1');
        return { ok: true, value: r.rows[0] ? r.rows[0].value : null };
      });
    } catch (e) { out.postgres = errText(e); }
    try {
      const [auth, get, info] = await redis([['AUTH', secret('redis_password')], ['GET', 'e2e-probe'], ['INFO', 'server']]);
      const version = /redis_version:(\S+)/.exec(typeof info === 'string' ? info : '');
      out.redis = { ok: auth === 'OK', value: get, version: version ? version[1] : null };
    } catch (e) { out.redis = errText(e); }
    return out;
  },
  // the servers refuse a wrong password and (redis) a client that does not authenticate
  '/services/refuse': async () => {
    const out = {};
    try { await pg(`wrong-${crypto.randomBytes(4).toString('hex')}`, async () => null); out.postgres = { ok: true }; } catch (e) { out.postgres = errText(e); }
    try {
      const [noAuth, wrong] = await redis([['GET', 'e2e-probe'], ['AUTH', `wrong-${crypto.randomBytes(4).toString('hex')}`]]);
      out.redis = { noAuth, wrong };
    } catch (e) { out.redis = errText(e); }
    return out;
  },
};

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const route = routes[url.pathname];
  Promise.resolve(route ? route(url.searchParams) : { error: 'not found' })
    .catch((e) => ({ error: String(e && e.message) }))
    .then((body) => {
      res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body) + '\n');
    });
}).listen(port, '0.0.0.0', () => console.log(`listening on 0.0.0.0:${port}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
