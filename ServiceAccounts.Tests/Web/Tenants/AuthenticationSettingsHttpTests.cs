using System.Net;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web.Tenants;

/// <summary>The settings page answers a real 404 to those who may not see it, as every page that finds nothing does.</summary>
public sealed class AuthenticationSettingsHttpTests : IAsyncLifetime
{
    private const string Path = "/tenant/acme/settings/authentication";
    private readonly WebAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("member@example.com", HttpStatusCode.NotFound)]
    [InlineData("owner@example.com", HttpStatusCode.OK)]
    [InlineData("support@example.com", HttpStatusCode.OK)]
    public async Task Get_AnswersByWhoAsks(string email, HttpStatusCode expected)
    {
        using var browser = app.NewBrowser();
        await browser.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = WebAppFactory.DemoPassword });

        var response = await browser.GetAsync(Path);

        response.StatusCode.Should().Be(expected);
        var html = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.NotFound)
        {
            html.Should().Contain("Not found").And.NotContain("Maximum Token Expiration");
        }
        else
        {
            html.Should().Contain("Maximum Token Expiration");
        }
    }
}
