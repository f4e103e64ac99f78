// .NET detection: the project to publish (an ASP.NET Core web project first; test projects and
// .NET Aspire hosts never), its TargetFramework (or Directory.Build.props'), global.json's SDK, the
// project files and MSBuild imports the restore needs, the assembly that starts, the port
// (UseUrls/Listen in code, appsettings.json's Kestrel endpoints and urls) and a MapHealthChecks
// route that is mapped outside a Development-only block. Pure: reads through ctx.
import type { Fact, RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { HEALTH_NAMES, rankHealth } from '../../detect/port.js';
import { basename, depth, dirname, dnsLabel, isRecord, LineIndex, parseJsonc, str } from '../../detect/text.js';
import { compareDotted, supportedVersions } from '../../detect/versions.js';
import { inheritedProps, parseProject, tfmVersion, type MsProject } from './project.js';
import { DOTNET_VERSIONS } from './versions.js';

export const DOTNET_SUPPORTED: readonly string[] = supportedVersions(DOTNET_VERSIONS);

const PROJECT = /\.(?:cs|fs|vb)proj$/;
const TESTY =
  /(?:^|[./_-])(?:tests?|specs?|benchmarks?|e2e|integrationtests?|unittests?|functionaltests?)(?:$|[./_-])/i;
const SERVERISH = /(?:^|[._-])(?:api|web|server|service|gateway|backend|host|app)(?:$|[._-])/i;
/** Packages that need ICU (culture data): the chiseled images run in invariant globalization mode. */
const ICU_PACKAGES = ['Microsoft.Data.SqlClient', 'Microsoft.EntityFrameworkCore.SqlServer', 'System.Data.SqlClient'];

interface Candidate {
  p: MsProject;
  props: Partial<Record<string, string>>;
  web: boolean;
  rank: number;
}

function isTest(p: MsProject, props: Partial<Record<string, string>>): boolean {
  return (
    props.IsTestProject === 'true' ||
    p.packages.some((x) => /^(?:Microsoft\.NET\.Test\.Sdk|xunit|NUnit|MSTest\.TestFramework)$/i.test(x)) ||
    p.sdks.some((s) => /^MSTest\.Sdk$/i.test(s)) ||
    TESTY.test(basename(p.path).replace(PROJECT, '')) ||
    p.path
      .split('/')
      .slice(0, -1)
      .some((d) => /^(?:tests?|test-?projects?|benchmarks?|samples?|examples?)$/i.test(d))
  );
}

const isAspireHost = (p: MsProject, props: Partial<Record<string, string>>): boolean =>
  props.IsAspireHost === 'true' ||
  props.IsAspireSharedProject === 'true' ||
  p.sdks.some((s) => /^Aspire\.AppHost\.Sdk$/i.test(s));

const isWeb = (p: MsProject): boolean =>
  p.sdks.some((s) => /^Microsoft\.NET\.Sdk\.Web$/i.test(s)) ||
  p.frameworks.some((f) => f === 'Microsoft.AspNetCore.App');

const isExe = (p: MsProject, props: Partial<Record<string, string>>): boolean =>
  (isWeb(p) && !p.sdks.some((s) => /BlazorWebAssembly/i.test(s))) ||
  /^(?:Exe|WinExe)$/i.test(props.OutputType ?? '') ||
  p.sdks.some((s) => /^Microsoft\.NET\.Sdk\.Worker$/i.test(s));

/** The project's own target framework, else an inherited one; the newest supported of a TargetFrameworks list. */
function frameworkOf(props: Partial<Record<string, string>>): { version?: string | undefined; raw?: string } {
  const raw = props.TargetFramework ?? props.TargetFrameworks;
  if (raw === undefined) return {};
  const versions = raw
    .split(';')
    .map((t) => tfmVersion(t))
    .filter((v): v is string => v !== undefined)
    .sort(compareDotted);
  const supported = versions.filter((v) => DOTNET_SUPPORTED.includes(v));
  return {
    raw,
    ...((supported.at(-1) ?? versions.at(-1)) !== undefined ? { version: supported.at(-1) ?? versions.at(-1) } : {}),
  };
}

/** Is the call at `offset` inside an `if (… IsDevelopment())` block? (braces counted between them) */
function inDevelopmentBlock(text: string, offset: number): boolean {
  const from = Math.max(0, offset - 1500);
  const before = text.slice(from, offset);
  const at = before.lastIndexOf('IsDevelopment()');
  if (at === -1) return false;
  let depth = 0;
  for (const c of before.slice(at)) {
    if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return depth > 0;
}

const HEALTH_CALL = new RegExp(
  String.raw`\b(?:MapHealthChecks|UseHealthChecks|MapGet|MapMethods|HttpGet|Route)\s*\(\s*"(\/?(?:[A-Za-z0-9_.-]+\/){0,3}(?:${HEALTH_NAMES.map((n) => n.replace(/-/g, '\\-')).join('|')}|alive|health_check)\/?)"`,
  'g',
);
const LOCALHOST_LISTEN =
  /\b(?:ListenLocalhost\s*\(|UseUrls\s*\(\s*"https?:\/\/(?:localhost|127\.0\.0\.1)[:"]|Urls\.Add\s*\(\s*"https?:\/\/(?:localhost|127\.0\.0\.1)[:"])/;

export interface DotnetResult {
  facts: DetectedFacts;
  entryFiles: string[];
  withPort(facts: DetectedFacts): void;
}

export function detectDotnet(ctx: Ctx): DotnetResult {
  const facts: DetectedFacts = {};
  const read = (p: string): string | undefined => ctx.read(p);
  const projects = ctx.files.list.filter((f) => PROJECT.test(f)).slice(0, 400);
  const parsed = projects.map((f) => parseProject(f, read(f) ?? ''));
  const byPath = new Map(parsed.map((p) => [p.path, p]));
  const withProps = (p: MsProject): Partial<Record<string, string>> => ({
    ...inheritedProps(read, dirname(p.path)).props,
    ...p.props,
  });
  const apps: Candidate[] = parsed
    .map((p) => ({ p, props: withProps(p) }))
    .filter(({ p, props }) => isExe(p, props) && !isTest(p, props) && !isAspireHost(p, props))
    .map(({ p, props }) => {
      const web = isWeb(p);
      const name = basename(p.path).replace(PROJECT, '');
      const rank =
        (web ? 0 : 4) +
        (SERVERISH.test(name) ? 0 : 1) +
        (/(?:^|[._-])(?:cli|tool|tools|migrat\w*|seed\w*|worker|job|admin)(?:$|[._-])/i.test(name) ? 2 : 0);
      return { p, props, web, rank };
    })
    .sort((a, b) => a.rank - b.rank || depth(a.p.path) - depth(b.p.path) || (a.p.path < b.p.path ? -1 : 1));
  const best = apps.at(0);
  if (best === undefined) {
    facts.packageManager = fact('dotnet', projects[0] ?? 'solution');
    ctx.note(
      projects.length > 0
        ? `${projects.length} project file(s) and none is an app (a web project or OutputType Exe that is not a test or an Aspire host): pass --build "dotnet publish <project> -c Release -o /out" and --start "dotnet <Assembly>.dll"`
        : 'a solution but no project file within the listing depth: pass --build and --start',
    );
    return { facts, entryFiles: [], withPort: () => undefined };
  }
  const p = best.p;
  const props = best.props;
  facts.packageManager = fact('dotnet', p.path);
  const others = apps.slice(1).map((a) => a.p.path);
  const projectSource =
    others.length > 0
      ? `${p.path}: ${best.web ? 'an ASP.NET Core project' : 'an executable project'}; chosen of ${apps.length}; others: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}`
      : `${p.path}: ${best.web ? 'an ASP.NET Core project' : 'an executable project'}`;
  const assembly = (props.AssemblyName ?? basename(p.path).replace(PROJECT, '')).replace(
    /\$\(MSBuildProjectName\)/,
    basename(p.path).replace(PROJECT, ''),
  );
  const name = dnsLabel(assembly.replace(/\./g, '-'));
  if (name !== undefined)
    facts.name = fact(
      name,
      `${p.path}: ${props.AssemblyName !== undefined ? `<AssemblyName>${props.AssemblyName}</AssemblyName>` : 'the project name'}`,
    );
  const second = apps.at(1);
  if (second !== undefined)
    ctx.note(
      `several app projects: ${p.path} is published; for another, pass its assembly to --start, e.g. --start "dotnet ${(second.props.AssemblyName ?? basename(second.p.path).replace(PROJECT, '')).replace(/\$\(MSBuildProjectName\)/, basename(second.p.path).replace(PROJECT, ''))}.dll" (the restore and publish follow it)`,
    );

  // the project files the restore reads: the project, its ProjectReferences (transitively), MSBuild's own imports
  const restoreFiles = (root: string): { files: string[]; closure: string[] } => {
    const closure: string[] = [];
    const queue = [root];
    while (queue.length > 0 && closure.length < 200) {
      const cur = queue.shift() as string;
      if (closure.includes(cur) || !ctx.has(cur)) continue;
      closure.push(cur);
      for (const r of byPath.get(cur)?.refs ?? []) queue.push(r);
    }
    const imports = new Set<string>();
    for (const c of closure) for (const f of inheritedProps(read, dirname(c)).files) imports.add(f);
    const extra = ['global.json', 'nuget.config', 'NuGet.config', 'NuGet.Config'].filter((f) => ctx.has(f));
    const locks = closure
      .map((c) => `${dirname(c) === '.' ? '' : `${dirname(c)}/`}packages.lock.json`)
      .filter((f) => ctx.has(f));
    return { files: [...closure, ...[...imports].sort(), ...extra, ...locks], closure };
  };
  const { files: manifests, closure } = restoreFiles(p.path);
  const locks = manifests.filter((f) => f.endsWith('packages.lock.json'));
  if (closure.length < (byPath.get(p.path)?.refs.length ?? 0) + 1)
    ctx.note(
      `${p.path}: a referenced project is outside the listing depth: the restore step may miss it (its files come with the sources)`,
    );

  // versions: the target framework; the SDK from global.json (a pinned band needs that SDK image)
  const fw = frameworkOf(props);
  if (fw.version !== undefined) {
    const src =
      (p.props.TargetFramework ?? p.props.TargetFrameworks)
        ? p.path
        : (inheritedProps(read, dirname(p.path)).files[0] ?? 'Directory.Build.props');
    if (!DOTNET_SUPPORTED.includes(fw.version))
      ctx.note(`${src}: ${fw.raw ?? ''} is not a supported .NET (${DOTNET_SUPPORTED.join(', ')})`);
    facts.runtimeVersion = fact(
      fw.version,
      `${src}: <TargetFramework${fw.raw?.includes(';') ? 's' : ''}>${fw.raw ?? ''}</TargetFramework${fw.raw?.includes(';') ? 's' : ''}>`,
    );
  } else ctx.note(`${p.path}: no TargetFramework that names a .NET release (net8.0 …) was found`);
  let sdk: string | undefined;
  const gj = read('global.json');
  if (gj !== undefined) {
    const j = parseJsonc(gj);
    const v = isRecord(j) && isRecord(j.sdk) ? str(j.sdk.version) : undefined;
    const roll = isRecord(j) && isRecord(j.sdk) ? (str(j.sdk.rollForward) ?? 'patch') : 'patch';
    if (v !== undefined && /^\d{1,2}\.\d\.\d{3}$/.test(v)) {
      // patch-level roll forward stays in the pinned feature band: that exact SDK image; otherwise its release line
      sdk = ['patch', 'disable', 'latestPatch'].includes(roll) ? v : /^\d+\.\d/.exec(v)?.[0];
      if (sdk === v)
        ctx.note(
          `global.json: sdk ${v} with rollForward ${roll}: the builder is mcr.microsoft.com/dotnet/sdk:${v} (that feature band)`,
        );
    }
  }

  const start: Fact<string[]> = fact(['dotnet', `${assembly}.dll`], projectSource);
  const runnerUp = apps.at(1);
  if (runnerUp !== undefined && runnerUp.rank === best.rank)
    start.guess = `${apps.filter((a) => a.rank === best.rank).length} app projects of the same kind (${apps
      .slice(0, 3)
      .map((a) => basename(a.p.path))
      .join(', ')}${apps.length > 3 ? ', …' : ''}); ${basename(p.path)} is the first by depth and name`;
  facts.start = start;
  const locked = locks.length > 0 || props.RestorePackagesWithLockFile === 'true';
  facts.build = fact(
    [
      'dotnet',
      'publish',
      p.path,
      '-c',
      'Release',
      '-o',
      '/out',
      '--no-restore',
      '-p:UseAppHost=false',
      ...(props.PublishAot === 'true' ? ['-p:PublishAot=false'] : []),
    ],
    `${p.path}: framework-dependent publish (the image has the runtime), restored in the step before`,
  );
  facts.framework = fact(
    best.web ? 'aspnetcore' : 'worker',
    `${p.path}: ${p.sdks.join(', ') || 'Microsoft.NET.Sdk'}${p.frameworks.length ? `, FrameworkReference ${p.frameworks.join(', ')}` : ''}`,
  );
  if (props.PublishAot === 'true')
    ctx.note(
      `${p.path}: PublishAot is set; the image publishes framework-dependent (-p:PublishAot=false, run by the ASP.NET Core runtime); native AOT needs clang in the builder and runtime-deps as the base`,
    );
  const icu = props.InvariantGlobalization === 'false' || p.packages.some((x) => ICU_PACKAGES.includes(x));
  if (icu)
    ctx.note(
      `${p.path}: ${props.InvariantGlobalization === 'false' ? 'InvariantGlobalization is false' : `${p.packages.find((x) => ICU_PACKAGES.includes(x)) ?? ''} needs culture data`}: the final image is the chiseled "-extra" variant (ICU and time zones)`,
    );
  // every app project, so --start (its assembly) can pick another: its restore files, its image kind
  const assemblyOf = (c: Candidate): string =>
    (c.props.AssemblyName ?? basename(c.p.path).replace(PROJECT, '')).replace(
      /\$\(MSBuildProjectName\)/,
      basename(c.p.path).replace(PROJECT, ''),
    );
  const perApp: RuntimeSettings = {};
  for (const c of apps.slice(0, 12)) {
    perApp[`restore:${c.p.path}`] = c === best ? manifests : restoreFiles(c.p.path).files;
    if (!c.web) perApp[`runtimeOnly:${c.p.path}`] = true;
    if (c.props.InvariantGlobalization === 'false' || c.p.packages.some((x) => ICU_PACKAGES.includes(x)))
      perApp[`icu:${c.p.path}`] = true;
  }
  const settings: RuntimeSettings = {
    project: p.path,
    apps: apps.slice(0, 12).map((c) => `${assemblyOf(c)}=${c.p.path}`),
    ...perApp,
    manifests,
    restore: locked ? 'locked' : 'plain',
    ...(best.web ? {} : { runtimeOnly: true }),
    ...(icu ? { icu: true } : {}),
    ...(sdk !== undefined ? { sdk } : {}),
  };
  facts.settings = fact(settings, projectSource);
  if (locks.length > 0) facts.lockfiles = fact(locks, `${p.path}: NuGet lock files (dotnet restore --locked-mode)`);

  // sources: the project's own directory first, then its references'
  const dirs = closure.map(dirname);
  const entryFiles = ctx.files.list
    .filter((f) => f.endsWith('.cs') && dirs.some((d) => d === '.' || f.startsWith(`${d}/`)))
    .sort((a, b) =>
      basename(a) === 'Program.cs' ? -1 : basename(b) === 'Program.cs' ? 1 : depth(a) - depth(b) || (a < b ? -1 : 1),
    )
    .slice(0, 60);

  // a relative SQLite file (Data Source=app.db) lands on the read-only root
  const dbNote = (file: string, text: string): void => {
    const m = /Data Source\s*=\s*([^;"']+\.db)\b/i.exec(text);
    if (!m || m[1].startsWith('/') || facts.dataDirs !== undefined) return;
    const rel = m[1].replace(/^\.\//, '');
    facts.dataDirs = fact(
      ['/app/data'],
      `${new LineIndex(text).source(file, m.index)} (the SQLite file /app/${rel} would be on the read-only root filesystem)`,
    );
    ctx.note(
      `${new LineIndex(text).source(file, m.index)}: the SQLite file ${rel} would be /app/${rel}, on the read-only root filesystem: /app/data is proposed as a volume; point the connection string there (for example ConnectionStrings__<Name>="Data Source=/app/data/${rel.replace(/^.*\//, '')}")`,
    );
  };
  const pdir = dirname(p.path);
  const appsettings = pdir === '.' ? 'appsettings.json' : `${pdir}/appsettings.json`;
  for (const f of [appsettings, ...entryFiles.slice(0, 20)]) {
    const text = read(f);
    if (text !== undefined) dbNote(f, text);
  }

  return {
    facts,
    entryFiles,
    withPort(found) {
      // appsettings.json: Kestrel endpoints or the urls key, when the code did not name a port
      const text = read(appsettings);
      const j = text !== undefined ? parseJsonc(text) : undefined;
      if (found.port === undefined && text !== undefined && isRecord(j)) {
        const urls: string[] = [];
        const urlsKey = Object.keys(j).find((k) => k.toLowerCase() === 'urls');
        if (urlsKey !== undefined && typeof j[urlsKey] === 'string') urls.push(j[urlsKey]);
        const kestrel = isRecord(j.Kestrel) && isRecord(j.Kestrel.Endpoints) ? j.Kestrel.Endpoints : undefined;
        if (kestrel !== undefined)
          for (const e of Object.values(kestrel)) if (isRecord(e) && typeof e.Url === 'string') urls.push(e.Url);
        const http = urls.flatMap((u) => u.split(';')).find((u) => /^http:\/\//i.test(u.trim()));
        const port = http !== undefined ? /:(\d{2,5})\/?$/.exec(http.trim())?.[1] : undefined;
        if (port !== undefined) {
          const at = text.indexOf(http ?? '');
          found.port = fact(Number(port), new LineIndex(text).source(appsettings, Math.max(0, at)));
        }
      }
      if (found.port === undefined && best.web)
        found.port = fact(
          8080,
          'ASP.NET Core in a container listens on ASPNETCORE_HTTP_PORTS (8080 in the official images; the image sets it to the port answer)',
        );
      // loopback-only listening: unreachable from outside the container
      for (const f of entryFiles) {
        const t = read(f);
        const m = t !== undefined ? LOCALHOST_LISTEN.exec(t) : null;
        if (t !== undefined && m) {
          ctx.note(
            `${new LineIndex(t).source(f, m.index)}: the app listens on loopback only, which nothing outside the container can reach: listen on any address (ListenAnyIP, http://+:port)`,
          );
          break;
        }
      }
      // health: MapHealthChecks & co. outside a Development-only block (eShop maps them only in Development)
      let bestRoute: { rank: number; path: string; source: string } | undefined;
      let devOnly: string | undefined;
      const scan = [
        ...entryFiles,
        ...ctx.files.list.filter((f) => f.endsWith('.cs') && !entryFiles.includes(f) && !isTestFile(f)).slice(0, 80),
      ];
      for (const f of scan) {
        const t = read(f);
        if (t === undefined || !/Health|health|alive|live|ready|ping/.test(t)) continue;
        const lines = new LineIndex(t);
        for (const m of t.matchAll(HEALTH_CALL)) {
          if (lines.isCommentLine(m.index)) continue;
          const path = m[1].startsWith('/') ? m[1] : `/${m[1]}`;
          if (inDevelopmentBlock(t, m.index)) {
            devOnly ??= lines.source(f, m.index);
            continue;
          }
          const last = path.replace(/\/$/, '').replace(/^.*\//, '');
          const rank = last === 'alive' ? 2.5 : rankHealth(last);
          if (bestRoute === undefined || rank < bestRoute.rank)
            bestRoute = { rank, path, source: lines.source(f, m.index) };
        }
      }
      if (bestRoute !== undefined) found.healthPath = fact(bestRoute.path, bestRoute.source);
      else if (devOnly !== undefined && found.healthPath === undefined)
        ctx.note(
          `${devOnly}: the health checks are mapped only in the Development environment, and the image runs in Production: the HEALTHCHECK requests / instead (any HTTP answer counts); map them for Production or pass --health-path`,
        );
      if (found.healthPath === undefined && devOnly === undefined)
        ctx.note(
          best.web
            ? 'no health route found (MapHealthChecks("/healthz") is the usual one): the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path to require a 2xx/3xx answer'
            : `${p.path} is a worker without an HTTP endpoint that was found: the HEALTHCHECK needs one (for example builder.Services.AddHealthChecks() and app.MapHealthChecks("/healthz") on a small web host), or pass --port and --health-path`,
        );
    },
  };
}

const isTestFile = (f: string): boolean =>
  f.split('/').some((s) => TESTY.test(s) && /^(?:tests?|.*[._-]tests?)$/i.test(s));
