#!/usr/bin/env bash
# Load run against the Notes app on loopback with wrk: GET by id over a hot set, search, create; the GET and
# search runs with the fast path on and then off (switched at run time through the admin endpoint). The app,
# wrk and the machine's other work share the same cores; say so next to any figure quoted from it.
# Writes bench/results/load.json (one JSON object per run) and prints a table.
#   scripts/load-test.sh [seconds per run, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh
command -v wrk >/dev/null 2>&1 || apt_install wrk
seconds=${1:-10}
connections=${2:-32}
port=5089
data=$(mktemp -d)
out=bench/results/load.json
mkdir -p bench/results

dotnet build samples/DocStore.Notes -c Release --nologo -v quiet
dotnet samples/DocStore.Notes/bin/Release/net10.0/DocStore.Notes.dll --urls "http://127.0.0.1:$port" \
  --DocStore:DatabasePath="$data/notes.db" --Notes:ImportRoots:0=/usr/share/doc/postgresql-doc-15/html --Logging:LogLevel:Default=Warning --contentRoot "$(pwd)/samples/DocStore.Notes" >"$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done

# Real text: the PostgreSQL manual (scripts/lib/apt.sh installs it), imported through the app's own API.
[ -d /usr/share/doc/postgresql-doc-15/html ] || apt_install postgresql-doc-15
curl -sf -X POST "http://127.0.0.1:$port/api/import/folder" -H 'Content-Type: application/json' \
  -d '{"path":"/usr/share/doc/postgresql-doc-15/html","type":"manual"}' >/dev/null
docs=$(curl -sf "http://127.0.0.1:$port/api/stats" | sed -n 's/.*"documentCount":\([0-9]*\).*/\1/p')
echo "app on port $port with $docs documents (PostgreSQL 15 manual); $seconds s per run, $connections connections, 2 wrk threads"

run() { # name script
  NAME="$1" HOT=1000 wrk -t2 -c"$connections" -d"${seconds}s" -s "scripts/load/$2" "http://127.0.0.1:$port" | grep '^{' | tee -a "$out.tmp"
}
fast() { curl -sf -X PUT "http://127.0.0.1:$port/api/admin/fast-path" -H 'Content-Type: application/json' -d "{\"enabled\":$1}" >/dev/null; }

rm -f "$out.tmp"
fast true
run get-hot-fast get-hot.lua
run search-fast search.lua
fast false
run get-hot-plain get-hot.lua
run search-plain search.lua
fast true
run create create.lua
python3 - "$out.tmp" "$out" "$docs" "$seconds" "$connections" <<'PY'
import json, sys, platform, os, datetime
runs = [json.loads(l) for l in open(sys.argv[1])]
meta = {"docs": int(sys.argv[3] or 0), "seconds": int(sys.argv[4]), "connections": int(sys.argv[5]), "cores": os.cpu_count(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": platform.platform()}
json.dump({"meta": meta, "runs": runs}, open(sys.argv[2], "w"), indent=1)
print("| run | requests/s | p50 ms | p95 ms | p99 ms | errors |")
print("|---|---:|---:|---:|---:|---:|")
for r in runs:
    print(f"| {r['name']} | {r['rps']:,.0f} | {r['p50_us']/1000:.2f} | {r['p95_us']/1000:.2f} | {r['p99_us']/1000:.2f} | {r['errors']} |")
PY
rm -f "$out.tmp"
