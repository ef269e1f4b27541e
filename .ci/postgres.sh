#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the test suite and print its URL.
# Usage: eval "$(bash .ci/postgres.sh start)"   ...   bash .ci/postgres.sh stop
# Installs Debian's postgresql when no server binaries are present.
set -euo pipefail
PORT="${SANCTIO_PG_PORT:-54329}"
DIR="${SANCTIO_PG_DIR:-/tmp/sanctio-pg-$PORT}"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "${1:-start}" in
  start)
    BIN="$(find_bin)"
    if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
      echo "installing postgresql..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      BIN="$(find_bin)"
    fi
    RUN=()
    if [ "$(id -u)" = "0" ]; then RUN=(runuser -u postgres --); fi
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
      "${RUN[@]}" "$BIN/initdb" -D "$DIR" -U postgres -A trust --no-sync >&2
    fi
    if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -w -l "$DIR/server.log" \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >&2
    fi
    echo "export SANCTIO_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    BIN="$(find_bin)"
    RUN=()
    if [ "$(id -u)" = "0" ]; then RUN=(runuser -u postgres --); fi
    [ -n "$BIN" ] && "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR" -m fast stop >&2 || true
    ;;
esac
