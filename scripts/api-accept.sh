#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to its project's PublicAPI.Unshipped.txt.
# Run it after a deliberate API change, then read the diff: that diff is the API change.
set -euo pipefail
cd "$(dirname "$0")/.."
# A project's errors show only once the projects it depends on build, so go round until none is left.
for _ in 1 2 3 4; do
  found=$(dotnet build DocStore.sln -c Release --nologo -v quiet 2>&1 | grep 'RS0016' \
    | sed -E "s#^(.*/src/[^/]+)/.*Symbol '([^']*)' is not part.*#\1|\2#" | sort -u || true)
  [ -z "$found" ] && break
  while IFS='|' read -r project symbol; do
    grep -qxF "$symbol" "$project/PublicAPI.Unshipped.txt" || echo "$symbol" >> "$project/PublicAPI.Unshipped.txt"
  done <<< "$found"
done
dotnet build DocStore.sln -c Release --nologo -v quiet -warnaserror | tail -3
