using System.Net;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>Rule 2 through the API: a fresh app, so that nothing else writes while the requests race.</summary>
public sealed class TokenLimitApiTests : IAsyncLifetime
{
    private readonly ApiAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task CreateToken_TwentyConcurrentRequests_TwoSucceedTheRestGet409()
    {
        var runner = await app.MintTokenAsync(EntityRef.Org("sandbox"), "terraform-runner");
        using var client = app.ClientWith(runner.Secret);
        var account = await client.SendJsonAsync(HttpMethod.Post, "/api/v0/org/sandbox/service_account", """{"title": "Race Target"}""");
        account.StatusCode.Should().Be(HttpStatusCode.Created);
        var accountId = (await account.JsonAsync()).GetProperty("id").GetString()!;
        using var start = new SemaphoreSlim(0);

        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.WaitAsync();
            return await client.SendJsonAsync(HttpMethod.Post, $"/api/v0/org/sandbox/service_account/{accountId}/token", $$"""{"title": "racer {{i}}", "expiration": 86400}""");
        }).ToList();
        start.Release(20);
        var responses = await Task.WhenAll(requests);

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(2);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        refused.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Conflict);
        foreach (var response in refused)
        {
            (await response.DetailAsync()).Should().Be("A service account can have at most 2 tokens. Delete one to create another.");
        }
        await using var db = app.NewDbContext();
        (await db.ApiTokens.CountAsync(t => t.ServiceAccountId == accountId)).Should().Be(2);
        (await db.AuditRecords.CountAsync(r => r.IdentityId == accountId && r.ActionType == AuditActions.TokenCreate)).Should().Be(2);
    }
}
