# test/e2e/images/java.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell,
# users_debian, users_distroless, add_libs, import_img, exists, log, $WORK, $H, $P, $SSL): the
# stand-ins for the Java runtime (issue 13), for Java 17 only (the one JDK Debian bookworm has).
#
# What they really are:
# - maven:3.9-eclipse-temurin-17: Debian's OpenJDK 17 (openjdk-17-jdk-headless, copied to
#   /opt/java/openjdk like Temurin's) and Debian's Maven 3.8.7 at /usr/share/maven (`mvn` on PATH), with
#   a global settings.xml that mirrors every repository to file:///usr/share/maven-repo: the plugins
#   Debian packages (libmaven-{clean,resources,compiler,jar,install,deploy,dependency,site}-plugin-java,
#   libsurefire-java) and their dependencies, so `mvn dependency:go-offline` and `mvn package` work
#   without Maven Central for a project that pins those plugin versions and has no dependencies.
#   Not Temurin, not Maven 3.9, no Maven Central: a stand-in difference the generated files never see.
# - gcr.io/distroless/java17-debian12:nonroot: the files of openjdk-17-jre-headless (no javac, no JDK
#   tools) under /usr/lib/jvm with /usr/bin/java, glibc and the JRE's libraries from the host, the CA
#   bundle, users root/nobody/nonroot (65532); no shell.
# The packages are installed on the host by apt-get when missing. Idempotent: built only when missing.
images_java() {
  local d p f jdk=/usr/lib/jvm/java-17-openjdk-amd64
  local pkgs="openjdk-17-jdk-headless maven libmaven-clean-plugin-java libmaven-resources-plugin-java
    libmaven-compiler-plugin-java libsurefire-java libmaven-jar-plugin-java libmaven-install-plugin-java
    libmaven-deploy-plugin-java libmaven-dependency-plugin-java libmaven-site-plugin-java"
  local builder="$H/maven:3.9-eclipse-temurin-17" final="gcr.io/distroless/java17-debian12:nonroot"
  if exists "$builder" && exists "$final"; then return 0; fi
  local missing=""
  for p in $pkgs; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    log "apt-get install$missing (the Java stand-ins)"
    apt-cache show maven >/dev/null 2>&1 || apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  if ! exists "$builder"; then
    d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"
    mkdir -p "$d/opt/java" "$d/usr/share" "$d/root/.m2"
    # -h: Debian's JDK links its conf files into /etc/java-17-openjdk; dangling links (cacerts) are left out
    (cd "$jdk" && tar -chf - --ignore-failed-read . 2>/dev/null) | (mkdir -p "$d/opt/java/openjdk" && tar -C "$d/opt/java/openjdk" -xf -) || true
    add_libs "$d" "$jdk"/bin/* "$jdk"/lib/*.so "$jdk"/lib/server/libjvm.so
    (cd /usr/share && tar -chf - maven maven-repo 2>/dev/null) | tar -C "$d/usr/share" -xf - || true
    ln -sf /usr/share/maven/bin/mvn "$d/usr/bin/mvn"
    cat > "$d/usr/share/maven/conf/settings.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- maven stand-in (e2e): no Maven Central here; every repository is Debian's maven-repo on disk -->
<settings>
  <mirrors>
    <mirror>
      <id>debian-maven-repo</id>
      <mirrorOf>*</mirrorOf>
      <url>file:///usr/share/maven-repo</url>
    </mirror>
  </mirrors>
</settings>
EOF
    import_img "$d" "$builder" "ENV PATH=/opt/java/openjdk/bin:$P" "ENV JAVA_HOME=/opt/java/openjdk" \
      "ENV MAVEN_HOME=/usr/share/maven" "ENV MAVEN_CONFIG=/root/.m2" "ENV JAVA_VERSION=17" "CMD [\"mvn\"]"
  fi
  if ! exists "$final"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"
    # the JRE: openjdk-17-jre-headless's files, dereferenced (its conf files live in /etc/java-17-openjdk)
    dpkg -L openjdk-17-jre-headless | grep "^$jdk/" | while read -r f; do
      [ -d "$f" ] && continue
      [ -e "$f" ] || continue
      mkdir -p "$d$(dirname "$f")"; cp -L "$f" "$d$f"
    done
    ln -s "$jdk/bin/java" "$d/usr/bin/java"
    add_libs "$d" "$jdk"/bin/java "$jdk"/lib/*.so "$jdk"/lib/server/libjvm.so
    mkdir -p "$d/usr/share"; cp -a /usr/share/zoneinfo "$d/usr/share/" 2>/dev/null || true
    import_img "$d" "$final" "ENV PATH=$P" "ENV $SSL" "ENV JAVA_VERSION=17" "USER 65532" \
      "WORKDIR /home/nonroot" "ENTRYPOINT [\"/usr/bin/java\", \"-jar\"]"
  fi
}
images_java
