// .NET (issue 13): the app project among tests, Aspire hosts, Blazor WebAssembly clients and
// workers; the TargetFramework (own or inherited) and global.json's SDK; what the restore copies;
// port and health (Kestrel config, UseUrls, MapHealthChecks outside Development-only blocks); the
// Dockerfile (restore then publish, chiseled or -extra or runtime final image, the probe stage) and
// the build following --start. No .NET SDK exists on this machine: the probe is not compiled here.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { runInit } from '../../lib/cli/init.js';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { dotnetProbeSource } from '../../lib/runtimes/dotnet/probe.js';

const detect = (files: Record<string, string>) => detectFromFiles(memoryFiles(files));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gen(files: Record<string, string>, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-dotnet-'));
  dirs.push(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInit(['--yes', ...args], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join(''), read: (p: string) => readFileSync(join(dir, p), 'utf8') };
}

const web = (tfm = 'net8.0', extra = ''): string =>
  `<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>${tfm}</TargetFramework>\n  </PropertyGroup>\n${extra}</Project>\n`;

const SOLUTION: Record<string, string> = {
  'Shop.sln': '',
  'src/Shop.Api/Shop.Api.csproj': web(
    'net8.0',
    '  <ItemGroup><ProjectReference Include="..\\Shop.Core\\Shop.Core.csproj" /></ItemGroup>\n',
  ),
  'src/Shop.Api/Program.cs': 'var app = WebApplication.Create(args);\napp.MapHealthChecks("/healthz");\napp.Run();\n',
  'src/Shop.Core/Shop.Core.csproj':
    '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n',
  'src/Shop.AppHost/Shop.AppHost.csproj':
    '<Project Sdk="Microsoft.NET.Sdk">\n  <Sdk Name="Aspire.AppHost.Sdk" Version="9.0.0" />\n  <PropertyGroup><OutputType>Exe</OutputType><IsAspireHost>true</IsAspireHost></PropertyGroup>\n</Project>\n',
  'src/Shop.Client/Shop.Client.csproj': '<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly"></Project>\n',
  'tests/Shop.Api.Tests/Shop.Api.Tests.csproj':
    '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" /></ItemGroup></Project>\n',
  'Directory.Build.props': '<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>\n',
  'nuget.config': '<configuration />\n',
};

describe('dotnet detection', () => {
  it('the web project, not its tests, the Aspire host or the WebAssembly client; the restore reads its references and MSBuild imports', () => {
    const f = detect(SOLUTION);
    expect(f.runtime?.value).toBe('dotnet');
    expect(f.start).toEqual({
      value: ['dotnet', 'Shop.Api.dll'],
      source: 'src/Shop.Api/Shop.Api.csproj: an ASP.NET Core project',
    });
    expect(f.name?.value).toBe('shop-api');
    expect(f.runtimeVersion).toEqual({
      value: '8.0',
      source: 'src/Shop.Api/Shop.Api.csproj: <TargetFramework>net8.0</TargetFramework>',
    });
    expect(f.settings?.value.manifests).toEqual([
      'src/Shop.Api/Shop.Api.csproj',
      'src/Shop.Core/Shop.Core.csproj',
      'Directory.Build.props',
      'nuget.config',
    ]);
    expect(f.healthPath).toEqual({
      value: '/healthz',
      source: 'src/Shop.Api/Program.cs:2: app.MapHealthChecks("/healthz");',
    });
    expect(f.port?.value).toBe(8080);
  });

  it('TargetFramework from Directory.Build.props; TargetFrameworks takes the newest supported; a Windows TFM is not a Linux app', () => {
    const inherited = detect({
      'Directory.Build.props':
        '<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>',
      'App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    });
    expect(inherited.runtimeVersion).toEqual({
      value: '9.0',
      source: 'Directory.Build.props: <TargetFramework>net9.0</TargetFramework>',
    });
    const multi = detect({
      'App.csproj':
        '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFrameworks>net8.0;net9.0;net10.0-windows</TargetFrameworks></PropertyGroup></Project>',
    });
    expect(multi.runtimeVersion?.value).toBe('9.0');
  });

  it('global.json: the patch roll-forward pins that SDK image; latestFeature takes its release line', () => {
    const exact = detect({ 'App.csproj': web(), 'global.json': '{ "sdk": { "version": "8.0.404" } }' });
    expect(exact.settings?.value.sdk).toBe('8.0.404');
    expect(exact.notes?.join('\n')).toMatch(/mcr\.microsoft\.com\/dotnet\/sdk:8\.0\.404/);
    const line = detect({
      'App.csproj': web(),
      'global.json': '{ "sdk": { "version": "9.0.100", "rollForward": "latestMajor" } }',
    });
    expect(line.settings?.value.sdk).toBe('9.0');
  });

  it('a worker: the runtime image and a note about the health endpoint; ICU packages: the -extra image; PublishAot: published framework-dependent', () => {
    const w = detect({
      'W.csproj':
        '<Project Sdk="Microsoft.NET.Sdk.Worker"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
      'Program.cs': '',
    });
    expect(w.framework?.value).toBe('worker');
    expect(w.settings?.value.runtimeOnly).toBe(true);
    expect(w.notes?.join('\n')).toMatch(/a worker without an HTTP endpoint/);
    const sql = detect({
      'App.csproj': web('net8.0', '<ItemGroup><PackageReference Include="Microsoft.Data.SqlClient" /></ItemGroup>'),
    });
    expect(sql.settings?.value.icu).toBe(true);
    const aot = detect({ 'App.csproj': web('net8.0', '<PropertyGroup><PublishAot>true</PublishAot></PropertyGroup>') });
    expect(aot.build?.value?.at(-1)).toBe('-p:PublishAot=false');
  });

  it('ports: UseUrls in code, Kestrel endpoints or urls in appsettings.json; localhost only is a note', () => {
    const code = detect({ 'App.csproj': web(), 'Program.cs': 'builder.WebHost.UseUrls("http://*:5005");\n' });
    expect(code.port).toEqual({ value: 5005, source: 'Program.cs:1: builder.WebHost.UseUrls("http://*:5005");' });
    const urls = detect({
      'App.csproj': web(),
      'appsettings.json': '{ "urls": "http://0.0.0.0:5006;https://0.0.0.0:5007" }',
    });
    expect(urls.port?.value).toBe(5006);
    const lo = detect({
      'App.csproj': web(),
      'Program.cs': 'builder.WebHost.ConfigureKestrel(o => o.ListenLocalhost(5008));\n',
    });
    expect(lo.port?.value).toBe(5008);
    expect(lo.notes?.join('\n')).toMatch(/listens on loopback only/);
  });

  it('health checks mapped only in Development are not used (the image runs in Production), and say so', () => {
    const f = detect({
      'App.csproj': web(),
      'Program.cs':
        'var app = builder.Build();\nif (app.Environment.IsDevelopment())\n{\n    app.MapHealthChecks("/health");\n}\napp.Run();\n',
    });
    expect(f.healthPath).toBeUndefined();
    expect(f.notes?.join('\n')).toMatch(/mapped only in the Development environment/);
  });

  it('two web apps of the same kind: the start is a guess', () => {
    const f = detect({ 'A.Api/A.Api.csproj': web(), 'B.Api/B.Api.csproj': web() });
    expect(f.start?.guess).toMatch(/2 app projects of the same kind/);
  });
});

describe('dotnet profile', () => {
  const p = profileFor('dotnet');
  it('versions, start validation, images, probe argv', () => {
    expect(p.normalizeVersion('net8.0')).toBe('8.0');
    expect(p.normalizeVersion('9')).toBe('9.0');
    expect(p.normalizeVersion('10.0.1')).toBe('10.0');
    expect(p.checkStart(['dotnet', 'run'], { name: 'x' })).toMatch(/published assembly/);
    expect(p.checkStart(['./App'], { name: 'x' })).toMatch(/with dotnet directly/);
    expect(p.checkStart(['dotnet', 'App.dll'], { name: 'x' })).toBeUndefined();
    expect(p.images('8.0', 'distroless').final).toBe('mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled');
    expect(p.healthcheck('distroless', 8080, '/healthz')).toEqual([
      '/usr/bin/dotnet',
      '/app/healthcheck/healthcheck.dll',
      'http://127.0.0.1:8080/healthz',
    ]);
    expect(p.entrypoint(['dotnet', 'App.dll'], 'distroless', {} as never)).toEqual(['/usr/bin/dotnet', 'App.dll']);
  });

  it('the probe source compiles as empty outside its own project (the symbol only its csproj defines)', () => {
    const src = dotnetProbeSource('test');
    const lines = src.split('\n');
    const open = lines.findIndex((l) => l === '#if SECURE_CONTAINER_HEALTHCHECK');
    const close = lines.lastIndexOf('#endif');
    expect(open).toBeGreaterThan(0);
    // only comments before the guard and nothing after it: an app project that globs it sees no code
    expect(lines.slice(0, open).every((l) => l === '' || l.startsWith('//'))).toBe(true);
    expect(
      lines
        .slice(close + 1)
        .join('')
        .trim(),
    ).toBe('');
  });
});

describe('dotnet generation', () => {
  it('restore from the project files, publish after the sources, probe stage, chiseled final with a numeric user, self-check clean', async () => {
    const r = await gen(SOLUTION);
    expect(r.err).toBe('');
    const df = r.read('Dockerfile');
    const froms = DockerfileParser.parse(df)
      .getInstructions()
      .filter((i) => i.getKeyword() === 'FROM')
      .map((i) => i.getArgumentsContent());
    expect(froms).toEqual([
      'mcr.microsoft.com/dotnet/sdk:8.0-noble AS build',
      'mcr.microsoft.com/dotnet/sdk:8.0-noble AS probe',
      'mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled AS runtime',
    ]);
    expect(df).toMatch(/^COPY Directory\.Build\.props nuget\.config \.\/$/m);
    expect(df).toMatch(/^COPY src\/Shop\.Core\/Shop\.Core\.csproj src\/Shop\.Core\/$/m);
    expect(df).not.toMatch(/Tests|Shop\.AppHost|Shop\.Client/);
    expect(df.indexOf('dotnet restore src/Shop.Api/Shop.Api.csproj')).toBeLessThan(df.indexOf('COPY . .'));
    expect(df).toMatch(
      /^ {4}dotnet publish src\/Shop\.Api\/Shop\.Api\.csproj -c Release -o \/out --no-restore -p:UseAppHost=false$/m,
    );
    expect(df).toMatch(/^ENV ASPNETCORE_HTTP_PORTS=8080$/m);
    expect(df).toMatch(/^USER 65532:65532$/m);
    expect(df).toMatch(/^ENTRYPOINT \["\/usr\/bin\/dotnet", "Shop\.Api\.dll"\]$/m);
    const final = df.slice(df.indexOf('AS runtime'));
    expect(final).not.toMatch(/^RUN /m);
    expect(r.read('deploy/healthcheck/healthcheck.csproj')).toMatch(/<TargetFramework>net8\.0<\/TargetFramework>/);
    const files = ['Dockerfile', 'compose.yaml'].map((path) => ({ path, contents: r.read(path) }));
    expect(auditGenerated(files).filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.read('.dockerignore')).toMatch(/^\*\*\/obj$/m);
  });

  it('--start names another app: the restore files and the publish follow it; a publish of your own for another project is refused', async () => {
    const two = { ...SOLUTION, 'src/Shop.Admin/Shop.Admin.csproj': web('net8.0') };
    const ok = await gen(two, ['--start', 'dotnet Shop.Admin.dll']);
    expect(ok.err).toBe('');
    const df = ok.read('Dockerfile');
    expect(df).toMatch(/dotnet restore src\/Shop\.Admin\/Shop\.Admin\.csproj/);
    expect(df).toMatch(/dotnet publish src\/Shop\.Admin\/Shop\.Admin\.csproj/);
    expect(df).not.toMatch(/Shop\.Core/);
    const bad = await gen(two, [
      '--start',
      'dotnet Shop.Admin.dll',
      '--build',
      'dotnet publish src/Shop.Api/Shop.Api.csproj -c Release -o /out',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--build: publishes src\/Shop\.Api\/Shop\.Api\.csproj but --start runs Shop\.Admin\.dll/);
  });

  it('alpine: the Alpine ASP.NET Core image, package manager removed, uid 10001; a pinned SDK builds', async () => {
    const r = await gen({ 'App.csproj': web('net9.0'), 'global.json': '{ "sdk": { "version": "9.0.203" } }' }, [
      '--flavor',
      'alpine',
    ]);
    expect(r.err).toBe('');
    const df = r.read('Dockerfile');
    expect(df).toMatch(/^FROM mcr\.microsoft\.com\/dotnet\/sdk:9\.0\.203 AS build$/m);
    expect(df).toMatch(/^FROM mcr\.microsoft\.com\/dotnet\/aspnet:9\.0-alpine AS runtime$/m);
    expect(df).toMatch(/^RUN rm -rf \/sbin\/apk /m);
    expect(df).toMatch(/^USER 10001:10001$/m);
  });

  it('--secrets-helper writes ContainerSecrets.cs', async () => {
    const r = await gen({ 'App.csproj': web() }, ['--secret', 'db_password', '--secrets-helper']);
    expect(r.read('ContainerSecrets.cs')).toMatch(/public static string Read\(string name\)/);
  });
});
