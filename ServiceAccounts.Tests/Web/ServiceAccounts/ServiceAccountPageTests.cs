using Bunit;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.ServiceAccounts;

public sealed class ServiceAccountPageTests : ServiceAccountPageTestBase
{
    [Fact]
    public async Task Page_ForAnOwner_ShowsTheHeaderAndTheThreeTabsAsLinks()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderPage("audit");

        var account = await AccountInCoreAsync();
        page.Find("h1").TextContent.Trim().Should().Be(account.Title);
        page.Find("code.handle").TextContent.Should().Be(Handle);
        page.Find("[aria-label='Copy handle']").Should().NotBeNull();
        page.Find(".sa-meta").TextContent.Should().MatchRegex($@"Created by\s+{account.CreatedByHandle}\s+\d+ days ago");
        var tabs = page.FindAll("[role=tab]");
        tabs.Select(t => t.TextContent.Trim()).Should().Equal("Tokens", "Audit Log", "Settings");
        tabs.Select(t => t.GetAttribute("href")).Should().Equal(
            "org/sandbox/service-accounts/ci-deployer/tokens",
            "org/sandbox/service-accounts/ci-deployer/audit",
            "org/sandbox/service-accounts/ci-deployer/settings");
        tabs.Single(t => t.GetAttribute("aria-selected") == "true").TextContent.Trim().Should().Be("Audit Log");
        page.Find("nav[aria-label=Breadcrumb] a").GetAttribute("href").Should().Be("org/sandbox/members");
    }

    [Fact]
    public async Task TokensTab_ListsTheTokensMasked()
    {
        await SignInAsAsync("owner@example.com");
        var tokens = CoreHost.Must(await Core.Tokens.ListAsync(Actor, Sandbox, Handle));

        var page = RenderPage("tokens");

        var rows = page.FindAll("[aria-label='API tokens'] tbody tr");
        rows.Should().HaveCount(tokens.Count);
        page.Markup.Should().Contain($"sat_…{tokens[0].Last4}");
    }

    [Fact]
    public async Task TokensTab_WithNoTokens_SaysSo()
    {
        var owner = await SignInAsAsync("owner@example.com");
        foreach (var token in CoreHost.Must(await Core.Tokens.ListAsync(owner, Sandbox, Handle)))
        {
            CoreHost.Must(await Core.Tokens.DeleteAsync(owner, Sandbox, Handle, token.Id));
        }

        var page = RenderPage("tokens");

        page.Markup.Should().Contain("No tokens yet.");
    }

    [Fact]
    public async Task Page_WithoutATab_OpensTheTokensTab()
    {
        await SignInAsAsync("owner@example.com");
        Navigation.NavigateTo("org/sandbox/service-accounts/ci-deployer");

        RenderWithProviders<ServiceAccountPage>(p => p.Add(x => x.Org, "sandbox").Add(x => x.Handle, Handle));

        Navigation.Uri.Should().EndWith("/org/sandbox/service-accounts/ci-deployer/tokens");
    }

    [Theory]
    [InlineData("member@example.com", "sandbox", "ci-deployer", "settings")]  // a member who types the address
    [InlineData("owner@example.com", "sandbox", "metrics-exporter", "settings")]  // another entity's account
    [InlineData("owner@example.com", "sandbox", "no-such-account", "tokens")]
    [InlineData("owner@example.com", "no-such-org", "ci-deployer", "tokens")]
    [InlineData("owner@example.com", "sandbox", "ci-deployer", "nonsense")]
    public async Task Page_NotAllowedOrNotThere_ShowsTheNotFoundView(string email, string org, string handle, string tab)
    {
        await SignInAsAsync(email);

        var page = RenderPage(tab, handle, org);

        page.Find("h1").TextContent.Trim().Should().Be("Not found");
        page.FindAll("[role=tab]").Should().BeEmpty();
        page.Markup.Should().NotContain("Delete Service Account");
    }
}
