using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocStore.Import;

/// <summary>
/// Documents as JSON lines, one object per line: <see cref="WriteAsync"/> exports a store's live documents
/// (keyset paging, so memory and the cost per page stay flat however large the store) and
/// <see cref="ReadAsync"/> reads such a file back as <see cref="NewDocument"/>s for
/// <see cref="IDocumentStore.ImportAsync"/>. An export read back into an empty store gives the same titles,
/// types, statuses, contents, formats, languages, source paths, tags and metadata; ids, versions, times and
/// history are new (they are written for reference and ignored on reading).
/// </summary>
public static class JsonLines
{
    private const int PageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes every live (not deleted) document of <paramref name="store"/>, in id order, one JSON object per line.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="writer">Where the lines go.</param>
    /// <param name="progress">Told the running count after each page; null for none.</param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>How many documents were written.</returns>
    public static async Task<long> WriteAsync(IDocumentStore store, TextWriter writer, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writer);
        long written = 0;
        await foreach (var page in DocumentWalk.PagesAsync(store, PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in page)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(ExportedDocument.From(document), Json).AsMemory(), cancellationToken).ConfigureAwait(false);
                written++;
            }

            progress?.Report(written);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>
    /// Reads JSON lines lazily. A line that is not a JSON object with at least a title, a type and content is
    /// reported to <paramref name="onError"/> with its line number and skipped; blank lines are ignored.
    /// </summary>
    /// <param name="reader">The lines.</param>
    /// <param name="onError">Told about each bad line; null to throw <see cref="FormatException"/> at the first.</param>
    /// <param name="cancellationToken">Cancels between lines.</param>
    /// <returns>The documents, one per good line.</returns>
    /// <exception cref="FormatException">A line is bad and <paramref name="onError"/> is null.</exception>
    public static async IAsyncEnumerable<NewDocument> ReadAsync(TextReader reader, Action<JsonLineError>? onError = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var document = Parse(line, out var error);
            if (document is not null)
            {
                yield return document;
            }
            else if (onError is null)
            {
                throw new FormatException($"Line {number}: {error}");
            }
            else
            {
                onError(new JsonLineError(number, error!));
            }
        }
    }

    private static NewDocument? Parse(string line, out string? error)
    {
        ExportedDocument? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ExportedDocument>(line, Json);
        }
        catch (JsonException e)
        {
            error = "not a valid document object: " + e.Message;
            return null;
        }

        if (parsed is null || parsed.Title is null || parsed.Type is null || parsed.Content is null)
        {
            error = "a document needs title, type and content.";
            return null;
        }

        error = null;
        return parsed.ToNewDocument();
    }

    /// <summary>
    /// One exported line: the fields a document is created from, and for reference where it came from. A line without
    /// a status reads as active.
    /// </summary>
    private sealed record ExportedDocument(
        long? Id = null, Guid? Uuid = null, int? Version = null, DateTimeOffset? CreatedAt = null, DateTimeOffset? UpdatedAt = null,
        string? Title = null, string? Type = null, DocumentStatus Status = DocumentStatus.Active, string? Content = null, string? Format = null,
        string? Language = null, string? SourcePath = null, List<string>? Tags = null, JsonElement? Metadata = null)
    {
        public static ExportedDocument From(Document d) => new(
            d.Id, d.Uuid, d.Version, d.CreatedAt, d.UpdatedAt,
            d.Title, d.Type, d.Status, d.Content, d.Format, d.Language, d.SourcePath,
            [.. d.Tags], JsonSerializer.Deserialize<JsonElement>(d.Metadata));

        public NewDocument ToNewDocument() => new()
        {
            Title = Title!,
            Type = Type!,
            Content = Content!,
            Status = Status,
            Format = Format ?? "markdown",
            Language = Language,
            SourcePath = SourcePath,
            Tags = Tags,
            Metadata = Metadata is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } m ? m.GetRawText() : null,
        };
    }
}
