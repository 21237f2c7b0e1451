using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.Tenants;

namespace ServiceAccounts.Tests.Web.Tenants;

/// <summary>The Authentication settings page of the demo tenant acme, found by the names a person reads.</summary>
public abstract class AuthenticationSettingsTestBase : ConsoleTestContext
{
    protected const string Acme = "acme";
    protected const string MaxLabel = "Maximum Token Expiration";
    protected const string SessionLabel = "Console Session Timeout";
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    protected async Task<IRenderedComponent<AuthenticationSettingsPage>> OpenAsync(string email, string tenant = Acme)
    {
        await SignInAsAsync(email);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"tenant/{tenant}/settings/authentication");
        var page = RenderWithProviders<AuthenticationSettingsPage>(p => p.Add(x => x.Tenant, tenant));
        page.WaitForAssertion(() => page.FindAll("[aria-busy=true]").Should().BeEmpty(), Patience);
        return page;
    }

    protected async Task<AuthenticationSettings> SettingsInCoreAsync()
    {
        var owner = await Core.Services.GetUserActorAsync("owner@example.com");
        return CoreHost.Must(await Core.Tenancy.GetAuthenticationSettingsAsync(owner!, Acme));
    }

    /// <summary>Chooses an option of the Maximum Token Expiration select by its text, as a person would.</summary>
    protected async Task ChooseMaximumAsync(IRenderedComponent<AuthenticationSettingsPage> page, string option)
    {
        var select = page.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(() => select.Instance.OpenMenu());
        PopoverProvider.WaitForAssertion(() => OptionNamed(option).Should().NotBeNull(), Patience);
        OptionNamed(option)!.Click();
        page.WaitForAssertion(() => Field(page, MaxLabel).GetAttribute("value").Should().Be(option), Patience);
    }

    private IElement? OptionNamed(string text) =>
        PopoverProvider.FindAll(".mud-list-item").FirstOrDefault(item => item.TextContent.Trim() == text);

    /// <summary>The input of the MudBlazor field labelled <paramref name="label"/>.</summary>
    protected static IElement Field<T>(IRenderedComponent<T> root, string label)
        where T : IComponent => FieldIn(root.Nodes, label);

    protected static IElement FieldIn(INodeList nodes, string label) =>
        ControlIn(nodes, label).QuerySelector("input, textarea")!;

    /// <summary>The error (or helper) text shown below a field.</summary>
    protected static string HelperTextOf<T>(IRenderedComponent<T> root, string label)
        where T : IComponent =>
        ControlIn(root.Nodes, label).QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? string.Empty;

    protected static bool HasError<T>(IRenderedComponent<T> root, string label)
        where T : IComponent =>
        ControlIn(root.Nodes, label).QuerySelector(".mud-input-error") is not null;

    protected static IElement? ButtonIn(INodeList nodes, string name) =>
        nodes.QuerySelectorAll("button").SingleOrDefault(b => b.TextContent.Trim() == name || b.GetAttribute("aria-label") == name);

    protected static bool IsDisabled(IElement button) => button.HasAttribute("disabled");

    private static IElement ControlIn(INodeList nodes, string label) =>
        nodes.QuerySelectorAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label);
}
