using System.Globalization;
using System.IO.Pipelines;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Web.Api;
using ServiceAccounts.Web.Components.Layout;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;
using ServiceAccounts.Web.Security;

namespace ServiceAccounts.Web.Export;

/// <summary>
/// The Audit Log tab's Export CSV / Export JSON: the records of the tab's filter, written to the response as they are
/// read (Core streams them in batches), so a million records never sit in memory. Console sign-in (cookie), not tokens.
/// </summary>
public static class AuditExportEndpoints
{
    public const string CsvFormat = "csv";
    public const string JsonFormat = "json";

    /// <summary>The columns of the CSV, in the API's snake_case names.</summary>
    public static readonly string[] CsvColumns =
    [
        "id", "sequence", "created_at", "action_type", "action", "actor_type", "actor_id", "actor_handle", "actor_display_name",
        "actor_ip", "user_agent", "identity_id", "identity_handle", "target_id", "target_handle", "token_id", "data",
        "prev_hash", "hash",
    ];

    private const int FlushEvery = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{kind:regex(^(org|tenant)$)}/{entity}/service-accounts/{handle}/audit/export.{format}",
                (string kind, string entity, string handle, string format, HttpContext http) => ExportAsync(ApiSetup.Entity(kind, entity), handle, format, http))
            .RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>The address of an export of <paramref name="filter"/>, as the tab links to it.</summary>
    public static string Href(EntityRef entity, string handle, string format, AuditFilter filter) =>
        $"{EntityRoute.ServiceAccount(entity, handle, "audit")}/export.{format}{filter.ToQueryString()}";

    private static async Task ExportAsync(EntityRef entity, string handle, string format, HttpContext http)
    {
        if (format is not (CsvFormat or JsonFormat))
        {
            // No body: the console's not-found page answers, as for any unknown address.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var filter = AuditFilter.Parse(name => http.Request.Query[name].OfType<string>().ToList(), out var problems);
        if (problems.Count > 0)
        {
            await ApiProblems.Write(http, StatusCodes.Status400BadRequest, "Invalid filter", string.Join(" ", problems));
            return;
        }
        var actor = await ActorAsync(http);
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        var result = await audit.ExportAsync(actor, entity, handle, filter.ToQuery(), http.RequestAborted);
        if (!result.IsOk)
        {
            // Like the pages: whoever may not see the log (a member, another entity, a mistyped handle) sees not-found.
            if (result.Status is Core.Common.ResultStatus.Invalid)
            {
                await ApiProblems.Write(http, StatusCodes.Status400BadRequest, "Invalid filter", result.Message);
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            return;
        }
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var fileName = $"audit-{entity.Handle}-{handle}-{stamp}.{format}";
        http.Response.ContentType = format == CsvFormat ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        if (format == CsvFormat)
        {
            await WriteCsvAsync(result.Value!, http.Response.Body, http.RequestAborted);
        }
        else
        {
            await WriteJsonAsync(result.Value!, http.Response.BodyWriter, http.RequestAborted);
        }
    }

    private static Task<Actor> ActorAsync(HttpContext http)
    {
        var current = http.RequestServices.GetRequiredService<CurrentActor>();
        current.UseClient(ClientInfo.From(http));
        return current.ForAsync(http.User, http.RequestAborted);
    }

    public static async Task WriteCsvAsync(IAsyncEnumerable<AuditRecordView> records, Stream body, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', CsvColumns));
        var count = 0;
        await foreach (var r in records.WithCancellation(cancellationToken))
        {
            string?[] cells =
            [
                r.Id.ToString(CultureInfo.InvariantCulture), r.Sequence.ToString(CultureInfo.InvariantCulture),
                r.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), r.ActionType, AuditActions.Label(r.ActionType),
                AuditRecordDto.ActorTypeName(r.ActorType), r.ActorId, r.ActorHandle, r.ActorDisplayName, r.ActorIp, r.ActorUserAgent,
                r.IdentityId, r.IdentityHandle, r.TargetId, r.TargetHandle, r.TokenId, r.Data, r.PrevHash, r.Hash,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(CsvCell)));
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Over the response's pipe rather than its stream: the serializer flushes its writer synchronously, which only a
    /// buffer writer allows; the pipe is then flushed (sent) asynchronously every <see cref="FlushEvery"/> records.
    /// </summary>
    public static async Task WriteJsonAsync(IAsyncEnumerable<AuditRecordView> records, PipeWriter body, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = false });
        json.WriteStartArray();
        var count = 0;
        await foreach (var r in records.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(json, AuditRecordDto.From(r), Json);
            if (++count % FlushEvery == 0)
            {
                await body.FlushAsync(cancellationToken);
            }
        }
        json.WriteEndArray();
        json.Flush();
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// RFC 4180 quoting, and a leading apostrophe before = + - @ (and tab, CR) so that a spreadsheet opening the file
    /// doesn't run a value someone typed (a title, a user agent) as a formula.
    /// </summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
