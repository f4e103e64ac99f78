# test/e2e/images/php.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell, users_debian,
# alpine_root, svc_libs, import_img, alias, exists, log, $WORK, $H, $P): the stand-ins for `--php-server fpm`
# (PHP, issue 14): php:<minor>-fpm-bookworm, composer:2 and mlocati/php-extension-installer:2.
#
# What they really are: Debian bookworm's PHP 8.2 (php8.2-cli, php8.2-fpm and the extension packages of
# the official image's built-in set: common, mbstring, xml, curl, sqlite3, readline, opcache; `apt-get
# download`, unpacked with dpkg-deb -x, nothing installed on the host) laid out like the official image:
#   /usr/local/bin/php, /usr/local/sbin/php-fpm, PHP_INI_DIR=/usr/local/etc/php with php.ini-production and
#   a scanned conf.d/ (Debian's compiled-in /etc/php/8.2/{cli,fpm}/{php.ini,conf.d} are links to them),
#   /usr/local/etc/php-fpm.conf including php-fpm.d/*.conf (docker.conf, www.conf, zz-docker.conf as in the
#   official image: logs to stderr, clear_env = no, listen 9000, daemonize no), docker-php-entrypoint,
#   the PHP build tools the generated Dockerfile removes (docker-php-ext-*, pecl, pear, phpize, php-config:
#   stubs; docker-php-ext-enable/-install enable an extension only when its .so is there), apt/dpkg stubs.
# The official image has no install-php-extensions: it comes from mlocati/php-extension-installer (FROM
# scratch, /usr/bin/install-php-extensions), whose stand-in is the same offline stub: an extension
# succeeds when PHP already has it or Debian shipped its .so (then it is enabled in conf.d), else fails.
# composer:2 carries /usr/bin/composer as ONE file, like the real image: a phar built here (Phar class,
# phar.readonly=0) from Debian's composer 2.5 and the PHP libraries it uses (/usr/share/php/...).
# Every supported minor (8.3, 8.4, 8.5) is an alias: the PHP inside is 8.2. Idempotent: built only when
# missing.
PHP_API=20220829
php_debs() { # php_debs -> prints the dir with PHP 8.2, composer and its libraries unpacked
  local a=$WORK/php-debs p pkgs
  if [ ! -x "$a/x/usr/sbin/php-fpm8.2" ] || [ ! -f "$a/x/usr/bin/composer" ]; then
    rm -rf "$a"; mkdir -p "$a/debs" "$a/x"
    apt-cache show php8.2-fpm >/dev/null 2>&1 || apt-get update -qq >&2
    pkgs="php8.2-cli php8.2-fpm php8.2-common php8.2-opcache php8.2-readline php8.2-mbstring php8.2-xml php8.2-curl
      php8.2-sqlite3 composer jsonlint"
    # composer's PHP libraries (php-symfony-console, php-composer-semver …; not the php-* virtual packages)
    for p in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances composer 2>/dev/null | grep -E '^php-' | sort -u); do
      case $p in php-cli|php-common|php-mbstring|php-intl) ;; *) pkgs="$pkgs $p" ;; esac
    done
    # shared libraries this host lacks (ldd decides what is copied: svc_libs)
    for p in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances php8.2-cli php8.2-fpm php8.2-mbstring php8.2-xml php8.2-curl php8.2-sqlite3 2>/dev/null |
        grep -E '^lib[a-z0-9.+-]+$' | sort -u); do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || pkgs="$pkgs $p"
    done
    # shellcheck disable=SC2086
    (cd "$a/debs" && { apt-get -o APT::Sandbox::User=root -qq download $pkgs >&2 ||
      for p in $pkgs; do apt-get -o APT::Sandbox::User=root -qq download "$p" >&2 || log "apt-get download $p failed"; done; })
    for f in "$a"/debs/*.deb; do dpkg-deb -x "$f" "$a/x"; done
    rm -f "$a"/debs/*.deb
  fi
  echo "$a/x"
}
php_composer_phar() { # php_composer_phar X -> prints the path of a self-contained composer phar
  local x=$1 a=$WORK/php-debs src
  if [ ! -s "$a/composer.phar" ]; then
    src=$a/phar-src; rm -rf "$src"; mkdir -p "$src/bin"
    # -L: composer's CA bundle is a link to the host's (the real phar carries its own cacert.pem too)
    (cd "$x/usr/share/php" && cp -rL Composer JsonSchema Psr React Seld Symfony data "$src/")
    # the Debian script without its shebang line, its autoloader path relative to the phar root
    sed -e '1{/^#!/d}' -e "s!__DIR__ \. '/\.\./share/php/Composer/autoload\.php'!__DIR__ . '/../Composer/autoload.php'!" \
      "$x/usr/bin/composer" > "$src/bin/composer"
    grep -q "'/../Composer/autoload.php'" "$src/bin/composer" || { log "composer: autoloader path not found"; return 1; }
    "$x/usr/bin/php8.2" -n -d "extension_dir=$x/usr/lib/php/$PHP_API" -d extension=phar -d phar.readonly=0 -r '
      $p = new Phar($argv[1] . ".tmp.phar", 0, "composer.phar");
      $p->buildFromDirectory($argv[2]);
      $p->setStub("#!/usr/bin/env php\n<?php\nPhar::mapPhar(\"composer.phar\");\nrequire \"phar://composer.phar/bin/composer\";\n__HALT_COMPILER(); ?>\n");
      unset($p);
      rename($argv[1] . ".tmp.phar", $argv[1]);' -- "$a/composer.phar" "$src" || { log "building composer.phar failed"; return 1; }
    chmod 755 "$a/composer.phar"; rm -rf "$src"
  fi
  echo "$a/composer.phar"
}
php_ext_stub() { # php_ext_stub NAME : the offline extension installer (install-php-extensions, docker-php-ext-*)
  cat <<EOS
#!/bin/sh
# $1 (e2e stand-in): nothing is compiled or downloaded offline. An extension succeeds when PHP already
# has it, or when its shared object is in the extension dir (then conf.d/docker-php-ext-NAME.ini enables it).
set -e
ini=\${PHP_INI_DIR:-/usr/local/etc/php}/conf.d
dir=\$(php -r 'echo ini_get("extension_dir");')
for e in "\$@"; do
  case \$e in -*|@*) continue ;; esac
  if php -r 'exit(extension_loaded(\$argv[1]) ? 0 : 1);' -- "\$e"; then continue; fi
  if [ -f "\$dir/\$e.so" ]; then
    case \$e in opcache|xdebug) k=zend_extension ;; *) k=extension ;; esac
    echo "\$k=\$e" > "\$ini/docker-php-ext-\$e.ini"; continue
  fi
  echo "$1 (e2e stand-in): cannot install PHP extension \$e offline (no \$dir/\$e.so)" >&2; exit 1
done
EOS
}
images_php() {
  local x d t=$H/php:8.2-fpm-bookworm e i m c v
  if ! exists "$t"; then
    x=$(php_debs); d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"
    echo "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin" >> "$d/etc/passwd"; echo "www-data:x:33:" >> "$d/etc/group"
    install -D -m 0755 "$x/usr/bin/php8.2" "$d/usr/bin/php8.2"; install -D -m 0755 "$x/usr/sbin/php-fpm8.2" "$d/usr/sbin/php-fpm8.2"
    mkdir -p "$d/usr/lib/php" "$d/usr/local/sbin"; cp -a "$x/usr/lib/php/$PHP_API" "$d/usr/lib/php/"
    svc_libs "$d" "$x" "$x/usr/bin/php8.2" "$x/usr/sbin/php-fpm8.2" "$x/usr/lib/php/$PHP_API"/*.so
    # Debian's PHP reads the system time zone database (the official image has PHP's own built in)
    mkdir -p "$d/usr/share"; cp -a /usr/share/zoneinfo "$d/usr/share/"
    ln -s /usr/bin/php8.2 "$d/usr/local/bin/php"; ln -s /usr/sbin/php-fpm8.2 "$d/usr/local/sbin/php-fpm"
    # PHP_INI_DIR as in the official image; Debian's compiled-in paths lead there
    i=$d/usr/local/etc/php; mkdir -p "$i/conf.d" "$d/etc/php/8.2/cli" "$d/etc/php/8.2/fpm"
    cp "$x/usr/lib/php/8.2/php.ini-production" "$x/usr/lib/php/8.2/php.ini-development" "$i/"
    for m in cli fpm; do
      ln -s /usr/local/etc/php/php.ini "$d/etc/php/8.2/$m/php.ini"; ln -s /usr/local/etc/php/conf.d "$d/etc/php/8.2/$m/conf.d"
    done
    ln -s /usr/local/etc/php-fpm.conf "$d/etc/php/8.2/fpm/php-fpm.conf"
    # the official image's built-in extensions (compiled in there, shared objects from Debian here)
    for e in ctype curl dom fileinfo ftp iconv mbstring pdo pdo_sqlite phar posix readline simplexml sqlite3 \
        tokenizer xml xmlreader xmlwriter; do
      echo "extension=$e" > "$i/conf.d/docker-php-ext-$e.ini"
    done
    # php-fpm: the official image's configuration (php-fpm.conf + php-fpm.d/{docker,www,zz-docker}.conf)
    mkdir -p "$d/usr/local/etc/php-fpm.d"
    printf '[global]\ninclude=/usr/local/etc/php-fpm.d/*.conf\n' > "$d/usr/local/etc/php-fpm.conf"
    printf '[global]\nerror_log = /proc/self/fd/2\nlog_limit = 8192\n\n[www]\naccess.log = /proc/self/fd/2\nclear_env = no\ncatch_workers_output = yes\ndecorate_workers_output = no\n' \
      > "$d/usr/local/etc/php-fpm.d/docker.conf"
    printf '[www]\nuser = www-data\ngroup = www-data\nlisten = 127.0.0.1:9000\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n' \
      > "$d/usr/local/etc/php-fpm.d/www.conf"
    printf '[global]\ndaemonize = no\n\n[www]\nlisten = 9000\n' > "$d/usr/local/etc/php-fpm.d/zz-docker.conf"
    # the PHP build tools the generated Dockerfile removes
    for c in docker-php-ext-enable docker-php-ext-install; do php_ext_stub "$c" > "$d/usr/local/bin/$c"; chmod 755 "$d/usr/local/bin/$c"; done
    for c in docker-php-ext-configure docker-php-source pecl pear peardev phpize php-config; do
      printf '#!/bin/sh\necho "%s (e2e stand-in): no PHP sources or PECL offline" >&2\nexit 1\n' "$c" > "$d/usr/local/bin/$c"
      chmod 755 "$d/usr/local/bin/$c"
    done
    mkdir -p "$d/usr/src"; : > "$d/usr/src/php.tar.xz"
    printf '#!/bin/sh\nset -e\n# first arg is `-f` or `--some-option`\nif [ "${1#-}" != "$1" ]; then set -- php-fpm "$@"; fi\nexec "$@"\n' \
      > "$d/usr/local/bin/docker-php-entrypoint"
    chmod 755 "$d/usr/local/bin/docker-php-entrypoint"
    mkdir -p "$d/var/www/html"; chown 33:33 "$d/var/www" "$d/var/www/html"
    v=$("$x/usr/bin/php8.2" -n -r 'echo PHP_VERSION;')
    import_img "$d" "$t" "ENV PATH=$P" "ENV PHP_INI_DIR=/usr/local/etc/php" "ENV PHP_VERSION=$v" "WORKDIR /var/www/html" \
      "STOPSIGNAL SIGQUIT" "EXPOSE 9000" "ENTRYPOINT [\"docker-php-entrypoint\"]" "CMD [\"php-fpm\"]"
  fi
  for m in 8.3 8.4 8.5; do alias "$t" "$H/php:$m-fpm-bookworm"; done
  if ! exists "$H/composer:2"; then
    x=$(php_debs); c=$(php_composer_phar "$x"); d=$WORK/rootfs; alpine_root "$d"
    install -m 0755 "$c" "$d/usr/bin/composer"
    import_img "$d" "$H/composer:2" "ENV PATH=$P" "ENV COMPOSER_HOME=/tmp" "WORKDIR /app" "CMD [\"composer\"]"
  fi
  if ! exists "docker.io/mlocati/php-extension-installer:2"; then
    d=$WORK/rootfs; rm -rf "$d"; mkdir -p "$d/usr/bin"
    php_ext_stub install-php-extensions > "$d/usr/bin/install-php-extensions"; chmod 755 "$d/usr/bin/install-php-extensions"
    import_img "$d" "docker.io/mlocati/php-extension-installer:2"
  fi
}
images_php
