// .NET: `dotnet restore` against the project files first (NuGet packages in a cache mount), then a
// framework-dependent `dotnet publish`, run on the chiseled Ubuntu images (no shell, no package
// manager; aspnet for ASP.NET Core, runtime for workers, the -extra variant when the app needs
// ICU) or on Alpine. The chiseled images' own user is app (1654); the image runs as the numeric
// user of the answers (65532 by default, like distroless) and needs no passwd entry. A small probe
// app, published in its own stage, is the HEALTHCHECK.
import {
  AnswerError,
  type Answers,
  type DockerfileSpec,
  type Flavor,
  type ProjectLayout,
  type RuntimeSettings,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { safeRelPath, secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import {
  exportVar,
  registryLines,
  registrySetup,
  splitBasic,
  writeLines,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { detectDotnet } from './detect.js';
import {
  DOTNET_PROBE_ANY_STATUS,
  DOTNET_PROBE_DIR,
  DOTNET_PROBE_PROJECT,
  DOTNET_PROBE_SOURCE,
  dotnetProbeProject,
  dotnetProbeSource,
} from './probe.js';
import { DOTNET_VERSIONS } from './versions.js';

const HELPER = 'ContainerSecrets.cs';
const MCR = 'mcr.microsoft.com/dotnet';
/** the dotnet host in the final images (a symlink to /usr/share/dotnet/dotnet in chiseled and Alpine images) */
const DOTNET = '/usr/bin/dotnet';
const NUGET = '/root/.nuget/packages';
const PROJECT = /\.(?:cs|fs|vb)proj$/;

interface DotnetLayout {
  project?: string;
  manifests: string[];
  locked: boolean;
  runtimeOnly: boolean;
  icu: boolean;
  sdk?: string;
}

const safeFile = (f: unknown): f is string => typeof f === 'string' && safeRelPath(f) === f;

/** The app projects detection found: assembly name -> project path. */
function appProjects(s: RuntimeSettings | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Array.isArray(s?.apps) ? s.apps : []) {
    const m = /^([A-Za-z0-9_.-]{1,100})=(.+)$/.exec(e);
    if (m && safeFile(m[2]) && PROJECT.test(m[2])) out.set(m[1], m[2]);
  }
  return out;
}

/** The project a build command publishes (its *proj argument). */
const projectIn = (argv: string[] | null): string | undefined => argv?.find((t) => PROJECT.test(t) && safeFile(t));
/** The project whose assembly the start command runs. */
function projectOfStart(s: RuntimeSettings | undefined, start: string[]): string | undefined {
  const dll = /^(?:\.\/)?([A-Za-z0-9_.-]{1,100})\.dll$/.exec(start[1] ?? '')?.[1];
  return dll !== undefined ? appProjects(s).get(dll) : undefined;
}

/** The publish command detection proposes for a project. */
export function publishArgv(project: string, aot = false): string[] {
  return [
    'dotnet',
    'publish',
    project,
    '-c',
    'Release',
    '-o',
    '/out',
    '--no-restore',
    '-p:UseAppHost=false',
    ...(aot ? ['-p:PublishAot=false'] : []),
  ];
}

/**
 * The project the answers build, and the publish command: --start runs one project's assembly and
 * --build publishes another? The detected publish command follows --start; a command of the user's
 * own is an error naming both flags.
 */
function resolveProject(
  s: RuntimeSettings | undefined,
  a: Pick<Answers, 'build' | 'start'>,
): { project?: string; build: string[] | null; error?: string } {
  const started = projectOfStart(s, a.start);
  const built = projectIn(a.build);
  if (started !== undefined && built !== undefined && started !== built) {
    const same = (x: string[]): boolean =>
      a.build !== null && x.length === a.build.length && x.every((t, i) => t === a.build?.[i]);
    if (same(publishArgv(built)) || same(publishArgv(built, true)))
      return { project: started, build: publishArgv(started, (a.build ?? []).includes('-p:PublishAot=false')) };
    return {
      project: built,
      build: a.build,
      error: `publishes ${built} but --start runs ${a.start[1] ?? ''} (${started}): pass --build "${publishArgv(started).join(' ')}"`,
    };
  }
  const project = built ?? started;
  return { ...(project !== undefined ? { project } : {}), build: a.build };
}

/**
 * The settings detection recorded, re-validated (they also come from .yo-rc.json), for the project
 * the answers build: the one --build publishes, else the one whose assembly --start runs, else the
 * detected one.
 */
function dotnetLayout(s: RuntimeSettings | undefined, project?: string): DotnetLayout {
  const chosen = project ?? (safeFile(s?.project) && PROJECT.test(s.project) ? s.project : undefined);
  const own = chosen !== undefined ? s?.[`restore:${chosen}`] : undefined;
  const list = Array.isArray(own) ? own : Array.isArray(s?.manifests) ? s.manifests : [];
  const manifests = list.filter(safeFile);
  const sdk = typeof s?.sdk === 'string' && /^\d{1,2}\.\d(?:\.\d{3})?$/.test(s.sdk) ? s.sdk : undefined;
  const flag = (k: string): boolean =>
    chosen !== undefined && s?.[`${k}:${chosen}`] !== undefined ? s[`${k}:${chosen}`] === true : s?.[k] === true;
  return {
    ...(chosen !== undefined ? { project: chosen } : {}),
    manifests,
    locked: s?.restore === 'locked',
    runtimeOnly: flag('runtimeOnly'),
    icu: flag('icu'),
    ...(sdk !== undefined ? { sdk } : {}),
  };
}

/** One COPY per file, keeping its directory: the restore sees the same tree as the build. */
function copyLines(files: string[]): string {
  const root = files.filter((f) => !f.includes('/'));
  return [
    ...(root.length ? [`COPY ${root.join(' ')} ./`] : []),
    ...files.filter((f) => f.includes('/')).map((f) => `COPY ${f} ${f.slice(0, f.lastIndexOf('/') + 1)}`),
  ].join('\n');
}

/** A RUN body over several lines: the mounts, then one command per line (`&&` first, so each reads on its own). */
function runLines(mounts: string, cmds: string[]): string {
  return [mounts.trim(), cmds.join(' \\\n    && ')].filter(Boolean).join(' \\\n    ');
}

const major = (v: string): number => Number(v.split('.')[0]);

/** The user-level NuGet.Config the install RUN writes (and removes): above any project-level one only where that has none. */
const NUGET_CONFIG = '/root/.nuget/NuGet/NuGet.Config';

/**
 * --package-registry for NuGet (issue 19): a user-level NuGet.Config whose only source is the
 * registry, written in the RUN and removed in it; the credentials are the documented
 * NuGetPackageSourceCredentials_<source> variable of the RUN's environment, never in the file.
 */
function dotnetRegistry(ref: PackageRegistryRef): RegistrySetup {
  const http = ref.scheme === 'http://' ? ' allowInsecureConnections="true"' : '';
  return {
    before: [
      ...(ref.secret !== ''
        ? [
            ...splitBasic(ref, 'SC_U', 'SC_P'),
            exportVar('NuGetPackageSourceCredentials_packageregistry', 'Username=$SC_U;Password=$SC_P'),
          ]
        : []),
      'mkdir -p /root/.nuget/NuGet',
      writeLines(NUGET_CONFIG, [
        '<?xml version="1.0" encoding="utf-8"?>',
        `<configuration><packageSources><clear /><add key="packageregistry" value="${ref.url}"${http} /></packageSources></configuration>`,
      ]),
    ],
    after: [`rm -f ${NUGET_CONFIG}`],
    secretForm: '`user:password` (no `;`)',
    tools: 'NuGet (a user-level NuGet.Config with only this source, present during the step only)',
    caveat:
      'A nuget.config in the repository with its own <clear /> and sources wins over it: point that file at the registry instead.',
  };
}

export const dotnet: RuntimeProfile = {
  runtime: 'dotnet',
  label: '.NET',
  choiceHelp: '.NET / ASP.NET Core (*.csproj), published framework-dependent',
  manifestNames: ['*.csproj', '*.fsproj', '*.sln'],
  claim(ctx) {
    const projects = ctx.files.list.filter((f) => PROJECT.test(f));
    const solutions = ctx.files.list.filter((f) => /\.(?:sln|slnx)$/.test(f) && !f.includes('/'));
    if (projects.length === 0 && solutions.length === 0) return undefined;
    const shown = [...solutions, ...projects].slice(0, 3);
    const more = solutions.length + projects.length - shown.length;
    return { rank: 30, source: `${shown.join(', ')}${more > 0 ? ` (+${more})` : ''}`, detect: () => detectDotnet(ctx) };
  },
  code: {
    files: /\.cs$/,
    ports: [
      // builder.WebHost.UseUrls("http://*:5000"), app.Urls.Add("http://0.0.0.0:5000"), app.Run("http://+:5000")
      /(?:UseUrls|Urls\.Add|\.Run)\(\s*"https?:\/\/(?:\*|\+|0\.0\.0\.0|\[::\]|localhost|127\.0\.0\.1)?:(\d{2,5})/g,
      // options.ListenAnyIP(5000), Listen(IPAddress.Any, 5000), ListenLocalhost(5000)
      /\bListen(?:AnyIP|Localhost)?\(\s*(?:IPAddress\.\w+\s*,\s*)?(\d{2,5})\b/g,
    ],
  },
  layout(facts, a) {
    const s = facts.settings?.value;
    const l = dotnetLayout(s, resolveProject(s, a).project);
    const settings: RuntimeSettings = { ...(s ?? {}), ...(l.project !== undefined ? { project: l.project } : {}) };
    return { manifests: l.manifests, settings };
  },
  startExample: (name) => `"dotnet ${name}.dll"`,
  templateDir: packagePath('templates', 'runtimes', 'dotnet'),
  secretsHelperPath: HELPER,
  extraFiles: (spec) => [
    { path: DOTNET_PROBE_PROJECT, contents: dotnetProbeProject(spec.generator.version, spec.runtimeVersion) },
    { path: DOTNET_PROBE_SOURCE, contents: dotnetProbeSource(spec.generator.version) },
  ],
  context: { sourceFiles: /\.(?:cs|fs|vb|cshtml|razor)$/, exceptions: [] },
  packageManagers: ['dotnet'],
  defaultPackageManager: 'dotnet',
  defaultVersion: '10.0',
  versions: DOTNET_VERSIONS,
  normalizeVersion(v) {
    const m = /^(?:net)?(\d{1,2})(?:\.(\d))?(?:\.\d+)*$/.exec(v.trim());
    if (!m) throw new Error('must be a .NET release such as 8.0');
    const g: readonly (string | undefined)[] = m;
    return `${m[1]}.${g[2] ?? '0'}`;
  },
  versionHelp: `a .NET release: ${(DOTNET_VERSIONS.distroless ?? []).join(', ')} (the TargetFramework's)`,
  defaultPort: 8080,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    const builder = `${MCR}/sdk:${v}-noble`;
    return flavor === 'alpine'
      ? { builder, final: `${MCR}/aspnet:${v}-alpine` }
      : { builder, final: `${MCR}/aspnet:${v}-noble-chiseled` };
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: () => DOTNET,
  entrypoint(start) {
    return [DOTNET, ...start.slice(1)];
  },
  checkStart(start) {
    if (start[0] !== 'dotnet') {
      return `must start the app with dotnet directly, e.g. "dotnet MyApp.dll" (not ${JSON.stringify(start[0])}: P1, no wrapper script)`;
    }
    if (!/^[A-Za-z0-9_./-]+\.dll$/.test(start[1] ?? '') || (start[1] ?? '').includes('..'))
      return 'must name the published assembly, e.g. "dotnet MyApp.dll" (not dotnet run or watch: the image has no SDK)';
    return undefined;
  },
  // the assembly's name is the project's: without a detected one, --start is required
  defaultStart: () => undefined,
  healthcheck(_flavor: Flavor, port, path) {
    const url = `http://127.0.0.1:${port}${path}`;
    return [DOTNET, '/app/healthcheck/healthcheck.dll', ...(path === '/' ? [DOTNET_PROBE_ANY_STATUS] : []), url];
  },
  tmpfs: [],
  packageRegistry: (ref) => dotnetRegistry(ref),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    // --package-registry: around the restore and the publish (which restores again unless --no-restore)
    const reg = registrySetup(this, a, layout);
    const regMount = reg?.mount ?? '';
    const s = layout.settings;
    const r = resolveProject(s, a);
    if (r.error !== undefined) throw new AnswerError('build', '--build', r.error);
    const l = dotnetLayout(s, r.project);
    const v = a.runtimeVersion;
    const build = r.build;
    // the SDK: global.json's pinned one, else its release line when newer than the runtime, else the runtime's
    const sdkTag =
      l.sdk !== undefined && /\.\d{3}$/.test(l.sdk)
        ? l.sdk
        : `${l.sdk !== undefined && major(l.sdk) > major(v) ? l.sdk : v}-noble`;
    const builder = `${MCR}/sdk:${sdkTag}`;
    const kind = l.runtimeOnly ? 'runtime' : 'aspnet';
    const final =
      a.flavor === 'alpine'
        ? `${MCR}/${kind}:${v}-alpine`
        : `${MCR}/${kind}:${v}-noble-chiseled${l.icu ? '-extra' : ''}`;
    const mounts = `--mount=type=cache,target=${NUGET} ${secretMounts(a.buildSecrets)}`;
    const manifests = layout.manifests.length ? layout.manifests.filter((f) => safeRelPath(f) === f) : l.manifests;
    const restore = `dotnet restore${l.project !== undefined ? ` ${shq(l.project)}` : ''}${l.locked ? ' --locked-mode' : ''}`;
    const publish =
      build ??
      (l.project !== undefined
        ? publishArgv(l.project)
        : ['dotnet', 'publish', '-c', 'Release', '-o', '/out', '--no-restore', '-p:UseAppHost=false']);
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: manifests,
      installProd: manifests.length > 0 ? runLines(`${mounts}${regMount}`, registryLines(reg, [restore])) : '',
      installAll: null,
      build: runLines(`${mounts}${regMount}`, registryLines(reg, [shellLine(publish)])),
      artefacts: [
        { stage: 'build', from: '/out/', to: './' },
        { stage: 'probe', from: '/out/healthcheck/', to: './healthcheck/' },
      ],
      env: [
        ['PORT', String(a.port)],
        // Kestrel's port in the official images (ASPNETCORE_URLS, when set in code or config, wins over it)
        ...(l.runtimeOnly ? [] : ([['ASPNETCORE_HTTP_PORTS', String(a.port)]] as [string, string][])),
      ],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: {
        copyManifests: copyLines(manifests),
        probeDir: DOTNET_PROBE_DIR,
        probeProject: 'healthcheck.csproj',
        nuget: NUGET,
        locked: l.locked ? 'yes' : '',
        kind,
        icu: l.icu ? 'yes' : '',
      },
    };
  },
  dockerignore: () => ['**/bin', '**/obj', '**/*.user', '.vs', '**/TestResults', 'artifacts'],
};
