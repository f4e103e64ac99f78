// Node.js: distroless/nodejs or alpine final stage; npm, pnpm, yarn (classic and berry) and bun installs.
import {
  AnswerError,
  type Answers,
  type DockerfileSpec,
  type Facts,
  type Flavor,
  type ProjectLayout,
  type WorkspaceApp,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { httpProbeUrl, safeRelPath, secretMounts, shellLine, type RuntimeProfile } from '../profile.js';
import {
  npmSetup,
  registrySetup,
  withRegistry,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { detectNode, isNodeApp, readPackageJson } from './detect.js';
import { NODE_VERSIONS } from './versions.js';
import {
  PACKAGE_NAME,
  PNP_NODE_OPTIONS,
  PNP_REGISTER,
  PNP_REGISTER_WRITE,
  berryOf,
  berrySettingsOf,
  focusRefusal,
  readBerry,
} from './berry.js';

const ALPINE = '3.22';
/** the interpreter in the final image */
const nodeBin = (flavor: Flavor): string => (flavor === 'distroless' ? '/nodejs/bin/node' : '/usr/local/bin/node');
/** The lockfiles the layout copies when present (yarn berry's .yarnrc.yml travels with yarn.lock). */
const LAYOUT_LOCKS: Partial<Record<string, string[]>> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock', '.yarnrc.yml'],
  bun: ['bun.lock', 'bun.lockb'],
};
const LOCKFILES: Record<string, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
};

/**
 * Install commands per package manager: [production-only, everything] (P6: from the lockfile).
 * Without a lockfile the frozen/immutable flags cannot work (`npm ci` refuses outright): the
 * install resolves afresh, which detection notes as not reproducible.
 */
function installCommands(
  pm: string,
  layout: ProjectLayout,
  locked: boolean,
): { cache: string; prod: string; all: string } {
  switch (pm) {
    case 'pnpm': {
      const frozen = locked ? ' --frozen-lockfile' : '';
      return {
        cache: '/root/.local/share/pnpm/store',
        prod: `corepack enable pnpm && pnpm install${frozen} --prod`,
        all: `corepack enable pnpm && pnpm install${frozen}`,
      };
    }
    case 'yarn': {
      if (layout.yarnBerry) {
        const berry = berryOf(layout.settings);
        // Plug'n'Play loads the packages from their zip archives at run time: they must stay in the
        // project's .yarn/cache, not only in the global cache (the cache mount, gone after the RUN)
        const env = berry.linker === 'pnp' ? 'YARN_ENABLE_GLOBAL_CACHE=false ' : '';
        // one member: only what it needs (yarn 4 built-in; the workspace-tools plugin on yarn 2/3)
        const focus = layout.workspace !== undefined && berry.focus !== undefined ? berry.focus : '--all';
        return {
          cache: '/root/.yarn/berry/cache',
          prod: `corepack enable yarn && ${env}yarn workspaces focus ${focus} --production${berry.linker === 'pnp' ? ` && ${PNP_REGISTER_WRITE}` : ''}`,
          all: `corepack enable yarn && ${env}yarn install${locked ? ' --immutable' : ''}`,
        };
      }
      return {
        cache: '/usr/local/share/.cache/yarn',
        prod: `corepack enable yarn && yarn install${locked ? ' --frozen-lockfile' : ''} --production=true`,
        all: `corepack enable yarn && yarn install${locked ? ' --frozen-lockfile' : ''}`,
      };
    }
    case 'bun': {
      // bun comes from the npm registry (pinned major) so the builder stays the official node image
      const frozen = locked ? ' --frozen-lockfile' : '';
      return {
        cache: '/root/.bun/install/cache',
        prod: `npm install -g bun@1 --no-audit --no-fund && bun install${frozen} --production`,
        all: `npm install -g bun@1 --no-audit --no-fund && bun install${frozen}`,
      };
    }
    default:
      return locked
        ? { cache: '/root/.npm', prod: 'npm ci --omit=dev --no-audit --no-fund', all: 'npm ci --no-audit --no-fund' }
        : {
            cache: '/root/.npm',
            prod: 'npm install --omit=dev --no-audit --no-fund',
            all: 'npm install --no-audit --no-fund',
          };
  }
}

/** Is a lockfile among the files the layout copies? (An empty layout is an old state: assume one.) */
function hasLockfile(layout: ProjectLayout): boolean {
  if (layout.manifests.length === 0) return true;
  const locks = new Set(Object.values(LOCKFILES).flat());
  return layout.manifests.some((f) => locks.has(f));
}

/**
 * `prisma generate` with the CLI of the same version as the installed @prisma/client (the
 * production install has no prisma CLI, a devDependency; npx fetches it into the cache, never
 * into node_modules). Only the client generator runs when the schema has others.
 */
function prismaGenerate(layout: ProjectLayout): string | null {
  const schema = safeRelPath(layout.prismaSchema);
  if (schema === undefined) return null;
  return (
    `npx --yes prisma@"$(node -p "require('./node_modules/@prisma/client/package.json').version")" generate --schema=${schema}` +
    (layout.prismaGenerator !== undefined && /^\w+$/.test(layout.prismaGenerator)
      ? ` --generator=${layout.prismaGenerator}`
      : '')
  );
}

/** Prisma picks its engine by the OpenSSL it finds: the slim Debian builder has none (the distroless final image has libssl3). */
function opensslFor(flavor: Flavor): string {
  return flavor === 'alpine'
    ? 'apk add --no-cache openssl'
    : 'apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*';
}

/** Options of node that take the next word as their value (the entry file comes after them). */
const VALUE_OPTS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions']);

/** ["node", "dist/main.js"] of a member -> ["node", "packages/api/dist/main.js"]: the final WORKDIR stays /app. */
function rebaseMemberStart(argv: string[], member: string, pm: string | undefined): string[] {
  const out = [...argv];
  for (let i = 1; i < out.length; i++) {
    const w = out[i];
    if (VALUE_OPTS.has(w)) {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    // "./node_modules/…" is the member's own (detection: yarn's nmHoistingLimits), rebased like a file
    if (!w.startsWith('/') && !w.startsWith('node_modules/')) out[i] = `${member}/${w.replace(/^\.\//, '')}`;
    // a package's binary: npm and yarn hoist it to the root's node_modules; pnpm links it into the member's
    else if (w.startsWith('node_modules/') && pm === 'pnpm') out[i] = `${member}/${w}`;
    // `next start` serves the .next of the directory it is given (the current one, /app, otherwise)
    if (/(?:^|\/)node_modules\/next\/dist\/bin\/next$/.test(out[i]) && out[i + 1] === 'start')
      out.splice(i + 2, 0, member);
    break;
  }
  return out;
}

/** The member's build script, run from the root through the package manager's workspace option. */
function memberBuild(pm: string | undefined, app: WorkspaceApp, script: string): string[] {
  switch (pm) {
    case 'pnpm':
      return ['pnpm', '--filter', app.packageName ?? `./${app.dir}`, 'run', script];
    case 'yarn':
      return ['yarn', 'workspace', app.packageName ?? app.dir, 'run', script];
    default:
      return ['npm', 'run', script, '-w', app.dir];
  }
}

/** The facts seen from one workspace member: its name, start, build and output, with paths from the root. */
function nodeMemberFacts(facts: Facts, member: string, pm: string | undefined): Facts {
  const app = facts.workspaceApps?.find((x) => x.dir === member);
  if (app === undefined) return facts;
  const out: Facts = { ...facts };
  if (app.name) out.name = app.name;
  if (app.start) out.start = { ...app.start, value: rebaseMemberStart(app.start.value, member, pm) };
  else delete out.start;
  if (app.buildScript !== undefined) {
    out.build = {
      value: memberBuild(pm, app, app.buildScript),
      source: `${member}/package.json: scripts.${app.buildScript} (run in the workspace from the root)`,
    };
    const o = app.buildOutput?.value;
    if (o !== undefined && app.buildOutput)
      out.buildOutput = { value: o === '.' ? member : `${member}/${o}`, source: app.buildOutput.source };
    else delete out.buildOutput;
  } else {
    out.build = { value: null, source: `${member}/package.json: no build script` };
    delete out.buildOutput;
  }
  return out;
}

/**
 * --package-registry for each package manager (issue 19). npm, pnpm, yarn classic and bun read the
 * registry from NPM_CONFIG_REGISTRY and the token from a user-level .npmrc written in the install RUN
 * (holding `${SC_REGISTRY_TOKEN}`, never the token) and removed in it; corepack fetches pnpm/yarn through
 * the same registry; yarn berry has its own variables.
 */
export function nodeRegistry(ref: PackageRegistryRef, pm: string, berry: boolean): RegistrySetup {
  const bare = ref.url.replace(/\/$/, '');
  const token = ref.secret !== '';
  const corepack =
    pm === 'pnpm' || pm === 'yarn'
      ? [`export COREPACK_NPM_REGISTRY="${bare}"`, ...(token ? ['export COREPACK_NPM_TOKEN="$SC_REGISTRY_TOKEN"'] : [])]
      : [];
  if (pm === 'yarn' && berry) {
    const http = ref.scheme === 'http://' ? [`export YARN_UNSAFE_HTTP_WHITELIST="${new URL(ref.url).hostname}"`] : [];
    return {
      before: [
        ...(token ? [`export SC_REGISTRY_TOKEN="${ref.read}"`, 'export YARN_NPM_AUTH_TOKEN="$SC_REGISTRY_TOKEN"'] : []),
        `export YARN_NPM_REGISTRY_SERVER="${bare}"`,
        ...http,
        ...corepack,
      ],
      after: [],
      secretForm: 'the registry token (YARN_NPM_AUTH_TOKEN)',
      tools: 'yarn (YARN_NPM_REGISTRY_SERVER) and corepack (COREPACK_NPM_REGISTRY)',
    };
  }
  const extra = [
    ...(pm === 'bun' ? [`export BUN_CONFIG_REGISTRY="${ref.url}"`] : []),
    ...(pm === 'bun' && token ? ['export NPM_CONFIG_TOKEN="$SC_REGISTRY_TOKEN"'] : []),
    ...(pm === 'yarn' ? [`export YARN_REGISTRY="${ref.url}"`] : []),
    ...corepack,
  ];
  const base = npmSetup(ref, extra);
  return {
    ...base,
    ...(pm === 'yarn'
      ? {
          caveat:
            'yarn classic fetches the tarball URLs recorded in yarn.lock (registry.yarnpkg.com): regenerate the lockfile against the registry so they point at it.',
        }
      : {}),
  };
}

/** The lifecycle-script names we may remove (validated again: they come from .yo-rc.json too). */
const LIFECYCLE = new Set(['preinstall', 'install', 'postinstall', 'prepare']);

export const node: RuntimeProfile = {
  runtime: 'node',
  label: 'Node.js',
  choiceHelp: 'Node.js (package.json)',
  manifestNames: ['package.json'],
  claim(ctx) {
    if (!ctx.has('package.json')) return undefined;
    const pkg = readPackageJson(ctx);
    // a package.json that is only tooling (no dependencies, start script or main) loses to any other
    // runtime; one with dependencies but nothing to start (front-end libraries next to a Go or Python
    // server, like gophish's gulp build) loses to every other application manifest
    if (pkg === undefined || typeof pkg.scripts.start === 'string' || typeof pkg.raw.main === 'string')
      return { rank: 10, source: 'package.json', detect: () => detectNode(ctx, pkg) };
    return isNodeApp(pkg)
      ? {
          rank: 40,
          source: 'package.json (dependencies, but no start script or main)',
          detect: () => detectNode(ctx, pkg),
        }
      : {
          rank: 90,
          source: 'package.json (no dependencies, start script or main)',
          detect: () => detectNode(ctx, pkg),
        };
  },
  code: {
    files: /\.(?:[cm]?js|[cm]?ts)$/,
    ports: [
      /\.listen\(\s*(\d{1,6})\b/g,
      /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{1,6})\b/g,
      /\b(?:const|let|var)\s+(?:PORT|port|HTTP_PORT|httpPort|APP_PORT|appPort|SERVER_PORT|serverPort|DEFAULT_PORT|defaultPort)\s*(?::\s*\w+\s*)?=\s*(?:Number\(\s*|parseInt\(\s*|\+)?(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)?['"]?(\d{1,6})\b/g,
      /\blisten\(\s*\{[^}]{0,200}?\bport\s*:\s*(?:[^,}]{0,80}?(?:\|\||\?\?)\s*)?['"]?(\d{1,6})\b/g,
      // process.env.PORT ? Number(process.env.PORT) : 3000 (the Nx template)
      /process\.env\.PORT\s*\?(?!\?)[^:;\n]{0,80}:\s*['"]?(\d{1,6})\b/g,
      // listen(process.env.PORT || config.port || 3000)
      /\.listen\(\s*process\.env\.PORT\s*(?:\|\||\?\?)[^)\n]{0,100}?(?:\|\||\?\?)\s*['"]?(\d{1,6})\b/g,
    ],
  },
  layoutHints(facts, repo) {
    const berry =
      repo.exists('.yarnrc.yml') ||
      (facts.packageManager?.value === 'yarn' && /^[2-9]/.test(facts.packageManagerVersion?.value ?? ''));
    if (!berry) return {};
    // .yarnrc.yml: nodeLinker, yarnPath and plugins only (a regular file, capped; never a link)
    const pinned = facts.packageManager?.value === 'yarn' ? facts.packageManagerVersion?.value : undefined;
    const b = readBerry(repo, pinned);
    return {
      yarnBerry: true,
      settings: { ...berrySettingsOf(b), yarnrc: repo.exists('.yarnrc.yml') },
    };
  },
  layout(rootFacts, a, hints) {
    const member = a.workspace ? safeRelPath(a.workspace) : undefined;
    const facts = member !== undefined ? nodeMemberFacts(rootFacts, member, a.packageManager) : rootFacts;
    const memberManifests =
      member !== undefined
        ? (rootFacts.workspaceMembers?.value ?? [])
            .map((d) => safeRelPath(d))
            .filter((d): d is string => d !== undefined)
            .map((d) => `${d}/package.json`)
        : [];
    const present = new Set(facts.lockfiles?.value ?? []);
    // yarn berry's .yarnrc.yml (linker, yarnPath, plugins) travels with yarn.lock
    if (hints.yarnBerry === true && hints.settings?.yarnrc === true) present.add('.yarnrc.yml');
    const locks = (LAYOUT_LOCKS[a.packageManager] ?? []).filter((f) => present.has(f));
    // pnpm reads its members from pnpm-workspace.yaml: the install at the root needs it
    if (
      member !== undefined &&
      a.packageManager === 'pnpm' &&
      rootFacts.workspaceMembers?.source === 'pnpm-workspace.yaml'
    )
      locks.push('pnpm-workspace.yaml');
    const out = safeRelPath(facts.buildOutput?.value);
    const schema = safeRelPath(facts.prismaSchema?.value);
    const prismaOut = safeRelPath(facts.prismaOutput?.value);
    const generator = facts.prismaGenerator?.value;
    const lifecycle = (facts.devLifecycle?.value ?? []).filter((n) => LIFECYCLE.has(n));
    const hostEnv = facts.hostEnv?.value;
    // yarn berry: the member's package name for `yarn workspaces focus`
    const focus = rootFacts.workspaceApps?.find((x) => x.dir === member)?.packageName;
    const berry =
      hints.yarnBerry === true && a.packageManager === 'yarn'
        ? berrySettingsOf({
            ...berryOf(hints.settings),
            ...(member !== undefined && focus !== undefined && PACKAGE_NAME.test(focus) ? { focus } : {}),
          })
        : undefined;
    return {
      manifests: ['package.json', ...locks],
      ...(out ? { buildOutput: out } : {}),
      ...(hints.yarnBerry ? { yarnBerry: true } : {}),
      ...(schema ? { prismaSchema: schema } : {}),
      ...(schema && prismaOut ? { prismaOutput: prismaOut } : {}),
      ...(schema && generator !== undefined && /^\w+$/.test(generator) ? { prismaGenerator: generator } : {}),
      ...(lifecycle.length > 0 ? { devLifecycle: lifecycle } : {}),
      ...(hostEnv !== undefined && /^[A-Z_][A-Z0-9_]*$/.test(hostEnv) ? { hostEnv } : {}),
      ...(member !== undefined ? { workspace: member, workspaceManifests: memberManifests } : {}),
      ...(berry !== undefined ? { settings: berry } : {}),
    };
  },
  // yarn 2+ installs one member with `yarn workspaces focus` (yarn 4; the workspace-tools plugin on 2/3)
  workspacePackageManagers: ['npm', 'pnpm', 'yarn'],
  memberFacts: nodeMemberFacts,
  startExample: () => '"node server.js"',
  templateDir: packagePath('templates', 'runtimes', 'node'),
  /**
   * `secrets.cjs`, a CommonJS file: a `.cjs` file is CommonJS whatever package.json says, and both
   * `require('./secrets.cjs')` and `import { readSecret } from './secrets.cjs'` work (Node exposes its
   * named exports to ESM), while a `.js` file would change meaning with the package's "type".
   */
  secretsHelperPath: 'secrets.cjs',
  context: { sourceFiles: /\.(?:[cm]?js|[cm]?ts|jsx|tsx|json)$/, exceptions: [] },
  packageManagers: ['npm', 'pnpm', 'yarn', 'bun'],
  defaultPackageManager: 'npm',
  defaultVersion: '22',
  versions: NODE_VERSIONS,
  normalizeVersion(v) {
    const m = /^v?(\d+)(\.\d+){0,2}$/.exec(v.trim());
    if (!m) throw new Error('must be a Node.js major version such as 22');
    return m[1];
  },
  versionHelp: 'a Node.js major version: 20, 22 or 24',
  defaultPort: 3000,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    return flavor === 'alpine'
      ? { builder: `node:${v}-alpine${ALPINE}`, final: `node:${v}-alpine${ALPINE}` }
      : { builder: `node:${v}-bookworm-slim`, final: `gcr.io/distroless/nodejs${v}-debian12:nonroot` };
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: nodeBin,
  entrypoint(start, flavor) {
    return [nodeBin(flavor), ...start.slice(1)];
  },
  checkStart(start) {
    if (start[0] !== 'node') {
      return `must start the app with node directly, e.g. "node dist/server.js" (not ${JSON.stringify(start[0])}: P1, no npm start or wrappers)`;
    }
    if (start.length < 2) return 'must name the entry file, e.g. "node server.js"';
    if (start.some((t) => /^(ts-node|tsx|nodemon)$/.test(t) || /\.ts$/.test(t))) {
      return 'must run compiled JavaScript, not TypeScript sources (ts-node/tsx/nodemon are development tools)';
    }
    return undefined;
  },
  defaultStart: () => undefined,
  healthcheck(flavor, port, path) {
    const url = httpProbeUrl(port, path);
    // "/" is the fallback when no health route was found (detection says so): an API without a
    // "/" route answers 404 there, so any HTTP answer counts as alive; a named route must answer 2xx/3xx
    const verdict = path === '/' ? '0' : 'r.statusCode<400?0:1';
    const js =
      `require('http').get('${url}',{timeout:4000},r=>process.exit(${verdict}))` +
      `.on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))`;
    return [nodeBin(flavor), '-e', js];
  },
  tmpfs: [],
  packageRegistry: (ref, a, layout) => nodeRegistry(ref, a.packageManager, layout.yarnBerry === true),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const { builder, final } = this.images(a.runtimeVersion, a.flavor);
    const locked = hasLockfile(layout);
    const cmds = installCommands(a.packageManager, layout, locked);
    const mounts = `--mount=type=cache,target=${cmds.cache} ${secretMounts(a.buildSecrets)}`;
    // --package-registry: the registry (and its secret) around the install commands only (P4)
    const reg = registrySetup(this, a, layout);
    const hasBuild = a.build !== null;
    const out = layout.buildOutput ?? 'dist';
    const generate = prismaGenerate(layout);
    const prismaOut = safeRelPath(layout.prismaOutput);
    const lifecycle = (layout.devLifecycle ?? []).filter((n) => LIFECYCLE.has(n));
    // the production-only install: without the lifecycle scripts that need a devDependency, then
    // the Prisma client generated into node_modules (or the schema's output directory)
    const prod = [
      ...(lifecycle.length > 0 ? [`npm pkg delete ${lifecycle.map((n) => `scripts.${n}`).join(' ')}`] : []),
      ...(generate !== null ? [opensslFor(a.flavor)] : []),
      cmds.prod,
      ...(generate !== null ? [generate] : []),
    ].join(' && ');
    // a workspace member: every member's package.json before the install at the root; the member's
    // own node_modules (packages npm could not hoist) next to the root's
    const member = safeRelPath(layout.workspace);
    const berry = a.packageManager === 'yarn' && layout.yarnBerry === true ? berryOf(layout.settings) : undefined;
    if (member !== undefined && berry !== undefined) {
      const why = focusRefusal(berry, member);
      if (why !== undefined) throw new AnswerError('workspace', '--workspace', why);
    }
    // Plug'n'Play: no node_modules; .pnp.cjs, the register shim and .yarn (cache, unplugged) instead
    const pnp = berry?.linker === 'pnp';
    const yarnFiles = berry !== undefined ? [berry.yarnPath, ...berry.plugins].filter((f) => f !== undefined) : [];
    const memberManifests = (layout.workspaceManifests ?? [])
      .map((f) => safeRelPath(f))
      .filter((f): f is string => f !== undefined && f.endsWith('/package.json'));
    const others = memberManifests.map((f) => f.slice(0, -'/package.json'.length)).filter((d) => d !== member);
    // every member's own node_modules: pnpm links each member's dependencies there (only its .pnpm
    // store is at the root), and npm and yarn put there what they could not hoist; the member's
    // workspace dependencies need theirs at run time
    const linked = member !== undefined && !pnp ? [member, ...others] : [];
    const artefacts = [
      ...(member !== undefined && hasBuild
        ? others.map((d) => ({ stage: 'build', from: `/app/${d}`, to: `./${d}` }))
        : []),
      ...(pnp
        ? [
            { stage: 'deps', from: '/app/.pnp.*', to: './' },
            { stage: 'deps', from: '/app/.yarn', to: './.yarn' },
          ]
        : [{ stage: 'deps', from: '/app/node_modules', to: './node_modules' }]),
      ...linked.map((d) => ({ stage: 'deps', from: `/app/${d}/node_modules`, to: `./${d}/node_modules` })),
      ...(prismaOut !== undefined ? [{ stage: 'deps', from: `/app/${prismaOut}`, to: `./${prismaOut}` }] : []),
      ...(hasBuild
        ? [
            { stage: 'build', from: `/app/${out}`, to: `./${out}` },
            { stage: 'build', from: '/app/package.json', to: './package.json' },
            ...(member !== undefined
              ? [{ stage: 'build', from: `/app/${member}/package.json`, to: `./${member}/package.json` }]
              : []),
          ]
        : []),
    ];
    const build =
      a.build !== null
        ? `${secretMounts(a.buildSecrets)}${generate !== null ? `${generate} && ` : ''}${shellLine(a.build)}`
        : null;
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: layout.manifests.length
        ? layout.manifests
        : ['package.json', ...(LOCKFILES[a.packageManager] ?? []).slice(0, 1)],
      installProd: withRegistry(reg, mounts, prod),
      installAll: hasBuild
        ? withRegistry(reg, mounts, `${generate !== null ? `${opensslFor(a.flavor)} && ` : ''}${cmds.all}`)
        : null,
      build,
      artefacts,
      env: [
        ['NODE_ENV', 'production'],
        ['PORT', String(a.port)],
        ...(layout.hostEnv !== undefined && /^[A-Z_][A-Z0-9_]*$/.test(layout.hostEnv)
          ? [[layout.hostEnv, '0.0.0.0'] as [string, string]]
          : []),
        // Plug'n'Play: node resolves the packages through .pnp.cjs (what `yarn node` sets up)
        ...(pnp ? [['NODE_OPTIONS', JSON.stringify(PNP_NODE_OPTIONS)] as [string, string]] : []),
      ],
      emptyStage: 'deps',
      harden: flavorHarden(a.flavor),
      extra: {
        copySources: hasBuild ? '' : 'yes',
        unlocked: locked ? '' : a.packageManager,
        lifecycle: lifecycle.map((n) => `scripts.${n}`).join(', '),
        prismaSchema: generate !== null ? (safeRelPath(layout.prismaSchema) ?? '') : '',
        hostEnv: layout.hostEnv ?? '',
        workspace: linked.map((d) => `${d}/node_modules`).join(' '),
        berry: berry !== undefined ? berry.linker : '',
        focus: member !== undefined && berry?.focus !== undefined ? berry.focus : '',
        yarnFiles: yarnFiles.map((f) => `COPY ${f} ./${f.slice(0, f.lastIndexOf('/') + 1)}`).join('\n'),
        pnpRegister: pnp ? PNP_REGISTER : '',
        memberManifests:
          member !== undefined
            ? memberManifests.map((f) => `COPY ${f} ./${f.slice(0, -'package.json'.length)}`).join('\n')
            : '',
      },
    };
  },
  dockerignore: (layout, a) => [
    '**/node_modules',
    'npm-debug.log*',
    'yarn-error.log*',
    '.npm',
    '.pnpm-store',
    '.yarn/cache',
    // Plug'n'Play: the install in the image writes its own (a committed one lists the dev packages too)
    ...(layout.yarnBerry === true && a.packageManager === 'yarn' && berryOf(layout.settings).linker === 'pnp'
      ? ['.pnp.cjs', '.pnp.loader.mjs', '.yarn/unplugged', '.yarn/install-state.gz']
      : []),
    '.next/cache',
    // the build runs inside the image: a local build output must not leak in
    ...(a.build ? [layout.buildOutput ?? 'dist'] : []),
    // a Prisma client generated on the developer's machine (another platform's engine) must not either
    ...(layout.prismaSchema !== undefined && safeRelPath(layout.prismaOutput) !== undefined
      ? [safeRelPath(layout.prismaOutput) as string]
      : []),
  ],
};

/** alpine final stage: remove the package managers but keep /lib/apk/db so scanners still see packages (P2). */
function flavorHarden(flavor: Flavor): string | null {
  if (flavor !== 'alpine') return null;
  return 'rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /sbin/apk /etc/apk /usr/share/apk /var/cache/apk';
}
