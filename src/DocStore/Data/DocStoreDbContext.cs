using DocStore.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocStore.Data;

/// <summary>The EF Core model of the write path and the plain read path, mapped onto <see cref="Sqlite.StoreSchema"/>'s tables.</summary>
internal sealed class DocStoreDbContext : DbContext
{
    public DocStoreDbContext(DbContextOptions<DocStoreDbContext> options)
        : base(options)
    {
    }

    public DbSet<DocumentEntity> Documents => Set<DocumentEntity>();

    public DbSet<DocumentTagEntity> Tags => Set<DocumentTagEntity>();

    public DbSet<DocumentVersionEntity> Versions => Set<DocumentVersionEntity>();

    public DbSet<AuditEntryEntity> Audit => Set<AuditEntryEntity>();

    /// <summary>The write group being committed on this context, for <see cref="Writes.CommitHooks"/>; null outside a write's COMMIT.</summary>
    internal Writes.PendingCommit? PendingCommit { get; set; }

    /// <summary>The engine's <c>json_extract</c> (SQLite's own; a function of the schema elsewhere), for metadata filters. Only translatable, never called.</summary>
    public static string? JsonExtract(string json, string path) =>
        throw new InvalidOperationException("JsonExtract runs only inside a LINQ query.");

    protected override void OnModelCreating(ModelBuilder modelBuilder) => Configure(modelBuilder);

    /// <summary>
    /// The model, for any engine: SQLite's is compiled from it ahead of time (Data/CompiledModel), another engine builds
    /// it with its own conventions. Each engine provides <c>json_extract</c> and a <c>NOCASE</c> collation.
    /// </summary>
    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDbFunction(typeof(DocStoreDbContext).GetMethod(nameof(JsonExtract))!)
            .HasName("json_extract")
            .IsBuiltIn();

        modelBuilder.Entity<DocumentEntity>(b =>
        {
            b.ToTable("documents");
            b.HasKey(d => d.Id);
            b.Property(d => d.Id).HasColumnName("id");
            b.Property(d => d.Uuid).HasColumnName("uuid");
            MapContent(b);
            b.Property(d => d.Version).HasColumnName("version").IsConcurrencyToken();
            b.Property(d => d.CreatedAt).HasColumnName("created_at");
            b.Property(d => d.UpdatedAt).HasColumnName("updated_at");
            b.Property(d => d.UpdatedBy).HasColumnName("updated_by");
            b.Property(d => d.TitleKey).HasColumnName("title_key");
            // Entity splitting: read counts live in document_reads, one row per document (Sqlite/StoreSchema).
            b.SplitToTable("document_reads", t =>
            {
                t.Property(d => d.Id).HasColumnName("document_id");
                t.Property(d => d.LastAccessedAt).HasColumnName("last_accessed_at");
                t.Property(d => d.AccessCount).HasColumnName("access_count");
            });
            b.HasMany(d => d.TagRows).WithOne(t => t.Document).HasForeignKey(t => t.DocumentId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany<DocumentVersionEntity>().WithOne(v => v.Document).HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DocumentTagEntity>(b =>
        {
            b.ToTable("document_tags");
            b.HasKey(t => new { t.Tag, t.DocumentId });
            b.Property(t => t.Tag).HasColumnName("tag");
            b.Property(t => t.DocumentId).HasColumnName("document_id");
        });

        modelBuilder.Entity<DocumentVersionEntity>(b =>
        {
            b.ToTable("document_versions");
            b.HasKey(v => v.Id);
            b.Property(v => v.Id).HasColumnName("id");
            b.Property(v => v.DocumentId).HasColumnName("document_id");
            b.Property(v => v.Version).HasColumnName("version");
            MapContent(b);
            b.Property(v => v.CreatedAt).HasColumnName("created_at");
            b.Property(v => v.Actor).HasColumnName("actor");
        });

        modelBuilder.Entity<AuditEntryEntity>(b =>
        {
            b.ToTable("audit_log", t =>
            {
                t.HasTrigger("audit_log_no_update");
                t.HasTrigger("audit_log_no_delete");
            });
            b.HasKey(a => a.Id);
            b.Property(a => a.Id).HasColumnName("id");
            b.Property(a => a.At).HasColumnName("at");
            b.Property(a => a.Operation).HasColumnName("operation").HasConversion<string>();
            b.Property(a => a.DocumentId).HasColumnName("document_id");
            b.Property(a => a.Version).HasColumnName("version");
            b.Property(a => a.Actor).HasColumnName("actor");
            b.Property(a => a.Outcome).HasColumnName("outcome").HasConversion<string>();
            b.Property(a => a.Error).HasColumnName("error");
            b.Property(a => a.DurationMicroseconds).HasColumnName("duration_us");
            // No foreign key in the schema (the log outlives hard-deleted documents) and nothing done to rows on delete:
            // the relationship only lets a create's audit row take its document's new id in the same SaveChanges.
            b.HasOne(a => a.Document).WithMany().HasForeignKey(a => a.DocumentId).OnDelete(DeleteBehavior.ClientNoAction);
        });
    }

    /// <summary>Maps the content columns a document and a version share, from the one list of their names.</summary>
    private static void MapContent<T>(EntityTypeBuilder<T> b)
        where T : ContentRow
    {
        foreach (var (property, column) in ContentColumns.Properties)
        {
            b.Property(property).HasColumnName(column);
        }
    }
}
