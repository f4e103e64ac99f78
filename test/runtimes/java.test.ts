// Java (issue 13): Maven and Gradle detection (wrappers, modules, Spring Boot by version, Quarkus,
// plain and application jars), the Java release rules, port and health from the application's
// config, the Dockerfile per packaging (layers, fast-jar, one jar, a distribution), JVM flags, and
// the probe class compiled and run when this machine has a JDK.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { runInit } from '../../lib/cli/init.js';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';
import { auditGenerated } from '../../lib/policy/index.js';
import { profileFor } from '../../lib/runtimes/index.js';
import { javaProbeSource } from '../../lib/runtimes/java/probe.js';

const detect = (files: Record<string, string>) => detectFromFiles(memoryFiles(files));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gen(files: Record<string, string>, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-java-'));
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

const pom = (body: string, parent = ''): string =>
  `<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n${parent}  <groupId>g</groupId>\n  <artifactId>demo-app</artifactId>\n  <version>1.0</version>\n${body}</project>\n`;
const bootParent = (v: string): string =>
  `  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>${v}</version>\n  </parent>\n`;
const deps = (...a: string[]): string =>
  `  <dependencies>\n${a.map((x) => `    <dependency><groupId>org.springframework.boot</groupId><artifactId>${x}</artifactId></dependency>\n`).join('')}  </dependencies>\n`;
const BOOT = (v: string, extra = ''): Record<string, string> => ({
  'pom.xml': pom(
    `  <properties><java.version>17</java.version></properties>\n${deps('spring-boot-starter-web', 'spring-boot-starter-actuator')}${extra}`,
    bootParent(v),
  ),
});

describe('java detection: Maven', () => {
  it.each([
    ['3.5.4', 'spring-boot', ['java', '-jar', 'app.jar']],
    ['3.3.0', 'spring-boot', ['java', '-jar', 'app.jar']],
    ['3.2.5', 'spring-boot-legacy', ['java', 'org.springframework.boot.loader.launch.JarLauncher']],
    ['2.7.18', 'spring-boot-legacy', ['java', 'org.springframework.boot.loader.JarLauncher']],
    ['2.2.13.RELEASE', 'jar', ['java', '-jar', 'app.jar']],
  ])('Spring Boot %s: packaging %s', (v, packaging, start) => {
    const f = detect(BOOT(v));
    expect(f.framework?.value).toBe(`spring-boot ${v}`);
    expect(f.settings?.value['maven.packaging']).toBe(packaging);
    expect(f.start?.value).toEqual(start);
    expect(f.healthPath?.value).toBe('/actuator/health');
    expect(f.port).toEqual({ value: 8080, source: expect.stringMatching(/Spring Boot's default port/) as unknown });
  });

  it('application.yml: server.port with a default, context path and Actuator base path in the health URL; a separate management port is a note', () => {
    const yml =
      'server:\n  port: ${PORT:8181}\n  servlet:\n    context-path: /shop\nmanagement:\n  endpoints:\n    web:\n      base-path: /manage\n';
    const f = detect({ ...BOOT('3.4.1'), 'src/main/resources/application.yml': yml });
    expect(f.port).toEqual({ value: 8181, source: 'src/main/resources/application.yml:2: port: ${PORT:8181}' });
    expect(f.healthPath?.value).toBe('/shop/manage/health');
    const mgmt = detect({
      ...BOOT('3.4.1'),
      'src/main/resources/application.properties': 'management.server.port=9001\n',
    });
    expect(mgmt.healthPath).toBeUndefined();
    expect(mgmt.notes?.join('\n')).toMatch(/Actuator listens on its own port/);
    const sec = detect({
      'pom.xml': pom(
        deps('spring-boot-starter-web', 'spring-boot-starter-actuator', 'spring-boot-starter-security'),
        bootParent('3.4.1'),
      ),
    });
    expect(sec.notes?.join('\n')).toMatch(/spring-boot-starter-security is on the classpath: .*permitAll/);
  });

  it('Java versions: the same release when supported; a minimum below 17 becomes 17 (distroless); Boot 3 needs 17; a toolchain is exact', () => {
    const same = detect({
      'pom.xml': pom('  <properties><maven.compiler.release>21</maven.compiler.release></properties>\n'),
    });
    expect(same.runtimeVersion?.value).toBe('21');
    const old = detect({
      'pom.xml': pom(
        '  <properties><maven.compiler.source>1.8</maven.compiler.source><maven.compiler.target>1.8</maven.compiler.target></properties>\n',
      ),
    });
    expect(old.runtimeVersion?.value).toBe('17');
    expect(old.runtimeVersion?.source).toMatch(
      /maven\.compiler\.target.*a minimum: Java 17, the oldest supported release at or above it with a distroless image/,
    );
    const prop = detect({
      'pom.xml': pom(
        '  <properties><jdk>21</jdk><maven.compiler.release>${jdk}</maven.compiler.release></properties>\n',
      ),
    });
    expect(prop.runtimeVersion?.value).toBe('21');
    const tc = detect({
      'pom.xml': pom(
        '  <build><plugins><plugin><artifactId>maven-toolchains-plugin</artifactId><configuration><toolchains><jdk><version>11</version></jdk></toolchains></configuration></plugin></plugins></build>\n',
      ),
    });
    expect(tc.runtimeVersion?.value).toBe('11');
    expect(tc.runtimeVersion?.source).toMatch(/a toolchain: exactly this JDK/);
  });

  it('Quarkus: fast-jar, SmallRye Health under root-path, quarkus.http.port; uber-jar is one jar', () => {
    const q = {
      'pom.xml': pom(
        '  <packaging>quarkus</packaging>\n  <dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency></dependencies>\n',
      ),
      'src/main/resources/application.properties': 'quarkus.http.port=8090\nquarkus.http.root-path=/api\n',
    };
    const f = detect(q);
    expect(f.settings?.value['maven.packaging']).toBe('quarkus');
    expect(f.settings?.value['maven.out']).toBe('target/quarkus-app');
    expect(f.port?.value).toBe(8090);
    expect(f.healthPath?.value).toBe('/api/q/health/live');
    const uber = detect({ ...q, 'src/main/resources/application.properties': 'quarkus.package.jar.type=uber-jar\n' });
    expect(uber.settings?.value['maven.packaging']).toBe('jar');
    expect(uber.settings?.value['maven.jar']).toBe('*-runner.jar');
  });

  it('a plain jar: the main class from the jar plugin; run-time dependencies without shading are a note; no main class is a guess', () => {
    const withMain = pom(
      '  <dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>33.0.0-jre</version></dependency></dependencies>\n  <build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>com.acme.Main</mainClass></manifest></archive></configuration></plugin></plugins></build>\n',
    );
    const f = detect({ 'pom.xml': withMain });
    expect(f.start).toEqual({
      value: ['java', '-jar', 'app.jar'],
      source: 'pom.xml: the jar with Main-Class com.acme.Main',
    });
    expect(f.notes?.join('\n')).toMatch(/1 run-time dependency and no maven-shade or assembly plugin/);
    const none = detect({ 'pom.xml': pom('') });
    expect(none.start?.guess).toMatch(/no Spring Boot, Quarkus or main class/);
  });

  it('a multi-module build: the Spring Boot module, built with -pl … -am; every module pom is copied first', () => {
    const f = detect({
      'pom.xml': pom('  <packaging>pom</packaging>\n  <modules><module>core</module><module>web</module></modules>\n'),
      'core/pom.xml': pom(''),
      'web/pom.xml': pom(
        `  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><version>3.4.0</version></plugin></plugins></build>\n`,
      ),
      mvnw: '#!/bin/sh\n',
    });
    expect(f.build?.value).toEqual(['./mvnw', '-B', '-ntp', '-DskipTests', '-pl', 'web', '-am', 'package']);
    expect(f.settings?.value['maven.files']).toEqual(['pom.xml', 'core/pom.xml', 'web/pom.xml', 'mvnw', '.mvn/']);
    expect(f.settings?.value['maven.out']).toBe('web/target');
    expect(f.notes?.join('\n')).toMatch(/web\/src\/main\/resources is deeper than detection reads/);
  });

  it('a relative SQLite or H2 file database: /app/data proposed, with a note', () => {
    const f = detect({
      ...BOOT('3.4.1'),
      'src/main/resources/application.properties': 'spring.datasource.url=jdbc:h2:file:./db/app\n',
    });
    expect(f.dataDirs?.value).toEqual(['/app/data']);
    expect(f.notes?.join('\n')).toMatch(/read-only root filesystem: \/app\/data is proposed/);
  });
});

describe('java detection: Gradle', () => {
  it('Kotlin DSL with a version catalog: the Boot plugin version through alias(libs.plugins…), jvmToolchain is exact', () => {
    const f = detect({
      'settings.gradle.kts': 'rootProject.name = "orders"\n',
      'build.gradle.kts':
        'plugins {\n    alias(libs.plugins.spring.boot)\n    kotlin("jvm") version "2.1.0"\n}\nkotlin { jvmToolchain(21) }\ndependencies { implementation(libs.spring.boot.starter.actuator) }\n',
      'gradle/libs.versions.toml':
        '[versions]\nboot = "3.4.2"\n[plugins]\nspring-boot = { id = "org.springframework.boot", version.ref = "boot" }\n[libraries]\nspring-boot-starter-actuator = { module = "org.springframework.boot:spring-boot-starter-actuator" }\n',
      gradlew: '#!/bin/sh\n',
      'gradle/wrapper/gradle-wrapper.properties':
        'distributionUrl=https\\://services.gradle.org/distributions/gradle-8.12-bin.zip\n',
    });
    expect(f.packageManager?.value).toBe('gradle');
    expect(f.name?.value).toBe('orders');
    expect(f.framework?.value).toBe('spring-boot 3.4.2');
    expect(f.runtimeVersion).toEqual({
      value: '21',
      source: 'build.gradle.kts: toolchain jvmToolchain(21) (a toolchain: exactly this JDK)',
    });
    expect(f.build?.value).toEqual(['./gradlew', '--no-daemon', 'bootJar']);
    expect(f.healthPath?.value).toBe('/actuator/health');
    expect(f.settings?.value['gradle.files']).toEqual([
      'settings.gradle.kts',
      'build.gradle.kts',
      'gradlew',
      'gradle/',
    ]);
  });

  it('an old wrapper caps the release: Gradle 6.8 runs on Java 11 at most', () => {
    const f = detect({
      'build.gradle':
        "plugins { id 'java'; id 'application' }\nsourceCompatibility = '1.8'\napplication { mainClassName = 'a.Main' }\n",
      gradlew: '',
      'gradle/wrapper/gradle-wrapper.properties':
        'distributionUrl=https\\://services.gradle.org/distributions/gradle-6.8.3-all.zip\n',
    });
    expect(f.runtimeVersion?.value).toBe('11');
    expect(f.runtimeVersion?.source).toMatch(/Gradle 6\.8\.3 runs on Java 11 at most/);
    expect(f.start?.value).toEqual(['java', '-cp', 'lib/*', 'a.Main']);
    expect(f.build?.value).toEqual(['./gradlew', '--no-daemon', 'installDist']);
  });

  it('pom.xml and build.gradle: Maven, and the Gradle alternative named', () => {
    const f = detect({
      ...BOOT('3.4.1'),
      'build.gradle': "plugins { id 'org.springframework.boot' version '3.4.1' }\n",
    });
    expect(f.packageManager?.value).toBe('maven');
    expect(f.packageManager?.source).toMatch(/also found: .*pass --package-manager gradle/);
  });
});

describe('java profile', () => {
  const p = profileFor('java');
  it('JVM flags for a container unless the start sets its own; start validation; versions', () => {
    expect(p.entrypoint(['java', '-jar', 'app.jar'], 'distroless', {} as never)).toEqual([
      '/usr/bin/java',
      '-XX:MaxRAMPercentage=75',
      '-XX:+ExitOnOutOfMemoryError',
      '-jar',
      'app.jar',
    ]);
    expect(p.entrypoint(['java', '-Xmx512m', '-jar', 'app.jar'], 'alpine', {} as never)).toEqual([
      '/opt/java/openjdk/bin/java',
      '-XX:+ExitOnOutOfMemoryError',
      '-Xmx512m',
      '-jar',
      'app.jar',
    ]);
    expect(p.checkStart(['./mvnw', 'spring-boot:run'], { name: 'x' })).toMatch(/must start the app with java directly/);
    expect(p.checkStart(['java', 'spring-boot:run'], { name: 'x' })).toMatch(/not a development goal/);
    expect(p.checkStart(['java'], { name: 'x' })).toMatch(/must name a jar/);
    expect(p.normalizeVersion('17.0.12')).toBe('17');
    expect(p.normalizeVersion('1.8')).toBe('8');
    expect(p.healthcheck('distroless', 8080, '/')).toContain('--any-status');
  });
});

describe('java generation', () => {
  it('Spring Boot 3.5 with the wrapper: build files first, go-offline into ~/.m2, layers extracted and copied one by one, JRE final, self-check clean', async () => {
    const r = await gen({
      ...BOOT('3.5.4'),
      mvnw: '#!/bin/sh\n',
      '.mvn/wrapper/maven-wrapper.properties': 'distributionUrl=x\n',
    });
    expect(r.err).toBe('');
    const df = r.read('Dockerfile');
    const ins = DockerfileParser.parse(df).getInstructions();
    const froms = ins.filter((i) => i.getKeyword() === 'FROM').map((i) => i.getArgumentsContent());
    expect(froms).toEqual([
      'maven:3.9-eclipse-temurin-17 AS build',
      'gcr.io/distroless/java17-debian12:nonroot AS runtime',
    ]);
    expect(df).toMatch(/^COPY --chmod=0755 mvnw \.\/$/m);
    expect(df).toMatch(/^COPY \.mvn\/ \.mvn\/$/m);
    expect(df).toMatch(/--mount=type=cache,target=\/root\/\.m2 \\\n {4}\.\/mvnw -B -ntp dependency:go-offline$/m);
    expect(df.indexOf('dependency:go-offline')).toBeLessThan(df.indexOf('COPY . .'));
    expect([...df.matchAll(/^COPY --from=build \/out\/layers\/(\S+)\/ \.\/$/gm)].map((m) => m[1])).toEqual([
      'dependencies',
      'spring-boot-loader',
      'snapshot-dependencies',
      'application',
    ]);
    expect(df).toMatch(/^ENV SERVER_PORT=8080$/m);
    expect(df).toMatch(/^USER 65532:65532$/m);
    expect(df).toMatch(
      /^ENTRYPOINT \["\/usr\/bin\/java", "-XX:MaxRAMPercentage=75", "-XX:\+ExitOnOutOfMemoryError", "-jar", "app\.jar"\]$/m,
    );
    // no JDK, Maven or cache in the final stage: only copies from /out
    const final = df.slice(df.indexOf('AS runtime'));
    expect(final).not.toMatch(/^RUN /m);
    expect(final).not.toMatch(/\/root\/\.m2|mvn/);
    const files = ['Dockerfile', 'compose.yaml'].map((path) => ({ path, contents: r.read(path) }));
    expect(auditGenerated(files).filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.read('deploy/healthcheck/HealthCheck.java')).toMatch(/public final class HealthCheck/);
  });

  it('alpine: Temurin JRE, package manager removed, uid 10001; a Gradle wrapper build on the Temurin JDK with GRADLE_USER_HOME', async () => {
    const r = await gen(
      {
        'build.gradle':
          "plugins { id 'java'; id 'application' }\napplication { mainClass = 'a.Main' }\njava { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n",
        gradlew: '',
      },
      ['--flavor', 'alpine'],
    );
    expect(r.err).toBe('');
    const df = r.read('Dockerfile');
    expect(df).toMatch(/^FROM eclipse-temurin:21-jdk-noble AS build$/m);
    expect(df).toMatch(/^ENV GRADLE_USER_HOME=\/root\/\.gradle$/m);
    expect(df).toMatch(/^FROM eclipse-temurin:21-jre-alpine AS runtime$/m);
    expect(df).toMatch(/^RUN rm -rf \/sbin\/apk /m);
    expect(df).toMatch(/^USER 10001:10001$/m);
    expect(df).toMatch(/^COPY --from=build \/out\/lib\/ \.\/lib\/$/m);
  });

  it('--package-manager gradle on a project with both: the Gradle build; a Maven --build with gradle is refused', async () => {
    const both = {
      ...BOOT('3.4.1'),
      'build.gradle': "plugins { id 'org.springframework.boot' version '3.4.1' }\n",
      gradlew: '',
    };
    const g = await gen(both, ['--package-manager', 'gradle']);
    expect(g.err).toBe('');
    expect(g.read('Dockerfile')).toMatch(/^ {4}\.\/gradlew --no-daemon bootJar \\$/m);
    const bad = await gen(both, ['--package-manager', 'gradle', '--build', 'mvn package']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--build: "mvn package" runs Maven but --package-manager is gradle/);
  });

  it('--secrets-helper writes a Java class', async () => {
    const r = await gen(BOOT('3.4.1'), ['--secret', 'api_key', '--secrets-helper']);
    expect(r.read('src/main/java/container/Secrets.java')).toMatch(/public static String read\(String name\)/);
  });
});

const javac = spawnSync('javac', ['-version'], { encoding: 'utf8' });
const haveJdk = javac.status === 0;

(haveJdk ? describe : describe.skip)(
  `the Java probe, compiled with ${haveJdk ? javac.stdout.trim() || javac.stderr.trim() : 'javac (not installed here: skipped)'}`,
  () => {
    it('healthy on 2xx, unhealthy on 5xx and when nothing listens; --any-status accepts any answer; redirects are not followed', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sc-java-probe-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'HealthCheck.java'), javaProbeSource('test'));
      const c = spawnSync('javac', ['--release', '11', '-d', join(dir, 'out'), join(dir, 'HealthCheck.java')], {
        encoding: 'utf8',
      });
      expect(c.status).toBe(0);
      const server = createServer((q, s) => {
        if (q.url === '/moved') {
          s.statusCode = 302;
          s.setHeader('Location', '/broken');
        } else s.statusCode = q.url === '/healthz' ? 200 : 503;
        s.end('x');
      });
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
      const port = (server.address() as AddressInfo).port;
      const run = (args: string[]): Promise<number | null> =>
        new Promise((res) => {
          const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-cp', join(dir, 'out'), 'HealthCheck', ...args]);
          child.on('exit', (code) => {
            res(code);
          });
        });
      try {
        expect(await run([`http://127.0.0.1:${port}/healthz`])).toBe(0);
        expect(await run([`http://127.0.0.1:${port}/broken`])).toBe(1);
        expect(await run([`http://127.0.0.1:${port}/moved`])).toBe(0);
        expect(await run(['--any-status', `http://127.0.0.1:${port}/broken`])).toBe(0);
        expect(await run(['http://127.0.0.1:1/'])).toBe(1);
        expect(await run([])).toBe(2);
      } finally {
        server.close();
      }
    }, 120_000);
  },
);
