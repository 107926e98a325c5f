#!/usr/bin/env bash
# Packaging test (run by .ci/run): packs every package into a local folder with a unique pre-release version,
# builds and runs a fresh console project outside the solution against those packages, then installs the
# docstore tool from the folder and runs `docstore --help` and `docstore verify` on the store the program made.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.9.0-ci.$(date +%s)"
feed="$work/feed"

echo "== pack $version"
for project in src/DocStore src/DocStore.Fast src/DocStore.PostgreSql src/DocStore.Hosting src/DocStore.Cli; do
  dotnet pack "$project" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
done
ls "$feed"

# Every package carries its metadata, README, licence and symbols.
for package in DocStore DocStore.Fast DocStore.PostgreSql DocStore.Hosting DocStore.Cli; do
  nupkg="$feed/$package.$version.nupkg"
  [ -f "$feed/$package.$version.snupkg" ] || { echo "missing symbols package for $package" >&2; exit 1; }
  nuspec=$(unzip -p "$nupkg" "$package.nuspec")
  for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git"' '<description>'; do
    grep -qF "$field" <<< "$nuspec" || { echo "$package: nuspec lacks $field" >&2; exit 1; }
  done
  # The listing is captured first: with pipefail, grep -q closing the pipe early would fail unzip (SIGPIPE).
  listing=$(unzip -l "$nupkg")
  grep -q ' README.md$' <<< "$listing" || { echo "$package: README.md not in the package" >&2; exit 1; }
done

echo "== a fresh console project on the packages"
app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="docstore-local" value="$feed" />
  </packageSources>
</configuration>
XML
cat > "$app/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="DocStore.Fast" Version="$version" />
    <PackageReference Include="DocStore.Hosting" Version="$version" />
    <PackageReference Include="DocStore.PostgreSql" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$app/Program.cs" <<'CS'
using DocStore;
using DocStore.Fast;

var path = args[0];
await using (var store = new OptimizedStorageSystem(new OptimizedStorageOptions { DatabasePath = path }))
{
    var created = await store.CreateAsync(new NewDocument { Title = "Packaged", Type = "note", Content = "installed from a local feed" });
    var read = await store.GetAsync(created.Id) ?? throw new InvalidOperationException("not found");
    var hits = await store.SearchAsync(new SearchQuery { Text = "feed" });
    Console.WriteLine($"created {read.Id} '{read.Title}', {hits.TotalCount} hit");
}

// The PostgreSQL engine is found from its package: with no server on the port, opening fails as a typed
// connection error, not as a missing engine.
try
{
    using var remote = new LocalStorageSystem(new DocStoreOptions { Engine = DocStoreEngine.PostgreSql, ConnectionString = "Host=127.0.0.1;Port=1;Timeout=2" });
}
catch (StorageException e) when (e.Kind == StorageErrorKind.CannotOpen)
{
    Console.WriteLine("postgresql engine loaded");
}
CS
# The app folder is outside the repository: no Directory.Build.props or central versions apply.
( cd "$app" && dotnet run -c Release -- "$work/packaged.db" ) | tee "$work/run.txt"
grep -q "created 1 'Packaged', 1 hit" "$work/run.txt"
grep -q "postgresql engine loaded" "$work/run.txt"
grep -q "\"DocStore.Fast/$version\"" "$app/obj/project.assets.json"

echo "== the docstore tool from the folder"
dotnet tool install DocStore.Cli --tool-path "$work/tools" --add-source "$feed" --version "$version" >/dev/null
help=$("$work/tools/docstore" --help)
grep -q "Exit codes:" <<< "$help"
"$work/tools/docstore" verify --store "$work/packaged.db"
echo "package test passed ($version)"
