// e2e sample app (Node, CommonJS, one tiny npm dependency). Never returns a secret value.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const isNumber = require('is-number');

const port = Number(process.env.PORT || 8080);
const dataDir = process.env.DATA_DIR || '/data';

function status() {
  const out = {};
  for (const line of fs.readFileSync('/proc/self/status', 'utf8').split('\n')) {
    const m = /^(Uid|Gid|CapEff|CapPrm|CapBnd|NoNewPrivs):\s*(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}
function procs() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    let cmdline = '';
    try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '); } catch { /* gone */ }
    return { pid: Number(pid), cmdline };
  });
}
const routes = {
  '/': () => ({ app: 'node', ok: isNumber(5), uid: process.getuid(), gid: process.getgid() }),
  '/healthz': () => ({ status: 'ok' }),
  '/introspect': () => ({ uid: process.getuid(), pid: process.pid, status: status(), procs: procs() }),
  '/rootfs': () => {
    try { fs.writeFileSync('/e2e-rootfs-probe', 'x'); return { writable: true }; } catch (e) { return { writable: false, code: e.code }; }
  },
  '/data/write': (q) => {
    const dir = q.get('dir') || dataDir; const value = q.get('value') || 'e2e';
    const file = path.join(dir, 'e2e-probe.txt');
    try { fs.writeFileSync(file, value); return { ok: true, read: fs.readFileSync(file, 'utf8') }; } catch (e) { return { ok: false, code: e.code }; }
  },
  '/data/read': (q) => {
    const file = path.join(q.get('dir') || dataDir, 'e2e-probe.txt');
    try { return { ok: true, read: fs.readFileSync(file, 'utf8') }; } catch (e) { return { ok: false, code: e.code }; }
  },
  '/secret': (q) => {
    const name = q.get('name') || '';
    const envVar = `${name.toUpperCase()}_FILE`;
    const file = process.env[envVar];
    if (!file) return { ok: false, envVar, error: 'env var not set' };
    try {
      const v = fs.readFileSync(file);
      return { ok: true, envVar, path: file, length: v.length, sha256: crypto.createHash('sha256').update(v).digest('hex') };
    } catch (e) { return { ok: false, envVar, path: file, code: e.code }; }
  },
};
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const route = routes[url.pathname];
  const body = route ? route(url.searchParams) : { error: 'not found' };
  res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}).listen(port, '0.0.0.0', () => console.log(`listening on 0.0.0.0:${port}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
