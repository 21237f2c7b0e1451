using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>
/// GET …/audit_log with token_id, q and action: only the matching items, each carrying the chain fields. Every test
/// works on accounts of its own in the demo's sandbox, so the records of other tests don't mix in.
/// </summary>
public sealed class AuditLogApiFilterTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private const string Base = "/api/v0/org/sandbox/service_account";
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");

    [Theory]
    [InlineData("token_id={A}")]
    [InlineData("token_id={A}&action=api.request")]
    [InlineData("token_id={B}&action=token.create&action=api.request")]
    [InlineData("q={A8}&action=token.create")]
    [InlineData("actor={caller}&q={target}")]
    [InlineData("token_id={A}&q={B8}")]
    public async Task AuditLog_TokenIdTextAndActionFilters_ReturnsOnlyTheItemsMatchingThemAll(string filters)
    {
        // Arrange
        var scenario = await ScenarioAsync();
        var stored = await StoredAsync(scenario.Target);
        var (expectedIds, matchesSome) = Expected(filters, scenario, stored);

        // Act
        var response = await scenario.Caller.GetAsync($"{Base}/{scenario.Target}/audit_log?limit=100&{scenario.Fill(filters)}");

        // Assert
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var items = (await response.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        (expectedIds.Count > 0).Should().Be(matchesSome, "the scenario is built so that '{0}' {1}", filters, matchesSome ? "selects something" : "selects nothing");
        expectedIds.Should().HaveCountLessThan(stored.Count, "every combination leaves records out");
        items.Select(i => i.GetProperty("id").GetInt64()).Should().Equal(expectedIds);
    }

    [Fact]
    public async Task AuditLog_Items_CarryTheStoredHashAndThePreviousSequencesHash()
    {
        // Arrange
        var scenario = await ScenarioAsync();
        await using var db = app.NewDbContext();
        var records = await db.AuditRecords.AsNoTracking().Where(r => r.IdentityId == scenario.Target).OrderByDescending(r => r.Id).ToListAsync();
        var entityId = records.Select(r => r.EntityId).Distinct().Should().ContainSingle().Subject;
        var sequences = records.Select(r => r.Sequence - 1).ToList();
        var previous = await db.AuditRecords.AsNoTracking().Where(r => r.EntityId == entityId && sequences.Contains(r.Sequence)).ToDictionaryAsync(r => r.Sequence, r => r.Hash);
        var expected = records.Select(r => (r.Id, PrevHash: r.Sequence == 1 ? AuditRecord.GenesisHash : previous[r.Sequence - 1], Hash: r.ComputeHash())).ToList();

        // Act
        var response = await scenario.Caller.GetAsync($"{Base}/{scenario.Target}/audit_log?limit=100");

        // Assert
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var items = (await response.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        items.Select(i => (i.GetProperty("id").GetInt64(), i.GetProperty("prev_hash").GetString()!, i.GetProperty("hash").GetString()!)).Should().Equal(expected);
    }

    /// <summary>
    /// A target account with tokens A and B (made by Ada): A calls twice, B once; then an owner-role caller of its own
    /// retitles the target through the API. The target's log: create, token.create ×2, api.request ×3, service_account.update.
    /// </summary>
    private async Task<Scenario> ScenarioAsync()
    {
        var caller = await app.CreateAccountAsync(Sandbox, role: Role.Owner);
        var callerToken = await app.MintTokenAsync(Sandbox, caller.Handle);
        var target = await app.CreateAccountAsync(Sandbox);
        var tokenA = await app.MintTokenAsync(Sandbox, target.Handle);
        var tokenB = await app.MintTokenAsync(Sandbox, target.Handle);
        using (var a = app.ClientWith(tokenA.Secret))
        using (var b = app.ClientWith(tokenB.Secret))
        {
            (await a.GetAsync("/api/v0/actor")).EnsureSuccessStatusCode();
            (await b.GetAsync("/api/v0/actor")).EnsureSuccessStatusCode();
            (await a.GetAsync("/api/v0/actor")).EnsureSuccessStatusCode();
        }
        var client = app.ClientWith(callerToken.Secret);
        (await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", """{"title": "Filtered"}""")).EnsureSuccessStatusCode();
        await app.FlushAuditAsync();
        return new Scenario(client, caller.Handle, target.Id, target.Handle, tokenA.Token.Id, tokenB.Token.Id);
    }

    private async Task<List<AuditRecord>> StoredAsync(string accountId)
    {
        await using var db = app.NewDbContext();
        return await db.AuditRecords.AsNoTracking().Where(r => r.IdentityId == accountId).OrderByDescending(r => r.Id).ToListAsync();
    }

    /// <summary>The ids (newest first) that <paramref name="filters"/> selects from the stored records, and whether the scenario has any.</summary>
    private static (List<long> Ids, bool MatchesSome) Expected(string filters, Scenario s, List<AuditRecord> stored)
    {
        (Func<AuditRecord, bool> Match, bool MatchesSome) expected = filters switch
        {
            "token_id={A}" => (r => r.TokenId == s.TokenA, true),
            "token_id={A}&action=api.request" => (r => r.TokenId == s.TokenA && r.ActionType == AuditActions.ApiRequest, true),
            "token_id={B}&action=token.create&action=api.request" => (r => r.TokenId == s.TokenB && r.ActionType is AuditActions.TokenCreate or AuditActions.ApiRequest, true),
            "q={A8}&action=token.create" => (r => r.TokenId == s.TokenA && r.ActionType == AuditActions.TokenCreate, true),
            "actor={caller}&q={target}" => (r => r.ActorHandle == s.CallerHandle && r.TargetHandle == s.TargetHandle, true),
            "token_id={A}&q={B8}" => (_ => false, false),
            _ => throw new ArgumentOutOfRangeException(nameof(filters), filters, null),
        };
        return (stored.Where(expected.Match).Select(r => r.Id).ToList(), expected.MatchesSome);
    }

    private sealed record Scenario(HttpClient Caller, string CallerHandle, string Target, string TargetHandle, string TokenA, string TokenB)
    {
        public string Fill(string filters) => filters
            .Replace("{A8}", Uri.EscapeDataString(TokenA[..8]), StringComparison.Ordinal)
            .Replace("{B8}", Uri.EscapeDataString(TokenB[..8]), StringComparison.Ordinal)
            .Replace("{A}", Uri.EscapeDataString(TokenA), StringComparison.Ordinal)
            .Replace("{B}", Uri.EscapeDataString(TokenB), StringComparison.Ordinal)
            .Replace("{caller}", Uri.EscapeDataString(CallerHandle), StringComparison.Ordinal)
            .Replace("{target}", Uri.EscapeDataString(TargetHandle), StringComparison.Ordinal);
    }
}
