using Microsoft.EntityFrameworkCore;

namespace DocStore.Bench.Systems.Peers;

/// <summary>The EF Core peer's context: the plain rows, an index for the listing by type.</summary>
public sealed class PeerDbContext(DbContextOptions<PeerDbContext> options) : DbContext(options)
{
    public DbSet<PeerRow> Documents => Set<PeerRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var row = modelBuilder.Entity<PeerRow>();
        row.ToTable("docs");
        row.HasKey(d => d.Id);
        row.HasIndex(d => d.Uuid).IsUnique();
        row.HasIndex(d => new { d.Type, d.UpdatedAt });
    }
}
