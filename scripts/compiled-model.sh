#!/usr/bin/env bash
# Regenerates EF Core's compiled model (src/DocStore/Data/CompiledModel) after a change to DocStoreDbContext's model.
# CompiledModelTest fails while the compiled model and OnModelCreating disagree. The Design package is added for the
# run only (the library does not ship with it) and the generated types are made internal.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool list --global | grep -q dotnet-ef || dotnet tool install --global dotnet-ef --version 10.0.14
export PATH="$PATH:$HOME/.dotnet/tools"
cp src/DocStore/DocStore.csproj /tmp/DocStore.csproj.bak
cp Directory.Packages.props /tmp/Directory.Packages.props.bak
restore() { cp /tmp/DocStore.csproj.bak src/DocStore/DocStore.csproj; cp /tmp/Directory.Packages.props.bak Directory.Packages.props; }
trap restore EXIT
# The Design package needs Roslyn 5; the central pin of 4.3.1 is for BenchmarkDotNet only.
sed -i 's|<PackageVersion Include="Microsoft.CodeAnalysis.CSharp" Version="4.3.1" />|<PackageVersion Include="Microsoft.CodeAnalysis.CSharp" Version="5.0.0" /><PackageVersion Include="Microsoft.EntityFrameworkCore.Design" Version="10.0.14" />|' Directory.Packages.props
sed -i 's|<PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" />|&<PackageReference Include="Microsoft.EntityFrameworkCore.Design" PrivateAssets="all" />|' src/DocStore/DocStore.csproj
rm -rf src/DocStore/Data/CompiledModel
(cd src/DocStore && dotnet restore -v quiet && dotnet ef dbcontext optimize --context DocStoreDbContext --output-dir Data/CompiledModel --namespace DocStore.Data.CompiledModel)
sed -i 's/^    public partial class /    internal partial class /' src/DocStore/Data/CompiledModel/*.cs
restore
trap - EXIT
dotnet restore -v quiet
echo "Regenerated src/DocStore/Data/CompiledModel."
