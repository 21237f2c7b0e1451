using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web;

/// <summary>A console sign-in lasts the Console Session Timeout of the person's tenants, as the tenant owner sets it.</summary>
public sealed class ConsoleSessionTests : IAsyncLifetime
{
    private readonly ClockedApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Session_OlderThanTheTenantsTimeout_IsSignedOut()
    {
        using var browser = await SignedInOwnerAsync();
        var tenancy = app.Services.GetRequiredService<TenancyService>();
        var ada = (await app.Services.GetUserActorAsync("owner@example.com"))!;
        var settings = CoreHost.Must(await tenancy.GetAuthenticationSettingsAsync(ada, "acme"));
        CoreHost.Must(await tenancy.UpdateAuthenticationSettingsAsync(ada, "acme", settings.MaxTokenExpirationDays, 1, settings.Version));

        app.Clock.Advance(TimeSpan.FromHours(25));
        var response = await browser.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/Account/Login");
    }

    [Fact]
    public async Task Session_WithinTheTimeout_StaysSignedIn()
    {
        using var browser = await SignedInOwnerAsync();

        app.Clock.Advance(TimeSpan.FromDays(2));
        var response = await browser.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task<HttpClient> SignedInOwnerAsync()
    {
        var browser = app.NewBrowser();
        await browser.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = "owner@example.com", ["Input.Password"] = WebAppFactory.DemoPassword });
        (await browser.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);
        return browser;
    }

    /// <summary>The app on a clock the test moves: cookies and Core read the same one.</summary>
    private sealed class ClockedApp : WebAppFactory
    {
        public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            });
        }
    }
}
