using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Support;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Layout;
using ServiceAccounts.Web.Components.Pages.Home;
using ServiceAccounts.Web.Components.Pages.Support;

namespace ServiceAccounts.Tests.Web.Support;

/// <summary>The /support page over the demo data, used as support staff use it: type or paste, press Enter, read the cards.</summary>
public sealed class SupportPageTests : ConsoleTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly EntityRef Sandbox = EntityRef.Org("sandbox");

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton(Core.Services.GetRequiredService<SupportLookup>());
    }

    [Fact]
    public async Task Find_ServiceAccountHandle_ShowsTheAccountWithItsTokensAndAuditLinks()
    {
        var page = await OpenAsync("support@example.com");

        Search(page, "ci-deployer");

        var card = page.WaitForElement("[role=article][aria-label='CI Deployer']", Patience);
        card.TextContent.Should().Contain("Sandbox").And.Contain("organization sandbox").And.Contain("1 of 2");
        Hrefs(card).Should().Contain(["org/sandbox/service-accounts/ci-deployer/tokens", "org/sandbox/service-accounts/ci-deployer/audit", "org/sandbox/members"]);
        Navigation.Uri.Should().EndWith("support?q=ci-deployer");
    }

    [Fact]
    public async Task Find_PastedDeactivatedToken_SaysWhyItWouldBeRefusedAndKeepsTheSecretOutOfTheAddress()
    {
        var owner = await Core.Services.GetUserActorAsync("owner@example.com");
        var created = CoreHost.Must(await Core.Tokens.CreateAsync(owner!, Sandbox, "ci-deployer", new NewToken("Nightly", TokenExpiration.AfterDays(30))));
        CoreHost.Must(await Core.Tokens.DeactivateAsync(owner!, Sandbox, "ci-deployer", created.Token.Id));
        var page = await OpenAsync("support@example.com");

        Search(page, created.Secret);

        var card = page.WaitForElement("[role=article][aria-label='Nightly']", Patience);
        var verdict = card.QuerySelector(".support-verdict")!;
        verdict.ClassList.Should().Contain("support-verdict-refused");
        verdict.TextContent.Should().Contain("Would be refused:").And.Contain("The token is inactive");
        card.QuerySelector("[aria-label='Status: Inactive']").Should().NotBeNull();
        Hrefs(card).Should().Contain($"org/sandbox/service-accounts/ci-deployer/audit?token={created.Token.Id}");
        card.TextContent.Should().NotContain("The secret was not given");
        Navigation.Uri.Should().EndWith($"support?q={created.Token.Id}").And.NotContain(created.Secret[25..57]);
        page.Markup.Should().NotContain(created.Secret[25..57], "the field keeps only the token id once it is checked");
        Field(page).GetAttribute("value").Should().Be(created.Token.Id);
    }

    [Fact]
    public async Task Find_Last4OfActiveToken_WouldAuthenticateButSaysTheSecretWasNotChecked()
    {
        var support = await SignInAsAsync("support@example.com");
        var token = (await Core.Tokens.ListAsync(support, Sandbox, "ci-deployer")).Value!.Single();
        Navigation.NavigateTo("support");
        var page = RenderWithProviders<SupportPage>();

        Search(page, $"sat_...{token.Last4}");

        var card = page.WaitForElement("[role=article][aria-label='GitHub Actions']", Patience);
        card.QuerySelector(".support-verdict-ok")!.TextContent.Should().Contain("Would authenticate");
        card.TextContent.Should().Contain("The secret was not given, so only status, expiry and the tenant's reset are checked.");
    }

    [Fact]
    public async Task Open_WithQueryInTheAddress_LooksItUpAndLinksToTheMembers()
    {
        await SignInAsAsync("support@example.com");

        Navigation.NavigateTo("support?q=acme");
        var page = RenderWithProviders<SupportPage>();

        var card = page.WaitForElement("[role=article][aria-label='Acme Corporation']", Patience);
        card.TextContent.Should().Contain("Tenant · Enterprise").And.Contain("90 days");
        Hrefs(card).Should().Contain(["tenant/acme/members", "tenant/acme/settings/authentication"]);
        Field(page).GetAttribute("value").Should().Be("acme");
    }

    [Fact]
    public async Task Find_NothingMatches_SaysSo()
    {
        var page = await OpenAsync("support@example.com");

        Search(page, "no-such-thing");

        page.WaitForAssertion(() => page.Find("h2").TextContent.Should().Be("Nothing matches “no-such-thing”"), Patience);
        page.FindAll("[role=article]").Should().BeEmpty();
    }

    [Theory]
    [InlineData("   ", "Enter a handle")]
    [InlineData("line\u0007bell", "control characters")]
    public async Task Find_InvalidInput_ShowsTheFieldError(string query, string error)
    {
        var page = await OpenAsync("support@example.com");

        Search(page, query);

        page.WaitForAssertion(() => page.Find(".mud-input-control .mud-input-helper-text").TextContent.Should().Contain(error), Patience);
        page.Find(".mud-input-control .mud-input-error").Should().NotBeNull();
        page.FindAll("[role=article]").Should().BeEmpty();
    }

    [Theory]
    [InlineData("owner@example.com")]
    [InlineData("member@example.com")]
    public async Task Open_AsAnyoneButSupport_ShowsNotFound(string email)
    {
        await SignInAsAsync(email);

        Navigation.NavigateTo("support?q=ci-deployer");
        var page = RenderWithProviders<SupportPage>();

        page.WaitForAssertion(() => page.Find("h1").TextContent.Should().Be("Not found"), Patience);
        page.FindAll("form[role=search]").Should().BeEmpty();
        page.Markup.Should().NotContain("CI Deployer");
    }

    [Fact]
    public async Task EntityNav_ForSupport_LinksToSupport()
    {
        var support = await SignInAsAsync("support@example.com");
        var view = CoreHost.Must(await Core.Tenancy.GetEntityAsync(support, Sandbox));

        var nav = Render<EntityNav>(p => p.Add(x => x.Entity, Sandbox).Add(x => x.View, view));

        nav.FindAll("a").Select(a => a.TextContent.Trim()).Should().Contain("Support");
    }

    [Fact]
    public async Task EntityNav_ForOwner_HasNoSupportLink()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var view = CoreHost.Must(await Core.Tenancy.GetEntityAsync(owner, Sandbox));

        var nav = Render<EntityNav>(p => p.Add(x => x.Entity, Sandbox).Add(x => x.View, view));

        nav.FindAll("a").Select(a => a.TextContent.Trim()).Should().NotContain("Support").And.Contain("Members");
    }

    [Fact]
    public async Task Home_ForSupport_ExplainsAndLinksToSupport()
    {
        await SignInAsAsync("support@example.com");

        var page = RenderWithProviders<HomePage>();

        var link = page.WaitForElement("a[href='support']", Patience);
        link.TextContent.Trim().Should().Be("Open Support search");
        page.Markup.Should().Contain("You are signed in as support staff");
    }

    private async Task<IRenderedComponent<SupportPage>> OpenAsync(string email)
    {
        await SignInAsAsync(email);
        Navigation.NavigateTo("support");
        var page = RenderWithProviders<SupportPage>();
        page.WaitForElement("form[role=search]", Patience);
        return page;
    }

    private static IElement Field(IRenderedComponent<SupportPage> page) =>
        page.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim() == SupportPage.FieldLabel)
            .QuerySelector("input")!;

    /// <summary>Types <paramref name="query"/> and presses Enter (submits the search form).</summary>
    private static void Search(IRenderedComponent<SupportPage> page, string query)
    {
        Field(page).Input(query);
        page.Find("form[role=search]").Submit();
    }

    private static IReadOnlyList<string> Hrefs(IElement element) =>
        element.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
}
