// Reading Maven and Gradle build files: just enough of pom.xml (properties, parent, packaging,
// modules, dependencies, plugins) and of build.gradle(.kts) / settings.gradle(.kts) /
// gradle/libs.versions.toml (plugins, Java version, main class, subprojects). Text scans, bounded
// and pure; nothing here executes a build script.
import { parseToml, tomlGet } from '../../detect/toml.js';
import { str } from '../../detect/text.js';

// ---------------------------------------------------------------- Maven

export interface Pom {
  artifactId?: string;
  packaging?: string;
  parent?: { groupId?: string | undefined; artifactId?: string | undefined; version?: string | undefined };
  properties: Partial<Record<string, string>>;
  modules: string[];
  /** groupId:artifactId of the dependencies (any scope but test), with their version text when given */
  dependencies: { ga: string; version?: string; scope?: string }[];
  /** artifactIds of the build plugins */
  plugins: string[];
  /** raw text of the <build> section (main classes, compiler release, quarkus/boot configuration) */
  build: string;
  /** raw text without comments */
  text: string;
}

const stripComments = (x: string): string => x.replace(/<!--[\s\S]*?-->/g, '');

/** The first <tag>…</tag> block (non-greedy; nested tags of the same name are not expected). */
function block(text: string, tag: string): string | undefined {
  const open = text.indexOf(`<${tag}>`);
  if (open === -1) return undefined;
  const close = text.indexOf(`</${tag}>`, open);
  return close === -1 ? undefined : text.slice(open + tag.length + 2, close);
}

function removeBlock(text: string, tag: string): string {
  let out = text;
  for (let i = 0; i < 20; i++) {
    const open = out.indexOf(`<${tag}>`);
    if (open === -1) break;
    const close = out.indexOf(`</${tag}>`, open);
    if (close === -1) break;
    out = out.slice(0, open) + out.slice(close + tag.length + 3);
  }
  return out;
}

const elem = (text: string | undefined, tag: string): string | undefined => {
  if (text === undefined) return undefined;
  const m = new RegExp(`<${tag}>\\s*([^<]{1,200}?)\\s*</${tag}>`).exec(text);
  return m ? m[1] : undefined;
};

export function parsePom(raw: string): Pom {
  const text = stripComments(raw);
  const parentText = block(text, 'parent');
  // the project's own elements: without parent, dependency management, dependencies, build, profiles
  let own = text;
  for (const t of ['parent', 'dependencyManagement', 'dependencies', 'build', 'profiles', 'reporting', 'properties'])
    own = removeBlock(own, t);
  const properties: Partial<Record<string, string>> = {};
  const props = block(text, 'properties');
  if (props !== undefined)
    for (const m of props.matchAll(/<([A-Za-z0-9_.-]{1,80})>\s*([^<]{0,200}?)\s*<\/\1>/g)) properties[m[1]] = m[2];
  const modules = [...(block(text, 'modules') ?? '').matchAll(/<module>\s*([^<]{1,200}?)\s*<\/module>/g)].map(
    (m) => m[1],
  );
  // dependencies: the project's (not dependencyManagement's)
  const depsText = block(removeBlock(text, 'dependencyManagement'), 'dependencies') ?? '';
  const dependencies = [...depsText.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((m) => {
    const d = m[1];
    const version = elem(d, 'version');
    const scope = elem(d, 'scope');
    return {
      ga: `${elem(d, 'groupId') ?? ''}:${elem(d, 'artifactId') ?? ''}`,
      ...(version !== undefined ? { version } : {}),
      ...(scope !== undefined ? { scope } : {}),
    };
  });
  const build = block(text, 'build') ?? '';
  const plugins = [...build.matchAll(/<plugin>([\s\S]*?)<\/plugin>/g)]
    .map((m) => elem(m[1], 'artifactId'))
    .filter((a): a is string => a !== undefined);
  const parent =
    parentText !== undefined
      ? {
          ...(elem(parentText, 'groupId') !== undefined ? { groupId: elem(parentText, 'groupId') } : {}),
          ...(elem(parentText, 'artifactId') !== undefined ? { artifactId: elem(parentText, 'artifactId') } : {}),
          ...(elem(parentText, 'version') !== undefined ? { version: elem(parentText, 'version') } : {}),
        }
      : undefined;
  const artifactId = elem(own, 'artifactId');
  const packaging = elem(own, 'packaging');
  return {
    ...(artifactId !== undefined ? { artifactId } : {}),
    ...(packaging !== undefined ? { packaging } : {}),
    ...(parent !== undefined ? { parent } : {}),
    properties,
    modules,
    dependencies,
    plugins,
    build,
    text,
  };
}

/** `${prop}` resolved from the POM's properties (one level, plus project.version-like leftovers untouched). */
export function resolveProp(v: string | undefined, props: Partial<Record<string, string>>): string | undefined {
  if (v === undefined) return undefined;
  return v.replace(/\$\{([A-Za-z0-9_.-]{1,80})\}/g, (all, k: string) => props[k] ?? all);
}

/** The Java release a POM compiles for, with where it was read. */
export function pomJavaVersion(pom: Pom): { version: string; source: string; toolchain?: boolean } | undefined {
  const p = pom.properties;
  const toolchain = /<toolchains>[\s\S]*?<jdk>[\s\S]*?<version>\s*\[?([0-9.]{1,8})/.exec(pom.build);
  if (toolchain)
    return {
      version: toolchain[1],
      source: `pom.xml: maven-toolchains-plugin jdk version ${toolchain[1]}`,
      toolchain: true,
    };
  for (const key of [
    'maven.compiler.release',
    'java.version',
    'maven.compiler.target',
    'maven.compiler.source',
    'jdk.version',
    'java.release',
  ]) {
    const v = resolveProp(p[key], p);
    if (v !== undefined && /^\d+(?:\.\d+)?$/.test(v))
      return { version: v, source: `pom.xml: <${key}>${p[key]}</${key}>` };
  }
  const rel =
    /<artifactId>maven-compiler-plugin<\/artifactId>[\s\S]{0,2000}?<(release|target|source)>\s*([^<]{1,40})\s*<\/\1>/.exec(
      pom.build,
    );
  if (rel) {
    const v = resolveProp(rel[2], p);
    if (v !== undefined && /^\d+(?:\.\d+)?$/.test(v))
      return { version: v, source: `pom.xml: maven-compiler-plugin <${rel[1]}>${rel[2]}</${rel[1]}>` };
  }
  return undefined;
}

/** Spring Boot's version from the parent, the BOM import or the plugin, when a POM uses Boot. */
export function pomSpringBoot(pom: Pom): { version?: string | undefined; source: string } | undefined {
  if (pom.parent?.artifactId === 'spring-boot-starter-parent')
    return {
      ...(pom.parent.version ? { version: resolveProp(pom.parent.version, pom.properties) } : {}),
      source: `pom.xml: parent spring-boot-starter-parent ${pom.parent.version ?? ''}`.trim(),
    };
  const bom = /<artifactId>spring-boot-dependencies<\/artifactId>\s*<version>\s*([^<]{1,60})\s*<\/version>/.exec(
    pom.text,
  );
  if (bom)
    return { version: resolveProp(bom[1], pom.properties), source: `pom.xml: spring-boot-dependencies ${bom[1]}` };
  if (pom.plugins.includes('spring-boot-maven-plugin')) {
    const v = /<artifactId>spring-boot-maven-plugin<\/artifactId>\s*<version>\s*([^<]{1,60})\s*<\/version>/.exec(
      pom.build,
    );
    return {
      ...(v ? { version: resolveProp(v[1], pom.properties) } : {}),
      source: 'pom.xml: spring-boot-maven-plugin',
    };
  }
  return undefined;
}

/** A main class named in the build (jar/shade/assembly plugin manifests, exec plugin). */
export function pomMainClass(pom: Pom): string | undefined {
  const m = /<mainClass>\s*([A-Za-z_$][\w$.]{0,200})\s*<\/mainClass>/.exec(pom.build);
  const v = m ? resolveProp(m[1], pom.properties) : undefined;
  if (v !== undefined && /^[A-Za-z_$][\w$.]*$/.test(v)) return v;
  const prop = pom.properties['start-class'] ?? pom.properties['main.class'] ?? pom.properties.mainClass;
  return prop !== undefined && /^[A-Za-z_$][\w$.]*$/.test(prop) ? prop : undefined;
}

export const hasDep = (pom: Pom, artifact: string): boolean =>
  pom.dependencies.some((d) => d.ga.endsWith(`:${artifact}`) && d.scope !== 'test');

// ---------------------------------------------------------------- Gradle

export interface GradleBuild {
  /** plugin ids applied (plugins {} block, apply plugin:, kotlin("jvm")) */
  plugins: Map<string, string | undefined>;
  text: string;
}

/** Comments out of Groovy/Kotlin build scripts (strings with // inside are rare in build files). */
const stripCode = (x: string): string => x.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"'])\/\/.*$/gm, '$1');

export function parseGradle(raw: string, catalog?: string): GradleBuild {
  const text = stripCode(raw);
  const plugins = new Map<string, string | undefined>();
  // id 'x' version 'v' / id("x") version "v" / id "x"
  for (const m of text.matchAll(
    /\bid\s*\(?\s*["']([\w.-]{1,100})["']\s*\)?(?:\s*\bversion\s*\(?\s*["']([^"']{1,40})["'])?/g,
  ))
    plugins.set(m[1], m[2]);
  for (const m of text.matchAll(/\bapply\s*\(?\s*plugin\s*[:=]\s*["']([\w.-]{1,100})["']/g))
    plugins.set(m[1], undefined);
  for (const m of text.matchAll(/\bkotlin\s*\(\s*"([\w.-]{1,40})"\s*\)(?:\s*\bversion\s+"([^"]{1,40})")?/g))
    plugins.set(`org.jetbrains.kotlin.${m[1]}`, m[2]);
  // bare core plugins: `java`, `application` in a Kotlin DSL plugins block
  const block = /\bplugins\s*\{([\s\S]{0,3000}?)\n\s*\}/.exec(text)?.[1] ?? '';
  for (const m of block.matchAll(/^\s*(application|java|java-library|`java-library`|war)\s*$/gm))
    plugins.set(m[1].replace(/`/g, ''), undefined);
  // version catalog aliases: alias(libs.plugins.spring.boot)
  if (catalog !== undefined) {
    const t = parseToml(catalog).table;
    for (const m of text.matchAll(/\balias\s*\(\s*libs\.plugins\.([\w.]{1,100})\s*\)/g)) {
      const key = m[1];
      const entry =
        tomlGet(t, 'plugins', key) ??
        tomlGet(t, 'plugins', key.replace(/\./g, '-')) ??
        tomlGet(t, 'plugins', key.replace(/\./g, '_'));
      const id = typeof entry === 'string' ? entry.split(':')[0] : str(tomlGet(entry, 'id'));
      if (id === undefined) continue;
      const ref = str(tomlGet(entry, 'version', 'ref'));
      const version =
        typeof entry === 'string'
          ? entry.split(':')[1]
          : (str(tomlGet(entry, 'version')) ?? (ref !== undefined ? str(tomlGet(t, 'versions', ref)) : undefined));
      plugins.set(id, version);
    }
  }
  return { plugins, text };
}

/** The Java version a Gradle build asks for: a toolchain (exact), else source/target compatibility or a Kotlin jvmTarget. */
export function gradleJavaVersion(
  g: GradleBuild,
  file: string,
): { version: string; source: string; toolchain?: boolean } | undefined {
  const t = g.text;
  const tc =
    /languageVersion(?:\.set\()?\s*=?\s*\(?\s*JavaLanguageVersion\.of\(\s*["']?(\d{1,2})["']?\s*\)/.exec(t) ??
    /\bjvmToolchain\(\s*(\d{1,2})\s*\)/.exec(t);
  if (tc)
    return { version: tc[1], source: `${file}: toolchain ${tc[0].replace(/\s+/g, ' ').slice(0, 60)}`, toolchain: true };
  const compat =
    /\b(?:sourceCompatibility|targetCompatibility)\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?(\d{1,2})|["']?(?:1\.)?(\d{1,2})["']?)/.exec(
      t,
    ) ?? /\bjvmTarget(?:\.set\()?\s*=?\s*\(?\s*(?:JvmTarget\.JVM_(?:1_)?(\d{1,2})|["'](?:1\.)?(\d{1,2})["'])/.exec(t);
  if (compat) {
    const g: readonly (string | undefined)[] = compat;
    const v = g[1] ?? g[2] ?? '';
    return { version: v, source: `${file}: ${compat[0].replace(/\s+/g, ' ').slice(0, 60)}` };
  }
  return undefined;
}

export function gradleMainClass(g: GradleBuild): string | undefined {
  const m =
    /\bmainClass(?:\.set\()?\s*=?\s*\(?\s*["']([A-Za-z_$][\w$.]{0,200})["']/.exec(g.text) ??
    /\bmainClassName\s*=\s*["']([A-Za-z_$][\w$.]{0,200})["']/.exec(g.text);
  return m?.[1];
}

/** Subprojects of settings.gradle(.kts): include 'app', include(":api", ":core") */
export function gradleIncludes(settings: string): string[] {
  const out: string[] = [];
  for (const m of stripCode(settings).matchAll(/\binclude\s*\(?([^\n)]{1,400})\)?/g))
    for (const p of m[1].matchAll(/["']:?([\w.:-]{1,100})["']/g)) {
      const path = p[1].replace(/:/g, '/');
      if (!out.includes(path)) out.push(path);
    }
  return out;
}

export function gradleRootName(settings: string): string | undefined {
  return /\brootProject\.name\s*=\s*["']([^"']{1,100})["']/.exec(settings)?.[1];
}

/** Does a Gradle build depend on a module (`'org.springframework.boot:spring-boot-starter-actuator'`, a catalog alias)? */
export function gradleHasDep(g: GradleBuild, artifact: string, catalog?: string): boolean {
  if (new RegExp(`["'][\\w.-]+:${artifact.replace(/[.-]/g, '\\$&')}(?::[^"']*)?["']`).test(g.text)) return true;
  if (catalog === undefined) return false;
  // libs.spring.boot.starter.actuator -> a [libraries] entry whose module is …:artifact
  const t = parseToml(catalog).table;
  const libs = tomlGet(t, 'libraries');
  if (typeof libs !== 'object' || libs === null) return false;
  for (const [key, v] of Object.entries(libs as Record<string, unknown>)) {
    const module =
      typeof v === 'string'
        ? v.split(':').slice(0, 2).join(':')
        : (str(tomlGet(v, 'module')) ?? `${str(tomlGet(v, 'group')) ?? ''}:${str(tomlGet(v, 'name')) ?? ''}`);
    if (
      module.endsWith(`:${artifact}`) &&
      new RegExp(`\\blibs\\.${key.replace(/[-_]/g, '.').replace(/\./g, '\\.')}\\b`).test(g.text)
    )
      return true;
  }
  return false;
}
