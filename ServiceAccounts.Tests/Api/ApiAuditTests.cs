using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>api.request and token.auth_failed records. Every test calls with accounts of its own, so records don't mix.</summary>
public sealed class ApiAuditTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private const string Base = "/api/v0/org/sandbox/service_account";
    private const string UserAgent = "api-audit-tests/1.0";
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");

    [Fact]
    public async Task GetActor_ValidToken_WritesApiRequestWithTheAccountTokenAndStatus()
    {
        var (account, token, client) = await CallerAsync(Role.Member);

        var response = await client.GetAsync("/api/v0/actor");
        await app.FlushAuditAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var record = (await ApiRequestsAsync(token.Token.Id)).Should().ContainSingle().Subject;
        record.ActorType.Should().Be(ActorType.ServiceAccount);
        record.ActorId.Should().Be(account);
        record.IdentityId.Should().Be(account);
        record.TokenId.Should().Be(token.Token.Id);
        record.ActorUserAgent.Should().Be(UserAgent);
        var data = Data(record);
        data.GetProperty("method").GetString().Should().Be("GET");
        data.GetProperty("path").GetString().Should().Be("/api/v0/actor");
        data.GetProperty("status").GetInt32().Should().Be(200);
    }

    [Fact]
    public async Task PatchTitle_OwnerRoleAccount_SavesTheUpdateAndItsApiRequestInOneTransaction()
    {
        var (caller, token, client) = await CallerAsync(Role.Owner);
        var target = await app.CreateAccountAsync(Sandbox, "Old Title");
        await app.FlushAuditAsync();

        var response = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", """{"title": "New Title"}""");

        // No flush: the api.request record of a change is saved with the change, not queued.
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var db = app.NewDbContext();
        var records = await db.AuditRecords.Where(r => r.TokenId == token.Token.Id && r.ActorId == caller).OrderBy(r => r.Id).ToListAsync();
        records.Select(r => r.ActionType).Should().Equal(AuditActions.ServiceAccountUpdate, AuditActions.ApiRequest);
        var (update, request) = (records[0], records[1]);
        request.Id.Should().Be(update.Id + 1);
        request.EntityId.Should().Be(update.EntityId);
        request.Sequence.Should().Be(update.Sequence + 1);
        request.PrevHash.Should().Be(update.Hash);
        Data(update).GetProperty("title").GetProperty("after").GetString().Should().Be("New Title");
        update.IdentityId.Should().Be(target.Id);
        Data(request).GetProperty("method").GetString().Should().Be("PATCH");
        Data(request).GetProperty("status").GetInt32().Should().Be(200);
    }

    [Theory]
    [InlineData("PATCH", "/api/v0/org/sandbox/service_account/{sa}", "/api/v0/{kind}/{handle}/service_account/{sa_id}")]
    [InlineData("GET", "/api/v0/org/sandbox/service_account", "/api/v0/{kind}/{handle}/service_account")]
    [InlineData("GET", "/api/v0/org/sandbox/service_account/{sa}/token", "/api/v0/{kind}/{handle}/service_account/{sa_id}/token")]
    [InlineData("GET", "/api/v0/org/sandbox/member", "/api/v0/{kind}/{handle}/member")]
    public async Task ApiRequest_EntityRoute_RecordsTheRouteTemplateAsTheOpenApiDocumentNamesIt(string method, string path, string template)
    {
        var (_, token, client) = await CallerAsync(Role.Owner);
        var target = await app.CreateAccountAsync(Sandbox);

        var response = await client.SendJsonAsync(new HttpMethod(method), path.Replace("{sa}", target.Id), method == "PATCH" ? """{"title": "Templated"}""" : null);
        await app.FlushAuditAsync();

        response.IsSuccessStatusCode.Should().BeTrue();
        var record = (await ApiRequestsAsync(token.Token.Id)).Should().ContainSingle().Subject;
        Data(record).GetProperty("path").GetString().Should().Be(template);
    }

    [Theory]
    [InlineData(Role.Member, "PATCH", "{target}", """{"title": "Not allowed"}""", 403)]
    [InlineData(Role.Member, "GET", "{target}/token", null, 403)]
    [InlineData(Role.Owner, "GET", "u_nosuchaccount0000000", null, 404)]
    [InlineData(Role.Owner, "POST", "", """{"title": 5}""", 400)]
    [InlineData(Role.Owner, "POST", "{target}/token", """{"expiration": 86400}""", 409)]
    public async Task RefusedRequest_WithAValidToken_RecordsApiRequestWithTheRefusalStatus(Role role, string method, string relative, string? body, int status)
    {
        var (_, token, client) = await CallerAsync(role);
        var target = await app.CreateAccountAsync(Sandbox);
        await app.MintTokenAsync(Sandbox, target.Handle);
        await app.MintTokenAsync(Sandbox, target.Handle);

        var response = await client.SendJsonAsync(new HttpMethod(method), $"{Base}/{relative.Replace("{target}", target.Id)}".TrimEnd('/'), body);
        await app.FlushAuditAsync();

        ((int)response.StatusCode).Should().Be(status);
        var record = (await ApiRequestsAsync(token.Token.Id)).Should().ContainSingle().Subject;
        Data(record).GetProperty("method").GetString().Should().Be(method);
        Data(record).GetProperty("status").GetInt32().Should().Be(status, "the record must say how the request was answered");
    }

    [Fact]
    public async Task WrongSecret_KnownTokenId_Returns401AndWritesTokenAuthFailed()
    {
        var (account, token, _) = await CallerAsync(Role.Owner);
        using var forged = app.ClientWith(TokenFormat.Generate(token.Token.Id));
        forged.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);

        var response = await forged.GetAsync("/api/v0/actor");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.DetailAsync()).Should().Be("The token is revoked or unknown.");
        await app.FlushAuditAsync();
        await using var db = app.NewDbContext();
        // Ada's token.create names the token too; beyond it, only the failure.
        var records = await db.AuditRecords.Where(r => r.TokenId == token.Token.Id && r.ActionType != AuditActions.TokenCreate).ToListAsync();
        var failure = records.Should().ContainSingle("a refused request is not an api.request").Subject;
        failure.ActionType.Should().Be(AuditActions.TokenAuthFailed);
        failure.IdentityId.Should().Be(account);
        failure.ActorType.Should().Be(ActorType.System);
        failure.ActorUserAgent.Should().Be(UserAgent);
        Data(failure).GetProperty("reason").GetString().Should().Be("wrong_secret");
    }

    [Theory]
    [InlineData("inactive")]
    [InlineData("expired")]
    public async Task RefusedKnownToken_InactiveOrExpired_WritesTokenAuthFailedWithTheReason(string reason)
    {
        var (account, token, client) = await CallerAsync(Role.Member);
        var ada = await app.OwnerAsync();
        if (reason == "inactive")
        {
            CoreHost.Must(await app.Services.GetRequiredService<TokenService>().DeactivateAsync(ada, Sandbox, account, token.Token.Id));
        }
        else
        {
            await using var setup = app.NewDbContext();
            await setup.ApiTokens.Where(t => t.Id == token.Token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        var response = await client.GetAsync("/api/v0/actor");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await using var db = app.NewDbContext();
        var failure = await db.AuditRecords.SingleAsync(r => r.TokenId == token.Token.Id && r.ActionType == AuditActions.TokenAuthFailed);
        Data(failure).GetProperty("reason").GetString().Should().Be(reason);
        failure.IdentityId.Should().Be(account);
    }

    [Fact]
    public async Task AuditLog_LimitAndNextToken_PagesNewestFirstWithoutOverlap()
    {
        var (_, _, client) = await CallerAsync(Role.Owner);
        var target = await app.CreateAccountAsync(Sandbox);
        for (var i = 0; i < 3; i++)
        {
            (await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", $$"""{"title": "Title {{i}}"}""")).EnsureSuccessStatusCode();
        }

        var first = await (await client.GetAsync($"{Base}/{target.Id}/audit_log?limit=2")).JsonAsync();
        var second = await (await client.GetAsync($"{Base}/{target.Id}/audit_log?limit=2&next_token={Uri.EscapeDataString(first.GetProperty("next_token").GetString()!)}")).JsonAsync();
        var all = await (await client.GetAsync($"{Base}/{target.Id}/audit_log?limit=100")).JsonAsync();

        var ids = all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        ids.Should().HaveCount(4, "one create and three updates").And.BeInDescendingOrder();
        first.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Should().Equal(ids.Take(2));
        second.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Should().Equal(ids.Skip(2));
        second.GetProperty("next_token").ValueKind.Should().Be(JsonValueKind.Null);
        all.GetProperty("items")[0].GetProperty("action_type").GetString().Should().Be(AuditActions.ServiceAccountUpdate);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("next_token=not-a-cursor")]
    public async Task AuditLog_BadPaging_Returns400(string query)
    {
        var (account, _, client) = await CallerAsync(Role.Owner);

        var response = await client.GetAsync($"{Base}/{account}/audit_log?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.DetailAsync()).Should().NotBeNullOrWhiteSpace();
    }

    /// <summary>A fresh account of sandbox with the given role and a token; a client that calls with it.</summary>
    private async Task<(string AccountId, CreatedToken Token, HttpClient Client)> CallerAsync(Role role)
    {
        var account = await app.CreateAccountAsync(Sandbox, role: role);
        var token = await app.MintTokenAsync(Sandbox, account.Handle);
        var client = app.ClientWith(token.Secret);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return (account.Id, token, client);
    }

    private async Task<List<AuditRecord>> ApiRequestsAsync(string tokenId)
    {
        await using var db = app.NewDbContext();
        return await db.AuditRecords.Where(r => r.TokenId == tokenId && r.ActionType == AuditActions.ApiRequest).ToListAsync();
    }

    private static JsonElement Data(AuditRecord record) => JsonDocument.Parse(record.Data).RootElement.Clone();
}
