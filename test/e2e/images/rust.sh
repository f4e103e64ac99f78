# test/e2e/images/rust.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell,
# users_debian, users_distroless, add_libs, import_img, exists, alias, log, $WORK, $H, $P, $SSL): the
# stand-ins for the Rust runtime (issue 13).
#
# What they really are:
# - rust:<release>-bookworm, for every release lib/runtimes/rust/versions.ts lists (one image, many
#   tags): Debian bookworm's rustc 1.63 and cargo 0.66 (packages rustc, cargo, with gcc/binutils/
#   libc6-dev for linking, installed on the host by apt-get when missing and copied with their
#   libraries), at /usr/bin like Debian's and on PATH through /usr/local/cargo/bin, CARGO_HOME
#   /usr/local/cargo like the official image; bash + busybox. Not rustup, not the release of the tag:
#   it builds crates that need at most Rust 1.63, with no crates.io (dependency-free apps only).
# - gcr.io/distroless/cc-debian12:nonroot: glibc, libgcc_s and libstdc++ from the host, the CA bundle,
#   tzdata, users root/nobody/nonroot (65532); no shell.
# Idempotent: built only when missing (about 25 s the first time; the host packages ~60 MB download).
images_rust() {
  local d p f v pkgs="rustc cargo libstd-rust-dev gcc binutils libc6-dev"
  local rust_ref="$H/rust:1.63-bookworm"
  if ! exists "$rust_ref"; then
    local missing=""
    for p in $pkgs; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"; done
    if [ -n "$missing" ]; then
      log "apt-get install$missing (the Rust stand-in)"
      apt-cache show rustc >/dev/null 2>&1 || apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
    d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"
    # every file of the toolchain's packages (no docs), then the shared libraries their programs load
    # (linking only: no C compiler proper, sanitizers or kernel headers; a crate that compiles C needs more)
    for p in $pkgs libc6 libstd-rust-1.63 gcc-12 libgcc-12-dev binutils-x86-64-linux-gnu binutils-common libbinutils \
        libctf0 libctf-nobfd0 libgprofng0 libatomic1 libisl23 libmpc3 libmpfr6; do
      dpkg -L "$p" 2>/dev/null | grep -vE '^/usr/share/(doc|man|info|lintian|locale|bug|i18n)/|^/usr/include/|/gconv/' | while read -r f; do
        [ -d "$f" ] && [ ! -L "$f" ] && continue
        [ -e "$f" ] || [ -L "$f" ] || continue
        [ -e "$d$f" ] || [ -L "$d$f" ] || (cd / && cp -a --parents "$f" "$d")
      done
    done
    ln -sf gcc "$d/usr/bin/cc"
    add_libs "$d" /usr/bin/rustc /usr/bin/cargo /usr/bin/x86_64-linux-gnu-ld.bfd /usr/bin/x86_64-linux-gnu-gcc-12 \
      /usr/lib/gcc/x86_64-linux-gnu/12/collect2 /usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so \
      /usr/lib/x86_64-linux-gnu/librustc_driver-*.so
    mkdir -p "$d/usr/local/cargo/bin" "$d/usr/local/cargo/registry" "$d/usr/local/cargo/git"
    for f in cargo rustc rustdoc; do [ -e "/usr/bin/$f" ] && ln -s "/usr/bin/$f" "$d/usr/local/cargo/bin/$f"; done
    v=$(rustc --version | awk '{print $2}')
    import_img "$d" "$rust_ref" "ENV PATH=/usr/local/cargo/bin:$P" "ENV CARGO_HOME=/usr/local/cargo" \
      "ENV RUSTUP_HOME=/usr/local/rustup" "ENV RUST_VERSION=$v" "WORKDIR /"
  fi
  # rust-version is a minimum, so the generator proposes the newest listed release: every listed tag
  # answers with the one stand-in (read from the profile's own list, so the two cannot drift apart)
  for v in $(grep -oE "'1\.[0-9]+'" "$HERE/../../lib/runtimes/rust/versions.ts" | tr -d "'"); do
    alias "$rust_ref" "$H/rust:$v-bookworm"
  done
  if ! exists "gcr.io/distroless/cc-debian12:nonroot"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"; add_libs "$d" /usr/bin/true
    for f in /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libstdc++.so.6; do
      [ -e "$d$f" ] || (cd / && cp -L --parents "$f" "$d")
    done
    mkdir -p "$d/usr/share"; cp -a /usr/share/zoneinfo "$d/usr/share/" 2>/dev/null || true
    import_img "$d" "gcr.io/distroless/cc-debian12:nonroot gcr.io/distroless/cc:nonroot" "ENV PATH=$P" "ENV $SSL" \
      "USER 65532" "WORKDIR /home/nonroot"
  fi
}
images_rust
