using System.Net;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>A low limit (3 failures a minute) on an app of its own: every test-server request shares one client address.</summary>
public sealed class FailedAuthenticationLimitTests : IAsyncLifetime
{
    private readonly ApiAppFactory app = new() { FailedAuthenticationPermitLimit = 3 };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task BadTokens_BeyondTheLimit_Return429WithRetryAfterAndAProblem()
    {
        var valid = await app.MintTokenAsync(EntityRef.Org("sandbox"), "ci-deployer");
        using var bad = app.ClientWith("sat_not-a-token");
        using var good = app.ClientWith(valid.Secret);
        using var none = app.ClientWith(null);

        var beforeLimit = await good.GetAsync("/api/v0/actor");
        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add(await bad.GetAsync("/api/v0/actor"));
        }
        var validAfter = await good.GetAsync("/api/v0/actor");
        var noTokenAfter = await none.GetAsync("/api/v0/actor");

        beforeLimit.StatusCode.Should().Be(HttpStatusCode.OK);
        failures.Take(3).Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized);
        failures.Skip(3).Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests);
        var limited = failures[4];
        limited.Headers.RetryAfter!.Delta!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        (await limited.DetailAsync()).Should().Contain("Too many requests with invalid tokens");
        // The limiter is checked before the token (so a flood can't make the app look tokens up):
        // a valid token from a blocked address is refused too, until the window ends.
        validAfter.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        validAfter.Headers.RetryAfter.Should().NotBeNull();
        // Without any token there is nothing to guess, so it isn't limited.
        noTokenAfter.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
