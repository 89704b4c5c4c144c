#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benches: initdb into a new temporary directory, owned by an
# unprivileged user (PostgreSQL refuses to run as root), listening on a loopback port only, no fsync (its
# data is thrown away). Prints `export MODQC_PG_DIR=… MODQC_TEST_DATABASE_URL=…` for `eval`.
#   eval "$(scripts/throwaway-postgres.sh start)"   …   scripts/throwaway-postgres.sh stop "$MODQC_PG_DIR"
set -euo pipefail

bin_dir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ]; then
    echo "PostgreSQL is not installed (Debian package postgresql)" >&2
    exit 1
  fi
  dirname "$initdb"
}

# Run a command as the cluster's owner: ourselves, or the `postgres` user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    bin=$(bin_dir)
    dir=$(mktemp -d /tmp/modqc-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_owner "$bin/initdb" -D "$dir/data" -U modqc --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 -c shared_buffers=256MB" \
      start >/dev/null
    echo "export MODQC_PG_DIR=$dir MODQC_TEST_DATABASE_URL=postgres://modqc@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: throwaway-postgres.sh stop DIR}
    bin=$(bin_dir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: throwaway-postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
