using Microsoft.AspNetCore.Http.HttpResults;
using ServiceAccounts.Core.ServiceAccounts;

namespace ServiceAccounts.Web.Api;

public static class ActorApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/actor", GetActor)
            .WithTags("Actor")
            .WithName("GetActor")
            .WithSummary("The calling service account")
            .WithDescription("Who the token belongs to: any service account may call it, whatever its role.");
    }

    internal static async Task<Results<Ok<ServiceAccountDto>, ProblemHttpResult>> GetActor(HttpContext http, ServiceAccountService accounts)
    {
        // Authentication has just read the account (and keeps it only while nothing has changed).
        if (ServiceAccountTokenHandler.AccountOf(http) is { } account)
        {
            return TypedResults.Ok(ServiceAccountDto.From(account));
        }
        var result = await accounts.GetSelfAsync(ServiceAccountTokenHandler.ActorOf(http), http.RequestAborted);
        return result.IsOk ? TypedResults.Ok(ServiceAccountDto.From(result.Value!)) : ApiProblems.From(result);
    }
}
