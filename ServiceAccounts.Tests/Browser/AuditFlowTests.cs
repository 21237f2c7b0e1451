using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;
using ServiceAccounts.Web.Export;
using static Microsoft.Playwright.Assertions;

namespace ServiceAccounts.Tests.Browser;

/// <summary>
/// The support staff's review in a real browser: /support finds ci-deployer, its Audit Log is filtered by action in the
/// address, the CSV export is downloaded and read, and the owner then sees that support looked; and an owner going from a
/// token's View activity to a record's details and back to the token.
/// </summary>
public sealed class AuditFlowTests(BrowserApp app) : BrowserTest(app)
{
    private const string Owner = "owner@example.com";
    private const string Support = "support@example.com";
    private const string CiDeployer = "/org/sandbox/service-accounts/ci-deployer";

    [Fact]
    public async Task Support_FindsAnAccount_FiltersItsLog_ExportsCsv_AndTheOwnerSeesTheVisit()
    {
        // /support → ci-deployer
        await SignInAsync(Page, Support, "/support");
        await Page.GetByLabel("Find an entity, a service account or a token").FillAsync("ci-deployer");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        var card = Page.GetByRole(AriaRole.Article, new() { Name = "CI Deployer" });
        await Expect(card).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/support\?q=ci-deployer$"));
        await ScreenshotAsync(Page, "audit-01-support-finds-ci-deployer");

        // → its Audit Log, read-only, with the chain verified
        await card.GetByRole(AriaRole.Link, new() { Name = "Audit Log" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/org/sandbox/service-accounts/ci-deployer/audit$"));
        await WaitForInteractiveAsync(Page);
        var grid = Page.GetByRole(AriaRole.Region, new() { Name = "Audit log" }).GetByRole(AriaRole.Table);
        await Expect(grid).ToBeVisibleAsync();
        await Expect(Page.GetByText(new System.Text.RegularExpressions.Regex(@"Verified through #\d+"))).ToBeVisibleAsync();
        await Expect(Page.GetByText("Owners see in this log that support staff opened it")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "audit-02-support-opens-the-log");

        // → filter by action: the choice goes into the address and the grid shows only those records
        await Page.Locator(".audit-filter-action").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Token created token.create" }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Service account updated service_account.update" }).ClickAsync();
        await Page.GetByRole(AriaRole.Heading, new() { Name = "CI Deployer" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "Token created token.create" })).ToBeHiddenAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("action=token.create&action=service_account.update"));
        var actions = grid.Locator("tbody td[data-label=Action] code");
        await Expect(actions.First).ToBeVisibleAsync();
        (await actions.AllInnerTextsAsync()).Should().NotBeEmpty().And.OnlyContain(a => a == "token.create" || a == "service_account.update");
        var shown = await actions.CountAsync();
        await ScreenshotAsync(Page, "audit-03-support-filters-by-action");

        // The filtered view survives a reload (the filter lives in the address).
        await ReloadAsync(Page);
        await Expect(grid.Locator("tbody td[data-label=Action] code")).ToHaveCountAsync(shown);

        // → Export CSV of that filter: the downloaded file holds exactly those records.
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        download.SuggestedFilename.Should().StartWith("audit-sandbox-ci-deployer-").And.EndWith(".csv");
        var path = await download.PathAsync();
        var rows = Csv.Parse(await File.ReadAllTextAsync(path));
        rows[0].Should().Equal(AuditExportEndpoints.CsvColumns);
        var actionColumn = Array.IndexOf(AuditExportEndpoints.CsvColumns, "action_type");
        rows.Skip(1).Select(r => r[actionColumn]).Should().HaveCount(shown).And.OnlyContain(a => a == "token.create" || a == "service_account.update");

        // The owner sees who looked, and that support exported.
        var owner = await NewPageAsync();
        await SignInAsync(owner, Owner, CiDeployer + "/audit?action=support.audit_log.view&action=support.audit_log.export");
        var ownersGrid = owner.GetByRole(AriaRole.Region, new() { Name = "Audit log" }).GetByRole(AriaRole.Table);
        await Expect(ownersGrid.Locator("tbody tr").Filter(new() { HasText = "support.audit_log.view" }).Filter(new() { HasText = "Sam Support" }).First).ToBeVisibleAsync();
        await Expect(ownersGrid.Locator("tbody tr").Filter(new() { HasText = "support.audit_log.export" }).Filter(new() { HasText = "Sam Support" }).First).ToBeVisibleAsync();
        await ScreenshotAsync(owner, "audit-04-owner-sees-support-visit");
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task Owner_ViewsATokensActivity_OpensARecord_AndFollowsItsTokenLink()
    {
        var token = await CiDeployerTokenAsync();
        await SignInAsync(Page, Owner, CiDeployer + "/tokens");

        await Page.GetByRole(AriaRole.Link, new() { Name = $"View activity {token.Last4}" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/audit\\?token={token.Id}$"));
        await Expect(Page.GetByText($"Token: {token.Title} ({token.Masked})")).ToBeVisibleAsync();
        var grid = Page.GetByRole(AriaRole.Region, new() { Name = "Audit log" }).GetByRole(AriaRole.Table);
        await Expect(grid.Locator("tbody tr").First).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "audit-05-token-activity");

        await grid.Locator("tbody tr").First.ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Hash", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(dialog.Locator("pre.audit-json")).ToContainTextAsync("\"method\"");
        await ScreenshotAsync(Page, "audit-06-record-details", currentWidthOnly: true);

        await dialog.GetByRole(AriaRole.Link, new() { Name = $"{token.Title} ({token.Masked})" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/tokens\\?token={token.Id}$"));
        await Expect(Page.Locator("tr.token-highlight")).ToContainTextAsync(token.Last4);
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task AuditLog_OfAPageOfLongRecords_StillBecomesInteractive()
    {
        // 25 updates with the longest descriptions: the page's persisted state is then well over SignalR's default
        // 32 KB message, which once made the circuit fail to start (the page stayed prerendered and dead).
        var owner = await App.Services.GetUserActorAsync(Owner) ?? throw new InvalidOperationException("No demo owner.");
        var accounts = App.Services.GetRequiredService<ServiceAccountService>();
        var account = CoreHost.Must(await accounts.CreateAsync(owner, EntityRef.Org("sandbox"), new NewServiceAccount("Long Records Bot", null)));
        for (var i = 0; i < AuditTab.PageSize; i++)
        {
            var description = string.Concat(Enumerable.Repeat($"Revision {i}: deploys ünïcödé services and ", 20))[..ServiceAccount.DescriptionMaxLength];
            account = CoreHost.Must(await accounts.UpdateAsync(owner, EntityRef.Org("sandbox"), account.Handle, new ServiceAccountChanges(account.Title, description), account.Version));
        }

        await SignInAsync(Page, Owner, $"/org/sandbox/service-accounts/{account.Handle}/audit");

        await Expect(Page.GetByText(new System.Text.RegularExpressions.Regex(@"Verified through #\d+"))).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("cursor="));
        await ExpectNoErrorsAsync(Page);
    }

    private async Task<TokenView> CiDeployerTokenAsync()
    {
        var owner = await App.Services.GetUserActorAsync(Owner);
        await using var scope = App.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();
        return CoreHost.Must(await tokens.ListAsync(owner!, EntityRef.Org("sandbox"), "ci-deployer")).First(t => t.Status == TokenStatus.Active);
    }
}
