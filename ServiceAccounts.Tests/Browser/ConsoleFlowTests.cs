using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceAccounts.Tests.Browser;

/// <summary>
/// The console as people use it, in a real browser, by the accessible names of DESIGN.md: the owner's whole life of a
/// service account, what a member and support staff can and can't do, deep links, and the phone width.
/// All flows share one app with the demo data; only the owner's flow changes data, on an account of its own.
/// </summary>
public sealed class ConsoleFlowTests(BrowserApp app) : BrowserTest(app)
{
    private const string Owner = "owner@example.com";
    private const string Member = "member@example.com";
    private const string Support = "support@example.com";
    private const string Members = "/org/sandbox/members";
    private const string CiDeployer = "/org/sandbox/service-accounts/ci-deployer";

    private static readonly string[] MemberColumns = ["Name", "Handle", "Type", "Role", "Last Activity"];

    [Fact]
    public async Task Owner_CreatesRenamesAndDeletesServiceAccount()
    {
        await SignInAsync(Page, Owner, Members);
        await ExpectMembersTableAsync(Page);
        await ScreenshotAsync(Page, "owner-01-members");

        // Create
        await Button(Page, "Add Member").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Create Service Account" }).ClickAsync();
        var create = Page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Title").FillAsync("Nightly Backup");
        await create.GetByLabel("Description").FillAsync("Copies the database to S3 every night.");
        await ScreenshotAsync(Page, "owner-02-create-dialog");
        await Button(create, "Create").ClickAsync();
        await Expect(create).ToBeHiddenAsync();
        var row = MemberRow(Page, "nightly-backup");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Nightly Backup");
        await ScreenshotAsync(Page, "owner-03-created");

        // The cog leads to the account's Settings tab.
        await Manage(Page, "nightly-backup").ClickAsync();
        await Expect(Page).ToHaveURLAsync(PathEndsWith("/org/sandbox/service-accounts/nightly-backup/settings"));
        foreach (var tab in new[] { "Tokens", "Audit Log", "Settings" })
        {
            await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true })).ToBeVisibleAsync();
        }
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Settings", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
        var title = Page.GetByLabel("Title", new() { Exact = true });
        await Expect(title).ToHaveValueAsync("Nightly Backup");
        await ScreenshotAsync(Page, "owner-04-settings");

        // Rename, save, and see it survive a reload (a new circuit reads it from the database).
        var save = Button(Page, "Save");
        await Expect(save).ToBeDisabledAsync();
        await title.FillAsync("Nightly Database Backup");
        await save.ClickAsync();
        await Expect(Snackbar(Page)).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "owner-05-saved");
        await ReloadAsync(Page);
        await Expect(Page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Nightly Database Backup");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Nightly Database Backup" })).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "owner-06-reloaded");

        // Delete, confirmed by typing the identifier exactly.
        await Button(Page, "Delete Service Account").ClickAsync();
        var confirm = Page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("nightly-backup");
        var identifier = confirm.GetByLabel("Service account identifier");
        var delete = Button(confirm, "Delete");
        await Expect(delete).ToBeDisabledAsync();
        await ScreenshotAsync(Page, "owner-07-delete-dialog");
        await identifier.FillAsync("nightly-backup");
        await Expect(delete).ToBeEnabledAsync();
        await identifier.FillAsync("Nightly-Backup");
        await Expect(delete).ToBeDisabledAsync();
        await identifier.FillAsync("nightly-backu");
        await Expect(delete).ToBeDisabledAsync();
        await identifier.FillAsync("nightly-backup");
        await Expect(delete).ToBeEnabledAsync();
        await ScreenshotAsync(Page, "owner-08-delete-confirmed");
        await delete.ClickAsync();

        await Expect(Page).ToHaveURLAsync(PathEndsWith(Members));
        await Expect(Snackbar(Page)).ToContainTextAsync(new Regex("deleted", RegexOptions.IgnoreCase));
        await ExpectMembersTableAsync(Page);
        await Expect(MemberRow(Page, "nightly-backup")).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "owner-09-deleted");
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task Member_SeesMembersOnly_AndAccountUrlIsNotFound()
    {
        await SignInAsync(Page, Member, Members);
        await ExpectMembersTableAsync(Page);

        await Expect(Button(Page, "Add Member")).ToHaveCountAsync(0);
        await Expect(Manage(Page, "ci-deployer")).ToHaveCountAsync(0);
        await Expect(Button(Page, "Member actions ci-deployer")).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "member-01-members");

        var response = await Page.GotoAsync(CiDeployer + "/settings");
        await WaitForInteractiveAsync(Page);
        await ExpectNotFoundAsync(Page);
        await Expect(Page.GetByText("CI Deployer")).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "member-02-not-found");
        await ExpectNoErrorsAsync(Page);
        response!.Status.Should().Be(404, "a page that isn't there for this person is a not-found answer, also for the browser");
    }

    [Fact]
    public async Task Support_SeesEverythingReadOnly()
    {
        await SignInAsync(Page, Support, Members);
        await ExpectMembersTableAsync(Page);
        await Expect(Button(Page, "Add Member")).ToHaveCountAsync(0);
        await Expect(Manage(Page, "ci-deployer")).ToHaveCountAsync(0);
        await Expect(Button(Page, "Member actions ci-deployer")).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "support-01-members");

        await GotoAsync(Page, CiDeployer + "/settings");
        var title = Page.GetByLabel("Title", new() { Exact = true });
        await Expect(title).ToHaveValueAsync("CI Deployer");
        await Expect(title).Not.ToBeEditableAsync();
        var description = Page.GetByLabel("Description", new() { Exact = true });
        await Expect(description).ToHaveValueAsync("Deploys the main branch to production from GitHub Actions.");
        await Expect(description).Not.ToBeEditableAsync();
        await Expect(Button(Page, "Save")).ToHaveCountAsync(0);
        await Expect(Button(Page, "Delete Service Account")).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "support-02-settings");
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task Tabs_AreRoutes_DeepLinkAndBackButtonWork()
    {
        await SignInAsync(Page, Owner, CiDeployer + "/tokens");
        var tokens = Page.GetByRole(AriaRole.Tab, new() { Name = "Tokens", Exact = true });
        var settings = Page.GetByRole(AriaRole.Tab, new() { Name = "Settings", Exact = true });
        await Expect(tokens).ToHaveAttributeAsync("aria-selected", "true");
        await ScreenshotAsync(Page, "tabs-01-tokens");

        await settings.ClickAsync();
        await Expect(Page).ToHaveURLAsync(PathEndsWith(CiDeployer + "/settings"));
        await Expect(settings).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("CI Deployer");

        await Page.GoBackAsync();
        await Expect(Page).ToHaveURLAsync(PathEndsWith(CiDeployer + "/tokens"));
        await Expect(tokens).ToHaveAttributeAsync("aria-selected", "true");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Audit Log", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(PathEndsWith(CiDeployer + "/audit"));
        await ScreenshotAsync(Page, "tabs-02-audit");
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task PhoneWidth_MembersPage_DrawerAndMenusWork()
    {
        // Screenshots at this width only: widening the window would open the responsive drawer and change the state under test.
        var phone = await NewPageAsync(BrowserApp.PhoneWidth, BrowserApp.PhoneHeight);
        await SignInAsync(phone, Owner, Members);
        await Expect(MemberRow(phone, "ci-deployer")).ToBeVisibleAsync();
        (await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth"))
            .Should().BeLessThanOrEqualTo(BrowserApp.PhoneWidth, "nothing should make the page scroll sideways on a phone");
        await ScreenshotAsync(phone, "phone-01-members", currentWidthOnly: true);

        // The navigation drawer is closed on a phone and opens from the app bar.
        var drawerLink = phone.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true });
        await Expect(drawerLink).Not.ToBeInViewportAsync();
        await phone.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { NameRegex = new Regex("navigation|menu|drawer", RegexOptions.IgnoreCase) }).First.ClickAsync();
        await Expect(drawerLink).ToBeInViewportAsync();
        await ScreenshotAsync(phone, "phone-02-drawer", currentWidthOnly: true);
        await drawerLink.ClickAsync();
        await Expect(phone).ToHaveURLAsync(PathEndsWith(Members));
        await Expect(drawerLink).Not.ToBeInViewportAsync();

        // The Add Member menu and a row's cog are reachable.
        await Button(phone, "Add Member").ClickAsync();
        var createItem = phone.GetByRole(AriaRole.Menuitem, new() { Name = "Create Service Account" });
        await Expect(createItem).ToBeInViewportAsync(new() { Ratio = 1 });
        await ScreenshotAsync(phone, "phone-03-add-member-menu", currentWidthOnly: true);
        // Dismissed the way a phone user does it: a tap outside the menu (on MudBlazor's overlay).
        await phone.Mouse.ClickAsync(10, BrowserApp.PhoneHeight - 10);
        await Expect(createItem).ToBeHiddenAsync();
        await Expect(Manage(phone, "ci-deployer")).ToBeVisibleAsync();

        // The account menu opens and offers Sign out.
        await phone.GetByRole(AriaRole.Button, new() { Name = "Account menu for Ada Owner" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeInViewportAsync();
        await ScreenshotAsync(phone, "phone-04-account-menu", currentWidthOnly: true);
        await ExpectNoErrorsAsync(phone);
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Button(ILocator scope, string name) => scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The cog of a service account row. DESIGN.md calls it a button; it navigates, so a link is the right
    /// element for it: either role is accepted (and both count when checking it is absent).</summary>
    private static ILocator Manage(IPage page, string handle) =>
        page.GetByRole(AriaRole.Link, new() { Name = $"Manage {handle}", Exact = true })
            .Or(page.GetByRole(AriaRole.Button, new() { Name = $"Manage {handle}", Exact = true }));

    /// <summary>The members table's row of a handle (a cell holds exactly the handle).</summary>
    private static ILocator MemberRow(IPage page, string handle) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell).GetByText(handle, new() { Exact = true }) });

    /// <summary>MudBlazor's snackbar (DESIGN.md names no text for it; the flows check what it says where it matters).</summary>
    private static ILocator Snackbar(IPage page) => page.Locator(".mud-snackbar").Last;

    /// <summary>The members table with its columns and the demo rows loaded: absence checks after this are meaningful.</summary>
    private static async Task ExpectMembersTableAsync(IPage page)
    {
        var table = page.GetByRole(AriaRole.Table);
        foreach (var column in MemberColumns)
        {
            await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = column, Exact = true })).ToBeVisibleAsync();
        }
        await Expect(MemberRow(page, "ci-deployer")).ToBeVisibleAsync();
        await Expect(MemberRow(page, "terraform-runner")).ToBeVisibleAsync();
    }

    private static async Task ExpectNotFoundAsync(IPage page) =>
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("not found", RegexOptions.IgnoreCase) })).ToBeVisibleAsync();
}
