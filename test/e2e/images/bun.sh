# test/e2e/images/bun.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell, users_debian,
# users_distroless, alpine_root, add_libs, import_img, exists, log, $WORK, $H, $P, $SSL): stand-ins for
# oven/bun (Bun as a runtime, issue 14).
#
# What they really are: the official Linux x64 (glibc) Bun binary from the npm registry package
# @oven/bun-linux-x64 (the one the `bun` package installs), at /usr/local/bin/bun with bunx linked to it,
# in the same roots as the other stand-ins: oven/bun:<minor> a Debian-like builder (bash, busybox, stub
# apt), oven/bun:<minor>-distroless users root/nonroot and no shell (upstream: distroless/base), and
# oven/bun:<minor>-alpine the glibc busybox root (upstream: musl). Every supported minor is an alias
# of one stand-in version (BUN_VER). Idempotent: built only when missing.
images_bun() {
  local v=${BUN_VER:-1.4.5} m d bd t
  bd=$WORK/bun-$v
  m=${v%.*}
  if ! exists "docker.io/oven/bun:$m" || ! exists "docker.io/oven/bun:$m-distroless" || ! exists "docker.io/oven/bun:$m-alpine"; then
    if [ ! -x "$bd/package/bin/bun" ]; then
      rm -rf "$bd"; mkdir -p "$bd"
      (cd "$bd" && npm pack -q "@oven/bun-linux-x64@$v" >/dev/null && tar -xzf oven-bun-linux-x64-*.tgz && rm -f ./*.tgz)
    fi
  fi
  t=docker.io/oven/bun
  if ! exists "$t:$m"; then
    d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d" bun
    install -D -m 0755 "$bd/package/bin/bun" "$d/usr/local/bin/bun"; add_libs "$d" "$bd/package/bin/bun"; ln -s bun "$d/usr/local/bin/bunx"
    import_img "$d" "$t:$m $t:$v" "ENV PATH=$P" "ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0" "ENV BUN_INSTALL_BIN=/usr/local/bin" \
      "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" "ENV $SSL" "WORKDIR /home/bun/app" "CMD [\"/usr/local/bin/bun\"]"
  fi
  if ! exists "$t:$m-distroless"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"
    install -D -m 0755 "$bd/package/bin/bun" "$d/usr/local/bin/bun"; add_libs "$d" "$bd/package/bin/bun"; ln -s bun "$d/usr/local/bin/bunx"
    import_img "$d" "$t:$m-distroless $t:$v-distroless" "ENV PATH=$P" "ENV $SSL" "ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0" \
      "ENTRYPOINT [\"/usr/local/bin/bun\"]"
  fi
  if ! exists "$t:$m-alpine"; then
    d=$WORK/rootfs; alpine_root "$d" bun
    install -D -m 0755 "$bd/package/bin/bun" "$d/usr/local/bin/bun"; add_libs "$d" "$bd/package/bin/bun"; ln -s bun "$d/usr/local/bin/bunx"
    import_img "$d" "$t:$m-alpine $t:$v-alpine" "ENV PATH=$P" "ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0" \
      "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" "ENV $SSL" "WORKDIR /home/bun/app" "CMD [\"/usr/local/bin/bun\"]"
  fi
  for m in 1.2 1.3; do
    alias "$t:${v%.*}" "$t:$m"; alias "$t:${v%.*}-distroless" "$t:$m-distroless"; alias "$t:${v%.*}-alpine" "$t:$m-alpine"
  done
}
images_bun
