using Bunit;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Tests.Web.Tokens;

public sealed class CreatedTokenPanelTests : TokensTestBase
{
    [Fact]
    public async Task Panel_AfterCreate_ShowsTheTokenMasked_WithTheWarning()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");

        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");

        var panel = page.Find("[aria-label='New token']");
        panel.TextContent.Should().Contain("Copy this token now. You won't be able to see it again.");
        page.Find(".created-token-value").TextContent.Trim().Should().MatchRegex($"^sat_•+{created.Token.Last4}$");
        page.Markup.Should().NotContain(created.Secret);
        Named(page, "Reveal token").Should().NotBeNull();
        Named(page, "Copy token").Should().NotBeNull();
    }

    [Fact]
    public async Task Reveal_ShowsTheSecret_AndHideMasksItAgain()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");

        Named(page, "Reveal token")!.Click();

        page.Find(".created-token-value").TextContent.Trim().Should().Be(created.Secret);
        TokenFormat.TryParse(created.Secret).Should().Be(created.Token.Id, "the revealed text is a well-formed token of the new id");
        Named(page, "Reveal token").Should().BeNull();

        Named(page, "Hide token")!.Click();

        page.Markup.Should().NotContain(created.Secret);
        Named(page, "Reveal token").Should().NotBeNull();
    }

    [Fact]
    public async Task Copy_PutsTheSecretOnTheClipboard_AndSaysCopied()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");
        var module = JSInterop.SetupModule(PanelModule);
        module.Setup<bool>("copyText", created.Secret).SetResult(true);

        Named(page, "Copy token")!.Click();

        module.VerifyInvoke("copyText").Arguments.Should().Equal(created.Secret);
        SnackbarProvider.WaitForAssertion(() => SnackbarProvider.Markup.Should().Contain("Copied"), Patience);
        page.Markup.Should().NotContain(created.Secret, "copying doesn't reveal it");
    }

    [Fact]
    public async Task Copy_WithoutAClipboard_RevealsAndSelectsTheToken()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");
        var module = JSInterop.SetupModule(PanelModule);
        module.Setup<bool>("copyText", created.Secret).SetResult(false);
        module.SetupVoid("selectText", _ => true).SetVoidResult();

        Named(page, "Copy token")!.Click();

        page.WaitForAssertion(() => page.Find(".created-token-value").TextContent.Trim().Should().Be(created.Secret), Patience);
        page.WaitForAssertion(() => module.VerifyInvoke("selectText"), Patience);
        SnackbarProvider.Markup.Should().Contain("copy it with Ctrl+C");
    }

    [Fact]
    public async Task Done_RemovesTheSecretFromThePage()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");
        Named(page, "Reveal token")!.Click();
        page.Markup.Should().Contain(created.Secret);

        Named(page, "Done")!.Click();

        page.FindAll("[aria-label='New token']").Should().BeEmpty();
        page.Markup.Should().NotContain(created.Secret);
        page.Markup.Should().Contain($"sat_…{created.Token.Last4}", "the token itself stays listed");
    }

    [Fact]
    public async Task LeavingTheTab_ForgetsTheSecret()
    {
        await SignInAsAsync("owner@example.com");
        var page = RenderTokens(Sandbox, "ci-deployer");
        var created = await CreateThroughDialogAsync(page, Sandbox, "ci-deployer", "Deploys");

        page.Render(p => p.Add(x => x.Tab, "audit"));
        page.Render(p => p.Add(x => x.Tab, "tokens"));

        page.WaitForAssertion(() => page.FindAll("[aria-label='API tokens'] tbody tr").Should().HaveCount(2), Patience);
        page.FindAll("[aria-label='New token']").Should().BeEmpty();
        Named(page, "Reveal token").Should().BeNull();
        page.Markup.Should().NotContain(created.Secret);
    }
}
