using Bunit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web.ServiceAccounts;

public sealed class SettingsTabTests : ServiceAccountPageTestBase
{
    [Fact]
    public async Task Save_WhenNothingChanged_IsDisabled()
    {
        await SignInAsAsync("owner@example.com");

        var page = RenderPage("settings");

        var account = await AccountInCoreAsync();
        Field(page, "Title").GetAttribute("value").Should().Be(account.Title);
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue();
    }

    [Fact]
    public async Task Save_AfterAChange_IsEnabled_AndChangingBackDisablesItAgain()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var original = (await AccountInCoreAsync()).Description;

        Field(page, "Description").Input("Deploys from CI, looked after by the platform team");
        page.WaitForAssertion(() => IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeFalse());

        Field(page, "Description").Input(original);
        page.WaitForAssertion(() => IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue());
    }

    [Fact]
    public async Task Save_WithOnlySurroundingWhitespaceAdded_StaysDisabled()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var title = (await AccountInCoreAsync()).Title;

        Field(page, "Title").Input($"  {title} ");

        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue("Core trims the title, so this changes nothing");
    }

    [Fact]
    public async Task Save_PersistsThroughCore_AndUpdatesTheHeader()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");

        Field(page, "Title").Input("Release pipeline");
        Field(page, "Description").Input("Ships main to production.");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => page.Find("h1").TextContent.Trim().Should().Be("Release pipeline"));
        var saved = await AccountInCoreAsync();
        saved.Title.Should().Be("Release pipeline");
        saved.Description.Should().Be("Ships main to production.");
        Snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain("Saved");
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue("what is shown is what is saved");
    }

    [Fact]
    public async Task Save_WithAnEmptyTitle_ShowsTheFieldError_AndChangesNothing()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var before = await AccountInCoreAsync();

        Field(page, "Title").Input("   ");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("Title is required."));
        (await AccountInCoreAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Save_AfterSomeoneElseChangedIt_SaysSo_AndOverwritesNothing()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var loaded = await AccountInCoreAsync();
        CoreHost.Must(await Core.Accounts.UpdateAsync(owner, Sandbox, Handle, new ServiceAccountChanges("Renamed elsewhere", null), loaded.Version));

        Field(page, "Title").Input("My rename");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("This service account was changed by someone else since you opened it."));
        (await AccountInCoreAsync()).Title.Should().Be("Renamed elsewhere");
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue();
    }

    [Fact]
    public async Task Reload_AfterAStaleSave_ShowsTheOtherChange_AndSavingWorksAgain()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var loaded = await AccountInCoreAsync();
        CoreHost.Must(await Core.Accounts.UpdateAsync(owner, Sandbox, Handle, new ServiceAccountChanges("Renamed elsewhere", null), loaded.Version));
        Field(page, "Title").Input("My rename");
        ButtonIn(page.Nodes, "Save")!.Click();
        page.WaitForAssertion(() => ButtonIn(page.Nodes, "Reload").Should().NotBeNull());

        ButtonIn(page.Nodes, "Reload")!.Click();

        page.WaitForAssertion(() => Field(page, "Title").GetAttribute("value").Should().Be("Renamed elsewhere"));
        page.Markup.Should().NotContain("changed by someone else");
        Field(page, "Title").Input("My rename");
        ButtonIn(page.Nodes, "Save")!.Click();
        page.WaitForAssertion(() => page.Find("h1").TextContent.Trim().Should().Be("My rename"));
        (await AccountInCoreAsync()).Title.Should().Be("My rename");
    }

    [Fact]
    public async Task Support_SeesTheFieldsReadOnly_WithoutSaveOrDelete()
    {
        await SignInAsAsync("support@example.com");

        var page = RenderPage("settings");

        Field(page, "Title").HasAttribute("readonly").Should().BeTrue();
        Field(page, "Description").HasAttribute("readonly").Should().BeTrue();
        ButtonIn(page.Nodes, "Save").Should().BeNull();
        ButtonIn(page.Nodes, "Delete Service Account").Should().BeNull();
        page.Markup.Should().Contain("read-only");
    }

    [Fact]
    public async Task Support_SeesTheTokensAndAuditTabs()
    {
        await SignInAsAsync("support@example.com");

        var tokens = RenderPage("tokens");

        tokens.FindAll("[aria-label='API tokens'] tbody tr").Should().NotBeEmpty();
        tokens.Markup.Should().Contain("sat_…");
    }
}
