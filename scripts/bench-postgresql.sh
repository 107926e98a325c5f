#!/usr/bin/env bash
# The compare benchmark on the PostgreSQL engine: starts a throw-away PostgreSQL 15 cluster on loopback with the
# server's default settings (fsync on), runs `compare --engine postgresql` against it (the documents are loaded into
# SQLite, then copied with their ids into a database the bench creates and drops), prints the server settings
# that matter, and stops and removes the cluster however the run ends. Extra arguments go to the bench
# (e.g. --quick, --json bench/results/compare-postgresql.json).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh
source scripts/lib/postgres.sh
trap stop_test_postgres EXIT
DOCSTORE_PG_FSYNC=on start_test_postgres
psql_url="host=127.0.0.1 port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<< "$DOCSTORE_TEST_POSTGRES") user=postgres dbname=postgres"
echo "== server settings"
psql "$psql_url" -Atc "SELECT name || ' = ' || setting || coalesce(' ' || unit, '') FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_connections') ORDER BY name"
dotnet build bench/DocStore.Bench -c Release --nologo -v quiet
dotnet run -c Release --no-build --project bench/DocStore.Bench -- compare --engine postgresql --postgres "$DOCSTORE_TEST_POSTGRES" "$@"
