using DocStore.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DocStore.Tests;

/// <summary>
/// The EF Core model the store runs with is the compiled one (src/DocStore/Data/CompiledModel, made by
/// scripts/compiled-model.sh); it must say what <see cref="DocStoreDbContext"/>'s OnModelCreating says, or a change to
/// the model would be silently ignored at run time.
/// </summary>
public sealed class CompiledModelTest
{
    [Fact]
    public void The_compiled_model_maps_every_entity_as_OnModelCreating_does()
    {
        using var db = new DocStoreDbContext(new DbContextOptionsBuilder<DocStoreDbContext>().UseSqlite("Data Source=:memory:").Options);
        var compiled = db.Model;
        var built = db.GetService<IDesignTimeModel>().Model;

        Assert.IsType<Data.CompiledModel.DocStoreDbContextModel>(compiled);
        Assert.Equal(Describe(built), Describe(compiled));
    }

    /// <summary>Every entity's table, columns (type, nullability, concurrency), keys and relationships, one line each.</summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var tables = entity.GetMappingFragments().Select(f => f.StoreObject).Prepend(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema())).ToList();
            lines.Add($"{entity.Name} -> {string.Join(", ", tables.Select(t => t.Name))}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var columns = string.Join(", ", tables.Select(t => $"{t.Name}.{property.GetColumnName(t)}"));
                lines.Add($"  {property.Name} {property.ClrType.Name} columns {columns} nullable {property.IsNullable} token {property.IsConcurrencyToken} converter {property.GetValueConverter()?.ProviderClrType.Name}");
            }

            lines.Add($"  key {string.Join(",", entity.FindPrimaryKey()!.Properties.Select(p => p.Name))}");
            foreach (var key in entity.GetForeignKeys().OrderBy(k => k.PrincipalEntityType.Name, StringComparer.Ordinal))
            {
                lines.Add($"  fk {string.Join(",", key.Properties.Select(p => p.Name))} -> {key.PrincipalEntityType.Name} on delete {key.DeleteBehavior}");
            }
        }

        return lines;
    }
}
