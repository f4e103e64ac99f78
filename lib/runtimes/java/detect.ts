// Java detection: Maven (pom.xml, mvnw) and Gradle (build.gradle(.kts), settings.gradle(.kts),
// gradlew, gradle/libs.versions.toml); the module or subproject that is the app; how the build
// packages it (Spring Boot layered jar, Quarkus fast-jar, an executable jar, Gradle's application
// distribution); the Java release; the port and health endpoint from the application's config
// (server.port, quarkus.http.port, Actuator, SmallRye Health) or its code. Pure: reads through ctx.
import type { Fact, RuntimeSettings } from '../../core/types.js';
import { fact, type Ctx, type DetectedFacts } from '../../detect/model.js';
import { HEALTH_NAMES, rankHealth } from '../../detect/port.js';
import { dnsLabel, LineIndex } from '../../detect/text.js';
import { compareDotted, supportedVersions } from '../../detect/versions.js';
import {
  gradleHasDep,
  gradleIncludes,
  gradleJavaVersion,
  gradleMainClass,
  gradleRootName,
  hasDep,
  parseGradle,
  parsePom,
  pomJavaVersion,
  pomMainClass,
  pomSpringBoot,
  type GradleBuild,
  type Pom,
} from './build-files.js';
import { pathOf, portOf, readAppConfig, type AppConfig } from './config.js';
import { gradleMaxJava, JAVA_VERSIONS } from './versions.js';

export const JAVA_SUPPORTED: readonly string[] = supportedVersions(JAVA_VERSIONS);

/** How the build packages the app, which decides what the image copies and how it starts. */
export type Packaging = 'spring-boot' | 'spring-boot-legacy' | 'quarkus' | 'jar' | 'dist';
export const PACKAGINGS: readonly Packaging[] = ['spring-boot', 'spring-boot-legacy', 'quarkus', 'jar', 'dist'];

/** What one build tool would do with the repository (both are kept: --package-manager may pick the other). */
interface Plan {
  tool: 'maven' | 'gradle';
  wrapper: boolean;
  /** build files copied before the dependency step; a trailing / marks a directory */
  files: string[];
  /** the app's module or subproject directory ("." for the root) */
  module: string;
  packaging: Packaging;
  /** where the build writes the app (relative to the repository root) */
  out: string;
  /** the jar to take from `out` (a find -name pattern) */
  jar: string;
  build: string[];
  start: string[];
  startSource: string;
  startGuess?: string;
  name?: Fact<string>;
  version?: { version: string; source: string; toolchain?: boolean };
  /** the newest Java the build tool itself runs on (an old Gradle wrapper) */
  maxJava?: { version: string; source: string };
  framework?: Fact<string>;
  bootVersion?: string;
  actuator: boolean;
  quarkusHealth: boolean;
  security: boolean;
}

const JAR_EXCLUDES = ['*-plain.jar', '*-sources.jar', '*-javadoc.jar', '*-tests.jar', 'original-*.jar'];
export { JAR_EXCLUDES };

/** Spring Boot packaging by version: 3.3+ extracts with -Djarmode=tools, 2.4-3.2 with layertools. */
function bootPackaging(version: string | undefined): { packaging: Packaging; start: string[]; why: string } {
  const v = version !== undefined && /^\d+\.\d+/.test(version) ? /^\d+\.\d+/.exec(version)?.[0] : undefined;
  if (v !== undefined && compareDotted(v, '3.3') >= 0)
    return {
      packaging: 'spring-boot',
      start: ['java', '-jar', 'app.jar'],
      why: 'a layered jar extracted with -Djarmode=tools',
    };
  if (v !== undefined && compareDotted(v, '2.4') >= 0) {
    const launcher =
      compareDotted(v, '3.2') >= 0
        ? 'org.springframework.boot.loader.launch.JarLauncher'
        : 'org.springframework.boot.loader.JarLauncher';
    return {
      packaging: 'spring-boot-legacy',
      start: ['java', launcher],
      why: `a layered jar extracted with -Djarmode=layertools, started by ${launcher}`,
    };
  }
  return { packaging: 'jar', start: ['java', '-jar', 'app.jar'], why: 'the executable jar' };
}

function quarkusPackaging(cfg: AppConfig): { packaging: Packaging; jar: string; start: string[]; why: string } {
  const type = cfg.get('quarkus.package.jar.type')?.value ?? cfg.get('quarkus.package.type')?.value;
  if (type === 'uber-jar')
    return {
      packaging: 'jar',
      jar: '*-runner.jar',
      start: ['java', '-jar', 'app.jar'],
      why: 'the uber-jar (quarkus.package.jar.type=uber-jar)',
    };
  return {
    packaging: 'quarkus',
    jar: '*.jar',
    start: ['java', '-Djava.util.logging.manager=org.jboss.logmanager.LogManager', '-jar', 'quarkus-run.jar'],
    why: 'the fast-jar quarkus-app/ (lib/, app/, quarkus/ and quarkus-run.jar)',
  };
}

// ---------------------------------------------------------------- Maven

function mavenPlan(ctx: Ctx): Plan | undefined {
  const rootText = ctx.read('pom.xml');
  if (rootText === undefined) return undefined;
  const root = parsePom(rootText);
  const wrapper = ctx.has('mvnw');
  // the app's module: the root, else the module with Spring Boot, Quarkus or a main class
  let pom: Pom = root;
  let module = '.';
  const moduleNotes: string[] = [];
  if (root.modules.length > 0 && pomSpringBoot(root) === undefined && root.packaging !== 'quarkus') {
    const mods = root.modules
      .filter((m) => /^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,100}$/.test(m) && !m.includes('..'))
      .map((m) => ({ dir: m.replace(/\/+$/, ''), text: ctx.read(`${m.replace(/\/+$/, '')}/pom.xml`) }))
      .filter((m): m is { dir: string; text: string } => m.text !== undefined)
      .map((m) => ({ ...m, pom: parsePom(m.text) }));
    const app =
      mods.find(
        (m) =>
          pomSpringBoot(m.pom)?.source.includes('plugin') === true ||
          m.pom.plugins.includes('spring-boot-maven-plugin'),
      ) ??
      mods.find((m) => m.pom.packaging === 'quarkus' || m.pom.plugins.includes('quarkus-maven-plugin')) ??
      mods.find((m) => pomMainClass(m.pom) !== undefined);
    if (app !== undefined) {
      pom = app.pom;
      module = app.dir;
      moduleNotes.push(`module ${app.dir} of ${mods.length}`);
    } else
      ctx.note(
        `pom.xml: ${root.modules.length} modules and none builds an app (Spring Boot, Quarkus or a main class): pass --build and --start`,
      );
  }
  const inModule = (f: string): string => (module === '.' ? f : `${module}/${f}`);
  const tool = wrapper ? './mvnw' : 'mvn';
  const files = [
    'pom.xml',
    ...root.modules
      .map((m) => `${m.replace(/\/+$/, '')}/pom.xml`)
      .filter((f) => ctx.has(f) && /^[A-Za-z0-9._/-]+$/.test(f) && !f.includes('..')),
    ...(wrapper ? ['mvnw', '.mvn/'] : []),
  ];
  const boot = pomSpringBoot(pom) ?? (module !== '.' ? pomSpringBoot(root) : undefined);
  const quarkus = pom.packaging === 'quarkus' || pom.plugins.includes('quarkus-maven-plugin');
  const cfg = readAppConfig(ctx, module);
  let packaging: Packaging = 'jar';
  let jar = '*.jar';
  let start: string[] = ['java', '-jar', 'app.jar'];
  let why = 'the executable jar';
  let guess: string | undefined;
  let framework: Fact<string> | undefined;
  if (boot !== undefined) {
    const b = bootPackaging(boot.version);
    ({ packaging, start, why } = b);
    if (pom.packaging === 'war') jar = '*.war';
    framework = fact(`spring-boot${boot.version !== undefined ? ` ${boot.version}` : ''}`, boot.source);
  } else if (quarkus) {
    const q = quarkusPackaging(cfg);
    ({ packaging, jar, start, why } = q);
    const v = pom.properties['quarkus.platform.version'] ?? pom.properties['quarkus.version'];
    framework = fact(
      `quarkus${v !== undefined ? ` ${v}` : ''}`,
      `pom.xml: ${pom.packaging === 'quarkus' ? '<packaging>quarkus</packaging>' : 'quarkus-maven-plugin'}`,
    );
  } else {
    const main = pomMainClass(pom);
    if (pom.build.includes('jar-with-dependencies')) jar = '*-jar-with-dependencies.jar';
    if (main === undefined) {
      guess = 'no Spring Boot, Quarkus or main class in pom.xml: the jar may not be executable (no Main-Class)';
      ctx.note(
        `${inModule('pom.xml')}: no main class (maven-jar-plugin, shade or assembly <mainClass>): "java -jar app.jar" needs a Main-Class in the jar's manifest; pass --start "java -cp app.jar com.example.Main" otherwise`,
      );
    } else {
      why = `the jar with Main-Class ${main}`;
      const shaded = pom.plugins.includes('maven-shade-plugin') || jar !== '*.jar';
      const runtimeDeps = pom.dependencies.filter((d) => !['test', 'provided', 'system'].includes(d.scope ?? ''));
      if (!shaded && runtimeDeps.length > 0)
        ctx.note(
          `${inModule('pom.xml')}: ${runtimeDeps.length} run-time dependenc${runtimeDeps.length === 1 ? 'y' : 'ies'} and no maven-shade or assembly plugin: the jar alone does not hold them, so "java -jar" fails with NoClassDefFoundError; build a shaded jar`,
        );
    }
  }
  const build = [tool, '-B', '-ntp', '-DskipTests', ...(module !== '.' ? ['-pl', module, '-am'] : []), 'package'];
  const name = pom.artifactId !== undefined ? dnsLabel(pom.artifactId) : undefined;
  const version = pomJavaVersion(pom) ?? (module !== '.' ? pomJavaVersion(root) : undefined);
  return {
    tool: 'maven',
    wrapper,
    files,
    module,
    packaging,
    out: packaging === 'quarkus' ? inModule('target/quarkus-app') : inModule('target'),
    jar,
    build,
    start,
    startSource: `${inModule('pom.xml')}: ${why}${moduleNotes.length ? ` (${moduleNotes.join('; ')})` : ''}`,
    ...(guess !== undefined ? { startGuess: guess } : {}),
    ...(name !== undefined && pom.artifactId !== undefined
      ? { name: fact(name, `${inModule('pom.xml')}: <artifactId>${pom.artifactId}</artifactId>`) }
      : {}),
    ...(version !== undefined ? { version } : {}),
    ...(framework !== undefined ? { framework } : {}),
    ...(boot?.version !== undefined ? { bootVersion: boot.version } : {}),
    actuator: hasDep(pom, 'spring-boot-starter-actuator'),
    quarkusHealth: hasDep(pom, 'quarkus-smallrye-health'),
    security: hasDep(pom, 'spring-boot-starter-security'),
  };
}

// ---------------------------------------------------------------- Gradle

const GRADLE_BUILD = ['build.gradle.kts', 'build.gradle'];
const GRADLE_SETTINGS = ['settings.gradle.kts', 'settings.gradle'];

function gradlePlan(ctx: Ctx): Plan | undefined {
  const settingsFile = GRADLE_SETTINGS.find((f) => ctx.has(f));
  const rootFile = GRADLE_BUILD.find((f) => ctx.has(f));
  if (settingsFile === undefined && rootFile === undefined) return undefined;
  const settings = settingsFile !== undefined ? (ctx.read(settingsFile) ?? '') : '';
  const catalog = ctx.read('gradle/libs.versions.toml');
  const wrapper = ctx.has('gradlew');
  const builds: { dir: string; file: string; g: GradleBuild }[] = [];
  if (rootFile !== undefined)
    builds.push({ dir: '.', file: rootFile, g: parseGradle(ctx.read(rootFile) ?? '', catalog) });
  for (const p of gradleIncludes(settings)) {
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,100}$/.test(p) || p.includes('..')) continue;
    const f = GRADLE_BUILD.map((b) => `${p}/${b}`).find((x) => ctx.has(x));
    if (f !== undefined) builds.push({ dir: p, file: f, g: parseGradle(ctx.read(f) ?? '', catalog) });
  }
  const has = (b: { g: GradleBuild }, id: string): boolean => b.g.plugins.has(id);
  const app =
    builds.find((b) => has(b, 'org.springframework.boot')) ??
    builds.find((b) => has(b, 'io.quarkus')) ??
    builds.find((b) => has(b, 'application') || has(b, 'io.ktor.plugin')) ??
    builds.find((b) => has(b, 'com.github.johnrengelman.shadow') || has(b, 'com.gradleup.shadow')) ??
    builds.at(0);
  if (app === undefined) return undefined;
  const module = app.dir;
  const inModule = (f: string): string => (module === '.' ? f : `${module}/${f}`);
  const tool = wrapper ? './gradlew' : 'gradle';
  const prefix = module === '.' ? '' : `:${module.replace(/\//g, ':')}:`;
  const cfg = readAppConfig(ctx, module);
  const g = app.g;
  // the Boot version: this build's plugin, else the root's (subprojects often apply it without a version)
  const bootVersion =
    g.plugins.get('org.springframework.boot') ??
    builds.find((b) => b.g.plugins.get('org.springframework.boot'))?.g.plugins.get('org.springframework.boot');
  let packaging: Packaging = 'jar';
  let jar = '*.jar';
  let start: string[] = ['java', '-jar', 'app.jar'];
  let why = 'the jar';
  let task = 'jar';
  let out = inModule('build/libs');
  let guess: string | undefined;
  let framework: Fact<string> | undefined;
  if (has(app, 'org.springframework.boot')) {
    ({ packaging, start, why } = bootPackaging(bootVersion));
    task = has(app, 'war') ? 'bootWar' : 'bootJar';
    if (task === 'bootWar') jar = '*.war';
    framework = fact(
      `spring-boot${bootVersion !== undefined ? ` ${bootVersion}` : ''}`,
      `${app.file}: plugin org.springframework.boot${bootVersion !== undefined ? ` ${bootVersion}` : ''}`,
    );
  } else if (has(app, 'io.quarkus')) {
    const q = quarkusPackaging(cfg);
    ({ packaging, jar, start, why } = q);
    task = 'quarkusBuild';
    if (packaging === 'quarkus') out = inModule('build/quarkus-app');
    framework = fact('quarkus', `${app.file}: plugin io.quarkus`);
  } else if (has(app, 'application') || has(app, 'io.ktor.plugin')) {
    const main = gradleMainClass(g);
    packaging = 'dist';
    task = 'installDist';
    out = inModule('build/install');
    if (main !== undefined) {
      start = ['java', '-cp', 'lib/*', main];
      why = `the application distribution (installDist), main class ${main}`;
    } else {
      start = ['java', '-cp', 'lib/*', 'MainKt'];
      why = 'the application distribution (installDist)';
      guess = `${app.file}: the application plugin without a mainClass that could be read: MainKt is a guess`;
    }
    if (has(app, 'io.ktor.plugin')) framework = fact('ktor', `${app.file}: plugin io.ktor.plugin`);
  } else if (has(app, 'com.github.johnrengelman.shadow') || has(app, 'com.gradleup.shadow')) {
    task = 'shadowJar';
    jar = '*-all.jar';
    why = 'the shadow jar';
  } else {
    guess = `${app.file}: no Spring Boot, Quarkus, application or shadow plugin: the jar may not be executable`;
    ctx.note(
      `${app.file}: no Spring Boot, Quarkus, application or shadow plugin: pass --build and --start for how the app is packaged and started`,
    );
  }
  const files = [
    ...(settingsFile !== undefined ? [settingsFile] : []),
    ...builds.map((b) => b.file),
    ...['gradle.properties'].filter((f) => ctx.has(f)),
    ...(wrapper ? ['gradlew'] : []),
    ...(ctx.files.list.some((f) => f.startsWith('gradle/')) ? ['gradle/'] : []),
    ...(ctx.files.list.some((f) => f.startsWith('buildSrc/')) ? ['buildSrc/'] : []),
  ];
  const rootName = gradleRootName(settings);
  const name = rootName !== undefined ? dnsLabel(rootName) : undefined;
  const version =
    gradleJavaVersion(g, app.file) ??
    (app.dir !== '.' && builds[0]?.dir === '.' ? gradleJavaVersion(builds[0].g, builds[0].file) : undefined);
  // the wrapper's Gradle runs on the builder's JDK: an old one caps the Java release
  const props = ctx.read('gradle/wrapper/gradle-wrapper.properties');
  const gv = props !== undefined ? /gradle-(\d+\.\d+(?:\.\d+)?)-(?:bin|all)\.zip/.exec(props)?.[1] : undefined;
  const max = wrapper && gv !== undefined ? gradleMaxJava(gv) : undefined;
  const deps = (a: string): boolean => builds.some((b) => gradleHasDep(b.g, a, catalog));
  return {
    tool: 'gradle',
    wrapper,
    files,
    module,
    packaging,
    out,
    jar,
    build: [tool, '--no-daemon', `${prefix}${task}`],
    start,
    startSource: `${app.file}: ${why}`,
    ...(guess !== undefined ? { startGuess: guess } : {}),
    ...(name !== undefined && settingsFile !== undefined
      ? { name: fact(name, `${settingsFile}: rootProject.name = "${rootName ?? ''}"`) }
      : {}),
    ...(version !== undefined ? { version } : {}),
    ...(max !== undefined && gv !== undefined
      ? {
          maxJava: {
            version: max,
            source: `gradle/wrapper/gradle-wrapper.properties: Gradle ${gv} runs on Java ${max} at most`,
          },
        }
      : {}),
    ...(framework !== undefined ? { framework } : {}),
    ...(bootVersion !== undefined ? { bootVersion } : {}),
    actuator: deps('spring-boot-starter-actuator'),
    quarkusHealth: deps('quarkus-smallrye-health'),
    security: deps('spring-boot-starter-security'),
  };
}

// ---------------------------------------------------------------- version

/**
 * The Java release: a toolchain is exact; a compile target is a minimum, so the oldest supported
 * release at or above it that has a distroless image (17, 21), else the oldest supported one. Spring
 * Boot 3 needs 17; an old Gradle wrapper caps it.
 */
function javaVersion(ctx: Ctx, plan: Plan): Fact<string> | undefined {
  const list = JAVA_SUPPORTED.join(', ');
  const v = plan.version;
  if (v === undefined) {
    if (plan.maxJava !== undefined && compareDotted(plan.maxJava.version, '21') < 0)
      return fact(plan.maxJava.version, `${plan.maxJava.source} (no Java version in the build)`);
    return undefined;
  }
  const major = /^1\.(\d+)$/.exec(v.version)?.[1] ?? /^(\d+)/.exec(v.version)?.[1] ?? v.version;
  if (v.toolchain === true) {
    if (!JAVA_SUPPORTED.includes(major))
      ctx.note(
        `${v.source}: Java ${major} is not a supported release (${list}); Gradle/Maven toolchains need exactly that JDK`,
      );
    return fact(major, `${v.source} (a toolchain: exactly this JDK)`);
  }
  let minimum = major;
  const boot3 = plan.bootVersion !== undefined && /^[3-9]\./.test(plan.bootVersion);
  if (boot3 && compareDotted(minimum, '17') < 0) minimum = '17';
  const above = JAVA_SUPPORTED.filter(
    (s) =>
      compareDotted(s, minimum) >= 0 && (plan.maxJava === undefined || compareDotted(s, plan.maxJava.version) <= 0),
  );
  const distroless = above.filter((s) => (JAVA_VERSIONS.distroless ?? []).includes(s));
  const pick = distroless.at(0) ?? above.at(0);
  if (pick === undefined) {
    ctx.note(
      `${v.source}: no supported Java (${list}) fits${plan.maxJava !== undefined ? ` (${plan.maxJava.source})` : ''}`,
    );
    return fact(major, `${v.source} (no supported release fits)`);
  }
  const why =
    pick === major
      ? 'the same release'
      : `a minimum: Java ${pick}, the oldest supported release at or above it${distroless.includes(pick) ? ' with a distroless image' : ''}, runs it`;
  return fact(pick, `${v.source} (${why}${plan.maxJava !== undefined ? `; ${plan.maxJava.source}` : ''})`);
}

// ---------------------------------------------------------------- routes in code

const JAVA_ROUTE = new RegExp(
  String.raw`(?:@(?:Get|Request)Mapping\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*|@Path\(\s*|\bcreateContext\(\s*|\b(?:get|head|route)\(\s*)"(\/?(?:[A-Za-z0-9_.-]+\/){0,3}(?:${HEALTH_NAMES.map((n) => n.replace(/-/g, '\\-')).join('|')}|health_check)\/?)"`,
  'g',
);

function codeHealth(ctx: Ctx, files: readonly string[]): Fact<string> | undefined {
  let best: { rank: number; path: string; source: string } | undefined;
  for (const f of files) {
    const text = ctx.read(f);
    if (text === undefined || !/health|live|ready|ping/.test(text)) continue;
    const lines = new LineIndex(text);
    for (const m of text.matchAll(JAVA_ROUTE)) {
      if (lines.isCommentLine(m.index)) continue;
      const path = m[1].startsWith('/') ? m[1] : `/${m[1]}`;
      const rank = rankHealth(path.replace(/\/$/, '').replace(/^.*\//, ''));
      if (best === undefined || rank < best.rank) best = { rank, path, source: lines.source(f, m.index) };
    }
  }
  return best !== undefined ? fact(best.path, best.source) : undefined;
}

// ---------------------------------------------------------------- detection

export interface JavaResult {
  facts: DetectedFacts;
  entryFiles: string[];
  withPort(facts: DetectedFacts): void;
}

/** A relative path of a file database (SQLite, H2 file) from a JDBC URL; undefined for absolute or in-memory ones. */
function relativeDbFile(url: string): string | undefined {
  const m = /^jdbc:(?:sqlite:(?!:memory:)|h2:file:)([^;?]+)/.exec(url.trim());
  if (!m) return undefined;
  const p = m[1].replace(/^\.\//, '');
  return p.startsWith('/') || p.startsWith('~') || p.includes('$') ? undefined : p;
}

export function detectJava(ctx: Ctx): JavaResult {
  const facts: DetectedFacts = {};
  const maven = mavenPlan(ctx);
  const gradle = gradlePlan(ctx);
  const plan = maven ?? gradle;
  if (plan === undefined) return { facts, entryFiles: [], withPort: () => undefined };
  const manifest =
    plan.tool === 'maven'
      ? 'pom.xml'
      : (GRADLE_BUILD.concat(GRADLE_SETTINGS).find((f) => ctx.has(f)) ?? 'build.gradle');
  facts.packageManager = fact(
    plan.tool,
    maven !== undefined && gradle !== undefined
      ? `pom.xml${plan.wrapper ? ' and mvnw' : ''} (also found: ${gradle.files[0] ?? 'build.gradle'}: pass --package-manager gradle to build with Gradle)`
      : `${manifest}${plan.wrapper ? ` and ${plan.tool === 'maven' ? 'mvnw' : 'gradlew'}` : ''}`,
  );
  if (!plan.wrapper)
    ctx.note(
      `no ${plan.tool === 'maven' ? 'Maven wrapper (mvnw)' : 'Gradle wrapper (gradlew)'}: the build uses the builder image's ${plan.tool === 'maven' ? 'Maven 3.9' : 'Gradle'}, not a version the project pins`,
    );
  if (plan.name) facts.name = plan.name;
  const version = javaVersion(ctx, plan);
  if (version) facts.runtimeVersion = version;
  if (plan.framework) facts.framework = plan.framework;
  facts.build = fact(
    plan.build,
    `${plan.startSource.split(':')[0]}: ${plan.tool === 'maven' ? 'mvn package' : `the ${plan.build.at(-1) ?? ''} task`}${plan.module !== '.' ? ` of ${plan.module}` : ''}`,
  );
  const start: Fact<string[]> = fact(plan.start, plan.startSource);
  if (plan.startGuess !== undefined) start.guess = plan.startGuess;
  facts.start = start;

  const plans = [maven, gradle].filter((p): p is Plan => p !== undefined);
  const settings: RuntimeSettings = {};
  for (const p of plans) {
    settings[`${p.tool}.files`] = p.files;
    settings[`${p.tool}.wrapper`] = p.wrapper;
    settings[`${p.tool}.module`] = p.module;
    settings[`${p.tool}.packaging`] = p.packaging;
    settings[`${p.tool}.out`] = p.out;
    settings[`${p.tool}.jar`] = p.jar;
    settings[`${p.tool}.build`] = p.build;
  }
  facts.settings = fact(settings, plans.map((p) => `${p.tool}: ${p.startSource}`).join('; '));

  // configuration: the port, the path prefixes of the health endpoint, file databases on the read-only root
  const cfg = readAppConfig(ctx, plan.module);
  if (plan.module !== '.' && cfg.size === 0 && ctx.files.list.length > 0)
    ctx.note(
      `${plan.module}/src/main/resources is deeper than detection reads: its application.properties/yml was not read (port, health): pass --port and --health-path if they differ from the defaults`,
    );
  for (const key of ['spring.datasource.url']) {
    const url = cfg.get(key);
    const file = url !== undefined ? relativeDbFile(url.value) : undefined;
    if (url !== undefined && file !== undefined) {
      facts.dataDirs = fact(
        ['/app/data'],
        `${url.source} (a database file relative to the working directory: /app/${file}, on the read-only root filesystem)`,
      );
      ctx.note(
        `${url.source}: the database file ${file} would be /app/${file}, on the read-only root filesystem: /app/data is proposed as a volume; point the URL there (for example SPRING_DATASOURCE_URL=${url.value.replace(file, `/app/data/${file.replace(/^.*\//, '')}`).replace('./', '')})`,
      );
    }
  }

  // sources scanned first: the app's module (java/kotlin under src/main, within the listing depth)
  const srcRoot = plan.module === '.' ? 'src/main/' : `${plan.module}/src/main/`;
  const entryFiles = ctx.files.list.filter((f) => f.startsWith(srcRoot) && /\.(?:java|kt)$/.test(f)).slice(0, 40);

  return {
    facts,
    entryFiles,
    withPort(found) {
      const spring =
        plan.packaging.startsWith('spring-boot') || plan.framework?.value.startsWith('spring-boot') === true;
      const quarkus = plan.framework?.value.startsWith('quarkus') === true;
      // the port: the application's configuration wins over code and other hints
      const keys = spring
        ? ['server.port']
        : quarkus
          ? ['quarkus.http.port']
          : ['server.port', 'micronaut.server.port', 'ktor.deployment.port', 'quarkus.http.port'];
      for (const k of keys) {
        const v = cfg.get(k);
        const port = portOf(v?.value);
        if (v !== undefined && port !== undefined) {
          const prev = found.port !== undefined && found.port.value !== port ? ` (also seen: ${found.port.value})` : '';
          found.port = fact(port, `${v.source}${prev}`);
          break;
        }
      }
      if (found.port === undefined && (spring || quarkus))
        found.port = fact(
          8080,
          `${spring ? 'Spring Boot' : 'Quarkus'}'s default port (no ${keys[0]} in the application config)`,
        );

      // health: Actuator, SmallRye Health, else a route in the code
      const ctxPath =
        pathOf(cfg.get('server.servlet.context-path')?.value ?? cfg.get('server.servlet.contextPath')?.value) ?? '';
      if (spring && plan.actuator) {
        const mgmtPort = cfg.get('management.server.port');
        const disabled = /^(?:false|none)$/.test(
          cfg.get('management.endpoint.health.enabled')?.value ??
            cfg.get('management.endpoint.health.access')?.value ??
            '',
        );
        if (mgmtPort !== undefined && portOf(mgmtPort.value) !== found.port?.value)
          ctx.note(
            `${mgmtPort.source}: Actuator listens on its own port, which the HEALTHCHECK on the app's port cannot reach: pass --health-path with a route of the app`,
          );
        else if (disabled) ctx.note('the Actuator health endpoint is disabled in the application config');
        else {
          const base = pathOf(cfg.get('management.endpoints.web.base-path')?.value) ?? '/actuator';
          const src =
            plan.tool === 'maven'
              ? `${plan.module === '.' ? '' : `${plan.module}/`}pom.xml`
              : (plan.files.find((f) => f.includes('build.gradle')) ?? 'build.gradle');
          // the liveness group when the probes are on (it leaves out the database and other dependencies)
          const probes = cfg.get('management.endpoint.health.probes.enabled');
          const live = probes?.value === 'true';
          found.healthPath = fact(
            `${ctxPath}${base}/health${live ? '/liveness' : ''}`,
            `${src}: spring-boot-starter-actuator (its health endpoint${live ? ', the liveness group' : ''}${ctxPath ? `, behind server.servlet.context-path ${ctxPath}` : ''})${probes !== undefined && live ? `; ${probes.source}` : ''}`,
          );
          if (plan.security)
            ctx.note(
              'spring-boot-starter-security is on the classpath: the HEALTHCHECK requests the Actuator health endpoint without credentials, so permit it (permitAll) in the security configuration or the probe gets 401',
            );
        }
      } else if (quarkus && plan.quarkusHealth) {
        const rootPath = pathOf(cfg.get('quarkus.http.root-path')?.value) ?? '';
        const nonApp = cfg.get('quarkus.http.non-application-root-path')?.value;
        const q =
          nonApp !== undefined
            ? nonApp.startsWith('/')
              ? (pathOf(nonApp) ?? '/q')
              : `${rootPath}${pathOf(nonApp) ?? '/q'}`
            : `${rootPath}/q`;
        const src =
          plan.tool === 'maven' ? 'pom.xml' : (plan.files.find((f) => f.includes('build.gradle')) ?? 'build.gradle');
        found.healthPath = fact(`${q}/health/live`, `${src}: quarkus-smallrye-health (its liveness endpoint)`);
      } else if (found.healthPath === undefined) {
        const h = codeHealth(ctx, entryFiles);
        if (h !== undefined) found.healthPath = fact(`${ctxPath}${h.value}`, h.source);
      }
      if (found.healthPath === undefined)
        ctx.note(
          `no health endpoint found${spring ? ' (add spring-boot-starter-actuator for /actuator/health)' : quarkus ? ' (add quarkus-smallrye-health for /q/health/live)' : ''}: the HEALTHCHECK probe requests / and counts any HTTP answer (even a 404) as alive; pass --health-path to require a 2xx/3xx answer`,
        );
    },
  };
}
