using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocStore.Sql;

namespace DocStore.Validation;

/// <summary>
/// Checks and normalises every field of a write before anything touches the database, collecting
/// every error (not just the first) so a caller can fix them all at once.
/// </summary>
internal sealed partial class DocumentValidator
{
    public const int MaxTitleLength = 255;
    public const int MaxTagLength = 64;
    public const int MaxSourcePathLength = 1024;

    // Throws on lone surrogates instead of silently replacing them, which would change the text.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly DocStoreOptions _options;

    public DocumentValidator(DocStoreOptions options) => _options = options;

    /// <summary>Trims, lowercases and NFC-normalises a tag; the same rule applies to tag filters.</summary>
    public static string NormalizeTag(string tag) =>
        tag.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    public static string ContentHash(string content) => Convert.ToHexStringLower(ContentHashBytes(content));

    /// <summary>The SHA-256 of the content's UTF-8 bytes, as stored (<see cref="ContentHash"/> is its hex).</summary>
    public static byte[] ContentHashBytes(string content)
    {
        var byteCount = Encoding.UTF8.GetByteCount(content);
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = Encoding.UTF8.GetBytes(content, buffer);
            return SHA256.HashData(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static long Utf8Size(string content) => Encoding.UTF8.GetByteCount(content);

    public StoredContent? ValidateNew(NewDocument? document, string prefix, List<ValidationError> errors)
    {
        if (document is null)
        {
            errors.Add(new(prefix.Length == 0 ? "document" : prefix, "must not be null"));
            return null;
        }

        var before = errors.Count;
        var title = Title(document.Title, prefix, errors);
        var type = Slug(document.Type, prefix + "Type", errors);
        var status = Status(document.Status, prefix, errors);
        var content = Content(document.Content, prefix, errors);
        var format = Slug(document.Format, prefix + "Format", errors);
        var language = Language(document.Language, prefix, errors);
        var sourcePath = SourcePath(document.SourcePath, prefix, errors);
        var tags = Tags(document.Tags, prefix, errors);
        var metadata = Metadata(document.Metadata, prefix, errors);
        if (errors.Count > before)
        {
            return null;
        }

        return StoredContent.Create(title!, type!, status, content!, format!, language, sourcePath, tags!, metadata!);
    }

    public string? Title(string? value, string prefix, List<ValidationError> errors)
    {
        var field = prefix + "Title";
        if (value is null)
        {
            errors.Add(new(field, "is required"));
            return null;
        }

        var title = value.Trim();
        if (title.Length == 0)
        {
            errors.Add(new(field, "must not be empty"));
            return null;
        }

        return Line(title, field, MaxTitleLength, errors);
    }

    public string? Slug(string? value, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(field, "is required"));
            return null;
        }

        if (!SlugPattern().IsMatch(value))
        {
            errors.Add(new(field, $"'{Shorten(value)}' is not a slug: use a lowercase letter, then lowercase letters, digits, '-', '+' or '.', at most 32 characters"));
            return null;
        }

        return value;
    }

    public DocumentStatus Status(DocumentStatus value, string prefix, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(new(prefix + "Status", $"{(int)value} is not a known status"));
        }
        else if (value == DocumentStatus.Deleted)
        {
            errors.Add(new(prefix + "Status", "cannot be set to Deleted by a create or update; use DeleteAsync"));
        }

        return value;
    }

    public string? Content(string? value, string prefix, List<ValidationError> errors)
    {
        var field = prefix + "Content";
        if (value is null)
        {
            errors.Add(new(field, "is required"));
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new(field, "must not contain NUL characters"));
            return null;
        }

        if (!IsValidUtf16(value, field, errors))
        {
            return null;
        }

        var size = Utf8Size(value);
        if (size > _options.MaxContentBytes)
        {
            errors.Add(new(field, $"is {size} bytes of UTF-8; the limit is {_options.MaxContentBytes}"));
            return null;
        }

        return value;
    }

    /// <summary>Validates an optional language; an empty string means "none" (null).</summary>
    public string? Language(string? value, string prefix, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > 35 || !LanguagePattern().IsMatch(value))
        {
            errors.Add(new(prefix + "Language", $"'{Shorten(value)}' is not a language tag like 'en' or 'pt-BR'"));
            return null;
        }

        return value;
    }

    /// <summary>Validates an optional source path; an empty string means "none" (null).</summary>
    public string? SourcePath(string? value, string prefix, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Line(value, prefix + "SourcePath", MaxSourcePathLength, errors);
    }

    public IReadOnlyList<string>? Tags(IEnumerable<string>? values, string prefix, List<ValidationError> errors)
    {
        if (values is null)
        {
            return Internal.StoredTags.Empty;
        }

        var before = errors.Count;
        var set = new SortedSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var value in values)
        {
            var field = $"{prefix}Tags[{index++}]";
            if (value is null)
            {
                errors.Add(new(field, "must not be null"));
                continue;
            }

            var tag = NormalizeTag(value);
            if (tag.Length is 0 or > MaxTagLength || !TagPattern().IsMatch(tag))
            {
                errors.Add(new(field, $"'{Shorten(value)}' is not a valid tag: 1-{MaxTagLength} letters, digits or _ - . : / + #, starting with a letter or digit"));
                continue;
            }

            set.Add(tag);
        }

        if (set.Count > _options.MaxTags)
        {
            errors.Add(new(prefix + "Tags", $"has {set.Count} distinct tags; at most {_options.MaxTags} are allowed"));
        }

        return errors.Count > before ? null : Array.AsReadOnly(set.ToArray());
    }

    /// <summary>
    /// Validates metadata: a JSON object within the size limit. It is stored exactly as given, so the text a
    /// caller stored comes back unchanged (re-serialising would escape non-ASCII and HTML characters); null
    /// means an empty object.
    /// </summary>
    public string? Metadata(string? value, string prefix, List<ValidationError> errors)
    {
        var field = prefix + "Metadata";
        if (value is null)
        {
            return "{}";
        }

        // JSON text with an unpaired surrogate cannot be read as UTF-8 at all (System.Text.Json throws ArgumentException).
        if (!IsValidUtf16(value, field, errors))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(value) > _options.MaxMetadataBytes)
        {
            errors.Add(new(field, $"is larger than the limit of {_options.MaxMetadataBytes} bytes"));
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 32 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(field, $"must be a JSON object, not {json.RootElement.ValueKind}"));
                return null;
            }

            return value;
        }
        catch (JsonException e)
        {
            errors.Add(new(field, "is not valid JSON: " + e.Message));
            return null;
        }
    }

    /// <summary>
    /// Validates the fields an update sets and returns them normalised, in the update's own terms (null keeps a field,
    /// an empty language or source path clears it); null when any is invalid.
    /// </summary>
    public DocumentUpdate? ValidateUpdate(DocumentUpdate update, List<ValidationError> errors)
    {
        var before = errors.Count;
        var result = new DocumentUpdate
        {
            Title = update.Title is null ? null : Title(update.Title, string.Empty, errors),
            Type = update.Type is null ? null : Slug(update.Type, nameof(update.Type), errors),
            Status = update.Status is { } status ? Status(status, string.Empty, errors) : null,
            Content = update.Content is null ? null : Content(update.Content, string.Empty, errors),
            Format = update.Format is null ? null : Slug(update.Format, nameof(update.Format), errors),
            Language = update.Language is null ? null : Language(update.Language, string.Empty, errors) ?? string.Empty,
            SourcePath = update.SourcePath is null ? null : SourcePath(update.SourcePath, string.Empty, errors) ?? string.Empty,
            Tags = update.Tags is null ? null : Tags(update.Tags, string.Empty, errors),
            Metadata = update.Metadata is null ? null : Metadata(update.Metadata, string.Empty, errors),
            ExpectedVersion = update.ExpectedVersion,
        };
        return errors.Count > before ? null : result;
    }

    /// <summary>A one-line text field (a title, a path): at most <paramref name="maxLength"/> characters, no control characters, valid UTF-16.</summary>
    private static string? Line(string value, string field, int maxLength, List<ValidationError> errors)
    {
        if (value.Length > maxLength)
        {
            errors.Add(new(field, $"must be at most {maxLength} characters (it has {value.Length})"));
            return null;
        }

        if (value.Any(char.IsControl))
        {
            errors.Add(new(field, "must not contain control characters"));
            return null;
        }

        return IsValidUtf16(value, field, errors) ? value : null;
    }

    private static bool IsValidUtf16(string value, string field, List<ValidationError> errors)
    {
        try
        {
            StrictUtf8.GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            errors.Add(new(field, "contains invalid UTF-16 (an unpaired surrogate)"));
            return false;
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex("^[a-z][a-z0-9+.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}\p{M}_\-.:/+#]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
