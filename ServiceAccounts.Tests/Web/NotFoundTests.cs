using System.Net;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web;

/// <summary>Addresses that lead nowhere, or to something that isn't yours, answer a real 404 with the not-found page.</summary>
public sealed class NotFoundTests : IAsyncLifetime
{
    private readonly WebAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/org/sandbox/service-accounts/ci-deployer/settings")]
    [InlineData("/org/sandbox/service-accounts/no-such-account/settings")]
    [InlineData("/org/no-such-org/members")]
    [InlineData("/tenant/acme/service-accounts/metrics-exporter/nonsense-tab")]
    public async Task Get_AsMemberWhereNothingIsTheirs_Answers404WithTheNotFoundPage(string path)
    {
        using var browser = app.NewBrowser();
        await browser.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = "member@example.com", ["Input.Password"] = WebAppFactory.DemoPassword });

        var response = await browser.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Not found").And.NotContain("ci-deployer</");
    }

    [Fact]
    public async Task Get_OwnMembersPage_Answers200()
    {
        using var browser = app.NewBrowser();
        await browser.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = "member@example.com", ["Input.Password"] = WebAppFactory.DemoPassword });

        var response = await browser.GetAsync("/org/sandbox/members");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
