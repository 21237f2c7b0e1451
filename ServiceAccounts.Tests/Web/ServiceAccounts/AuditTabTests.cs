using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Dialogs;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.ServiceAccounts;

/// <summary>The Audit Log tab: the grid, its filters in the address, keyset pages, a record's details, the chain status.</summary>
public sealed class AuditTabTests : ServiceAccountPageTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Grid_NoFilter_ShowsTheNewestPageWithItsColumns()
    {
        await SignInAsAsync("owner@example.com");
        var newest = await CoreRecordsAsync(new AuditQuery(Limit: AuditTab.PageSize));

        var page = RenderAudit();

        page.FindAll("[aria-label='Audit log'] thead th").Select(h => h.TextContent.Trim()).Should().Equal("When", "Actor", "Action", "Target", "IP", "Details");
        Sequences(page).Should().Equal(newest.Select(r => r.Sequence));
        var first = page.Find("[aria-label='Audit log'] tbody tr");
        first.QuerySelector("td[data-label=Action]")!.TextContent.Should().Contain(AuditActions.Label(newest[0].ActionType)).And.Contain(newest[0].ActionType);
        first.QuerySelector("td[data-label=When] time")!.GetAttribute("title").Should().EndWith("UTC");
        first.QuerySelector("td[data-label=Actor]")!.TextContent.Should().Contain(newest[0].ActorDisplayName!);
    }

    [Fact]
    public async Task Grid_ActionsAndActorInTheAddress_ShowsOnlyThoseRecords()
    {
        await SignInAsAsync("owner@example.com");
        var expected = await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.TokenCreate, AuditActions.ServiceAccountUpdate], Actor: "owner", Limit: 100));
        expected.Should().NotBeEmpty().And.OnlyContain(r => r.ActorHandle == "owner");

        var page = RenderAudit("?action=token.create&action=service_account.update&actor=owner");

        Sequences(page).Should().Equal(expected.Select(r => r.Sequence));
        page.Find(".audit-filter-action input").GetAttribute("value").Should().Be("2 actions");
        FieldIn(page.Nodes, "Actor").GetAttribute("value").Should().Be("owner");
    }

    [Fact]
    public async Task Grid_DatesInTheAddress_IncludeTheWholeToDay()
    {
        await SignInAsAsync("owner@example.com");
        var all = await CoreRecordsAsync(new AuditQuery(Limit: 100));
        var day = DateOnly.FromDateTime(all[^1].CreatedAt);
        var expected = all.Where(r => DateOnly.FromDateTime(r.CreatedAt) == day).ToList();

        var page = RenderAudit($"?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");

        Sequences(page).Should().Equal(expected.Select(r => r.Sequence));
    }

    [Fact]
    public async Task ChoosingAnAction_PutsItInTheAddressAndFilters()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderAudit();

        var select = page.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync([AuditActions.TokenCreate]));

        Navigation.Uri.Should().Contain("action=token.create");
        var expected = await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.TokenCreate], Limit: 100));
        page.WaitForAssertion(() => Sequences(page).Should().Equal(expected.Select(r => r.Sequence)), Patience);
    }

    [Fact]
    public async Task TypingAnActor_PutsItInTheAddressAndFilters()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderAudit();

        FieldIn(page.Nodes, "Actor").Change("ci-deployer");

        Navigation.Uri.Should().Contain("actor=ci-deployer");
        page.WaitForAssertion(() =>
            page.FindAll("[aria-label='Audit log'] tbody td[data-label=Actor]").Should().NotBeEmpty()
                .And.OnlyContain(td => td.TextContent.Contains("ci-deployer")), Patience);
    }

    [Fact]
    public async Task Search_MatchingNothing_SaysSoAndOffersToClear()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderAudit("?q=no-such-thing-anywhere");

        page.Markup.Should().Contain("No records match these filters.");
        ButtonIn(page.Nodes, "Clear filters").Should().NotBeNull();
        page.FindAll("[aria-label='Audit log']").Should().BeEmpty();
    }

    [Fact]
    public async Task Address_WithAnUnknownActionOrABadDate_SaysWhatWasLeftOutAndShowsTheRest()
    {
        await SignInAsAsync("owner@example.com");
        var expected = await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.TokenCreate], Limit: 100));

        var page = RenderAudit("?action=token.steal&action=token.create&from=yesterday");

        page.Markup.Should().Contain("'token.steal' is not an audit action. Left out of the filter.").And.Contain("From 'yesterday' is not a date (YYYY-MM-DD). Left out of the filter.");
        Sequences(page).Should().Equal(expected.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Older_ThenNewer_WalksKeysetPagesThroughTheAddress()
    {
        await SignInAsAsync("owner@example.com");
        var all = await CoreRecordsAsync(new AuditQuery(Limit: 100));
        all.Count.Should().BeGreaterThan(AuditTab.PageSize, "the demo history spans more than one page");
        var page = RenderAudit();

        ButtonIn(page.Nodes, "Older")!.Click();

        Navigation.Uri.Should().Contain("cursor=");
        page.WaitForAssertion(() => Sequences(page).Should().Equal(all.Skip(AuditTab.PageSize).Take(AuditTab.PageSize).Select(r => r.Sequence)), Patience);
        page.Find(".audit-pager").TextContent.Should().Contain($"{all.Skip(AuditTab.PageSize).Take(AuditTab.PageSize).Count()} records, ").And.Contain(" back to ");

        ButtonIn(page.Nodes, "Newer")!.Click();

        Navigation.Uri.Should().NotContain("cursor=");
        page.WaitForAssertion(() => Sequences(page).Should().Equal(all.Take(AuditTab.PageSize).Select(r => r.Sequence)), Patience);
        IsDisabled(ButtonIn(page.Nodes, "Newer")!).Should().BeTrue();
    }

    [Fact]
    public async Task Newer_OnAPageOpenedByItsAddress_GoesToThePageAbove()
    {
        // A shared or reloaded address of the second page: no memory of how it was reached, Newer still works.
        await SignInAsAsync("owner@example.com");
        var first = CoreHost.Must(await Core.Audit.QueryAsync(Actor, Sandbox, Handle, new AuditQuery(Limit: AuditTab.PageSize)));
        var page = RenderAudit($"?cursor={first.NextCursor}");

        ButtonIn(page.Nodes, "Newer")!.Click();

        page.WaitForAssertion(() => Sequences(page).Should().Equal(first.Items.Select(r => r.Sequence)), Patience);
        IsDisabled(ButtonIn(page.Nodes, "Newer")!).Should().BeTrue();
    }

    [Fact]
    public async Task Export_Links_CarryTheCurrentFilter()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderAudit("?action=token.create&q=ci");

        var csv = page.FindAll("a").Single(a => a.TextContent.Trim() == "Export CSV");
        csv.GetAttribute("href").Should().Be("org/sandbox/service-accounts/ci-deployer/audit/export.csv?action=token.create&q=ci");
        csv.HasAttribute("download").Should().BeTrue();
        page.FindAll("a").Single(a => a.TextContent.Trim() == "Export JSON").GetAttribute("href")
            .Should().Be("org/sandbox/service-accounts/ci-deployer/audit/export.json?action=token.create&q=ci");
    }

    [Fact]
    public async Task Details_OfAnUpdate_ShowEveryFieldAndBeforeAfter()
    {
        await SignInAsAsync("owner@example.com");
        var update = (await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.ServiceAccountUpdate], Limit: 1)))[0];
        var page = RenderAudit("?action=service_account.update");

        ButtonIn(page.Nodes, $"Details of record #{update.Sequence}")!.Click();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".audit-record-dialog").Should().ContainSingle(), Patience);
        var dialog = DialogProvider.Find(".audit-record-dialog");
        dialog.TextContent.Should().Contain("Service account updated").And.Contain(update.Hash).And.Contain(update.PrevHash)
            .And.Contain($"#{update.Sequence}").And.Contain(update.ActorUserAgent!).And.Contain(update.ActorIp!);
        var change = dialog.QuerySelector("[aria-label='What changed'] tbody tr")!;
        change.QuerySelector("del")!.TextContent.Should().Be("Deploys the main branch from the CI pipeline.");
        change.QuerySelector("ins")!.TextContent.Should().Be("Deploys the main branch to production from GitHub Actions.");
        dialog.QuerySelector("pre.audit-json")!.TextContent.Should().Contain("\n  \"description\": {");
    }

    [Fact]
    public async Task Details_OfARequestMadeWithAToken_LinkToTheTokenOnTheTokensTab()
    {
        await SignInAsAsync("owner@example.com");
        var request = (await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.ApiRequest], Limit: 1)))[0];
        var page = RenderAudit("?action=api.request");

        page.Find("[aria-label='Audit log'] tbody tr").Click();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".audit-record-dialog").Should().ContainSingle(), Patience);
        var link = DialogProvider.FindAll(".audit-record-dialog a").Single(a => a.TextContent.Contains("GitHub Actions"));
        link.GetAttribute("href").Should().Be($"org/sandbox/service-accounts/ci-deployer/tokens?token={request.TokenId}");
    }

    [Fact]
    public async Task ChainStatus_IntactHistory_SaysVerifiedThroughTheLastRecord()
    {
        await SignInAsAsync("owner@example.com");
        var verification = CoreHost.Must(await Core.Audit.VerifyChainAsync(Actor, Sandbox));

        var page = RenderAudit();

        page.WaitForAssertion(() => page.Find(".audit-chain").TextContent.Should().Contain($"Verified through #{verification.RecordsChecked}"), Patience);
    }

    [Fact]
    public async Task ChainStatus_EditedRecord_SaysWhereTheChainBreaks()
    {
        await SignInAsAsync("owner@example.com");
        var update = (await CoreRecordsAsync(new AuditQuery(Actions: [AuditActions.ServiceAccountUpdate], Limit: 1)))[0];
        await RawDatabase.DisableAppendOnlyAsync(Core.DatabasePath);
        await RawDatabase.ExecuteAsync(Core.DatabasePath, "UPDATE AuditRecords SET Data = '{}' WHERE Id = $id", ("$id", update.Id));

        var page = RenderAudit();

        page.WaitForAssertion(() => page.Find(".audit-chain").TextContent.Should()
            .Contain($"broken at #{update.Sequence}").And.Contain("was modified after it was written"), Patience);
    }

    [Fact]
    public async Task Support_OpeningTheLog_IsToldAndTheOwnerSeesTheViewRecord()
    {
        await SignInAsAsync("support@example.com");

        var page = RenderAudit();

        page.Markup.Should().Contain("Owners see in this log that support staff opened it");
        var owner = await Core.Services.GetUserActorAsync("owner@example.com");
        var views = CoreHost.Must(await Core.Audit.QueryAsync(owner!, Sandbox, Handle, new AuditQuery(Actions: [AuditActions.SupportAuditLogView]))).Items;
        views.Should().ContainSingle().Which.ActorHandle.Should().Be("support");
    }

    [Fact]
    public async Task TokenInTheAddress_FiltersToThatTokenAndNamesIt()
    {
        await SignInAsAsync("owner@example.com");
        var token = CoreHost.Must(await Core.Tokens.ListAsync(Actor, Sandbox, Handle))[0];
        var expected = await CoreRecordsAsync(new AuditQuery(TokenId: token.Id, Limit: AuditTab.PageSize));

        var page = RenderAudit($"?token={token.Id}");

        Sequences(page).Should().Equal(expected.Select(r => r.Sequence));
        page.Find(".audit-active-filters").TextContent.Should().Contain($"Token: {token.Title} ({token.Masked})");
    }

    private IRenderedComponent<ServiceAccountPage> RenderAudit(string query = "")
    {
        Navigation.NavigateTo($"org/sandbox/service-accounts/{Handle}/audit{query}");
        var page = RenderWithProviders<ServiceAccountPage>(p => p.Add(x => x.Org, "sandbox").Add(x => x.Handle, Handle).Add(x => x.Tab, "audit"));
        page.WaitForAssertion(() => page.FindAll("[aria-busy=true]").Should().BeEmpty(), Patience);
        return page;
    }

    private async Task<IReadOnlyList<AuditRecordView>> CoreRecordsAsync(AuditQuery query) =>
        CoreHost.Must(await Core.Audit.QueryAsync(Actor, Sandbox, Handle, query)).Items;

    /// <summary>The rows' sequence numbers, read from their details buttons.</summary>
    private static IEnumerable<long> Sequences(IRenderedComponent<ServiceAccountPage> page) =>
        page.FindAll("[aria-label='Audit log'] tbody tr button[aria-label^='Details of record #']")
            .Select(b => long.Parse(b.GetAttribute("aria-label")!["Details of record #".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
}
