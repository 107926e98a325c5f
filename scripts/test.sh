#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine it does every set-up step itself:
# system packages (when missing), a throw-away PostgreSQL 15 cluster, NuGet restore, a Release build with warnings as errors, every test.
# Ends with one line: "N passed, N failed" (", N skipped" when any were skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2
  exit 2
fi

# System packages the tests need, installed through apt when missing (CI runs as root).
source scripts/lib/apt.sh
ensure_system_packages

# A throw-away PostgreSQL cluster for the PostgreSQL engine's tests, stopped however the run ends.
source scripts/lib/postgres.sh
trap stop_test_postgres EXIT
start_test_postgres

echo "== restore"
dotnet restore DocStore.sln --nologo -v quiet
echo "== build (Release, warnings are errors)"
dotnet build DocStore.sln -c Release --no-restore --nologo -v quiet -warnaserror
echo "== test"
results="$(pwd)/TestResults"
rm -rf "$results"
set +e
dotnet test DocStore.sln -c Release --no-build --nologo \
  --logger trx --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" 2>&1 | grep -vE '^\s+Passed ' 
status=${PIPESTATUS[0]}
set -e

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  total=$(get total); executed=$(get executed)
  skipped=$((skipped + total - executed))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
