using Npgsql;

namespace DocStore.PostgreSql;

/// <summary>
/// Creates a store's schema in a PostgreSQL database, or checks and upgrades the one there. Every instance runs this
/// when it opens, in one transaction holding an advisory lock, so instances starting together never race: the first
/// creates, the others find it made. DDL is transactional here, so a failed step leaves the database as it was.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The schema version this build writes, kept in <c>docstore_schema</c>.</summary>
    public const int CurrentVersion = 4;

    /// <summary>
    /// ASCII punctuation, read as spaces before text is searched (in the search vector and in search terms alike). FTS5's
    /// tokenizer splits words at any punctuation; PostgreSQL's parser instead keeps URLs, paths, host names, e-mail
    /// addresses and hyphenated words as tokens of their own, and drops anything between '&lt;' and '&gt;' as an XML tag,
    /// so the words of code samples would not be found. With punctuation as spaces both engines find the same words.
    /// </summary>
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>How much of a document's content the search vector indexes, in characters (see <see cref="CreateScript"/>).</summary>
    public const int IndexedContentChars = 100_000;

    /// <summary>The channel commits are announced on (payload: the change number, then ':' and the changed ids when they fit).</summary>
    public const string Channel = "docstore_changes";

    /// <summary>How many changes the change log keeps.</summary>
    public const int KeptChanges = 20_000;

    /// <summary>The advisory lock key of schema changes ("DCST").</summary>
    private const long LockKey = 0x44435354;

    private static string PunctuationSql => "'" + Punctuation.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string SpacesSql => "'" + new string(' ', Punctuation.Length) + "'";

    /// <summary>The columns of a document's content (Sql/ContentColumns' order), in documents and in document_versions alike.</summary>
    private const string ContentColumnsDdl = """
        title        text    NOT NULL,
        type         text    NOT NULL,
        status       integer NOT NULL,
        content      text    NOT NULL,
        format       text    NOT NULL,
        language     text,
        source_path  text,
        tags         text    NOT NULL DEFAULT '[]',
        metadata     text    NOT NULL DEFAULT '{}',
        content_hash bytea   NOT NULL,
        size_bytes   bigint  NOT NULL,
        """;

    /// <summary>
    /// The search vector: title at weight A, tags at B, content at D, punctuation read as spaces (<see cref="Punctuation"/>).
    /// A generated column needs an immutable expression; the content is cut at <see cref="IndexedContentChars"/>
    /// characters because PostgreSQL refuses a tsvector over 1 MB.
    /// </summary>
    private static readonly string SearchVectorFunction = $$"""
        CREATE OR REPLACE FUNCTION docstore_search_vector(title text, tags text, content text) RETURNS tsvector
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN setweight(to_tsvector('docstore'::regconfig, translate(title, {{PunctuationSql}}, {{SpacesSql}})), 'A')
                || setweight(to_tsvector('docstore'::regconfig, translate(tags, {{PunctuationSql}}, {{SpacesSql}})), 'B')
                || setweight(to_tsvector('docstore'::regconfig, translate(left(content, {{IndexedContentChars}}), {{PunctuationSql}}, {{SpacesSql}})), 'D');
        """;

    /// <summary>
    /// How many documents each (type, status) has (since version 3), so the total of a listing filtered by type and
    /// status alone is one short read instead of a visit to every matching row. Triggers keep it; they are deferred to
    /// COMMIT, which every write reaches holding the change head's row lock (see <c>docstore_changes</c>), so writers of
    /// several instances take the count rows one at a time, never in crossed order, and hold them only while they commit.
    /// </summary>
    private const string DocumentCountsDdl = """
        CREATE TABLE document_counts (
            type      text    NOT NULL,
            status    integer NOT NULL,
            documents bigint  NOT NULL,
            PRIMARY KEY (type, status)
        );
        CREATE FUNCTION document_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    UPDATE document_counts SET documents = documents - 1 WHERE type = OLD.type AND status = OLD.status;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    INSERT INTO document_counts AS c (type, status, documents) VALUES (NEW.type, NEW.status, 1)
                        ON CONFLICT (type, status) DO UPDATE SET documents = c.documents + 1;
                END IF;
                RETURN NULL;
            END $$;
        CREATE CONSTRAINT TRIGGER documents_count_insert_delete AFTER INSERT OR DELETE ON documents
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION document_counts_apply();
        CREATE CONSTRAINT TRIGGER documents_count_update AFTER UPDATE OF type, status ON documents
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.status IS DISTINCT FROM NEW.status)
            EXECUTE FUNCTION document_counts_apply();
        """;

    /// <summary>
    /// The search vector (about 2 KB for a 1 KB document) stays in the row, compressed, instead of out of line in the
    /// TOAST table (since version 4): ranking reads the vector of every match, and fetching each one from the TOAST table
    /// made a search for a common term about three times slower. Rows too wide for a page still move it out of line.
    /// </summary>
    private const string SearchStorage = "ALTER TABLE documents ALTER COLUMN search SET STORAGE MAIN;";

    /// <summary>
    /// The steps from each earlier version to the next, run in order in the opening transaction. 1 to 2: punctuation
    /// reads as spaces in the search vector; rewriting every row recomputes its generated column. 2 to 3: the kept
    /// counts. Creating the triggers locks the documents against writers (and waits for those under way), so the counts
    /// filled after them miss no write and count none twice. 3 to 4: search vectors kept in the row; the rows there keep
    /// theirs where it is until they are next written (rewriting them all at once would hold every writer off).
    /// </summary>
    private static readonly Dictionary<int, string> Upgrades = new()
    {
        [1] = SearchVectorFunction + "\nUPDATE documents SET content = content;",
        [2] = DocumentCountsDdl + "\nINSERT INTO document_counts (type, status, documents) SELECT type, status, count(*) FROM documents GROUP BY type, status;",
        [3] = SearchStorage,
    };

    /// <summary>
    /// The whole schema at <see cref="CurrentVersion"/>. Its tables are SQLite's, with PostgreSQL's types; full-text
    /// search is a stored generated <c>tsvector</c> instead of FTS5 tables.
    /// </summary>
    internal static readonly string CreateScript = $$"""
        CREATE EXTENSION IF NOT EXISTS unaccent;

        -- Search words: Snowball's English stemmer with no stop words (so no word of a title is unsearchable), after
        -- unaccent (so "cafe" finds "café"). The simple configuration's other token types (numbers, e-mail, URLs) stay as written.
        CREATE TEXT SEARCH DICTIONARY docstore_english (TEMPLATE = snowball, LANGUAGE = english);
        CREATE TEXT SEARCH CONFIGURATION docstore (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION docstore
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, docstore_english;

        -- Case-insensitive order of titles under the name the model uses on every engine (SQLite's NOCASE).
        CREATE COLLATION "NOCASE" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

        -- SQLite's json_extract, as the model and the metadata filters use it: the JSON value at a path, compared as JSON.
        CREATE FUNCTION json_extract(document text, path text) RETURNS jsonb
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN jsonb_path_query_first(document::jsonb, path::jsonpath);

        {{SearchVectorFunction}}

        CREATE TABLE documents (
            id           bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            uuid         bytea   NOT NULL UNIQUE,
            {{ContentColumnsDdl}}
            version      integer NOT NULL,
            created_at   bigint  NOT NULL,
            updated_at   bigint  NOT NULL,
            updated_by   text    NOT NULL DEFAULT '',
            title_key    text    NOT NULL DEFAULT '',
            search       tsvector GENERATED ALWAYS AS (docstore_search_vector(title, tags, content)) STORED
        );
        {{SearchStorage}}
        -- Each index is one a listing, lookup or search reads.
        CREATE INDEX ix_documents_updated ON documents (updated_at, id);
        CREATE INDEX ix_documents_type_updated ON documents (type, updated_at, id);
        CREATE INDEX ix_documents_created ON documents (created_at, id);
        CREATE INDEX ix_documents_status_updated ON documents (status, updated_at);
        CREATE INDEX ix_documents_title ON documents (title COLLATE "NOCASE");
        CREATE INDEX ix_documents_title_key ON documents (title_key);
        CREATE INDEX ix_documents_source_path ON documents (source_path) WHERE source_path IS NOT NULL;
        CREATE INDEX ix_documents_content_hash ON documents (content_hash);
        -- Live documents and the trash, each searched on its own index.
        CREATE INDEX ix_documents_search ON documents USING gin (search) WHERE status <> 3;
        CREATE INDEX ix_documents_trash_search ON documents USING gin (search) WHERE status = 3;

        CREATE TABLE document_reads (
            document_id      bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            access_count     bigint NOT NULL DEFAULT 0,
            last_accessed_at bigint
        );
        CREATE INDEX ix_document_reads_count ON document_reads (access_count);

        {{DocumentCountsDdl}}

        CREATE TABLE document_tags (
            tag         text   NOT NULL,
            document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            PRIMARY KEY (tag, document_id)
        );
        CREATE INDEX ix_document_tags_document ON document_tags (document_id);

        CREATE TABLE document_versions (
            id           bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            document_id  bigint  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            version      integer NOT NULL,
            {{ContentColumnsDdl}}
            created_at   bigint  NOT NULL,
            actor        text    NOT NULL,
            UNIQUE (document_id, version)
        );

        CREATE TABLE audit_log (
            id          bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            at          bigint  NOT NULL,
            operation   text    NOT NULL,
            document_id bigint,
            version     integer,
            actor       text    NOT NULL,
            outcome     text    NOT NULL,
            error       text,
            duration_us bigint  NOT NULL
        );
        CREATE INDEX ix_audit_log_document ON audit_log (document_id, id);
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END $$;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

        -- The change feed: each commit of a write takes the next number (the one row, updated as the transaction's last
        -- statement, so numbers follow commit order and writers take turns only for that statement), records the
        -- documents it changed under it, and announces it with NOTIFY. Instances catch up from the log by number;
        -- it keeps the last 20,000 changes (an instance further behind empties its caches instead).
        CREATE TABLE docstore_changes (
            one  boolean PRIMARY KEY DEFAULT true CHECK (one),
            head bigint  NOT NULL
        );
        INSERT INTO docstore_changes (head) VALUES (0);
        CREATE TABLE docstore_change_log (
            change       bigint   PRIMARY KEY,
            document_ids bigint[] NOT NULL
        );

        CREATE TABLE docstore_schema (version integer NOT NULL);
        INSERT INTO docstore_schema (version) VALUES ({{CurrentVersion}});
        """;

    /// <summary>
    /// Makes the database's schema current: creates it in a database without one, upgrades an earlier version step by
    /// step (all in one transaction: a failed step leaves the earlier version whole), and refuses one it does not know
    /// (another application's tables, or a newer DocStore's schema) with a typed exception, changing nothing.
    /// </summary>
    public static void Open(NpgsqlConnection connection, Action<string> log)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})");
        var version = Version(connection, transaction);
        if (version is null)
        {
            if (HasTable(connection, transaction, "documents"))
            {
                throw new StorageException(
                    "The database has a table named documents but no DocStore schema: it belongs to something else. Give the store a database (or a schema, through the connection string's Search Path) of its own.",
                    StorageErrorKind.NotADatabase,
                    null);
            }

            Execute(connection, transaction, CreateScript);
            log($"Created the DocStore schema (version {CurrentVersion}) in database {connection.Database}.");
        }
        else if (version > CurrentVersion)
        {
            throw new StorageException(
                $"The database's DocStore schema is version {version}, newer than this build understands ({CurrentVersion}). Use a newer DocStore.",
                StorageErrorKind.SchemaIncomplete,
                null);
        }
        else
        {
            for (var from = version.Value; from < CurrentVersion; from++)
            {
                Execute(connection, transaction, Upgrades[from]);
                Execute(connection, transaction, $"UPDATE docstore_schema SET version = {from + 1}");
                log($"Upgraded the DocStore schema of database {connection.Database} from version {from} to {from + 1}.");
            }
        }

        transaction.Commit();
    }

    private static int? Version(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (!HasTable(connection, transaction, "docstore_schema"))
        {
            return null;
        }

        using var command = new NpgsqlCommand("SELECT max(version) FROM docstore_schema", connection, transaction);
        return command.ExecuteScalar() is int version ? version : null;
    }

    private static bool HasTable(NpgsqlConnection connection, NpgsqlTransaction transaction, string table)
    {
        // to_regclass resolves the name on the connection's search path, as the store's own statements do.
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection, transaction);
        command.Parameters.AddWithValue("table", table);
        return (bool)command.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
