using Microsoft.AspNetCore.Http.HttpResults;
using ServiceAccounts.Core.ServiceAccounts;

namespace ServiceAccounts.Web.Api;

public static class ServiceAccountsApi
{
    private static readonly string[] CreateFields = ["title", "description"];

    public static void Map(RouteGroupBuilder entity)
    {
        var accounts = entity.MapGroup("/service_account").WithTags("Service accounts");
        accounts.MapGet("/", List).WithName("ListServiceAccounts").WithSummary("The service accounts of a billing entity");
        accounts.MapPost("/", Create).WithName("CreateServiceAccount").SucceedsWith(StatusCodes.Status201Created)
            .WithSummary("Create a service account").WithDescription("Body: `{\"title\": \"…\", \"description\": \"…\"}`. New accounts always have the member role.");
        accounts.MapGet("/{sa_id}", Get).WithName("GetServiceAccount").WithSummary("One service account (by id or handle)");
        accounts.MapPatch("/{sa_id}", Update).WithName("UpdateServiceAccount").SucceedsWith(StatusCodes.Status200OK)
            .WithSummary("Change a service account's title or description").WithDescription("Send `If-Match: \"<version_id>\"`; a stale version gives 412.");
        accounts.MapDelete("/{sa_id}", Delete).WithName("DeleteServiceAccount").SucceedsWith(StatusCodes.Status204NoContent)
            .WithSummary("Delete a service account, its tokens and memberships").WithDescription("Its audit history stays. `If-Match` is honoured.");
    }

    internal static async Task<Results<Ok<ItemsDto<ServiceAccountDto>>, ProblemHttpResult>> List(string kind, string handle, HttpContext http, ServiceAccountService accounts)
    {
        var result = await accounts.ListAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), http.RequestAborted);
        return result.IsOk ? TypedResults.Ok(new ItemsDto<ServiceAccountDto>(result.Value!.Select(ServiceAccountDto.From).ToList())) : ApiProblems.From(result);
    }

    internal static async Task<Results<Ok<ServiceAccountDto>, ProblemHttpResult>> Get(string kind, string handle, string sa_id, HttpContext http, ServiceAccountService accounts)
    {
        var result = await accounts.GetAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        http.Response.Headers.ETag = ApiSetup.ETag(result.Value!.Version);
        return TypedResults.Ok(ServiceAccountDto.From(result.Value));
    }

    internal static async Task<Results<Created<ServiceAccountDto>, ProblemHttpResult>> Create(string kind, string handle, HttpContext http, ServiceAccountService accounts)
    {
        var (body, problem) = await ApiBody.ReadAsync(http.Request, CreateFields);
        if (problem is not null)
        {
            return problem;
        }
        var input = new NewServiceAccount(body!.String("title"), body.String("description"));
        if (body.Problem() is { } invalid)
        {
            return invalid;
        }
        var result = await accounts.CreateAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), input, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        var created = result.Value!;
        http.Response.Headers.ETag = ApiSetup.ETag(created.Version);
        return TypedResults.Created($"/api/v0/{kind}/{handle}/service_account/{created.Id}", ServiceAccountDto.From(created));
    }

    internal static async Task<Results<Ok<ServiceAccountDto>, ProblemHttpResult>> Update(string kind, string handle, string sa_id, HttpContext http, ServiceAccountService accounts)
    {
        var (version, badVersion) = ApiSetup.IfMatch(http.Request);
        if (badVersion is not null)
        {
            return badVersion;
        }
        var (body, problem) = await ApiBody.ReadAsync(http.Request, CreateFields);
        if (problem is not null)
        {
            return problem;
        }
        var changes = new ServiceAccountChanges(body!.String("title"), body.String("description"));
        if (body.Problem() is { } invalid)
        {
            return invalid;
        }
        if (body.Has("title") && changes.Title is null)
        {
            return ApiProblems.BadRequest("'title' can't be null: a service account always has a title.", "title");
        }
        var actor = ServiceAccountTokenHandler.ActorOf(http);
        var entity = ApiSetup.Entity(kind, handle);
        if (version is null)
        {
            // Without If-Match, the change applies to whatever version is current.
            var current = await accounts.GetAsync(actor, entity, sa_id, http.RequestAborted);
            if (!current.IsOk)
            {
                return ApiProblems.From(current);
            }
            version = current.Value!.Version;
        }
        var result = await accounts.UpdateAsync(actor, entity, sa_id, changes with { Description = body.Has("description") ? changes.Description ?? string.Empty : null }, version.Value, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        http.Response.Headers.ETag = ApiSetup.ETag(result.Value!.Version);
        return TypedResults.Ok(ServiceAccountDto.From(result.Value));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(string kind, string handle, string sa_id, HttpContext http, ServiceAccountService accounts)
    {
        var (version, badVersion) = ApiSetup.IfMatch(http.Request);
        if (badVersion is not null)
        {
            return badVersion;
        }
        var result = await accounts.DeleteAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), sa_id, version, http.RequestAborted);
        return result.IsOk ? TypedResults.NoContent() : ApiProblems.From(result);
    }

    /// <summary>The body of a create or update, for the OpenAPI document.</summary>
    public sealed record ServiceAccountBody(string? Title, string? Description);
}
