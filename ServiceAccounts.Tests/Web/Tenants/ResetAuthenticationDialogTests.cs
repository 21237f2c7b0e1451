using AngleSharp.Dom;
using Bunit;
using ServiceAccounts.Web.Components.Pages.Tenants;
using ServiceAccounts.Web.Components.Shared;

namespace ServiceAccounts.Tests.Web.Tenants;

public sealed class ResetAuthenticationDialogTests : AuthenticationSettingsTestBase
{
    [Theory]
    [InlineData("")]
    [InlineData("acm")]  // partial
    [InlineData("ACME")]  // differently cased
    [InlineData(" acme")]  // not trimmed
    [InlineData("acme ")]
    [InlineData("acme-platform")]  // another entity of the tenant
    public async Task Reset_ForAnythingButTheExactHandle_StaysDisabled(string typed)
    {
        var page = await OpenAsync("owner@example.com");
        var dialog = OpenResetDialog(page);

        FieldIn(dialog, "Tenant identifier").Input(typed);

        IsDisabled(ButtonIn(DialogProvider.Nodes, "Reset")!).Should().BeTrue();
    }

    [Fact]
    public async Task Reset_ForTheExactHandle_IsEnabled()
    {
        var page = await OpenAsync("owner@example.com");
        var dialog = OpenResetDialog(page);

        FieldIn(dialog, "Tenant identifier").Input(Acme);

        DialogProvider.WaitForAssertion(() => IsDisabled(ButtonIn(DialogProvider.Nodes, "Reset")!).Should().BeFalse(), Patience);
    }

    [Fact]
    public async Task Dialog_ShowsTheHandleToType_AndWhatHappens()
    {
        var page = await OpenAsync("owner@example.com");

        var dialog = OpenResetDialog(page);

        dialog.QuerySelectorAll("code").Select(c => c.TextContent).Should().Contain(Acme);
        DialogProvider.Markup.Should().Contain("Every API token issued before now stops working immediately");
    }

    [Fact]
    public async Task Reset_ResetsAuthentication_AndThePageShowsWhen()
    {
        var page = await OpenAsync("owner@example.com");
        OpenResetDialog(page);
        FieldIn(DialogProvider.Nodes, "Tenant identifier").Input(Acme);
        DialogProvider.WaitForAssertion(() => IsDisabled(ButtonIn(DialogProvider.Nodes, "Reset")!).Should().BeFalse(), Patience);

        // The Reset button sits in the dialog's actions, outside the form it submits (form="…"), which bUnit's Click doesn't follow.
        DialogProvider.Find("form#reset-authentication-form").Submit();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".mud-dialog").Should().BeEmpty(), Patience);
        (await SettingsInCoreAsync()).AuthenticationResetAt.Should().Be(Core.Clock.UtcNow);
        page.WaitForAssertion(() => page.Find(".last-reset").TextContent.Should().Contain(RelativeTime.Exact(Core.Clock.UtcNow)), Patience);
        Snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain(m => m.StartsWith("Authentication reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reset_KeepsUnsavedEdits_WhichThenSave()
    {
        var page = await OpenAsync("owner@example.com");
        Field(page, SessionLabel).Input("14");
        OpenResetDialog(page);
        FieldIn(DialogProvider.Nodes, "Tenant identifier").Input(Acme);
        DialogProvider.WaitForAssertion(() => IsDisabled(ButtonIn(DialogProvider.Nodes, "Reset")!).Should().BeFalse(), Patience);
        DialogProvider.Find("form#reset-authentication-form").Submit();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".mud-dialog").Should().BeEmpty(), Patience);

        Field(page, SessionLabel).GetAttribute("value").Should().Be("14");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => Snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain("Authentication settings saved"), Patience);
        (await SettingsInCoreAsync()).SessionTimeoutDays.Should().Be(14, "the reset moved the version on, and the page follows it");
    }

    [Fact]
    public async Task Cancel_ResetsNothing()
    {
        var page = await OpenAsync("owner@example.com");
        OpenResetDialog(page);

        ButtonIn(DialogProvider.Nodes, "Cancel")!.Click();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".mud-dialog").Should().BeEmpty(), Patience);
        (await SettingsInCoreAsync()).AuthenticationResetAt.Should().BeNull();
    }

    private INodeList OpenResetDialog(IRenderedComponent<AuthenticationSettingsPage> page)
    {
        ButtonIn(page.Nodes, "Reset authentication")!.Click();
        DialogProvider.WaitForElement(".mud-dialog", Patience);
        return DialogProvider.Nodes;
    }
}
