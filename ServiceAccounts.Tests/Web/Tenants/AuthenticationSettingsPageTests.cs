using Bunit;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web.Tenants;

public sealed class AuthenticationSettingsPageTests : AuthenticationSettingsTestBase
{
    [Fact]
    public async Task Open_AsOwner_ShowsTheSavedSettings()
    {
        var page = await OpenAsync("owner@example.com");

        Field(page, MaxLabel).GetAttribute("value").Should().Be("90 days");
        Field(page, SessionLabel).GetAttribute("value").Should().Be("30");
        page.Find("h1").TextContent.Trim().Should().Be("Authentication");
        page.Markup.Should().Contain("Existing tokens keep their expiration.")
            .And.Contain("Authentication has never been reset.");
    }

    [Fact]
    public async Task Save_WhenNothingChanged_IsDisabled()
    {
        var page = await OpenAsync("owner@example.com");

        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue();
    }

    [Fact]
    public async Task Save_AfterAChange_IsEnabled_AndChangingBackDisablesItAgain()
    {
        var page = await OpenAsync("owner@example.com");

        Field(page, SessionLabel).Input("14");
        page.WaitForAssertion(() => IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeFalse(), Patience);

        Field(page, SessionLabel).Input("30");
        page.WaitForAssertion(() => IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue(), Patience);
    }

    [Fact]
    public async Task Save_With30Days_PersistsThroughCore()
    {
        var page = await OpenAsync("owner@example.com");
        var before = await SettingsInCoreAsync();

        await ChooseMaximumAsync(page, "30 days");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => Snackbar.ShownSnackbars.Select(s => s.Message).Should().Contain("Authentication settings saved"), Patience);
        var after = await SettingsInCoreAsync();
        after.MaxTokenExpirationDays.Should().Be(30);
        after.SessionTimeoutDays.Should().Be(before.SessionTimeoutDays);
        after.Version.Should().BeGreaterThan(before.Version);
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue("what is shown is what is saved");
    }

    [Fact]
    public async Task Save_WithNever_SavesNoMaximum()
    {
        var page = await OpenAsync("owner@example.com");

        await ChooseMaximumAsync(page, "Never (no maximum)");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => Snackbar.ShownSnackbars.Should().NotBeEmpty(), Patience);
        (await SettingsInCoreAsync()).MaxTokenExpirationDays.Should().BeNull();
    }

    [Fact]
    public async Task Save_WithACustomNumberOfDays_SavesIt()
    {
        var page = await OpenAsync("owner@example.com");

        await ChooseMaximumAsync(page, "Custom");
        page.WaitForAssertion(() => Field(page, "Maximum days").GetAttribute("value").Should().Be("90"), Patience);
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue("Custom starts from the current maximum: nothing changed yet");
        Field(page, "Maximum days").Input("45");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => Snackbar.ShownSnackbars.Should().NotBeEmpty(), Patience);
        (await SettingsInCoreAsync()).MaxTokenExpirationDays.Should().Be(45);
    }

    [Fact]
    public async Task Open_WithACustomMaximumSaved_ShowsCustomAndTheDays()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var saved = await SettingsInCoreAsync();
        CoreHost.Must(await Core.Tenancy.UpdateAuthenticationSettingsAsync(owner, Acme, 45, saved.SessionTimeoutDays, saved.Version));

        var page = await OpenAsync("owner@example.com");

        Field(page, MaxLabel).GetAttribute("value").Should().Be("Custom");
        Field(page, "Maximum days").GetAttribute("value").Should().Be("45");
    }

    [Fact]
    public async Task Save_WithAMaximumBelowTheSessionTimeout_ShowsTheFieldError_AndSavesNothing()
    {
        var page = await OpenAsync("owner@example.com");
        var before = await SettingsInCoreAsync();

        await ChooseMaximumAsync(page, "7 days");
        page.WaitForAssertion(() => HelperTextOf(page, MaxLabel).Should().Be("Maximum Token Expiration can't be shorter than the Console Session Timeout (30 days)."), Patience);
        HasError(page, MaxLabel).Should().BeTrue();
        ButtonIn(page.Nodes, "Save")!.Click();

        (await SettingsInCoreAsync()).Should().Be(before);
        Snackbar.ShownSnackbars.Should().BeEmpty();
    }

    [Fact]
    public async Task SessionTimeout_RaisedAboveTheMaximum_ShowsTheErrorOnTheMaximum_AndSavesNothing()
    {
        var page = await OpenAsync("owner@example.com");
        var before = await SettingsInCoreAsync();

        Field(page, SessionLabel).Input("120");
        page.WaitForAssertion(() => HelperTextOf(page, MaxLabel).Should().Contain("(120 days)"), Patience);
        ButtonIn(page.Nodes, "Save")!.Click();

        (await SettingsInCoreAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    public async Task SessionTimeout_OutOfRange_ShowsTheFieldError_AndSavesNothing(string days)
    {
        var page = await OpenAsync("owner@example.com");
        var before = await SettingsInCoreAsync();

        Field(page, SessionLabel).Input(days);
        page.WaitForAssertion(() => HasError(page, SessionLabel).Should().BeTrue(), Patience);
        ButtonIn(page.Nodes, "Save")!.Click();

        HelperTextOf(page, SessionLabel).Should().Be("Console Session Timeout must be between 1 and 365 days.");
        (await SettingsInCoreAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Save_AfterSomeoneElseChangedThem_SaysSo_OverwritesNothing_AndReloadShowsTheirs()
    {
        var owner = await SignInAsAsync("owner@example.com");
        var page = await OpenAsync("owner@example.com");
        var loaded = await SettingsInCoreAsync();
        CoreHost.Must(await Core.Tenancy.UpdateAuthenticationSettingsAsync(owner, Acme, 60, loaded.SessionTimeoutDays, loaded.Version));

        await ChooseMaximumAsync(page, "30 days");
        ButtonIn(page.Nodes, "Save")!.Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("changed by someone else"), Patience);
        (await SettingsInCoreAsync()).MaxTokenExpirationDays.Should().Be(60);
        IsDisabled(ButtonIn(page.Nodes, "Save")!).Should().BeTrue();

        ButtonIn(page.Nodes, "Reload")!.Click();

        page.WaitForAssertion(() => Field(page, MaxLabel).GetAttribute("value").Should().Be("60 days"), Patience);
        page.Markup.Should().NotContain("changed by someone else");
    }

    [Fact]
    public async Task Support_SeesTheSettingsReadOnly_WithoutSaveOrReset()
    {
        var page = await OpenAsync("support@example.com");

        Field(page, MaxLabel).GetAttribute("value").Should().Be("90 days");
        Field(page, SessionLabel).HasAttribute("readonly").Should().BeTrue();
        ButtonIn(page.Nodes, "Save").Should().BeNull();
        ButtonIn(page.Nodes, "Reset authentication").Should().BeNull();
        page.Markup.Should().Contain("read-only");
    }

    [Fact]
    public async Task Open_AsMember_ShowsNotFound()
    {
        var page = await OpenAsync("member@example.com");

        page.Find("h1").TextContent.Trim().Should().Be("Not found");
        page.Markup.Should().NotContain(MaxLabel);
    }

    [Theory]
    [InlineData("no-such-tenant")]
    [InlineData("default")]
    public async Task Open_ATenantThatIsNotThere_ShowsNotFound(string tenant)
    {
        var page = await OpenAsync("owner@example.com", tenant);

        page.Find("h1").TextContent.Trim().Should().Be("Not found");
    }
}
