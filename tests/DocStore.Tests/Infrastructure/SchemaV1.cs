namespace DocStore.Tests.Infrastructure;

/// <summary>
/// The schema-1 DDL exactly as DocStore wrote it up to commit 790643d (FTS kept in sync by triggers), to
/// make files like the ones that build left behind and check that today's build upgrades them.
/// </summary>
public static class SchemaV1
{
    public const string CreateScript = """
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
        CREATE INDEX IF NOT EXISTS ix_documents_updated ON documents(updated_at);
        CREATE INDEX IF NOT EXISTS ix_documents_created ON documents(created_at);
        CREATE INDEX IF NOT EXISTS ix_documents_type_updated ON documents(type, updated_at);
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

        CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
            title, content, tags,
            content='documents', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER IF NOT EXISTS documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, title, content, tags) VALUES (new.id, new.title, new.content, new.tags);
        END;
        CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, content, tags) VALUES ('delete', old.id, old.title, old.content, old.tags);
        END;
        CREATE TRIGGER IF NOT EXISTS documents_fts_update AFTER UPDATE OF title, content, tags ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, content, tags) VALUES ('delete', old.id, old.title, old.content, old.tags);
            INSERT INTO documents_fts(rowid, title, content, tags) VALUES (new.id, new.title, new.content, new.tags);
        END;
        """;

    /// <summary>Creates a schema-1 file at <paramref name="path"/> and adds documents the way that build did (triggers index them).</summary>
    public static void Create(string path, IEnumerable<(string Title, string Content, string TagsJson)> documents)
    {
        SqliteProbe.Execute(path, "PRAGMA journal_mode = WAL; BEGIN; " + CreateScript + " PRAGMA application_id = 1145262932; PRAGMA user_version = 1; COMMIT;");
        var id = 0;
        foreach (var (title, content, tags) in documents)
        {
            id++;
            SqliteProbe.Execute(path, $$"""
                INSERT INTO documents (uuid, title, type, status, content, format, tags, metadata, content_hash, size_bytes, version, created_at, updated_at)
                VALUES ('{{Guid.CreateVersion7():D}}', '{{title}}', 'note', 1, '{{content}}', 'plain', '{{tags}}', '{}', 'h', {{content.Length}}, 1, {{id}}, {{id}});
                INSERT INTO document_versions (document_id, version, title, type, status, content, format, tags, metadata, content_hash, size_bytes, created_at, actor)
                VALUES ({{id}}, 1, '{{title}}', 'note', 1, '{{content}}', 'plain', '{{tags}}', '{}', 'h', {{content.Length}}, {{id}}, 'old');
                INSERT INTO audit_log (at, operation, document_id, version, actor, outcome, duration_us) VALUES ({{id}}, 'Create', {{id}}, 1, 'old', 'Success', 1);
                """);
            foreach (var tag in System.Text.Json.JsonSerializer.Deserialize<string[]>(tags)!)
            {
                SqliteProbe.Execute(path, $"INSERT INTO document_tags (tag, document_id) VALUES ('{tag}', {id})");
            }
        }
    }
}
