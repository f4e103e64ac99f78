# test/e2e/images/deno.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell, users_debian,
# users_distroless, alpine_root, add_libs, import_img, alias, exists, log, $WORK, $P, $SSL): stand-ins for
# denoland/deno (issue 14).
#
# What they really are: the official Linux x64 (glibc) Deno binary from the npm registry package
# @deno/linux-x64-glibc (the one the `deno` package installs), in the same roots as the other stand-ins:
# denoland/deno:<release> a Debian-like builder at /usr/bin/deno (bash, busybox, stub apt), distroless-<release>
# users root/nonroot and no shell at /bin/deno (upstream: distroless/cc), alpine-<release> the glibc busybox
# root at /bin/deno. DENO_DIR=/deno-dir/ as upstream. Every supported release tag is an alias of the one
# stand-in version (DENO_VER). Idempotent: built only when missing.
images_deno() {
  local v=${DENO_VER:-2.9.6} d dd t=docker.io/denoland/deno r
  dd=$WORK/deno-$v
  if ! exists "$t:$v" || ! exists "$t:distroless-$v" || ! exists "$t:alpine-$v"; then
    if [ ! -x "$dd/package/deno" ]; then
      rm -rf "$dd"; mkdir -p "$dd"
      (cd "$dd" && npm pack -q "@deno/linux-x64-glibc@$v" >/dev/null && tar -xzf deno-linux-x64-glibc-*.tgz && rm -f ./*.tgz)
    fi
  fi
  if ! exists "$t:$v"; then
    d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"
    echo "deno:x:1993:1993::/home/deno:/bin/sh" >> "$d/etc/passwd"; echo "deno:x:1993:" >> "$d/etc/group"
    install -D -m 0755 "$dd/package/deno" "$d/usr/bin/deno"; add_libs "$d" "$dd/package/deno"
    mkdir -p "$d/deno-dir"; chown 1993:1993 "$d/deno-dir"
    import_img "$d" "$t:$v" "ENV PATH=$P" "ENV DENO_DIR=/deno-dir/" "ENV DENO_INSTALL_ROOT=/usr/local" "ENV DENO_VERSION=$v" \
      "ENV DENO_CERT=/etc/ssl/certs/ca-certificates.crt" "ENV $SSL" "CMD [\"deno\", \"--version\"]"
  fi
  if ! exists "$t:distroless-$v"; then
    d=$WORK/rootfs; new_root "$d"; users_distroless "$d"
    install -D -m 0755 "$dd/package/deno" "$d/usr/bin/deno"; add_libs "$d" "$dd/package/deno"
    import_img "$d" "$t:distroless-$v" "ENV PATH=$P" "ENV DENO_DIR=/deno-dir/" "ENV DENO_VERSION=$v" "ENV $SSL" \
      "ENTRYPOINT [\"/bin/deno\"]"
  fi
  if ! exists "$t:alpine-$v"; then
    d=$WORK/rootfs; alpine_root "$d"
    install -D -m 0755 "$dd/package/deno" "$d/bin/deno"; add_libs "$d" "$dd/package/deno"
    import_img "$d" "$t:alpine-$v" "ENV PATH=$P" "ENV DENO_DIR=/deno-dir/" "ENV DENO_VERSION=$v" "ENV $SSL" \
      "CMD [\"deno\", \"--version\"]"
  fi
  # the generator's tags (lib/runtimes/deno/versions.ts: each minor's newest release with images)
  for r in 2.5.7 2.6.10 2.7.14 2.8.3 2.9.1; do
    alias "$t:$v" "$t:$r"; alias "$t:distroless-$v" "$t:distroless-$r"; alias "$t:alpine-$v" "$t:alpine-$r"
  done
}
images_deno
