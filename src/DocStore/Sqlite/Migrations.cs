namespace DocStore.Sqlite;

/// <summary>
/// The upgrade steps from one schema version to the next, applied in order by <see cref="StoreSchema.Open"/>,
/// each in one transaction together with its new <c>user_version</c>, so a failed step leaves the file as
/// it was before that step. A new file gets <see cref="StoreSchema.CreateScript"/> directly.
/// </summary>
internal static class Migrations
{
    /// <summary>
    /// Every step, oldest first. Append new steps; never change what a shipped one does (step 6 shares its full-text
    /// DDL with a new file's schema, so that DDL changes only through a step of its own).
    /// </summary>
    public static readonly IReadOnlyList<Migration> All =
    [
        new(
            2,
            "removed the full-text triggers of schema 1, added its later indexes and rebuilt the index",
            // Schema 1 kept the index in step with triggers; since the write path indexes each change itself,
            // files that kept them indexed every change twice (FTS5 integrity-check then fails). Rebuilding
            // re-reads every document once. Builds that still called their schema 1 also added indexes (and
            // widened two) without marking the file, so early files get them here.
            """
            DROP INDEX IF EXISTS ix_documents_updated;
            CREATE INDEX ix_documents_updated ON documents(updated_at, status);
            DROP INDEX IF EXISTS ix_documents_created;
            CREATE INDEX ix_documents_created ON documents(created_at, status);
            CREATE INDEX IF NOT EXISTS ix_documents_type_status ON documents(type, status);
            DROP TRIGGER IF EXISTS documents_fts_insert;
            DROP TRIGGER IF EXISTS documents_fts_delete;
            DROP TRIGGER IF EXISTS documents_fts_update;
            INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
            """),
        new(
            3,
            "indexed tags as words (through the documents_fts_source view) instead of their JSON text",
            // Tags stored by older builds may hold JSON escapes (caf\u00e9): rewritten unescaped first, so the
            // view below, which strips the JSON punctuation, sees the tags as they read.
            """
            UPDATE documents SET tags = (SELECT json_group_array(value) FROM json_each(documents.tags)) WHERE instr(tags, '\') > 0;
            DROP TABLE documents_fts;
            CREATE VIEW documents_fts_source AS
                SELECT id, title, content, replace(replace(replace(replace(tags, '","', ' '), '["', ''), '"]', ''), '[]', '') AS tags
                FROM documents;
            CREATE VIRTUAL TABLE documents_fts USING fts5(
                title, content, tags,
                content='documents_fts_source', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2'
            );
            INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
            """),
        new(
            4,
            "kept each document's current version in documents alone (no duplicate snapshot) and moved full-text merging out of write transactions",
            """
            ALTER TABLE documents ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
            UPDATE documents SET updated_by = coalesce((SELECT actor FROM document_versions v WHERE v.document_id = documents.id AND v.version = documents.version), '');
            DELETE FROM document_versions WHERE EXISTS (SELECT 1 FROM documents d WHERE d.id = document_versions.document_id AND d.version = document_versions.version);
            INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 0);
            """),
        new(
            5,
            "indexed source paths and content hashes, so an import run again finds what it stored already",
            """
            CREATE INDEX ix_documents_source_path ON documents(source_path) WHERE source_path IS NOT NULL;
            CREATE INDEX ix_documents_content_hash ON documents(content_hash);
            """),
        new(
            6,
            "moved soft-deleted documents to a full-text index of their own (searches count and rank on one index) and indexed live documents for listings",
            $$"""
            DROP TABLE documents_fts;
            DROP VIEW documents_fts_source;
            {{StoreSchema.FullTextIndexesDdl}}
            INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
            INSERT INTO documents_trash_fts(documents_trash_fts) VALUES ('rebuild');
            INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 0);
            INSERT INTO documents_trash_fts(documents_trash_fts, rank) VALUES ('automerge', 0);
            CREATE INDEX ix_documents_live_type ON documents(type, updated_at) WHERE status <> 3;
            CREATE INDEX ix_documents_live_updated ON documents(updated_at) WHERE status <> 3;
            """),
        new(
            7,
            "added each document's title key (its title without section number, case or punctuation) for exact-title search",
            $"""
            ALTER TABLE documents ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
            UPDATE documents SET title_key = {Search.TitleKey.SqlFunction}(title);
            CREATE INDEX ix_documents_title_key ON documents(title_key);
            """),
        new(
            8,
            "moved read counts out of the documents table into document_reads (a write of counts no longer rewrites each read document's page)",
            // DROP COLUMN rewrites the documents table once; its columns may not be indexed, so the index goes first.
            """
            CREATE TABLE document_reads (
                document_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                access_count     INTEGER NOT NULL DEFAULT 0,
                last_accessed_at INTEGER
            );
            INSERT INTO document_reads (document_id, access_count, last_accessed_at) SELECT id, access_count, last_accessed_at FROM documents;
            CREATE INDEX ix_document_reads_count ON document_reads(access_count);
            DROP INDEX ix_documents_access;
            ALTER TABLE documents DROP COLUMN access_count;
            ALTER TABLE documents DROP COLUMN last_accessed_at;
            """),
        new(
            9,
            "kept only the listing indexes a query reads, one per listing (each index costs every write that changes its columns)",
            """
            DROP INDEX IF EXISTS ix_documents_live_type;
            DROP INDEX IF EXISTS ix_documents_live_updated;
            DROP INDEX IF EXISTS ix_documents_type_status;
            DROP INDEX IF EXISTS ix_documents_type_updated;
            CREATE INDEX ix_documents_type_updated ON documents(type, updated_at, status);
            """),
        new(
            10,
            "stored UUIDs and content hashes as 16- and 32-byte blobs instead of text",
            // SQLite cannot change a column's type, so both tables are rebuilt the documented way: foreign keys off
            // around the upgrade (StoreSchema.Upgrade), the views that read documents dropped before the rename and
            // created again after it. Ids are kept, so the full-text indexes' rowids stay valid, and AUTOINCREMENT's
            // high-water mark is carried over, so the id of a hard-deleted document is still never reused. Hashes are
            // computed again from the content rather than converted (old files may hold hashes of another form).
            $$"""
            DROP VIEW documents_fts_source;
            DROP VIEW documents_trash_source;

            CREATE TABLE documents_new (
                {{StoreSchema.DocumentsColumnsDdl}}
            );
            INSERT INTO documents_new (id, uuid, title, type, status, content, format, language, source_path, tags, metadata, content_hash, size_bytes, version, created_at, updated_at, updated_by, title_key)
                SELECT id, {{UuidBlobFunction}}(uuid), title, type, status, content, format, language, source_path, tags, metadata, {{ContentHashFunction}}(content), size_bytes, version, created_at, updated_at, updated_by, title_key
                FROM documents;
            DELETE FROM sqlite_sequence WHERE name = 'documents_new';
            INSERT INTO sqlite_sequence (name, seq) SELECT 'documents_new', seq FROM sqlite_sequence WHERE name = 'documents';
            DROP TABLE documents;
            ALTER TABLE documents_new RENAME TO documents;
            {{StoreSchema.DocumentsIndexesDdl}}

            CREATE TABLE document_versions_new (
                {{StoreSchema.VersionsColumnsDdl}}
            );
            INSERT INTO document_versions_new (id, document_id, version, title, type, status, content, format, language, source_path, tags, metadata, content_hash, size_bytes, created_at, actor)
                SELECT id, document_id, version, title, type, status, content, format, language, source_path, tags, metadata, {{ContentHashFunction}}(content), size_bytes, created_at, actor
                FROM document_versions;
            DROP TABLE document_versions;
            ALTER TABLE document_versions_new RENAME TO document_versions;

            {{StoreSchema.FullTextSourcesDdl}}
            """),
        new(
            11,
            "read each listing's page in (time, id) order straight off its index, and kept how many documents each type and status has for listing totals",
            $$"""
            DROP INDEX IF EXISTS ix_documents_updated;
            DROP INDEX IF EXISTS ix_documents_type_updated;
            DROP INDEX IF EXISTS ix_documents_created;
            {{StoreSchema.TimeIndexesDdl}}
            {{StoreSchema.DocumentCountsDdl}}
            INSERT INTO document_counts (type, status, documents) SELECT type, status, count(*) FROM documents GROUP BY type, status;
            """),
    ];

    /// <summary>SQL function of step 10: a UUID's text as its stored bytes.</summary>
    public const string UuidBlobFunction = "docstore_uuid_blob";

    /// <summary>SQL function of step 10: a content's hash as stored.</summary>
    public const string ContentHashFunction = "docstore_content_hash";

    /// <summary>The steps a file at <paramref name="version"/> needs, in order.</summary>
    public static IEnumerable<Migration> After(int version) => All.Where(m => m.Version > version);
}

/// <summary>One upgrade step.</summary>
/// <param name="Version">The schema version the step produces.</param>
/// <param name="Description">What it changes, for the log.</param>
/// <param name="Script">The SQL, run in one transaction.</param>
internal sealed record Migration(int Version, string Description, string Script);
