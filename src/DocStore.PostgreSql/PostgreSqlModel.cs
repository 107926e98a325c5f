using DocStore.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.Conventions;

namespace DocStore.PostgreSql;

/// <summary>
/// The store's EF Core model with Npgsql's conventions, built once per process. The context's assembly carries a
/// model compiled for SQLite, which EF Core would otherwise pick up for every provider.
/// </summary>
internal static class PostgreSqlModel
{
    private static readonly Lazy<IModel> Model = new(Build);

    public static IModel Instance => Model.Value;

    private static IModel Build()
    {
        var builder = new ModelBuilder(NpgsqlConventionSetBuilder.Build());
        DocStoreDbContext.Configure(builder);
        return builder.FinalizeModel();
    }
}
