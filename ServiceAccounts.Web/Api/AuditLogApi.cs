using Microsoft.AspNetCore.Http.HttpResults;
using ServiceAccounts.Core.Audit;

namespace ServiceAccounts.Web.Api;

public static class AuditLogApi
{
    public static void Map(RouteGroupBuilder entity)
    {
        entity.MapGet("/service_account/{sa_id}/audit_log", List)
            .WithTags("Audit log")
            .WithName("ListAuditLog")
            .WithSummary("A service account's audit log, newest first")
            .WithDescription("`limit` 1–100 (default 25); pass the `next_token` of a page to get the next one. Filters: `action` (repeatable), `actor` (handle or id), `from`, `to` (ISO 8601, UTC), `token_id` (records of requests made with that token or about it), `q` (text in the target, actor handle or token id). Filters combine.");
    }

    internal static async Task<Results<Ok<AuditPageDto>, ProblemHttpResult>> List(
        string kind, string handle, string sa_id, HttpContext http, AuditLog audit,
        int limit = 25, string? next_token = null, string[]? action = null, string? actor = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? token_id = null, string? q = null)
    {
        var query = new AuditQuery(action is { Length: > 0 } ? action : null, actor, from?.UtcDateTime, to?.UtcDateTime, limit, string.IsNullOrEmpty(next_token) ? null : next_token, q, token_id);
        var result = await audit.QueryAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, query, http.RequestAborted);
        return result.IsOk
            ? TypedResults.Ok(new AuditPageDto(result.Value!.Items.Select(AuditRecordDto.From).ToList(), result.Value.NextCursor))
            : ApiProblems.From(result);
    }
}
