using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>Who calls: the token a matrix row sends.</summary>
public enum Caller
{
    OwnerRoleAccount,
    MemberRoleAccount,
    OtherEntityAccount,
    NoToken,
    Malformed,
    BadChecksum,
    Expired,
    Inactive,
    AccountDeleted,
    IssuedBeforeReset,
}

/// <summary>
/// One app for the whole matrix: the callers' tokens are made once; every row then gets a fresh member-role target
/// account (with one token) in sandbox, so rows that delete or change things don't disturb each other.
/// </summary>
public sealed class StatusMatrixFixture : IAsyncLifetime
{
    public static readonly EntityRef Sandbox = EntityRef.Org("sandbox");
    public static readonly EntityRef Acme = EntityRef.Tenant("acme");

    public ApiAppFactory App { get; } = new();

    public Dictionary<Caller, string?> Tokens { get; } = [];

    /// <summary>Every full token made here, to check that no response body repeats one.</summary>
    public List<string> Secrets { get; } = [];

    public async Task InitializeAsync()
    {
        var ada = await App.OwnerAsync();
        Tokens[Caller.NoToken] = null;
        Tokens[Caller.OwnerRoleAccount] = await MintAsync(Sandbox, "terraform-runner");
        Tokens[Caller.MemberRoleAccount] = await MintAsync(Sandbox, "ci-deployer");
        Tokens[Caller.Malformed] = "sat_this-is-not-a-token";

        var real = await MintAsync(Sandbox, (await App.CreateAccountAsync(Sandbox)).Handle);
        Tokens[Caller.BadChecksum] = real[..^1] + (real[^1] == 'A' ? 'B' : 'A');

        var expiredHolder = await App.CreateAccountAsync(Sandbox, role: Role.Owner);
        var expired = await App.MintTokenAsync(Sandbox, expiredHolder.Handle);
        await using (var db = App.NewDbContext())
        {
            await db.ApiTokens.Where(t => t.Id == expired.Token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddHours(-1)));
        }
        Tokens[Caller.Expired] = Keep(expired.Secret);

        var inactiveHolder = await App.CreateAccountAsync(Sandbox, role: Role.Owner);
        var inactive = await App.MintTokenAsync(Sandbox, inactiveHolder.Handle);
        CoreHost.Must(await App.Services.GetRequiredService<TokenService>().DeactivateAsync(ada, Sandbox, inactiveHolder.Handle, inactive.Token.Id));
        Tokens[Caller.Inactive] = Keep(inactive.Secret);

        var deletedHolder = await App.CreateAccountAsync(Sandbox, role: Role.Owner);
        Tokens[Caller.AccountDeleted] = await MintAsync(Sandbox, deletedHolder.Handle);
        CoreHost.Must(await App.Services.GetRequiredService<ServiceAccountService>().DeleteAsync(ada, Sandbox, deletedHolder.Handle));

        // acme: a token issued before the tenant's authentication reset, and the other entity's caller issued after it.
        var resetHolder = await App.CreateAccountAsync(Acme);
        Tokens[Caller.IssuedBeforeReset] = await MintAsync(Acme, resetHolder.Handle);
        CoreHost.Must(await App.Services.GetRequiredService<TenancyService>().ResetAuthenticationAsync(ada, Acme.Handle));
        await Task.Delay(20);
        // Owner role in acme: had rule 6 leaked across entities, this caller could do everything in sandbox.
        var otherEntity = await App.CreateAccountAsync(Acme, role: Role.Owner);
        Tokens[Caller.OtherEntityAccount] = await MintAsync(Acme, otherEntity.Handle);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A fresh member-role account of sandbox with one token (made by Ada), and that token's id.</summary>
    public async Task<(string AccountId, string TokenId)> NewTargetAsync()
    {
        var account = await App.CreateAccountAsync(Sandbox);
        var token = await App.MintTokenAsync(Sandbox, account.Handle);
        return (account.Id, token.Token.Id);
    }

    private async Task<string> MintAsync(EntityRef entity, string handle) => Keep((await App.MintTokenAsync(entity, handle)).Secret);

    private string Keep(string secret)
    {
        Secrets.Add(secret);
        return secret;
    }
}

public sealed class StatusMatrixTests(StatusMatrixFixture fixture) : IClassFixture<StatusMatrixFixture>
{
    private const string Base = "/api/v0/org/sandbox";

    /// <summary>Every endpoint of /api/v0: method, path ({sa}, {token} filled per row), body, status on success.</summary>
    private static readonly Dictionary<string, (string Method, string Path, string? Body, HttpStatusCode Success)> Endpoints = new()
    {
        ["GET actor"] = ("GET", "/api/v0/actor", null, HttpStatusCode.OK),
        ["GET service_account"] = ("GET", $"{Base}/service_account", null, HttpStatusCode.OK),
        ["POST service_account"] = ("POST", $"{Base}/service_account", """{"title": "Made by the API"}""", HttpStatusCode.Created),
        ["GET service_account/{sa_id}"] = ("GET", $"{Base}/service_account/{{sa}}", null, HttpStatusCode.OK),
        ["PATCH service_account/{sa_id}"] = ("PATCH", $"{Base}/service_account/{{sa}}", """{"title": "Renamed by the API"}""", HttpStatusCode.OK),
        ["DELETE service_account/{sa_id}"] = ("DELETE", $"{Base}/service_account/{{sa}}", null, HttpStatusCode.NoContent),
        ["GET token"] = ("GET", $"{Base}/service_account/{{sa}}/token", null, HttpStatusCode.OK),
        ["POST token"] = ("POST", $"{Base}/service_account/{{sa}}/token", """{"title": "ci", "expiration": 86400}""", HttpStatusCode.Created),
        ["GET token/{token_id}"] = ("GET", $"{Base}/service_account/{{sa}}/token/{{token}}", null, HttpStatusCode.OK),
        ["PATCH token/{token_id}"] = ("PATCH", $"{Base}/service_account/{{sa}}/token/{{token}}", """{"status": "inactive"}""", HttpStatusCode.OK),
        ["DELETE token/{token_id}"] = ("DELETE", $"{Base}/service_account/{{sa}}/token/{{token}}", null, HttpStatusCode.NoContent),
        ["GET audit_log"] = ("GET", $"{Base}/service_account/{{sa}}/audit_log", null, HttpStatusCode.OK),
        ["GET member"] = ("GET", $"{Base}/member", null, HttpStatusCode.OK),
    };

    public static TheoryData<Caller, string, HttpStatusCode> Cases()
    {
        var cases = new TheoryData<Caller, string, HttpStatusCode>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            foreach (var (endpoint, spec) in Endpoints)
            {
                var readsOnlyItself = endpoint is "GET actor";
                var memberMayRead = endpoint is "GET actor" or "GET member";
                cases.Add(caller, endpoint, caller switch
                {
                    // Rule 6: owner role manages the member-role accounts of its billing entity and their tokens.
                    Caller.OwnerRoleAccount => spec.Success,
                    // A member-role account reads itself and the members; sees the rest exists but may not do it.
                    Caller.MemberRoleAccount => memberMayRead ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
                    // Rule 1: another entity's account never learns that sandbox or its accounts exist.
                    Caller.OtherEntityAccount => readsOnlyItself ? HttpStatusCode.OK : HttpStatusCode.NotFound,
                    _ => HttpStatusCode.Unauthorized,
                });
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_EachCallerOnEachEndpoint_ReturnsTheExactStatus(Caller caller, string endpoint, HttpStatusCode expected)
    {
        var (accountId, tokenId) = await fixture.NewTargetAsync();
        var spec = Endpoints[endpoint];
        using var client = fixture.App.ClientWith(fixture.Tokens[caller]);

        var response = await client.SendJsonAsync(new HttpMethod(spec.Method), spec.Path.Replace("{sa}", accountId).Replace("{token}", tokenId), spec.Body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, $"{caller} → {spec.Method} {spec.Path}: {text}");
        if ((int)expected >= 400)
        {
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
            (await response.DetailAsync()).Should().NotBeNullOrWhiteSpace();
        }
        if (expected == HttpStatusCode.Unauthorized)
        {
            var challenge = response.Headers.WwwAuthenticate.ToString();
            if (caller == Caller.NoToken)
            {
                challenge.Should().Be("Bearer");
            }
            else
            {
                challenge.Should().StartWith("Bearer error=\"invalid_token\"");
            }
        }
        foreach (var secret in fixture.Secrets)
        {
            text.Should().NotContain(secret).And.NotContain(SecretPart(secret));
        }
    }

    [Theory]
    [InlineData(Caller.NoToken, "needs a service account token")]
    [InlineData(Caller.Malformed, "The token is malformed.")]
    [InlineData(Caller.BadChecksum, "The token is malformed.")]
    [InlineData(Caller.Expired, "The token has expired.")]
    [InlineData(Caller.Inactive, "The token is inactive.")]
    [InlineData(Caller.AccountDeleted, "The token is revoked or unknown.")]
    [InlineData(Caller.IssuedBeforeReset, "The token is revoked or unknown.")]
    public async Task Actor_RefusedToken_Returns401WithAGeneralDetail(Caller caller, string detail)
    {
        using var client = fixture.App.ClientWith(fixture.Tokens[caller]);

        var response = await client.GetAsync("/api/v0/actor");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.DetailAsync()).Should().Contain(detail);
        if (fixture.Tokens[caller] is { Length: TokenFormat.Length } token)
        {
            var text = await response.Content.ReadAsStringAsync() + response.Headers.WwwAuthenticate;
            text.Should().NotContain(token[4..24], "the answer doesn't echo the token id back")
                .And.NotContain(SecretPart(token)).And.NotContain(token[^6..]);
        }
    }

    [Fact]
    public async Task Actor_ValidTokenInTheQueryString_Returns401()
    {
        using var client = fixture.App.ClientWith(null);

        var response = await client.GetAsync("/api/v0/actor?access_token=" + fixture.Tokens[Caller.OwnerRoleAccount]);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("Bearer error=");
        (await response.DetailAsync()).Should().Contain("query string");
    }

    [Fact]
    public async Task Actor_ValidHeaderPlusTokenInTheQueryString_Returns401()
    {
        using var client = fixture.App.ClientWith(fixture.Tokens[Caller.OwnerRoleAccount]);

        var response = await client.GetAsync("/api/v0/actor?access_token=" + fixture.Tokens[Caller.MemberRoleAccount]);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Actor_BasicScheme_Returns401()
    {
        using var client = fixture.App.ClientWith(null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", fixture.Tokens[Caller.OwnerRoleAccount]);

        var response = await client.GetAsync("/api/v0/actor");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
    }

    [Theory]
    [InlineData(Caller.OwnerRoleAccount, "terraform-runner", "owner")]
    [InlineData(Caller.MemberRoleAccount, "ci-deployer", "member")]
    public async Task Actor_ValidToken_ReturnsTheCallingAccount(Caller caller, string handle, string role)
    {
        using var client = fixture.App.ClientWith(fixture.Tokens[caller]);

        var body = await (await client.GetAsync("/api/v0/actor")).JsonAsync();

        body.GetProperty("handle").GetString().Should().Be(handle);
        body.GetProperty("role").GetString().Should().Be(role);
        body.GetProperty("billing_entity").GetProperty("handle").GetString().Should().Be("sandbox");
    }

    /// <summary>The 32 random characters between the token id and the checksum.</summary>
    internal static string SecretPart(string token) => token.Substring(4 + 20 + 1, TokenFormat.SecretLength);
}
