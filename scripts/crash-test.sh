#!/usr/bin/env bash
# The long crash campaigns behind the README's durability figures: a writer killed with SIGKILL at random
# moments, the file checked after every kill (see tests/DocStore.TestHost/CrashCampaign.cs), for both
# durability modes, plaintext and encrypted, then kills during key rotations.
# Usage: scripts/crash-test.sh [KILLS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-200}"
source scripts/lib/apt.sh
ensure_system_packages
dotnet build tests/DocStore.TestHost -c Release --nologo -v quiet -warnaserror
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The campaigns run from a copy of the build, so a build of the repository during a long run cannot swap
# assemblies under the children it starts.
cp -r tests/DocStore.TestHost/bin/Release/net10.0 "$work/host"
host="$work/host/DocStore.TestHost.dll"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version)"
for durability in normal full; do
  for mode in plain encrypted; do
    dir="$work/$durability-$mode"; mkdir -p "$dir"
    args=("$dir" "$kills" "$durability")
    [ "$mode" = encrypted ] && args+=(encrypted)
    echo "crash-campaign $durability $mode: $(dotnet "$host" crash-campaign "${args[@]}")"
  done
done
mkdir -p "$work/rotation"
echo "rotation-campaign: $(dotnet "$host" rotation-campaign "$work/rotation" "$kills")"
