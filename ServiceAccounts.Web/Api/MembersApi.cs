using Microsoft.AspNetCore.Http.HttpResults;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Web.Api;

public static class MembersApi
{
    public static void Map(RouteGroupBuilder entity)
    {
        entity.MapGet("/member", ListMembers)
            .WithTags("Members")
            .WithName("ListMembers")
            .WithSummary("The members of an org or tenant")
            .WithDescription("Users and service accounts with their role; `search` matches handle or name; `page` from 0, `per_page` 1–100.");
    }

    internal static async Task<Results<Ok<PageDto<MemberDto>>, ProblemHttpResult>> ListMembers(
        string kind, string handle, HttpContext http, TenancyService tenancy, string? search = null, int page = 0, int per_page = 25)
    {
        var result = await tenancy.GetMembersAsync(ServiceAccountTokenHandler.ActorOf(http), ApiSetup.Entity(kind, handle), new MemberQuery(search, page, per_page), http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiProblems.From(result);
        }
        var members = result.Value!;
        return TypedResults.Ok(new PageDto<MemberDto>(members.Items.Select(MemberDto.From).ToList(), members.Total, members.PageIndex, members.PageSize));
    }
}
