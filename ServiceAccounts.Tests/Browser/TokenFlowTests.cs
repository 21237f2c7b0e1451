using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace ServiceAccounts.Tests.Browser;

/// <summary>
/// The Tokens tab and the tenant's Authentication settings in a real browser, by the names of DESIGN.md: a token is
/// created in the UI, shown once (masked, revealed, hidden, copied through the real clipboard), proven against the
/// HTTP API of the same server, then deactivated, activated and deleted from its row's menu; the 2-token limit; and
/// the Enterprise tenant's Maximum Token Expiration as the dialog offers it, before and after the owner lowers it.
/// Each test works on a service account of its own, created through Core (the token part goes through the UI).
/// </summary>
public sealed class TokenFlowTests(BrowserApp app) : BrowserTest(app)
{
    private const string Owner = "owner@example.com";

    /// <summary>DESIGN.md "Token format": sat_ + token id + _ + 32 random + 6 checksum chars.</summary>
    private static readonly Regex TokenPattern = new("^sat_[0-9a-v]{20}_[0-9A-Za-z]{38}$");

    /// <summary>The same, anywhere in a text (to prove the secret is not on the page).</summary>
    private static readonly Regex TokenInText = new("sat_[0-9a-v]{20}_[0-9A-Za-z]{38}");

    /// <summary>Everything a person can read on the page: its text, and the values of visible fields that aren't
    /// password fields (a revealed token may be shown as text or in a read-only field).</summary>
    private const string ReadableText = """
        () => {
            const parts = [document.body.innerText];
            for (const field of document.querySelectorAll('input, textarea')) {
                if (field.type !== 'password' && field.type !== 'hidden' && field.checkVisibility()) {
                    parts.push(field.value);
                }
            }
            return parts.join('\n');
        }
        """;

    [Fact]
    public async Task Owner_CreatesToken_RevealsCopiesAndUsesIt_ThenDeactivatesActivatesDeletes()
    {
        var account = await CreateAccountAsync(EntityRef.Org("sandbox"), "Token Flow Bot");
        var tokensPath = $"/org/sandbox/service-accounts/{account.Handle}/tokens";
        var page = await NewPageAsync(permissions: BrowserApp.ClipboardPermissions);
        await SignInAsync(page, Owner, tokensPath);
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Tokens", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
        var newToken = Button(page, "New Token");
        await Expect(newToken).ToBeEnabledAsync();
        await ScreenshotAsync(page, "tokens-01-empty-list");

        // The dialog: an optional title and an expiration (no tenant maximum in a Team org: every option offered).
        await newToken.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Title", new() { Exact = true }).FillAsync("Deploy pipeline");
        var options = await ExpirationOptionsAsync(page, dialog);
        options.Should().Equal(["7 days", "30 days", "60 days", "90 days", "1 year", "Custom", "Never"],
            "a Team org has no maximum: every expiration of DESIGN.md rule 3 is offered");
        await ScreenshotAsync(page, "tokens-02-expiration-options");
        await ChooseOptionAsync(page, "30 days");
        await ExpectSelectedAsync(Combobox(dialog, "Expiration"), "30 days");
        await ScreenshotAsync(page, "tokens-03-dialog");
        await Button(dialog, "Create").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // Shown once, masked: the secret is nowhere a person can read it, with a warning that it can't be shown again.
        var reveal = Button(page, "Reveal token");
        await Expect(reveal).ToBeVisibleAsync();
        await Expect(Button(page, "Copy token")).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex("(can't|cannot|won't|will not|not be able to).{0,40}(again|retrieve)", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync();
        (await ReadableTextAsync(page)).Should().NotMatchRegex(TokenInText.ToString(), "the new token is masked until the owner reveals it");
        await ScreenshotAsync(page, "tokens-04-created-masked");

        await reveal.ClickAsync();
        var hide = Button(page, "Hide token");
        await Expect(hide).ToBeVisibleAsync();
        var revealed = TokenInText.Match(await ReadableTextAsync(page));
        revealed.Success.Should().BeTrue("Reveal token shows the secret");
        var secret = revealed.Value;
        secret.Should().MatchRegex(TokenPattern.ToString());
        var last4 = secret[^4..];
        await ScreenshotAsync(page, "tokens-05-created-revealed");

        await hide.ClickAsync();
        await Expect(Button(page, "Reveal token")).ToBeVisibleAsync();
        (await ReadableTextAsync(page)).Should().NotContain(secret, "Hide token masks it again");

        // Copy goes through the browser's clipboard API; reading it back gives exactly the revealed token.
        await Button(page, "Copy token").ClickAsync();
        await Expect(Snackbar(page)).ToContainTextAsync(new Regex("[Cc]opied"));
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        copied.Should().Be(secret, "Copy token puts the whole token on the clipboard");
        await ScreenshotAsync(page, "tokens-06-copied");

        // The new token is a working credential for the HTTP API of the same server.
        using var api = App.NewApiClient(secret);
        await ExpectActorAsync(api, account.Handle);

        // Its row: the masked last 4, Active.
        var row = TokenRow(page, last4);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Deploy pipeline");
        await Expect(row).ToContainTextAsync("Active");

        // Deactivate: at once, and the token stops authenticating.
        var actions = Button(page, $"Token actions {last4}");
        await actions.ClickAsync();
        await Expect(MenuItem(page, "Deactivate")).ToBeVisibleAsync();
        await Expect(MenuItem(page, "Delete")).ToBeVisibleAsync();
        await Expect(MenuItem(page, "Activate")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "tokens-07-actions-menu", currentWidthOnly: true);
        await MenuItem(page, "Deactivate").ClickAsync();
        await Expect(row).ToContainTextAsync("Inactive");
        await ScreenshotAsync(page, "tokens-08-deactivated");
        await ExpectUnauthorizedAsync(api, "a deactivated token stops authenticating immediately");

        // Activate: it works again.
        await actions.ClickAsync();
        await Expect(MenuItem(page, "Deactivate")).ToHaveCountAsync(0);
        await MenuItem(page, "Activate").ClickAsync();
        await Expect(row.GetByText("Inactive", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(row).ToContainTextAsync("Active");
        await ExpectActorAsync(api, account.Handle);

        // Delete, confirmed in a dialog that names the token: the row is gone and the token is refused.
        await actions.ClickAsync();
        await MenuItem(page, "Delete").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(confirm).ToContainTextAsync(new Regex($"Deploy pipeline|{Regex.Escape(last4)}"));
        await ScreenshotAsync(page, "tokens-09-delete-dialog");
        await Button(confirm, "Delete").ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(TokenRow(page, last4)).ToHaveCountAsync(0);
        await Expect(Button(page, $"Token actions {last4}")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "tokens-10-deleted");
        await ExpectUnauthorizedAsync(api, "a deleted token authenticates nothing");

        // A new circuit reads the same from the database.
        await ReloadAsync(page);
        await Expect(Button(page, "New Token")).ToBeEnabledAsync();
        await Expect(TokenRow(page, last4)).ToHaveCountAsync(0);
        (await ReadableTextAsync(page)).Should().NotContain(secret, "nothing outlives the panel with the secret");
        await ExpectNoErrorsAsync(page);
    }

    [Fact]
    public async Task NewToken_IsDisabledAtTwoTokens_WithTheReasonInView()
    {
        var account = await CreateAccountAsync(EntityRef.Org("sandbox"), "Two Token Bot");
        await CreateTokenThroughCoreAsync(EntityRef.Org("sandbox"), account.Handle, "First");
        await SignInAsync(Page, Owner, $"/org/sandbox/service-accounts/{account.Handle}/tokens");

        // The second token through the UI, one that never expires.
        var newToken = Button(Page, "New Token");
        await Expect(newToken).ToBeEnabledAsync();
        await newToken.ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title", new() { Exact = true }).FillAsync("Second");
        await ExpirationOptionsAsync(Page, dialog);
        await ChooseOptionAsync(Page, "Never");
        await Button(dialog, "Create").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Button(Page, "Reveal token")).ToBeVisibleAsync();

        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Second" })).ToContainTextAsync("Never");
        await Expect(Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Token actions ") })).ToHaveCountAsync(2);
        await Expect(newToken).ToBeDisabledAsync();
        await Expect(newToken).ToHaveAccessibleDescriptionAsync(new Regex("at most 2 tokens", RegexOptions.IgnoreCase));
        await Expect(Page.GetByText(new Regex(@"at most 2 tokens\. Delete one", RegexOptions.IgnoreCase))).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "tokens-11-limit-reached");

        // Still so on a new circuit (the panel and its secret are gone).
        await ReloadAsync(Page);
        await Expect(Button(Page, "New Token")).ToBeDisabledAsync();
        await Expect(Page.GetByText(new Regex(@"at most 2 tokens\. Delete one", RegexOptions.IgnoreCase))).ToBeVisibleAsync();
        await Expect(Button(Page, "Reveal token")).ToHaveCountAsync(0);
        await ExpectNoErrorsAsync(Page);
    }

    [Fact]
    public async Task EnterpriseTenantMaximum_LimitsTheDialog_AndTheOwnerLowersIt()
    {
        var acme = EntityRef.Tenant("acme");
        var before = await AuthenticationSettingsAsync("acme");
        before.MaxTokenExpirationDays.Should().Be(90, "the demo tenant acme has a Maximum Token Expiration of 90 days");
        try
        {
            var account = await CreateAccountAsync(acme, "Acme Token Bot");
            var tokensPath = $"/tenant/acme/service-accounts/{account.Handle}/tokens";
            await SignInAsync(Page, Owner, tokensPath);

            // Under a 90-day maximum: Never and 1 year are not offered, and the dialog says why.
            await Button(Page, "New Token").ClickAsync();
            var dialog = Page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog).ToContainTextAsync(LimitStatement(90));
            var options = await ExpirationOptionsAsync(Page, dialog);
            options.Should().NotContain("Never").And.NotContain("1 year");
            options.Should().Contain(["7 days", "30 days", "60 days", "90 days"]);
            await ScreenshotAsync(Page, "tokens-12-acme-options-90");
            await Page.Keyboard.PressAsync("Escape");
            await ScreenshotAsync(Page, "tokens-13-acme-dialog-90");

            // The tenant owner lowers the maximum to 30 days.
            await GotoAsync(Page, "/tenant/acme/settings/authentication");
            var maximum = Combobox(Page, "Maximum Token Expiration");
            await ExpectSelectedAsync(maximum, "90 days");
            await Expect(Page.GetByText(new Regex("existing tokens", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync();
            await ScreenshotAsync(Page, "tokens-14-settings-authentication");
            await maximum.ClickAsync();
            await ChooseOptionAsync(Page, "30 days");
            await ExpectSelectedAsync(maximum, "30 days");
            await Button(Page, "Save").ClickAsync();
            await Expect(Snackbar(Page)).ToBeVisibleAsync();
            await ScreenshotAsync(Page, "tokens-15-settings-saved");
            (await AuthenticationSettingsAsync("acme")).MaxTokenExpirationDays.Should().Be(30, "Save stores the new maximum");

            // The dialog follows: nothing beyond 30 days.
            await GotoAsync(Page, tokensPath);
            await Button(Page, "New Token").ClickAsync();
            dialog = Page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync(LimitStatement(30));
            options = await ExpirationOptionsAsync(Page, dialog);
            options.Should().NotContain(["60 days", "90 days", "1 year", "Never"]);
            options.Should().Contain(["7 days", "30 days"]);
            await ScreenshotAsync(Page, "tokens-16-acme-options-30");
            await ExpectNoErrorsAsync(Page);
        }
        finally
        {
            // Other tests of the shared app see the demo tenant as seeded.
            await RestoreAuthenticationSettingsAsync(before);
        }
    }

    [Fact]
    public async Task PhoneWidth_ExpirationOptions_StayOnScreen()
    {
        var account = await CreateAccountAsync(EntityRef.Org("sandbox"), "Phone Token Bot");
        var phone = await NewPageAsync(BrowserApp.PhoneWidth, BrowserApp.PhoneHeight);
        await SignInAsync(phone, Owner, $"/org/sandbox/service-accounts/{account.Handle}/tokens");
        await Button(phone, "New Token").ClickAsync();
        var dialog = phone.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await ExpirationOptionsAsync(phone, dialog);
        await ScreenshotAsync(phone, "tokens-17-phone-expiration-options", currentWidthOnly: true);
        foreach (var option in new[] { "7 days", "Never" })
        {
            // The list is a scrolling popover that opens at the selected option: every option can be scrolled to and is then whole on screen.
            var item = OpenOptions(phone).Filter(new() { HasText = option });
            await item.ScrollIntoViewIfNeededAsync();
            await Expect(item).ToBeInViewportAsync(new() { Ratio = 1 });
        }
        (await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth"))
            .Should().BeLessThanOrEqualTo(BrowserApp.PhoneWidth, "the open Expiration list should not push the page sideways on a phone");
        await ExpectNoErrorsAsync(phone);
    }

    // ---- the page ----

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Button(ILocator scope, string name) => scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator MenuItem(IPage page, string name) => page.GetByRole(AriaRole.Menuitem, new() { Name = name, Exact = true });

    /// <summary>The token table's row showing <c>sat_…{last4}</c>.</summary>
    private static ILocator TokenRow(IPage page, string last4) =>
        page.GetByRole(AriaRole.Row).Filter(new() { HasText = TokenFormat.Masked(last4) });

    private static ILocator Snackbar(IPage page) => page.Locator(".mud-snackbar").Last;

    /// <summary>"…maximum … 90 days", "limited to 90 days", "at most 90 days", "up to 90 days" and the like.</summary>
    private static Regex LimitStatement(int days) =>
        new($@"(maxim|limit|at most|up to|no longer than|longest)[^.]{{0,80}}\b{days}[ -]days?", RegexOptions.IgnoreCase);

    /// <summary>A select (MudBlazor: a combobox named by its label).</summary>
    private static ILocator Combobox(IPage page, string name) => page.GetByRole(AriaRole.Combobox, new() { Name = name, Exact = true });

    private static ILocator Combobox(ILocator scope, string name) => scope.GetByRole(AriaRole.Combobox, new() { Name = name, Exact = true });

    /// <summary>What a select shows as chosen: MudBlazor's combobox is an input (its value) or an element (its text).</summary>
    private static async Task ExpectSelectedAsync(ILocator combobox, string text)
    {
        if (await combobox.EvaluateAsync<bool>("e => e instanceof HTMLInputElement"))
        {
            await Expect(combobox).ToHaveValueAsync(text);
        }
        else
        {
            await Expect(combobox).ToHaveTextAsync(text);
        }
    }

    /// <summary>The open select's options (MudBlazor renders them in a popover outside the dialog; closed lists are hidden).</summary>
    private static ILocator OpenOptions(IPage page) => page.GetByRole(AriaRole.Listbox).GetByRole(AriaRole.Option);

    /// <summary>Opens the dialog's Expiration select and returns the texts of its options, in order.</summary>
    private static async Task<IReadOnlyList<string>> ExpirationOptionsAsync(IPage page, ILocator dialog)
    {
        await Combobox(dialog, "Expiration").ClickAsync();
        await Expect(OpenOptions(page).First).ToBeVisibleAsync();
        return [.. (await OpenOptions(page).AllInnerTextsAsync()).Select(text => text.Trim())];
    }

    /// <summary>Picks an option of the open select by its exact text.</summary>
    private static async Task ChooseOptionAsync(IPage page, string text)
    {
        await OpenOptions(page).Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(text)}\\s*$") }).ClickAsync();
        await Expect(OpenOptions(page)).ToHaveCountAsync(0);
    }

    private static Task<string> ReadableTextAsync(IPage page) => page.EvaluateAsync<string>(ReadableText);

    // ---- the API ----

    private static async Task ExpectActorAsync(HttpClient api, string handle)
    {
        using var response = await api.GetAsync("/api/v0/actor");
        response.StatusCode.Should().Be(HttpStatusCode.OK, "an active token authenticates");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("handle").GetString().Should().Be(handle);
    }

    private static async Task ExpectUnauthorizedAsync(HttpClient api, string because)
    {
        using var response = await api.GetAsync("/api/v0/actor");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, because);
    }

    // ---- Core, as the demo owner ----

    private async Task<ServiceAccountView> CreateAccountAsync(EntityRef entity, string title)
    {
        var owner = await App.Services.GetUserActorAsync(Owner) ?? throw new InvalidOperationException("No demo owner.");
        var result = await App.Services.GetRequiredService<ServiceAccountService>()
            .CreateAsync(owner, entity, new NewServiceAccount(title, "Created by the token browser tests."));
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!;
    }

    private async Task CreateTokenThroughCoreAsync(EntityRef entity, string handle, string title)
    {
        var owner = await App.Services.GetUserActorAsync(Owner) ?? throw new InvalidOperationException("No demo owner.");
        var result = await App.Services.GetRequiredService<TokenService>()
            .CreateAsync(owner, entity, handle, new NewToken(title, TokenExpiration.AfterDays(7)));
        result.IsOk.Should().BeTrue(result.Message);
    }

    private async Task<AuthenticationSettings> AuthenticationSettingsAsync(string tenant)
    {
        var owner = await App.Services.GetUserActorAsync(Owner) ?? throw new InvalidOperationException("No demo owner.");
        var result = await App.Services.GetRequiredService<TenancyService>().GetAuthenticationSettingsAsync(owner, tenant);
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!;
    }

    private async Task RestoreAuthenticationSettingsAsync(AuthenticationSettings before)
    {
        var now = await AuthenticationSettingsAsync(before.TenantHandle);
        if (now.MaxTokenExpirationDays == before.MaxTokenExpirationDays && now.SessionTimeoutDays == before.SessionTimeoutDays)
        {
            return;
        }
        var owner = await App.Services.GetUserActorAsync(Owner) ?? throw new InvalidOperationException("No demo owner.");
        var result = await App.Services.GetRequiredService<TenancyService>().UpdateAuthenticationSettingsAsync(
            owner, before.TenantHandle, before.MaxTokenExpirationDays, before.SessionTimeoutDays, now.Version);
        result.IsOk.Should().BeTrue(result.Message);
    }
}
