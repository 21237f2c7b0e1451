using System.Net;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>
/// Callers and targets for the bad-body cases: terraform-runner in sandbox, and an owner-role account of acme
/// (Maximum Token Expiration 90 days) with a member-role target. Sandbox's target has one token and a free slot,
/// so a body that slipped through would create something.
/// </summary>
public sealed class BadBodyFixture : IAsyncLifetime
{
    public ApiAppFactory App { get; } = new();

    public string SandboxOwnerToken { get; private set; } = null!;
    public string AcmeOwnerToken { get; private set; } = null!;
    public string SandboxTarget { get; private set; } = null!;
    public string SandboxTargetToken { get; private set; } = null!;
    public string AcmeTarget { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var sandbox = EntityRef.Org("sandbox");
        var acme = EntityRef.Tenant("acme");
        SandboxOwnerToken = (await App.MintTokenAsync(sandbox, "terraform-runner")).Secret;
        var target = await App.CreateAccountAsync(sandbox, "Bad Body Target");
        SandboxTarget = target.Id;
        SandboxTargetToken = (await App.MintTokenAsync(sandbox, target.Handle)).Token.Id;
        var acmeOwner = await App.CreateAccountAsync(acme, "Acme Automation", Role.Owner);
        AcmeOwnerToken = (await App.MintTokenAsync(acme, acmeOwner.Handle)).Secret;
        AcmeTarget = (await App.CreateAccountAsync(acme, "Acme Target")).Id;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class BadBodyTests(BadBodyFixture fixture) : IClassFixture<BadBodyFixture>
{
    private static readonly string Title101 = new('a', 101);

    public static TheoryData<string, string, string?, string, string> Cases() => new()
    {
        // where, method, content type, body, what detail must say
        { "accounts", "POST", "application/json", """{"title": 5}""", "'title' must be a string" },
        { "accounts", "POST", "application/json", """{"title": "ok", "description": {"a": 1}}""", "'description' must be a string" },
        { "accounts", "POST", "application/json", """{"title": "ok", "role": "owner"}""", "Unknown field 'role'" },
        { "accounts", "POST", "application/json", $$"""{"title": "{{Title101}}"}""", "at most 100 characters" },
        { "accounts", "POST", "application/json", """{"title": "bell\u0007here"}""", "control characters" },
        { "accounts", "POST", "application/json", """{"title": "   "}""", "Title is required" },
        { "accounts", "POST", "application/json", """{}""", "Title is required" },
        { "accounts", "POST", "application/json", """{"title": "broken""", "not valid JSON" },
        { "accounts", "POST", "application/json", """[{"title": "in an array"}]""", "must be a JSON object" },
        { "accounts", "POST", null, """{"title": "no content type"}""", "Content-Type: application/json" },
        { "account", "PATCH", "application/json", """{"title": 12}""", "'title' must be a string" },
        { "account", "PATCH", "application/json", """{"title": null}""", "'title' can't be null" },
        { "account", "PATCH", "application/json", $$"""{"title": "{{Title101}}"}""", "at most 100 characters" },
        { "account", "PATCH", "application/json", """{"title": "ok", "handle": "new-handle"}""", "Unknown field 'handle'" },
        { "account", "PATCH", "application/json", "", "not valid JSON" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": -86400}""", "must be a positive number of seconds" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": 0}""", "must be a positive number of seconds" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": "86400"}""", "must be a whole number of seconds" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": 86400.5}""", "must be a whole number of seconds" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": 1e30}""", "must be a whole number of seconds" },
        { "tokens", "POST", "application/json", """{"title": "t", "expiration": 60}""", "at least one hour" },
        { "tokens", "POST", "application/json", """{"title": "t"}""", "'expiration' is required" },
        { "tokens", "POST", "application/json", $$"""{"title": "{{Title101}}", "expiration": 86400}""", "at most 100 characters" },
        { "tokens", "POST", "application/json", """{"title": ["t"], "expiration": 86400}""", "'title' must be a string" },
        { "tokens", "POST", "application/json", """{"expiration": 86400, "status": "active"}""", "Unknown field 'status'" },
        { "token", "PATCH", "application/json", """{"status": "paused"}""", "'status' must be one of 'active', 'inactive' (got 'paused')" },
        { "token", "PATCH", "application/json", """{"status": true}""", "'status' must be a string" },
        { "token", "PATCH", "application/json", """{"expiration": 3600}""", "Unknown field 'expiration'" },
        { "token", "PATCH", "application/json", $$"""{"title": "{{Title101}}"}""", "at most 100 characters" },
        { "acme-tokens", "POST", "application/json", $$"""{"title": "t", "expiration": {{91 * 86400}}}""", "90 days" },
        { "acme-tokens", "POST", "application/json", """{"title": "t", "expiration": null}""", "90 days" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_BadBody_Returns400WithAClearDetailAndSavesNothing(string where, string method, string? contentType, string body, string detail)
    {
        var acme = where.StartsWith("acme", StringComparison.Ordinal);
        using var client = fixture.App.ClientWith(acme ? fixture.AcmeOwnerToken : fixture.SandboxOwnerToken);
        var path = where switch
        {
            "accounts" => "/api/v0/org/sandbox/service_account",
            "account" => $"/api/v0/org/sandbox/service_account/{fixture.SandboxTarget}",
            "tokens" => $"/api/v0/org/sandbox/service_account/{fixture.SandboxTarget}/token",
            "token" => $"/api/v0/org/sandbox/service_account/{fixture.SandboxTarget}/token/{fixture.SandboxTargetToken}",
            "acme-tokens" => $"/api/v0/tenant/acme/service_account/{fixture.AcmeTarget}/token",
            _ => throw new ArgumentOutOfRangeException(nameof(where)),
        };
        var before = await SnapshotAsync();

        var response = await client.SendJsonAsync(new HttpMethod(method), path, body, contentType: contentType);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.DetailAsync()).Should().Contain(detail);
        (await SnapshotAsync()).Should().BeEquivalentTo(before, "a refused request saves nothing");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task CreateServiceAccount_NonJsonContentType_ReturnsAProblemAndSavesNothing(string contentType)
    {
        using var client = fixture.App.ClientWith(fixture.SandboxOwnerToken);
        var before = await SnapshotAsync();

        var response = await client.SendJsonAsync(HttpMethod.Post, "/api/v0/org/sandbox/service_account", """{"title": "Not JSON"}""", contentType: contentType);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().BeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType], text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", $"API errors are problem details, not a console page: {text}");
        (await SnapshotAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task UnknownApiRoute_ValidToken_Returns404ProblemNotAnHtmlPage()
    {
        using var client = fixture.App.ClientWith(fixture.SandboxOwnerToken);

        var response = await client.GetAsync("/api/v0/org/sandbox/no_such_collection");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    /// <summary>What a wrongly accepted body could change: accounts, tokens, their versions, and audit records other than api.request.</summary>
    private async Task<object> SnapshotAsync()
    {
        await using var db = fixture.App.NewDbContext();
        return new
        {
            Accounts = await db.ServiceAccounts.OrderBy(s => s.Id).Select(s => s.Id + " " + s.Version + " " + s.Title).ToListAsync(),
            Tokens = await db.ApiTokens.OrderBy(t => t.Id).Select(t => t.Id + " " + t.Version + " " + t.Status).ToListAsync(),
            Records = await db.AuditRecords.CountAsync(r => r.ActionType != AuditActions.ApiRequest),
        };
    }
}
