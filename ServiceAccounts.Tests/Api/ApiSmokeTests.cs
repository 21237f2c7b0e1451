using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

public sealed class ApiSmokeTests : IAsyncLifetime
{
    private readonly WebAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Actor_ValidToken_ReturnsTheAccountAndIsAudited()
    {
        var token = await app.MintTokenAsync(EntityRef.Org("sandbox"), "ci-deployer");
        using var client = app.ClientWith(token.Secret);

        var response = await client.GetAsync("/api/v0/actor");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("handle").GetString().Should().Be("ci-deployer");
        body.GetProperty("version_id").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task CreateToken_OwnerRoleAccount_Returns201WithSecretOnce()
    {
        var token = await app.MintTokenAsync(EntityRef.Org("sandbox"), "terraform-runner");
        using var client = app.ClientWith(token.Secret);

        var response = await client.PostAsJsonAsync("/api/v0/org/sandbox/service_account/ci-deployer/token", new { title = "from api", expiration = 86400 });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        response.Headers.Location!.ToString().Should().StartWith("/api/v0/org/sandbox/service_account/ci-deployer/token/t_");
        text.Should().Contain("\"secret\":\"sat_");
        var list = await client.GetStringAsync("/api/v0/org/sandbox/service_account/ci-deployer/token");
        list.Should().NotContain("sat_");
        var third = await client.PostAsJsonAsync("/api/v0/org/sandbox/service_account/ci-deployer/token", new { expiration = 86400 });
        third.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString().Should().Contain("at most 2 tokens");
    }

    [Fact]
    public async Task Actor_NoOrBadToken_Returns401WithBearerChallenge()
    {
        using var none = app.ClientWith(null);
        using var garbage = app.ClientWith("sat_garbage");

        var missing = await none.GetAsync("/api/v0/actor");
        var malformed = await garbage.GetAsync("/api/v0/actor");

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        missing.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        malformed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        malformed.Headers.WwwAuthenticate.ToString().Should().Contain("error=\"invalid_token\"");
        (await malformed.Content.ReadAsStringAsync()).Should().Contain("malformed");
    }
}
