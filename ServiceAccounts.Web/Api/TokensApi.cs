using Microsoft.AspNetCore.Http.HttpResults;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Web.Api;

public static class TokensApi
{
    private static readonly string[] CreateFields = ["title", "expiration"];
    private static readonly string[] UpdateFields = ["title", "status"];

    public static void Map(RouteGroupBuilder entity)
    {
        var tokens = entity.MapGroup("/service_account/{sa_id}/token").WithTags("Tokens");
        tokens.MapGet("/", List).WithName("ListTokens").WithSummary("A service account's tokens (metadata only)");
        tokens.MapPost("/", Create).WithName("CreateToken").SucceedsWith(StatusCodes.Status201Created)
            .WithSummary("Create a token; the response holds its secret, once")
            .WithDescription("Body: `{\"title\": \"…\", \"expiration\": 2592000}` — seconds from now, or `null` for Never (refused under a tenant's Maximum Token Expiration). At most 2 tokens per account: a third gives 409.");
        tokens.MapGet("/{token_id}", Get).WithName("GetToken").WithSummary("One token's metadata");
        tokens.MapPatch("/{token_id}", Update).WithName("UpdateToken").SucceedsWith(StatusCodes.Status200OK)
            .WithSummary("Activate or deactivate a token, or change its title")
            .WithDescription("Body: `{\"status\": \"active\"|\"inactive\", \"title\": \"…\"|null}`. `If-Match` is honoured (412 on a stale version).");
        tokens.MapDelete("/{token_id}", Delete).WithName("DeleteToken").SucceedsWith(StatusCodes.Status204NoContent)
            .WithSummary("Delete a token").WithDescription("It stops authenticating at once. `If-Match` is honoured.");
    }

    internal static async Task<Results<Ok<ItemsDto<TokenDto>>, ProblemHttpResult>> List(string kind, string handle, string sa_id, HttpContext http, TokenService tokens)
    {
        var result = await tokens.ListAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, http.RequestAborted);
        return result.IsOk ? TypedResults.Ok(new ItemsDto<TokenDto>(result.Value!.Select(TokenDto.From).ToList())) : ApiProblems.From(result);
    }

    internal static async Task<Results<Ok<TokenDto>, ProblemHttpResult>> Get(string kind, string handle, string sa_id, string token_id, HttpContext http, TokenService tokens)
    {
        var result = await tokens.GetAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, token_id, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        http.Response.Headers.ETag = ApiSetup.ETag(result.Value!.Version);
        return TypedResults.Ok(TokenDto.From(result.Value));
    }

    internal static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> Create(string kind, string handle, string sa_id, HttpContext http, TokenService tokens)
    {
        var (body, problem) = await ApiBody.ReadAsync(http.Request, CreateFields);
        if (problem is not null)
        {
            return problem;
        }
        body!.Require("expiration", "'expiration' is required: a number of seconds from now, or null for a token that never expires.");
        var title = body.String("title");
        var seconds = body.Seconds("expiration");
        if (body.Problem() is { } invalid)
        {
            return invalid;
        }
        var expiration = seconds is { } s
            ? s > (long)TimeSpan.MaxValue.TotalSeconds / 2 ? TokenExpiration.After(TimeSpan.MaxValue / 2) : TokenExpiration.After(TimeSpan.FromSeconds(s))
            : TokenExpiration.Never;
        var result = await tokens.CreateAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, new NewToken(title, expiration), http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        var created = result.Value!;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ETag = ApiSetup.ETag(created.Token.Version);
        return TypedResults.Created($"/api/v0/{kind}/{handle}/service_account/{sa_id}/token/{created.Token.Id}", new CreatedTokenDto(TokenDto.From(created.Token), created.Secret));
    }

    internal static async Task<Results<Ok<TokenDto>, ProblemHttpResult>> Update(string kind, string handle, string sa_id, string token_id, HttpContext http, TokenService tokens)
    {
        var (version, badVersion) = ApiSetup.IfMatch(http.Request);
        if (badVersion is not null)
        {
            return badVersion;
        }
        var (body, problem) = await ApiBody.ReadAsync(http.Request, UpdateFields);
        if (problem is not null)
        {
            return problem;
        }
        var status = body!.OneOf("status", "active", "inactive");
        var title = body.String("title");
        if (body.Problem() is { } invalid)
        {
            return invalid;
        }
        var changes = new TokenChanges(
            Title: title,
            Status: status switch { "active" => TokenStatus.Active, "inactive" => TokenStatus.Inactive, _ => null },
            ClearTitle: body.Has("title") && title is null);
        var result = await tokens.UpdateAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, token_id, changes, version, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        http.Response.Headers.ETag = ApiSetup.ETag(result.Value!.Version);
        return TypedResults.Ok(TokenDto.From(result.Value));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(string kind, string handle, string sa_id, string token_id, HttpContext http, TokenService tokens)
    {
        var (version, badVersion) = ApiSetup.IfMatch(http.Request);
        if (badVersion is not null)
        {
            return badVersion;
        }
        var result = await tokens.DeleteAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, token_id, version, http.RequestAborted);
        return result.IsOk ? TypedResults.NoContent() : ApiProblems.From(result);
    }

    /// <summary>For the OpenAPI document: expiration in seconds, or null for Never.</summary>
    public sealed record CreateTokenBody(string? Title, long? Expiration);

    /// <summary>For the OpenAPI document: status active|inactive; title (null clears it).</summary>
    public sealed record UpdateTokenBody(string? Title, string? Status);
}
