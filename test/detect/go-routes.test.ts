// Go health routes through router prefixes (issue 10 item 6): gin/echo groups, chi Route/Mount,
// gorilla subrouters, net/http patterns; a debug server's routes are set aside.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { goPrefixHandoffs, goRoutes } from '../../lib/detect/routes-go.js';

const app = (main: string, extra: Record<string, string> = {}) =>
  detectFromFiles(memoryFiles({ 'go.mod': 'module x.io/app\ngo 1.22\n', 'main.go': main, ...extra }));

describe('goRoutes: prefixes resolved', () => {
  it.each([
    ['gin group variable', 'v1 := r.Group("/api/v1")\n{\n\tv1.GET("/health", h)\n}\n', ['/api/v1/health']],
    ['nested gin groups', 'api := r.Group("/api")\nv1 := api.Group("/v1")\nv1.GET("/ping", h)\n', ['/api/v1/ping']],
    [
      'gin group with GET("/") (gothinkster/golang-gin-realworld-example-app: /api/ping/)',
      'testAuth := r.Group("/api/ping")\ntestAuth.GET("/", func(c *gin.Context) {})\n',
      ['/api/ping/'],
    ],
    ['chained group', 'r.Group("/api").GET("/healthz", h)\n', ['/api/healthz']],
    ['echo group', 'g := e.Group("/admin")\ng.GET("/status", h)\n', ['/admin/status']],
    [
      'gorilla subrouter',
      's := r.PathPrefix("/api").Subrouter()\ns.HandleFunc("/health", h).Methods("GET")\n',
      ['/api/health'],
    ],
    [
      'chi Route closure, nested',
      'r.Route("/api", func(r chi.Router) {\n\tr.Route("/v1", func(r chi.Router) {\n\t\tr.Get("/health", h)\n\t})\n\tr.Get("/ping", h)\n})\nr.Get("/", h)\n',
      ['/api/v1/health', '/api/ping', '/'],
    ],
    [
      'chi Mount of a router variable defined before',
      'api := chi.NewRouter()\napi.Get("/healthz", h)\nr.Mount("/api", api)\n',
      ['/api/healthz'],
    ],
    [
      'chi Mount of a router function',
      'func main() {\n\tr := chi.NewRouter()\n\tr.Mount("/api", apiRouter())\n}\n\nfunc apiRouter() http.Handler {\n\tr := chi.NewRouter()\n\tr.Get("/health", h)\n\treturn r\n}\n',
      ['/api/health'],
    ],
    [
      'net/http method patterns; POST is not a probe target',
      'mux.HandleFunc("GET /debug/readiness", h)\nmux.HandleFunc("POST /login", h)\nhttp.Handle("/metrics", m)\n',
      ['/debug/readiness', '/metrics'],
    ],
    [
      'a re-assigned variable carries no prefix',
      'func a() {\n\tr := x.Group("/api")\n\tr.GET("/x", h)\n}\nfunc b() {\n\tr := gin.New()\n\tr.GET("/health", h)\n}\n',
      ['/api/x', '/health'],
    ],
  ])('%s', (_name, code, want) => {
    expect(goRoutes(`package main\n\n${code}`).map((r) => r.path)).toEqual(want);
  });

  it('a debug server (func DebugMux, or a debugMux variable) is marked', () => {
    const r = goRoutes(
      'package h\n\nfunc DebugMux() http.Handler {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/debug/liveness", l)\n\treturn mux\n}\n\nfunc x() { debugMux.HandleFunc("/health", h) }\n',
    );
    expect(r.map((x) => [x.path, x.debug])).toEqual([
      ['/debug/liveness', 'in func DebugMux'],
      ['/health', 'on debugMux'],
    ]);
  });

  it('stays linear on a large file (no quadratic prefix lookups)', () => {
    const parts = ['package main\n'];
    for (let i = 0; i < 4000; i++) parts.push(`g${i % 50} := r.Group("/p${i}")\ng${i % 50}.GET("/x", h)\n`);
    parts.push('r.Route("/a", func(r chi.Router) {\n'.repeat(200), 'r.Get("/health", h)\n', '})\n'.repeat(200));
    const t0 = performance.now();
    const routes = goRoutes(parts.join(''));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(routes.at(-1)?.path).toBe(`${'/a'.repeat(200)}/health`);
  });
});

describe('prefixes handed to functions in other files', () => {
  it('chi Mount of a function call and a gin group passed as an argument', () => {
    const main =
      'package main\n\nfunc main() {\n\tr := chi.NewRouter()\n\tr.Mount("/api", api.Routes(store))\n\tv1 := g.Group("/v1")\n\tusers.Register(v1.Group("/users"))\n}\n';
    const given = goPrefixHandoffs(main);
    expect([...given]).toEqual([
      ['Routes', '/api'],
      ['Register', '/v1/users'],
    ]);
    expect(
      goRoutes(
        'package api\n\nfunc Routes(s *S) http.Handler {\n\tr := chi.NewRouter()\n\tr.Get("/healthz", h)\n\treturn r\n}\n',
        given,
      ).map((r) => r.path),
    ).toEqual(['/api/healthz']);
    expect(
      goRoutes('package users\n\nfunc Register(g *gin.RouterGroup) {\n\tg.GET("/ping", h)\n}\n', given)[0]?.path,
    ).toBe('/v1/users/ping');
  });
  it('a Mount in the same file is not counted twice', () => {
    const text =
      'package main\n\nfunc main() {\n\tr.Mount("/api", apiRouter())\n}\n\nfunc apiRouter() http.Handler {\n\tr := chi.NewRouter()\n\tr.Get("/health", h)\n\treturn r\n}\n';
    expect(goRoutes(text, goPrefixHandoffs(text)).map((r) => r.path)).toEqual(['/api/health']);
  });
});

describe('health path detection in Go apps', () => {
  it('gin group: the route with its prefix, the source at the registration', () => {
    const f = app(
      'package main\n\nfunc main() {\n\tr := gin.Default()\n\tv1 := r.Group("/api/v1")\n\tv1.GET("/health", h)\n\tr.Run()\n}\n',
    );
    expect(f.healthPath).toEqual({ value: '/api/v1/health', source: 'main.go:6: v1.GET("/health", h)' });
  });
  it('chi Route in another package file', () => {
    const f = app('package main\n', {
      'internal/http/routes.go':
        'package http\n\nfunc Routes(r chi.Router) {\n\tr.Route("/api", func(r chi.Router) {\n\t\tr.Get("/healthz", h)\n\t})\n}\n',
    });
    expect(f.healthPath?.value).toBe('/api/healthz');
  });
  it('net/http /debug/readiness on the main mux is used; liveness beats readiness', () => {
    const f = app(
      'package main\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/debug/readiness", r)\n\tmux.HandleFunc("/debug/liveness", l)\n}\n',
    );
    expect(f.healthPath?.value).toBe('/debug/liveness');
  });
  it("a debug server route is not the app port's: a note, and no health path", () => {
    const f = app('package main\n', {
      'handlers/handlers.go':
        'package handlers\n\nfunc DebugMux() http.Handler {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/debug/readiness", r)\n\treturn mux\n}\n',
    });
    expect(f.healthPath).toBeUndefined();
    const notes = f.notes?.join('\n') ?? '';
    expect(notes).toMatch(
      /handlers\/handlers\.go:5: .*\(\/debug\/readiness, in func DebugMux\): a health route of a debug server/,
    );
    expect(notes).toMatch(/no health route found in the Go code/);
  });
  it('a commented-out registration is not a route', () => {
    const f = app('package main\n\nfunc main() {\n\tg := r.Group("/api")\n\t// g.GET("/health", h)\n}\n');
    expect(f.healthPath).toBeUndefined();
  });
});
