using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;
using ServiceAccounts.Web.Components.Pages.ServiceAccountPages;

namespace ServiceAccounts.Tests.Web.Tokens;

/// <summary>The Tokens tab of a demo service account, found by the names a person (or a screen reader) uses.</summary>
public abstract class TokensTestBase : ConsoleTestContext
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    protected static readonly EntityRef Sandbox = EntityRef.Org("sandbox");
    protected static readonly EntityRef Acme = EntityRef.Tenant("acme");

    /// <summary>The module the new-token panel copies through.</summary>
    protected const string PanelModule = "./Components/Pages/ServiceAccounts/CreatedTokenPanel.razor.js";

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>Renders …/service-accounts/{handle}/tokens of an org or tenant (at the address already set unless
    /// <paramref name="navigate"/>) and waits until the list has loaded.</summary>
    protected IRenderedComponent<ServiceAccountPage> RenderTokens(EntityRef entity, string handle, bool navigate = true)
    {
        if (navigate)
        {
            Navigation.NavigateTo($"{entity}/service-accounts/{handle}/tokens");
        }
        var page = RenderWithProviders<ServiceAccountPage>(p =>
        {
            if (entity.Kind == EntityKind.Org)
            {
                p.Add(x => x.Org, entity.Handle);
            }
            else
            {
                p.Add(x => x.Tenant, entity.Handle);
            }
            p.Add(x => x.Handle, handle).Add(x => x.Tab, "tokens");
        });
        page.WaitForAssertion(() => page.FindAll("[aria-busy=true]").Should().BeEmpty(), Patience);
        return page;
    }

    protected async Task<IReadOnlyList<TokenView>> TokensInCoreAsync(EntityRef entity, string handle) =>
        CoreHost.Must(await Core.Tokens.ListAsync(Actor, entity, handle));

    protected static IElement? Named(INodeList nodes, string name) =>
        nodes.QuerySelectorAll("button, a, [role=menuitem]")
            .FirstOrDefault(b => b.GetAttribute("aria-label") == name || (b.GetAttribute("aria-label") is null && b.TextContent.Trim() == name));

    protected static IElement? Named<T>(IRenderedComponent<T> root, string name)
        where T : IComponent => Named(root.Nodes, name);

    protected static bool IsDisabled(IElement button) => button.HasAttribute("disabled");

    protected IElement? MenuItem(string text) =>
        PopoverProvider.FindAll(".mud-menu-item, .mud-list-item").FirstOrDefault(item => item.TextContent.Trim() == text);

    /// <summary>The input of a MudBlazor field, by its visible label.</summary>
    protected static IElement Field(INodeList nodes, string label) => Control(nodes, label).QuerySelector("input, textarea")!;

    protected static string HelperText(INodeList nodes, string label) =>
        Control(nodes, label).QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? string.Empty;

    private static IElement Control(INodeList nodes, string label) =>
        nodes.QuerySelectorAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label);

    /// <summary>The table row whose Last 4 cell shows <paramref name="last4"/>.</summary>
    protected static IElement Row(IRenderedComponent<ServiceAccountPage> page, string last4) =>
        page.FindAll("[aria-label='API tokens'] tbody tr").Single(tr => tr.QuerySelector("td[data-label='Last 4']")?.TextContent.Trim() == $"sat_…{last4}");

    protected static string Cell(IRenderedComponent<ServiceAccountPage> page, string last4, string column) =>
        Row(page, last4).QuerySelector($"td[data-label='{column}']")!.TextContent.Trim();

    /// <summary>Clicks New Token and waits for the dialog.</summary>
    protected void OpenNewTokenDialog(IRenderedComponent<ServiceAccountPage> page)
    {
        Named(page, "New Token")!.Click();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#new-token-form").Should().ContainSingle(), Patience);
    }

    /// <summary>The Expiration select's options, as listed when it is opened.</summary>
    protected async Task<IReadOnlyList<string>> ExpirationOptionsAsync()
    {
        var select = DialogProvider.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(() => select.Instance.OpenMenu());
        PopoverProvider.WaitForAssertion(() => PopoverProvider.FindAll(".mud-list-item").Should().NotBeEmpty(), Patience);
        return PopoverProvider.FindAll(".mud-list-item").Select(item => item.TextContent.Trim()).ToList();
    }

    protected async Task ChooseExpirationAsync(string option)
    {
        await ExpirationOptionsAsync();
        MenuItem(option)!.Click();
        DialogProvider.WaitForAssertion(() => DialogProvider.Find(".mud-select").TextContent.Should().Contain(option), Patience);
    }

    protected void SubmitNewToken() => DialogProvider.Find("form#new-token-form").Submit();

    /// <summary>Creates a token through the dialog with the default expiration; returns the secret Core handed out.</summary>
    protected async Task<CreatedToken> CreateThroughDialogAsync(IRenderedComponent<ServiceAccountPage> page, EntityRef entity, string handle, string title)
    {
        var before = (await TokensInCoreAsync(entity, handle)).Select(t => t.Id).ToHashSet();
        OpenNewTokenDialog(page);
        Field(DialogProvider.Nodes, "Title").Input(title);
        SubmitNewToken();
        DialogProvider.WaitForAssertion(() => DialogProvider.FindAll("form#new-token-form").Should().BeEmpty(), Patience);
        page.WaitForAssertion(() => page.FindAll("[aria-label='New token']").Should().ContainSingle(), Patience);
        var created = (await TokensInCoreAsync(entity, handle)).Single(t => !before.Contains(t.Id));
        // The secret isn't in Core (only its digest is): read it the way the person would, by revealing it.
        Named(page, "Reveal token")!.Click();
        var secret = page.Find(".created-token-value").TextContent.Trim();
        Named(page, "Hide token")!.Click();
        return new CreatedToken(created, secret);
    }
}
