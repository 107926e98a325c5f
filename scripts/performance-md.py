#!/usr/bin/env python3
"""Builds PERFORMANCE.md from docs/PERFORMANCE.template.md and the JSON files in bench/results/.

{{table FILE [workloads]}} becomes the Markdown table of that result file; {{ops FILE WORKLOAD SYSTEM THREADS}}
becomes that cell's ops/s; {{ratio FILE WORKLOAD SYSTEM OTHER THREADS}} the ratio of two cells
({{roundratio ...}} the same per round). Every number in
PERFORMANCE.md therefore comes from a result file written by the command printed next to it.
"""
import io
import json
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "scripts"))
results_table = __import__("results-table")

def load(name):
    return json.load(open(root / "bench/results" / name))

def cell(name, workload, system, threads):
    for r in load(name)["results"]:
        if r["workload"] == workload and r["system"] == system and r["threads"] == int(threads):
            return r["ops_per_sec"]
    raise KeyError(f"{name}: {workload}/{system}/{threads}")

def result(name, workload, system, threads):
    for r in load(name)["results"]:
        if r["workload"] == workload and r["system"] == system and r["threads"] == int(threads):
            return r
    raise KeyError(f"{name}: {workload}/{system}/{threads}")

def zipf_bound(name):
    """What get-zipf could reach at its own L1 hit ratio if every hit ran at the cached-get rate and every miss
    at the uncached-get rate (both on 2 threads, the machine's cores) of the same run: 1 / (h/hit + (1-h)/miss)."""
    note = result(name, "get-zipf", "optimized", 10).get("note") or ""
    found = re.search(r"L1 hits ([0-9.]+) %", note)
    if not found:
        raise KeyError(f"{name}: get-zipf/optimized has no L1 hit ratio in its note")
    h = float(found.group(1)) / 100
    bound = 1 / (h / cell(name, "get-cached", "optimized", 2) + (1 - h) / cell(name, "get-uncached", "optimized-nocache", 2))
    return bound, cell(name, "get-zipf", "optimized", 10) / bound

REPEATS = ["repeat-1.json", "repeat-2.json", "repeat-3.json", "repeat-4.json", "repeat-5.json"]

def repeat_columns():
    """The read targets' ratios in each repeated run: (heading, key, ratio of a run, comparison, target)."""
    return [
        ("cached, dictionary / store, 1 thread", "cached1", lambda n: cell(n, "get-cached", "dictionary", 1) / cell(n, "get-cached", "optimized", 1), "<=", 2),
        ("2 threads", "cached2", lambda n: cell(n, "get-cached", "dictionary", 2) / cell(n, "get-cached", "optimized", 2), "<=", 2),
        ("cached against DESIGN.md's 2.5x, 1 thread", "design1", lambda n: cell(n, "get-cached", "dictionary", 1) / cell(n, "get-cached", "optimized", 1), "<=", 2.5),
        ("2 threads", "design2", lambda n: cell(n, "get-cached", "dictionary", 2) / cell(n, "get-cached", "optimized", 2), "<=", 2.5),
        ("dictionary / bitfaster-lru, 1 thread", "library1", lambda n: cell(n, "get-cached", "dictionary", 1) / cell(n, "get-cached", "bitfaster-lru", 1), None, None),
        ("uncached, store / nommap floor, 1 thread", "uncached1", lambda n: cell(n, "get-uncached", "optimized-nocache", 1) / cell(n, "get-uncached", "raw-sqlite-nommap", 1), ">=", 0.85),
        ("2 threads", "uncached2", lambda n: cell(n, "get-uncached", "optimized-nocache", 2) / cell(n, "get-uncached", "raw-sqlite-nommap", 2), ">=", 0.85),
        ("zipfian, share of its bound", "zipfbound", lambda n: zipf_bound(n)[1], ">=", 0.8),
        ("zipfian, store / EF Core", "zipfef", lambda n: cell(n, "get-zipf", "optimized", 10) / cell(n, "get-zipf", "ef-baseline", 10), ">=", 50),
    ]

def meets(value, op, target):
    return value <= target if op == "<=" else value >= target

def repeats_met(key):
    """How many of the repeated runs met the target of column <key>, as "N of M"."""
    _, _, f, op, target = next(c for c in repeat_columns() if c[1] == key)
    return f"{sum(meets(f(n), op, target) for n in REPEATS)} of {len(REPEATS)}"

def repeats_table():
    """One row per repeated run of the read targets, then the median of each column and how many runs met each target."""
    names = REPEATS
    columns = repeat_columns()
    values = [[f(n) for _, _, f, _, _ in columns] for n in names]
    lines = ["| run | " + " | ".join(c[0] for c in columns) + " |", "|---|" + "---:|" * len(columns)]
    for n, row in zip(names, values):
        lines.append(f"| `{n}` ({load(n)['meta']['date'][11:16]} UTC) | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    medians = [sorted(col)[len(col) // 2] for col in zip(*values)]
    lines.append("| median | " + " | ".join(f"{v:.2f}" for v in medians) + " |")
    met = []
    for i, (_, _, _, op, target) in enumerate(columns):
        if op is None:
            met.append("")
            continue
        hits = sum(meets(row[i], op, target) for row in values)
        met.append(f"{hits} of {len(names)} ({op} {target:g})")
    lines.append("| runs meeting the target | " + " | ".join(met) + " |")
    m = load(names[0])["meta"]
    lines.append("")
    lines.append(f"_{m['docs']:,} documents, {m['seconds']} s per cell, commit {m['commit']}; {m['machine']}; {m['runtime']}; {m['os']}_")
    return "\n".join(lines)

def load_table(name):
    data = load(name)
    lines = ["| run | requests/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|"]
    for r in data["runs"]:
        lines.append(f"| {r['name']} | {r['rps']:,.0f} | {r['p50_us']/1000:.2f} | {r['p95_us']/1000:.2f} | {r['p99_us']/1000:.2f} | {r['errors']} |")
    m = data["meta"]
    lines.append("")
    lines.append(f"_{m['docs']:,} documents, {m['seconds']} s per run, {m['connections']} connections, 2 wrk threads, {m['cores']} cores shared by the app and wrk; {m['machine']}; {m['date']}_")
    return "\n".join(lines)

def write_threads(workload):
    """The thread count of a write workload's cell: 8 for the concurrent ones, else 1."""
    return 8 if workload.endswith("concurrent") else 1

def ab_pairs(folder):
    """An A/B's result files, (base, new) per pair: FOLDER/base-N.json and FOLDER/new-N.json."""
    bases = sorted((root / "bench/results" / folder).glob("base-*.json"))
    return [(f"{folder}/{b.name}", f"{folder}/{b.name.replace('base-', 'new-')}") for b in bases]

def ab_table(folder, workloads, before_label="before (raw statements)", after_label="after (EF Core)", store="optimized", floor="raw-sqlite"):
    """An A/B of two builds run alternately: FOLDER/base-N.json and FOLDER/new-N.json. Per workload, each run's
    ops/s of the store (STORE), the median of new/base over the pairs, and (when the runs measured it) new's
    median ratio to its raw floor (FLOOR)."""
    from statistics import median
    pairs = ab_pairs(folder)
    with_floor = any(r["system"] == floor for r in load(pairs[0][1])["results"])
    lines = [f"| workload | {before_label}, per run | {after_label}, per run | after / before, median |" + (" after / raw floor, median |" if with_floor else ""),
             "|---|---|---|---:|" + ("---:|" if with_floor else "")]
    for w in workloads.split(","):
        threads = write_threads(w)
        before = [cell(b, w, store, threads) for b, _ in pairs]
        after = [cell(a, w, store, threads) for _, a in pairs]
        row = f"| {w} | {' / '.join(f'{x:,.0f}' for x in before)} | {' / '.join(f'{x:,.0f}' for x in after)} | {median(a / b for a, b in zip(after, before)):.2f} |"
        if with_floor:
            ratios = [cell(a, w, store, threads) / cell(a, w, floor, threads) for _, a in pairs]
            row += f" {median(ratios):.2f} |"
        lines.append(row)
    if not store.startswith("optimized"):
        # The runs' sizes are those of the SQLite file the bench loads first, not of another engine's database.
        return "\n".join(lines)
    sizes = [(load(b)["meta"]["bytes_per_text_byte"], load(a)["meta"]["bytes_per_text_byte"]) for b, a in pairs]
    lines.append(f"| bytes on disk per byte of text ({load(pairs[0][0])['meta']['docs']:,} documents) | {' / '.join(f'{b:.2f}' for b, _ in sizes)} | {' / '.join(f'{a:.2f}' for _, a in sizes)} | {median(a / b for b, a in sizes):.2f} |" + (" |" if with_floor else ""))
    return "\n".join(lines)

def side_table(folder, workloads, a, b, floor_a, floor_b):
    """Two settings side by side in the same runs (FOLDER/run-N.json): per workload, each run's ops/s of store A and
    store B, the medians over the runs of A / B, of FLOOR_A / FLOOR_B, and of A / FLOOR_A."""
    from statistics import median
    runs = [f"{folder}/{p.name}" for p in sorted((root / "bench/results" / folder).glob("run-*.json"))]
    lines = [f"| workload | `{a}`, per run | `{b}`, per run | {a} / {b}, median | {floor_a} / {floor_b}, median | {a} / {floor_a}, median |",
             "|---|---|---|---:|---:|---:|"]
    for w in workloads.split(","):
        threads = write_threads(w)
        unit = " (batches/s)" if w == "create-batch-100" else ""
        ra, rb = [cell(r, w, a, threads) for r in runs], [cell(r, w, b, threads) for r in runs]
        floors = median(cell(r, w, floor_a, threads) / cell(r, w, floor_b, threads) for r in runs)
        own = median(cell(r, w, a, threads) / cell(r, w, floor_a, threads) for r in runs)
        lines.append(f"| {w}{unit} | {' / '.join(f'{x:,.0f}' for x in ra)} | {' / '.join(f'{x:,.0f}' for x in rb)} | "
                     f"{median(x / y for x, y in zip(ra, rb)):.2f} | {floors:.2f} | {own:.2f} |")
    return "\n".join(lines)

PEER_ROWS = [
    # (label, workload, threads, the store's system for that row)
    ("get, hot set (1 thread)", "get-cached", 1, "optimized"),
    ("get, hot set (2 threads)", "get-cached", 2, "optimized"),
    ("get, uniform over all documents (1 thread)", "get-uncached", 1, "optimized"),
    ("get, uniform over all documents (2 threads)", "get-uncached", 2, "optimized"),
    ("get, zipfian (10 threads)", "get-zipf", 10, "optimized"),
    ("find by type, page and total (store with its result cache, 1 thread)", "list-by-type", 1, "optimized"),
    ("find by type, page and total (store without its result cache, 1 thread)", "list-by-type", 1, "optimized-nocache"),
    ("find by type, page and total (store without its result cache, 2 threads)", "list-by-type", 2, "optimized-nocache"),
    ("insert, one per call", "create-single", 1, "optimized"),
    ("insert, batches of 100 (documents/s)", "create-batch-100", 1, "optimized"),
    ("insert, 8 threads", "create-concurrent", 8, "optimized"),
    ("update metadata, 1 thread", "update-single", 1, "optimized"),
    ("update metadata, 8 threads", "update-concurrent", 8, "optimized"),
]

def peer_table(name):
    """The store against the peers users compare it with, one row per workload: the store's ops/s and each peer's
    as a multiple of it (above 1: the peer is faster)."""
    peers = [("litedb", "LiteDB"), ("efcore-memorycache", "EF Core + MemoryCache"), ("dapper", "Dapper")]
    lines = ["| workload | DocStore | " + " | ".join(f"{label} (x)" for _, label in peers) + " |",
             "|---|---:|" + "---:|" * len(peers)]
    for label, workload, threads, store in PEER_ROWS:
        try:
            mine = cell(name, workload, store, threads)
        except KeyError:
            continue
        scale = 100 if workload == "create-batch-100" else 1
        row = f"| {label} | {mine * scale:,.0f} |"
        for system, _ in peers:
            try:
                row += f" {cell(name, workload, system, threads) / mine:.2f} |"
            except KeyError:
                row += " n/a |"
        lines.append(row)
    return "\n".join(lines)

def replace(match):
    words = match.group(1).split()
    kind, args = words[0], words[1:]
    if kind == "table":
        out = io.StringIO()
        with redirect_stdout(out):
            results_table.main(str(root / "bench/results" / args[0]), args[1].split(",") if len(args) > 1 else None)
        return out.getvalue().rstrip()
    if kind == "ops":
        return f"{cell(*args):,.0f}"
    if kind == "ops1":
        # For cells of about one operation a second, where a whole number would read 0 or 1.
        return f"{cell(*args):,.2f}"
    if kind == "gcpause":
        return f"{result(*args)['gc_pause_share']:.0%}"
    if kind == "ratio":
        name, workload, a, b, threads = args
        return f"{cell(name, workload, a, threads) / cell(name, workload, b, threads):,.2f}"
    if kind == "roundratio":
        # The ratio of two cells in each of a run's rounds (compare's read cells), "r1 / r2 / r3".
        name, workload, a, b, threads = args
        ra = result(name, workload, a, threads)["rounds_ops_per_sec"]
        rb = result(name, workload, b, threads)["rounds_ops_per_sec"]
        return " / ".join(f"{x / y:.2f}" for x, y in zip(ra, rb))
    if kind == "ge":
        name, workload, system, threads, target = args
        return "yes" if cell(name, workload, system, threads) >= float(target) else "no"
    if kind in ("ratio_le", "ratio_ge"):
        name, workload, a, b, threads, limit = args
        r = cell(name, workload, a, threads) / cell(name, workload, b, threads)
        return "yes" if (r <= float(limit) if kind == "ratio_le" else r >= float(limit)) else "no"
    if kind in ("ratio2", "runsratio"):
        # {{ratio2|runsratio FILE_A FILE_B WORKLOAD SYSTEM THREADS}}: one cell's ops/s in run A over run B's, as a
        # percentage or as a ratio.
        a, b, workload, system, threads = args
        r = cell(a, workload, system, threads) / cell(b, workload, system, threads)
        return f"{r:.0%}" if kind == "ratio2" else f"{r:.2f}"
    if kind == "p50ms":
        return f"{result(*args)['p50_us'] / 1000:,.1f}"
    if kind == "file":
        path = root / args[0]
        return path.read_text().strip() if path.exists() else f"(not produced: {args[0]} is missing)"
    if kind == "meta":
        value = load(args[0])["meta"][args[1]]
        return f"{value:,.2f}" if isinstance(value, float) else (f"{value:,}" if isinstance(value, int) else str(value))
    if kind == "mib":
        return f"{load(args[0])['meta'][args[1]] / 1048576:,.1f}"
    if kind == "hitratio":
        found = re.search(r"L1 hits ([\d.]+) %", result(*args).get("note") or "")
        return f"{found.group(1)}%" if found else "n/a"
    if kind == "note":
        return result(*args).get("note") or ""
    if kind == "p99ms":
        return f"{result(*args)['p99_us'] / 1000:,.2f}"
    if kind == "repeats":
        return repeats_table()
    if kind == "repeatsmet":
        return repeats_met(args[0])
    if kind == "loadtable":
        return load_table(args[0])
    if kind == "load":
        name, run, field = args
        r = next(r for r in load(name)["runs"] if r["name"] == run)
        return f"{r[field]:,.0f}" if field == "rps" else f"{r[field] / 1000:,.2f}"
    if kind == "loadratio":
        name, a, b = args
        runs = {r["name"]: r for r in load(name)["runs"]}
        return f"{runs[a]['rps'] / runs[b]['rps']:,.1f}"
    if kind == "zipfbound":
        return f"{zipf_bound(args[0])[0]:,.0f}"
    if kind == "zipfshare":
        return f"{zipf_bound(args[0])[1]:.0%}"
    if kind == "zipfmet":
        return "yes" if zipf_bound(args[0])[1] >= float(args[1]) else "no"
    if kind == "abtable":
        # {{abtable FOLDER WORKLOADS [BEFORE_LABEL AFTER_LABEL [STORE FLOOR]]}}, labels with _ for spaces.
        labels = [a.replace("_", " ") for a in args[2:4]]
        return ab_table(args[0], args[1], *labels, *args[4:6])
    if kind == "sidetable":
        # {{sidetable FOLDER WORKLOADS A B FLOOR_A FLOOR_B}}: two settings measured side by side in each run.
        return side_table(*args)
    if kind == "abmedian":
        # {{abmedian FOLDER WORKLOAD THREADS [SYSTEM]}}: the median over an A/B's pairs of new/base for the store
        # (optimized, or SYSTEM).
        from statistics import median
        folder, workload, threads = args[:3]
        system = args[3] if len(args) > 3 else "optimized"
        return f"{median(cell(new, workload, system, threads) / cell(base, workload, system, threads) for base, new in ab_pairs(folder)):.2f}"
    if kind == "abpeer":
        # {{abpeer FOLDER base|new WORKLOAD SYSTEM OTHER THREADS}}: SYSTEM / OTHER in each run of one side, "r1 / r2 / r3".
        folder, side, workload, system, other, threads = args
        runs = [pair[0 if side == "base" else 1] for pair in ab_pairs(folder)]
        return " / ".join(f"{cell(run, workload, system, threads) / cell(run, workload, other, threads):.2f}" for run in runs)
    if kind == "groupshare":
        # {{groupshare FILE [SYSTEM]}}: 8 concurrent writers' creates/s as a share of one writer's batch-100 documents/s.
        system = args[1] if len(args) > 1 else "optimized"
        return f"{cell(args[0], 'create-concurrent', system, 8) / (cell(args[0], 'create-batch-100', system, 1) * 100):.2f}"
    if kind == "peertable":
        return peer_table(args[0])
    if kind == "docsps":
        return f"{cell(*args) * 100:,.0f}"
    raise ValueError(kind)

template = (root / "docs/PERFORMANCE.template.md").read_text()
(root / "PERFORMANCE.md").write_text(re.sub(r"\{\{(.+?)\}\}", replace, template))
print("wrote PERFORMANCE.md")

# The README's comparison with the peers, from the same run.
readme = root / "README.md"
text = readme.read_text()
block = "<!-- peers:begin -->\n" + peer_table("compare.json") + f"\n\n_{load('compare.json')['meta']['machine']}, commit {load('compare.json')['meta']['commit']}_\n<!-- peers:end -->"
readme.write_text(re.sub(r"<!-- peers:begin -->.*?<!-- peers:end -->", lambda _: block, text, flags=re.S))
print("wrote README.md's comparison with the peers")
