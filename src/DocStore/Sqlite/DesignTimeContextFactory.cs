using DocStore.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DocStore.Sqlite;

/// <summary>Lets <c>dotnet ef dbcontext optimize</c> build the model it compiles (see scripts/compiled-model.sh); never used at run time.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<DocStoreDbContext>
{
    public DocStoreDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DocStoreDbContext>().UseSqlite("Data Source=:memory:").Options);
}
