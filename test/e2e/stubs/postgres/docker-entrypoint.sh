#!/bin/sh
# postgres:*-alpine STAND-IN entrypoint (e2e only; test/e2e/setup.sh installs it as
# /usr/local/bin/docker-entrypoint.sh next to Debian's PostgreSQL 15 binaries).
#
# It implements the part of the official image's docker-entrypoint.sh (docker-library/postgres) that
# the generated compose file relies on, with the same observable behaviour:
#   - `postgres` (or a first argument starting with "-") runs the server; anything else is exec'd as is;
#   - POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE (exclusive; the file's trailing newlines are
#     dropped like bash's "$(< file)"), POSTGRES_USER (default postgres), POSTGRES_DB (default
#     $POSTGRES_USER), PGDATA (default /var/lib/postgresql/data);
#   - on an empty PGDATA: initdb --username=$POSTGRES_USER with the password, `host all all all
#     scram-sha-256` appended to pg_hba.conf, a socket-only temporary server (listen_addresses=''),
#     CREATE DATABASE $POSTGRES_DB unless it is "postgres", temporary server stopped, then exec;
#   - a PGDATA that has PG_VERSION is used as it is (no second initdb, the password is not changed).
# Not implemented (the generated compose file uses none of it): running as root (chown + gosu),
# POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR, scripts in
# /docker-entrypoint-initdb.d (the stand-in refuses to start when there are any).
# Like the official script it exports POSTGRES_PASSWORD for the rest of the start, so the
# server's own /proc/<pid>/environ holds it (readable only by uid 70); the container config does not.
set -eu

if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "${1:-}" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  echo "postgres stand-in: running as root is not implemented (the official image chowns and drops to postgres with gosu); set user: \"70:70\"" >&2
  exit 1
fi

file_env() { # file_env VAR [DEFAULT]
  var=$1 def=${2:-}
  eval "cur=\${$var:-}; file=\${${var}_FILE:-}"
  if [ -n "$cur" ] && [ -n "$file" ]; then echo "error: both $var and ${var}_FILE are set (but are exclusive)" >&2; exit 1; fi
  val=$def
  if [ -n "$cur" ]; then val=$cur; elif [ -n "$file" ]; then val=$(cat "$file"); fi
  export "$var=$val"
  unset "${var}_FILE"
}

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

mkdir -p "$PGDATA"; chmod 00700 "$PGDATA" 2>/dev/null || :
mkdir -p /var/run/postgresql; chmod 03775 /var/run/postgresql 2>/dev/null || :

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$POSTGRES_PASSWORD" ]; then
    echo "Error: Database is uninitialized and superuser password is not specified (POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE)" >&2
    exit 1
  fi
  if [ -n "$(ls -A /docker-entrypoint-initdb.d/ 2>/dev/null)" ]; then
    echo "postgres stand-in: /docker-entrypoint-initdb.d scripts are not implemented" >&2; exit 1
  fi
  # the password reaches initdb on a pipe (the official script uses a bash process substitution)
  printf '%s\n' "$POSTGRES_PASSWORD" | initdb --username="$POSTGRES_USER" --pwfile=/dev/stdin
  auth=$(postgres -C password_encryption)
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    exists=$(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc --dbname postgres \
      --set db="$POSTGRES_DB" -tA <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db' ;
SQL
)
    if [ -z "$exists" ]; then
      psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc --dbname postgres \
        --set db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db" ;
SQL
      echo
    fi
  fi
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
else
  echo
  echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
  echo
fi

exec "$@"
