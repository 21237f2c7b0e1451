using Bunit;
using Microsoft.Data.Sqlite;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Web.Tokens;

public sealed class NewTokenDialogTests : TokensTestBase
{
    [Fact]
    public async Task Dialog_WithoutATenantMaximum_OffersEveryExpiration_30DaysFirst()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");

        OpenNewTokenDialog(page);

        DialogProvider.Find(".mud-select").TextContent.Should().Contain("30 days");
        (await ExpirationOptionsAsync()).Should().Equal("7 days", "30 days", "60 days", "90 days", "1 year", "Custom", "Never");
        DialogProvider.Markup.Should().NotContain("This tenant allows tokens to last at most");
    }

    [Fact]
    public async Task Dialog_UnderTheTenantMaximum_OffersNothingLonger_NorNever_AndStatesTheLimit()
    {
        var owner = await SignInAsAsync("owner@example.com");
        await DeleteOneAcmeTokenAsync(owner);
        var page = RenderTokens(Acme, "metrics-exporter");

        OpenNewTokenDialog(page);

        (await ExpirationOptionsAsync()).Should().Equal("7 days", "30 days", "60 days", "90 days", "Custom");
        DialogProvider.Markup.Should().Contain("This tenant allows tokens to last at most 90 days.");
    }

    [Fact]
    public async Task Dialog_FollowsAChangedMaximum_WhenOpenedAgain()
    {
        var owner = await SignInAsAsync("owner@example.com");
        await DeleteOneAcmeTokenAsync(owner);
        var page = RenderTokens(Acme, "metrics-exporter");
        await SetAcmeMaximumAsync(60);

        OpenNewTokenDialog(page);

        (await ExpirationOptionsAsync()).Should().Equal("7 days", "30 days", "60 days", "Custom");
        DialogProvider.Markup.Should().Contain("at most 60 days");
    }

    [Theory]
    [InlineData(-1)]  // yesterday
    [InlineData(0)]  // today
    public async Task CustomDate_NotAfterToday_IsRefused_AndCreatesNothing(int daysFromToday)
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var before = (await TokensInCoreAsync(Sandbox, "ci-deployer")).Count;
        OpenNewTokenDialog(page);
        await ChooseExpirationAsync("Custom");

        Field(DialogProvider.Nodes, "Expiration date").Change(Day(daysFromToday));
        SubmitNewToken();

        DialogProvider.WaitForAssertion(() => HelperText(DialogProvider.Nodes, "Expiration date").Should().NotStartWith("From"), Patience);
        HelperText(DialogProvider.Nodes, "Expiration date").Should().Be("The expiration date must be after today.");
        DialogProvider.FindAll("form#new-token-form").Should().ContainSingle("the dialog stays open");
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Should().HaveCount(before);
    }

    [Fact]
    public async Task CustomDate_BeyondTheTenantMaximum_IsRefused()
    {
        var owner = await SignInAsAsync("owner@example.com");
        await DeleteOneAcmeTokenAsync(owner);
        var page = RenderTokens(Acme, "metrics-exporter");
        OpenNewTokenDialog(page);
        await ChooseExpirationAsync("Custom");

        Field(DialogProvider.Nodes, "Expiration date").Change(Day(91));
        SubmitNewToken();

        DialogProvider.WaitForAssertion(() => HelperText(DialogProvider.Nodes, "Expiration date").Should().NotStartWith("From"), Patience);
        HelperText(DialogProvider.Nodes, "Expiration date").Should().Be($"This tenant allows tokens to last at most 90 days: choose {Day(90)} or earlier.");
        (await TokensInCoreAsync(Acme, "metrics-exporter")).Should().ContainSingle();
    }

    [Fact]
    public async Task CustomDate_AtTheTenantMaximum_CreatesATokenExpiringThatDay()
    {
        var owner = await SignInAsAsync("owner@example.com");
        await DeleteOneAcmeTokenAsync(owner);
        var page = RenderTokens(Acme, "metrics-exporter");
        OpenNewTokenDialog(page);
        await ChooseExpirationAsync("Custom");

        Field(DialogProvider.Nodes, "Expiration date").Change(Day(90));
        SubmitNewToken();

        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#new-token-form").Should().BeEmpty(), Patience);
        var tokens = await TokensInCoreAsync(Acme, "metrics-exporter");
        tokens.Should().HaveCount(2);
        tokens.Max(t => t.ExpiresAt).Should().Be(DateOnly.FromDateTime(Core.Clock.UtcNow).AddDays(90).ToDateTime(TimeOnly.MinValue));
    }

    [Fact]
    public async Task Title_Over100Characters_IsRefusedInline()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        OpenNewTokenDialog(page);

        Field(DialogProvider.Nodes, "Title").Input(new string('t', 101));
        SubmitNewToken();

        DialogProvider.WaitForAssertion(() => HelperText(DialogProvider.Nodes, "Title").Should().StartWith("Title must be at most 100 characters"), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Should().ContainSingle();
    }

    [Fact]
    public async Task Create_WhileSaving_IsDisabled()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        OpenNewTokenDialog(page);

        // Hold the database's write lock, so that Core's create waits (as on a slow disk) until it is let go.
        await using var blocker = new SqliteConnection($"Data Source={Core.DatabasePath}");
        await blocker.OpenAsync();
        await using var hold = blocker.BeginTransaction(deferred: false);
        SubmitNewToken();

        // Read the markup as rendered, without waiting on the renderer: Core's write now holds it until the lock is let go.
        var create = Named(DialogProvider, "Create")!;
        var cancel = Named(DialogProvider, "Cancel")!;
        await hold.RollbackAsync();
        IsDisabled(create).Should().BeTrue();
        IsDisabled(cancel).Should().BeTrue();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#new-token-form").Should().BeEmpty(), Patience);
        (await TokensInCoreAsync(Sandbox, "ci-deployer")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Create_WithTheDefaults_ClosesAndListsATokenExpiringIn30Days()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");

        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "GitHub Actions");

        created.Token.Title.Should().Be("GitHub Actions");
        created.Token.ExpiresAt.Should().Be(Core.Clock.UtcNow.AddDays(30));
        page.WaitForAssertion(() => Cell(page, created.Token.Last4, "Title").Should().Be("GitHub Actions"), Patience);
        Cell(page, created.Token.Last4, "Status").Should().Be("Active");
    }

    private string Day(int daysFromToday) =>
        DateOnly.FromDateTime(Core.Clock.UtcNow).AddDays(daysFromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task DeleteOneAcmeTokenAsync(Actor owner)
    {
        var inactive = (await TokensInCoreAsync(Acme, "metrics-exporter")).First(t => t.Status == TokenStatus.Inactive);
        CoreHost.Must(await Core.Tokens.DeleteAsync(owner, Acme, "metrics-exporter", inactive.Id));
    }

    private async Task SetAcmeMaximumAsync(int days)
    {
        var settings = CoreHost.Must(await Core.Tenancy.GetAuthenticationSettingsAsync(Actor, "acme"));
        CoreHost.Must(await Core.Tenancy.UpdateAuthenticationSettingsAsync(Actor, "acme", days, settings.SessionTimeoutDays, settings.Version));
    }
}
