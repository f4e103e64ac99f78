# test/e2e/images/nginx.sh - sourced by test/e2e/setup.sh (its helpers: alpine_root, add_libs, import_img,
# exists, log, $WORK): the stand-in for nginxinc/nginx-unprivileged (static sites, issue 14).
#
# What it really is: Debian bookworm's nginx 1.22 (`apt-get download nginx nginx-common`, unpacked with
# dpkg-deb -x, nothing installed on the host) at /usr/sbin/nginx with its glibc libraries, in the
# alpine-like busybox root the other alpine stand-ins use (busybox wget: the generated HEALTHCHECK),
# with the upstream image's layout: user nginx 101:101 as USER, /etc/nginx/mime.types, logs linked to
# stdout/stderr, /var/cache/nginx, a docker-entrypoint.sh and /docker-entrypoint.d, /usr/share/nginx/html,
# STOPSIGNAL SIGQUIT, CMD nginx -g 'daemon off;'. Not the upstream nginx 1.30 (Debian has 1.22; every
# directive the generated nginx.conf uses exists in both). Idempotent: built only when missing.
images_nginx() {
  local ref d ngx=$WORK/nginx-debs
  for ref in ${E2E_NGINX_IMAGES-nginxinc/nginx-unprivileged:1.30-alpine3.24-slim}; do
    ref=docker.io/${ref#docker.io/}
    exists "$ref" && continue
    if [ ! -x "$ngx/x/usr/sbin/nginx" ]; then
      rm -rf "$ngx"; mkdir -p "$ngx/debs" "$ngx/x"
      apt-cache show nginx >/dev/null 2>&1 || apt-get update -qq >&2
      (cd "$ngx/debs" && apt-get -o APT::Sandbox::User=root -qq download nginx nginx-common >&2)
      for f in "$ngx"/debs/*.deb; do dpkg-deb -x "$f" "$ngx/x"; done
      rm -f "$ngx"/debs/*.deb
    fi
    d=$WORK/rootfs; alpine_root "$d"
    install -D -m 0755 "$ngx/x/usr/sbin/nginx" "$d/usr/sbin/nginx"; add_libs "$d" "$ngx/x/usr/sbin/nginx"
    mkdir -p "$d/etc/nginx/conf.d" "$d/var/log/nginx" "$d/var/cache/nginx" "$d/usr/share/nginx/html" "$d/docker-entrypoint.d"
    cp "$ngx/x/etc/nginx/mime.types" "$d/etc/nginx/mime.types"
    ln -sf /dev/stdout "$d/var/log/nginx/access.log"; ln -sf /dev/stderr "$d/var/log/nginx/error.log"
    echo "nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin" >> "$d/etc/passwd"; echo "nginx:x:101:nginx" >> "$d/etc/group"
    chown -R 101:0 "$d/var/cache/nginx" "$d/etc/nginx"
    printf 'pid /tmp/nginx.pid;\nevents {}\nhttp { include /etc/nginx/mime.types; include /etc/nginx/conf.d/*.conf; }\n' > "$d/etc/nginx/nginx.conf"
    printf 'server { listen 8080; root /usr/share/nginx/html; }\n' > "$d/etc/nginx/conf.d/default.conf"
    echo '<h1>nginx stand-in</h1>' > "$d/usr/share/nginx/html/index.html"
    printf '#!/bin/sh\n# docker-entrypoint.sh (e2e stand-in): the upstream one runs /docker-entrypoint.d/* first\nexec "$@"\n' > "$d/docker-entrypoint.sh"
    chmod 755 "$d/docker-entrypoint.sh"
    import_img "$d" "$ref" "ENV PATH=$P" "ENV NGINX_VERSION=1.22.1" "USER 101" "EXPOSE 8080" "STOPSIGNAL SIGQUIT" \
      "ENTRYPOINT [\"/docker-entrypoint.sh\"]" "CMD [\"nginx\", \"-g\", \"daemon off;\"]"
  done
}
images_nginx
