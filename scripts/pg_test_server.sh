#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: trust login as user "app", 127.0.0.1 only, fsync off.
#
#   bash scripts/pg_test_server.sh start   # prints the URL for SME_TEST_DATABASE_URL
#   bash scripts/pg_test_server.sh stop    # stops it and removes its data folder
#
# SME_PG_DIR (default /tmp/sme-review-pg) and SME_PG_PORT (default 55432) choose where and on
# which port. PostgreSQL refuses to run as root: as root, the server runs as the "postgres"
# user that Debian's package creates, and owns its data folder.
set -euo pipefail

DIR=${SME_PG_DIR:-/tmp/sme-review-pg}
PORT=${SME_PG_PORT:-55432}
URL="postgresql+psycopg://app@127.0.0.1:$PORT/postgres"

bin_dir() {
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ] && [ -x "$newest/pg_ctl" ]; then
    echo "$newest"
  elif command -v pg_ctl >/dev/null; then
    dirname "$(command -v pg_ctl)"
  else
    echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
    return 1
  fi
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    BIN=$(bin_dir)
    if [ -f "$DIR/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      echo "$URL"
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR"
    chmod 700 "$DIR"
    as_owner "$BIN/initdb" -D "$DIR" -U app --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start >/dev/null
    echo "$URL"
    ;;
  stop)
    BIN=$(bin_dir)
    if [ -d "$DIR" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$DIR"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
