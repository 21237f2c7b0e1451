using System.Net;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>Rule 4: whatever the app logs, at any level, never holds a token secret.</summary>
public sealed class SecretLoggingTests : IAsyncLifetime
{
    private const string Base = "/api/v0/org/sandbox/service_account";

    private readonly LogCapture logs = new();
    private readonly ApiAppFactory app;

    public SecretLoggingTests() => app = new ApiAppFactory { Logs = logs };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Logs_TokenCreatedUsedAndRefused_NeverContainASecret()
    {
        var secrets = new List<string>();
        var runner = await app.MintTokenAsync(EntityRef.Org("sandbox"), "terraform-runner");
        secrets.Add(runner.Secret);
        using var client = app.ClientWith(runner.Secret);

        var created = await client.SendJsonAsync(HttpMethod.Post, $"{Base}/ci-deployer/token", """{"title": "logged?", "expiration": 86400}""");
        var apiSecret = (await created.JsonAsync()).GetProperty("secret").GetString()!;
        secrets.Add(apiSecret);
        using var fresh = app.ClientWith(apiSecret);
        (await fresh.GetAsync("/api/v0/actor")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fresh.GetAsync("/api/v0/org/sandbox/member")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fresh.GetAsync($"{Base}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync($"{Base}/ci-deployer/token")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync($"{Base}/ci-deployer/audit_log")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendJsonAsync(HttpMethod.Post, $"{Base}/ci-deployer/token", """{"expiration": 86400}""")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.SendJsonAsync(HttpMethod.Post, $"{Base}/ci-deployer/token", """{"expiration": "soon"}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var forged = TokenFormat.Generate(runner.Token.Id);
        secrets.Add(forged);
        using var forgedClient = app.ClientWith(forged);
        (await forgedClient.GetAsync("/api/v0/actor")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var badChecksum = apiSecret[..^1] + (apiSecret[^1] == 'A' ? 'B' : 'A');
        using var badChecksumClient = app.ClientWith(badChecksum);
        (await badChecksumClient.GetAsync("/api/v0/actor")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var tokenId = (await created.JsonAsync()).GetProperty("token").GetProperty("id").GetString();
        (await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/ci-deployer/token/{tokenId}", """{"status": "inactive"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fresh.GetAsync("/api/v0/actor")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await app.FlushAuditAsync();

        var messages = logs.Messages.ToList();
        messages.Should().Contain(m => m.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal), "SQL is captured too");
        messages.Should().Contain(m => m.Contains("/api/v0/actor", StringComparison.Ordinal), "requests are captured");
        foreach (var secret in secrets)
        {
            var secretPart = StatusMatrixTests.SecretPart(secret);
            var leaks = messages.Where(m => m.Contains(secret, StringComparison.Ordinal) || m.Contains(secretPart, StringComparison.Ordinal)).ToList();
            leaks.Should().BeEmpty($"no log message may hold the secret of {secret[..24]}…");
        }
    }

    [Fact]
    public async Task Logs_TokenSentInTheQueryString_DoNotContainIt()
    {
        var runner = await app.MintTokenAsync(EntityRef.Org("sandbox"), "terraform-runner");
        using var client = app.ClientWith(null);

        var response = await client.GetAsync("/api/v0/actor?access_token=" + runner.Secret);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var leaks = logs.Messages.Where(m => m.Contains(StatusMatrixTests.SecretPart(runner.Secret), StringComparison.Ordinal)).ToList();
        leaks.Should().BeEmpty("a token sent by mistake in the URL is refused, and must not then be kept in the logs");
    }
}
