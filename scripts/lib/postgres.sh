# A throw-away PostgreSQL 15 cluster for the tests of the PostgreSQL engine. Sourced by scripts/test.sh:
# start_test_postgres starts one on a free port and exports DOCSTORE_TEST_POSTGRES (a connection string);
# stop_test_postgres stops it and removes its folder (test.sh calls it from a trap, so a failing run cleans up too).
# The server refuses to run as root, so it runs as the postgres user. fsync is off for tests (the cluster only
# has to survive killed clients, not power loss, and it is deleted afterwards); DOCSTORE_PG_FSYNC=on keeps the
# server's defaults, as a benchmark should.

PG_BIN=/usr/lib/postgresql/15/bin
DOCSTORE_PG_DIR=""

ensure_postgres() {
  if [ -x "$PG_BIN/initdb" ] && [ -f /usr/share/postgresql/15/extension/unaccent.control ]; then
    return 0
  fi
  apt_install postgresql-15 postgresql-contrib-15 2>/dev/null || apt_install postgresql-15
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_test_postgres() {
  ensure_postgres
  DOCSTORE_PG_DIR=$(mktemp -d /tmp/docstore-pg.XXXXXX)
  local runas=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$DOCSTORE_PG_DIR"
    runas=(runuser -u postgres --)
  fi
  chmod 755 "$DOCSTORE_PG_DIR"
  local port durability="-c fsync=off -c full_page_writes=off"
  [ "${DOCSTORE_PG_FSYNC:-off}" = "on" ] && durability=""
  port=$(free_port)
  (cd /tmp && "${runas[@]}" "$PG_BIN/initdb" -D "$DOCSTORE_PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DOCSTORE_PG_DIR/initdb.log" 2>&1) || { cat "$DOCSTORE_PG_DIR/initdb.log" >&2; return 1; }
  (cd /tmp && "${runas[@]}" "$PG_BIN/pg_ctl" -D "$DOCSTORE_PG_DIR/data" -l "$DOCSTORE_PG_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $DOCSTORE_PG_DIR $durability -c max_connections=300" start \
    >/dev/null) || { cat "$DOCSTORE_PG_DIR/server.log" >&2; return 1; }
  export DOCSTORE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "== PostgreSQL 15 test cluster on port $port"
}

stop_test_postgres() {
  if [ -n "$DOCSTORE_PG_DIR" ] && [ -d "$DOCSTORE_PG_DIR" ]; then
    local runas=()
    [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
    (cd /tmp && "${runas[@]}" "$PG_BIN/pg_ctl" -D "$DOCSTORE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1) || true
    rm -rf "$DOCSTORE_PG_DIR"
    DOCSTORE_PG_DIR=""
  fi
}
