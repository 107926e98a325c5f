using Microsoft.Data.Sqlite;

namespace DocStore.Schema;

/// <summary>
/// Creates the schema on first open and refuses files it does not understand. The schema is plain
/// DDL rather than EF Core's EnsureCreated because FTS5 tables and triggers are outside EF's model.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The schema version this build writes, recorded in <c>PRAGMA user_version</c>.</summary>
    public const int CurrentVersion = 1;

    /// <summary>'DCST': marks a file as DocStore's (<c>PRAGMA application_id</c>).</summary>
    public const int ApplicationId = 0x44435354;

    /// <summary>Status value of <see cref="DocumentStatus.Deleted"/> as stored, for SQL text.</summary>
    public const int DeletedStatus = (int)DocumentStatus.Deleted;

    private const string CreateScript = """
        CREATE TABLE IF NOT EXISTS documents (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid             TEXT    NOT NULL UNIQUE,
            title            TEXT    NOT NULL,
            type             TEXT    NOT NULL,
            status           INTEGER NOT NULL,
            content          TEXT    NOT NULL,
            format           TEXT    NOT NULL,
            language         TEXT,
            source_path      TEXT,
            tags             TEXT    NOT NULL DEFAULT '[]',
            metadata         TEXT    NOT NULL DEFAULT '{}',
            content_hash     TEXT    NOT NULL,
            size_bytes       INTEGER NOT NULL,
            version          INTEGER NOT NULL,
            created_at       INTEGER NOT NULL,
            updated_at       INTEGER NOT NULL,
            last_accessed_at INTEGER,
            access_count     INTEGER NOT NULL DEFAULT 0
        );
        -- status rides along in the time indexes so range counts ("how many since t") never visit rows.
        CREATE INDEX IF NOT EXISTS ix_documents_updated ON documents(updated_at, status);
        CREATE INDEX IF NOT EXISTS ix_documents_created ON documents(created_at, status);
        CREATE INDEX IF NOT EXISTS ix_documents_type_updated ON documents(type, updated_at);
        CREATE INDEX IF NOT EXISTS ix_documents_type_status ON documents(type, status);
        CREATE INDEX IF NOT EXISTS ix_documents_status_updated ON documents(status, updated_at);
        CREATE INDEX IF NOT EXISTS ix_documents_title ON documents(title COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_documents_access ON documents(access_count);

        CREATE TABLE IF NOT EXISTS document_tags (
            tag         TEXT    NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (tag, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_document_tags_document ON document_tags(document_id);

        CREATE TABLE IF NOT EXISTS document_versions (
            id           INTEGER PRIMARY KEY,
            document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            version      INTEGER NOT NULL,
            title        TEXT    NOT NULL,
            type         TEXT    NOT NULL,
            status       INTEGER NOT NULL,
            content      TEXT    NOT NULL,
            format       TEXT    NOT NULL,
            language     TEXT,
            source_path  TEXT,
            tags         TEXT    NOT NULL,
            metadata     TEXT    NOT NULL,
            content_hash TEXT    NOT NULL,
            size_bytes   INTEGER NOT NULL,
            created_at   INTEGER NOT NULL,
            actor        TEXT    NOT NULL,
            UNIQUE (document_id, version)
        );

        CREATE TABLE IF NOT EXISTS audit_log (
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
        CREATE INDEX IF NOT EXISTS ix_audit_log_document ON audit_log(document_id, id);
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

        -- Kept in sync by the write path's own statements in each write's transaction (Sql/PreparedWrites),
        -- not by triggers: FTS5 called from a trigger flushed its pending terms per statement, three times slower.
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
            title, content, tags,
            content='documents', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        """;

    /// <summary>
    /// Checks the file's identity and schema version, creating the schema in one transaction when the
    /// file is new. Leaves the file untouched when it refuses it.
    /// </summary>
    /// <param name="connection">An open read-write connection.</param>
    /// <exception cref="SchemaVersionException">The file is newer than this build, or belongs to another application.</exception>
    public static void EnsureCreated(SqliteConnection connection)
    {
        var appId = ExecuteScalarInt64(connection, "PRAGMA application_id");
        var userVersion = ExecuteScalarInt64(connection, "PRAGMA user_version");

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

        if (userVersion == CurrentVersion)
        {
            return;
        }

        // A file with other tables but no DocStore mark is someone else's database.
        if (appId == 0 && ExecuteScalarInt64(connection, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") > 0)
        {
            throw new SchemaVersionException(
                $"The file '{connection.DataSource}' is a SQLite database that DocStore did not create; it will not add its tables to it.",
                userVersion,
                CurrentVersion);
        }

        // WAL must be set outside a transaction; it is persistent, so once per file is enough.
        ExecuteScalarInt64OrText(connection, "PRAGMA journal_mode=WAL");

        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = CreateScript
                + $"\nPRAGMA application_id = {ApplicationId};\nPRAGMA user_version = {CurrentVersion};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static long ExecuteScalarInt64(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void ExecuteScalarInt64OrText(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteScalar();
    }
}
