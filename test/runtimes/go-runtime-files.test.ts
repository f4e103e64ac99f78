// Go: files the binary reads from its working directory at run time (templates, static assets,
// configuration, migrations) are found from the call table and copied to /app, owned by root.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import type { DetectedFacts } from '../../lib/detect/model.js';
import type { Flavor, ProjectLayout } from '../../lib/core/types.js';
import { buildSpec } from '../../lib/spec/build.js';
import { renderDockerfile } from '../../lib/outputs/dockerfile.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { goRuntimeFiles } from '../../lib/runtimes/go/profile.js';
import { MAX_SCAN_FILES, RUNTIME_FILE_CALLS, runtimePathOf } from '../../lib/runtimes/go/runtime-files.js';
import { answersFor } from '../helpers/answers.js';
import { dockerfileViolations, parseDockerfile } from '../helpers/dockerfile.js';

const GO_MOD = 'module example.com/site\n\ngo 1.22\n';

/** A root main package whose body is `body`, plus the given extra files. */
function detect(body: string, extra: Record<string, string> = {}, header = ''): DetectedFacts {
  return detectFromFiles(
    memoryFiles({
      'go.mod': GO_MOD,
      'main.go': `package main\n${header}\nfunc main() {\n${body}\n}\n`,
      ...extra,
    }),
  );
}
const runtimeFiles = (f: DetectedFacts): unknown => f.settings?.value.runtimeFiles;

/** Every repository path a call might name. */
const TREE: Record<string, string> = {
  'templates/index.html': '<p>{{.}}</p>',
  'static/site.css': 'body{}',
  'public/index.html': '<p>hi</p>',
  'views/home.html': '<p>home</p>',
  'config/app.yaml': 'a: 1',
  'config.yaml': 'a: 1',
  'migrations/0001_init.up.sql': 'create table t (id int);',
};

describe('the call table: each pattern with a literal path that exists', () => {
  const valid: [string, string, string][] = [
    ['gin LoadHTMLGlob', 'router.LoadHTMLGlob("templates/*.tmpl.html")', 'templates/'],
    ['gin LoadHTMLFiles', 'router.LoadHTMLFiles("templates/index.html", "templates/b.html")', 'templates/'],
    ['gin Static', 'router.Static("/static", "static")', 'static/'],
    ['echo Static', 'e.Static("/", "public")', 'public/'],
    ['fiber Static', 'app.Static("/", "./public")', 'public/'],
    ['gin StaticFile', 'r.StaticFile("/", "./public/index.html")', 'public/'],
    ['echo File', 'e.File("/", "public/index.html")', 'public/'],
    ['gin c.File', 'c.File("public/index.html")', 'public/'],
    ['net/http FileServer', 'http.Handle("/", http.FileServer(http.Dir("./static")))', 'static/'],
    ['net/http ServeFile', 'http.ServeFile(w, r, "public/index.html")', 'public/'],
    ['template.ParseGlob', 't := template.Must(template.ParseGlob("templates/*"))', 'templates/'],
    ['template.ParseFiles', 't, _ := template.ParseFiles("templates/index.html")', 'templates/'],
    ['New().ParseGlob', 't := template.Must(template.New("x").ParseGlob("templates/*.html"))', 'templates/'],
    ['fiber html engine', 'engine := html.New("./views", ".html")', 'views/'],
    ['viper AddConfigPath', 'viper.AddConfigPath("./config")', 'config/'],
    ['viper SetConfigFile', 'viper.SetConfigFile("config.yaml")', 'config.yaml'],
    ['os.ReadFile of a file', 'b, _ := os.ReadFile("config.yaml")', 'config.yaml'],
    ['os.Open in a directory', 'f, _ := os.Open("config/app.yaml")', 'config/'],
    ['migrate file:// source', 'm, _ := migrate.New("file://migrations", dsn)', 'migrations/'],
  ];
  it.each(valid)('%s', (_name, call, path) => {
    const f = detect(call, TREE);
    expect(runtimeFiles(f)).toEqual([path]);
    expect(f.settings?.source).toMatch(/^main\.go:\d+: /);
    expect(f.notes?.some((n) => n.includes(`the binary reads ${path} from its working directory`))).toBe(true);
  });
  it('covers every row of the table', () => {
    // a new row needs a case above: the names of the rows each case exercises
    const hit = new Set<string>();
    for (const [, call] of valid)
      for (const c of RUNTIME_FILE_CALLS) if (new RegExp(c.re.source).test(call)) hit.add(c.what);
    expect([...hit].sort()).toEqual(RUNTIME_FILE_CALLS.map((c) => c.what).sort());
  });
});

describe('paths that are not copied', () => {
  const invalid: [string, string, Record<string, string>, string][] = [
    ['a variable path', 'router.LoadHTMLGlob(dir + "/*.html")\nhttp.Dir(staticDir)', TREE, ''],
    ['a literal joined with a variable', 'http.Dir("static" + sub)', TREE, ''],
    ['a path with ..', 'http.Dir("../static")\ntemplate.ParseGlob("templates/../../etc/*")', TREE, ''],
    ['an absolute path', 'http.Dir("/srv/static")\nviper.AddConfigPath("/etc/app")', TREE, ''],
    ['the working directory itself', 'http.Dir(".")\nhttp.Dir("./")', TREE, ''],
    ['an environment expansion', 'os.ReadFile("$HOME/config.yaml")', TREE, ''],
    ['a glob in the first segment', 'template.ParseGlob("*.html")', { ...TREE, 'a.html': 'x' }, ''],
    ['an absent directory', 'router.Static("/assets", "./assets")', TREE, ''],
    ['an absent file', 'os.ReadFile("settings.json")', TREE, ''],
    ['a commented-out call', '// router.LoadHTMLGlob("templates/*")', TREE, ''],
    [
      'embedded in the same package',
      'router.Static("/static", "static")\nt := template.Must(template.ParseGlob("templates/*"))',
      TREE,
      'import "embed"\n\n//go:embed all:static templates/*\nvar content embed.FS',
    ],
    ['a secret-looking file', 'b, _ := os.ReadFile("server.key")', { ...TREE, 'server.key': 'k' }, ''],
    ['a directory the .dockerignore leaves out', 'http.Dir("./bin")', { ...TREE, 'bin/tool': 'x' }, ''],
  ];
  it.each(invalid)('%s', (_name, call, tree, header) => {
    const f = detect(call, tree, header);
    expect(runtimeFiles(f)).toBeUndefined();
    expect(f.notes?.some((n) => n.includes('from its working directory at run time')) ?? false).toBe(false);
  });

  it('embedded in another package does not hide the call in the main package', () => {
    const f = detect('router.Static("/static", "static")', {
      ...TREE,
      'web/embed.go': 'package web\n\nimport "embed"\n\n//go:embed static\nvar Static embed.FS\n',
    });
    expect(runtimeFiles(f)).toEqual(['static/']);
  });
});

describe('which files are scanned', () => {
  it('the main package and the packages of the module it imports (transitively), not the others', () => {
    const f = detectFromFiles(
      memoryFiles({
        ...TREE,
        'go.mod': GO_MOD,
        'cmd/site/main.go':
          'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/site/internal/web"\n)\n\nfunc main() { http.ListenAndServe(":8080", web.Routes()) }\n',
        'internal/web/routes.go':
          'package web\n\nimport "example.com/site/internal/views"\n\nfunc Routes() { views.Load(); http.Dir("./static") }\n',
        'internal/views/views.go': 'package views\n\nfunc Load() { template.ParseGlob("templates/*.html") }\n',
        // not imported by the main package: its call is not the binary's
        'tools/gen/main.go': 'package main\n\nfunc main() { viper.AddConfigPath("config") }\n',
      }),
    );
    expect(f.goMainPackage?.value).toBe('./cmd/site');
    expect(runtimeFiles(f)).toEqual(['static/', 'templates/']);
    expect(f.settings?.source).toBe(
      'internal/web/routes.go:5: func Routes() { views.Load(); http.Dir("./static") }; internal/views/views.go:3: func Load() { template.ParseGlob("templates/*.html") }',
    );
  });

  it(`at most ${MAX_SCAN_FILES} files`, () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < MAX_SCAN_FILES; i++) many[`a${String(i).padStart(3, '0')}.go`] = 'package main\n';
    // sorted after the others: beyond the cap
    many['zz.go'] = 'package main\n\nfunc z() { http.Dir("static") }\n';
    expect(runtimeFiles(detect('', { ...TREE, ...many }))).toBeUndefined();
  });

  it('a path next to a package in a subdirectory (not at the root) is a note, not a copy', () => {
    const f = detectFromFiles(
      memoryFiles({
        'go.mod': GO_MOD,
        'demo/main.go': 'package main\n\nfunc main() { r.Static("/assets", "./assets") }\n',
        'demo/assets/a.css': 'x',
      }),
    );
    expect(runtimeFiles(f)).toBeUndefined();
    expect(f.notes).toContainEqual(expect.stringMatching(/^demo\/main\.go:3: .*the repository has it at demo\/assets/));
  });

  it('linear on hostile input: a long line of near-matches scans quickly', () => {
    const junk = `${'router.Static("/", "'.repeat(20000)}\n${'http.ServeFile(w, r, '.repeat(20000)}`;
    const t = Date.now();
    detect(junk, TREE);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('runtimePathOf', () => {
  it.each([
    ['./static', { name: 'static', more: false }],
    ['templates/*.tmpl.html', { name: 'templates', more: true }],
    ['config.yaml', { name: 'config.yaml', more: false }],
    ['.//public//', { name: 'public', more: false }],
    ['/etc/app', undefined],
    ['../x', undefined],
    ['a/../../x', undefined],
    ['~/x', undefined],
    ['${DIR}/x', undefined],
    ['*.html', undefined],
    ['.', undefined],
  ])('%s', (raw, out) => {
    expect(runtimePathOf(raw)).toEqual(out);
  });
});

describe('the Dockerfile copies them into /app, owned by root', () => {
  const go = profileFor('go');
  const layout = (files: string[]): ProjectLayout =>
    go.layout(
      {
        goMainPackage: { value: '.', source: 'x' },
        settings: { value: { runtimeFiles: files }, source: 'main.go:1: x' },
      },
      answersFor('go', {}),
      {},
    );

  it.each<Flavor>(['distroless', 'scratch', 'alpine'])('%s', (flavor) => {
    const text = renderDockerfile(
      buildSpec(answersFor('go', { flavor }), layout(['templates/', 'static/', 'config.yaml'])),
    );
    const stages = parseDockerfile(text);
    const final = stages[stages.length - 1];
    expect(final.name).toBe('runtime');
    expect(final.instructions.find((i) => i.keyword === 'WORKDIR')?.args).toBe('/app');
    const copies = final.instructions.filter((i) => i.keyword === 'COPY' && i.args.startsWith('/src/'));
    expect(copies.map((c) => ({ args: c.args, flags: c.flagList }))).toEqual([
      { args: '/src/templates/ /app/templates/', flags: ['from=build'] },
      { args: '/src/static/ /app/static/', flags: ['from=build'] },
      { args: '/src/config.yaml /app/config.yaml', flags: ['from=build'] },
    ]);
    // the start command is the binary in /app, whose relative paths resolve against WORKDIR
    expect(final.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.json).toEqual(['/app/demo']);
    const uid = flavor === 'distroless' ? 65532 : 10001;
    expect(dockerfileViolations(text, { uid, gid: uid, port: 8080, dataDirs: [] })).toEqual([]);
  });

  it('no runtime files: no extra COPY (the layout has no settings)', () => {
    const l = go.layout({ goMainPackage: { value: '.', source: 'x' } }, answersFor('go', {}), {});
    expect(l).not.toHaveProperty('settings');
    const text = renderDockerfile(buildSpec(answersFor('go', {}), l));
    expect(text).not.toMatch(/COPY --from=build \/src\//);
  });

  it('settings from .yo-rc.json are re-validated: nested, absolute, .. and non-strings are dropped', () => {
    expect(goRuntimeFiles({ runtimeFiles: ['templates/', '/etc/', '../x/', 'a/b', '..', 'ok.yaml', 'a b/'] })).toEqual([
      'templates/',
      'ok.yaml',
    ]);
    expect(goRuntimeFiles({ runtimeFiles: 'templates/' })).toEqual([]);
    expect(goRuntimeFiles(undefined)).toEqual([]);
  });
});
