#!/usr/bin/env python3
"""Prints a bench JSON result file (bench/DocStore.Bench --json) as a Markdown table with ratios to ef-baseline."""
import json
import sys

def main(path, workloads=None):
    data = json.load(open(path))
    rows = data["results"]
    if workloads:
        rows = [r for r in rows if r["workload"] in workloads]
    base = {(r["workload"], r["threads"]): r["ops_per_sec"] for r in rows if r["system"] == "ef-baseline"}
    print("| workload | system | threads | ops/s | p50 us | p95 us | p99 us | vs ef-baseline | alloc B/op | GC pause | note |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        b = base.get((r["workload"], r["threads"]))
        ratio = f'{r["ops_per_sec"] / b:,.1f}x' if b else ""
        ops = r["ops_per_sec"]
        ops_text = f"{ops:,.0f}" if ops >= 10 else f"{ops:.2f}"
        # Files written before the bench measured the GC have neither field: their cells stay empty.
        alloc = f'{r["alloc_bytes_per_op"]:,.0f}' if r.get("alloc_bytes_per_op") is not None else ""
        pause = f'{r["gc_pause_share"]:.1%}' if r.get("gc_pause_share") is not None else ""
        print(f'| {r["workload"]} | {r["system"]} | {r["threads"]} | {ops_text} | {r["p50_us"]:,.1f} | {r["p95_us"]:,.1f} | {r["p99_us"]:,.1f} | {ratio} | {alloc} | {pause} | {r.get("note") or ""} |')
    m = data["meta"]
    print(f'\n_{m["docs"]:,} documents, {m["seconds"]} s per cell, {m["threads"]} threads for get-zipf/ycsb, corpus: {m["corpus"]}, {"encrypted, " if m.get("encrypted") else ""}{m["machine"]}, {m["runtime"]}, {m["date"]}._')

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].split(",") if len(sys.argv) > 2 else None)
