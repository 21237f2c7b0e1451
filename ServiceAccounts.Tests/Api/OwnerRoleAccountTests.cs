using System.Net;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Api;

/// <summary>One app and one terraform-runner token for the class; each test makes the accounts it changes.</summary>
public sealed class OwnerRoleFixture : IAsyncLifetime
{
    public ApiAppFactory App { get; } = new();

    public CreatedToken Runner { get; private set; } = null!;

    public async Task InitializeAsync() => Runner = await App.MintTokenAsync(EntityRef.Org("sandbox"), "terraform-runner");

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Rule 6 in detail: what terraform-runner (owner role in sandbox) may and may not do through the API.</summary>
public sealed class OwnerRoleAccountTests(OwnerRoleFixture fixture) : IClassFixture<OwnerRoleFixture>, IDisposable
{
    private const string Base = "/api/v0/org/sandbox/service_account";
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");

    private readonly ApiAppFactory app = fixture.App;
    private readonly CreatedToken runner = fixture.Runner;
    private readonly HttpClient client = fixture.App.ClientWith(fixture.Runner.Secret);

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task ManageOwnTokens_OwnerRoleAccount_ListsCreatesChangesAndDeletesThem()
    {
        var seeded = await SingleOtherTokenAsync("terraform-runner", runner.Token.Id);

        var list = await client.GetAsync($"{Base}/terraform-runner/token");
        var deleted = await client.DeleteAsync($"{Base}/terraform-runner/token/{seeded}");
        var created = await client.SendJsonAsync(HttpMethod.Post, $"{Base}/terraform-runner/token", """{"title": "rotated", "expiration": 604800}""");
        var newId = (await created.JsonAsync()).GetProperty("token").GetProperty("id").GetString();
        var renamed = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/terraform-runner/token/{newId}", """{"title": "rotated again"}""");
        var removed = await client.DeleteAsync($"{Base}/terraform-runner/token/{newId}");

        list.StatusCode.Should().Be(HttpStatusCode.OK);
        (await list.JsonAsync()).GetProperty("items").GetArrayLength().Should().Be(2);
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        renamed.StatusCode.Should().Be(HttpStatusCode.OK);
        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await using var db = app.NewDbContext();
        (await db.ApiTokens.Where(t => db.ServiceAccounts.Any(s => s.Id == t.ServiceAccountId && s.Handle == "terraform-runner")).Select(t => t.Id).ToListAsync()).Should().Equal(runner.Token.Id);
    }

    [Fact]
    public async Task UpdateOrDeleteItself_OwnerRoleAccount_Returns403AndChangesNothing()
    {
        var before = await AccountAsync("terraform-runner");

        var patch = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/terraform-runner", """{"title": "I renamed myself"}""");
        var patchDescription = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/terraform-runner", """{"description": "mine"}""");
        var delete = await client.DeleteAsync($"{Base}/terraform-runner");

        patch.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await patch.DetailAsync()).Should().Contain("cannot change or delete itself");
        patchDescription.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        delete.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var after = await AccountAsync("terraform-runner");
        after.Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task ChangeAnotherOwnerRoleAccount_OwnerRoleAccount_Returns403ButMayRead()
    {
        var other = await app.CreateAccountAsync(Sandbox, role: Role.Owner);
        var token = await app.MintTokenAsync(Sandbox, other.Handle);
        var path = $"{Base}/{other.Id}";

        var get = await client.GetAsync(path);
        var tokens = await client.GetAsync($"{path}/token");
        var audit = await client.GetAsync($"{path}/audit_log");
        var refused = new[]
        {
            await client.SendJsonAsync(HttpMethod.Patch, path, """{"title": "taken over"}"""),
            await client.DeleteAsync(path),
            await client.SendJsonAsync(HttpMethod.Post, $"{path}/token", """{"expiration": 86400}"""),
            await client.SendJsonAsync(HttpMethod.Patch, $"{path}/token/{token.Token.Id}", """{"status": "inactive"}"""),
            await client.DeleteAsync($"{path}/token/{token.Token.Id}"),
        };

        get.StatusCode.Should().Be(HttpStatusCode.OK);
        tokens.StatusCode.Should().Be(HttpStatusCode.OK);
        audit.StatusCode.Should().Be(HttpStatusCode.OK);
        refused.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Forbidden);
        (await refused[0].DetailAsync()).Should().Contain("Owner-role service accounts can only be managed by the owners");
        var after = await AccountAsync(other.Handle);
        after.Title.Should().Be(other.Title);
        after.Version.Should().Be(other.Version);
        await using var db = app.NewDbContext();
        (await db.ApiTokens.SingleAsync(t => t.ServiceAccountId == other.Id)).Status.Should().Be(TokenStatus.Active);
    }

    [Fact]
    public async Task CreateServiceAccount_OwnerRoleAccount_CreatesAMemberWithLocationAndETag()
    {
        var response = await client.SendJsonAsync(HttpMethod.Post, Base, """{"title": "Nightly Backup", "description": "made by terraform"}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        body.GetProperty("role").GetString().Should().Be("member");
        body.GetProperty("handle").GetString().Should().Be("nightly-backup");
        body.GetProperty("created_by").GetString().Should().Be("terraform-runner");
        response.Headers.Location!.ToString().Should().Be($"{Base}/{body.GetProperty("id").GetString()}");
        response.Headers.ETag!.Tag.Should().Be($"\"{body.GetProperty("version_id").GetInt64()}\"");
        var member = await (await client.GetAsync(response.Headers.Location)).JsonAsync();
        member.GetProperty("title").GetString().Should().Be("Nightly Backup");
    }

    [Fact]
    public async Task ManageAMemberRoleAccount_OwnerRoleAccount_UpdatesItAndDeletesIt()
    {
        var target = await app.CreateAccountAsync(Sandbox);

        var patch = await client.SendJsonAsync(HttpMethod.Patch, $"{Base}/{target.Id}", """{"title": "Renamed", "description": "by terraform"}""");
        var delete = await client.DeleteAsync($"{Base}/{target.Id}");
        var gone = await client.GetAsync($"{Base}/{target.Id}");

        patch.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await patch.JsonAsync();
        body.GetProperty("title").GetString().Should().Be("Renamed");
        body.GetProperty("description").GetString().Should().Be("by terraform");
        body.GetProperty("updated_by").GetString().Should().Be("terraform-runner");
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnythingOfAnotherEntity_OwnerRoleAccount_Returns404LikeSomethingThatDoesNotExist()
    {
        var existing = await client.GetAsync("/api/v0/tenant/acme/service_account/metrics-exporter");
        var missing = await client.GetAsync("/api/v0/tenant/no-such-tenant/service_account/metrics-exporter");
        var members = await client.GetAsync("/api/v0/org/acme-platform/member");
        var create = await client.SendJsonAsync(HttpMethod.Post, "/api/v0/tenant/acme/service_account", """{"title": "intruder"}""");

        existing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await existing.DetailAsync()).Should().Be((await missing.DetailAsync()).Replace("no-such-tenant", "acme"));
        members.StatusCode.Should().Be(HttpStatusCode.NotFound);
        create.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using var db = app.NewDbContext();
        (await db.ServiceAccounts.AnyAsync(s => s.Title == "intruder")).Should().BeFalse();
    }

    [Fact]
    public async Task ReadMembers_MemberRoleAccount_ListsTheEntityMembers()
    {
        var ci = await app.MintTokenAsync(Sandbox, "ci-deployer");
        using var member = app.ClientWith(ci.Secret);

        var response = await member.GetAsync("/api/v0/org/sandbox/member");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var handles = (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("handle").GetString()).ToList();
        handles.Should().Contain(["ci-deployer", "terraform-runner"]);
    }

    private async Task<string> SingleOtherTokenAsync(string handle, string exceptId)
    {
        await using var db = app.NewDbContext();
        return await db.ApiTokens.Where(t => db.ServiceAccounts.Any(s => s.Id == t.ServiceAccountId && s.Handle == handle) && t.Id != exceptId).Select(t => t.Id).SingleAsync();
    }

    private async Task<(string Title, string Description, long Version)> AccountAsync(string handle)
    {
        await using var db = app.NewDbContext();
        var account = await db.ServiceAccounts.Where(s => s.Handle == handle).Select(s => new { s.Title, s.Description, s.Version }).SingleAsync();
        return (account.Title, account.Description, account.Version);
    }
}
