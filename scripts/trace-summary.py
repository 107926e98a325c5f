#!/usr/bin/env python3
"""Summarises a dotnet-trace Speedscope file: the share of the time spent under ROOT (e.g. WritePipeline.RunGroup)
that each frame below it took, inclusive, for the library's, EF Core's and Microsoft.Data.Sqlite's frames.
Usage: trace-summary.py FILE.speedscope.json ROOT [ROWS]"""
import collections
import json
import sys

data = json.load(open(sys.argv[1]))
root = sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40
frames = data["shared"]["frames"]
inclusive = collections.Counter()
total = 0.0
for profile in data["profiles"]:
    stack = []
    for event in profile.get("events", []):
        if event["type"] == "O":
            stack.append((event["frame"], event["at"]))
            continue
        frame, opened = stack.pop()
        name = frames[frame]["name"]
        above = [frames[f]["name"] for f, _ in stack]
        under_root = any(root in n for n in above)
        if root in name and not under_root:
            total += event["at"] - opened
        if (under_root or root in name) and name not in above:
            inclusive[name] += event["at"] - opened

print(f"time under {root}: {total / 1000:,.1f} s")
wanted = ("DocStore!", "EntityFrameworkCore", "Microsoft.Data.Sqlite!")
for name, spent in [x for x in inclusive.most_common() if any(w in x[0] for w in wanted)][:rows]:
    short = name.split("!", 1)[1].split("(")[0]
    print(f"{100 * spent / total:5.1f}%  {short}")
