using Bunit;
using MudBlazor;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Tests.Web.Members;

public sealed class ChangeRoleTests : MembersTestContext
{
    [Fact]
    public async Task ChangeRole_AsOwnerToOwner_SavesAndUpdatesTheRow()
    {
        var page = await OpenMembersAsync("owner@example.com");
        Cell(page, "ci-deployer", "Role").Should().Be("Member");

        ByLabel(page, "Member actions ci-deployer")!.Click();
        PopoverProvider.WaitForAssertion(() => MenuItem("Change Role").Should().NotBeNull(), Patience);
        MenuItem("Change Role")!.Click();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#change-role-form").Should().ContainSingle(), Patience);
        ButtonNamed(DialogProvider, "Save")!.HasAttribute("disabled").Should().BeTrue("nothing changed yet");
        var select = DialogProvider.FindComponent<MudSelect<Role>>();
        await select.InvokeAsync(() => select.Instance.OpenMenu());
        PopoverProvider.WaitForAssertion(() => MenuItem("Owner").Should().NotBeNull(), Patience);
        MenuItem("Owner")!.Click();
        DialogProvider.WaitForAssertion(() => ButtonNamed(DialogProvider, "Save")!.HasAttribute("disabled").Should().BeFalse(), Patience);
        DialogProvider.Find("form#change-role-form").Submit();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#change-role-form").Should().BeEmpty(), Patience);
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain("ci-deployer is now an owner"), Patience);
        page.WaitForAssertion(() => Cell(page, "ci-deployer", "Role").Should().Be("Owner"), Patience);
        (await Core.Accounts.GetAsync(Actor, EntityRef.Org("sandbox"), "ci-deployer")).Value!.Role.Should().Be(Role.Owner);
    }
}
