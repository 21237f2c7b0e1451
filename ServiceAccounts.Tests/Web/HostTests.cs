using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web;

/// <summary>The web host end to end over HTTP: startup on an empty database, health, and the Identity pages.</summary>
public sealed class HostTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string IdentityCookie = ".AspNetCore.Identity.Application";

    [Fact]
    public async Task Startup_OnEmptyDatabaseFile_MigratesSeedsAndReportsHealthy()
    {
        // A factory of its own: the shared one has been started by other tests already.
        await using var fresh = new WebAppFactory();
        File.Exists(fresh.DatabasePath).Should().BeFalse("the app must create the database itself");
        var client = fresh.NewBrowser();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/healthz/ready");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        (await live.Content.ReadAsStringAsync()).Should().Be("Healthy");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(fresh.DatabasePath).Should().BeTrue("ConnectionStrings:Default from the host's settings is the database used");
        (await fresh.Services.GetUserActorAsync("owner@example.com")).Should().NotBeNull("the demo data is seeded on an empty database");
    }

    [Fact]
    public async Task Ready_WhenDatabaseIsGone_Answers503WhileLivenessStays200()
    {
        await using var broken = new WebAppFactory();
        var client = broken.NewBrowser();
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Connections aren't pooled: the next one opens a new, empty file without the schema.
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(broken.DatabasePath + suffix);
        }

        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Home_Anonymous_RedirectsToLogin()
    {
        var response = await app.NewBrowser().GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/Account/Login");
    }

    [Fact]
    public async Task Login_DemoOwner_SetsAuthCookieRedirectsAndShowsTheirOrgs()
    {
        var client = app.NewBrowser();

        var response = await client.SignInAsync("owner@example.com", WebAppFactory.DemoPassword);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        PathOf(response.Headers.Location!).Should().Be("/");
        SetCookies(response).Should().Contain(c => c.StartsWith(IdentityCookie + "=", StringComparison.Ordinal));
        var home = await client.GetAsync("/");
        home.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await home.Content.ReadAsStringAsync();
        html.Should().Contain("Your organizations").And.Contain("sandbox").And.Contain("acme-platform").And.Contain("Ada Owner");
        await using var scope = app.Services.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("owner@example.com");
        owner!.LastActivityAt.Should().NotBeNull("signing in records activity");
    }

    [Fact]
    public async Task Login_WrongPassword_FailsWithoutCookie()
    {
        var response = await app.NewBrowser().SignInAsync("member@example.com", "Wrong-passw0rd!");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Invalid login attempt");
        SetCookies(response).Should().NotContain(c => c.StartsWith(IdentityCookie + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_ServiceAccountHandleWithItsRealToken_Fails()
    {
        var owner = (await app.Services.GetUserActorAsync("owner@example.com"))!;
        var token = await app.Services.GetRequiredService<TokenService>()
            .CreateAsync(owner, EntityRef.Org("sandbox"), "ci-deployer", new NewToken("web login test", TokenExpiration.AfterDays(7)));
        token.IsOk.Should().BeTrue(token.ToString());

        var response = await app.NewBrowser().SignInAsync("ci-deployer", token.Value!.Secret);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Invalid login attempt");
        SetCookies(response).Should().NotContain(c => c.StartsWith(IdentityCookie + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_NewPerson_CreatesUserWithHandleAndSignsIn()
    {
        var client = app.NewBrowser();

        var response = await client.SubmitAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Name"] = "Grace Hopper",
            ["Input.Email"] = "Grace.Hopper@example.test",
            ["Input.Password"] = "Passw0rd!grace",
            ["Input.ConfirmPassword"] = "Passw0rd!grace",
        });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        SetCookies(response).Should().Contain(c => c.StartsWith(IdentityCookie + "=", StringComparison.Ordinal));
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("Grace.Hopper@example.test");
        user.Should().NotBeNull();
        user!.DisplayName.Should().Be("Grace Hopper");
        user.Handle.Should().Be("grace-hopper");
        var home = await client.GetAsync("/");
        (await home.Content.ReadAsStringAsync()).Should().Contain("You don&#x27;t belong to any organization yet");
    }

    [Fact]
    public async Task Register_ExistingEmailAndWeakPassword_ShowsFieldErrorsAndCreatesNothing()
    {
        var response = await app.NewBrowser().SubmitAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Name"] = "Someone Else",
            ["Input.Email"] = "owner@example.com",
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("An account with this email already exists");
        SetCookies(response).Should().NotContain(c => c.StartsWith(IdentityCookie + "=", StringComparison.Ordinal));
        (await app.Services.GetUserActorAsync("owner@example.com"))!.DisplayName.Should().Be("Ada Owner");
    }

    private static string PathOf(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
