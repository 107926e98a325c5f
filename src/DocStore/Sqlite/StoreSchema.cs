using DocStore.Internal;
using DocStore.Search;
using DocStore.Validation;
using Microsoft.Data.Sqlite;

namespace DocStore.Sqlite;

/// <summary>
/// Opens a file as a DocStore: refuses files it does not understand, creates the schema of a new file,
/// upgrades an older file step by step (<see cref="Migrations"/>), checks that the schema is whole
/// (<see cref="SchemaCheck"/>), and keeps the file in WAL mode. Plain DDL rather than EF Core's
/// EnsureCreated, because the FTS5 table and its content view are outside EF's model.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The schema version this build writes, recorded in <c>PRAGMA user_version</c>.</summary>
    public const int CurrentVersion = 11;

    /// <summary>'DCST': marks a file as DocStore's (<c>PRAGMA application_id</c>).</summary>
    public const int ApplicationId = 0x44435354;

    /// <summary>Status value of <see cref="DocumentStatus.Deleted"/> as stored, for SQL text.</summary>
    public const int DeletedStatus = (int)DocumentStatus.Deleted;

    /// <summary>
    /// The columns of a document's content, in <see cref="Sql.ContentColumns"/>'s order: the documents table and the
    /// document_versions table (the versions a change replaced) both hold them.
    /// </summary>
    internal const string ContentColumnsDdl = """
        title        TEXT    NOT NULL,
        type         TEXT    NOT NULL,
        status       INTEGER NOT NULL,
        content      TEXT    NOT NULL,
        format       TEXT    NOT NULL,
        language     TEXT,
        source_path  TEXT,
        tags         TEXT    NOT NULL DEFAULT '[]',
        metadata     TEXT    NOT NULL DEFAULT '{}',
        content_hash BLOB    NOT NULL,
        size_bytes   INTEGER NOT NULL,
        """;

    /// <summary>
    /// The two full-text indexes and the views they read (since schema 6; <see cref="Migrations"/> step 6 creates them too, so a later change to them needs a step of its own that drops and recreates them).
    /// </summary>
    internal const string FullTextIndexesDdl = $$"""
        {{FullTextSourcesDdl}}
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, content, tags,
            content='documents_fts_source', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE documents_trash_fts USING fts5(
            title, content, tags,
            content='documents_trash_source', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        """;

    /// <summary>The views the two full-text indexes read their text from: live documents, and the trash.</summary>
    internal const string FullTextSourcesDdl = """
        CREATE VIEW documents_fts_source AS
            SELECT id, title, content, replace(replace(replace(replace(tags, '","', ' '), '["', ''), '"]', ''), '[]', '') AS tags
            FROM documents WHERE status <> 3;
        CREATE VIEW documents_trash_source AS
            SELECT id, title, content, replace(replace(replace(replace(tags, '","', ' '), '["', ''), '"]', ''), '[]', '') AS tags
            FROM documents WHERE status = 3;
        """;

    /// <summary>
    /// The columns of the documents table (since schema 10; <see cref="Migrations"/> step 10 rebuilds the table from
    /// them, so a later change to them needs a step of its own).
    /// </summary>
    internal const string DocumentsColumnsDdl = $$"""
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid             BLOB    NOT NULL UNIQUE,
        {{ContentColumnsDdl}}
        version          INTEGER NOT NULL,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        updated_by       TEXT    NOT NULL DEFAULT '',
        title_key        TEXT    NOT NULL DEFAULT ''
        """;

    /// <summary>
    /// The indexes of the documents table (step 10 recreates them after rebuilding the table; step 11 drops and creates
    /// the three time indexes again, so a later change needs a step of its own).
    /// </summary>
    internal const string DocumentsIndexesDdl = $$"""
        -- Each index is one a listing or lookup reads (QueryPlanTest asserts each plan, and that no other index exists):
        -- every index costs each write that changes its columns.
        {{TimeIndexesDdl}}
        CREATE INDEX ix_documents_status_updated ON documents(status, updated_at);
        CREATE INDEX ix_documents_title ON documents(title COLLATE NOCASE);
        -- A search whose text is a document's title finds that document here (Search/TitleKey).
        CREATE INDEX ix_documents_title_key ON documents(title_key);
        -- An import run again finds what it stored already by source path, or by content.
        CREATE INDEX ix_documents_source_path ON documents(source_path) WHERE source_path IS NOT NULL;
        CREATE INDEX ix_documents_content_hash ON documents(content_hash);
        """;

    /// <summary>
    /// The listings by time (since schema 11). The id follows the time, so a page in (time, id) order is read off the
    /// index as it stands, never sorted (documents written together share their time: an import's thousand documents
    /// otherwise sorted whole for each page); status rides along at the end, so a listing's total ("how many since t")
    /// is counted in the index alone, never visiting rows (a partial index on live documents is not enough: SQLite
    /// still reads each row to test its status).
    /// </summary>
    internal const string TimeIndexesDdl = """
        CREATE INDEX ix_documents_updated ON documents(updated_at, id, status);
        CREATE INDEX ix_documents_type_updated ON documents(type, updated_at, id, status);
        CREATE INDEX ix_documents_created ON documents(created_at, id, status);
        """;

    /// <summary>
    /// How many documents each (type, status) has (since schema 11), kept by triggers on every insert, delete and change
    /// of type or status, so the total of a listing filtered by type and status alone is one short read, not a count of
    /// every matching index entry. A step that rebuilds the documents table must create the triggers again.
    /// </summary>
    internal const string DocumentCountsDdl = """
        CREATE TABLE document_counts (
            type      TEXT    NOT NULL,
            status    INTEGER NOT NULL,
            documents INTEGER NOT NULL,
            PRIMARY KEY (type, status)
        ) WITHOUT ROWID;
        CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN
            INSERT INTO document_counts (type, status, documents) VALUES (new.type, new.status, 1)
                ON CONFLICT (type, status) DO UPDATE SET documents = documents + 1;
        END;
        CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN
            UPDATE document_counts SET documents = documents - 1 WHERE type = old.type AND status = old.status;
        END;
        CREATE TRIGGER documents_count_update AFTER UPDATE OF type, status ON documents
            WHEN old.type IS NOT new.type OR old.status IS NOT new.status BEGIN
            UPDATE document_counts SET documents = documents - 1 WHERE type = old.type AND status = old.status;
            INSERT INTO document_counts (type, status, documents) VALUES (new.type, new.status, 1)
                ON CONFLICT (type, status) DO UPDATE SET documents = documents + 1;
        END;
        """;

    /// <summary>The columns of the document_versions table (since schema 10, rebuilt by step 10 as the documents table is).</summary>
    internal const string VersionsColumnsDdl = $$"""
        id           INTEGER PRIMARY KEY,
        document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        {{ContentColumnsDdl}}
        created_at   INTEGER NOT NULL,
        actor        TEXT    NOT NULL,
        UNIQUE (document_id, version)
        """;

    /// <summary>The whole schema of a new file, at <see cref="CurrentVersion"/>.</summary>
    internal const string CreateScript = $$"""
        CREATE TABLE documents (
            {{DocumentsColumnsDdl}}
        );
        {{DocumentsIndexesDdl}}
        {{DocumentCountsDdl}}

        -- Read counts live apart from the documents' wide rows (one row per document, written with it): a write of
        -- counts then rewrites a few pages of 20-byte rows instead of the 4 KB page of every document read.
        CREATE TABLE document_reads (
            document_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            access_count     INTEGER NOT NULL DEFAULT 0,
            last_accessed_at INTEGER
        );
        CREATE INDEX ix_document_reads_count ON document_reads(access_count);

        CREATE TABLE document_tags (
            tag         TEXT    NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (tag, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_document_tags_document ON document_tags(document_id);

        -- The versions a document's changes replaced; its current version lives in documents alone.
        CREATE TABLE document_versions (
            {{VersionsColumnsDdl}}
        );

        CREATE TABLE audit_log (
            id          INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            operation   TEXT    NOT NULL,
            document_id INTEGER,
            version     INTEGER,
            actor       TEXT    NOT NULL,
            outcome     TEXT    NOT NULL,
            error       TEXT,
            duration_us INTEGER NOT NULL
        );
        CREATE INDEX ix_audit_log_document ON audit_log(document_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

        -- Two full-text indexes: live documents, and the trash (soft-deleted ones), so a search counts and ranks
        -- on its index alone, never joining every match to the documents to test their status. Each reads its
        -- text through a view that presents tags as words (plain string functions, not json_each: FTS5 cannot
        -- read a content view that calls a table-valued function). Kept in sync by the write path's own
        -- statements in each write's transaction (Sqlite/FtsIndexWriter), not by triggers.
        {{FullTextIndexesDdl}}
        -- No merging inside write transactions: Sqlite/FullTextMerger merges in the background (crisismerge
        -- still bounds the segments per level, so search never degrades without bound).
        INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 0);
        INSERT INTO documents_trash_fts(documents_trash_fts, rank) VALUES ('automerge', 0);
        """;

    /// <summary>
    /// Makes <paramref name="connection"/>'s file a DocStore at <see cref="CurrentVersion"/>: creates a
    /// new file's schema, or upgrades an older one step after step in one transaction that ends with the
    /// check of the whole schema. Leaves the file byte-identical when it refuses it.
    /// </summary>
    /// <param name="connection">An open read-write connection (the writer).</param>
    /// <param name="log">Receives one line per upgrade step applied.</param>
    /// <exception cref="SchemaVersionException">The file is newer than this build, or belongs to another application.</exception>
    /// <exception cref="StoreCorruptedException">The file claims to be a DocStore but its schema is incomplete.</exception>
    public static void Open(SqliteConnection connection, Action<string>? log = null)
    {
        var appId = Db.Scalar<long>(connection, "PRAGMA application_id");
        var userVersion = Db.Scalar<long>(connection, "PRAGMA user_version");

        if (appId != 0 && appId != ApplicationId)
        {
            throw new SchemaVersionException(
                $"The file '{connection.DataSource}' belongs to another application (application_id 0x{appId:X8}); DocStore will not change it.",
                userVersion,
                CurrentVersion);
        }

        if (userVersion > CurrentVersion)
        {
            throw new SchemaVersionException(
                $"The file '{connection.DataSource}' has DocStore schema version {userVersion}, newer than the {CurrentVersion} this build understands. Upgrade DocStore to open it; the file was not changed.",
                userVersion,
                CurrentVersion);
        }

        if (userVersion == 0)
        {
            // A file with other tables but no DocStore mark is someone else's database.
            if (Db.Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") > 0)
            {
                throw new SchemaVersionException(
                    $"The file '{connection.DataSource}' is a SQLite database that DocStore did not create; it will not add its tables to it.",
                    userVersion,
                    CurrentVersion);
            }

            // Only takes effect before the first table exists. An index optimize frees as many pages as the
            // full-text index holds; incremental auto-vacuum lets OptimizeAsync give them back to the file
            // system; single creates and updates measured no slower with it. (Larger pages would fill better
            // with rows of ~1.4 KB, but every commit writes whole pages to the WAL: measured and not taken,
            // see PERFORMANCE.md, "Storage".)
            Db.Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
            EnsureWal(connection);
            InTransaction(connection, CreateScript + $"\nPRAGMA application_id = {ApplicationId};\nPRAGMA user_version = {CurrentVersion};");
        }
        else
        {
            // Everything that can refuse the file runs before anything writes to it, so a refused open leaves it
            // byte for byte as it was: a current file's whole schema; for an older one the tables every schema
            // version has, then every upgrade step in one transaction with the check of its result.
            if (userVersion == CurrentVersion)
            {
                SchemaCheck.ThrowIfIncomplete(connection);
            }
            else
            {
                SchemaCheck.ThrowIfNotDocStore(connection, userVersion);
                Upgrade(connection, userVersion, log);
            }

            // A file left in rollback-journal mode (e.g. by a key rotation that was killed) is put back.
            EnsureWal(connection);
            return;
        }

        SchemaCheck.ThrowIfIncomplete(connection);
    }

    /// <summary>
    /// Runs every step after <paramref name="userVersion"/> in turn, in one transaction that ends with the check of
    /// the whole schema: a step that fails, or a result that is not whole, rolls everything back.
    /// </summary>
    private static void Upgrade(SqliteConnection connection, long userVersion, Action<string>? log)
    {
        // Steps may compute values in C# (the title key, stored UUIDs and hashes).
        connection.CreateFunction(TitleKey.SqlFunction, (string title) => TitleKey.Of(title), isDeterministic: true);
        connection.CreateFunction(Migrations.UuidBlobFunction, (string uuid) => StoredBytes.FromUuid(Guid.Parse(uuid)), isDeterministic: true);
        connection.CreateFunction(Migrations.ContentHashFunction, (string content) => DocumentValidator.ContentHashBytes(content), isDeterministic: true);

        // A step that rebuilds a table drops it first, which with foreign keys on would delete every row that refers
        // to it. The pragma has no effect inside a transaction, so it is set around it.
        var foreignKeys = Db.Scalar<long>(connection, "PRAGMA foreign_keys");
        Db.Execute(connection, "PRAGMA foreign_keys = OFF");
        try
        {
            Apply(connection, userVersion, log);
        }
        finally
        {
            Db.Execute(connection, $"PRAGMA foreign_keys = {foreignKeys}");
        }
    }

    private static void Apply(SqliteConnection connection, long userVersion, Action<string>? log)
    {
        var done = new List<string>();
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var step in Migrations.After((int)userVersion))
            {
                try
                {
                    Db.Execute(connection, step.Script + $"\nPRAGMA user_version = {step.Version};", transaction);
                }
                catch (SqliteException e)
                {
                    throw new StorageException(
                        $"Upgrading '{connection.DataSource}' to schema version {step.Version} ({step.Description}) failed and was rolled back; the file is unchanged at version {userVersion}: {SqliteErrors.Reason(e)}",
                        SqliteErrors.KindOf(e),
                        e);
                }

                done.Add($"Upgraded the schema of '{connection.DataSource}' to version {step.Version}: {step.Description}.");
            }

            SchemaCheck.ThrowIfIncomplete(connection);
            transaction.Commit();
        }

        foreach (var message in done)
        {
            log?.Invoke(message);
        }
    }

    /// <summary>Puts the file in WAL mode (persistent, set outside a transaction) unless it is already.</summary>
    private static void EnsureWal(SqliteConnection connection)
    {
        if (!string.Equals(Db.Scalar<string>(connection, "PRAGMA journal_mode"), "wal", StringComparison.OrdinalIgnoreCase))
        {
            var mode = Db.Scalar<string>(connection, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StorageException($"The file could not be put in WAL mode (it stayed in '{mode}'); another process may hold it open in rollback-journal mode.", StorageErrorKind.Busy, null);
            }
        }
    }

    private static void InTransaction(SqliteConnection connection, string script)
    {
        using var transaction = connection.BeginTransaction();
        Db.Execute(connection, script, transaction);
        transaction.Commit();
    }
}
