using DocStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace DocStore.Notes.Api;

/// <summary>
/// Turns the store's typed exceptions into RFC 7807 problem details: 400 with the per-field errors for
/// invalid documents, 404, 409 with the current version for a conflict, 422 for a search query the index
/// cannot parse. Anything else is a 500 whose body says nothing about the server's internals.
/// </summary>
internal sealed class StoreExceptionHandler(IProblemDetailsService problems, ILogger<StoreExceptionHandler> logger) : IExceptionHandler
{
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
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request.", Detail = e.Message },
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
