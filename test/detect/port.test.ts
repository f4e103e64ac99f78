import { describe, it, expect } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { detectFixture } from './helpers.js';

const node = (code: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'package.json': JSON.stringify({ name: 'p', main: 'server.js', dependencies: { express: '4' } }),
  'server.js': code,
  ...extra,
});
const py = (code: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'requirements.txt': 'requests\n',
  'main.py': code,
  ...extra,
});
const go = (code: string): Record<string, string> => ({
  'go.mod': 'module a/b\ngo 1.23\n',
  'main.go': `package main\n${code}`,
});

describe('port detection table', () => {
  const table: [string, Record<string, string>, number | undefined, RegExp?][] = [
    ['.listen(3000)', node('app.listen(3000);\n'), 3000, /^server\.js:1: app\.listen\(3000\);$/],
    ['process.env.PORT || 8080', node('const p = process.env.PORT || 8080;\napp.listen(p);\n'), 8080],
    ['process.env.PORT ?? "8081"', node('server.listen(process.env.PORT ?? "8081");\n'), 8081],
    ['const PORT = 4000', node('const PORT = 4000;\napp.listen(PORT);\n'), 4000],
    ['listen({ port })', node('await f.listen({ port: 3100, host: "0.0.0.0" });\n'), 3100],
    ['DB port is not the app port', node('const db = { port: 5432 };\napp.listen(process.env.PORT);\n'), undefined],
    ['commented-out listen ignored', node('// app.listen(3333)\napp.listen(3444);\n'), 3444],
    ['python app.run(port=5000)', py('app.run(debug=False, port=5000)\n'), 5000],
    ['python PORT = int(os.getenv("PORT", "8001"))', py('PORT = int(os.getenv("PORT", "8001"))\n'), 8001],
    ['python psycopg port is not the app port', py('conn = connect(host="db", port=5432)\n'), undefined],
    ['go ":8080"', go('func main() { http.ListenAndServe(":8080", nil) }\n'), 8080],
    ['go 0.0.0.0:9000', go('var addr = "0.0.0.0:9000"\n'), 9000],
    [
      'go const defaultPort = "18086"',
      go(
        'const defaultPort = "18086"\nfunc main() { port := env("PORT", defaultPort); http.ListenAndServe("0.0.0.0:"+port, nil) }\n',
      ),
      18086,
    ],
    ['node const DEFAULT_PORT = 3000', node('const DEFAULT_PORT = 3000;\n'), 3000],
    ['go dbPort is not the app port', go('const dbPort = "5432"\n'), undefined],
    ['go port fallback', go('func main() { port := os.Getenv("PORT"); if port == "" { port = "8088" } }\n'), 8088],
    ['go redis address is not the app port', go('var r = "localhost:6379"\n'), undefined],
    [
      '.env.example PORT',
      node('app.listen(process.env.PORT);\n', { '.env.example': 'PORT=3005\n' }),
      3005,
      /^\.env\.example:1: PORT=3005$/,
    ],
    ['.env.sample HTTP_PORT', node('x\n', { '.env.sample': 'export HTTP_PORT="3006"\n' }), 3006],
    [
      'Procfile uvicorn --port',
      py('x = 1\n', { Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port 8002\n' }),
      8002,
    ],
    [
      'Procfile $PORT gives nothing',
      py('x = 1\n', { Procfile: 'web: gunicorn app:app --bind 0.0.0.0:$PORT\n' }),
      undefined,
    ],
    [
      'existing Dockerfile EXPOSE',
      node('x\n', { Dockerfile: 'FROM node:20\nEXPOSE 3007/tcp\n' }),
      3007,
      /^Dockerfile:2: EXPOSE 3007\/tcp$/,
    ],
    [
      'code wins over .env.example and Dockerfile',
      node('app.listen(3008);\n', { '.env.example': 'PORT=1\n', Dockerfile: 'EXPOSE 2\n' }),
      3008,
    ],
    ['port > 65535 is refused', node('app.listen(70000);\n'), undefined],
  ];
  it.each(table.map(([name, files, port, source]) => ({ name, files, port, source })))(
    '$name',
    ({ files, port, source }) => {
      const f = detectFromFiles(memoryFiles(files));
      expect(f.port?.value).toBe(port);
      if (source) expect(f.port?.source).toMatch(source);
    },
  );
});

describe('privileged ports are never proposed', () => {
  it('listen(80) is rejected with a note even though a Dockerfile EXPOSEs 8080', async () => {
    const f = await detectFixture('node-port-privileged');
    expect(f.port).toBeUndefined();
    expect(f.notes).toEqual([
      'port 80 found (server.js:2: app.listen(80);) is not proposed: below 1024 (a privileged port; the app must listen on an unprivileged one)',
      'no health route found in the Node code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
    ]);
  });
  it('PORT=443 in .env.example is rejected', () => {
    const f = detectFromFiles(memoryFiles(node('x\n', { '.env.example': 'PORT=443\n' })));
    expect(f.port).toBeUndefined();
    expect(f.notes?.[0]).toMatch(/^port 443 found \(\.env\.example:1: PORT=443\) is not proposed: below 1024/);
  });
  it('port 70000 is rejected as above 65535', () => {
    const f = detectFromFiles(memoryFiles(node('app.listen(70000);\n')));
    expect(f.notes?.[0]).toMatch(/is not proposed: above 65535$/);
  });
});

describe('health path table', () => {
  const table: [string, Record<string, string>, string | undefined][] = [
    ['express /healthz', node("app.get('/healthz', h);\n"), '/healthz'],
    ['prefers /healthz over /ready', node("app.get('/ready', h);\napp.get('/healthz', h);\n"), '/healthz'],
    ['fastify route /livez', node("f.route({ method: 'GET', url: '/x' }); f.get(\"/livez\", h);\n"), '/livez'],
    ['/api/health', node("router.get('/api/health', h);\n"), '/api/health'],
    ['mounted router app.use("/health")', node("app.use('/health', healthRouter);\n"), '/health'],
    ['flask @app.route', py('@app.route("/health")\ndef h(): ...\n'), '/health'],
    ['fastapi @router.get', py('@router.get("/ready")\ndef h(): ...\n'), '/ready'],
    ['django path', py('urlpatterns = [path("healthz/", v)]\n'), '/healthz/'],
    ['go HandleFunc', go('http.HandleFunc("/healthz", h)\n'), '/healthz'],
    ['go gin GET', go('r.GET("/ping", h)\n'), '/ping'],
    ['node:http req.url comparison', node("if (req.url === '/healthz') { res.end('ok'); }\n"), '/healthz'],
    ['go r.URL.Path comparison', go('if r.URL.Path == "/health" { w.WriteHeader(200) }\n'), '/health'],
    ['python http.server self.path', py('if self.path == "/livez":\n    pass\n'), '/livez'],
    [
      'route table keyed by path (node)',
      node("const routes = {\n  '/': home,\n  '/healthz': () => ({ ok: true }),\n};\n"),
      '/healthz',
    ],
    ['route table keyed by path (python)', py('ROUTES = {"/health": lambda q: {"status": "ok"}}\n'), '/health'],
    ['a client fetch is not a route', node("fetch('/healthz');\n"), undefined],
    [
      'a bare /status route (express boilerplates)',
      node("router.get('/status', (req, res) => res.send('OK'));\n"),
      '/status',
    ],
    ['/v1/status', node("router.get('/v1/status', h);\n"), '/v1/status'],
    ['prefers /ping over /status', node("app.get('/status', h);\napp.get('/ping', h);\n"), '/ping'],
    ['a status route with a parameter is not a health route', node("app.get('/status/:id', h);\n"), undefined],
    ['a non-health route', node("app.get('/users', h);\n"), undefined],
    ['commented route ignored', node("// app.get('/healthz', h)\n"), undefined],
  ];
  it.each(table)('%s', (_name, files, path) => {
    expect(detectFromFiles(memoryFiles(files)).healthPath?.value).toBe(path);
  });
});

describe('data directories from committed env templates only', () => {
  it('absolute DATA_DIR-style paths are proposed, relative ones noted', () => {
    const f = detectFromFiles(
      memoryFiles(
        node('x\n', {
          '.env.example': 'DATA_DIR=/var/lib/app\nUPLOAD_DIR=/srv/uploads/\nMEDIA_ROOT=media\nSTORAGE_PATH=/a/../b\n',
        }),
      ),
    );
    expect(f.dataDirs).toEqual({
      value: ['/srv/uploads', '/var/lib/app'],
      source: '.env.example:1: DATA_DIR, .env.example:2: UPLOAD_DIR',
    });
    expect(f.notes).toEqual([
      '.env.example:3: MEDIA_ROOT is not a clean absolute path; not proposed as a data directory',
      '.env.example:4: STORAGE_PATH is not a clean absolute path; not proposed as a data directory',
      'no health route found in the Node code: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path with a real health route to require a 2xx/3xx answer',
      'no lockfile: npm install (not reproducible; commit a lockfile)',
    ]);
  });
  it('nothing in env templates -> no dataDirs fact', () => {
    expect(detectFromFiles(memoryFiles(node('x\n'))).dataDirs).toBeUndefined();
  });
});
