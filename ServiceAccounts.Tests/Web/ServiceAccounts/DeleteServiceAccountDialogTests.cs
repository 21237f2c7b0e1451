using AngleSharp.Dom;
using Bunit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.ServiceAccounts;

public sealed class DeleteServiceAccountDialogTests : ServiceAccountPageTestBase
{
    [Theory]
    [InlineData("")]
    [InlineData("terraform-runner")]  // wrong
    [InlineData("ci-deploy")]  // partial
    [InlineData("CI-Deployer")]  // differently cased
    [InlineData(" ci-deployer")]  // not trimmed
    [InlineData("ci-deployer ")]
    public async Task Delete_ForAnythingButTheExactHandle_StaysDisabled(string typed)
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var dialog = OpenDeleteDialog(page);

        FieldIn(dialog, "Service account identifier").Input(typed);

        IsDisabled(ButtonIn(DialogProvider.Nodes, "Delete")!).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_ForTheExactHandle_IsEnabled()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        var dialog = OpenDeleteDialog(page);

        FieldIn(dialog, "Service account identifier").Input(Handle);

        DialogProvider.WaitForAssertion(() => IsDisabled(ButtonIn(DialogProvider.Nodes, "Delete")!).Should().BeFalse());
    }

    [Fact]
    public async Task Dialog_ShowsTheHandleToType()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");

        var dialog = OpenDeleteDialog(page);

        dialog.QuerySelectorAll("code").Select(c => c.TextContent).Should().Contain(Handle);
    }

    [Fact]
    public async Task Delete_RemovesTheAccount_AndGoesBackToMembersWithASnackbar()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        OpenDeleteDialog(page);
        FieldIn(DialogProvider.Nodes, "Service account identifier").Input(Handle);

        DialogProvider.WaitForAssertion(() => IsDisabled(ButtonIn(DialogProvider.Nodes, "Delete")!).Should().BeFalse());

        // The Delete button sits in the dialog's actions, outside the form it submits (form="…"), which bUnit's Click doesn't follow.
        DialogProvider.Find("form#delete-service-account-form").Submit();

        page.WaitForAssertion(() => Navigation.Uri.Should().EndWith("/org/sandbox/members"));
        (await Core.Accounts.GetAsync(Actor, Sandbox, Handle)).Status.Should().Be(ResultStatus.NotFound);
        Snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain($"Service account {Handle} deleted");
    }

    [Fact]
    public async Task Cancel_KeepsTheAccount()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderPage("settings");
        OpenDeleteDialog(page);

        ButtonIn(DialogProvider.Nodes, "Cancel")!.Click();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll(".mud-dialog").Should().BeEmpty());
        (await Core.Accounts.GetAsync(Actor, Sandbox, Handle)).IsOk.Should().BeTrue();
    }

    private INodeList OpenDeleteDialog(IRenderedComponent<ServiceAccountPage> page)
    {
        ButtonIn(page.Nodes, "Delete Service Account")!.Click();
        DialogProvider.WaitForElement(".mud-dialog");
        return DialogProvider.Nodes;
    }
}
