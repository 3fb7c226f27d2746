#!/usr/bin/env bash
# A private, throw-away PostgreSQL server for the tests: its own data directory and port, trust
# authentication on loopback only. Never touches a system cluster.
#
#   eval "$(scripts/postgres.sh start DIR)"   # prints `export TEST_POSTGRES_URL=...`
#   scripts/postgres.sh stop DIR
set -euo pipefail

cmd=${1:?usage: $0 start|stop DIR}
dir=${2:?usage: $0 start|stop DIR}
port=${JSF_TEST_PG_PORT:-54329}

fail() { echo "error: $*" >&2; exit 1; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
  fail "PostgreSQL is not installed (Debian package 'postgresql'); run scripts/install-tools.sh test"

# PostgreSQL refuses to run as root: run it as the 'postgres' account the Debian package creates.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
      # mktemp makes 0700 directories: let the postgres account reach its data directory.
      chmod a+x "$(dirname "$dir")"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir" -U jsf --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
        fail "initdb failed, see $dir.initdb.log"
    fi
    # fsync off: a test cluster is thrown away, durability is tested on SQLite and by PostgreSQL itself.
    as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
      fail "PostgreSQL did not start on port $port, see $dir/server.log: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
    echo "export TEST_POSTGRES_URL=postgres://jsf@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) fail "usage: $0 start|stop DIR" ;;
esac
