using Bunit;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.Tokens;

public sealed class TokensTabTests : TokensTestBase
{
    [Fact]
    public async Task List_ShowsEveryColumn_ForEachToken()
    {
        await SignInAsAsync("owner@example.com");
        var tokens = await TokensInCoreAsync(Acme, "metrics-exporter");

        var page = RenderTokens(Acme, "metrics-exporter");

        page.FindAll("[aria-label='API tokens'] thead th").Select(th => th.TextContent.Trim()).Where(t => t.Length > 0)
            .Should().Equal("Title", "Status", "Last 4", "Created", "Created By", "Expires", "Last Used", "Actions");
        foreach (var token in tokens)
        {
            Cell(page, token.Last4, "Status").Should().Be(token.Status == TokenStatus.Active ? "Active" : "Inactive");
            Cell(page, token.Last4, "Created By").Should().Be(token.CreatedByHandle);
            Named(page, $"Token actions {token.Last4}").Should().NotBeNull();
        }
    }

    [Fact]
    public async Task NewToken_AtTwoTokens_IsDisabled_WithTheReasonInView()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderTokens(Acme, "metrics-exporter");

        var button = Named(page, "New Token")!;
        IsDisabled(button).Should().BeTrue();
        var reason = page.Find($"#{button.GetAttribute("aria-describedby")}");
        reason.TextContent.Trim().Should().Be("A service account can have at most 2 tokens. Delete one to create another.");
    }

    [Fact]
    public async Task NewToken_BelowTwoTokens_IsEnabled_WithoutAReason()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderTokens(Sandbox, "ci-deployer");

        IsDisabled(Named(page, "New Token")!).Should().BeFalse();
        page.Markup.Should().NotContain("Delete one to create another.");
    }

    [Fact]
    public async Task NewToken_AfterCreatingTheSecond_BecomesDisabled()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");

        await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Second");

        page.WaitForAssertion(() => IsDisabled(Named(page, "New Token")!).Should().BeTrue(), Patience);
        page.Markup.Should().Contain("Delete one to create another.");
    }

    [Fact]
    public async Task Deactivate_ThenActivate_ChangesTheStatusInCore_WithSnackbars()
    {
        await SignInAsAsync("owner@example.com");
        var token = (await TokensInCoreAsync(Sandbox, "ci-deployer")).Single();
        token.Status.Should().Be(TokenStatus.Active);
        var page = RenderTokens(Sandbox, "ci-deployer");

        ChooseAction(page, token.Last4, "Deactivate");

        page.WaitForAssertion(() => Cell(page, token.Last4, "Status").Should().Be("Inactive"), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Single().Status.Should().Be(TokenStatus.Inactive);
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain($"Token sat_…{token.Last4} deactivated"), Patience);

        ChooseAction(page, token.Last4, "Activate");

        page.WaitForAssertion(() => Cell(page, token.Last4, "Status").Should().Be("Active"), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Single().Status.Should().Be(TokenStatus.Active);
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain($"Token sat_…{token.Last4} activated"), Patience);
    }

    [Fact]
    public async Task ActionsMenu_OffersActivate_ForAnInactiveToken()
    {
        await SignInAsAsync("owner@example.com");
        var inactive = (await TokensInCoreAsync(Acme, "metrics-exporter")).Single(t => t.Status == TokenStatus.Inactive);
        var page = RenderTokens(Acme, "metrics-exporter");

        Named(page, $"Token actions {inactive.Last4}")!.Click();

        PopoverProvider.WaitForAssertion(() => MenuItem("Activate").Should().NotBeNull(), Patience);
        MenuItem("Deactivate").Should().BeNull();
        MenuItem("Delete").Should().NotBeNull();
    }

    [Fact]
    public async Task Delete_NamesTheToken_AndOnConfirmDeletesIt()
    {
        await SignInAsAsync("owner@example.com");
        var token = (await TokensInCoreAsync(Sandbox, "ci-deployer")).Single();
        var page = RenderTokens(Sandbox, "ci-deployer");

        ChooseAction(page, token.Last4, "Delete");
        DialogProvider.WaitForAssertion(() => Named(DialogProvider, "Delete").Should().NotBeNull(), Patience);

        DialogProvider.Markup.Should().Contain($"sat_…{token.Last4}");
        DialogProvider.Markup.Should().Contain(token.Title!);
        Named(DialogProvider, "Delete")!.Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("No tokens yet."), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Should().BeEmpty();
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain($"Token sat_…{token.Last4} deleted"), Patience);
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsTheToken()
    {
        await SignInAsAsync("owner@example.com");
        var token = (await TokensInCoreAsync(Sandbox, "ci-deployer")).Single();
        var page = RenderTokens(Sandbox, "ci-deployer");
        ChooseAction(page, token.Last4, "Delete");
        DialogProvider.WaitForAssertion(() => Named(DialogProvider, "Cancel").Should().NotBeNull(), Patience);

        Named(DialogProvider, "Cancel")!.Click();

        DialogProvider.WaitForAssertion(() => Named(DialogProvider, "Cancel").Should().BeNull(), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Should().ContainSingle();
        page.FindAll("[aria-label='API tokens'] tbody tr").Should().ContainSingle();
    }

    [Fact]
    public async Task Support_SeesTheListReadOnly()
    {
        await SignInAsAsync("support@example.com");
        var tokens = await TokensInCoreAsync(Acme, "metrics-exporter");

        var page = RenderTokens(Acme, "metrics-exporter");

        page.FindAll("[aria-label='API tokens'] tbody tr").Should().HaveCount(tokens.Count);
        Named(page, "New Token").Should().BeNull();
        page.FindAll("[aria-label^='Token actions']").Should().BeEmpty();
        page.Markup.Should().NotContain("Delete one to create another.");
    }

    [Fact]
    public async Task ExpiredToken_StaysListed_MarkedExpiredInRed()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var created = CoreHost.Must(await Core.Tokens.CreateAsync(owner, Sandbox, "ci-deployer", new NewToken("Short-lived", TokenExpiration.AfterDays(7))));
        Core.Clock.Advance(TimeSpan.FromDays(8));

        var page = RenderTokens(Sandbox, "ci-deployer");

        Cell(page, created.Token.Last4, "Expires").Should().Be("Expired");
        Row(page, created.Token.Last4).QuerySelector("td[data-label='Expires'] .mud-error-text").Should().NotBeNull();
        Cell(page, created.Token.Last4, "Title").Should().Be("Short-lived");
    }

    [Fact]
    public async Task TokenExpiringWithinAWeek_ShowsAWarning()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var created = CoreHost.Must(await Core.Tokens.CreateAsync(owner, Sandbox, "ci-deployer", new NewToken("Soon", TokenExpiration.AfterDays(30))));
        Core.Clock.Advance(TimeSpan.FromDays(27));

        var page = RenderTokens(Sandbox, "ci-deployer");

        Row(page, created.Token.Last4).QuerySelector(".token-expiring")!.TextContent.Trim().Should().Be("in 3 days");
        Cell(page, created.Token.Last4, "Expires").Should().StartWith(created.Token.ExpiresAt!.Value.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NeverExpiringAndUnusedToken_SaysNever_AndNeverUsed()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var created = CoreHost.Must(await Core.Tokens.CreateAsync(owner, Sandbox, "ci-deployer", new NewToken(null, TokenExpiration.Never)));

        var page = RenderTokens(Sandbox, "ci-deployer");

        Cell(page, created.Token.Last4, "Expires").Should().Be("Never");
        Cell(page, created.Token.Last4, "Last Used").Should().Be("Never used");
        Cell(page, created.Token.Last4, "Title").Should().Be("Untitled");
    }

    private void ChooseAction(IRenderedComponent<ServiceAccountPage> page, string last4, string action)
    {
        Named(page, $"Token actions {last4}")!.Click();
        PopoverProvider.WaitForAssertion(() => MenuItem(action).Should().NotBeNull(), Patience);
        MenuItem(action)!.Click();
    }

    [Theory]
    [InlineData("owner@example.com")]
    [InlineData("support@example.com")]
    public async Task ViewActivity_ForEachToken_LinksToTheAuditLogFilteredToIt(string email)
    {
        await SignInAsAsync(email);
        var tokens = await TokensInCoreAsync(Acme, "metrics-exporter");

        var page = RenderTokens(Acme, "metrics-exporter");

        foreach (var token in tokens)
        {
            Named(page, $"View activity {token.Last4}")!.GetAttribute("href")
                .Should().Be($"tenant/acme/service-accounts/metrics-exporter/audit?token={token.Id}");
        }
    }

    [Fact]
    public async Task TokenInTheAddress_PicksOutItsRow()
    {
        await SignInAsAsync("owner@example.com");
        var token = (await TokensInCoreAsync(Acme, "metrics-exporter"))[1];
        Navigation.NavigateTo($"tenant/acme/service-accounts/metrics-exporter/tokens?token={token.Id}");

        var page = RenderTokens(Acme, "metrics-exporter", navigate: false);

        page.FindAll("tr.token-highlight").Should().ContainSingle().Which.TextContent.Should().Contain(token.Last4);
    }

    [Fact]
    public async Task DeletedTokenInTheAddress_SaysItIsGoneAndWhereItsHistoryIs()
    {
        await SignInAsAsync("owner@example.com");
        Navigation.NavigateTo("tenant/acme/service-accounts/metrics-exporter/tokens?token=t_0000000000000000gone");

        var page = RenderTokens(Acme, "metrics-exporter", navigate: false);

        page.Find(".mud-alert").TextContent.Should().Contain("The token t_0000000000000000gone no longer exists.");
        page.FindAll("tr.token-highlight").Should().BeEmpty();
        page.FindAll("a").Should().Contain(a => a.GetAttribute("href") == "tenant/acme/service-accounts/metrics-exporter/audit?token=t_0000000000000000gone");
    }
}
