#!/bin/sh
# redis:*-alpine STAND-IN entrypoint (e2e only; test/e2e/setup.sh installs it as
# /usr/local/bin/docker-entrypoint.sh next to Debian's redis-server 7.0).
#
# The official image's docker-entrypoint.sh (docker-library/redis), minus the root path:
#   - a first argument starting with "-" or ending in ".conf" runs `redis-server <args>`;
#   - as root with `redis-server` it would chown the working dir and re-exec as redis (su-exec):
#     not implemented here (the generated compose file sets user: "999:1000"), so the stand-in
#     refuses to start as root instead of silently running redis as root;
#   - umask 0077 when the umask is the default 0022; then exec the arguments.
# The generated compose file overrides the command with `/bin/sh -c '... exec redis-server
# /tmp/redis.conf ...'`, which this script runs as is (like the official one).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  echo "redis stand-in: running as root is not implemented (the official image drops to redis with su-exec); set user: \"999:1000\"" >&2
  exit 1
fi
um=$(umask)
if [ "$um" = 0022 ]; then umask 0077; fi
exec "$@"
