using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>PATCH and DELETE honour If-Match: version_id. Each test works on accounts of its own.</summary>
public sealed class IfMatchTests(OwnerRoleFixture fixture) : IClassFixture<OwnerRoleFixture>, IDisposable
{
    private const string Base = "/api/v0/org/sandbox/service_account";
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");

    private readonly ApiAppFactory app = fixture.App;
    private readonly HttpClient client = fixture.App.ClientWith(fixture.Runner.Secret);

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task PatchServiceAccount_StaleIfMatch_Returns412AndChangesNothing()
    {
        var target = await app.CreateAccountAsync(Sandbox, "Before");
        var read = await client.GetAsync($"{Base}/{target.Id}");
        var etag = read.Headers.ETag!.Tag;
        // Someone else (Ada, in the console) changes it after the client read it.
        var ada = await app.OwnerAsync();
        CoreHost.Must(await app.Services.GetRequiredService<ServiceAccountService>()
            .UpdateAsync(ada, Sandbox, target.Handle, new ServiceAccountChanges("Changed by Ada", null), target.Version));

        var response = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", """{"title": "Changed by the API"}""", ifMatch: etag);

        etag.Should().Be($"\"{target.Version}\"");
        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await response.DetailAsync()).Should().Contain("changed by someone else");
        await using var db = app.NewDbContext();
        (await db.ServiceAccounts.SingleAsync(s => s.Id == target.Id)).Title.Should().Be("Changed by Ada");
        (await db.AuditRecords.CountAsync(r => r.IdentityId == target.Id && r.ActionType == AuditActions.ServiceAccountUpdate && r.ActorHandle == "terraform-runner"))
            .Should().Be(0);
    }

    [Theory]
    [InlineData("\"{0}\"")]
    [InlineData("W/\"{0}\"")]
    [InlineData("{0}")]
    public async Task PatchServiceAccount_MatchingIfMatch_Returns200WithTheNextVersion(string format)
    {
        var target = await app.CreateAccountAsync(Sandbox);

        var response = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", """{"title": "Renamed"}""", ifMatch: string.Format(System.Globalization.CultureInfo.InvariantCulture, format, target.Version));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        body.GetProperty("version_id").GetInt64().Should().Be(target.Version + 1);
        body.GetProperty("title").GetString().Should().Be("Renamed");
        response.Headers.ETag!.Tag.Should().Be($"\"{target.Version + 1}\"");
    }

    [Fact]
    public async Task DeleteServiceAccount_StaleIfMatch_Returns412AndTheAccountStays()
    {
        var target = await app.CreateAccountAsync(Sandbox);

        var response = await client.SendJsonAsync(HttpMethod.Delete, $"{Base}/{target.Id}", ifMatch: $"\"{target.Version + 5}\"");

        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await client.GetAsync($"{Base}/{target.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteServiceAccount_MatchingIfMatch_Returns204()
    {
        var target = await app.CreateAccountAsync(Sandbox);

        var response = await client.SendJsonAsync(HttpMethod.Delete, $"{Base}/{target.Id}", ifMatch: $"\"{target.Version}\"");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync($"{Base}/{target.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchToken_StaleIfMatch_Returns412AndTheTokenStaysActive()
    {
        var target = await app.CreateAccountAsync(Sandbox);
        var token = await app.MintTokenAsync(Sandbox, target.Handle);
        var path = $"{Base}/{target.Id}/token/{token.Token.Id}";

        var response = await client.SendJsonAsync(HttpMethod.Patch, path, """{"status": "inactive"}""", ifMatch: $"\"{token.Token.Version + 1}\"");
        var delete = await client.SendJsonAsync(HttpMethod.Delete, path, ifMatch: $"\"{token.Token.Version + 1}\"");

        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        delete.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        await using var db = app.NewDbContext();
        (await db.ApiTokens.SingleAsync(t => t.Id == token.Token.Id)).Status.Should().Be(TokenStatus.Active);
    }

    [Theory]
    [InlineData("PATCH", "abc")]
    [InlineData("PATCH", "\"1.5\"")]
    [InlineData("PATCH", "\"-1\"")]
    [InlineData("DELETE", "\"v1\"")]
    public async Task Change_MalformedIfMatch_Returns400AndChangesNothing(string method, string ifMatch)
    {
        var target = await app.CreateAccountAsync(Sandbox);

        var response = await client.SendJsonAsync(new HttpMethod(method), $"{Base}/{target.Id}", method == "PATCH" ? """{"title": "Renamed"}""" : null, ifMatch: ifMatch);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.DetailAsync()).Should().Contain("If-Match");
        await using var db = app.NewDbContext();
        (await db.ServiceAccounts.SingleAsync(s => s.Id == target.Id)).Version.Should().Be(target.Version);
    }
}
