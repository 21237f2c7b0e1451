using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServiceAccounts.Core.Common;

namespace ServiceAccounts.Web.Api;

/// <summary>Failures as RFC 9457 problem details with a <c>detail</c> a person understands.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult From(Failure failure) => failure.Status switch
    {
        ResultStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", failure.Message),
        ResultStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", failure.Message),
        ResultStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "Invalid request", failure.Message, failure.Errors),
        ResultStatus.Conflict when failure.ConflictReason == ConflictReason.StaleVersion =>
            Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed", failure.Message),
        ResultStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", failure.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Status, "Not a failure."),
    };

    public static ProblemHttpResult From<T>(Result<T> result) => From(result.AsFailure());

    public static ProblemHttpResult BadRequest(string detail, string? field = null) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", detail, field is null ? null : new Dictionary<string, string> { [field] = detail });

    public static ProblemHttpResult Problem(int status, string title, string detail, IReadOnlyDictionary<string, string>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value });
        }
        return TypedResults.Problem(problem);
    }

    /// <summary>Writes a problem outside an endpoint (authentication challenges).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Problem(status, title, detail).ExecuteAsync(context);
}
