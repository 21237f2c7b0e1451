using Bunit;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Tests.Web.Members;

public sealed class CreateServiceAccountTests : MembersTestContext
{
    private async Task<int> SandboxAccountCountAsync() =>
        (await Core.Accounts.ListAsync(Actor, EntityRef.Org("sandbox"))).Value!.Count;

    [Fact]
    public async Task Create_WithEmptyTitle_ShowsFieldErrorAndCreatesNothing()
    {
        var page = await OpenMembersAsync("owner@example.com");
        var before = await SandboxAccountCountAsync();
        OpenCreateDialog(page);

        DialogProvider.Find("form#create-service-account-form").Submit();

        DialogProvider.WaitForAssertion(() => HelperTextOf(DialogProvider, "Title").Should().StartWith("Title is required."), Patience);
        DialogProvider.FindAll("form#create-service-account-form").Should().ContainSingle("the dialog stays open");
        (await SandboxAccountCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Create_WithTitleOf101Characters_ShowsFieldErrorAndCreatesNothing()
    {
        var page = await OpenMembersAsync("owner@example.com");
        var before = await SandboxAccountCountAsync();
        OpenCreateDialog(page);

        Field(DialogProvider, "Title").Input(new string('a', 101));
        DialogProvider.Find("form#create-service-account-form").Submit();

        DialogProvider.WaitForAssertion(() => HelperTextOf(DialogProvider, "Title").Should().StartWith("Title must be at most 100 characters"), Patience);
        DialogProvider.FindAll("form#create-service-account-form").Should().ContainSingle();
        (await SandboxAccountCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Create_WithTitleOf100Characters_IsAccepted()
    {
        var page = await OpenMembersAsync("owner@example.com");
        OpenCreateDialog(page);

        Field(DialogProvider, "Title").Input(new string('b', 100));

        HelperTextOf(DialogProvider, "Title").Should().NotContain("at most");
    }

    [Fact]
    public async Task Create_WithDescriptionOver500Characters_ShowsFieldError()
    {
        var page = await OpenMembersAsync("owner@example.com");
        var before = await SandboxAccountCountAsync();
        OpenCreateDialog(page);

        Field(DialogProvider, "Title").Input("Nightly Backup");
        Field(DialogProvider, "Description").Input(new string('d', 501));
        DialogProvider.Find("form#create-service-account-form").Submit();

        DialogProvider.WaitForAssertion(() => HelperTextOf(DialogProvider, "Description").Should().StartWith("Description must be at most 500 characters"), Patience);
        (await SandboxAccountCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Create_WithValidTitle_ClosesShowsSnackbarAndTheNewRow()
    {
        var page = await OpenMembersAsync("owner@example.com");
        OpenCreateDialog(page);

        Field(DialogProvider, "Title").Input("Nightly Backup");
        Field(DialogProvider, "Description").Input("Copies the database to cold storage.");
        DialogProvider.Find("form#create-service-account-form").Submit();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#create-service-account-form").Should().BeEmpty(), Patience);
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain("Service account nightly-backup created"), Patience);
        page.WaitForAssertion(() => Handles(page).Should().Contain("nightly-backup"), Patience);
        Cell(page, "nightly-backup", "Type").Should().Be("Service Account");
        Cell(page, "nightly-backup", "Role").Should().Be("Member");
        ByLabel(page, "Manage nightly-backup").Should().NotBeNull();
        var created = (await Core.Accounts.GetAsync(Actor, EntityRef.Org("sandbox"), "nightly-backup")).Value!;
        created.Description.Should().Be("Copies the database to cold storage.");
    }

    [Fact]
    public async Task Create_WhileTyping_PreviewsTheHandle()
    {
        var page = await OpenMembersAsync("owner@example.com");
        OpenCreateDialog(page);

        Field(DialogProvider, "Title").Input("Release Bot");

        HelperTextOf(DialogProvider, "Title").Should().Contain("release-bot");
    }
}
