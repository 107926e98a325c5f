using System.Text.Json;
using System.Text.RegularExpressions;
using DocStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace DocStore.Notes.Api;

/// <summary>
/// Turns the store's typed exceptions into RFC 7807 problem details: 400 with the per-field errors for
/// invalid documents, and for a request body or query value that cannot be read (malformed JSON, a wrong
/// type, a lone surrogate, an unknown enum value: the field is named, and for an enum the values that exist
/// are listed), 403 for a refused folder import, 404, 409 with the current version for a conflict, 422 for
/// a search query the index cannot parse. Anything else is a 500 whose body says nothing about the server's
/// internals.
/// </summary>
internal sealed partial class StoreExceptionHandler(IProblemDetailsService problems, ILogger<StoreExceptionHandler> logger) : IExceptionHandler
{
    // The enums the API takes, by type name and by field name, so that a bad value is answered with the values that exist.
    private static readonly Dictionary<string, Type> EnumTypes = new[] { typeof(DocumentStatus), typeof(SearchMode), typeof(DocumentOrder), typeof(DeleteMode) }
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, Type> EnumFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = typeof(DocumentStatus),
        ["mode"] = typeof(SearchMode),
        ["order"] = typeof(DocumentOrder),
        ["orderBy"] = typeof(DocumentOrder),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DocumentValidationException e => new ValidationProblemDetails(e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The document is not valid.",
            },
            DocumentNotFoundException e => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = e.Message },
            VersionConflictException e => Conflict(e),
            InvalidSearchQueryException e => new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "The search query is not valid.", Detail = e.Message },
            BadHttpRequestException { InnerException: JsonException json } => Unreadable(json),
            BadHttpRequestException e when BindFailure().Match(e.Message) is { Success: true } m => BadValue(m.Groups["name"].Value, m.Groups["type"].Value, m.Groups["value"].Value),
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request.", Detail = e.Message },
            Security.ImportRefusedException e => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Folder import refused.", Detail = e.Message },
            ArgumentException e => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request.", Detail = e.Message },
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Path}.", context.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "The server could not complete the request." };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    /// <summary>A body that is not valid JSON, or a field whose value does not fit its type.</summary>
    private static ValidationProblemDetails Unreadable(JsonException e)
    {
        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
        var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();
        var message = EnumFields.TryGetValue(field, out var type)
            ? $"Not one of the values that exist: {string.Join(", ", Enum.GetNames(type))}."
            : field == "body" ? $"The body is not valid JSON: {reason}" : $"The value cannot be read: {reason}";
        return Invalid(field, message);
    }

    /// <summary>A query or route value that cannot be bound to its parameter's type.</summary>
    private static ValidationProblemDetails BadValue(string name, string type, string value)
    {
        var typeName = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type.TrimEnd('?');
        var message = EnumTypes.TryGetValue(typeName, out var enumType)
            ? $"'{value}' is not one of the values that exist: {string.Join(", ", Enum.GetNames(enumType))}."
            : $"'{value}' is not a valid {typeName}.";
        return Invalid(name, message);
    }

    private static ValidationProblemDetails Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid.",
        Detail = $"{field}: {message}",
    };

    // ASP.NET Core's message for a value that cannot be bound: Failed to bind parameter "SearchMode? mode" from "bogus".
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[\\w.?<>]+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    private static ProblemDetails Conflict(VersionConflictException e)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Someone saved this document first.",
            Detail = e.Message,
        };
        problem.Extensions["documentId"] = e.DocumentId;
        problem.Extensions["expectedVersion"] = e.ExpectedVersion;
        problem.Extensions["currentVersion"] = e.ActualVersion;
        return problem;
    }
}
