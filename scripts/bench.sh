#!/usr/bin/env bash
# Runs the full benchmark set and writes JSON under bench/results/. Takes a while (about 45 minutes on
# the project's 2-core machine); run it on a quiet machine. Pass --quick for a smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

out=bench/results
mkdir -p "$out"
quick=()
[ "${1:-}" = "--quick" ] && quick=(--quick)

dotnet build bench/DocStore.Bench -c Release --nologo -v quiet
bench() { dotnet run -c Release --no-build --project bench/DocStore.Bench -- "$@"; }

echo "== compare, defaults (100k generated documents of ~1 KB)"
bench compare "${quick[@]}" --json "$out/compare.json" | tee "$out/compare.md"

echo "== compare on the PostgreSQL 15 manual (Debian postgresql-doc-15)"
if [ ! -d /usr/share/doc/postgresql-doc-15/html ]; then apt_install postgresql-doc-15 || true; fi
if [ -d /usr/share/doc/postgresql-doc-15/html ]; then
  bench compare "${quick[@]}" --corpus /usr/share/doc/postgresql-doc-15/html --json "$out/compare-pgdocs.json" | tee "$out/compare-pgdocs.md"
else
  echo "postgresql-doc-15 is not installed and could not be installed; skipping the real-text run." >&2
fi

echo "== ycsb"
bench ycsb "${quick[@]}" --json "$out/ycsb.json" | tee "$out/ycsb.md"

if [ ${#quick[@]} -eq 0 ]; then
  echo "== the original system's own set-up (1,000 documents, 10 threads)"
  bench compare --docs 1000 --threads 10 --workloads get-zipf,get-cached --json "$out/original-1k.json"

  echo "== the read targets, five runs in a row (how often each holds)"
  for i in 1 2 3 4 5; do
    bench compare --workloads get-cached,get-uncached,get-zipf --systems ef-baseline,optimized,optimized-nocache,raw-sqlite-nommap,bitfaster-lru,dictionary --json "$out/repeat-$i.json"
  done

  echo "== cached gets against the library alone, with and without the store's memory layout, three runs"
  for i in 1 2 3; do
    bench compare --workloads get-cached --systems optimized,optimized-uncounted,bitfaster-lru,bitfaster-lru-fresh,dictionary --json "$out/cached-layout-$i.json"
  done

  echo "== compare on an SQLCipher-encrypted file (scripts/lib/apt.sh installs libsqlcipher1)"
  ensure_system_packages
  bench compare --encrypted --json "$out/compare-encrypted.json" | tee "$out/compare-encrypted.md"

  echo "== scaling: get-uncached and search with 10k, 100k and 1M documents"
  for n in 10000 100000 1000000; do
    bench compare --docs "$n" --workloads get-uncached,search-selective,search-common --json "$out/scaling-$n.json" | tee "$out/scaling-$n.md"
  done

  echo "== micro-benchmarks (BenchmarkDotNet, --job short)"
  bench micro --filter '*' --job short --artifacts "$out/micro" | tee "$out/micro.md"
  cp "$out/micro/results/DocStore.Bench.Micro.AccessCountWriteBenchmarks-report-github.md" "$out/micro-access-counts.md"
  cp "$out/micro/results/DocStore.Bench.Micro.ReadCountBenchmarks-report-github.md" "$out/micro-read-counts.md"
fi
