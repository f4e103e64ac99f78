// Java: Maven or Gradle (their wrappers when the project has them) on a JDK builder, the app run by
// the JRE of distroless java<N> (or Temurin's on Alpine), never a JDK. The build files come first
// and the dependencies are resolved into a cache mount (~/.m2, ~/.gradle) before the sources; the
// build output is staged in /out by packaging: a Spring Boot jar extracted into its layers
// (dependencies change less often than the app), Quarkus' fast-jar directories, one executable jar,
// or Gradle's application distribution. JVM flags size the heap from the container's memory limit.
import {
  AnswerError,
  type Answers,
  type DockerfileSpec,
  type Flavor,
  type ProjectLayout,
  type RuntimeSettings,
} from '../../core/types.js';
import { packagePath } from '../../core/paths.js';
import { secretMounts, shellLine, shq, type RuntimeProfile } from '../profile.js';
import {
  exportVar,
  registryLines,
  registrySetup,
  splitBasic,
  writeLines,
  type PackageRegistryRef,
  type RegistrySetup,
} from '../package-registry.js';
import { detectJava, JAR_EXCLUDES, PACKAGINGS, type Packaging } from './detect.js';
import { JAVA_PROBE_ANY_STATUS, JAVA_PROBE_CLASS, JAVA_PROBE_SOURCE, javaProbeSource } from './probe.js';
import { JAVA_VERSIONS } from './versions.js';

const HELPER = 'src/main/java/container/Secrets.java';
/** the java launcher in the final image */
const javaBin = (flavor: Flavor): string => (flavor === 'distroless' ? '/usr/bin/java' : '/opt/java/openjdk/bin/java');
/** JVM defaults for a container: the heap follows the memory limit; an OutOfMemoryError ends the process (the restart policy starts a fresh one). */
const JVM_DEFAULTS: readonly { flag: string; unless: RegExp }[] = [
  { flag: '-XX:MaxRAMPercentage=75', unless: /^-(?:XX:MaxRAMPercentage=|XX:MaxRAM=|Xmx)/ },
  { flag: '-XX:+ExitOnOutOfMemoryError', unless: /^-XX:[+-](?:ExitOn|CrashOn)OutOfMemoryError$/ },
];
const REL = /^(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_.][A-Za-z0-9_./-]*$/;
const GLOB = /^[A-Za-z0-9_.*-]{1,60}$/;

interface JavaLayout {
  tool: 'maven' | 'gradle';
  wrapper: boolean;
  files: string[];
  module: string;
  packaging: Packaging;
  out: string;
  jar: string;
}

/** The layout settings of one build tool, re-validated (they also come from .yo-rc.json). */
function javaLayout(s: RuntimeSettings | undefined, tool: string): JavaLayout {
  const t: 'maven' | 'gradle' = tool === 'gradle' ? 'gradle' : 'maven';
  const get = (k: string): unknown => s?.[`${t}.${k}`];
  const rawFiles = get('files');
  const files = (Array.isArray(rawFiles) ? rawFiles : []).filter(
    (f): f is string => typeof f === 'string' && REL.test(f.replace(/\/$/, '')),
  );
  const module =
    typeof get('module') === 'string' && REL.test(get('module') as string) ? (get('module') as string) : '.';
  const packaging = PACKAGINGS.find((p) => p === get('packaging')) ?? 'jar';
  const defOut = t === 'maven' ? 'target' : 'build/libs';
  const out = typeof get('out') === 'string' && REL.test(get('out') as string) ? (get('out') as string) : defOut;
  const jar = typeof get('jar') === 'string' && GLOB.test(get('jar') as string) ? (get('jar') as string) : '*.jar';
  const fallback = t === 'maven' ? ['pom.xml'] : ['settings.gradle', 'build.gradle'];
  return {
    tool: t,
    wrapper: get('wrapper') === true,
    files: files.length ? files : fallback,
    module,
    packaging,
    out,
    jar,
  };
}

/** COPY lines for the build files, keeping each in its directory; wrappers stay executable. */
function copyLines(files: string[]): string {
  const lines: string[] = [];
  const rootFiles = files.filter((f) => !f.includes('/') && f !== 'mvnw' && f !== 'gradlew');
  if (rootFiles.length) lines.push(`COPY ${rootFiles.join(' ')} ./`);
  for (const w of files.filter((f) => f === 'mvnw' || f === 'gradlew')) lines.push(`COPY --chmod=0755 ${w} ./`);
  for (const f of files.filter((x) => x.includes('/'))) {
    if (f.endsWith('/')) lines.push(`COPY ${f} ${f}`);
    else lines.push(`COPY ${f} ${f.slice(0, f.lastIndexOf('/') + 1)}`);
  }
  return lines.join('\n');
}

/** Shell that stages the build output in /out (the final stage copies fixed paths from there). */
function stage(l: JavaLayout): string[] {
  const one = (dir: string, pattern: string, to: string): string[] => [
    `set -- $(find ${shq(dir)} -maxdepth 1 -name ${shq(pattern)} ${JAR_EXCLUDES.map((x) => `! -name ${shq(x)}`).join(' ')})`,
    `if [ $# -ne 1 ]; then echo "expected one ${pattern} in ${dir}/, found: $*" >&2; exit 1; fi`,
    `cp "$1" ${to}`,
  ];
  const layers =
    'mkdir -p /out/layers/dependencies /out/layers/spring-boot-loader /out/layers/snapshot-dependencies /out/layers/application';
  switch (l.packaging) {
    case 'spring-boot':
      return [
        ...one(l.out, l.jar, '/out/app.jar'),
        'java -Djarmode=tools -jar /out/app.jar extract --layers --destination /out/layers',
        layers,
      ];
    case 'spring-boot-legacy':
      return [
        ...one(l.out, l.jar, '/out/app.jar'),
        'java -Djarmode=layertools -jar /out/app.jar extract --destination /out/layers',
        layers,
      ];
    case 'quarkus':
      return [`cp -R ${shq(l.out)} /out/quarkus-app`];
    case 'dist':
      return [
        `set -- ${shq(l.out)}/*/lib`,
        `if [ $# -ne 1 ] || [ ! -d "$1" ]; then echo "expected one distribution in ${l.out}/, found: $*" >&2; exit 1; fi`,
        'cp -R "$1" /out/lib',
      ];
    default:
      return one(l.out, l.jar, '/out/app.jar');
  }
}

function artefacts(l: JavaLayout): DockerfileSpec['artefacts'] {
  switch (l.packaging) {
    case 'spring-boot':
    case 'spring-boot-legacy':
      // the layers from the least to the most often changed: each is its own image layer
      return ['dependencies', 'spring-boot-loader', 'snapshot-dependencies', 'application'].map((x) => ({
        stage: 'build',
        from: `/out/layers/${x}/`,
        to: './',
      }));
    case 'quarkus':
      return [
        { stage: 'build', from: '/out/quarkus-app/lib/', to: './lib/' },
        { stage: 'build', from: '/out/quarkus-app/*.jar', to: './' },
        { stage: 'build', from: '/out/quarkus-app/app/', to: './app/' },
        { stage: 'build', from: '/out/quarkus-app/quarkus/', to: './quarkus/' },
      ];
    case 'dist':
      return [{ stage: 'build', from: '/out/lib/', to: './lib/' }];
    default:
      return [{ stage: 'build', from: '/out/app.jar', to: './app.jar' }];
  }
}

/** A RUN body over several lines: the mounts, then one command per line (`&&` first, so each reads on its own). */
function runLines(mounts: string, cmds: string[]): string {
  return [mounts.trim(), cmds.join(' \\\n    && ')].filter(Boolean).join(' \\\n    ');
}

const isMavenCmd = (t: string | undefined): boolean => t === 'mvn' || t === './mvnw' || t === 'mvnw';
const isGradleCmd = (t: string | undefined): boolean => t === 'gradle' || t === './gradlew' || t === 'gradlew';

/**
 * --package-registry for Maven and Gradle (issue 19): Maven gets a user settings.xml with a mirror of
 * every repository (`<mirrorOf>*</mirrorOf>`), Gradle an init script pointing every Maven repository
 * at the registry; both in the ~/.m2 or ~/.gradle cache mount (never a layer), both read the
 * credentials from the RUN's environment (`${env.SC_P}`, System.getenv), never hold them, and are
 * removed again. The Maven wrapper downloads Maven itself through MVNW_REPOURL.
 */
function javaRegistry(ref: PackageRegistryRef, maven: boolean): RegistrySetup {
  const auth = ref.secret !== '';
  const creds = auth ? splitBasic(ref, 'SC_U', 'SC_P') : [];
  if (maven) {
    const bare = ref.url.replace(/\/$/, '');
    const settings = [
      '<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">',
      `<mirrors><mirror><id>package-registry</id><mirrorOf>*</mirrorOf><url>${ref.url}</url></mirror></mirrors>`,
      ...(auth
        ? [
            '<servers><server><id>package-registry</id><username>${env.SC_U}</username><password>${env.SC_P}</password></server></servers>',
          ]
        : []),
      '</settings>',
    ];
    return {
      before: [
        ...creds,
        exportVar('MVNW_REPOURL', bare),
        ...(auth ? [exportVar('MVNW_USERNAME', '$SC_U'), exportVar('MVNW_PASSWORD', '$SC_P')] : []),
        writeLines('/root/.m2/settings.xml', settings),
      ],
      after: ['rm -f /root/.m2/settings.xml'],
      secretForm: '`user:password`',
      tools:
        'Maven (a `<mirrorOf>*</mirrorOf>` mirror in a settings.xml that lives in the ~/.m2 cache mount during the step)',
    };
  }
  const script = [
    'def u = System.getenv("SC_REGISTRY_URL")',
    'def user = System.getenv("SC_U")',
    'def pass = System.getenv("SC_P")',
    'def mirror = { repos -> repos.all { r -> if (r instanceof MavenArtifactRepository) { r.url = u; r.allowInsecureProtocol = u.startsWith("http:"); if (user) { r.credentials { username = user; password = pass } } } } }',
    'beforeSettings { s -> mirror(s.pluginManagement.repositories) }',
    'settingsEvaluated { s -> mirror(s.dependencyResolutionManagement.repositories) }',
    'allprojects { mirror(buildscript.repositories); mirror(repositories) }',
  ];
  return {
    before: [
      ...creds,
      exportVar('SC_REGISTRY_URL', ref.url),
      'mkdir -p /root/.gradle/init.d',
      writeLines('/root/.gradle/init.d/package-registry.gradle', script),
    ],
    after: ['rm -f /root/.gradle/init.d/package-registry.gradle'],
    secretForm: '`user:password`',
    tools:
      'Gradle (an init script pointing every Maven repository at it, in the ~/.gradle cache mount during the step)',
    caveat:
      'The Gradle wrapper downloads Gradle itself from distributionUrl in gradle/wrapper/gradle-wrapper.properties: point it at the registry too.',
  };
}

export const java: RuntimeProfile = {
  runtime: 'java',
  label: 'Java',
  choiceHelp: 'Java (Maven pom.xml or Gradle build.gradle), run on a JRE',
  manifestNames: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
  claim(ctx) {
    const files = ['pom.xml', 'build.gradle.kts', 'build.gradle', 'settings.gradle.kts', 'settings.gradle'].filter(
      (f) => ctx.has(f),
    );
    return files.length ? { rank: 30, source: files.join(', '), detect: () => detectJava(ctx) } : undefined;
  },
  code: {
    files: /\.(?:java|kt)$/,
    ports: [
      // HttpServer.create(new InetSocketAddress(8080), 0), new InetSocketAddress("0.0.0.0", 8080)
      /new\s+InetSocketAddress\(\s*(?:"[^"]{0,60}"\s*,\s*)?(\d{2,5})\s*\)/g,
      // Javalin app.start(7070), Spark port(4567)
      /(?:\.start|\bport)\(\s*(\d{2,5})\s*\)/g,
      // Ktor embeddedServer(Netty, port = 8080)
      /embeddedServer\([^)]{0,200}?\bport\s*=\s*(\d{2,5})/g,
      // System.getenv().getOrDefault("PORT", "8080"), Optional.ofNullable(System.getenv("PORT")).orElse("8080")
      /getenv\([^)]{0,40}\)[^;\n]{0,80}?"PORT"\s*,\s*"(\d{2,5})"/g,
      /getenv\(\s*"PORT"\s*\)[^;\n]{0,80}?"(\d{2,5})"/g,
      // static final int PORT = 8080; val port = 8080
      /\b(?:int|Integer|val|var|final)\s+(?:PORT|DEFAULT_PORT|port|defaultPort)\s*(?::\s*Int\s*)?=\s*(\d{2,5})\b/g,
    ],
  },
  layoutHints(facts, repo) {
    // .mvn/ (extensions, jvm.config) is a dot-directory the detection listing skips
    if (facts.runtime?.value !== 'java' || facts.settings === undefined) return {};
    const files = facts.settings.value['maven.files'];
    if (!Array.isArray(files) || files.includes('.mvn/') || !repo.exists('.mvn')) return {};
    return { settings: { ...facts.settings.value, 'maven.files': [...files, '.mvn/'] } };
  },
  layout(facts, a, hints) {
    const settings = hints.settings ?? facts.settings?.value ?? {};
    const l = javaLayout(settings, a.packageManager);
    // this tool's settings, and the other's build command (a detected one that --package-manager switched away from)
    const keep: RuntimeSettings = {};
    for (const [k, v] of Object.entries(settings)) if (k.startsWith(`${l.tool}.`) || k.endsWith('.build')) keep[k] = v;
    return { manifests: l.files, settings: keep };
  },
  startExample: () => '"java -jar app.jar"',
  templateDir: packagePath('templates', 'runtimes', 'java'),
  secretsHelperPath: HELPER,
  extraFiles: (spec) => [{ path: JAVA_PROBE_SOURCE, contents: javaProbeSource(spec.generator.version) }],
  context: { sourceFiles: /\.(?:java|kt|groovy|scala)$/, exceptions: [] },
  packageManagers: ['maven', 'gradle'],
  defaultPackageManager: 'maven',
  defaultVersion: '21',
  versions: JAVA_VERSIONS,
  normalizeVersion(v) {
    const m = /^(?:1\.(8)|(\d{1,2}))(?:\.[\d.+_a-z-]*)?$/i.exec(v.trim());
    if (!m) throw new Error('must be a Java release such as 21');
    const g: readonly (string | undefined)[] = m;
    return g[1] ?? g[2] ?? '';
  },
  versionHelp:
    'a Java release: 17 or 21 for distroless, 11, 17, 21 or 25 for alpine (a compile target is a minimum; a toolchain is exact)',
  defaultPort: 8080,
  flavors: ['distroless', 'alpine'],
  images(v, flavor) {
    const builder = `maven:3.9-eclipse-temurin-${v}`;
    if (flavor === 'alpine') return { builder, final: `eclipse-temurin:${v}-jre-alpine` };
    return { builder, final: `gcr.io/distroless/java${v}-debian12:nonroot` };
  },
  defaultUser: (flavor) => (flavor === 'distroless' ? 65532 : 10001),
  interpreter: javaBin,
  entrypoint(start, flavor) {
    const args = start.slice(1);
    const extra = JVM_DEFAULTS.filter((d) => !args.some((a) => d.unless.test(a))).map((d) => d.flag);
    return [javaBin(flavor), ...extra, ...args];
  },
  checkStart(start) {
    if (start[0] !== 'java') {
      return `must start the app with java directly, e.g. "java -jar app.jar" (not ${JSON.stringify(start[0])}: P1, no build tool or wrapper script at run time)`;
    }
    const rest = start.slice(1);
    const jar = rest.indexOf('-jar');
    const main = rest.some((t) => /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(t));
    if (rest.some((t) => /^(?:spring-boot:run|quarkus:dev|bootRun|run)$/.test(t)))
      return 'must run the packaged app, not a development goal';
    if ((jar === -1 || jar + 1 >= rest.length) && !main)
      return 'must name a jar (-jar app.jar) or a main class, e.g. "java -jar app.jar"';
    return undefined;
  },
  defaultStart: () => ['java', '-jar', 'app.jar'],
  healthcheck(flavor, port, path) {
    // a short-lived JVM: small heap, no JIT tiers beyond C1, no perf data file in /tmp
    const url = `http://127.0.0.1:${port}${path}`;
    return [
      javaBin(flavor),
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx32m',
      '-XX:-UsePerfData',
      '-cp',
      '/app/healthcheck',
      JAVA_PROBE_CLASS,
      ...(path === '/' ? [JAVA_PROBE_ANY_STATUS] : []),
      url,
    ];
  },
  tmpfs: [],
  packageRegistry: (ref, a, layout) =>
    javaRegistry(ref, javaLayout(layout.settings, a.packageManager).tool === 'maven'),
  dockerfile(a: Answers, layout: ProjectLayout): DockerfileSpec {
    const l = javaLayout(layout.settings, a.packageManager);
    // --package-registry: around the dependency download and the build (plugins resolve there too)
    const reg = registrySetup(this, a, layout);
    const regMount = reg?.mount ?? '';
    const v = a.runtimeVersion;
    const { final } = this.images(v, a.flavor);
    const maven = l.tool === 'maven';
    // --package-manager picks the other tool of a project that has both: its detected build follows
    let userBuild = a.build;
    if (userBuild !== null && (maven ? isGradleCmd(userBuild[0]) : isMavenCmd(userBuild[0]))) {
      const other = layout.settings?.[`${maven ? 'gradle' : 'maven'}.build`];
      const mine = layout.settings?.[`${l.tool}.build`];
      const same =
        Array.isArray(other) && other.length === userBuild.length && other.every((t, i) => t === userBuild?.[i]);
      if (same && Array.isArray(mine) && mine.every((t) => typeof t === 'string' && /^[\w.:/=@+-]+$/.test(t)))
        userBuild = mine;
      else
        throw new AnswerError(
          'build',
          '--build',
          `${JSON.stringify(userBuild.join(' '))} runs ${maven ? 'Gradle' : 'Maven'} but --package-manager is ${l.tool}: pass a ${maven ? 'Maven' : 'Gradle'} --build too, or --package-manager ${maven ? 'gradle' : 'maven'}`,
        );
    }
    const tool = l.wrapper ? (maven ? './mvnw' : './gradlew') : maven ? 'mvn' : 'gradle';
    const builder = maven
      ? `maven:3.9-eclipse-temurin-${v}`
      : l.wrapper
        ? `eclipse-temurin:${v}-jdk-noble`
        : `gradle:${Number(v) >= 25 ? '9.1' : '8.14'}-jdk${v}`;
    const cache = maven ? '/root/.m2' : '/root/.gradle';
    const mounts = `--mount=type=cache,target=${cache} ${secretMounts(a.buildSecrets)}`;
    const project = l.module === '.' ? '' : `:${l.module.replace(/\//g, ':')}:`;
    const deps = maven
      ? `${tool} -B -ntp dependency:go-offline`
      : `${tool} --no-daemon -q ${project}dependencies > /dev/null`;
    const build =
      userBuild ??
      (maven ? [tool, '-B', '-ntp', '-DskipTests', 'package'] : [tool, '--no-daemon', `${project}build`, '-x', 'test']);
    const probe = `javac --release 11 -d /out/healthcheck ${JAVA_PROBE_SOURCE}`;
    const spring = l.packaging === 'spring-boot' || l.packaging === 'spring-boot-legacy';
    return {
      builderImage: builder,
      finalImage: final,
      manifestFiles: l.files,
      installProd: runLines(`${mounts}${regMount}`, registryLines(reg, [deps])),
      installAll: null,
      build: runLines(`${mounts}${regMount}`, [
        ...registryLines(reg, [shellLine(build)]),
        'mkdir -p /out',
        ...stage(l),
        probe,
      ]),
      artefacts: [...artefacts(l), { stage: 'build', from: '/out/healthcheck/', to: './healthcheck/' }],
      env: [
        ['PORT', String(a.port)],
        // the port answer reaches the framework's own setting (it overrides application.properties)
        ...(spring ? ([['SERVER_PORT', String(a.port)]] as [string, string][]) : []),
        ...(l.packaging === 'quarkus' ? ([['QUARKUS_HTTP_PORT', String(a.port)]] as [string, string][]) : []),
      ],
      emptyStage: 'build',
      harden: a.flavor === 'alpine' ? 'rm -rf /sbin/apk /etc/apk /usr/share/apk /var/cache/apk' : null,
      extra: {
        copyManifests: copyLines(l.files),
        tool: l.tool === 'maven' ? 'Maven' : 'Gradle',
        gradleHome: maven ? '' : '/root/.gradle',
        packaging: l.packaging,
        wrapper: l.wrapper ? 'yes' : '',
      },
    };
  },
  dockerignore: () => ['target', '*/target', 'build', '*/build', '.gradle', '**/*.class'],
};
